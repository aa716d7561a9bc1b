//! The log: env_logger, with the HTTP layer's reports of malformed requests
//! moved below ERROR.
//!
//! actix-http answers a request it cannot parse (too many headers, a URI
//! past 64 KiB) itself, before the app sees it, and logs each at ERROR:
//! any client could fill the error log at will. Those are client faults;
//! they are logged at INFO, like every other request.

use log::{Level, LevelFilter, Log, Metadata, Record};

/// Where actix-http reports the requests it refused to parse.
const DISPATCHER: &str = "actix_http::h1::dispatcher";

/// Whether `record` is actix-http's report of a request it could not parse.
pub fn is_client_fault(record: &Record<'_>) -> bool {
    record.target() == DISPATCHER
        && record.level() == Level::Error
        && record
            .args()
            .as_str()
            .map_or_else(|| record.args().to_string(), str::to_string)
            .contains("request parse error")
}

/// A logger that passes every record to `inner`, client faults at INFO.
pub struct ClientFaultsBelowError<L> {
    inner: L,
}

impl<L: Log> ClientFaultsBelowError<L> {
    pub fn new(inner: L) -> Self {
        ClientFaultsBelowError { inner }
    }
}

impl<L: Log> Log for ClientFaultsBelowError<L> {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        // A dispatcher ERROR may become INFO: whether it shows is decided
        // in `log`, at its new level.
        metadata.target() == DISPATCHER || self.inner.enabled(metadata)
    }

    fn log(&self, record: &Record<'_>) {
        if !is_client_fault(record) {
            return self.inner.log(record);
        }
        let lowered = Record::builder()
            .args(*record.args())
            .level(Level::Info)
            .target(record.target())
            .module_path(record.module_path())
            .file(record.file())
            .line(record.line())
            .build();
        if self.inner.enabled(lowered.metadata()) {
            self.inner.log(&lowered);
        }
    }

    fn flush(&self) {
        self.inner.flush();
    }
}

/// Installs env_logger (`RUST_LOG`, default `info`) behind the wrapper.
pub fn init() {
    let inner =
        env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).build();
    // Enough for the wrapper to see the dispatcher's errors, whatever the
    // filter; `inner` applies the filter itself.
    let max = inner.filter().max(LevelFilter::Error);
    if log::set_boxed_logger(Box::new(ClientFaultsBelowError::new(inner))).is_ok() {
        log::set_max_level(max);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Default)]
    struct Seen(Mutex<Vec<(Level, String)>>);

    impl Log for Seen {
        fn enabled(&self, metadata: &Metadata<'_>) -> bool {
            metadata.level() <= Level::Info
        }
        fn log(&self, record: &Record<'_>) {
            if self.enabled(record.metadata()) {
                let mut seen = self.0.lock().unwrap();
                seen.push((record.level(), record.args().to_string()));
            }
        }
        fn flush(&self) {}
    }

    fn record<'a>(target: &'a str, level: Level, args: std::fmt::Arguments<'a>) -> Record<'a> {
        Record::builder()
            .target(target)
            .level(level)
            .args(args)
            .build()
    }

    #[test]
    fn malformed_requests_are_logged_at_info_and_other_errors_stay_errors() {
        let logger = ClientFaultsBelowError::new(Seen::default());
        logger.log(&record(
            DISPATCHER,
            Level::Error,
            format_args!("stream error: request parse error: message head is too large"),
        ));
        logger.log(&record(
            DISPATCHER,
            Level::Error,
            format_args!(
                "stream error: {}",
                "request parse error: URI error: uri too long"
            ),
        ));
        logger.log(&record(
            DISPATCHER,
            Level::Error,
            format_args!("write zero; closing"),
        ));
        logger.log(&record(
            "city_region_api::error",
            Level::Error,
            format_args!("internal error: boom"),
        ));
        let seen = logger.inner.0.lock().unwrap().clone();
        let levels: Vec<Level> = seen.iter().map(|(l, _)| *l).collect();
        assert_eq!(
            levels,
            [Level::Info, Level::Info, Level::Error, Level::Error],
            "{seen:?}"
        );
    }
}

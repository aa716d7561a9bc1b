//! Typed settings, read from the environment (and an optional `.env`, loaded
//! by the binary before parsing) or from the command line.

use std::num::NonZeroU32;

use clap::Args;

/// Everything the service can be told at start-up. Each field is also an
/// environment variable; `.env.example` lists them with their defaults.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// SQLite database file (created with its tables when missing), or a
    /// `postgres://` URL (migrated at start; several instances may share it).
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "city-region.db",
        // Empty, it would be a SQLite path that gives every connection an
        // empty temporary database of its own.
        value_parser = clap::builder::NonEmptyStringValueParser::new(),
        // --help would print the environment's URL, password and all.
        hide_env_values = true,
        global = true
    )]
    pub database_url: String,

    /// Address and port the HTTP server listens on.
    #[arg(
        long,
        env = "BIND_ADDRESS",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub bind_address: String,

    /// Read connections in the pool (on SQLite writes go through one
    /// connection of their own; on PostgreSQL through as many again). On a
    /// 2-core machine 4 beat 8 (docs/benchmarks.md).
    #[arg(long, env = "DB_POOL_SIZE", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=64), global = true)]
    pub pool_size: u32,

    /// Origins whose browser pages may call the API, comma-separated
    /// (`https://example.org,http://localhost:3000`), or `*` for any (the
    /// default: keys travel in a header, never in cookies, so a page on
    /// another origin can do nothing its user could not). Empty:
    /// same-origin only.
    #[arg(long, env = "CORS_ALLOWED_ORIGINS", default_value = "*", global = true)]
    pub cors_allowed_origins: String,

    /// Seconds a client has to send a request body once its headers are
    /// in; slower clients get 408 and the connection is closed.
    #[arg(long, env = "BODY_TIMEOUT", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600), global = true)]
    pub body_timeout: u64,

    /// Writes a second each API key may make (bursts of twice that); more
    /// get 429 with Retry-After.
    #[arg(long, env = "WRITE_RATE_LIMIT", default_value_t = NonZeroU32::new(50).unwrap_or(NonZeroU32::MIN), global = true)]
    pub write_rate_limit: NonZeroU32,

    /// MiB of answers to reads kept in memory until the next write (each
    /// instance its own; a write through any instance makes them stale
    /// at once). 0 keeps none.
    #[arg(long, env = "RESPONSE_CACHE_MB", default_value_t = crate::app::RESPONSE_CACHE_MB, value_parser = clap::value_parser!(u64).range(0..=65536), global = true)]
    pub response_cache_mb: u64,

    /// MiB of disk for downloads (CSV, NDJSON, GeoJSON, the export) kept
    /// until the next write, as files with no name in the system's
    /// temporary folder (gone with the process). 0 keeps none.
    #[arg(long, env = "DOWNLOAD_CACHE_MB", default_value_t = crate::app::DOWNLOAD_CACHE_MB, value_parser = clap::value_parser!(u64).range(0..=1048576), global = true)]
    pub download_cache_mb: u64,
}

impl Settings {
    /// The allowed CORS origins, trimmed, empty items dropped.
    pub fn cors_origins(&self) -> Vec<String> {
        self.cors_allowed_origins
            .split(',')
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(String::from)
            .collect()
    }

    /// The database URL as logs may show it: a PostgreSQL password is
    /// replaced by `***`.
    pub fn database_shown(&self) -> String {
        match url::Url::parse(&self.database_url) {
            Ok(mut url) if url.password().is_some() => {
                let _ = url.set_password(Some("***"));
                url.to_string()
            }
            _ => self.database_url.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        settings: Settings,
    }

    #[test]
    fn logs_never_show_a_database_password() {
        let shown = |url: &str| {
            Cli::parse_from(["cli", "--database-url", url])
                .settings
                .database_shown()
        };
        assert_eq!(
            shown("postgres://api:s3cret@db.internal:5432/city"),
            "postgres://api:***@db.internal:5432/city"
        );
        assert_eq!(
            shown("postgres://api@db.internal/city"),
            "postgres://api@db.internal/city"
        );
        assert_eq!(shown("city-region.db"), "city-region.db");
        assert_eq!(shown("sqlite:///tmp/a.db"), "sqlite:///tmp/a.db");
    }
}

//! Typed settings, read from the environment (and an optional `.env`, loaded
//! by the binary before parsing) or from the command line.

use std::num::NonZeroU32;

use clap::Args;

/// Everything the service can be told at start-up. Each field is also an
/// environment variable; `.env.example` lists them with their defaults.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// SQLite database file; created with its tables when missing.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "city-region.db",
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

    /// Read connections in the pool (writes go through one connection of
    /// their own). On a 2-core machine 4 beat 8 (docs/benchmarks.md).
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

    /// The database path, accepting an optional `sqlite://` prefix.
    pub fn database_path(&self) -> &str {
        self.database_url
            .strip_prefix("sqlite://")
            .unwrap_or(&self.database_url)
    }
}

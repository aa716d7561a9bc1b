//! Typed settings, read from the environment (and an optional `.env`, loaded
//! by the binary before parsing) or from the command line.

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

    /// Read connections in the pool (writes go through one connection of their own).
    #[arg(long, env = "DB_POOL_SIZE", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=64), global = true)]
    pub pool_size: u32,
}

impl Settings {
    /// The database path, accepting an optional `sqlite://` prefix.
    pub fn database_path(&self) -> &str {
        self.database_url
            .strip_prefix("sqlite://")
            .unwrap_or(&self.database_url)
    }
}

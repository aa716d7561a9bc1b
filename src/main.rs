//! Command line: parse, configure, call into the library.

use actix_web::HttpServer;
use anyhow::Context;
use clap::{Parser, Subcommand};

use city_region_api::app::{API_PREFIX, AppConfig, build_app, openapi};
use city_region_api::auth::keys;
use city_region_api::config::Settings;
use city_region_api::db::{self, Db};
use city_region_api::{seed, upkeep};

/// Open JSON REST API for city-region governance data.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(flatten)]
    settings: Settings,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (the default): migrates, and loads the built-in data into an empty database.
    Serve,
    /// Create or upgrade the database, then exit.
    Migrate,
    /// Load the built-in JOINING FORCES data (records already there are left alone).
    Seed {
        /// Also load a synthetic dataset of this size for load tests: N
        /// recommendations, N events, N/100 partners, slugs `synthetic-*`.
        #[arg(long, value_name = "N")]
        demo: Option<usize>,
    },
    /// Print the OpenAPI spec as JSON.
    Openapi,
    /// Copy a whole dataset to another database (SQLite to PostgreSQL or
    /// back): ids, links, drafts, audit trail and keys kept; then check
    /// that both export the same bytes.
    Copy {
        /// The database to copy from (a SQLite path or `postgres://` URL).
        #[arg(long, value_name = "URL")]
        from: String,
        /// The database to copy to; it must be empty.
        #[arg(long, value_name = "URL")]
        to: String,
        /// Replace whatever the target holds.
        #[arg(long)]
        force: bool,
    },
    /// Manage API keys (writes need one).
    Keys {
        #[command(subcommand)]
        action: KeyCommand,
    },
}

#[derive(Subcommand)]
enum KeyCommand {
    /// Make a key and print it, once, as the last line.
    Create {
        /// A name for the key, shown in `keys list` and the audit trail.
        #[arg(long)]
        name: String,
        /// `admin` (everything) or `partner:<slug>` (that partner's record,
        /// the events it hosts, the recommendations it proposes).
        #[arg(long)]
        scope: String,
    },
    /// List the keys: names, scopes, creation and last use (never the keys).
    List,
    /// Revoke the live key with this name.
    Revoke { name: String },
}

fn main() -> anyhow::Result<()> {
    // A missing .env is fine: the environment and the defaults suffice.
    dotenvy::dotenv().ok();
    let cli = Cli::parse();
    city_region_api::logging::init();
    let settings = cli.settings;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings),
        Command::Migrate => {
            db::connect_and_migrate(&settings.database_url)?;
            log::info!("database {} is up to date", settings.database_shown());
            Ok(())
        }
        Command::Seed { demo } => {
            let mut conn = db::connect_and_migrate(&settings.database_url)?;
            let report = seed::load(&mut conn)?;
            log::info!(
                "seeded {}: {} partners, {} thematic areas and {} events added",
                settings.database_shown(),
                report.partners,
                report.thematic_areas,
                report.events
            );
            if let Some(n) = demo {
                let started = std::time::Instant::now();
                let rows = city_region_api::demo::load(&mut conn, n)?;
                log::info!(
                    "synthetic dataset: {rows} rows in {:.1} s",
                    started.elapsed().as_secs_f64()
                );
            }
            let started = std::time::Instant::now();
            let stored = upkeep::fill_lines(&mut conn)?;
            log::info!(
                "stored the CSV lines of {stored} records in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Copy { from, to, force } => {
            let copied = city_region_api::copy::copy(&from, &to, force)?;
            for (table, rows) in &copied.rows {
                println!("{table}: {rows} rows");
            }
            println!(
                "Both export the same {} bytes (SHA-256 {}).",
                copied.export_bytes, copied.export_sha256
            );
            Ok(())
        }
        Command::Openapi => {
            println!("{}", serde_json::to_string_pretty(&openapi())?);
            Ok(())
        }
        Command::Keys { action } => {
            let mut conn = db::connect_and_migrate(&settings.database_url)?;
            manage_keys(&mut conn, action)
        }
    }
}

fn manage_keys(conn: &mut city_region_api::db::Conn, action: KeyCommand) -> anyhow::Result<()> {
    match action {
        KeyCommand::Create { name, scope } => {
            let key = keys::create(conn, &name, &scope)?;
            println!(
                "Created the key '{}' with scope {scope}. It is shown once; keep it now:",
                name.trim()
            );
            println!("{key}");
        }
        KeyCommand::List => {
            for key in keys::list(conn)? {
                println!("{key}");
            }
        }
        KeyCommand::Revoke { name } => {
            keys::revoke(conn, &name)?;
            println!("Revoked the key '{name}'.");
        }
    }
    Ok(())
}

#[actix_web::main]
async fn serve(settings: Settings) -> anyhow::Result<()> {
    let path = settings.database_url.clone();
    let lines_missing = match db::connect_and_migrate(&path) {
        Ok(mut conn) => {
            if seed::is_empty(&mut conn)? {
                let report = seed::load(&mut conn)?;
                log::info!(
                    "empty database: loaded the built-in data ({} partners, {} thematic areas, {} events)",
                    report.partners,
                    report.thematic_areas,
                    report.events
                );
            }
            // Counted here, where the pages read go with this connection,
            // not kept by one of the pool's.
            upkeep::lines_missing(&mut conn)?
        }
        // A full disk or a read-only file: serve reads (Db::open checks
        // that the schema is current) and take writes once they go through.
        Err(e) if db::is_unwritable(&e) => {
            log::warn!(
                "{} takes no writes ({e:#}): starting read-only",
                settings.database_shown()
            );
            false
        }
        Err(e) => return Err(e),
    };
    let db = Db::open(&path, settings.pool_size)?;
    // Records loaded without their CSV lines (the built-in data, a copy, a
    // database from before lines were stored) get them in the background.
    upkeep::keep_lines_filled(actix_web::web::Data::new(db.clone()), lines_missing);
    let mut config = AppConfig::new(settings.cors_origins(), settings.write_rate_limit);
    config.body_timeout = std::time::Duration::from_secs(settings.body_timeout);
    config.representations =
        actix_web::web::Data::new(city_region_api::cache::Representations::new(
            settings.response_cache_mb << 20,
            settings.download_cache_mb << 20,
        ));
    let server = HttpServer::new(move || build_app(db.clone(), config.clone()))
        .bind(&settings.bind_address)
        .with_context(|| format!("binding {}", settings.bind_address))?;
    for addr in server.addrs() {
        log::info!("Explorer:   http://{addr}/");
        log::info!("API:        http://{addr}{API_PREFIX}/partners");
        log::info!("Swagger UI: http://{addr}/docs/");
        log::info!("Spec:       http://{addr}/api-docs/openapi.json");
    }
    server.run().await?;
    Ok(())
}

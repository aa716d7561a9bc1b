//! `copy --from URL --to URL`: a whole dataset from one store to another
//! (SQLite to PostgreSQL and back), ids, links, drafts, audit trail and
//! keys (their hashes) kept, then both sides' exports compared byte for
//! byte.

use actix_web::web::Data;
use diesel::prelude::*;
use futures_util::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use sha2::{Digest, Sha256};

use crate::auth::Drafts;
use crate::db::{self, Conn, Db};
use crate::schema;

/// Rows of a table read (and written) at a time: ids `lo..lo + RANGE` of
/// its first key. A range of ids needs no `OFFSET`, which would read every
/// row before it again.
const RANGE: i32 = 1000;

/// Rows one `INSERT` carries: within SQLite's 32,766 bound values for the
/// widest table.
const CHUNK: usize = 1000;

/// What `copy` did: rows per table, and the export both ends agree on.
#[derive(Debug)]
pub struct Copied {
    pub rows: Vec<(&'static str, usize)>,
    pub export_bytes: usize,
    pub export_sha256: String,
}

/// Every table, parents before the rows that refer to them.
const TABLES: [&str; 10] = [
    "partners",
    "thematic_areas",
    "recommendations",
    "events",
    "recommendation_thematic_areas",
    "recommendation_partners",
    "event_partners",
    "event_thematic_areas",
    "api_keys",
    "audit_log",
];

/// The tables whose ids come from a sequence that must never hand out an
/// id it (or the source's) gave before.
const SEQUENCED: [&str; 6] = [
    "partners",
    "thematic_areas",
    "recommendations",
    "events",
    "api_keys",
    "audit_log",
];

/// Copies everything in `from` to `to`, in one transaction on `to`, read
/// from one snapshot of `from`. `to` must be empty unless `force`, which
/// empties it first. Both are migrated first.
pub fn copy(from: &str, to: &str, force: bool) -> anyhow::Result<Copied> {
    anyhow::ensure!(from != to, "--from and --to name the same database");
    let mut source = db::connect_and_migrate(from)?;
    let mut target = db::connect_and_migrate(to)?;
    let mut counts = Vec::new();
    for table in TABLES {
        counts.push((table, count(&mut source, table)?));
    }
    let bar = ProgressBar::new(counts.iter().map(|(_, n)| *n as u64).sum()).with_style(
        ProgressStyle::with_template("{msg:30} [{bar:40}] {pos}/{len} rows, {per_sec}, {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let rows = db::snapshot(&mut source, |source| {
        db::write_transaction(&mut target, |target| -> anyhow::Result<_> {
            let mut held = 0;
            for table in TABLES {
                held += count(target, table)?;
            }
            if held > 0 {
                anyhow::ensure!(
                    force,
                    "the target holds {held} rows already: copy into an empty database, or pass --force to replace them"
                );
                for table in TABLES.iter().rev() {
                    diesel::sql_query(format!("DELETE FROM {table}")).execute(target)?;
                }
            }
            let mut rows = Vec::new();
            for table in TABLES {
                bar.set_message(table);
                rows.push((table, copy_table(table, source, target, &bar)?));
            }
            for table in SEQUENCED {
                let given_out = db::sequence(source, table)?;
                db::ids_past(target, table, given_out)?;
            }
            Ok(rows)
        })
        .map_err(|e| diesel::result::Error::QueryBuilderError(e.into()))
    })
    .map_err(|e| match e {
        diesel::result::Error::QueryBuilderError(e) => anyhow::anyhow!(e),
        other => anyhow::Error::from(other),
    })?;
    bar.finish_with_message("copied");
    // What the exports below leave out (keys, the trail, links) is checked
    // by count: every row copied is in the target.
    for (table, copied) in &rows {
        let held = count(&mut target, table)?;
        anyhow::ensure!(
            held == *copied,
            "{table}: {copied} rows copied, {held} in the target"
        );
    }
    let (export_bytes, export_sha256) = same_exports(from, to)?;
    Ok(Copied {
        rows,
        export_bytes,
        export_sha256,
    })
}

/// How many rows `table` holds.
fn count(conn: &mut Conn, table: &str) -> QueryResult<usize> {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let row: Count =
        diesel::sql_query(format!("SELECT count(*) AS n FROM {table}")).get_result(conn)?;
    Ok(row.n as usize)
}

/// Both ends' exports, with drafts, stamped alike: their length and
/// SHA-256, or an error saying where they part. Read after the copy has
/// committed, from the source as it is then: a source still taking writes
/// may differ by them (copy from a store nothing writes to).
fn same_exports(from: &str, to: &str) -> anyhow::Result<(usize, String)> {
    let export = |url: &str| -> anyhow::Result<Vec<u8>> {
        let db = Data::new(Db::open(url, 1)?);
        actix_web::rt::System::new().block_on(async move {
            let mut bytes = Vec::new();
            let mut parts = crate::export::document(db, Drafts::All, "copy");
            while let Some(part) = parts.next().await {
                bytes.extend_from_slice(&part.map_err(|e| anyhow::anyhow!("{e}"))?);
            }
            Ok(bytes)
        })
    };
    let (source, target) = (export(from)?, export(to)?);
    if source != target {
        let at = source
            .iter()
            .zip(&target)
            .position(|(a, b)| a != b)
            .unwrap_or(source.len().min(target.len()));
        let show = |bytes: &[u8]| {
            String::from_utf8_lossy(&bytes[at.saturating_sub(60)..(at + 60).min(bytes.len())])
                .into_owned()
        };
        anyhow::bail!(
            "the two exports differ at byte {at} of {} and {}:\n  from: …{}…\n  to:   …{}…",
            source.len(),
            target.len(),
            show(&source),
            show(&target)
        );
    }
    Ok((source.len(), hex::encode(Sha256::digest(&source))))
}

/// The copy of one table: its columns with their Rust types, read in
/// ranges of the first key and inserted in chunks as they are.
macro_rules! copy_rows {
    ($source:expr, $target:expr, $bar:expr, $table:ident ($key:ident) {
        $($column:ident: $type:ty),+ $(,)?
    }) => {{
        use schema::$table as t;
        let (low, high): (Option<i32>, Option<i32>) = t::table
            .select((diesel::dsl::min(t::$key), diesel::dsl::max(t::$key)))
            .first($source)?;
        let mut copied = 0;
        let (mut low, high) = (low.unwrap_or(1), high.unwrap_or(0));
        while low <= high {
            let rows: Vec<($($type,)+)> = t::table
                .select(($(t::$column,)+))
                .filter(t::$key.ge(low).and(t::$key.lt(low.saturating_add(RANGE))))
                .load($source)?;
            for chunk in rows.chunks(CHUNK) {
                let values: Vec<_> = chunk
                    .iter()
                    .map(|($($column,)+)| ($(t::$column.eq($column),)+))
                    .collect();
                crate::on_store!($target, |c| diesel::insert_into(t::table)
                    .values(&values)
                    .execute(c))?;
                $bar.inc(chunk.len() as u64);
            }
            copied += rows.len();
            low = low.saturating_add(RANGE);
        }
        Ok(copied)
    }};
}

/// Copies `table` a range of first-key values at a time.
fn copy_table(
    table: &str,
    source: &mut Conn,
    target: &mut Conn,
    bar: &ProgressBar,
) -> QueryResult<usize> {
    match table {
        "partners" => copy_rows!(source, target, bar, partners (id) {
            id: i32, slug: String, name: String, city: String, country_code: String,
            role: String, region: Option<String>, population: Option<i64>,
            latitude: Option<f64>, longitude: Option<f64>, website: Option<String>,
            description: Option<String>, created_at: chrono::NaiveDateTime,
            updated_at: chrono::NaiveDateTime,
        }),
        "thematic_areas" => copy_rows!(source, target, bar, thematic_areas (id) {
            id: i32, slug: String, name: String, description: Option<String>,
            position: Option<i32>, created_at: chrono::NaiveDateTime,
            updated_at: chrono::NaiveDateTime,
        }),
        "recommendations" => copy_rows!(source, target, bar, recommendations (id) {
            id: i32, slug: String, title: String, body: String, target_level: String,
            status: String, created_at: chrono::NaiveDateTime, updated_at: chrono::NaiveDateTime,
        }),
        "events" => copy_rows!(source, target, bar, events (id) {
            id: i32, slug: String, title: String, kind: String, starts_on: chrono::NaiveDate,
            ends_on: Option<chrono::NaiveDate>, city: Option<String>,
            country_code: Option<String>, host_partner_id: Option<i32>,
            description: Option<String>, url: Option<String>,
            created_at: chrono::NaiveDateTime, updated_at: chrono::NaiveDateTime,
        }),
        "recommendation_thematic_areas" => copy_rows!(source, target, bar,
        recommendation_thematic_areas (recommendation_id) {
            recommendation_id: i32, thematic_area_id: i32,
        }),
        "recommendation_partners" => copy_rows!(source, target, bar,
        recommendation_partners (recommendation_id) {
            recommendation_id: i32, partner_id: i32,
        }),
        "event_partners" => copy_rows!(source, target, bar, event_partners (event_id) {
            event_id: i32, partner_id: i32,
        }),
        "event_thematic_areas" => copy_rows!(source, target, bar, event_thematic_areas (event_id) {
            event_id: i32, thematic_area_id: i32,
        }),
        "api_keys" => copy_rows!(source, target, bar, api_keys (id) {
            id: i32, name: String, prefix: String, secret_hash: String, scope: String,
            partner_id: Option<i32>, created_at: chrono::NaiveDateTime,
            last_used_at: Option<chrono::NaiveDateTime>, revoked_at: Option<chrono::NaiveDateTime>,
        }),
        "audit_log" => copy_rows!(source, target, bar, audit_log (id) {
            id: i32, at: chrono::NaiveDateTime, key_name: String, collection: String,
            record_id: i32, action: String, before: Option<String>, after: Option<String>,
        }),
        other => unreachable!("no table {other}"),
    }
}

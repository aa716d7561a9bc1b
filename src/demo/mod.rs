//! `seed --demo N`: a synthetic dataset for load tests, clearly apart from
//! the real one. The same N always gives the same rows: N recommendations,
//! N events, N/100 partners (at least one), all with slugs that start with
//! `synthetic-` (numbered with leading zeros, so that they go into the
//! unique slug indexes in order), linked to the real thematic areas and to
//! each other.
//!
//! Speed matters (a million rows in under a minute), so the rows go in
//! with multi-row INSERTs inside one transaction, and the full-text
//! triggers are set aside for the load and the indexes rebuilt once at the
//! end. The transaction makes the swap all-or-nothing: a failed load leaves
//! the database, triggers included, as it was.

mod tables;
mod words;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use indicatif::{ProgressBar, ProgressStyle};

use crate::db::{Conn, Dialect};
use crate::schema::{partners, thematic_areas};
use tables::Load;
use words::Rng;

#[derive(QueryableByName)]
struct Sql {
    #[diesel(sql_type = Text)]
    sql: String,
}

/// The first id a new row of `table` may take: past every row there and
/// every id its sequence gave out (ids are never reused).
fn first_id(conn: &mut Conn, table: &str) -> QueryResult<i32> {
    let past = crate::db::highest_id(conn, table)?.max(crate::db::sequence(conn, table)?);
    let past = i32::try_from(past.unwrap_or(0)).unwrap_or(i32::MAX - 1);
    Ok(past + 1)
}

/// Loads the synthetic dataset of size `n`; the real thematic areas must be
/// there. Returns the rows inserted.
pub fn load(conn: &mut Conn, n: usize) -> anyhow::Result<usize> {
    let areas: Vec<i32> = thematic_areas::table
        .select(thematic_areas::id)
        .order(thematic_areas::id)
        .load(conn)?;
    anyhow::ensure!(
        !areas.is_empty(),
        "load the built-in data first (`seed`): the demo uses its thematic areas"
    );
    let taken: i64 = partners::table
        .filter(partners::slug.like("synthetic-%"))
        .count()
        .get_result(conn)?;
    anyhow::ensure!(
        taken == 0,
        "this database already holds a synthetic dataset"
    );
    let partner_count = (n / 100).max(1);
    let bar = ProgressBar::new((partner_count + 2 * n) as u64).with_style(
        ProgressStyle::with_template(
            "{spinner} {msg:14} [{bar:40}] {pos}/{len} rows, {per_sec}, {eta} left",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    let sqlite = conn.dialect() == Dialect::Sqlite;
    if sqlite {
        // One big transaction: with a rollback journal, new pages go to the
        // database file once; in WAL mode they would be written twice (WAL,
        // then checkpoint). The server's connections switch back to WAL on
        // start.
        conn.batch_execute(
            "PRAGMA journal_mode = DELETE; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;",
        )?;
    }
    let inserted = crate::db::write_transaction(conn, |conn| -> anyhow::Result<usize> {
        let set_aside = if sqlite {
            set_aside_indexes(conn)?
        } else {
            set_aside_triggers(conn, "DISABLE")?;
            Vec::new()
        };
        let mut load = Load {
            n,
            partner_count,
            first_partner: first_id(conn, "partners")?,
            first_recommendation: first_id(conn, "recommendations")?,
            first_event: first_id(conn, "events")?,
            areas: &areas,
            rng: Rng(n as u64),
            bar: &bar,
        };
        tables::partners(conn, &mut load)?;
        tables::recommendations(conn, &mut load)?;
        tables::events(conn, &mut load)?;
        bar.set_message("search index");
        log::debug!("rows in after {:?}", bar.elapsed());
        for item in &set_aside {
            conn.batch_execute(&item.sql)?;
        }
        for table in ["partners", "thematic_areas", "recommendations", "events"] {
            if sqlite {
                conn.batch_execute(&format!(
                    "INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')"
                ))?;
            } else {
                // The search rows the set-aside triggers would have made,
                // by the same function, in one statement.
                conn.batch_execute(&format!(
                    "INSERT INTO {table}_search (id, doc) SELECT t.id, {table}_search_vector(t) \
                     FROM {table} t ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc"
                ))?;
                crate::db::ids_past(conn, table, None)?;
            }
        }
        if !sqlite {
            set_aside_triggers(conn, "ENABLE")?;
        }
        log::debug!("search index rebuilt after {:?}", bar.elapsed());
        Ok(partner_count + 2 * n)
    })?;
    log::debug!("committed after {:?}", bar.elapsed());
    bar.finish_with_message("done");
    conn.batch_execute(if sqlite {
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA optimize;"
    } else {
        "ANALYZE"
    })?;
    Ok(inserted)
}

/// PostgreSQL's search triggers and the links' CSV ones off (`DISABLE`)
/// for a bulk load, or on again (`ENABLE`), in the load's own
/// transaction; the search rows are then made in one statement per table.
/// (20,000 of each: 11.4 s with the triggers, 9.4 s so; most of what is
/// left is folding the text itself.)
fn set_aside_triggers(conn: &mut Conn, how: &str) -> QueryResult<()> {
    for table in ["partners", "thematic_areas", "recommendations", "events"] {
        conn.batch_execute(&format!(
            "ALTER TABLE {table} {how} TRIGGER {table}_search_sync"
        ))?;
    }
    // The links' triggers that delete their owners' stored CSV lines: the
    // load links only the records it makes, which have none yet.
    for table in [
        "event_partners",
        "event_thematic_areas",
        "recommendation_partners",
        "recommendation_thematic_areas",
    ] {
        conn.batch_execute(&format!(
            "ALTER TABLE {table} {how} TRIGGER {table}_csv_changed"
        ))?;
    }
    Ok(())
}

/// Drops the secondary indexes, the full-text triggers and the CSV lines'
/// (which have no line to delete during the load: its records are new),
/// and returns their definitions to make them again after the load: an
/// index is built faster once, by sorting, than row by row; the full-text
/// index likewise.
fn set_aside_indexes(conn: &mut Conn) -> QueryResult<Vec<Sql>> {
    let set_aside: Vec<Sql> = diesel::sql_query(
        "SELECT sql FROM sqlite_master
         WHERE (type = 'trigger' AND (name LIKE '%\\_fts\\_%' ESCAPE '\\'
                                     OR name LIKE '%\\_csv\\_%' ESCAPE '\\'))
            OR (type = 'index' AND sql IS NOT NULL AND name NOT LIKE 'api\\_%' ESCAPE '\\'
                AND name NOT LIKE 'audit\\_%' ESCAPE '\\' AND name != 'partners_single_lead')",
    )
    .load(conn)?;
    for item in &set_aside {
        let mut words = item.sql.split_whitespace();
        let kind = words.nth(1).unwrap_or_default();
        let (kind, name) = match kind {
            "UNIQUE" => ("INDEX", words.nth(1).unwrap_or_default()),
            other => (other, words.next().unwrap_or_default()),
        };
        conn.batch_execute(&format!("DROP {kind} {name}"))?;
    }
    Ok(set_aside)
}

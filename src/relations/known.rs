//! Summaries of partners and thematic areas kept for as long as the write
//! generation they were read under: the records of a list name the same few
//! again and again (a million events name ten thousand partners), and
//! reading each summary anew with every link was half of a CSV export's
//! CPU. Kept in the count cache (`crate::db::Counts`), under the same rule:
//! read under a generation taken before the snapshot began (on PostgreSQL,
//! in it), so what is kept is never older than its generation, and the
//! next write starts a new one.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard};

use diesel::prelude::*;

use super::{Point, Related, Summary};
use crate::db::{Conn, Counts};
use crate::schema::{partners, thematic_areas};

/// A related record in brief and, for a partner, its place.
pub type Known = (Summary, Option<Point>);

/// The summaries of one collection known under one generation: read by
/// the pages and batches of lists, and by the threads that put their
/// records together, at once.
pub type Kept = Arc<RwLock<HashMap<i32, Known>>>;

/// Most summaries kept per collection and generation (about 250 bytes
/// each with their texts and their place in the map: 12 MB at most);
/// past it, the rest are read every time.
const MOST_KEPT: usize = 50_000;

/// The summaries of the records of `related` with ids `ids`: those known
/// under the generation of `counts`, the others read (and kept). Without
/// `counts` (a single record, a write's own transaction), all are read and
/// none kept.
pub fn find_summaries(
    conn: &mut Conn,
    counts: Option<&Counts>,
    related: Related,
    ids: &[i32],
) -> QueryResult<Found> {
    let Some(kept) = counts.map(|counts| kept(counts, related)) else {
        return Ok(Found::Own(read(conn, related, ids)?.into_iter().collect()));
    };
    let missing: Vec<i32> = {
        let kept = reading(&kept);
        ids.iter()
            .filter(|id| !kept.contains_key(id))
            .copied()
            .collect()
    };
    if missing.is_empty() {
        return Ok(Found::Kept(kept));
    }
    let read = read(conn, related, &missing)?;
    let mut map = kept.write().unwrap_or_else(PoisonError::into_inner);
    if map.len() + read.len() <= MOST_KEPT {
        // What another page kept meanwhile stays as it is: an entry, once
        // kept, never changes (pages put together later rely on it).
        for (id, known) in read {
            map.entry(id).or_insert(known);
        }
        drop(map);
        return Ok(Found::Kept(kept));
    }
    // Too many to keep: these are read every time.
    let mut found: HashMap<i32, Known> = ids
        .iter()
        .filter_map(|id| map.get(id).map(|known| (*id, known.clone())))
        .collect();
    drop(map);
    found.extend(read);
    Ok(Found::Own(found))
}

/// Summaries found by [`find_summaries`], for the records of a page to copy theirs
/// from, after the read (on another thread, for a bulk response's batch).
pub enum Found {
    /// Those kept for the generation, every id asked for that names a
    /// record among them (a generation's map only grows, and an entry,
    /// once kept, never changes).
    Kept(Kept),
    /// Read for this page alone.
    Own(HashMap<i32, Known>),
}

impl Found {
    /// Calls `f` with the summaries by id; an id that names no record is
    /// not there. `f` may run with the kept map locked for reading: it
    /// should only copy out what it needs.
    pub fn with<R>(&self, f: impl FnOnce(&HashMap<i32, Known>) -> R) -> R {
        match self {
            Found::Kept(kept) => f(&reading(kept)),
            Found::Own(found) => f(found),
        }
    }
}

/// The map kept for `related` under the generation of `counts`: a new,
/// empty one for a generation not seen before.
fn kept(counts: &Counts, related: Related) -> Kept {
    // No SQL text (the count cache's other keys) starts with a NUL.
    let key = match related {
        Related::Partners => "\0known partners",
        Related::ThematicAreas => "\0known thematic areas",
    };
    counts
        .get_or(key.into(), || Ok::<_, ()>(Kept::default()))
        .unwrap_or_default()
}

fn reading(kept: &Kept) -> RwLockReadGuard<'_, HashMap<i32, Known>> {
    // Poisoned only by a panic between two map operations: still a map.
    kept.read().unwrap_or_else(PoisonError::into_inner)
}

/// Most ids one read of summaries binds: a batch's links may name far
/// more records than SQLite binds in one statement (32,766).
const MOST_READ: usize = 1_000;

/// Reads the summaries of `ids`, [`MOST_READ`] at a time.
fn read(conn: &mut Conn, related: Related, ids: &[i32]) -> QueryResult<Vec<(i32, Known)>> {
    let mut found = Vec::with_capacity(ids.len());
    for part in ids.chunks(MOST_READ) {
        found.extend(read_part(conn, related, part)?);
    }
    Ok(found)
}

/// Reads the summaries of `ids` (one id is `id = ?`, a statement prepared
/// once per connection; see `owned_by`).
fn read_part(conn: &mut Conn, related: Related, ids: &[i32]) -> QueryResult<Vec<(i32, Known)>> {
    Ok(match related {
        Related::Partners => {
            let query = partners::table
                .select((
                    (partners::id, partners::slug, partners::name),
                    partners::longitude,
                    partners::latitude,
                ))
                .into_boxed();
            let rows: Vec<(Summary, Option<f64>, Option<f64>)> =
                super::owned_by(query, partners::id, ids).load(conn)?;
            rows.into_iter()
                .map(|(s, lon, lat)| (s.id, (s, lon.zip(lat).map(|(lon, lat)| [lon, lat]))))
                .collect()
        }
        Related::ThematicAreas => {
            let query = thematic_areas::table
                .select((
                    thematic_areas::id,
                    thematic_areas::slug,
                    thematic_areas::name,
                ))
                .into_boxed();
            let rows: Vec<Summary> = super::owned_by(query, thematic_areas::id, ids).load(conn)?;
            rows.into_iter().map(|s| (s.id, (s, None))).collect()
        }
    })
}

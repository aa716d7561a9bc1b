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

/// Groups link rows `(owner, other)`, in owner order, by owner, each
/// other id as its summary (`found`); links to an id `found` lacks are
/// left out.
pub fn group_links(links: Vec<(i32, i32)>, found: &HashMap<i32, Known>) -> Grouped {
    Grouped::of(links.into_iter().filter_map(|(owner, other)| {
        found
            .get(&other)
            .map(|(summary, _)| (owner, summary.clone()))
    }))
}

/// Summaries grouped by the record that links to them, for the records of
/// one page or batch to take theirs.
#[derive(Debug, Default)]
pub struct Grouped {
    /// Each owner once, ascending.
    owners: Vec<i32>,
    groups: Vec<Vec<Summary>>,
}

impl Grouped {
    /// Groups `(owner, summary)` pairs given in owner order (the link
    /// queries' `ORDER BY`: `take` looks owners up by binary search).
    pub fn of(pairs: impl IntoIterator<Item = (i32, Summary)>) -> Grouped {
        let mut grouped = Grouped::default();
        for (owner, summary) in pairs {
            debug_assert!(grouped.owners.last() <= Some(&owner), "owners in order");
            if grouped.owners.last() != Some(&owner) {
                grouped.owners.push(owner);
                grouped.groups.push(Vec::new());
            }
            if let Some(group) = grouped.groups.last_mut() {
                group.push(summary);
            }
        }
        grouped
    }

    /// The summaries `owner` links to (none if it links to none), taken.
    pub fn take(&mut self, owner: i32) -> Vec<Summary> {
        match self.owners.binary_search(&owner) {
            Ok(i) => std::mem::take(&mut self.groups[i]),
            Err(_) => Vec::new(),
        }
    }
}

/// The ids of a page or batch, read as one range of the link table's key
/// when they nearly fill it: a scan of the range instead of a lookup per
/// id, and one statement prepared once per connection instead of an
/// `IN (...)` prepared anew for every batch. A CSV export's batches are
/// ranges with no gaps.
pub struct Span {
    range: Option<(i32, i32)>,
    /// The ids, sorted, when the range has gaps: the links of the others
    /// in it are let go.
    gaps: Option<Vec<i32>>,
}

impl Span {
    pub fn of(ids: &[i32]) -> Span {
        let (Some(&low), Some(&high)) = (ids.iter().min(), ids.iter().max()) else {
            return Span {
                range: None,
                gaps: None,
            };
        };
        let width = i64::from(high) - i64::from(low) + 1;
        let count = ids.len() as i64;
        // One id reads best as `= ?`; a sparse page as its ids.
        if count < 2 || width > 2 * count {
            return Span {
                range: None,
                gaps: None,
            };
        }
        let gaps = (width != count).then(|| {
            let mut sorted = ids.to_vec();
            sorted.sort_unstable();
            sorted
        });
        Span {
            range: Some((low, high)),
            gaps,
        }
    }

    /// The range to read, if the ids are read as one.
    pub fn range(&self) -> Option<(i32, i32)> {
        self.range
    }

    /// Of the link rows read for the range, those of the ids.
    pub fn keep(&self, mut links: Vec<(i32, i32)>) -> Vec<(i32, i32)> {
        if let Some(ids) = &self.gaps {
            links.retain(|(owner, _)| ids.binary_search(owner).is_ok());
        }
        links
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(id: i32) -> Summary {
        Summary::new(id, format!("s{id}"), format!("S {id}"))
    }

    #[test]
    fn grouped_gives_each_owner_its_own_in_order_once() {
        let mut grouped = Grouped::of([(3, summary(1)), (3, summary(2)), (7, summary(1))]);
        assert_eq!(grouped.take(3), [summary(1), summary(2)]);
        assert_eq!(grouped.take(3), [], "taken");
        assert_eq!(grouped.take(5), [], "links to none");
        assert_eq!(grouped.take(7), [summary(1)]);
        assert_eq!(grouped.take(8), []);
    }

    #[test]
    fn a_span_reads_nearly_full_ranges_whole_and_keeps_only_the_ids() {
        let whole = Span::of(&[4, 2, 3, 5]);
        assert_eq!(whole.range(), Some((2, 5)));
        let links = vec![(2, 1), (3, 1), (5, 2)];
        assert_eq!(whole.keep(links.clone()), links);

        // Gaps: the rows of ids not asked for are let go.
        let gaps = Span::of(&[10, 12, 13, 16]);
        assert_eq!(gaps.range(), Some((10, 16)));
        assert_eq!(
            gaps.keep(vec![(10, 1), (11, 1), (12, 2), (14, 1), (16, 3)]),
            [(10, 1), (12, 2), (16, 3)]
        );

        // One id, no ids, or ids spread wider than twice their number: as ids.
        for ids in [&[7][..], &[], &[1, 2, 7]] {
            assert_eq!(Span::of(ids).range(), None, "{ids:?}");
        }
        assert_eq!(
            Span::of(&[1, 2, 6]).range(),
            Some((1, 6)),
            "just full enough"
        );
        let extremes = Span::of(&[i32::MAX - 1, i32::MAX]);
        assert_eq!(extremes.range(), Some((i32::MAX - 1, i32::MAX)));
    }
}

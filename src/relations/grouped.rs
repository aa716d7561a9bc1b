//! Link rows grouped by the record that owns them, each other record as
//! its summary: what a page or batch's records take their relations from.

use std::collections::HashMap;

use super::{Known, Summary};

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

//! The related ids a write names: read from the body, and each one checked
//! to exist (a 422 naming those that do not).

use diesel::prelude::*;

use crate::db::Conn;
use crate::input::{Field, Problems};
use crate::schema::{partners, thematic_areas};

use super::MAX_IDS;

/// A relation field: a list of ids, each an existing record, no repeats
/// (a repeated id is kept once). `None` when the field is at fault.
pub fn id_list(p: &mut Problems, name: &str, field: Field<Vec<i64>>, at_least: usize) -> Vec<i32> {
    let sent = field.into_option().unwrap_or_default();
    let mut ids: Vec<i32> = Vec::with_capacity(sent.len());
    for id in &sent {
        match i32::try_from(*id) {
            Ok(id) if id > 0 => {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            _ => {
                p.add(name, format!("{id} is not an id"));
                return ids;
            }
        }
    }
    if ids.len() < at_least {
        p.add(name, format!("must name at least {at_least}"));
    } else if ids.len() > MAX_IDS {
        p.add(name, format!("must name at most {MAX_IDS}"));
    }
    ids
}

/// Records a problem on `name` for every id in `ids` that `existing` lacks.
fn report_missing(p: &mut Problems, name: &str, ids: &[i32], existing: &[i32], what: &str) {
    let missing: Vec<String> = ids
        .iter()
        .filter(|id| !existing.contains(id))
        .map(|id| id.to_string())
        .collect();
    if !missing.is_empty() {
        p.add(name, format!("no {what} has the id {}", missing.join(", ")));
    }
}

/// A collection whose records a write names by id.
#[derive(Clone, Copy, Debug)]
pub enum Related {
    Partners,
    ThematicAreas,
}

/// Checks that every id in `ids` is a record of `related`; a problem on
/// `name` for those that are not. Skipped when the field is already at
/// fault or empty.
pub fn check_ids(
    conn: &mut Conn,
    p: &mut Problems,
    name: &str,
    ids: &[i32],
    related: Related,
) -> QueryResult<()> {
    if p.names(name) || ids.is_empty() {
        return Ok(());
    }
    let (existing, what) = match related {
        Related::Partners => (
            partners::table
                .filter(partners::id.eq_any(ids))
                .select(partners::id)
                .load(conn)?,
            "partner",
        ),
        Related::ThematicAreas => (
            thematic_areas::table
                .filter(thematic_areas::id.eq_any(ids))
                .select(thematic_areas::id)
                .load(conn)?,
            "thematic area",
        ),
    };
    report_missing(p, name, ids, &existing, what);
    Ok(())
}

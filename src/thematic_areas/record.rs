//! How a thematic area is written: the shared write scripts
//! (`crate::writes`) with a thematic area's rules. Only admins write them;
//! one that a recommendation or an event uses is not deleted.

use crate::db::Conn;

use super::dto::ThematicAreaInput;
use super::model::{self, ThematicArea};
use crate::audit::{Audited, Collection};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::writes::Resource;

impl Audited for ThematicArea {
    const COLLECTION: Collection = Collection::ThematicAreas;
}

impl Resource for ThematicArea {
    const PATH: &'static str = "thematic-areas";
    const NAME: &'static str = "thematic area";
    type Input = ThematicAreaInput;

    crate::plain_queries!(model);

    /// Other records' lines name a thematic area by its slug.
    fn renames(before: &Self, after: &Self) -> bool {
        before.slug != after.slug
    }

    fn may_write_any(caller: &Caller) -> Result<(), ApiError> {
        caller.must_be_admin("write thematic areas")
    }

    fn may_read_history(caller: &Caller, _: &Self) -> Result<(), ApiError> {
        caller.must_be_admin("read a thematic area's history")
    }

    fn may_write(caller: &Caller, _: Option<&Self>) -> Result<(), ApiError> {
        caller.must_be_admin("write thematic areas")
    }

    fn needed(conn: &mut Conn, current: &Self) -> Result<(), ApiError> {
        crate::relations::ensure_thematic_area_unreferenced(conn, current.id, &current.slug)
    }
}

//! An event's links to partners and thematic areas: written with it,
//! replaced whole when it is, deleted with it.

use diesel::prelude::*;

use super::model::EventWrite;
use crate::db::Conn;
use crate::schema::{event_partners as ep, event_thematic_areas as eta};

pub(super) fn insert(conn: &mut Conn, id: i32, write: &EventWrite) -> QueryResult<()> {
    let participants: Vec<_> = write
        .partner_ids
        .iter()
        .map(|partner| (ep::event_id.eq(id), ep::partner_id.eq(partner)))
        .collect();
    crate::on_store!(conn, |c| diesel::insert_into(ep::table)
        .values(participants)
        .execute(c))?;
    let areas: Vec<_> = write
        .thematic_area_ids
        .iter()
        .map(|area| (eta::event_id.eq(id), eta::thematic_area_id.eq(area)))
        .collect();
    crate::on_store!(conn, |c| diesel::insert_into(eta::table)
        .values(areas)
        .execute(c))?;
    Ok(())
}

pub(super) fn delete(conn: &mut Conn, id: i32) -> QueryResult<()> {
    diesel::delete(ep::table.filter(ep::event_id.eq(id))).execute(conn)?;
    diesel::delete(eta::table.filter(eta::event_id.eq(id))).execute(conn)?;
    Ok(())
}

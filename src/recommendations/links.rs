//! A recommendation's links to partners and thematic areas: written with it,
//! replaced whole when it is, deleted with it.

use diesel::prelude::*;

use super::model::RecommendationWrite;
use crate::db::Conn;
use crate::schema::{recommendation_partners as rp, recommendation_thematic_areas as rta};

pub(super) fn insert(conn: &mut Conn, id: i32, write: &RecommendationWrite) -> QueryResult<()> {
    let areas: Vec<_> = write
        .thematic_area_ids
        .iter()
        .map(|area| {
            (
                rta::recommendation_id.eq(id),
                rta::thematic_area_id.eq(area),
            )
        })
        .collect();
    crate::on_store!(conn, |c| diesel::insert_into(rta::table)
        .values(areas)
        .execute(c))?;
    let proposers: Vec<_> = write
        .partner_ids
        .iter()
        .map(|partner| (rp::recommendation_id.eq(id), rp::partner_id.eq(partner)))
        .collect();
    crate::on_store!(conn, |c| diesel::insert_into(rp::table)
        .values(proposers)
        .execute(c))?;
    Ok(())
}

pub(super) fn delete(conn: &mut Conn, id: i32) -> QueryResult<()> {
    diesel::delete(rta::table.filter(rta::recommendation_id.eq(id))).execute(conn)?;
    diesel::delete(rp::table.filter(rp::recommendation_id.eq(id))).execute(conn)?;
    Ok(())
}

//! Deletes that other records still need: a 409 naming them, never a
//! silent cascade.

use diesel::prelude::*;
use diesel::sql_types::{Bool, Nullable};

use crate::db::Conn;
use crate::error::ApiError;
use crate::schema::{
    event_partners, event_thematic_areas, events, recommendation_partners,
    recommendation_thematic_areas, recommendations,
};

/// Referrers named in a 409; one more is loaded to know there are more.
const LISTED: usize = 10;

/// Slugs of the records that still point at a partner or thematic area.
#[derive(Debug, Default)]
struct Referrers {
    events: Vec<String>,
    recommendations: Vec<String>,
}

impl Referrers {
    /// A 409 naming the referrers, if there are any.
    fn refuse_delete(self, what: &str, slug: &str) -> Result<(), ApiError> {
        if self.events.is_empty() && self.recommendations.is_empty() {
            return Ok(());
        }
        let mut parts = Vec::new();
        for (kind, slugs) in [
            ("event", &self.events),
            ("recommendation", &self.recommendations),
        ] {
            let shown = slugs
                .iter()
                .take(LISTED)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ");
            match slugs.len() {
                0 => {}
                1 => parts.push(format!("1 {kind} ({shown})")),
                n if n > LISTED => parts.push(format!("more than {LISTED} {kind}s ({shown}, ...)")),
                n => parts.push(format!("{n} {kind}s ({shown})")),
            }
        }
        Err(ApiError::Conflict(
            format!(
                "The {what} '{slug}' is still referred to by {}. Remove those links first.",
                parts.join(" and ")
            ),
            Vec::new(),
        ))
    }
}

/// Which rows of `T` refer to the record being deleted.
type Refers<T> = Box<dyn BoxableExpression<T, crate::db::MultiBackend, SqlType = Nullable<Bool>>>;

impl Referrers {
    /// The first slugs (by id) of the events and recommendations that
    /// refer to the record.
    fn find(
        conn: &mut Conn,
        by_events: Refers<events::table>,
        by_recommendations: Refers<recommendations::table>,
    ) -> QueryResult<Self> {
        let events = events::table
            .filter(by_events)
            .select(events::slug)
            .order(events::id)
            .limit(LISTED as i64 + 1)
            .load(conn)?;
        let recommendations = recommendations::table
            .filter(by_recommendations)
            .select(recommendations::slug)
            .order(recommendations::id)
            .limit(LISTED as i64 + 1)
            .load(conn)?;
        Ok(Referrers {
            events,
            recommendations,
        })
    }
}

/// Refuses to delete a partner that hosts, attends or proposed something.
pub fn ensure_partner_unreferenced(conn: &mut Conn, id: i32, slug: &str) -> Result<(), ApiError> {
    let attended = event_partners::table
        .filter(event_partners::partner_id.eq(id))
        .select(event_partners::event_id);
    let proposed = recommendation_partners::table
        .filter(recommendation_partners::partner_id.eq(id))
        .select(recommendation_partners::recommendation_id);
    Referrers::find(
        conn,
        Box::new(
            events::host_partner_id
                .eq(id)
                .or(events::id.eq_any(attended)),
        ),
        Box::new(recommendations::id.eq_any(proposed).nullable()),
    )?
    .refuse_delete("partner", slug)
}

/// Refuses to delete a thematic area that an event or recommendation uses.
pub fn ensure_thematic_area_unreferenced(
    conn: &mut Conn,
    id: i32,
    slug: &str,
) -> Result<(), ApiError> {
    let events_in = event_thematic_areas::table
        .filter(event_thematic_areas::thematic_area_id.eq(id))
        .select(event_thematic_areas::event_id);
    let recommendations_in = recommendation_thematic_areas::table
        .filter(recommendation_thematic_areas::thematic_area_id.eq(id))
        .select(recommendation_thematic_areas::recommendation_id);
    Referrers::find(
        conn,
        Box::new(events::id.eq_any(events_in).nullable()),
        Box::new(recommendations::id.eq_any(recommendations_in).nullable()),
    )?
    .refuse_delete("thematic area", slug)
}

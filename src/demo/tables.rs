//! The synthetic rows, one function per table (and its links), inserted in
//! multi-row chunks. Each draws from the one generator in a fixed order, so
//! the same N always makes the same rows.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use indicatif::ProgressBar;

use super::words::{COUNTRIES, Rng, TOPICS, some_of, text};
use crate::db::Conn;
use crate::events::model::EventKind;
use crate::partners::model::Role;
use crate::recommendations::model::{RecommendationStatus, TargetLevel};
use crate::schema::{
    event_partners, event_thematic_areas, events, partners, recommendation_partners,
    recommendation_thematic_areas, recommendations,
};

/// Rows a multi-row INSERT carries (SQLite allows 32,766 bound values).
const CHUNK: usize = 2_000;

/// The kinds synthetic events take (a network has one launch and one
/// completion, which the real data holds).
const KINDS: [EventKind; 5] = [
    EventKind::TransnationalMeeting,
    EventKind::Seminar,
    EventKind::Workshop,
    EventKind::StudyVisit,
    EventKind::Other,
];

/// What the tables of one load share: its size, where each table's new ids
/// start, the real thematic areas to link to, the generator, the progress.
pub(super) struct Load<'a> {
    pub n: usize,
    pub partner_count: usize,
    pub first_partner: i32,
    pub first_recommendation: i32,
    pub first_event: i32,
    pub areas: &'a [i32],
    pub rng: Rng,
    pub bar: &'a ProgressBar,
}

impl Load<'_> {
    /// A synthetic partner, at random.
    fn partner(&mut self) -> i32 {
        self.first_partner + self.rng.below(self.partner_count) as i32
    }

    /// Distinct synthetic partners, fewer than `at_most`, sorted.
    fn some_partners(&mut self, at_most: usize) -> Vec<i32> {
        let mut picked: Vec<i32> = (0..self.rng.below(at_most))
            .map(|_| self.partner())
            .collect();
        picked.sort_unstable();
        picked.dedup();
        picked
    }

    /// `k` distinct real thematic areas, at random.
    fn some_areas(&mut self, k: usize) -> Vec<i32> {
        let areas = self.areas;
        some_of(&mut self.rng, areas.len(), k)
            .into_iter()
            .map(|n| areas[n as usize - 1])
            .collect()
    }
}

/// Timestamps the demo gives its rows: fixed, so the data is the same for
/// the same N whenever it is made.
fn stamp(i: usize) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default()
        + Duration::seconds(i as i64)
}

pub(super) fn partners(conn: &mut Conn, load: &mut Load) -> QueryResult<()> {
    load.bar.set_message("partners");
    let mut rows = Vec::with_capacity(CHUNK);
    for i in 0..load.partner_count {
        rows.push((
            partners::id.eq(load.first_partner + i as i32),
            partners::slug.eq(format!("synthetic-partner-{:07}", i + 1)),
            partners::name.eq(format!("Synthetic city-region {}", i + 1)),
            partners::city.eq(format!("Synthetic city {}", i + 1)),
            partners::country_code.eq(COUNTRIES[i % COUNTRIES.len()]),
            partners::role.eq(Role::Partner),
            partners::population.eq(Some(50_000 + (load.rng.below(3_000_000) as i64))),
            partners::created_at.eq(stamp(i)),
            partners::updated_at.eq(stamp(i)),
        ));
        if rows.len() == CHUNK || i + 1 == load.partner_count {
            crate::on_store!(conn, |c| diesel::insert_into(partners::table)
                .values(&rows)
                .execute(c))?;
            load.bar.inc(rows.len() as u64);
            rows.clear();
        }
    }
    Ok(())
}

pub(super) fn recommendations(conn: &mut Conn, load: &mut Load) -> QueryResult<()> {
    load.bar.set_message("recommendations");
    let (mut rows, mut areas, mut proposers) = (Vec::with_capacity(CHUNK), Vec::new(), Vec::new());
    for i in 0..load.n {
        let id = load.first_recommendation + i as i32;
        let topic = load.rng.pick(TOPICS);
        let title = text(&mut load.rng, 30, 90, topic);
        let body = text(&mut load.rng, 300, 800, topic);
        let level = TargetLevel::ALL[load.rng.below(TargetLevel::ALL.len())];
        let status = match load.rng.below(10) {
            0 => RecommendationStatus::Draft,
            _ => RecommendationStatus::Published,
        };
        rows.push((
            recommendations::id.eq(id),
            recommendations::slug.eq(format!("synthetic-recommendation-{:07}", i + 1)),
            recommendations::title.eq(title),
            recommendations::body.eq(body),
            recommendations::target_level.eq(level),
            recommendations::status.eq(status),
            recommendations::created_at.eq(stamp(i)),
            recommendations::updated_at.eq(stamp(i)),
        ));
        let k = 1 + load.rng.below(3);
        for area in load.some_areas(k) {
            areas.push((
                recommendation_thematic_areas::recommendation_id.eq(id),
                recommendation_thematic_areas::thematic_area_id.eq(area),
            ));
        }
        for partner in load.some_partners(4) {
            proposers.push((
                recommendation_partners::recommendation_id.eq(id),
                recommendation_partners::partner_id.eq(partner),
            ));
        }
        if rows.len() == CHUNK || i + 1 == load.n {
            crate::on_store!(conn, |c| diesel::insert_into(recommendations::table)
                .values(&rows)
                .execute(c))?;
            for chunk in areas.chunks(CHUNK) {
                crate::on_store!(conn, |c| diesel::insert_into(
                    recommendation_thematic_areas::table
                )
                .values(chunk)
                .execute(c))?;
            }
            for chunk in proposers.chunks(CHUNK) {
                crate::on_store!(conn, |c| diesel::insert_into(
                    recommendation_partners::table
                )
                .values(chunk)
                .execute(c))?;
            }
            load.bar.inc(rows.len() as u64);
            rows.clear();
            areas.clear();
            proposers.clear();
        }
    }
    Ok(())
}

pub(super) fn events(conn: &mut Conn, load: &mut Load) -> QueryResult<()> {
    load.bar.set_message("events");
    let first_day = NaiveDate::from_ymd_opt(2008, 1, 1).unwrap_or_default();
    let (mut rows, mut participants, mut areas) =
        (Vec::with_capacity(CHUNK), Vec::new(), Vec::new());
    for i in 0..load.n {
        let id = load.first_event + i as i32;
        let rng = &mut load.rng;
        let topic = rng.pick(TOPICS);
        let starts_on = first_day + Duration::days(rng.below(17 * 365) as i64);
        let ends_on =
            (rng.below(3) == 0).then(|| starts_on + Duration::days(1 + rng.below(4) as i64));
        let host = (load.rng.below(4) != 0).then(|| load.partner());
        let rng = &mut load.rng;
        let title = text(rng, 20, 60, topic);
        let kind = KINDS[rng.below(KINDS.len())];
        let city = format!("Synthetic city {}", 1 + rng.below(load.partner_count));
        let country = rng.pick(COUNTRIES);
        let description = text(rng, 100, 300, topic);
        rows.push((
            events::id.eq(id),
            events::slug.eq(format!("synthetic-event-{:07}", i + 1)),
            events::title.eq(title),
            events::kind.eq(kind),
            events::starts_on.eq(starts_on),
            events::ends_on.eq(ends_on),
            events::city.eq(Some(city)),
            events::country_code.eq(Some(country)),
            events::host_partner_id.eq(host),
            events::description.eq(Some(description)),
            events::created_at.eq(stamp(i)),
            events::updated_at.eq(stamp(i)),
        ));
        for partner in load.some_partners(5) {
            participants.push((
                event_partners::event_id.eq(id),
                event_partners::partner_id.eq(partner),
            ));
        }
        let k = load.rng.below(3);
        for area in load.some_areas(k) {
            areas.push((
                event_thematic_areas::event_id.eq(id),
                event_thematic_areas::thematic_area_id.eq(area),
            ));
        }
        if rows.len() == CHUNK / 2 || i + 1 == load.n {
            crate::on_store!(conn, |c| diesel::insert_into(events::table)
                .values(&rows)
                .execute(c))?;
            for chunk in participants.chunks(CHUNK) {
                crate::on_store!(conn, |c| diesel::insert_into(event_partners::table)
                    .values(chunk)
                    .execute(c))?;
            }
            for chunk in areas.chunks(CHUNK) {
                crate::on_store!(conn, |c| diesel::insert_into(event_thematic_areas::table)
                    .values(chunk)
                    .execute(c))?;
            }
            load.bar.inc(rows.len() as u64);
            rows.clear();
            participants.clear();
            areas.clear();
        }
    }
    Ok(())
}

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

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use indicatif::{ProgressBar, ProgressStyle};

use crate::schema::{
    event_partners, event_thematic_areas, events, partners, recommendation_partners,
    recommendation_thematic_areas, recommendations, thematic_areas,
};

/// Rows a multi-row INSERT carries (SQLite allows 32,766 bound values).
const CHUNK: usize = 2_000;

/// SplitMix64: a tiny generator whose output can never change under us
/// (a crate's RNG may change its stream between versions, and the dataset
/// must stay the same for the same N).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "city-region",
    "governance",
    "metropolitan",
    "cooperation",
    "municipalities",
    "strategy",
    "planning",
    "mobility",
    "transport",
    "housing",
    "services",
    "investment",
    "authority",
    "partnership",
    "citizens",
    "participation",
    "territorial",
    "cohesion",
    "competitiveness",
    "sustainability",
    "climate",
    "energy",
    "water",
    "waste",
    "economy",
    "knowledge",
    "research",
    "universities",
    "innovation",
    "employment",
    "skills",
    "inclusion",
    "neighbourhoods",
    "funding",
    "budget",
    "region",
    "national",
    "european",
    "local",
    "policy",
    "network",
    "coordination",
    "boundaries",
    "commuting",
    "land",
    "use",
    "density",
    "green",
    "infrastructure",
    "public",
    "private",
    "agreement",
    "board",
    "council",
    "mayor",
    "evaluation",
    "indicators",
    "data",
    "shared",
    "joint",
    "common",
    "vision",
    "long-term",
    "agency",
    "development",
    "culture",
];

/// One topic per record: each appears in about one record in a hundred,
/// which is what a realistic search finds.
const TOPICS: &[&str] = &[
    "tramway",
    "brownfield",
    "floodplain",
    "incubator",
    "ferry",
    "harbour",
    "airport",
    "campus",
    "riverfront",
    "greenbelt",
    "ringroad",
    "cycleway",
    "district-heating",
    "wastewater",
    "landfill",
    "broadband",
    "creative-quarter",
    "science-park",
    "logistics",
    "tourism",
    "heritage",
    "festival",
    "marketplace",
    "retrofit",
    "social-housing",
    "metro",
    "bus-rapid-transit",
    "park-and-ride",
    "carpool",
    "car-sharing",
    "pedestrian",
    "noise",
    "air-quality",
    "biodiversity",
    "wetland",
    "forest",
    "farmland",
    "food",
    "schools",
    "hospitals",
    "elderly",
    "youth",
    "migrants",
    "roma",
    "unemployment",
    "apprenticeships",
    "start-ups",
    "clusters",
    "exports",
    "procurement",
    "taxation",
    "equalisation",
    "fiscal",
    "bonds",
    "pensions",
    "statistics",
    "census",
    "mapping",
    "zoning",
    "masterplan",
    "densification",
    "sprawl",
    "suburbs",
    "villages",
    "periphery",
    "crossborder",
    "eurodistrict",
    "twinning",
    "referendum",
    "ombudsman",
    "transparency",
    "open-data",
    "e-government",
    "smart-city",
    "sensors",
    "resilience",
    "drought",
    "heatwave",
    "flooding",
    "coastline",
    "port",
    "rail",
    "freight",
    "canal",
    "bridge",
    "tunnel",
    "parking",
    "tolls",
    "congestion",
    "ticketing",
    "timetable",
    "night-bus",
    "stadium",
    "museum",
    "library",
    "theatre",
    "sports",
    "playgrounds",
    "allotments",
];

const COUNTRIES: &[&str] = &[
    "FR", "ES", "IT", "BG", "PL", "CZ", "NL", "BE", "DE", "AT", "PT", "SE", "FI", "DK", "IE", "HU",
    "RO", "GR", "SI", "HR",
];
const LEVELS: &[&str] = &["local", "regional", "national", "european"];
const KINDS: &[&str] = &[
    "transnational_meeting",
    "seminar",
    "workshop",
    "study_visit",
    "other",
];

/// Words up to a length between `min` and `max` characters, with `topic`
/// somewhere in them.
fn text(rng: &mut Rng, min: usize, max: usize, topic: &str) -> String {
    let target = min + rng.below(max - min);
    let mut out = String::with_capacity(target + 16);
    let (mut sentence_start, mut has_topic) = (true, false);
    while out.len() < target {
        let word = if out.len() > target / 2 && !has_topic {
            has_topic = true;
            topic
        } else {
            rng.pick(WORDS)
        };
        if sentence_start {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push_str(word);
        }
        sentence_start = rng.below(12) == 0;
        out.push_str(if sentence_start { ". " } else { " " });
    }
    if !has_topic {
        out.push_str(topic);
    }
    out.trim_end().trim_end_matches('.').to_string() + "."
}

/// `k` distinct numbers from `1..=n`, sorted.
fn some_of(rng: &mut Rng, n: usize, k: usize) -> Vec<i32> {
    let mut picked: Vec<i32> = Vec::with_capacity(k);
    while picked.len() < k.min(n) {
        let id = 1 + rng.below(n) as i32;
        if !picked.contains(&id) {
            picked.push(id);
        }
    }
    picked.sort_unstable();
    picked
}

#[derive(QueryableByName)]
struct Sql {
    #[diesel(sql_type = Text)]
    sql: String,
}

/// Loads the synthetic dataset of size `n`; the real thematic areas must be
/// there. Returns the rows inserted.
pub fn load(conn: &mut SqliteConnection, n: usize) -> anyhow::Result<usize> {
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
    // One big transaction: with a rollback journal, new pages go to the
    // database file once; in WAL mode they would be written twice (WAL, then
    // checkpoint). The server's connections switch back to WAL on start.
    conn.batch_execute(
        "PRAGMA journal_mode = DELETE; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;",
    )?;
    let inserted = conn.immediate_transaction(|conn| -> anyhow::Result<usize> {
        // Secondary indexes are built faster once, by sorting, than row by
        // row; the full-text index likewise. Both are set aside here and
        // made again below, from their own stored definitions.
        let set_aside: Vec<Sql> = diesel::sql_query(
            "SELECT sql FROM sqlite_master
             WHERE (type = 'trigger' AND name LIKE '%\\_fts\\_%' ESCAPE '\\')
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
        let first_partner: i32 = partners::table
            .select(diesel::dsl::max(partners::id))
            .first::<Option<i32>>(conn)?
            .unwrap_or(0)
            + 1;
        let first_rec: i32 = recommendations::table
            .select(diesel::dsl::max(recommendations::id))
            .first::<Option<i32>>(conn)?
            .unwrap_or(0)
            + 1;
        let first_event: i32 = events::table
            .select(diesel::dsl::max(events::id))
            .first::<Option<i32>>(conn)?
            .unwrap_or(0)
            + 1;
        let mut rng = Rng(n as u64);
        let epoch = epoch();
        let stamp = |i: usize| epoch + Duration::seconds(i as i64);

        bar.set_message("partners");
        let mut rows = Vec::with_capacity(CHUNK);
        for i in 0..partner_count {
            let country = COUNTRIES[i % COUNTRIES.len()];
            rows.push((
                partners::id.eq(first_partner + i as i32),
                partners::slug.eq(format!("synthetic-partner-{:07}", i + 1)),
                partners::name.eq(format!("Synthetic city-region {}", i + 1)),
                partners::city.eq(format!("Synthetic city {}", i + 1)),
                partners::country_code.eq(country),
                partners::role.eq("partner"),
                partners::population.eq(Some(50_000 + (rng.below(3_000_000) as i64))),
                partners::created_at.eq(stamp(i)),
                partners::updated_at.eq(stamp(i)),
            ));
            if rows.len() == CHUNK || i + 1 == partner_count {
                diesel::insert_into(partners::table)
                    .values(&rows)
                    .execute(conn)?;
                bar.inc(rows.len() as u64);
                rows.clear();
            }
        }
        let partner_id = |rng: &mut Rng| first_partner + rng.below(partner_count) as i32;

        bar.set_message("recommendations");
        let (mut recs, mut rec_areas, mut rec_partners) =
            (Vec::with_capacity(CHUNK), Vec::new(), Vec::new());
        for i in 0..n {
            let id = first_rec + i as i32;
            let topic = rng.pick(TOPICS);
            let title = text(&mut rng, 30, 90, topic);
            recs.push((
                recommendations::id.eq(id),
                recommendations::slug.eq(format!("synthetic-recommendation-{:07}", i + 1)),
                recommendations::title.eq(title),
                recommendations::body.eq(text(&mut rng, 300, 800, topic)),
                recommendations::target_level.eq(rng.pick(LEVELS)),
                recommendations::status.eq(if rng.below(10) == 0 {
                    "draft"
                } else {
                    "published"
                }),
                recommendations::created_at.eq(stamp(i)),
                recommendations::updated_at.eq(stamp(i)),
            ));
            let k = 1 + rng.below(3);
            for area in some_of(&mut rng, areas.len(), k) {
                rec_areas.push((
                    recommendation_thematic_areas::recommendation_id.eq(id),
                    recommendation_thematic_areas::thematic_area_id.eq(areas[area as usize - 1]),
                ));
            }
            let mut proposers: Vec<i32> = (0..rng.below(4)).map(|_| partner_id(&mut rng)).collect();
            proposers.sort_unstable();
            proposers.dedup();
            for partner in proposers {
                rec_partners.push((
                    recommendation_partners::recommendation_id.eq(id),
                    recommendation_partners::partner_id.eq(partner),
                ));
            }
            if recs.len() == CHUNK || i + 1 == n {
                diesel::insert_into(recommendations::table)
                    .values(&recs)
                    .execute(conn)?;
                for chunk in rec_areas.chunks(CHUNK) {
                    diesel::insert_into(recommendation_thematic_areas::table)
                        .values(chunk)
                        .execute(conn)?;
                }
                for chunk in rec_partners.chunks(CHUNK) {
                    diesel::insert_into(recommendation_partners::table)
                        .values(chunk)
                        .execute(conn)?;
                }
                bar.inc(recs.len() as u64);
                recs.clear();
                rec_areas.clear();
                rec_partners.clear();
            }
        }

        bar.set_message("events");
        let first_day = NaiveDate::from_ymd_opt(2008, 1, 1).unwrap_or_default();
        let (mut evts, mut evt_partners, mut evt_areas) =
            (Vec::with_capacity(CHUNK), Vec::new(), Vec::new());
        for i in 0..n {
            let id = first_event + i as i32;
            let topic = rng.pick(TOPICS);
            let starts_on = first_day + Duration::days(rng.below(17 * 365) as i64);
            let ends_on =
                (rng.below(3) == 0).then(|| starts_on + Duration::days(1 + rng.below(4) as i64));
            let host = (rng.below(4) != 0).then(|| partner_id(&mut rng));
            evts.push((
                events::id.eq(id),
                events::slug.eq(format!("synthetic-event-{:07}", i + 1)),
                events::title.eq(text(&mut rng, 20, 60, topic)),
                events::kind.eq(rng.pick(KINDS)),
                events::starts_on.eq(starts_on),
                events::ends_on.eq(ends_on),
                events::city.eq(Some(format!(
                    "Synthetic city {}",
                    1 + rng.below(partner_count)
                ))),
                events::country_code.eq(Some(rng.pick(COUNTRIES))),
                events::host_partner_id.eq(host),
                events::description.eq(Some(text(&mut rng, 100, 300, topic))),
                events::created_at.eq(stamp(i)),
                events::updated_at.eq(stamp(i)),
            ));
            let mut participants: Vec<i32> =
                (0..rng.below(5)).map(|_| partner_id(&mut rng)).collect();
            participants.sort_unstable();
            participants.dedup();
            for partner in participants {
                evt_partners.push((
                    event_partners::event_id.eq(id),
                    event_partners::partner_id.eq(partner),
                ));
            }
            let k = rng.below(3);
            for area in some_of(&mut rng, areas.len(), k) {
                evt_areas.push((
                    event_thematic_areas::event_id.eq(id),
                    event_thematic_areas::thematic_area_id.eq(areas[area as usize - 1]),
                ));
            }
            if evts.len() == CHUNK / 2 || i + 1 == n {
                diesel::insert_into(events::table)
                    .values(&evts)
                    .execute(conn)?;
                for chunk in evt_partners.chunks(CHUNK) {
                    diesel::insert_into(event_partners::table)
                        .values(chunk)
                        .execute(conn)?;
                }
                for chunk in evt_areas.chunks(CHUNK) {
                    diesel::insert_into(event_thematic_areas::table)
                        .values(chunk)
                        .execute(conn)?;
                }
                bar.inc(evts.len() as u64);
                evts.clear();
                evt_partners.clear();
                evt_areas.clear();
            }
        }

        bar.set_message("search index");
        log::debug!("rows in after {:?}", bar.elapsed());
        for item in &set_aside {
            conn.batch_execute(&item.sql)?;
        }
        for table in ["partners", "thematic_areas", "recommendations", "events"] {
            conn.batch_execute(&format!(
                "INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')"
            ))?;
        }
        log::debug!("search index rebuilt after {:?}", bar.elapsed());
        Ok(partner_count + 2 * n)
    })?;
    log::debug!("committed after {:?}", bar.elapsed());
    bar.finish_with_message("done");
    conn.batch_execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA optimize;")?;
    Ok(inserted)
}

/// Timestamps the demo gives its rows: fixed, so the data is the same for
/// the same N whenever it is made.
fn epoch() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default()
}

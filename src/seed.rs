//! The built-in dataset: the real JOINING FORCES records (see
//! `shared/seed/FACTS.md`). Only facts: what the sources do not say
//! (populations, web sites, regions' own names, where the launch and the
//! final conference took place, who attended) stays empty. There are no
//! recommendations: the sources give none of their texts.

use diesel::prelude::*;

use chrono::NaiveDate;

use crate::db::Conn;
use crate::error::ApiError;
use crate::events::model::{self as events, EventForm, EventKind, EventWrite};
use crate::partners::model::{self as partners, PartnerForm, Role};
use crate::schema;
use crate::thematic_areas::model::{self as thematic_areas, ThematicAreaForm};
use crate::writes::Resource;

/// slug, name, city, country, role, latitude, longitude (city centre, WGS 84).
const PARTNERS: [(&str, &str, &str, &str, Role, f64, f64); 8] = [
    (
        "lille-metropole",
        "Lille Métropole",
        "Lille",
        "FR",
        Role::LeadPartner,
        50.6292,
        3.0573,
    ),
    (
        "seville",
        "Seville",
        "Seville",
        "ES",
        Role::Partner,
        37.3891,
        -5.9845,
    ),
    (
        "florence",
        "Florence",
        "Florence",
        "IT",
        Role::Partner,
        43.7696,
        11.2558,
    ),
    (
        "burgas",
        "Burgas",
        "Burgas",
        "BG",
        Role::Partner,
        42.5048,
        27.4626,
    ),
    (
        "krakow",
        "Kraków",
        "Kraków",
        "PL",
        Role::Partner,
        50.0647,
        19.9450,
    ),
    (
        "brno",
        "Brno",
        "Brno",
        "CZ",
        Role::Partner,
        49.1951,
        16.6068,
    ),
    (
        "eindhoven",
        "Eindhoven",
        "Eindhoven",
        "NL",
        Role::Partner,
        51.4416,
        5.4697,
    ),
    (
        "brussels-capital-region",
        "Brussels-Capital Region",
        "Brussels",
        "BE",
        Role::Partner,
        50.8503,
        4.3517,
    ),
];

/// slug, name, description; in the order the network's page lists them.
const THEMATIC_AREAS: [(&str, &str, Option<&str>); 7] = [
    (
        "strategy-and-spatial-planning",
        "Strategy and spatial planning",
        None,
    ),
    (
        "mobility-management-and-transport",
        "Mobility management and transport",
        None,
    ),
    (
        "main-environmental-issues",
        "Main environmental issues",
        Some("Water supply, waste disposal, etc."),
    ),
    (
        "knowledge-economy",
        "Knowledge economy",
        Some("Creativity, research and education."),
    ),
    (
        "governance",
        "Governance",
        Some("Public/public and public/private arrangements."),
    ),
    (
        "social-inclusion",
        "Social inclusion, participation, empowerment",
        None,
    ),
    (
        "attractiveness-and-competitiveness",
        "Attractiveness and competitiveness",
        Some("Including promotion and marketing."),
    ),
];

/// slug, title, kind, first day, city and country when known, description,
/// and the page the facts come from.
type SeedEvent = (
    &'static str,
    &'static str,
    EventKind,
    (i32, u32, u32),
    Option<(&'static str, &'static str)>,
    Option<&'static str>,
    &'static str,
);

const EVENTS: [SeedEvent; 4] = [
    (
        "joining-forces-launch",
        "JOINING FORCES project launch",
        EventKind::Launch,
        (2008, 4, 21),
        None,
        None,
        "https://urbact.eu/networks/joining-forces",
    ),
    (
        "citylab-managing-metropolitan-areas",
        "URBACT CityLab on managing metropolitan areas",
        EventKind::Other,
        (2010, 2, 12),
        Some(("Lille", "FR")),
        Some("Held a few months before the first URBACT Working Groups were completed."),
        "https://archive.urbact.eu/node/5933",
    ),
    (
        "joining-forces-final-conference",
        "JOINING FORCES final conference",
        EventKind::Other,
        (2010, 5, 18),
        None,
        None,
        "https://archive.urbact.eu/node/4887",
    ),
    (
        "joining-forces-completion",
        "JOINING FORCES project completed",
        EventKind::Completion,
        (2010, 5, 26),
        None,
        None,
        "https://urbact.eu/networks/joining-forces",
    ),
];

/// Rows the seed added.
#[derive(Debug, Default, PartialEq)]
pub struct SeedReport {
    pub partners: usize,
    pub thematic_areas: usize,
    pub events: usize,
}

/// Whether the database holds no records at all.
pub fn is_empty(conn: &mut Conn) -> QueryResult<bool> {
    let partners: i64 = schema::partners::table.count().get_result(conn)?;
    let areas: i64 = schema::thematic_areas::table.count().get_result(conn)?;
    let events: i64 = schema::events::table.count().get_result(conn)?;
    let recommendations: i64 = schema::recommendations::table.count().get_result(conn)?;
    Ok(partners + areas + events + recommendations == 0)
}

/// Adds every built-in record whose slug is not there yet, in one
/// transaction: running it twice changes nothing.
pub fn load(conn: &mut Conn) -> Result<SeedReport, ApiError> {
    crate::db::write_transaction(conn, |conn| {
        let mut report = SeedReport::default();
        for (slug, name, city, country, role, latitude, longitude) in PARTNERS {
            let query = schema::partners::table.filter(schema::partners::slug.eq(slug));
            if query.count().get_result::<i64>(conn)? == 0 {
                let form = PartnerForm {
                    slug: slug.into(),
                    name: name.into(),
                    city: city.into(),
                    country_code: country.into(),
                    role,
                    region: None,
                    population: None,
                    latitude: Some(latitude),
                    longitude: Some(longitude),
                    website: None,
                    description: None,
                };
                // The rule every write keeps: one lead partner, named when
                // there is already another.
                <partners::Partner as Resource>::clashes(conn, &form, None)?;
                partners::insert(conn, form)?;
                report.partners += 1;
            }
        }
        for (position, (slug, name, description)) in (1..).zip(THEMATIC_AREAS) {
            let query = schema::thematic_areas::table.filter(schema::thematic_areas::slug.eq(slug));
            if query.count().get_result::<i64>(conn)? == 0 {
                thematic_areas::insert(
                    conn,
                    ThematicAreaForm {
                        slug: slug.into(),
                        name: name.into(),
                        description: description.map(Into::into),
                        position: Some(position),
                    },
                )?;
                report.thematic_areas += 1;
            }
        }
        for (slug, title, kind, (year, month, day), place, description, url) in EVENTS {
            let query = schema::events::table.filter(schema::events::slug.eq(slug));
            if query.count().get_result::<i64>(conn)? == 0 {
                let starts_on = NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
                    ApiError::Internal(anyhow::anyhow!("bad seed date for {slug}"))
                })?;
                events::insert(
                    conn,
                    EventWrite {
                        form: EventForm {
                            slug: slug.into(),
                            title: title.into(),
                            kind,
                            starts_on,
                            ends_on: None,
                            city: place.map(|(city, _)| city.into()),
                            country_code: place.map(|(_, country)| country.into()),
                            host_partner_id: None,
                            description: description.map(Into::into),
                            url: Some(url.into()),
                        },
                        partner_ids: Vec::new(),
                        thematic_area_ids: Vec::new(),
                    },
                )?;
                report.events += 1;
            }
        }
        Ok(report)
    })
}

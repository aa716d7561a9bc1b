//! The built-in dataset: the real JOINING FORCES records (see
//! `shared/seed/FACTS.md`). Only facts: what the sources do not say
//! (populations, web sites, regions' own names) stays empty.

use diesel::prelude::*;

use crate::error::ApiError;
use crate::partners::model::{self as partners, PartnerForm, Role};
use crate::schema;
use crate::thematic_areas::model::{self as thematic_areas, ThematicAreaForm};

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

/// Rows the seed added.
#[derive(Debug, Default, PartialEq)]
pub struct SeedReport {
    pub partners: usize,
    pub thematic_areas: usize,
}

/// Whether the database holds no partners and no thematic areas.
pub fn is_empty(conn: &mut SqliteConnection) -> QueryResult<bool> {
    let partners: i64 = schema::partners::table.count().get_result(conn)?;
    let areas: i64 = schema::thematic_areas::table.count().get_result(conn)?;
    Ok(partners == 0 && areas == 0)
}

/// Adds every built-in record whose slug is not there yet, in one
/// transaction: running it twice changes nothing.
pub fn load(conn: &mut SqliteConnection) -> Result<SeedReport, ApiError> {
    conn.immediate_transaction(|conn| {
        let mut report = SeedReport::default();
        for (slug, name, city, country, role, latitude, longitude) in PARTNERS {
            let query = schema::partners::table.filter(schema::partners::slug.eq(slug));
            if query.count().get_result::<i64>(conn)? == 0 {
                partners::create(
                    conn,
                    PartnerForm {
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
                    },
                )?;
                report.partners += 1;
            }
        }
        for (position, (slug, name, description)) in (1..).zip(THEMATIC_AREAS) {
            let query = schema::thematic_areas::table.filter(schema::thematic_areas::slug.eq(slug));
            if query.count().get_result::<i64>(conn)? == 0 {
                thematic_areas::create(
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
        Ok(report)
    })
}

//! The built-in dataset: the real JOINING FORCES records, loaded once.

use city_region_api::db::Conn;
use serde_json::Value;

use city_region_api::db::connect_and_migrate;
use city_region_api::seed::{self, SeedReport};

use crate::helpers::seeded_app;

#[actix_web::test]
async fn the_built_in_partners_are_the_eight_real_ones() {
    let app = seeded_app().await;
    let partners = app.get("/api/v1/partners?limit=100").await.body["data"].clone();
    let rows: Vec<(String, String, String, String, f64, f64)> = partners
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["slug"].as_str().unwrap().into(),
                p["country_code"].as_str().unwrap().into(),
                p["role"].as_str().unwrap().into(),
                p["city"].as_str().unwrap().into(),
                p["latitude"].as_f64().unwrap(),
                p["longitude"].as_f64().unwrap(),
            )
        })
        .collect();
    let expected = [
        (
            "lille-metropole",
            "FR",
            "lead_partner",
            "Lille",
            50.6292,
            3.0573,
        ),
        ("seville", "ES", "partner", "Seville", 37.3891, -5.9845),
        ("florence", "IT", "partner", "Florence", 43.7696, 11.2558),
        ("burgas", "BG", "partner", "Burgas", 42.5048, 27.4626),
        ("krakow", "PL", "partner", "Kraków", 50.0647, 19.9450),
        ("brno", "CZ", "partner", "Brno", 49.1951, 16.6068),
        ("eindhoven", "NL", "partner", "Eindhoven", 51.4416, 5.4697),
        (
            "brussels-capital-region",
            "BE",
            "partner",
            "Brussels",
            50.8503,
            4.3517,
        ),
    ];
    let expected: Vec<(String, String, String, String, f64, f64)> = expected
        .iter()
        .map(|(s, c, r, city, la, lo)| {
            (
                s.to_string(),
                c.to_string(),
                r.to_string(),
                city.to_string(),
                *la,
                *lo,
            )
        })
        .collect();
    assert_eq!(rows, expected);
    // What the sources do not say stays empty.
    for p in partners.as_array().unwrap() {
        for unknown in ["population", "website", "region", "description"] {
            assert_eq!(p[unknown], Value::Null, "{} {unknown}", p["slug"]);
        }
    }
}

#[actix_web::test]
async fn the_built_in_thematic_areas_are_the_seven_real_ones_in_page_order() {
    let app = seeded_app().await;
    let areas = app.get("/api/v1/thematic-areas").await.body["data"].clone();
    let rows: Vec<(String, i64)> = areas
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["name"].as_str().unwrap().to_string(),
                t["position"].as_i64().unwrap(),
            )
        })
        .collect();
    let names = [
        "Strategy and spatial planning",
        "Mobility management and transport",
        "Main environmental issues",
        "Knowledge economy",
        "Governance",
        "Social inclusion, participation, empowerment",
        "Attractiveness and competitiveness",
    ];
    let expected: Vec<(String, i64)> = names
        .iter()
        .zip(1..)
        .map(|(n, i)| (n.to_string(), i))
        .collect();
    assert_eq!(rows, expected);
}

#[test]
fn seeding_twice_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::helpers::database_url(&dir, "seed.db");
    let mut conn = connect_and_migrate(&path).unwrap();
    assert!(seed::is_empty(&mut conn).unwrap());
    assert_eq!(
        seed::load(&mut conn).unwrap(),
        SeedReport {
            partners: 8,
            thematic_areas: 7,
            events: 4
        }
    );
    assert!(!seed::is_empty(&mut conn).unwrap());
    let dump = |conn: &mut Conn| {
        use diesel::prelude::*;
        let partners: Vec<(i32, String, chrono::NaiveDateTime)> =
            city_region_api::schema::partners::table
                .select((
                    city_region_api::schema::partners::id,
                    city_region_api::schema::partners::slug,
                    city_region_api::schema::partners::updated_at,
                ))
                .load(conn)
                .unwrap();
        let areas: Vec<(i32, String, chrono::NaiveDateTime)> =
            city_region_api::schema::thematic_areas::table
                .select((
                    city_region_api::schema::thematic_areas::id,
                    city_region_api::schema::thematic_areas::slug,
                    city_region_api::schema::thematic_areas::updated_at,
                ))
                .load(conn)
                .unwrap();
        let events: Vec<(i32, String, chrono::NaiveDateTime)> =
            city_region_api::schema::events::table
                .select((
                    city_region_api::schema::events::id,
                    city_region_api::schema::events::slug,
                    city_region_api::schema::events::updated_at,
                ))
                .load(conn)
                .unwrap();
        (partners, areas, events)
    };
    let before = dump(&mut conn);
    assert_eq!(seed::load(&mut conn).unwrap(), SeedReport::default());
    assert_eq!(dump(&mut conn), before);
}

#[actix_web::test]
async fn the_built_in_events_are_the_four_dated_facts_and_link_to_nothing_invented() {
    let app = seeded_app().await;
    let events = app.get("/api/v1/events").await.body["data"].clone();
    let rows: Vec<(String, String, String, Value, Value)> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["slug"].as_str().unwrap().into(),
                e["kind"].as_str().unwrap().into(),
                e["starts_on"].as_str().unwrap().into(),
                e["city"].clone(),
                e["country_code"].clone(),
            )
        })
        .collect();
    let expected = vec![
        (
            "joining-forces-launch".to_string(),
            "launch".to_string(),
            "2008-04-21".to_string(),
            Value::Null,
            Value::Null,
        ),
        (
            "citylab-managing-metropolitan-areas".into(),
            "other".into(),
            "2010-02-12".into(),
            "Lille".into(),
            "FR".into(),
        ),
        (
            "joining-forces-final-conference".into(),
            "other".into(),
            "2010-05-18".into(),
            Value::Null,
            Value::Null,
        ),
        (
            "joining-forces-completion".into(),
            "completion".into(),
            "2010-05-26".into(),
            Value::Null,
            Value::Null,
        ),
    ];
    assert_eq!(rows, expected);
    for e in events.as_array().unwrap() {
        assert_eq!(e["host_partner"], Value::Null, "{}", e["slug"]);
        assert_eq!(e["partners"], serde_json::json!([]), "{}", e["slug"]);
        assert_eq!(e["thematic_areas"], serde_json::json!([]), "{}", e["slug"]);
        assert!(
            e["url"].as_str().is_some_and(|u| u.starts_with("https://")),
            "{}",
            e["slug"]
        );
    }
    // No recommendation texts exist in the sources, so none are built in.
    assert_eq!(
        app.get("/api/v1/recommendations").await.body["meta"]["total"],
        0
    );
}

/// Every synthetic row, as text, in id order.
fn demo_dump(path: &str) -> Vec<String> {
    use diesel::prelude::*;
    use diesel::sql_types::Text;
    #[derive(QueryableByName)]
    struct Line {
        #[diesel(sql_type = Text)]
        line: String,
    }
    let mut conn = connect_and_migrate(path).unwrap();
    diesel::sql_query(
        "SELECT slug || '|' || title || '|' || body || '|' || target_level || '|' || status AS line FROM recommendations
         UNION ALL SELECT slug || '|' || title || '|' || CAST(starts_on AS TEXT) || '|' || coalesce(CAST(ends_on AS TEXT), '') || '|' || coalesce(CAST(host_partner_id AS TEXT), '') AS line FROM events
         UNION ALL SELECT slug || '|' || name || '|' || country_code || '|' || coalesce(CAST(population AS TEXT), '') AS line FROM partners
         UNION ALL SELECT 'rta ' || recommendation_id || ' ' || thematic_area_id AS line FROM recommendation_thematic_areas
         UNION ALL SELECT 'ep ' || event_id || ' ' || partner_id AS line FROM event_partners",
    )
    .load::<Line>(&mut conn)
    .unwrap()
    .into_iter()
    .map(|l| l.line)
    .collect()
}

#[test]
fn the_demo_dataset_is_the_same_for_the_same_n_and_apart_from_the_real_data() {
    let made: Vec<_> = (0..2)
        .map(|_| {
            let dir = tempfile::tempdir().unwrap();
            let path = crate::helpers::database_url(&dir, "demo.db");
            let mut conn = connect_and_migrate(&path).unwrap();
            seed::load(&mut conn).unwrap();
            assert_eq!(
                city_region_api::demo::load(&mut conn, 300).unwrap(),
                3 + 600
            );
            assert!(
                city_region_api::demo::load(&mut conn, 300).is_err(),
                "a second demo load is refused"
            );
            (dir, path)
        })
        .collect();
    let (first, second) = (demo_dump(&made[0].1), demo_dump(&made[1].1));
    assert_eq!(first, second);
    let synthetic = |prefix: &str| first.iter().filter(|l| l.starts_with(prefix)).count();
    assert_eq!(synthetic("synthetic-recommendation-"), 300);
    assert_eq!(synthetic("synthetic-event-"), 300);
    assert_eq!(synthetic("synthetic-partner-"), 3);
    // Bodies of 300 to 800 characters.
    for line in first
        .iter()
        .filter(|l| l.starts_with("synthetic-recommendation-"))
    {
        let body = line.split('|').nth(2).unwrap();
        assert!(
            (300..=820).contains(&body.chars().count()),
            "{}",
            body.len()
        );
    }
    // The real records are as the seed made them, and searchable with the rest.
    assert!(
        first
            .iter()
            .any(|l| l.starts_with("lille-metropole|Lille Métropole|FR"))
    );
    assert_eq!(
        first
            .iter()
            .filter(|l| !l.starts_with("synthetic-")
                && !l.starts_with("rta ")
                && !l.starts_with("ep "))
            .count(),
        8 + 4
    );
}

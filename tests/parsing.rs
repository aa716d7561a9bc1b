//! Property tests over the request-parsing layer: query strings, cursors,
//! `If-Match`, and arbitrary JSON bodies into the checked input types.
//! Whatever comes in, the answer is a value or a 400/422, never a panic; and
//! where the spec states a rule as a pattern, the server's rule and the
//! pattern agree on every input. Case counts are bounded so `cargo test`
//! stays quick.

use std::cell::RefCell;

use actix_web::ResponseError;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use city_region_api::db::Conn;
use diesel::{Connection, SqliteConnection};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use city_region_api::collection::ListParams;
use city_region_api::error::ApiError;
use city_region_api::input::{Field, Problems, parse_object};
use city_region_api::paging::ListQuery;
use city_region_api::writes::RecordInput;
use city_region_api::{events, http, partners, recommendations, rules, thematic_areas};

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// The generated spec, read as a client reads it.
fn spec() -> Value {
    serde_json::to_value(city_region_api::app::openapi()).unwrap()
}

fn client_error(e: &ApiError) -> u16 {
    e.status_code().as_u16()
}

/// Strings over `alphabet`, up to `max` characters: small alphabets of the
/// characters a rule turns on find the edges quicker than any string would.
fn strings_of(alphabet: &'static [char], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(alphabet), 0..=max)
        .prop_map(|chars| chars.into_iter().collect())
}

#[test]
fn if_match_parser_and_spec_pattern_agree() {
    let spec = spec();
    let parameter = spec["paths"]["/api/v1/partners/{id}"]["patch"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "If-Match")
        .unwrap()
        .clone();
    let pattern = regex::Regex::new(parameter["schema"]["pattern"].as_str().unwrap()).unwrap();
    const ALPHABET: &[char] = &['"', 'W', '/', ',', ' ', '\t', '*', 'a', '!', '#', '~', 'é'];
    let mut runner = TestRunner::new(config(4000));
    runner
        .run(&strings_of(ALPHABET, 12), |value| {
            prop_assert_eq!(
                http::parse_if_match(&value).is_some(),
                pattern.is_match(&value),
                "{:?}",
                value
            );
            Ok(())
        })
        .unwrap();
}

#[test]
fn text_rule_and_spec_pattern_agree() {
    let spec = spec();
    // Every text field of every input type carries one of two patterns:
    // names and titles (at most 200 characters) the name pattern, longer
    // texts the text pattern.
    let (mut names, mut texts) = (0, 0);
    for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
        let Some(properties) = schema["properties"].as_object() else {
            continue;
        };
        for (field, property) in properties {
            if property["minLength"] == 1 && field != "slug" {
                if property["maxLength"] == 200 {
                    assert_eq!(property["pattern"], rules::NAME_PATTERN, "{name}.{field}");
                    names += 1;
                } else {
                    assert_eq!(property["pattern"], rules::TEXT_PATTERN, "{name}.{field}");
                    texts += 1;
                }
            }
        }
    }
    assert!(names >= 10 && texts >= 6, "{names} names, {texts} texts");
    let pattern = regex::Regex::new(rules::TEXT_PATTERN).unwrap();
    const ALPHABET: &[char] = &[
        'a', ' ', '\t', '\n', '\r', '\0', '\u{7}', '\u{b}', '\u{1b}', '\u{1c}', '\u{1f}', '\u{7f}',
        '\u{85}', '\u{a0}', '\u{2028}', '\u{3000}', '\u{feff}', 'ł',
    ];
    let mut runner = TestRunner::new(config(4000));
    runner
        .run(&strings_of(ALPHABET, 6), |value| {
            let mut p = Problems::default();
            rules::required_text(&mut p, "description", Field::Value(value.clone()), 20_000);
            prop_assert_eq!(
                p.finish(|| ()).is_ok(),
                pattern.is_match(&value),
                "{:?}",
                value
            );
            Ok(())
        })
        .unwrap();
}

#[test]
fn name_rule_and_spec_pattern_agree() {
    let pattern = regex::Regex::new(rules::NAME_PATTERN).unwrap();
    // Visible letters, blanks, controls, and the invisible and
    // bidirectional characters the rule names.
    const ALPHABET: &[char] = &[
        'a',
        'ł',
        ' ',
        '\t',
        '\n',
        '\0',
        '\u{1f}',
        '\u{7f}',
        '\u{85}',
        '\u{a0}',
        '\u{ad}',
        '\u{200b}',
        '\u{200d}',
        '\u{200f}',
        '\u{202a}',
        '\u{202e}',
        '\u{2060}',
        '\u{2066}',
        '\u{2069}',
        '\u{3164}',
        '\u{fe0f}',
        '\u{feff}',
        '\u{1f600}',
    ];
    let mut runner = TestRunner::new(config(4000));
    runner
        .run(&strings_of(ALPHABET, 5), |value| {
            let mut p = Problems::default();
            rules::required_name(&mut p, "name", Field::Value(value.clone()));
            prop_assert_eq!(
                p.finish(|| ()).is_ok(),
                pattern.is_match(&value),
                "{:?}",
                value
            );
            Ok(())
        })
        .unwrap();
}

#[test]
fn every_url_the_server_takes_is_a_real_http_url() {
    const ALPHABET: &[char] = &[
        'h', 't', 'p', 's', ':', '/', '.', 'a', '0', '9', '-', '?', '#', '%', ' ', '@',
    ];
    let prefixed = strings_of(ALPHABET, 24).prop_map(|rest| format!("https://{rest}"));
    let mut runner = TestRunner::new(config(4000));
    runner
        .run(&prop_oneof![strings_of(ALPHABET, 24), prefixed], |value| {
            if rules::is_url(&value) {
                let parsed = url::Url::parse(&value);
                prop_assert!(parsed.is_ok(), "{:?}: {:?}", value, parsed);
                let parsed = parsed.unwrap();
                prop_assert!(matches!(parsed.scheme(), "http" | "https"));
                prop_assert!(parsed.has_host());
            }
            Ok(())
        })
        .unwrap();
}

/// A migrated, seeded database for the lists that resolve slugs.
fn seeded() -> (tempfile::TempDir, Conn) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("parsing.db");
    let mut conn = city_region_api::db::connect_and_migrate(path.to_str().unwrap()).unwrap();
    city_region_api::seed::load(&mut conn).unwrap();
    (dir, conn)
}

/// Parses `query` as collection `Q`'s list would, through to the SQL
/// listing: a 400 or a listing.
fn listing<Q: ListParams + DeserializeOwned>(conn: &mut Conn, query: &str) -> Result<(), ApiError> {
    let q = ListQuery::<Q>::parse(query)?;
    q.filters
        .listing(conn, &q.page, Default::default())
        .map(drop)
}

/// Parses `query` as each collection's list would, through to the SQL
/// listing (cursor included): a 400 or a listing.
fn check_query(conn: &mut Conn, query: &str) -> Result<(), TestCaseError> {
    let results = [
        listing::<partners::dto::PartnerQuery>(conn, query),
        listing::<thematic_areas::dto::ThematicAreaQuery>(conn, query),
        listing::<recommendations::dto::RecommendationQuery>(conn, query),
        listing::<events::dto::EventQuery>(conn, query),
    ];
    for result in results {
        if let Err(e) = result {
            prop_assert_eq!(client_error(&e), 400, "{:?}: {:?}", query, e);
        }
    }
    Ok(())
}

fn query_strings() -> impl Strategy<Value = String> {
    let names = prop::sample::select(vec![
        "limit",
        "cursor",
        "sort",
        "q",
        "country",
        "role",
        "kind",
        "partner",
        "thematic_area",
        "target_level",
        "status",
        "from",
        "to",
        "colour",
        "",
    ]);
    let values = prop_oneof![
        Just(String::new()),
        "[0-9]{1,20}",
        "-?[a-z_]{1,12}(,-?[a-z_]{1,12}){0,3}",
        "[A-Z]{2}(,[A-Z]{2}){0,2}",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}",
        "[A-Za-z0-9_-]{0,40}",
        any::<String>(),
    ];
    let pair = (names, values).prop_map(|(name, value)| {
        url::form_urlencoded::Serializer::new(String::new())
            .append_pair(name, &value)
            .finish()
    });
    prop_oneof![
        prop::collection::vec(pair, 0..5).prop_map(|pairs| pairs.join("&")),
        any::<String>(),
        "[&=%a-z0-9,+-]{0,40}",
    ]
}

#[test]
fn any_query_string_is_a_listing_or_a_400() {
    let (_dir, conn) = seeded();
    let conn = RefCell::new(conn);
    let mut runner = TestRunner::new(config(1500));
    runner
        .run(&query_strings(), |query| {
            check_query(&mut conn.borrow_mut(), &query)
        })
        .unwrap();
}

#[test]
fn forged_and_truncated_cursors_are_400s() {
    let (_dir, conn) = seeded();
    let conn = RefCell::new(conn);
    // A cursor as the server makes one, for `sort=name`, then every strict
    // prefix of it, and arbitrary bytes and JSON in cursor form.
    let real = URL_SAFE_NO_PAD.encode(json!({"s": "name,id", "v": ["Brno", 4]}).to_string());
    {
        let mut conn = conn.borrow_mut();
        let whole =
            listing::<partners::dto::PartnerQuery>(&mut conn, &format!("sort=name&cursor={real}"));
        assert!(whole.is_ok(), "the server's own cursor form: {whole:?}");
        for end in 0..real.len() {
            let query = format!("sort=name&cursor={}", &real[..end]);
            let parsed = listing::<partners::dto::PartnerQuery>(&mut conn, &query);
            let e = parsed.expect_err(&query);
            assert_eq!(client_error(&e), 400, "{query}");
            check_query(&mut conn, &query).unwrap();
        }
    }
    let payloads = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..64).prop_map(|bytes| URL_SAFE_NO_PAD.encode(bytes)),
        json_values().prop_map(|v| URL_SAFE_NO_PAD.encode(v.to_string())),
        (json_values(), json_values())
            .prop_map(|(s, v)| URL_SAFE_NO_PAD.encode(json!({"s": s, "v": v}).to_string())),
        any::<String>(),
    ];
    let sorts = prop::sample::select(vec![
        "",
        "sort=name&",
        "sort=-population&",
        "sort=starts_on&",
        "q=lille&",
    ]);
    let mut runner = TestRunner::new(config(1500));
    runner
        .run(&(sorts, payloads), |(sort, cursor)| {
            let query = format!(
                "{sort}{}",
                url::form_urlencoded::Serializer::new(String::new())
                    .append_pair("cursor", &cursor)
                    .finish()
            );
            check_query(&mut conn.borrow_mut(), &query)
        })
        .unwrap();
}

fn json_values() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        (-1000i64..1000).prop_map(|n| json!(n as f64)),
        ".{0,12}".prop_map(Value::from),
        prop::sample::select(vec![
            "",
            " ",
            "Lille",
            "FR",
            "lead_partner",
            "2010-02-30",
            "2009-03-12",
            "https://x.org/",
            "\u{0}",
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(".{0,6}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Objects whose keys are mostly the input types' own field names.
fn bodies() -> impl Strategy<Value = Map<String, Value>> {
    let keys = prop_oneof![
        4 => prop::sample::select(vec![
            "slug", "name", "city", "country_code", "role", "region", "population", "latitude",
            "longitude", "website", "description", "position", "id", "created_at",
        ])
        .prop_map(String::from),
        1 => ".{0,8}",
    ];
    prop::collection::btree_map(keys, json_values(), 0..8).prop_map(|m| m.into_iter().collect())
}

#[test]
fn any_json_object_is_a_checked_form_or_a_400_or_422() {
    let mut runner = TestRunner::new(config(3000));
    // Partners' and thematic areas' rules never read the database.
    let memory = RefCell::new(Conn::Sqlite(
        SqliteConnection::establish(":memory:").unwrap(),
    ));
    runner
        .run(&bodies(), |body| {
            let mut memory = memory.borrow_mut();
            let partner = parse_object::<partners::dto::PartnerInput>(body.clone())
                .and_then(|(input, problems)| input.form(&mut memory, problems, None));
            match partner {
                Ok(form) => {
                    // What passed is what the rules promise.
                    prop_assert!(rules::is_slug(&form.slug), "{:?}", form.slug);
                    prop_assert!(!form.name.is_empty() && form.name.trim() == form.name);
                    prop_assert!(rules::is_country_code(&form.country_code));
                    prop_assert_eq!(form.latitude.is_some(), form.longitude.is_some());
                    prop_assert!(form.population.is_none_or(|n| n > 0));
                    prop_assert!(form.website.as_deref().is_none_or(rules::is_url));
                }
                Err(e) => {
                    prop_assert!(matches!(client_error(&e), 400 | 422), "{:?}: {:?}", body, e)
                }
            }
            let area = parse_object::<thematic_areas::dto::ThematicAreaInput>(body.clone())
                .and_then(|(input, problems)| input.form(&mut memory, problems, None));
            if let Err(e) = area {
                prop_assert!(matches!(client_error(&e), 400 | 422), "{:?}: {:?}", body, e);
            }
            Ok(())
        })
        .unwrap();
}

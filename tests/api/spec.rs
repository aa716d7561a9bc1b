//! The committed spec is what the code generates, and it is complete.

use serde_json::Value;

use crate::helpers::seeded_app;

const COMMITTED: &str = include_str!("../../openapi/openapi.json");

/// The spec as the code makes it, in the committed file's format.
fn generated() -> String {
    let mut text = serde_json::to_string_pretty(&city_region_api::app::openapi()).unwrap();
    text.push('\n');
    text
}

#[test]
fn committed_spec_matches_the_code() {
    let generated = generated();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(
            concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json"),
            &generated,
        )
        .unwrap();
        return;
    }
    assert!(
        COMMITTED == generated,
        "openapi/openapi.json is stale: run `UPDATE_OPENAPI=1 cargo test --test api spec` \
         (or `cargo run -- openapi > openapi/openapi.json`) and commit the result"
    );
}

#[actix_web::test]
async fn the_served_spec_is_the_generated_one() {
    let app = seeded_app().await;
    let served = app.get("/api-docs/openapi.json").await;
    assert_eq!(served.status, 200);
    let generated: Value = serde_json::from_str(&generated()).unwrap();
    assert_eq!(served.body, generated);
}

/// The spec as the code generates it, as JSON.
pub fn spec_json() -> Value {
    serde_json::to_value(city_region_api::app::openapi()).unwrap()
}

/// One parameter of one operation, as the code generates the spec.
pub fn operation_parameter(path: &str, method: &str, name: &str) -> Value {
    spec_json()["paths"][path][method]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("{method} {path} has no parameter {name}"))
        .clone()
}

pub fn resolve<'a>(spec: &'a Value, reference: &str) -> Option<&'a Value> {
    spec.pointer(reference.strip_prefix('#')?)
}

fn all_refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if let (true, Some(r)) = (key == "$ref", child.as_str()) {
                    out.push(r);
                }
                all_refs(child, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| all_refs(i, out)),
        _ => {}
    }
}

#[test]
fn every_operation_is_documented_and_every_reference_resolves() {
    let spec: Value = serde_json::from_str(&generated()).unwrap();
    assert_eq!(spec["openapi"], "3.1.0");
    assert_eq!(spec["info"]["license"]["name"], "MIT");
    let mut operation_ids = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            operation_ids.push(id.to_string());
            assert!(op["summary"].is_string(), "{id} has no summary");
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{id} has no tag"
            );
            let responses = op["responses"].as_object().unwrap();
            assert!(
                responses.keys().any(|s| s.starts_with('2')),
                "{id} has no success response"
            );
            if path.starts_with("/api/v1") {
                assert!(
                    responses.keys().any(|s| s.starts_with('4')),
                    "{id} lists no error response"
                );
            }
            let security = op["security"].to_string();
            if path.starts_with("/api/v1") {
                assert!(
                    security.contains("api_key"),
                    "{id} does not declare the key scheme"
                );
                assert!(responses.contains_key("401"), "{id} does not list 401");
            }
            if ["post", "put", "patch", "delete"].contains(&method.as_str()) {
                assert!(!security.contains("{}"), "{id}: a write is not anonymous");
                for status in ["401", "403", "429"] {
                    assert!(
                        responses.contains_key(status),
                        "{id} does not list {status}"
                    );
                }
            }
            if ["post", "put", "patch"].contains(&method.as_str()) {
                for status in ["400", "413", "415", "422"] {
                    assert!(
                        responses.contains_key(status),
                        "{id} does not list {status}"
                    );
                }
            }
            if path.contains("{id}") {
                assert!(responses.contains_key("404"), "{id} does not list 404");
            }
            // A query string can make the target too long: the 414 is listed.
            let queried = op["parameters"]
                .as_array()
                .is_some_and(|ps| ps.iter().any(|p| p["in"] == "query"));
            if queried && path.starts_with("/api/v1") {
                assert!(responses.contains_key("414"), "{id} does not list 414");
            }
        }
    }
    let count = operation_ids.len();
    operation_ids.sort();
    operation_ids.dedup();
    assert_eq!(operation_ids.len(), count, "operationIds must be unique");
    assert_eq!(count, 41);
    assert_eq!(
        spec["components"]["securitySchemes"]["api_key"]["scheme"],
        "bearer"
    );
    let mut refs = Vec::new();
    all_refs(&spec, &mut refs);
    assert!(!refs.is_empty());
    for r in refs {
        assert!(resolve(&spec, r).is_some(), "dangling $ref {r}");
    }
}

#[test]
fn the_specs_slug_pattern_and_country_list_are_what_the_server_checks() {
    let spec: Value = serde_json::from_str(&generated()).unwrap();
    let schemas = &spec["components"]["schemas"];
    // Every country code the spec lists is taken, and no other.
    let listed: Vec<&str> = schemas["CountryCode"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(listed.len(), 249);
    let accepted = |code: &str| {
        let mut p = city_region_api::input::Problems::default();
        city_region_api::rules::country_code(
            &mut p,
            "country_code",
            city_region_api::input::Field::Value(code.into()),
        );
        p.finish(|| ()).is_ok()
    };
    for a in b'A'..=b'Z' {
        for b in b'A'..=b'Z' {
            let code = String::from_utf8(vec![a, b]).unwrap();
            assert_eq!(accepted(&code), listed.contains(&code.as_str()), "{code}");
        }
    }
    // The slug pattern of every input type matches exactly the slugs taken.
    for input in [
        "PartnerInput",
        "ThematicAreaInput",
        "RecommendationInput",
        "EventInput",
    ] {
        let pattern = schemas[input]["properties"]["slug"]["pattern"]
            .as_str()
            .unwrap();
        let regex = regex::Regex::new(pattern).unwrap();
        let alphabet = ['a', 'z', '0', '9', '-', 'A', '_'];
        let mut checked = 0;
        for len in 0..=5u32 {
            for n in 0..alphabet.len().pow(len) {
                let (mut n, mut slug) = (n, String::new());
                for _ in 0..len {
                    slug.push(alphabet[n % alphabet.len()]);
                    n /= alphabet.len();
                }
                assert_eq!(
                    regex.is_match(&slug),
                    city_region_api::rules::is_slug(&slug),
                    "{input}: {slug:?}"
                );
                checked += 1;
            }
        }
        assert!(checked > 19_000);
    }
}

/// The spec's component `T::name()` is `T`'s own schema: catches a value
/// list that differs from the server's, and two types published under one
/// name (utoipa keeps the last one silently).
fn assert_component<T: utoipa::ToSchema>(schemas: &Value) {
    let name = T::name();
    let own = serde_json::to_value(T::schema()).unwrap();
    assert_eq!(schemas[name.as_ref()], own, "component {name}");
}

fn assert_enum<T: utoipa::ToSchema + city_region_api::text_enum::TextEnum>(schemas: &Value) {
    assert_component::<T>(schemas);
    let listed: Vec<&str> = schemas[T::name().as_ref()]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(listed, T::spellings(), "{}", T::name());
    for value in listed {
        assert!(T::parse(value).is_some(), "{value} is listed but refused");
    }
}

#[test]
fn the_specs_value_lists_are_the_ones_the_server_takes_and_shows() {
    use city_region_api::{audit, events, partners, recommendations, service};
    let spec: Value = serde_json::from_str(&generated()).unwrap();
    let schemas = &spec["components"]["schemas"];
    assert_enum::<partners::model::Role>(schemas);
    assert_enum::<events::model::EventKind>(schemas);
    assert_enum::<recommendations::model::TargetLevel>(schemas);
    assert_enum::<recommendations::model::RecommendationStatus>(schemas);
    assert_enum::<audit::model::Collection>(schemas);
    assert_enum::<audit::model::Action>(schemas);
    assert_component::<service::Status>(schemas);
    // What the server writes is what the spec lists.
    assert_eq!(
        serde_json::to_value(partners::model::Role::LeadPartner).unwrap(),
        "lead_partner"
    );
}

#[test]
fn every_create_links_to_what_can_be_done_with_the_record() {
    let spec: Value = serde_json::from_str(&generated()).unwrap();
    for (collection, one) in [
        ("partners", "partner"),
        ("thematic-areas", "thematic_area"),
        ("recommendations", "recommendation"),
        ("events", "event"),
    ] {
        let links =
            &spec["paths"][format!("/api/v1/{collection}")]["post"]["responses"]["201"]["links"];
        for operation in [
            format!("get_{one}"),
            format!("update_{one}"),
            format!("replace_{one}"),
            format!("delete_{one}"),
            format!("{one}_history"),
        ] {
            assert_eq!(links[&operation]["operationId"], operation.as_str());
            assert_eq!(links[&operation]["parameters"]["id"], "$response.body#/id");
        }
    }
}

#[test]
fn the_spec_says_what_partners_linters_ask_for() {
    let spec: Value = serde_json::from_str(COMMITTED).unwrap();
    // A relative server: the spec holds wherever the service runs.
    assert_eq!(spec["servers"][0]["url"], "/");
    // Public operations say so.
    for path in ["/health", "/ready"] {
        assert_eq!(
            spec["paths"][path]["get"]["security"],
            serde_json::json!([{}]),
            "{path}"
        );
    }
    // Examples of comma lists are values of their (array) schema.
    let mut arrays = 0;
    for item in spec["paths"].as_object().unwrap().values() {
        for parameter in item["get"]["parameters"].as_array().into_iter().flatten() {
            if parameter["schema"]["type"]
                .as_array()
                .is_some_and(|t| t.contains(&"array".into()))
                || parameter["schema"]["type"] == "array"
            {
                assert!(parameter["example"].is_array(), "{parameter}");
                arrays += 1;
            }
        }
    }
    assert!(arrays >= 40, "{arrays} array parameters");
    // Pages name their item schema, so every component is used.
    let schemas = spec["components"]["schemas"].as_object().unwrap();
    for (name, schema) in schemas {
        if let Some(item) = name.strip_prefix("Page_") {
            assert_eq!(
                schema["properties"]["data"]["items"]["$ref"],
                format!("#/components/schemas/{item}")
            );
        }
    }
    let text = COMMITTED;
    for name in schemas.keys() {
        let reference = format!("\"#/components/schemas/{name}\"");
        assert!(text.contains(&reference), "{name} is never used");
    }
}

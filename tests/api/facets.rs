//! Facets (`facets=` on a list): each count equals the total the same list
//! reports when filtered to that value, under random filters, for admins
//! and anonymous callers alike (drafts counted only for those who see them).

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde_json::{Value, json};

use crate::helpers::{Reply, demo_app, seeded_app};

/// Fields a random filter may use, per collection, with the values it
/// picks from; the facets asked for are the fields it leaves alone.
const RECOMMENDATIONS: &[(&str, &[&str])] = &[
    (
        "target_level",
        &["local", "regional", "national", "european"],
    ),
    ("status", &["draft", "published"]),
    (
        "thematic_area",
        &[
            "governance",
            "knowledge-economy",
            "social-inclusion",
            "main-environmental-issues",
        ],
    ),
    ("partner", &["synthetic-partner-0000001", "lille-metropole"]),
];
const EVENTS: &[(&str, &[&str])] = &[
    ("kind", &["seminar", "workshop", "study_visit", "other"]),
    ("country", &["FR", "DE", "PL", "IT"]),
    (
        "thematic_area",
        &[
            "governance",
            "knowledge-economy",
            "strategy-and-spatial-planning",
        ],
    ),
    ("partner", &["synthetic-partner-0000002", "lille-metropole"]),
];
const PARTNERS: &[(&str, &[&str])] = &[
    ("country", &["FR", "DE", "PL", "IT", "BE"]),
    ("role", &["partner", "lead_partner"]),
];

/// A random case: for each field, maybe a filter of one or two values;
/// maybe a search word.
fn cases(
    fields: &'static [(&'static str, &'static [&'static str])],
) -> impl Strategy<Value = (Vec<Option<Vec<&'static str>>>, Option<&'static str>)> {
    let filters: Vec<_> = fields
        .iter()
        .map(|(_, values)| {
            proptest::option::weighted(0.35, proptest::sample::subsequence(values.to_vec(), 1..=2))
        })
        .collect();
    let words = proptest::option::weighted(
        0.25,
        proptest::sample::select(vec!["synthetic", "urban", "tram"]),
    );
    (filters, words)
}

fn query(parts: &[(String, String)]) -> String {
    parts
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn total(reply: &Reply) -> i64 {
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.body["meta"]["total"].as_i64().unwrap()
}

#[actix_web::test]
async fn facet_counts_are_the_totals_of_the_lists_filtered_to_each_value() {
    let app = demo_app(300).await;
    let mut runner = TestRunner::deterministic();
    let mut checked = 0;
    for (collection, fields) in [
        ("recommendations", RECOMMENDATIONS),
        ("events", EVENTS),
        ("partners", PARTNERS),
    ] {
        let strategy = cases(fields);
        for _ in 0..12 {
            let (filters, word) = strategy.new_tree(&mut runner).unwrap().current();
            let mut base: Vec<(String, String)> = Vec::new();
            let mut free = Vec::new();
            for ((name, _), filter) in fields.iter().zip(&filters) {
                match filter {
                    Some(values) => base.push((name.to_string(), values.join(","))),
                    None => free.push(*name),
                }
            }
            if let Some(word) = word {
                base.push(("q".into(), word.into()));
            }
            // One facet, or two with their pairs.
            let asked: Vec<&str> = free.iter().take(2).copied().collect();
            if asked.is_empty() {
                continue;
            }
            for anonymous in [false, true] {
                let get = |uri: String| {
                    let app = &app;
                    async move {
                        let req = actix_web::test::TestRequest::get().uri(&uri);
                        if anonymous {
                            app.send_anonymous(req).await
                        } else {
                            app.send(req).await
                        }
                    }
                };
                let uri = |extra: &[(String, String)]| {
                    let mut all = base.clone();
                    all.extend(extra.iter().cloned());
                    format!("/api/v1/{collection}?limit=1&{}", query(&all))
                };
                let faceted = get(uri(&[("facets".into(), asked.join(","))])).await;
                let listed_total = total(&faceted);
                let facets = &faceted.body["meta"]["facets"];
                assert_eq!(facets["fields"].as_array().unwrap().len(), asked.len());
                for (facet, field) in facets["fields"].as_array().unwrap().iter().zip(&asked) {
                    assert_eq!(facet["field"], *field);
                    for value in facet["values"].as_array().unwrap() {
                        let filtered = get(uri(&[(
                            field.to_string(),
                            value["value"].as_str().unwrap().into(),
                        )]))
                        .await;
                        assert_eq!(
                            total(&filtered),
                            value["count"].as_i64().unwrap(),
                            "{collection} {field}={} under {base:?} (anonymous: {anonymous})",
                            value["value"]
                        );
                        assert!(value["count"].as_i64().unwrap() <= listed_total);
                        checked += 1;
                    }
                }
                let pairs = facets["pairs"].as_array().unwrap();
                if asked.len() == 2 {
                    for pair in pairs {
                        let v = pair["values"].as_array().unwrap();
                        let filtered = get(uri(&[
                            (asked[0].into(), v[0].as_str().unwrap().into()),
                            (asked[1].into(), v[1].as_str().unwrap().into()),
                        ]))
                        .await;
                        assert_eq!(total(&filtered), pair["count"].as_i64().unwrap(), "{pair}");
                        checked += 1;
                    }
                } else {
                    assert!(pairs.is_empty());
                }
            }
        }
    }
    assert!(checked > 200, "only {checked} counts were checked");
}

#[actix_web::test]
async fn single_valued_facets_add_up_to_the_total_and_carry_labels() {
    let app = demo_app(200).await;
    let page = app.get("/api/v1/events?facets=year,kind&limit=1").await;
    let total = total(&page);
    for facet in page.body["meta"]["facets"]["fields"].as_array().unwrap() {
        let sum: i64 = facet["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["count"].as_i64().unwrap())
            .sum();
        assert_eq!(sum, total, "{}", facet["field"]);
    }
    let pairs: i64 = page.body["meta"]["facets"]["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["count"].as_i64().unwrap())
        .sum();
    assert_eq!(pairs, total);
    // Related values carry their record's name; most rows first.
    let page = app
        .get("/api/v1/recommendations?facets=thematic_area&limit=1")
        .await;
    let values = page.body["meta"]["facets"]["fields"][0]["values"]
        .as_array()
        .unwrap()
        .clone();
    let governance = values.iter().find(|v| v["value"] == "governance").unwrap();
    assert_eq!(governance["label"], "Governance");
    let counts: Vec<i64> = values
        .iter()
        .map(|v| v["count"].as_i64().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
}

#[actix_web::test]
async fn facets_are_recounted_after_a_write_and_left_out_when_not_asked_for() {
    let app = seeded_app().await;
    let count = |page: &Reply| -> i64 {
        page.body["meta"]["facets"]["fields"][0]["values"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["value"] == "FR")
            .map_or(0, |v| v["count"].as_i64().unwrap())
    };
    let before = count(&app.get("/api/v1/partners?facets=country").await);
    let created = app
        .post(
            "/api/v1/partners",
            json!({"name": "Roubaix", "city": "Roubaix", "country_code": "FR"}),
        )
        .await;
    assert_eq!(created.status, 201);
    let after = app.get("/api/v1/partners?facets=country").await;
    assert_eq!(count(&after), before + 1);
    // A field named twice counts once.
    let twice = app.get("/api/v1/partners?facets=country,country").await;
    assert_eq!(count(&twice), before + 1);
    assert_eq!(
        twice.body["meta"]["facets"]["fields"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let plain = app.get("/api/v1/partners").await;
    assert_eq!(plain.body["meta"].get("facets"), None::<&Value>);
}

#[actix_web::test]
async fn bad_facets_are_400s_that_name_the_parameter() {
    let app = seeded_app().await;
    for (uri, says) in [
        (
            "/api/v1/partners?facets=bogus",
            "not a facet; use country, role",
        ),
        ("/api/v1/events?facets=kind,year,country", "at most 2"),
        ("/api/v1/events?facets=kind,kind,kind", "at most 2"),
        ("/api/v1/events?facets=", "not a facet"),
        ("/api/v1/thematic-areas?facets=name", "facets"),
    ] {
        let reply = app.get(uri).await;
        reply.assert_problem(400);
        assert_eq!(reply.fields_at_fault(), ["facets"], "{uri}");
        assert!(reply.text.contains(says), "{uri}: {}", reply.text);
    }
    let csv = app
        .send(
            actix_web::test::TestRequest::get()
                .uri("/api/v1/events?facets=kind")
                .insert_header(("Accept", "text/csv")),
        )
        .await;
    csv.assert_problem(400);
    assert!(csv.text.contains("is for JSON pages"), "{}", csv.text);
}

//! Bulk create: `POST /{collection}` with a JSON array or NDJSON stores
//! every record in one transaction or none; faults are a 422 naming each
//! record by index; the limits are a 413 that says which; partner keys and
//! the rate limit hold as for one record.

use std::num::NonZeroU32;

use actix_web::http::header;
use actix_web::test::TestRequest;
use serde_json::{Value, json};

use city_region_api::app::AppConfig;

use crate::helpers::{app_with, empty_app, recommendation, seeded_app};

fn themes(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| json!({"name": format!("Theme {i:04}"), "position": i}))
        .collect()
}

#[actix_web::test]
async fn five_thousand_valid_records_are_stored_whole_in_order_and_each_audited() {
    let app = empty_app().await;
    let created = app
        .post("/api/v1/thematic-areas", json!(themes(5_000)))
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.header("location"), None);
    let records = created.body.as_array().expect("an array");
    assert_eq!(records.len(), 5_000);
    for (i, record) in records.iter().enumerate() {
        assert_eq!(record["name"], format!("Theme {i:04}"));
        assert_eq!(record["slug"], format!("theme-{i:04}"));
    }
    let list = app.get("/api/v1/thematic-areas?limit=1").await;
    assert_eq!(list.body["meta"]["total"], 5_000);
    let audit = app
        .get("/api/v1/audit?collection=thematic_areas&action=create&limit=1")
        .await;
    assert_eq!(audit.body["meta"]["total"], 5_000);
    let last = records[4_999]["id"].as_i64().unwrap();
    let read = app.get(&format!("/api/v1/thematic-areas/{last}")).await;
    assert_eq!(read.body, records[4_999]);
}

#[actix_web::test]
async fn a_bad_4999th_record_stores_nothing_and_is_named_by_index_and_field() {
    let app = empty_app().await;
    let mut records = themes(5_000);
    records[4_998]["position"] = json!(-1);
    let refused = app.post("/api/v1/thematic-areas", json!(records)).await;
    refused.assert_problem(422);
    assert_eq!(refused.body["errors"].as_array().unwrap().len(), 1);
    assert_eq!(refused.body["errors"][0]["index"], 4_998);
    assert_eq!(refused.body["errors"][0]["field"], "position");
    let list = app.get("/api/v1/thematic-areas?limit=1").await;
    assert_eq!(list.body["meta"]["total"], 0);
    assert_eq!(app.get("/api/v1/audit").await.body["meta"]["total"], 0);
}

#[actix_web::test]
async fn every_faulty_record_is_named_clashes_within_the_batch_included() {
    let app = seeded_app().await;
    let before = app.snapshot().await;
    let records = json!([
        {"name": "Housing"},
        {"name": "Housing"},
        {"position": "first"},
        {"name": "Water", "colour": "blue"},
        {"name": "Governance"},
    ]);
    let refused = app.post("/api/v1/thematic-areas", records).await;
    refused.assert_problem(422);
    let faults: Vec<(i64, String)> = refused.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["index"].as_i64().unwrap(),
                e["field"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        faults,
        [
            (1, "slug".to_string()),
            (2, "position".to_string()),
            (3, "colour".to_string()),
            (4, "slug".to_string()),
        ]
    );
    assert_eq!(app.snapshot().await, before);

    // Clashes alone are a 409, as for one record, with the same list.
    let clashes = json!([{"name": "Water"}, {"name": "Governance"}, {"name": "Water"}]);
    let refused = app.post("/api/v1/thematic-areas", clashes).await;
    refused.assert_problem(409);
    let faults: Vec<(i64, &str)> = refused.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["index"].as_i64().unwrap(), e["field"].as_str().unwrap()))
        .collect();
    assert_eq!(faults, [(1, "slug"), (2, "slug")]);
    assert_eq!(app.snapshot().await, before);
}

#[actix_web::test]
async fn ndjson_is_one_record_a_line() {
    let app = empty_app().await;
    let body = "{\"name\": \"Housing\"}\n\n{\"name\": \"Water\"}\r\n{\"name\": \"Energy\"}\n";
    let created = app
        .send(
            TestRequest::post()
                .uri("/api/v1/thematic-areas")
                .insert_header((header::CONTENT_TYPE, "application/x-ndjson"))
                .set_payload(body),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let names: Vec<&str> = created
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Housing", "Water", "Energy"]);

    let broken = app
        .send(
            TestRequest::post()
                .uri("/api/v1/thematic-areas")
                .insert_header((header::CONTENT_TYPE, "application/x-ndjson"))
                .set_payload("{\"name\": \"Transport\"}\n{\"name\": \n[1]\n"),
        )
        .await;
    broken.assert_problem(400);
    let indexes: Vec<&Value> = broken.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["index"])
        .collect();
    assert_eq!(indexes, [&json!(1), &json!(2)]);
    assert_eq!(
        app.get("/api/v1/thematic-areas?limit=1").await.body["meta"]["total"],
        3
    );
}

#[actix_web::test]
async fn over_the_limits_is_a_413_that_says_which_and_an_empty_batch_a_400() {
    let app = empty_app().await;
    let too_many = app
        .post("/api/v1/thematic-areas", json!(themes(5_001)))
        .await;
    too_many.assert_problem(413);
    assert!(
        too_many.body["detail"]
            .as_str()
            .unwrap()
            .contains("at most 5000"),
        "{}",
        too_many.body
    );

    let long = "x".repeat(9 << 20);
    let too_big = app
        .post(
            "/api/v1/thematic-areas",
            json!([{"name": "A", "description": long}, {"name": "B", "description": long}]),
        )
        .await;
    too_big.assert_problem(413);
    assert!(too_big.body["detail"].as_str().unwrap().contains("16 MiB"));

    let one_too_big = app
        .post(
            "/api/v1/thematic-areas",
            json!({"name": "A", "description": "x".repeat(2 << 20)}),
        )
        .await;
    one_too_big.assert_problem(413);
    assert!(
        one_too_big.body["detail"]
            .as_str()
            .unwrap()
            .contains("1 MiB")
    );

    for body in [json!([]), json!([{"name": "A"}, 3]), json!("A")] {
        app.post("/api/v1/thematic-areas", body)
            .await
            .assert_problem(400);
    }
    let plain = app
        .send(
            TestRequest::post()
                .uri("/api/v1/thematic-areas")
                .insert_header((header::CONTENT_TYPE, "text/plain"))
                .set_payload("{\"name\": \"A\"}"),
        )
        .await;
    plain.assert_problem(415);
    assert_eq!(
        app.get("/api/v1/thematic-areas?limit=1").await.body["meta"]["total"],
        0
    );
}

#[actix_web::test]
async fn a_partner_key_bulk_creates_only_what_it_may_create_one_by_one() {
    let app = seeded_app().await;
    let brno_key = app.new_key("brno", "partner:brno");
    let brno = app.id_of("/api/v1/partners/brno").await;
    let lille = app.id_of("/api/v1/partners/lille-metropole").await;
    let area = app.id_of("/api/v1/thematic-areas/governance").await;
    let before = app.snapshot().await;
    let mut theirs = recommendation(&[area], &[lille]);
    theirs["title"] = json!("Not Brno's to propose");
    let refused = app
        .send_as(
            &brno_key,
            TestRequest::post()
                .uri("/api/v1/recommendations")
                .set_json(json!([recommendation(&[area], &[brno]), theirs])),
        )
        .await;
    refused.assert_problem(403);
    assert!(
        refused.body["detail"]
            .as_str()
            .unwrap()
            .starts_with("Record 1:")
    );
    assert_eq!(app.snapshot().await, before);

    let mut second = recommendation(&[area], &[brno]);
    second["title"] = json!("Brno's second");
    let created = app
        .send_as(
            &brno_key,
            TestRequest::post()
                .uri("/api/v1/recommendations")
                .set_json(json!([recommendation(&[area], &[brno]), second])),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body.as_array().unwrap().len(), 2);

    let areas = app
        .send_as(
            &brno_key,
            TestRequest::post()
                .uri("/api/v1/thematic-areas")
                .set_json(json!(themes(2))),
        )
        .await;
    areas.assert_problem(403);
}

#[actix_web::test]
async fn a_bulk_create_counts_one_write_per_100_records_against_the_rate() {
    // 1 write a second, in bursts of 2.
    let app = app_with(false, AppConfig::new(Vec::new(), NonZeroU32::MIN)).await;
    let started = std::time::Instant::now();
    let first = app.post("/api/v1/thematic-areas", json!(themes(200))).await;
    assert_eq!(first.status, 201, "{}", first.text);
    let records: Vec<Value> = (0..101)
        .map(|i| json!({"name": format!("Later {i}")}))
        .collect();
    let second = app.post("/api/v1/thematic-areas", json!(records)).await;
    // 200 records took the whole burst; 101 need 2 writes, which take 2 s
    // to refill (a machine stalled that long lets them through).
    let total = app.get("/api/v1/thematic-areas?limit=1").await.body["meta"]["total"].clone();
    if started.elapsed().as_secs_f64() < 2.0 {
        second.assert_problem(429);
        assert!(second.header("retry-after").is_some());
        assert_eq!(total, 200);
    } else {
        assert_eq!(second.status, 201);
        assert_eq!(total, 301);
    }
}

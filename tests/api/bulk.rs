//! CSV, NDJSON, the export document, compression and CORS.

use actix_web::http::header;
use actix_web::test::TestRequest;
use serde_json::{Value, json};

use crate::helpers::{event, recommendation, seeded_app};

#[actix_web::test]
async fn csv_quotes_commas_quotes_and_newlines_and_joins_relations_with_semicolons() {
    let app = seeded_app().await;
    let mut rec = recommendation(&[5, 2], &[1, 6]);
    rec["title"] = json!("Plan, then \"act\"");
    rec["body"] = json!("Line one\nLine two, with a comma");
    let created = app.post("/api/v1/recommendations", rec).await;
    assert_eq!(created.status, 201);
    let reply = app
        .send(
            TestRequest::get()
                .uri("/api/v1/recommendations")
                .insert_header((header::ACCEPT, "text/csv")),
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("content-type"),
        Some("text/csv; charset=utf-8")
    );
    assert_eq!(
        reply.header("content-disposition"),
        Some("attachment; filename=\"recommendations.csv\"")
    );
    let text = reply.text.clone();
    let expected_header =
        "id,slug,title,body,target_level,status,thematic_areas,partners,created_at,updated_at\r\n";
    assert!(text.starts_with(expected_header), "{text}");
    assert!(
        text.contains(",\"Plan, then \"\"act\"\"\",\"Line one\nLine two, with a comma\",regional,draft,mobility-management-and-transport;governance,lille-metropole;brno,"),
        "{text}"
    );
    // A CSV reader gets the values back exactly.
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let record = reader.records().next().unwrap().unwrap();
    assert_eq!(&record[2], "Plan, then \"act\"");
    assert_eq!(&record[3], "Line one\nLine two, with a comma");
    assert_eq!(&record[6], "mobility-management-and-transport;governance");
}

#[actix_web::test]
async fn every_collection_is_served_as_csv_and_ndjson_with_the_lists_filters() {
    let app = seeded_app().await;
    let mut e = event(Some(6), &[5, 1], &[4]);
    e["title"] = json!("Study visit");
    app.post("/api/v1/events", e).await;
    for collection in ["partners", "thematic-areas", "recommendations", "events"] {
        let json = app
            .get(&format!("/api/v1/{collection}?limit=100"))
            .await
            .body["data"]
            .clone();
        let ndjson = app
            .send(
                TestRequest::get()
                    .uri(&format!("/api/v1/{collection}"))
                    .insert_header((header::ACCEPT, "application/x-ndjson")),
            )
            .await;
        assert_eq!(ndjson.status, 200, "{collection}");
        assert_eq!(ndjson.header("content-type"), Some("application/x-ndjson"));
        let lines: Vec<Value> = ndjson
            .text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(
            Value::Array(lines),
            json,
            "{collection}: NDJSON rows are the JSON rows"
        );
        for uri in [
            format!("/api/v1/{collection}.csv"),
            format!("/api/v1/{collection}.ndjson"),
        ] {
            let file = app.get(&uri).await;
            assert_eq!(file.status, 200, "{uri}");
            assert!(
                file.header("content-disposition")
                    .unwrap()
                    .contains(&format!("{collection}.")),
                "{uri}"
            );
        }
        let csv = app.get(&format!("/api/v1/{collection}.csv")).await.text;
        let rows = csv.matches("\r\n").count();
        assert_eq!(
            rows,
            1 + json.as_array().unwrap().len(),
            "{collection}: header plus one line a row"
        );
    }
    // Filters, search and sort apply; relations are slugs.
    let text = app
        .get("/api/v1/events.csv?partner=krakow&sort=-starts_on")
        .await
        .text;
    assert_eq!(text.matches("\r\n").count(), 2, "{text}");
    assert!(
        text.contains(",brno,lille-metropole;krakow,knowledge-economy,"),
        "{text}"
    );
    let nested = app
        .send(
            TestRequest::get()
                .uri("/api/v1/partners/brno/events")
                .insert_header((header::ACCEPT, "text/csv")),
        )
        .await;
    assert_eq!(nested.text.matches("\r\n").count(), 2);
    let found = app.get("/api/v1/partners.ndjson?q=krakow").await.text;
    assert_eq!(found.lines().count(), 1);
    assert!(found.contains("\"slug\":\"krakow\""), "{found}");
}

#[actix_web::test]
async fn bulk_formats_refuse_paging_and_unknown_formats() {
    let app = seeded_app().await;
    let limited = app.get("/api/v1/partners.csv?limit=5").await;
    limited.assert_problem(400);
    assert_eq!(limited.fields_at_fault(), ["limit"]);
    let cursor = app
        .send(
            TestRequest::get()
                .uri("/api/v1/partners?cursor=abc")
                .insert_header((header::ACCEPT, "text/csv")),
        )
        .await;
    cursor.assert_problem(400);
    app.get("/api/v1/partners.xml").await.assert_problem(404);
    app.get("/api/v1/partners.csv?role=boss")
        .await
        .assert_problem(400);
    let xml = app
        .send(
            TestRequest::get()
                .uri("/api/v1/partners")
                .insert_header((header::ACCEPT, "application/xml")),
        )
        .await;
    xml.assert_problem(406);
    // Browsers' Accept lists end in */*: JSON.
    let browser = app
        .send(
            TestRequest::get()
                .uri("/api/v1/partners")
                .insert_header((header::ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8")),
        )
        .await;
    assert_eq!(browser.status, 200);
    assert!(browser.body["data"].is_array());
    let preferred = app
        .send(
            TestRequest::get()
                .uri("/api/v1/partners")
                .insert_header((header::ACCEPT, "application/json;q=0.5, text/csv")),
        )
        .await;
    assert_eq!(
        preferred.header("content-type"),
        Some("text/csv; charset=utf-8")
    );
}

#[actix_web::test]
async fn the_export_is_the_whole_dataset_in_one_json_document() {
    let app = seeded_app().await;
    app.post("/api/v1/recommendations", recommendation(&[1], &[2]))
        .await;
    let export = app.get("/api/v1/export").await;
    assert_eq!(export.status, 200);
    assert_eq!(export.header("content-type"), Some("application/json"));
    let body = &export.body;
    assert!(chrono::DateTime::parse_from_rfc3339(body["exported_at"].as_str().unwrap()).is_ok());
    for (collection, key, count) in [
        ("partners", "partners", 8),
        ("thematic-areas", "thematic_areas", 7),
        ("recommendations", "recommendations", 1),
        ("events", "events", 4),
    ] {
        assert_eq!(body[key].as_array().unwrap().len(), count, "{key}");
        let listed = app
            .get(&format!("/api/v1/{collection}?limit=100"))
            .await
            .body["data"]
            .clone();
        assert_eq!(body[key], listed, "{key}");
    }
    app.get("/api/v1/export?limit=5").await.assert_problem(400);
}

#[actix_web::test]
async fn responses_are_compressed_when_the_client_accepts_it() {
    let app = seeded_app().await;
    for encoding in ["gzip", "br"] {
        let req = actix_web::test::TestRequest::get()
            .uri("/api/v1/partners?limit=100")
            .insert_header((header::ACCEPT_ENCODING, encoding))
            .to_request();
        let res = actix_web::test::call_service(&app.service, req).await;
        assert_eq!(
            res.headers().get(header::CONTENT_ENCODING).unwrap(),
            encoding
        );
        let compressed = actix_web::test::read_body(res).await;
        assert!(
            !compressed.starts_with(b"{"),
            "{encoding} body is not plain JSON"
        );
    }
    let plain = app.get("/api/v1/partners").await;
    assert_eq!(plain.header("content-encoding"), None);
}

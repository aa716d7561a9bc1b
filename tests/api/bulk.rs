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

/// A JSON value as the CSV export writes it: a relation as its slug (or
/// slugs joined by `;`), a missing value as an empty cell.
fn as_cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        Value::Object(summary) => summary["slug"].as_str().unwrap_or_default().to_string(),
        Value::Array(items) => items.iter().map(as_cell).collect::<Vec<_>>().join(";"),
        other => other.to_string(),
    }
}

#[actix_web::test]
async fn an_export_of_many_batches_with_gaps_and_filters_is_the_json_pages() {
    // Past one batch of the export (500 rows) several times over, with
    // single rows and a long run deleted: batches with gaps, and one
    // sparser than its range.
    let app = crate::helpers::demo_app(1300).await;
    let mut ids = Vec::new();
    let mut partner = None;
    let mut uri = "/api/v1/events?limit=100".to_string();
    loop {
        let page = app.get(&uri).await;
        for e in page.body["data"].as_array().unwrap() {
            ids.push(e["id"].as_i64().unwrap());
            partner = partner.or_else(|| e["partners"][0]["slug"].as_str().map(String::from));
        }
        match page.body["meta"]["next_cursor"].as_str() {
            Some(cursor) => uri = format!("/api/v1/events?limit=100&cursor={cursor}"),
            None => break,
        }
    }
    assert!(ids.len() > 1300, "{}", ids.len());
    let gone: Vec<i64> = ids[..600]
        .iter()
        .step_by(7)
        .chain(&ids[700..1000])
        .copied()
        .collect();
    for id in &gone {
        assert_eq!(
            app.delete(&format!("/api/v1/events/{id}")).await.status,
            204
        );
    }
    let partner = partner.expect("a participant");
    for query in [
        "".to_string(),
        "sort=-starts_on".to_string(),
        "thematic_area=governance".to_string(),
        format!("partner={partner}&sort=title"),
    ] {
        let mut rows: Vec<Value> = Vec::new();
        let mut uri = format!("/api/v1/events?{query}&limit=100");
        loop {
            let page = app.get(&uri).await;
            assert_eq!(page.status, 200, "{uri}");
            rows.extend(page.body["data"].as_array().unwrap().iter().cloned());
            match page.body["meta"]["next_cursor"].as_str() {
                Some(cursor) => uri = format!("/api/v1/events?{query}&limit=100&cursor={cursor}"),
                None => break,
            }
        }
        assert!(rows.len() > 20, "{query}: {} rows", rows.len());
        if query.is_empty() {
            assert_eq!(rows.len(), ids.len() - gone.len());
            // Each as read alone, which reads its relations another way.
            for row in &rows {
                let alone = app.get(&format!("/api/v1/events/{}", row["id"])).await;
                assert!(alone.body == *row, "{} alone: {}", row, alone.body);
            }
        }
        let ndjson = app
            .get(&format!("/api/v1/events.ndjson?{query}"))
            .await
            .text;
        let lines: Vec<Value> = ndjson
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert!(lines == rows, "{query}: NDJSON rows are the JSON pages");

        let csv = app.get(&format!("/api/v1/events.csv?{query}")).await.text;
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let header = reader.headers().unwrap().clone();
        for column in [
            "id",
            "title",
            "starts_on",
            "host_partner",
            "partners",
            "thematic_areas",
        ] {
            assert!(header.iter().any(|h| h == column), "{column} in {header:?}");
        }
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), rows.len(), "{query}: one CSV line a row");
        for (record, row) in records.iter().zip(&rows) {
            for (column, cell) in header.iter().zip(record) {
                if let Some(value) = row.get(column) {
                    assert_eq!(cell, as_cell(value), "{query}: {column} of {}", row["id"]);
                }
            }
        }
    }
}

#[actix_web::test]
async fn rows_written_while_an_export_is_read_come_at_most_once_and_those_that_stay_all_come() {
    use actix_web::body::MessageBody;
    let app = crate::helpers::demo_app(4000).await;
    let uri = "/api/v1/events.ndjson";
    let ids = |text: &str| -> Vec<i64> {
        text.lines()
            .map(|line| {
                serde_json::from_str::<Value>(line).unwrap()["id"]
                    .as_i64()
                    .unwrap()
            })
            .collect()
    };
    let before = ids(&app.get(uri).await.text);
    assert!(before.len() > 4000);
    let service = &app.service;
    let res =
        actix_web::test::call_service(service, TestRequest::get().uri(uri).to_request()).await;
    let mut body = Box::pin(res.into_body());
    let mut sent = Vec::new();
    let first = std::future::poll_fn(|cx| body.as_mut().poll_next(cx)).await;
    let Some(Ok(first)) = first else {
        panic!("no first chunk")
    };
    sent.extend_from_slice(&first);
    // While it is read (a batch or two ahead): rows far ahead deleted,
    // one ahead renamed, new ones made.
    let far: Vec<i64> = before[3500..].iter().step_by(100).copied().collect();
    for id in &far {
        assert_eq!(
            app.delete(&format!("/api/v1/events/{id}")).await.status,
            204
        );
    }
    // A partner that a row far ahead names, renamed: that row is read in
    // a batch of its own generation, so with the new name.
    let mut found = None;
    for id in &before[3600..3700] {
        let partners = app.get(&format!("/api/v1/events/{id}")).await.body["partners"].clone();
        if let Some(first) = partners.get(0) {
            found = Some((*id, first.clone()));
            break;
        }
    }
    let (ahead, named) = found.expect("an event with participants");
    let partner = app
        .patch(
            &format!("/api/v1/partners/{}", named["id"]),
            json!({ "name": "Partner renamed mid-export" }),
        )
        .await;
    assert_eq!(partner.status, 200, "{}", partner.body);
    let renamed = before[3400];
    let patched = app
        .patch(
            &format!("/api/v1/events/{renamed}"),
            json!({ "title": "Renamed mid-export" }),
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.body);
    let mut made = Vec::new();
    for i in 0..3 {
        let mut new = event(Some(6), &[6], &[5]);
        new["title"] = json!(format!("Made mid-export {i}"));
        let created = app.post("/api/v1/events", new).await;
        assert_eq!(created.status, 201, "{}", created.body);
        made.push(created.body["id"].as_i64().unwrap());
    }
    while let Some(chunk) = std::future::poll_fn(|cx| body.as_mut().poll_next(cx)).await {
        let Ok(chunk) = chunk else {
            panic!("the export failed")
        };
        sent.extend_from_slice(&chunk);
    }
    let text = String::from_utf8(sent).unwrap();
    let got = ids(&text);
    assert!(
        got.windows(2).all(|w| w[0] < w[1]),
        "in id order, each once"
    );
    let stayed: Vec<i64> = before
        .iter()
        .filter(|id| !far.contains(id))
        .copied()
        .collect();
    let got_old: Vec<i64> = got
        .iter()
        .filter(|id| !made.contains(id))
        .copied()
        .collect();
    assert_eq!(got_old, stayed, "every row that stayed, none deleted ahead");
    for id in &made {
        assert!(
            got.contains(id),
            "{id}, made before the end was read, is there"
        );
    }
    assert!(
        text.contains("Renamed mid-export"),
        "the row ahead as renamed"
    );
    let row: Value = text
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .find(|row| row["id"] == json!(ahead))
        .unwrap();
    let names: Vec<&Value> = row["partners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["name"])
        .collect();
    assert!(
        names.contains(&&json!("Partner renamed mid-export")),
        "{row}"
    );
}

#[actix_web::test]
async fn a_page_whose_links_name_more_records_than_sqlite_binds_at_once_is_read() {
    // 67 events each in 500 thematic areas of their own: a page and an
    // export batch name 33,500, past the 32,766 values SQLite binds in one
    // statement.
    let app = seeded_app().await;
    let mut ids = Vec::new();
    for part in 0..7 {
        let themes: Vec<Value> = (0..5_000)
            .map(|i| json!({ "name": format!("Theme {part}-{i:04}") }))
            .collect();
        let made = app.post("/api/v1/thematic-areas", json!(themes)).await;
        assert_eq!(made.status, 201, "{}", made.text);
        ids.extend(
            made.body
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["id"].as_i64().unwrap()),
        );
    }
    let events: Vec<Value> = ids
        .chunks(500)
        .take(67)
        .enumerate()
        .map(|(i, themes)| {
            let mut e = event(None, &[], themes);
            e["title"] = json!(format!("In many themes {i}"));
            e
        })
        .collect();
    let made = app.post("/api/v1/events", json!(events)).await;
    assert_eq!(made.status, 201, "{}", made.text);
    let page = app.get("/api/v1/events?limit=100").await;
    assert_eq!(page.status, 200, "{}", page.text);
    let many: Vec<&Value> = page.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["thematic_areas"].as_array().unwrap().len() == 500)
        .collect();
    assert_eq!(many.len(), 67);
    assert_eq!(
        many[66]["thematic_areas"][499]["id"],
        json!(ids[67 * 500 - 1])
    );
    let csv = app.get("/api/v1/events.csv").await;
    assert_eq!(csv.status, 200);
    let mut reader = csv::Reader::from_reader(csv.text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let last = reader
        .records()
        .map(Result::unwrap)
        .find(|r| &r[column("title")] == "In many themes 66")
        .expect("the last event");
    let slugs: Vec<&str> = last[column("thematic_areas")].split(';').collect();
    assert_eq!(slugs.len(), 500);
    assert_eq!(json!(slugs[499]), many[66]["thematic_areas"][499]["slug"]);
}

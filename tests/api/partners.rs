//! `/api/v1/partners`: every operation, its headers and its rules.

use actix_web::http::Method;
use actix_web::http::header;
use actix_web::test::TestRequest;
use serde_json::{Value, json};

use crate::helpers::{empty_app, liege, seeded_app};

#[actix_web::test]
async fn list_partners_pages_through_every_partner_once_with_cursor_and_link() {
    let app = seeded_app().await;
    let mut uri = "/api/v1/partners?limit=3".to_string();
    let mut slugs = Vec::new();
    let mut pages = 0;
    loop {
        let reply = app.get(&uri).await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.body["meta"]["limit"], 3);
        assert_eq!(reply.body["meta"]["total"], 8);
        let data = reply.body["data"].as_array().unwrap();
        assert!(data.len() <= 3);
        slugs.extend(data.iter().map(|p| p["slug"].as_str().unwrap().to_string()));
        pages += 1;
        match reply.body["meta"]["next_cursor"].as_str() {
            Some(cursor) => {
                let link = reply
                    .header("link")
                    .expect("Link header while there is a next page");
                assert!(link.ends_with(r#">; rel="next""#), "{link}");
                assert!(link.contains(&format!("cursor={cursor}")), "{link}");
                assert!(link.contains("limit=3"), "{link}");
                uri = format!("/api/v1/partners?limit=3&cursor={cursor}");
            }
            None => {
                assert_eq!(reply.header("link"), None);
                break;
            }
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(
        slugs,
        [
            "lille-metropole",
            "seville",
            "florence",
            "burgas",
            "krakow",
            "brno",
            "eindhoven",
            "brussels-capital-region"
        ]
    );
}

#[actix_web::test]
async fn list_partners_cursor_stays_valid_while_rows_are_added() {
    let app = seeded_app().await;
    let first = app.get("/api/v1/partners?limit=4").await;
    let cursor = first.body["meta"]["next_cursor"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(app.post("/api/v1/partners", liege()).await.status, 201);
    let second = app
        .get(&format!("/api/v1/partners?limit=4&cursor={cursor}"))
        .await;
    let slugs: Vec<&str> = second.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["slug"].as_str().unwrap())
        .collect();
    assert_eq!(
        slugs,
        ["krakow", "brno", "eindhoven", "brussels-capital-region"]
    );
    assert_eq!(second.body["meta"]["total"], 9);
    assert!(
        second.body["meta"]["next_cursor"].is_string(),
        "the new row is on a next page"
    );
}

#[actix_web::test]
async fn list_partners_of_an_empty_database_is_an_empty_page() {
    let app = empty_app().await;
    let reply = app.get("/api/v1/partners").await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.body,
        json!({"data": [], "meta": {"limit": 20, "total": 0, "next_cursor": null}})
    );
}

#[actix_web::test]
async fn get_partner_by_id_or_slug_shows_the_same_record() {
    let app = seeded_app().await;
    let by_slug = app.get("/api/v1/partners/lille-metropole").await;
    assert_eq!(by_slug.status, 200);
    let id = by_slug.body["id"].as_i64().unwrap();
    let by_id = app.get(&format!("/api/v1/partners/{id}")).await;
    assert_eq!(by_id.body, by_slug.body);
    assert_eq!(by_slug.body["name"], "Lille Métropole");
    assert_eq!(by_slug.body["role"], "lead_partner");
    for field in ["created_at", "updated_at"] {
        let at = by_slug.body[field].as_str().unwrap();
        assert!(
            chrono::DateTime::parse_from_rfc3339(at).is_ok() && at.ends_with('Z'),
            "{at}"
        );
    }
}

#[actix_web::test]
async fn get_partner_that_does_not_exist_is_a_404_problem() {
    let app = seeded_app().await;
    for uri in [
        "/api/v1/partners/999",
        "/api/v1/partners/atlantis",
        "/api/v1/partners/99999999999999999999",
        "/api/v1/partners/0",
    ] {
        app.get(uri).await.assert_problem(404);
    }
}

#[actix_web::test]
async fn get_partner_has_an_etag_and_answers_304_to_if_none_match() {
    let app = seeded_app().await;
    let first = app.get("/api/v1/partners/krakow").await;
    let etag = first.header("etag").expect("ETag").to_string();
    assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");
    let again = app
        .send(
            TestRequest::get()
                .uri("/api/v1/partners/krakow")
                .insert_header((header::IF_NONE_MATCH, etag.clone())),
        )
        .await;
    assert_eq!(again.status, 304);
    assert_eq!(again.body, Value::Null);
    assert_eq!(again.header("etag"), Some(etag.as_str()));
    let other = app
        .send(
            TestRequest::get()
                .uri("/api/v1/partners/krakow")
                .insert_header((header::IF_NONE_MATCH, "\"something-else\"")),
        )
        .await;
    assert_eq!(other.status, 200);
    // After a change the old ETag no longer matches.
    app.patch("/api/v1/partners/krakow", json!({"population": 800000}))
        .await;
    let changed = app
        .send(
            TestRequest::get()
                .uri("/api/v1/partners/krakow")
                .insert_header((header::IF_NONE_MATCH, etag.clone())),
        )
        .await;
    assert_eq!(changed.status, 200);
    assert_ne!(changed.header("etag"), Some(etag.as_str()));
}

#[actix_web::test]
async fn create_partner_returns_201_with_location_etag_and_the_item_as_get_shows_it() {
    let app = seeded_app().await;
    let created = app.post("/api/v1/partners", liege()).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let location = created.header("location").expect("Location").to_string();
    assert_eq!(location, format!("/api/v1/partners/{}", created.body["id"]));
    let fetched = app.get(&location).await;
    assert_eq!(fetched.body, created.body);
    assert_eq!(fetched.header("etag"), created.header("etag"));
    // UTF-8 round-trips unchanged; the slug is made from the name.
    assert_eq!(created.body["name"], "Liège Métropole");
    assert_eq!(created.body["city"], "Liège");
    assert_eq!(created.body["slug"], "liege-metropole");
    assert_eq!(created.body["role"], "partner");
    assert_eq!(created.body["population"], 625000);
    assert_eq!(created.body["created_at"], created.body["updated_at"]);
}

#[actix_web::test]
async fn create_partner_trims_names_and_keeps_a_given_slug() {
    let app = empty_app().await;
    let created = app
        .post(
            "/api/v1/partners",
            json!({"slug": "kr-2", "name": "  Kraków  ", "city": "Kraków", "country_code": "PL"}),
        )
        .await;
    assert_eq!(created.status, 201);
    assert_eq!(created.body["slug"], "kr-2");
    assert_eq!(created.body["name"], "Kraków");
    assert_eq!(created.body["latitude"], Value::Null);
}

#[actix_web::test]
async fn create_partner_rejects_each_bad_field_with_a_422_naming_it_and_changes_nothing() {
    let app = seeded_app().await;
    let before = app.snapshot().await;
    let long = "x".repeat(201);
    let cases: Vec<(&str, Value, &str)> = vec![
        ("name", json!(null), "name"),
        ("name", json!(""), "name"),
        ("name", json!("   "), "name"),
        ("name", json!(long), "name"),
        ("city", json!(""), "city"),
        ("country_code", json!("fr"), "country_code"),
        ("country_code", json!("FRA"), "country_code"),
        ("country_code", json!("ZZ"), "country_code"),
        ("role", json!("boss"), "role"),
        ("slug", json!("Lille Métropole"), "slug"),
        ("slug", json!("-lille"), "slug"),
        ("slug", json!("lille--metropole"), "slug"),
        ("slug", json!("2024"), "slug"),
        ("slug", json!("a".repeat(101)), "slug"),
        ("region", json!(""), "region"),
        ("population", json!(0), "population"),
        ("population", json!(-5), "population"),
        ("latitude", json!(90.5), "latitude"),
        ("website", json!("not a url"), "website"),
        ("website", json!("ftp://example.org"), "website"),
        ("description", json!(" "), "description"),
        ("id", json!(42), "id"),
        ("created_at", json!("2024-06-18T09:30:00Z"), "created_at"),
        ("colour", json!("blue"), "colour"),
    ];
    for (field, value, at_fault) in cases {
        let mut body = liege();
        body[field] = value.clone();
        let reply = app.post("/api/v1/partners", body).await;
        reply.assert_problem(422);
        assert_eq!(reply.fields_at_fault(), [at_fault], "{field} = {value}");
    }
    // Coordinates come in pairs.
    let mut body = liege();
    body.as_object_mut().unwrap().remove("longitude");
    assert_eq!(
        app.post("/api/v1/partners", body).await.fields_at_fault(),
        ["longitude"]
    );
    // Missing required fields.
    let reply = app.post("/api/v1/partners", json!({})).await;
    reply.assert_problem(422);
    assert_eq!(reply.fields_at_fault(), ["name", "city", "country_code"]);
    assert_eq!(app.snapshot().await, before);
}

#[actix_web::test]
async fn create_partner_reports_every_fault_at_once() {
    let app = empty_app().await;
    let reply = app
        .post("/api/v1/partners", json!({"name": "", "country_code": "xx", "population": 0, "latitude": 1.0, "colour": "blue"}))
        .await;
    reply.assert_problem(422);
    assert_eq!(
        reply.fields_at_fault(),
        [
            "colour",
            "name",
            "city",
            "country_code",
            "population",
            "longitude"
        ]
    );
    assert_eq!(reply.body["detail"], "The request has 6 invalid fields.");
}

#[actix_web::test]
async fn create_partner_with_a_field_of_the_wrong_json_type_is_a_400_naming_each_field() {
    let app = empty_app().await;
    let before = app.snapshot().await;
    let reply = app
        .post("/api/v1/partners", json!({"name": 5, "city": ["Lille"], "country_code": "FR", "population": 1.5, "latitude": "50"}))
        .await;
    reply.assert_problem(400);
    assert_eq!(
        reply.fields_at_fault(),
        ["city", "latitude", "name", "population"]
    );
    assert_eq!(app.snapshot().await, before);
}

#[actix_web::test]
async fn create_partner_with_a_taken_slug_is_a_409() {
    let app = seeded_app().await;
    let before = app.snapshot().await;
    let reply = app
        .post(
            "/api/v1/partners",
            json!({"name": "Brno", "city": "Brno", "country_code": "CZ"}),
        )
        .await;
    reply.assert_problem(409);
    assert_eq!(reply.fields_at_fault(), ["slug"]);
    assert_eq!(app.snapshot().await, before);
}

#[actix_web::test]
async fn a_second_lead_partner_is_a_409_on_create_put_and_patch() {
    let app = seeded_app().await;
    let before = app.snapshot().await;
    let mut body = liege();
    body["role"] = json!("lead_partner");
    let reply = app.post("/api/v1/partners", body.clone()).await;
    reply.assert_problem(409);
    assert_eq!(reply.fields_at_fault(), ["role"]);
    assert!(
        reply.body["detail"]
            .as_str()
            .unwrap()
            .contains("lille-metropole")
    );
    app.patch("/api/v1/partners/brno", json!({"role": "lead_partner"}))
        .await
        .assert_problem(409);
    body["slug"] = json!("brno");
    app.put("/api/v1/partners/brno", body)
        .await
        .assert_problem(409);
    assert_eq!(app.snapshot().await, before);
    // The lead may stay lead, and the role can move once it is free.
    assert_eq!(
        app.patch(
            "/api/v1/partners/lille-metropole",
            json!({"role": "lead_partner"})
        )
        .await
        .status,
        200
    );
    assert_eq!(
        app.patch(
            "/api/v1/partners/lille-metropole",
            json!({"role": "partner"})
        )
        .await
        .status,
        200
    );
    assert_eq!(
        app.patch("/api/v1/partners/brno", json!({"role": "lead_partner"}))
            .await
            .status,
        200
    );
}

#[actix_web::test]
async fn patch_partner_is_a_merge_patch() {
    let app = empty_app().await;
    let created = app.post("/api/v1/partners", liege()).await;
    let uri = created.header("location").unwrap().to_string();
    let patched = app
        .patch(&uri, json!({"population": 700000, "region": null}))
        .await;
    assert_eq!(patched.status, 200, "{}", patched.body);
    assert_eq!(patched.body["population"], 700000);
    assert_eq!(patched.body["region"], Value::Null);
    // Everything not in the patch is as it was.
    for field in [
        "name",
        "city",
        "country_code",
        "latitude",
        "longitude",
        "website",
        "slug",
        "id",
        "created_at",
    ] {
        assert_eq!(patched.body[field], created.body[field], "{field}");
    }
    // Coordinates clear together.
    let cleared = app
        .patch(&uri, json!({"latitude": null, "longitude": null}))
        .await;
    assert_eq!(cleared.status, 200);
    assert_eq!(cleared.body["latitude"], Value::Null);
    // The patched record is what GET now shows.
    assert_eq!(app.get(&uri).await.body, cleared.body);
}

#[actix_web::test]
async fn patch_partner_takes_application_merge_patch_json() {
    let app = seeded_app().await;
    let reply = app
        .send(
            TestRequest::patch()
                .uri("/api/v1/partners/brno")
                .insert_header((header::CONTENT_TYPE, "application/merge-patch+json"))
                .set_payload(r#"{"description": "Moravian capital"}"#),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.body["description"], "Moravian capital");
}

#[actix_web::test]
async fn patch_partner_rejects_what_post_rejects_and_changes_nothing() {
    let app = seeded_app().await;
    let before = app.snapshot().await;
    let cases = [
        (json!({"name": null}), vec!["name"]),
        (json!({"name": ""}), vec!["name"]),
        (json!({"latitude": null}), vec!["latitude"]),
        (
            json!({"country_code": "XX", "population": -1}),
            vec!["country_code", "population"],
        ),
        (json!({"id": 3}), vec!["id"]),
        (json!({"slug": "Not a slug"}), vec!["slug"]),
    ];
    for (patch, fields) in cases {
        let reply = app.patch("/api/v1/partners/brno", patch.clone()).await;
        reply.assert_problem(422);
        assert_eq!(reply.fields_at_fault(), fields, "{patch}");
    }
    app.patch("/api/v1/partners/brno", json!({"population": "many"}))
        .await
        .assert_problem(400);
    app.patch("/api/v1/partners/atlantis", json!({"population": 5}))
        .await
        .assert_problem(404);
    app.patch("/api/v1/partners/brno", json!({"slug": "krakow"}))
        .await
        .assert_problem(409);
    assert_eq!(app.snapshot().await, before);
}

#[actix_web::test]
async fn writes_honour_if_match() {
    let app = seeded_app().await;
    let etag = app
        .get("/api/v1/partners/brno")
        .await
        .header("etag")
        .unwrap()
        .to_string();
    let stale = "\"0000\"";
    let before = app.snapshot().await;
    for method in [Method::PATCH, Method::PUT] {
        let mut body = json!({"name": "Brno", "city": "Brno", "country_code": "CZ"});
        if method == Method::PATCH {
            body = json!({"population": 1});
        }
        let reply = app
            .send(
                TestRequest::default()
                    .method(method)
                    .uri("/api/v1/partners/brno")
                    .insert_header((header::IF_MATCH, stale))
                    .set_json(body),
            )
            .await;
        reply.assert_problem(412);
    }
    app.send(
        TestRequest::delete()
            .uri("/api/v1/partners/brno")
            .insert_header((header::IF_MATCH, stale)),
    )
    .await
    .assert_problem(412);
    assert_eq!(app.snapshot().await, before);
    // A weak tag never satisfies If-Match (strong comparison).
    let weak = format!("W/{etag}");
    app.send(
        TestRequest::patch()
            .uri("/api/v1/partners/brno")
            .insert_header((header::IF_MATCH, weak))
            .set_json(json!({"population": 1})),
    )
    .await
    .assert_problem(412);
    // The current tag, or *, lets the write through.
    let ok = app
        .send(
            TestRequest::patch()
                .uri("/api/v1/partners/brno")
                .insert_header((header::IF_MATCH, etag.clone()))
                .set_json(json!({"population": 380000})),
        )
        .await;
    assert_eq!(ok.status, 200);
    let new_etag = ok.header("etag").unwrap().to_string();
    assert_ne!(new_etag, etag);
    // The old tag is now stale.
    app.send(
        TestRequest::patch()
            .uri("/api/v1/partners/brno")
            .insert_header((header::IF_MATCH, etag))
            .set_json(json!({"population": 2})),
    )
    .await
    .assert_problem(412);
    let any = app
        .send(
            TestRequest::patch()
                .uri("/api/v1/partners/brno")
                .insert_header((header::IF_MATCH, "*"))
                .set_json(json!({"population": 3})),
        )
        .await;
    assert_eq!(any.status, 200);
    // A malformed If-Match is a 400.
    app.send(
        TestRequest::patch()
            .uri("/api/v1/partners/brno")
            .insert_header((header::IF_MATCH, "no-quotes"))
            .set_json(json!({"population": 4})),
    )
    .await
    .assert_problem(400);
}

#[actix_web::test]
async fn put_partner_replaces_the_whole_record_and_keeps_the_slug_when_left_out() {
    let app = empty_app().await;
    let created = app.post("/api/v1/partners", liege()).await;
    let uri = created.header("location").unwrap().to_string();
    let replaced = app
        .put(
            &uri,
            json!({"name": "Liège", "city": "Liège", "country_code": "BE"}),
        )
        .await;
    assert_eq!(replaced.status, 200, "{}", replaced.body);
    assert_eq!(replaced.body["slug"], "liege-metropole");
    assert_eq!(replaced.body["name"], "Liège");
    for cleared in [
        "region",
        "population",
        "latitude",
        "longitude",
        "website",
        "description",
    ] {
        assert_eq!(replaced.body[cleared], Value::Null, "{cleared}");
    }
    assert_eq!(replaced.body["created_at"], created.body["created_at"]);
    let renamed = app
        .put(
            &uri,
            json!({"slug": "liege", "name": "Liège", "city": "Liège", "country_code": "BE"}),
        )
        .await;
    assert_eq!(renamed.body["slug"], "liege");
    assert_eq!(app.get("/api/v1/partners/liege").await.status, 200);
    app.get("/api/v1/partners/liege-metropole")
        .await
        .assert_problem(404);
    // PUT validates like POST.
    let reply = app.put(&uri, json!({"name": "Liège"})).await;
    reply.assert_problem(422);
    assert_eq!(reply.fields_at_fault(), ["city", "country_code"]);
    app.put("/api/v1/partners/999", liege())
        .await
        .assert_problem(404);
}

#[actix_web::test]
async fn delete_partner_answers_204_then_the_partner_is_gone() {
    let app = seeded_app().await;
    let reply = app.delete("/api/v1/partners/eindhoven").await;
    assert_eq!(reply.status, 204);
    assert_eq!(reply.body, Value::Null);
    app.get("/api/v1/partners/eindhoven")
        .await
        .assert_problem(404);
    app.delete("/api/v1/partners/eindhoven")
        .await
        .assert_problem(404);
    assert_eq!(app.get("/api/v1/partners").await.body["meta"]["total"], 7);
}

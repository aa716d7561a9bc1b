//! `/api/v1/recommendations`: operations, relations, rules, transactions.

use actix_web::http::header;
use actix_web::test::TestRequest;
use city_region_api::db::Dialect;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::helpers::{empty_app, recommendation, seeded_app};

fn slugs(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|s| s["slug"].as_str().unwrap())
        .collect()
}

#[actix_web::test]
async fn create_recommendation_links_themes_and_partners_and_shows_their_summaries() {
    let app = seeded_app().await;
    let governance = app.id_of("/api/v1/thematic-areas/governance").await;
    let mobility = app
        .id_of("/api/v1/thematic-areas/mobility-management-and-transport")
        .await;
    let lille = app.id_of("/api/v1/partners/lille-metropole").await;
    let brno = app.id_of("/api/v1/partners/brno").await;
    let created = app
        .post(
            "/api/v1/recommendations",
            recommendation(&[governance, mobility, governance], &[brno, lille]),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let body = &created.body;
    assert_eq!(body["slug"], "give-the-city-region-one-mobility-authority");
    assert_eq!(body["status"], "draft", "status defaults to draft");
    assert_eq!(body["target_level"], "regional");
    assert_eq!(
        slugs(&body["thematic_areas"]),
        ["mobility-management-and-transport", "governance"]
    );
    assert_eq!(slugs(&body["partners"]), ["lille-metropole", "brno"]);
    assert_eq!(
        body["partners"][0],
        json!({"id": lille, "slug": "lille-metropole", "name": "Lille Métropole"})
    );
    let location = created.header("location").unwrap().to_string();
    assert_eq!(location, format!("/api/v1/recommendations/{}", body["id"]));
    let fetched = app.get(&location).await;
    assert_eq!(&fetched.body, body);
    assert_eq!(fetched.header("etag"), created.header("etag"));
    let by_slug = app
        .get("/api/v1/recommendations/give-the-city-region-one-mobility-authority")
        .await;
    assert_eq!(&by_slug.body, body);
    let listed = app.get("/api/v1/recommendations").await;
    assert_eq!(listed.body["data"][0], *body);
}

#[actix_web::test]
async fn create_recommendation_rejects_bad_fields_and_unknown_ids_and_changes_nothing() {
    let app = seeded_app().await;
    let before = app.snapshot().await;
    let cases: Vec<(&str, Value, Vec<&str>)> = vec![
        ("title", json!(null), vec!["title"]),
        ("title", json!(" "), vec!["title"]),
        ("body", json!(""), vec!["body"]),
        ("body", json!("x".repeat(100_001)), vec!["body"]),
        ("target_level", json!(null), vec!["target_level"]),
        ("target_level", json!("global"), vec!["target_level"]),
        ("status", json!("archived"), vec!["status"]),
        ("thematic_area_ids", json!([]), vec!["thematic_area_ids"]),
        ("thematic_area_ids", json!(null), vec!["thematic_area_ids"]),
        ("thematic_area_ids", json!([0]), vec!["thematic_area_ids"]),
        ("thematic_area_ids", json!([-4]), vec!["thematic_area_ids"]),
        (
            "thematic_area_ids",
            json!([99999999999i64]),
            vec!["thematic_area_ids"],
        ),
        (
            "thematic_area_ids",
            json!([1, 998, 999]),
            vec!["thematic_area_ids"],
        ),
        ("partner_ids", json!([999]), vec!["partner_ids"]),
        ("thematic_areas", json!([1]), vec!["thematic_areas"]),
    ];
    for (field, value, faults) in cases {
        let mut body = recommendation(&[1], &[1]);
        body[field] = value.clone();
        let reply = app.post("/api/v1/recommendations", body).await;
        reply.assert_problem(422);
        assert_eq!(reply.fields_at_fault(), faults, "{field} = {value}");
    }
    // Every unknown id is named, in one message.
    let reply = app
        .post(
            "/api/v1/recommendations",
            recommendation(&[1, 998, 999], &[997]),
        )
        .await;
    assert_eq!(
        reply.fields_at_fault(),
        ["thematic_area_ids", "partner_ids"]
    );
    assert!(
        reply.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("998, 999")
    );
    // Wrong JSON types are a 400.
    for (field, value) in [
        ("thematic_area_ids", json!(["governance"])),
        ("partner_ids", json!(1)),
        ("title", json!(true)),
    ] {
        let mut body = recommendation(&[1], &[1]);
        body[field] = value;
        app.post("/api/v1/recommendations", body)
            .await
            .assert_problem(400);
    }
    assert_eq!(app.snapshot().await, before);
}

#[actix_web::test]
async fn patch_recommendation_replaces_a_relation_set_only_when_given() {
    let app = seeded_app().await;
    let created = app
        .post("/api/v1/recommendations", recommendation(&[1, 2], &[1, 2]))
        .await;
    let uri = created.header("location").unwrap().to_string();
    let retitled = app
        .patch(
            &uri,
            json!({"title": "One mobility authority", "status": "published"}),
        )
        .await;
    assert_eq!(retitled.status, 200, "{}", retitled.body);
    assert_eq!(
        retitled.body["thematic_areas"],
        created.body["thematic_areas"]
    );
    assert_eq!(retitled.body["partners"], created.body["partners"]);
    assert_eq!(retitled.body["status"], "published");
    assert_eq!(
        retitled.body["slug"], created.body["slug"],
        "the slug stays"
    );
    let relinked = app
        .patch(&uri, json!({"thematic_area_ids": [3], "partner_ids": []}))
        .await;
    assert_eq!(
        slugs(&relinked.body["thematic_areas"]),
        ["main-environmental-issues"]
    );
    assert_eq!(relinked.body["partners"], json!([]));
    let cleared = app.patch(&uri, json!({"partner_ids": [4]})).await;
    assert_eq!(slugs(&cleared.body["partners"]), ["burgas"]);
    let cleared = app.patch(&uri, json!({"partner_ids": null})).await;
    assert_eq!(cleared.body["partners"], json!([]));
    let before = app.snapshot().await;
    let refused = app.patch(&uri, json!({"thematic_area_ids": null})).await;
    refused.assert_problem(422);
    assert_eq!(refused.fields_at_fault(), ["thematic_area_ids"]);
    app.patch(&uri, json!({"thematic_area_ids": [404]}))
        .await
        .assert_problem(422);
    assert_eq!(app.snapshot().await, before);
}

#[actix_web::test]
async fn put_recommendation_replaces_columns_and_links() {
    let app = seeded_app().await;
    let created = app
        .post("/api/v1/recommendations", recommendation(&[1, 2], &[1, 2]))
        .await;
    let uri = created.header("location").unwrap().to_string();
    let etag = created.header("etag").unwrap().to_string();
    let replaced = app
        .send(
            TestRequest::put()
                .uri(&uri)
                .insert_header((header::IF_MATCH, etag.clone()))
                .set_json(json!({"title": "Share one spatial plan", "body": "Plan together.", "target_level": "national", "thematic_area_ids": [1]})),
        )
        .await;
    assert_eq!(replaced.status, 200, "{}", replaced.body);
    assert_eq!(
        slugs(&replaced.body["thematic_areas"]),
        ["strategy-and-spatial-planning"]
    );
    assert_eq!(replaced.body["partners"], json!([]));
    assert_eq!(replaced.body["status"], "draft");
    assert_eq!(replaced.body["slug"], created.body["slug"]);
    // The ETag it was replaced under is stale now.
    let stale = app
        .send(
            TestRequest::put()
                .uri(&uri)
                .insert_header((header::IF_MATCH, etag))
                .set_json(recommendation(&[1], &[])),
        )
        .await;
    stale.assert_problem(412);
}

#[actix_web::test]
async fn delete_recommendation_takes_its_links_with_it() {
    let app = seeded_app().await;
    let created = app
        .post("/api/v1/recommendations", recommendation(&[7], &[3]))
        .await;
    let uri = created.header("location").unwrap().to_string();
    app.delete("/api/v1/thematic-areas/7")
        .await
        .assert_problem(409);
    app.delete("/api/v1/partners/3").await.assert_problem(409);
    assert_eq!(app.delete(&uri).await.status, 204);
    app.get(&uri).await.assert_problem(404);
    // Nothing refers to the theme or the partner any more.
    assert_eq!(app.delete("/api/v1/thematic-areas/7").await.status, 204);
    assert_eq!(app.delete("/api/v1/partners/3").await.status, 204);
}

#[actix_web::test]
async fn a_create_that_fails_on_its_third_link_leaves_nothing_behind() {
    let app = seeded_app().await;
    // Make the database itself refuse a third theme link, whatever the
    // service checked first: the failure comes mid-write.
    let mut conn = city_region_api::db::connect_and_migrate(&app.path).unwrap();
    conn.batch_execute(match conn.dialect() {
        Dialect::Sqlite => {
            "CREATE TRIGGER third_link_fails BEFORE INSERT ON recommendation_thematic_areas
             WHEN (SELECT count(*) FROM recommendation_thematic_areas WHERE recommendation_id = NEW.recommendation_id) >= 2
             BEGIN SELECT RAISE(ABORT, 'third link refused'); END;"
        }
        Dialect::Postgres => {
            "CREATE FUNCTION third_link_fails() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
               IF (SELECT count(*) FROM recommendation_thematic_areas WHERE recommendation_id = NEW.recommendation_id) >= 2 THEN
                 RAISE EXCEPTION 'third link refused';
               END IF;
               RETURN NEW;
             END $$;
             CREATE TRIGGER third_link_fails BEFORE INSERT ON recommendation_thematic_areas
             FOR EACH ROW EXECUTE FUNCTION third_link_fails();"
        }
    })
    .unwrap();
    let before = app.snapshot().await;
    let reply = app
        .post("/api/v1/recommendations", recommendation(&[1, 2, 3], &[1]))
        .await;
    reply.assert_problem(500);
    assert_eq!(
        reply.body["detail"],
        "An unexpected error occurred; it has been logged."
    );
    assert_eq!(app.snapshot().await, before);
    let rows: i64 = diesel::sql_query("SELECT count(*) AS n FROM recommendations")
        .get_result::<Count>(&mut conn)
        .unwrap()
        .n;
    let links: i64 = diesel::sql_query(
        "SELECT (SELECT count(*) FROM recommendation_thematic_areas) + (SELECT count(*) FROM recommendation_partners) AS n",
    )
    .get_result::<Count>(&mut conn)
    .unwrap()
    .n;
    assert_eq!((rows, links), (0, 0));
    // Two links are fine, and the next write goes through.
    assert_eq!(
        app.post("/api/v1/recommendations", recommendation(&[1, 2], &[1]))
            .await
            .status,
        201
    );
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

#[actix_web::test]
async fn recommendations_list_pages_with_the_cursor() {
    let app = empty_app().await;
    let area = app
        .post("/api/v1/thematic-areas", json!({"name": "Governance"}))
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    for i in 0..5 {
        let mut body = recommendation(&[area], &[]);
        body["title"] = json!(format!("Recommendation {i}"));
        assert_eq!(app.post("/api/v1/recommendations", body).await.status, 201);
    }
    let first = app.get("/api/v1/recommendations?limit=2").await;
    assert_eq!(first.body["meta"]["total"], 5);
    let mut seen = slugs(&first.body["data"])
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>();
    let mut cursor = first.body["meta"]["next_cursor"].as_str().map(String::from);
    while let Some(c) = cursor {
        let page = app
            .get(&format!("/api/v1/recommendations?limit=2&cursor={c}"))
            .await;
        seen.extend(slugs(&page.body["data"]).iter().map(|s| s.to_string()));
        cursor = page.body["meta"]["next_cursor"].as_str().map(String::from);
    }
    assert_eq!(
        seen,
        (0..5)
            .map(|i| format!("recommendation-{i}"))
            .collect::<Vec<_>>()
    );
}

#[actix_web::test]
async fn related_names_are_shown_exactly_as_written() {
    // Relations are read as JSON made by SQLite inside the row's query:
    // quotes, backslashes, tabs and characters beyond the BMP must come
    // out as they went in, in lists, by id, and as the event's host.
    let app = seeded_app().await;
    let name = "Aix \"Marseille\" \\ Provence\tMétropole 🌍 <&>";
    let mut partner = crate::helpers::liege();
    partner["name"] = json!(name);
    let created = app.post("/api/v1/partners", partner).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let partner_id = created.body["id"].as_i64().unwrap();
    let governance = app.id_of("/api/v1/thematic-areas/governance").await;
    let made = app
        .post(
            "/api/v1/recommendations",
            recommendation(&[governance], &[partner_id]),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.body);
    let expected = json!([{"id": partner_id, "slug": created.body["slug"], "name": name}]);
    assert_eq!(made.body["partners"], expected);
    let uri = format!("/api/v1/recommendations/{}", made.body["id"]);
    assert_eq!(app.get(&uri).await.body["partners"], expected);
    let listed = app.get("/api/v1/recommendations").await;
    assert_eq!(listed.body["data"][0]["partners"], expected);
    let event = app
        .post(
            "/api/v1/events",
            crate::helpers::event(Some(partner_id), &[partner_id], &[]),
        )
        .await;
    assert_eq!(event.status, 201, "{}", event.body);
    assert_eq!(event.body["host_partner"], expected[0]);
    assert_eq!(event.body["partners"], expected);
    let uri = format!("/api/v1/events/{}", event.body["id"]);
    let fetched = app.get(&uri).await;
    assert_eq!(fetched.body, event.body);
    let hosted = app
        .get(&format!("/api/v1/events?partner={partner_id}"))
        .await;
    assert_eq!(hosted.body["data"], json!([event.body]));
}

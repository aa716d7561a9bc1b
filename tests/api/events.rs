//! `/api/v1/events`: operations, relations, dates and kinds.

use serde_json::{Value, json};

use crate::helpers::{event, seeded_app};

fn slugs(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|s| s["slug"].as_str().unwrap())
        .collect()
}

#[actix_web::test]
async fn create_event_links_host_participants_and_themes() {
    let app = seeded_app().await;
    let krakow = app.id_of("/api/v1/partners/krakow").await;
    let brno = app.id_of("/api/v1/partners/brno").await;
    let seville = app.id_of("/api/v1/partners/seville").await;
    let created = app
        .post(
            "/api/v1/events",
            event(Some(krakow), &[brno, seville], &[5, 1]),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let body = &created.body;
    assert_eq!(body["slug"], "transnational-meeting-in-krakow");
    assert_eq!(
        body["host_partner"],
        json!({"id": krakow, "slug": "krakow", "name": "Kraków"})
    );
    assert_eq!(slugs(&body["partners"]), ["seville", "brno"]);
    assert_eq!(
        slugs(&body["thematic_areas"]),
        ["strategy-and-spatial-planning", "governance"]
    );
    assert_eq!(body["starts_on"], "2009-03-12");
    assert_eq!(body["ends_on"], "2009-03-13");
    assert_eq!(body["city"], "Kraków");
    let location = created.header("location").unwrap().to_string();
    assert_eq!(app.get(&location).await.body, *body);
    assert_eq!(
        app.get("/api/v1/events/transnational-meeting-in-krakow")
            .await
            .body,
        *body
    );
}

#[actix_web::test]
async fn create_event_enforces_kinds_real_dates_their_order_and_existing_ids() {
    let app = seeded_app().await;
    let before = app.snapshot().await;
    let cases: Vec<(&str, Value, &str)> = vec![
        ("title", json!(""), "title"),
        ("kind", json!(null), "kind"),
        ("kind", json!("party"), "kind"),
        ("starts_on", json!(null), "starts_on"),
        ("starts_on", json!("2009-02-30"), "starts_on"),
        ("starts_on", json!("12/03/2009"), "starts_on"),
        ("starts_on", json!("2009-3-12"), "starts_on"),
        ("ends_on", json!("2009-03-11"), "ends_on"),
        ("ends_on", json!("2009-13-01"), "ends_on"),
        ("country_code", json!("pl"), "country_code"),
        ("city", json!(" "), "city"),
        ("host_partner_id", json!(999), "host_partner_id"),
        ("host_partner_id", json!(0), "host_partner_id"),
        ("partner_ids", json!([1, 999]), "partner_ids"),
        ("thematic_area_ids", json!([999]), "thematic_area_ids"),
        ("url", json!("urbact.eu"), "url"),
        ("host_partner", json!(1), "host_partner"),
    ];
    for (field, value, at_fault) in cases {
        let mut body = event(Some(1), &[2], &[3]);
        body[field] = value.clone();
        let reply = app.post("/api/v1/events", body).await;
        reply.assert_problem(422);
        assert_eq!(reply.fields_at_fault(), [at_fault], "{field} = {value}");
    }
    for (field, value) in [
        ("starts_on", json!(20090312)),
        ("host_partner_id", json!("krakow")),
        ("partner_ids", json!([[1]])),
    ] {
        let mut body = event(Some(1), &[2], &[3]);
        body[field] = value;
        app.post("/api/v1/events", body).await.assert_problem(400);
    }
    assert_eq!(app.snapshot().await, before);
}

#[actix_web::test]
async fn an_event_may_have_no_place_no_host_and_a_single_day() {
    let app = seeded_app().await;
    let created = app
        .post(
            "/api/v1/events",
            json!({"title": "Steering group call", "kind": "other", "starts_on": "2009-06-01"}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    for empty in [
        "ends_on",
        "city",
        "country_code",
        "host_partner",
        "description",
        "url",
    ] {
        assert_eq!(created.body[empty], Value::Null, "{empty}");
    }
    assert_eq!(created.body["partners"], json!([]));
}

#[actix_web::test]
async fn patch_event_is_validated_as_a_whole_and_can_clear_the_host() {
    let app = seeded_app().await;
    let created = app.post("/api/v1/events", event(Some(5), &[6], &[2])).await;
    let uri = created.header("location").unwrap().to_string();
    let before = app.snapshot().await;
    // Moving the start after the (unchanged) end breaks the date order.
    let reply = app.patch(&uri, json!({"starts_on": "2009-03-20"})).await;
    reply.assert_problem(422);
    assert_eq!(reply.fields_at_fault(), ["ends_on"]);
    assert_eq!(app.snapshot().await, before);
    let moved = app
        .patch(&uri, json!({"starts_on": "2009-03-20", "ends_on": null}))
        .await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    assert_eq!(moved.body["ends_on"], Value::Null);
    assert_eq!(
        moved.body["partners"], created.body["partners"],
        "relations not in the patch stay"
    );
    let unhosted = app
        .patch(
            &uri,
            json!({"host_partner_id": null, "thematic_area_ids": [4, 7]}),
        )
        .await;
    assert_eq!(unhosted.body["host_partner"], Value::Null);
    assert_eq!(
        slugs(&unhosted.body["thematic_areas"]),
        ["knowledge-economy", "attractiveness-and-competitiveness"]
    );
    assert_eq!(app.delete(&uri).await.status, 204);
    app.get(&uri).await.assert_problem(404);
    // Its host, participant and themes are free to go now.
    for uri in [
        "/api/v1/partners/5",
        "/api/v1/partners/6",
        "/api/v1/thematic-areas/2",
    ] {
        assert_eq!(app.delete(uri).await.status, 204, "{uri}");
    }
}

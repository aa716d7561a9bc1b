//! GeoJSON (RFC 7946) for partners and events: `.geojson` or
//! `Accept: application/geo+json`, `[longitude, latitude]`, the record as
//! `properties`, `null` geometry where no place is known; the list's
//! filters and `fields=` apply; other collections have none.

use actix_web::http::header;
use actix_web::test::TestRequest;
use serde_json::{Value, json};

use crate::helpers::{event, seeded_app};

fn features(body: &Value) -> &Vec<Value> {
    assert_eq!(body["type"], "FeatureCollection", "{body}");
    body["features"].as_array().expect("features")
}

#[actix_web::test]
async fn the_partners_are_points_at_their_coordinates_with_the_record_as_properties() {
    let app = seeded_app().await;
    let geo = app.get("/api/v1/partners.geojson").await;
    assert_eq!(geo.status, 200, "{}", geo.text);
    assert_eq!(geo.header("content-type"), Some("application/geo+json"));
    let list = app.get("/api/v1/partners?limit=100").await;
    let partners = list.body["data"].as_array().unwrap();
    let features = features(&geo.body);
    assert_eq!(features.len(), partners.len());
    assert_eq!(features.len(), 8);
    for (feature, partner) in features.iter().zip(partners) {
        assert_eq!(feature["type"], "Feature");
        assert_eq!(feature["id"], partner["id"]);
        assert_eq!(feature["properties"], *partner);
        assert_eq!(feature["geometry"]["type"], "Point");
        assert_eq!(
            feature["geometry"]["coordinates"],
            json!([partner["longitude"], partner["latitude"]])
        );
    }
    let lille = features
        .iter()
        .find(|f| f["properties"]["slug"] == "lille-metropole")
        .unwrap();
    let [lon, lat] = [
        lille["geometry"]["coordinates"][0].as_f64().unwrap(),
        lille["geometry"]["coordinates"][1].as_f64().unwrap(),
    ];
    assert!((3.0..3.1).contains(&lon) && (50.6..50.7).contains(&lat));
}

#[actix_web::test]
async fn an_event_sits_at_its_hosts_place_and_nowhere_without_one() {
    let app = seeded_app().await;
    let area = app.id_of("/api/v1/thematic-areas/governance").await;
    let mut unhosted = event(None, &[], &[area]);
    unhosted["title"] = json!("Nowhere in particular");
    assert_eq!(app.post("/api/v1/events", unhosted).await.status, 201);
    let krakow = app.id_of("/api/v1/partners/krakow").await;
    let mut hosted = event(Some(krakow), &[], &[area]);
    hosted["title"] = json!("Hosted in Kraków");
    assert_eq!(app.post("/api/v1/events", hosted).await.status, 201);
    let geo = app
        .send(
            TestRequest::get()
                .uri("/api/v1/events?sort=starts_on")
                .insert_header((header::ACCEPT, "application/geo+json")),
        )
        .await;
    assert_eq!(geo.status, 200, "{}", geo.text);
    assert_eq!(geo.header("content-type"), Some("application/geo+json"));
    let partners = app.get("/api/v1/partners?limit=100").await.body["data"].clone();
    let place_of = |id: &Value| {
        let partner = partners
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == *id)?;
        Some(json!([partner["longitude"], partner["latitude"]]))
    };
    let features = features(&geo.body);
    assert!(features.len() >= 2);
    let mut hosted = 0;
    for feature in features {
        match feature["properties"]["host_partner"].get("id") {
            Some(host) => {
                hosted += 1;
                assert_eq!(feature["geometry"]["coordinates"], place_of(host).unwrap());
            }
            None => assert_eq!(feature["geometry"], Value::Null, "{feature}"),
        }
        assert!(feature["properties"].get("place").is_none());
    }
    assert!(hosted > 0);
    assert!(features.iter().any(|f| f["geometry"].is_null()));
}

#[actix_web::test]
async fn filters_and_fields_apply_and_other_collections_have_no_geojson() {
    let app = seeded_app().await;
    let geo = app
        .get("/api/v1/partners.geojson?country=PL,CZ&fields=name")
        .await;
    assert_eq!(geo.status, 200, "{}", geo.text);
    let features = features(&geo.body);
    let list = app.get("/api/v1/partners?country=PL,CZ").await;
    assert_eq!(
        features.len() as u64,
        list.body["meta"]["total"].as_u64().unwrap()
    );
    for feature in features {
        assert_eq!(
            feature["properties"]
                .as_object()
                .unwrap()
                .keys()
                .collect::<Vec<_>>(),
            ["id", "name"]
        );
    }
    let nested = app.get("/api/v1/partners/lille-metropole/events").await;
    let nested_geo = app
        .send(
            TestRequest::get()
                .uri("/api/v1/partners/lille-metropole/events")
                .insert_header((header::ACCEPT, "application/geo+json")),
        )
        .await;
    assert_eq!(
        features_len(&nested_geo.body),
        nested.body["meta"]["total"].as_u64().unwrap() as usize
    );

    app.get("/api/v1/recommendations.geojson")
        .await
        .assert_problem(404);
    app.send(
        TestRequest::get()
            .uri("/api/v1/recommendations")
            .insert_header((header::ACCEPT, "application/geo+json")),
    )
    .await
    .assert_problem(406);
    let fallback = app
        .send(
            TestRequest::get()
                .uri("/api/v1/thematic-areas")
                .insert_header((header::ACCEPT, "application/geo+json, text/csv;q=0.5")),
        )
        .await;
    assert_eq!(
        fallback.header("content-type"),
        Some("text/csv; charset=utf-8")
    );
    app.get("/api/v1/events.geojson?limit=5")
        .await
        .assert_problem(400);
    app.get("/api/v1/events.geojson?facets=kind")
        .await
        .assert_problem(400);
}

fn features_len(body: &Value) -> usize {
    features(body).len()
}

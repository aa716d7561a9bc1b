//! The nested lists, the 409s that protect referenced records, and the
//! fixed number of queries a page costs.

use city_region_api::collection::Fetch;
use city_region_api::db::Conn;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::prelude::*;
use serde_json::Value;

use city_region_api::db::connect_and_migrate;
use city_region_api::listing::{Filters, Listing, Sort};
use city_region_api::{events, recommendations, seed};

use crate::helpers::{event, recommendation, seeded_app};

fn slugs(page: &Value) -> Vec<String> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["slug"].as_str().unwrap().to_string())
        .collect()
}

#[actix_web::test]
async fn a_partners_events_are_those_it_hosted_or_attended() {
    let app = seeded_app().await;
    let brno = app.id_of("/api/v1/partners/brno").await;
    let mut hosted = event(Some(brno), &[], &[]);
    hosted["title"] = "Hosted by Brno".into();
    let mut attended = event(Some(1), &[brno, 2], &[]);
    attended["title"] = "Attended by Brno".into();
    let mut elsewhere = event(Some(1), &[2], &[]);
    elsewhere["title"] = "Without Brno".into();
    for body in [hosted, attended, elsewhere] {
        assert_eq!(app.post("/api/v1/events", body).await.status, 201);
    }
    for uri in [
        "/api/v1/partners/brno/events",
        &format!("/api/v1/partners/{brno}/events"),
    ] {
        let page = app.get(uri).await;
        assert_eq!(page.status, 200);
        assert_eq!(slugs(&page.body), ["hosted-by-brno", "attended-by-brno"]);
        assert_eq!(page.body["meta"]["total"], 2);
    }
    // Paged like the top-level list.
    let first = app.get("/api/v1/partners/brno/events?limit=1").await;
    assert_eq!(slugs(&first.body), ["hosted-by-brno"]);
    let link = first.header("link").unwrap();
    assert!(
        link.contains("/api/v1/partners/brno/events?limit=1&cursor="),
        "{link}"
    );
    let cursor = first.body["meta"]["next_cursor"].as_str().unwrap();
    let second = app
        .get(&format!(
            "/api/v1/partners/brno/events?limit=1&cursor={cursor}"
        ))
        .await;
    assert_eq!(slugs(&second.body), ["attended-by-brno"]);
    assert_eq!(second.body["meta"]["next_cursor"], Value::Null);
    app.get("/api/v1/partners/atlantis/events")
        .await
        .assert_problem(404);
    app.get("/api/v1/partners/brno/events?limit=0")
        .await
        .assert_problem(400);
}

#[actix_web::test]
async fn nested_recommendation_and_theme_lists_are_filtered_views() {
    let app = seeded_app().await;
    let mut a = recommendation(&[5], &[1, 6]);
    a["title"] = "A".into();
    let mut b = recommendation(&[5, 2], &[6]);
    b["title"] = "B".into();
    let mut c = recommendation(&[2], &[]);
    c["title"] = "C".into();
    for body in [a, b, c] {
        assert_eq!(app.post("/api/v1/recommendations", body).await.status, 201);
    }
    let mut e = event(None, &[], &[5]);
    e["title"] = "Governance seminar".into();
    assert_eq!(app.post("/api/v1/events", e).await.status, 201);
    let cases = [
        ("/api/v1/partners/brno/recommendations", vec!["a", "b"]),
        (
            "/api/v1/partners/lille-metropole/recommendations",
            vec!["a"],
        ),
        ("/api/v1/partners/burgas/recommendations", vec![]),
        (
            "/api/v1/thematic-areas/governance/recommendations",
            vec!["a", "b"],
        ),
        ("/api/v1/thematic-areas/2/recommendations", vec!["b", "c"]),
        (
            "/api/v1/thematic-areas/governance/events",
            vec!["governance-seminar"],
        ),
        ("/api/v1/thematic-areas/knowledge-economy/events", vec![]),
    ];
    for (uri, expected) in cases {
        let page = app.get(uri).await;
        assert_eq!(page.status, 200, "{uri}");
        assert_eq!(slugs(&page.body), expected, "{uri}");
        assert_eq!(page.body["meta"]["total"], expected.len(), "{uri}");
    }
    app.get("/api/v1/thematic-areas/housing/recommendations")
        .await
        .assert_problem(404);
    app.get("/api/v1/thematic-areas/housing/events")
        .await
        .assert_problem(404);
    app.get("/api/v1/partners/brno/recommendations?colour=red")
        .await
        .assert_problem(400);
}

#[actix_web::test]
async fn deleting_a_referenced_partner_or_theme_is_a_409_naming_what_refers_to_it() {
    let app = seeded_app().await;
    let mut hosted = event(Some(6), &[], &[]);
    hosted["title"] = "Brno study visit".into();
    let mut attended = event(None, &[6], &[4]);
    attended["title"] = "Eindhoven seminar".into();
    let mut proposed = recommendation(&[4], &[6]);
    proposed["title"] = "Knowledge districts".into();
    app.post("/api/v1/events", hosted).await;
    app.post("/api/v1/events", attended).await;
    app.post("/api/v1/recommendations", proposed).await;
    let before = app.snapshot().await;
    let reply = app.delete("/api/v1/partners/brno").await;
    reply.assert_problem(409);
    let detail = reply.body["detail"].as_str().unwrap();
    for named in [
        "brno",
        "2 events",
        "brno-study-visit",
        "eindhoven-seminar",
        "1 recommendation",
        "knowledge-districts",
    ] {
        assert!(detail.contains(named), "{detail} should name {named}");
    }
    let reply = app.delete("/api/v1/thematic-areas/knowledge-economy").await;
    reply.assert_problem(409);
    let detail = reply.body["detail"].as_str().unwrap();
    assert!(
        detail.contains("eindhoven-seminar") && detail.contains("knowledge-districts"),
        "{detail}"
    );
    assert_eq!(app.snapshot().await, before, "nothing cascaded");
    // An unreferenced partner and theme delete fine.
    assert_eq!(app.delete("/api/v1/partners/burgas").await.status, 204);
    assert_eq!(
        app.delete("/api/v1/thematic-areas/governance").await.status,
        204
    );
}

/// Counts the queries a connection runs.
struct QueryCounter(Arc<AtomicUsize>);

impl Instrumentation for QueryCounter {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if matches!(event, InstrumentationEvent::StartQuery { .. }) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// Reads `listing` through `list`; the number of records put together.
fn rows_read<T>(list: Fetch<T>, listing: Listing) -> impl FnMut(&mut Conn) -> usize {
    move |c| list(c, &listing).unwrap().assemble().rows.len()
}

#[test]
fn a_page_costs_the_same_number_of_queries_for_1_row_as_for_100() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::helpers::database_url(&dir, "queries.db");
    let mut conn = connect_and_migrate(&path).unwrap();
    seed::load(&mut conn).unwrap();
    // 120 recommendations and 120 events, each with several links.
    for i in 0..120 {
        let write = recommendations::model::RecommendationWrite {
            form: recommendations::model::RecommendationForm {
                slug: format!("synthetic-recommendation-{i}"),
                title: format!("Recommendation {i}"),
                body: "Body.".into(),
                target_level: recommendations::model::TargetLevel::Local,
                status: recommendations::model::RecommendationStatus::Published,
            },
            thematic_area_ids: vec![1 + i % 7, 1 + (i + 1) % 7],
            partner_ids: vec![1 + i % 8, 1 + (i + 3) % 8],
        };
        recommendations::model::insert(&mut conn, write).unwrap();
        let write = events::model::EventWrite {
            form: events::model::EventForm {
                slug: format!("synthetic-event-{i}"),
                title: format!("Event {i}"),
                kind: events::model::EventKind::Workshop,
                starts_on: chrono::NaiveDate::from_ymd_opt(2009, 1, 1).unwrap(),
                ends_on: None,
                city: None,
                country_code: None,
                host_partner_id: Some(1 + i % 8),
                description: None,
                url: None,
            },
            partner_ids: vec![1 + (i + 1) % 8, 1 + (i + 2) % 8],
            thematic_area_ids: vec![1 + i % 7],
        };
        events::model::insert(&mut conn, write).unwrap();
    }
    let dialect = conn.dialect();
    let count = Arc::new(AtomicUsize::new(0));
    conn.set_instrumentation(QueryCounter(count.clone()));
    let mut cost = |f: &mut dyn FnMut(&mut Conn) -> usize| {
        let start = count.load(Ordering::SeqCst);
        let rows = f(&mut conn);
        (rows, count.load(Ordering::SeqCst) - start)
    };
    let listing = |fields, limit| {
        Listing::new(
            Filters::new(dialect),
            Sort::parse(None, fields, None, dialect).unwrap(),
            limit,
            None,
        )
        .unwrap()
    };
    let recs = |limit| {
        rows_read(
            recommendations::model::list,
            listing(recommendations::model::RECOMMENDATION_SORT, limit),
        )
    };
    let evts = |limit| {
        rows_read(
            events::model::list,
            listing(events::model::EVENT_SORT, limit),
        )
    };
    let (rows_1, recs_1) = cost(&mut recs(1));
    let (rows_100, recs_100) = cost(&mut recs(100));
    assert_eq!((rows_1, rows_100), (1, 100));
    assert_eq!(
        recs_1, recs_100,
        "recommendation pages: {recs_1} vs {recs_100} queries"
    );
    assert!(
        recs_100 <= 6,
        "{recs_100} queries for a page of recommendations"
    );
    let (_, events_1) = cost(&mut evts(1));
    let (_, events_100) = cost(&mut evts(100));
    // The first event has no host: its page skips the hosts' query.
    assert_eq!(
        events_1 + 1,
        events_100,
        "event pages: {events_1} vs {events_100} queries"
    );
    assert!(events_100 <= 7, "{events_100} queries for a page of events");
}

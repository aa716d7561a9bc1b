//! `q`: full-text search, with accents and case folded, kept in step with
//! every write, combined with filters and sort.

use serde_json::{Value, json};

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
async fn search_ignores_accents_and_case() {
    let app = seeded_app().await;
    for q in ["krakow", "Kraków", "KRAKOW", "krak"] {
        let page = app
            .get(&format!("/api/v1/partners?q={}", urlencode(q)))
            .await;
        assert_eq!(page.status, 200, "{q}");
        assert_eq!(slugs(&page.body), ["krakow"], "{q}");
    }
    assert_eq!(
        slugs(&app.get("/api/v1/partners?q=metropole").await.body),
        ["lille-metropole"]
    );
    assert_eq!(
        slugs(
            &app.get("/api/v1/partners?q=lille%20m%C3%A9tropole")
                .await
                .body
        ),
        ["lille-metropole"]
    );
    // Every word must match.
    assert!(slugs(&app.get("/api/v1/partners?q=lille%20krakow").await.body).is_empty());
    assert_eq!(
        slugs(&app.get("/api/v1/thematic-areas?q=waste").await.body),
        ["main-environmental-issues"]
    );
    assert_eq!(
        slugs(&app.get("/api/v1/events?q=citylab").await.body),
        ["citylab-managing-metropolitan-areas"]
    );
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[actix_web::test]
async fn search_ranks_title_matches_first_and_combines_with_filters_and_sort() {
    let app = seeded_app().await;
    for (title, body, level) in [
        (
            "Water boards for the whole city-region",
            "Share the **mobility** budget too.",
            "regional",
        ),
        ("Mobility authority", "One ticket.", "regional"),
        ("Mobility pact", "Agree with the state.", "national"),
    ] {
        let mut rec = recommendation(&[2], &[]);
        rec["title"] = json!(title);
        rec["body"] = json!(body);
        rec["target_level"] = json!(level);
        assert_eq!(app.post("/api/v1/recommendations", rec).await.status, 201);
    }
    // Title matches first (in id order), then body matches.
    assert_eq!(
        slugs(&app.get("/api/v1/recommendations?q=mobility").await.body),
        [
            "mobility-authority",
            "mobility-pact",
            "water-boards-for-the-whole-city-region"
        ]
    );
    assert_eq!(
        slugs(
            &app.get("/api/v1/recommendations?q=mobility&target_level=regional")
                .await
                .body
        ),
        [
            "mobility-authority",
            "water-boards-for-the-whole-city-region"
        ]
    );
    assert_eq!(
        slugs(
            &app.get("/api/v1/recommendations?q=mobility&sort=-title")
                .await
                .body
        ),
        [
            "water-boards-for-the-whole-city-region",
            "mobility-pact",
            "mobility-authority"
        ]
    );
    // Paging through search results keeps the relevance order.
    let first = app.get("/api/v1/recommendations?q=mobility&limit=2").await;
    assert_eq!(slugs(&first.body), ["mobility-authority", "mobility-pact"]);
    let cursor = first.body["meta"]["next_cursor"].as_str().unwrap();
    let second = app
        .get(&format!(
            "/api/v1/recommendations?q=mobility&limit=2&cursor={cursor}"
        ))
        .await;
    assert_eq!(
        slugs(&second.body),
        ["water-boards-for-the-whole-city-region"]
    );
    assert_eq!(second.body["meta"]["total"], 3);
}

#[actix_web::test]
async fn search_follows_every_write() {
    let app = seeded_app().await;
    let mut body = event(Some(6), &[], &[]);
    body["title"] = json!("Seminar in Brno");
    body["description"] = json!("Metropolitan governance in Moravia.");
    let created = app.post("/api/v1/events", body).await;
    let uri = created.header("location").unwrap().to_string();
    assert_eq!(
        slugs(&app.get("/api/v1/events?q=moravia").await.body),
        ["seminar-in-brno"]
    );
    app.patch(
        &uri,
        json!({"description": "Metropolitan governance in Bohemia."}),
    )
    .await;
    assert!(slugs(&app.get("/api/v1/events?q=moravia").await.body).is_empty());
    assert_eq!(
        slugs(&app.get("/api/v1/events?q=bohemia").await.body),
        ["seminar-in-brno"]
    );
    app.delete(&uri).await;
    assert!(slugs(&app.get("/api/v1/events?q=bohemia").await.body).is_empty());
    app.patch("/api/v1/partners/krakow", json!({"name": "Cracovie"}))
        .await;
    assert!(
        slugs(&app.get("/api/v1/partners?q=krakow&sort=name").await.body)
            .contains(&"krakow".to_string()),
        "the city still matches"
    );
    assert_eq!(
        slugs(&app.get("/api/v1/partners?q=cracovie").await.body),
        ["krakow"]
    );
}

#[actix_web::test]
async fn search_operators_are_words_not_syntax() {
    let app = seeded_app().await;
    for q in [
        "\"",
        "krakow OR lille",
        "NEAR(a b)",
        "lille*",
        "-lille",
        "name:lille",
        "^lille",
    ] {
        let page = app
            .get(&format!("/api/v1/partners?q={}", urlencode(q)))
            .await;
        assert!(
            page.status == 200 || page.status == 400,
            "{q}: {}",
            page.status
        );
        if page.status == 400 {
            page.assert_problem(400);
        }
    }
    assert!(slugs(&app.get("/api/v1/partners?q=krakow%20OR%20lille").await.body).is_empty());
    // A column filter is two words here, and no partner has the word "name".
    assert!(slugs(&app.get("/api/v1/partners?q=name%3Alille").await.body).is_empty());
    assert_eq!(
        slugs(&app.get("/api/v1/partners?q=lille%2A").await.body),
        ["lille-metropole"]
    );
}

#[actix_web::test]
async fn a_cursor_walk_through_search_results_returns_each_match_once_while_rows_are_added() {
    let app = seeded_app().await;
    let add = |n: usize| {
        let mut rec = recommendation(&[2], &[]);
        // Every third one has the word in its title, the others in the body.
        if n.is_multiple_of(3) {
            rec["title"] = json!(format!("Ferry links {n}"));
        } else {
            rec["title"] = json!(format!("Crossing {n}"));
            rec["body"] = json!(format!("A ferry across the estuary, plan {n}."));
        }
        rec
    };
    for n in 0..12 {
        assert_eq!(
            app.post("/api/v1/recommendations", add(n)).await.status,
            201
        );
    }
    let mut walked = Vec::new();
    let mut uri = "/api/v1/recommendations?q=ferry&limit=2".to_string();
    let mut pages = 0;
    loop {
        let page = app.get(&uri).await;
        assert_eq!(page.status, 200, "{}", page.body);
        walked.extend(slugs(&page.body));
        pages += 1;
        if pages == 3 {
            for n in 12..15 {
                app.post("/api/v1/recommendations", add(n)).await;
            }
        }
        match page.body["meta"]["next_cursor"].as_str() {
            Some(cursor) => {
                uri = format!("/api/v1/recommendations?q=ferry&limit=2&cursor={cursor}")
            }
            None => break,
        }
    }
    let mut unique = walked.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), walked.len(), "{walked:?}");
    for n in 0..12usize {
        let slug = if n.is_multiple_of(3) {
            format!("ferry-links-{n}")
        } else {
            format!("crossing-{n}")
        };
        assert!(walked.contains(&slug), "{slug} missing from {walked:?}");
    }
    // Title matches come first.
    let first_body_match = walked
        .iter()
        .position(|s| s.starts_with("crossing"))
        .unwrap();
    assert!(
        walked[..first_body_match]
            .iter()
            .all(|s| s.starts_with("ferry-links"))
    );
    assert!(
        walked[first_body_match..]
            .iter()
            .all(|s| s.starts_with("crossing")),
        "{walked:?}"
    );
}

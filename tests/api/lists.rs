//! Filters, sort and the keyset cursor on every collection.

use std::collections::HashSet;

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

fn ids(page: &Value) -> Vec<i64> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect()
}

/// A new row for `collection`, the `n`th, with values that tie and are
/// missing now and then, so that sorts meet ties and nulls.
fn row(collection: &str, n: i64) -> Value {
    match collection {
        "partners" => json!({
            "name": if n % 3 == 0 { "Zeta".to_string() } else { format!("alpha {n}") },
            "city": if n % 2 == 0 { "Liège" } else { "Åarhus" },
            "country_code": (["FR", "BE", "DK"][(n % 3) as usize]),
            "slug": format!("synthetic-partner-{n}"),
            "population": if n % 4 == 0 { Value::Null } else { json!(1000 * (n % 5)  + 1) },
        }),
        "thematic-areas" => json!({
            "name": if n % 2 == 0 { "Housing".to_string() } else { format!("housing {n}") },
            "slug": format!("synthetic-theme-{n}"),
            "position": if n % 3 == 0 { Value::Null } else { json!(n % 4) },
        }),
        "recommendations" => {
            let mut body = recommendation(&[1 + n % 7], &[]);
            body["title"] = json!(if n % 2 == 0 {
                "Same title".to_string()
            } else {
                format!("Title {n}")
            });
            body["slug"] = json!(format!("synthetic-recommendation-{n}"));
            body["target_level"] =
                json!((["local", "regional", "national", "european"][(n % 4) as usize]));
            body["status"] = json!(if n % 3 == 0 { "published" } else { "draft" });
            body
        }
        _ => {
            let mut body = event(None, &[], &[]);
            body["title"] = json!(format!("Event {}", n % 4));
            body["slug"] = json!(format!("synthetic-event-{n}"));
            body["kind"] = json!((["seminar", "workshop", "other"][(n % 3) as usize]));
            body["starts_on"] = json!(format!("2009-0{}-1{}", 1 + n % 3, n % 2));
            body["ends_on"] = if n % 2 == 0 {
                Value::Null
            } else {
                json!("2009-12-31")
            };
            body["country_code"] = if n % 3 == 0 { Value::Null } else { json!("PL") };
            body
        }
    }
}

/// The sort items the spec documents for `schema`.
fn documented_sorts(schema: &str) -> Vec<String> {
    let spec = city_region_api::app::openapi();
    let spec = serde_json::to_value(spec).unwrap();
    spec["components"]["schemas"][schema]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[actix_web::test]
async fn a_cursor_walk_returns_every_row_once_under_every_sort_while_rows_are_added() {
    let app = seeded_app().await;
    let collections = [
        ("partners", "PartnerSort"),
        ("thematic-areas", "ThematicAreaSort"),
        ("recommendations", "RecommendationSort"),
        ("events", "EventSort"),
    ];
    let mut n = 0;
    for (collection, _) in &collections {
        for _ in 0..10 {
            n += 1;
            let reply = app
                .post(&format!("/api/v1/{collection}"), row(collection, n))
                .await;
            assert_eq!(reply.status, 201, "{collection}: {}", reply.body);
        }
    }
    for (collection, schema) in collections {
        let sorts = documented_sorts(schema);
        assert!(sorts.len() >= 10, "{schema}: {sorts:?}");
        for sort in sorts {
            let list = format!("/api/v1/{collection}?sort={sort}");
            let before: HashSet<i64> = ids(&app.get(&format!("{list}&limit=100")).await.body)
                .into_iter()
                .collect();
            let mut walked = Vec::new();
            let mut uri = format!("{list}&limit=3");
            let mut pages = 0;
            loop {
                let page = app.get(&uri).await;
                assert_eq!(page.status, 200, "{uri}: {}", page.body);
                walked.extend(ids(&page.body));
                pages += 1;
                if pages == 2 {
                    // Rows added half way, sorting anywhere.
                    for _ in 0..2 {
                        n += 1;
                        assert_eq!(
                            app.post(&format!("/api/v1/{collection}"), row(collection, n))
                                .await
                                .status,
                            201
                        );
                    }
                }
                match page.body["meta"]["next_cursor"].as_str() {
                    Some(cursor) => uri = format!("{list}&limit=3&cursor={cursor}"),
                    None => break,
                }
            }
            let unique: HashSet<i64> = walked.iter().copied().collect();
            assert_eq!(
                unique.len(),
                walked.len(),
                "{list}: a row came twice: {walked:?}"
            );
            assert!(before.is_subset(&unique), "{list}: rows went missing");
            // The walk is in the list's own order.
            let after = ids(&app.get(&format!("{list}&limit=100")).await.body);
            let in_order: Vec<i64> = after.into_iter().filter(|id| unique.contains(id)).collect();
            assert_eq!(walked, in_order, "{list}");
        }
    }
}

#[actix_web::test]
async fn sorts_go_both_ways_put_nulls_last_and_break_ties_by_id() {
    let app = seeded_app().await;
    for (slug, population) in [
        ("brno", json!(380000)),
        ("krakow", json!(800000)),
        ("seville", json!(680000)),
        ("burgas", json!(380000)),
    ] {
        app.patch(
            &format!("/api/v1/partners/{slug}"),
            json!({"population": population}),
        )
        .await;
    }
    let by_population = slugs(
        &app.get("/api/v1/partners?sort=population&limit=4")
            .await
            .body,
    );
    assert_eq!(
        by_population,
        ["burgas", "brno", "seville", "krakow"],
        "ties by id: burgas (4) before brno (6)"
    );
    let descending = slugs(
        &app.get("/api/v1/partners?sort=-population&limit=5")
            .await
            .body,
    );
    // Ties follow the last key's direction: brno (6) before burgas (4).
    assert_eq!(descending[..4], ["krakow", "seville", "brno", "burgas"]);
    // Partners without a population come last, in both directions.
    let all = app.get("/api/v1/partners?sort=-population").await.body;
    let tail: Vec<&Value> = all["data"].as_array().unwrap()[4..]
        .iter()
        .map(|p| &p["population"])
        .collect();
    assert!(tail.iter().all(|p| p.is_null()), "{tail:?}");
    let by_name = slugs(&app.get("/api/v1/partners?sort=name&limit=3").await.body);
    assert_eq!(by_name, ["brno", "brussels-capital-region", "burgas"]);
    let by_country_then_name = slugs(
        &app.get("/api/v1/partners?sort=-country_code,name&limit=2")
            .await
            .body,
    );
    assert_eq!(by_country_then_name, ["krakow", "eindhoven"]);
    let newest_first = slugs(&app.get("/api/v1/partners?sort=-id&limit=1").await.body);
    assert_eq!(newest_first, ["brussels-capital-region"]);
    let by_date = slugs(&app.get("/api/v1/events?sort=-starts_on").await.body);
    assert_eq!(by_date[0], "joining-forces-completion");
    let themes = slugs(
        &app.get("/api/v1/thematic-areas?sort=-position&limit=1")
            .await
            .body,
    );
    assert_eq!(themes, ["attractiveness-and-competitiveness"]);
}

#[actix_web::test]
async fn a_cursor_only_works_under_the_sort_it_came_from() {
    let app = seeded_app().await;
    let page = app.get("/api/v1/partners?sort=name&limit=2").await;
    let cursor = page.body["meta"]["next_cursor"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(page.header("link").unwrap().contains("sort=name"));
    assert_eq!(
        app.get(&format!(
            "/api/v1/partners?sort=name&limit=2&cursor={cursor}"
        ))
        .await
        .status,
        200
    );
    for other in ["sort=-name&", "", "sort=city&"] {
        let reply = app
            .get(&format!("/api/v1/partners?{other}limit=2&cursor={cursor}"))
            .await;
        reply.assert_problem(400);
        assert_eq!(reply.fields_at_fault(), ["cursor"]);
    }
    // A cursor of one collection is refused by another with a different sort.
    let events = app
        .get(&format!("/api/v1/events?sort=title&cursor={cursor}"))
        .await;
    events.assert_problem(400);
    // A text no record can hold (a NUL) is no cursor this list gave out,
    // on either store (PostgreSQL could not even compare it).
    use base64::Engine;
    let forged = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(json!({"s": "name,id", "v": ["Brno\0", 3]}).to_string());
    let reply = app
        .get(&format!("/api/v1/partners?sort=name&cursor={forged}"))
        .await;
    reply.assert_problem(400);
    assert_eq!(reply.fields_at_fault(), ["cursor"]);
}

#[actix_web::test]
async fn partner_filters_combine_and_take_several_values() {
    let app = seeded_app().await;
    let cases = [
        ("country=FR", vec!["lille-metropole"]),
        ("country=BE,CZ", vec!["brno", "brussels-capital-region"]),
        ("role=lead_partner", vec!["lille-metropole"]),
        ("role=partner&country=FR", vec![]),
        (
            "role=partner,lead_partner&country=FR,PL&sort=-name",
            vec!["lille-metropole", "krakow"],
        ),
    ];
    for (query, expected) in cases {
        let page = app.get(&format!("/api/v1/partners?{query}")).await;
        assert_eq!(page.status, 200, "{query}");
        let mut got = slugs(&page.body);
        if !query.contains("sort") {
            got.sort();
        }
        assert_eq!(got, expected, "{query}");
        assert_eq!(page.body["meta"]["total"], expected.len(), "{query}");
    }
}

#[actix_web::test]
async fn recommendation_filters_take_ids_or_slugs() {
    let app = seeded_app().await;
    let mut bodies = Vec::new();
    for (title, areas, partners, level, status) in [
        ("A", vec![5], vec![1], "regional", "published"),
        ("B", vec![5, 2], vec![6], "european", "draft"),
        ("C", vec![2], vec![1, 6], "local", "published"),
        ("D", vec![3], vec![], "regional", "draft"),
    ] {
        let mut body = recommendation(&areas, &partners);
        body["title"] = json!(title);
        body["target_level"] = json!(level);
        body["status"] = json!(status);
        bodies.push(body);
    }
    for body in bodies {
        assert_eq!(app.post("/api/v1/recommendations", body).await.status, 201);
    }
    let cases = [
        ("thematic_area=governance", vec!["a", "b"]),
        (
            "thematic_area=5,mobility-management-and-transport",
            vec!["a", "b", "c"],
        ),
        ("partner=brno", vec!["b", "c"]),
        ("partner=1&thematic_area=2", vec!["c"]),
        ("target_level=regional", vec!["a", "d"]),
        (
            "target_level=regional,local&status=published",
            vec!["a", "c"],
        ),
        ("status=draft&partner=6", vec!["b"]),
    ];
    for (query, expected) in cases {
        let page = app.get(&format!("/api/v1/recommendations?{query}")).await;
        assert_eq!(page.status, 200, "{query}: {}", page.body);
        assert_eq!(slugs(&page.body), expected, "{query}");
    }
    // The nested lists take the same filters.
    let nested = app
        .get("/api/v1/partners/brno/recommendations?status=published")
        .await;
    assert_eq!(slugs(&nested.body), ["c"]);
    let nested = app
        .get("/api/v1/thematic-areas/2/recommendations?partner=lille-metropole")
        .await;
    assert_eq!(slugs(&nested.body), ["c"]);
}

#[actix_web::test]
async fn event_filters_overlap_dates_inclusively_and_match_hosts_or_participants() {
    let app = seeded_app().await;
    for (title, start, end, host, participants, areas, country, kind) in [
        (
            "Kickoff",
            "2008-04-21",
            None,
            Some(1),
            vec![],
            vec![],
            Some("FR"),
            "launch",
        ),
        (
            "Spring school",
            "2009-03-30",
            Some("2009-04-02"),
            Some(6),
            vec![5],
            vec![4],
            Some("CZ"),
            "workshop",
        ),
        (
            "Summer visit",
            "2009-07-01",
            Some("2009-07-03"),
            None,
            vec![6],
            vec![4, 5],
            Some("NL"),
            "study_visit",
        ),
        (
            "Autumn seminar",
            "2009-10-15",
            None,
            Some(5),
            vec![],
            vec![5],
            None,
            "seminar",
        ),
    ] {
        let mut body = event(host, &participants, &areas);
        body["title"] = json!(title);
        body["starts_on"] = json!(start);
        body["ends_on"] = json!(end);
        body["country_code"] = json!(country);
        body["kind"] = json!(kind);
        assert_eq!(app.post("/api/v1/events", body).await.status, 201);
    }
    let cases = [
        (
            "kind=workshop,study_visit",
            vec!["spring-school", "summer-visit"],
        ),
        ("partner=brno", vec!["spring-school", "summer-visit"]),
        (
            "partner=krakow,lille-metropole",
            vec!["kickoff", "spring-school", "autumn-seminar"],
        ),
        (
            "thematic_area=governance",
            vec!["summer-visit", "autumn-seminar"],
        ),
        ("country=CZ,NL", vec!["spring-school", "summer-visit"]),
        // A multi-day event overlaps a period that holds only its last day.
        ("from=2009-04-02&to=2009-04-02", vec!["spring-school"]),
        ("from=2009-04-03&to=2009-06-30", vec![]),
        (
            "from=2009-07-03&to=2009-10-15",
            vec!["summer-visit", "autumn-seminar"],
        ),
        ("to=2008-04-21", vec!["joining-forces-launch", "kickoff"]),
        ("from=2010-05-19", vec!["joining-forces-completion"]),
        (
            "from=2009-01-01&to=2009-12-31&partner=6&kind=workshop",
            vec!["spring-school"],
        ),
    ];
    for (query, expected) in cases {
        let page = app.get(&format!("/api/v1/events?{query}")).await;
        assert_eq!(page.status, 200, "{query}: {}", page.body);
        assert_eq!(slugs(&page.body), expected, "{query}");
        assert_eq!(page.body["meta"]["total"], expected.len(), "{query}");
    }
    let nested = app
        .get("/api/v1/partners/brno/events?from=2009-05-01")
        .await;
    assert_eq!(slugs(&nested.body), ["summer-visit"]);
    let nested = app
        .get("/api/v1/thematic-areas/knowledge-economy/events?partner=krakow")
        .await;
    assert_eq!(slugs(&nested.body), ["spring-school"]);
}

#[actix_web::test]
async fn bad_filter_values_are_400s_naming_the_parameter() {
    let app = seeded_app().await;
    let cases = [
        ("partners", "country=fr", "country"),
        ("partners", "country=ZZ", "country"),
        ("partners", "country=FR,", "country"),
        ("partners", "country=", "country"),
        ("partners", "role=boss", "role"),
        ("partners", "role=partner,boss", "role"),
        ("partners", "kind=launch", "kind"),
        ("thematic-areas", "country=FR", "country"),
        ("recommendations", "thematic_area=housing", "thematic_area"),
        ("recommendations", "thematic_area=999", "thematic_area"),
        ("recommendations", "partner=atlantis", "partner"),
        ("recommendations", "target_level=global", "target_level"),
        ("recommendations", "status=archived", "status"),
        ("events", "kind=party", "kind"),
        ("events", "from=2010-02-30", "from"),
        ("events", "to=yesterday", "to"),
        ("events", "from=2010-01-02&to=2010-01-01", "to"),
        ("events", "partner=1,atlantis", "partner"),
        ("events", "country=pl", "country"),
        ("events", "sort=population", "sort"),
        ("events", "partner=Not%20a%20slug", "partner"),
        ("events", "country=FR,%20BE", "country"),
        ("partners/brno/events", "kind=party", "kind"),
        (
            "thematic-areas/governance/recommendations",
            "sort=name",
            "sort",
        ),
    ];
    for (collection, query, parameter) in cases {
        let reply = app.get(&format!("/api/v1/{collection}?{query}")).await;
        reply.assert_problem(400);
        assert_eq!(reply.fields_at_fault(), [parameter], "{collection}?{query}");
    }
}

#[actix_web::test]
async fn a_slug_filter_picks_records_by_slug_in_every_format() {
    let app = seeded_app().await;
    let page = app
        .get("/api/v1/partners?slug=krakow,lille-metropole,no-such-partner")
        .await;
    let slugs: Vec<&str> = page.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs.len(), 2);
    assert!(slugs.contains(&"krakow") && slugs.contains(&"lille-metropole"));
    let csv = app.get("/api/v1/thematic-areas.csv?slug=governance").await;
    assert_eq!(csv.text.lines().count(), 2, "{}", csv.text);
    assert!(csv.text.lines().nth(1).unwrap().contains(",governance,"));
    for bad in ["Krakow", "a,,b", "-x"] {
        let reply = app.get(&format!("/api/v1/events?slug={bad}")).await;
        reply.assert_problem(400);
        assert_eq!(reply.fields_at_fault(), ["slug"]);
    }
}

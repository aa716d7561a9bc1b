//! Stored CSV lines: a download sends them while they are current and
//! never after, whatever made them out of date, and they are the bytes
//! the records make.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use serde_json::json;

use city_region_api::db::{Conn, connect_and_migrate, write_transaction};

use crate::helpers::{event, recommendation, seeded_app, within_seconds};

#[derive(QueryableByName)]
struct Number {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn number(conn: &mut Conn, sql: &str) -> i64 {
    diesel::sql_query(sql)
        .get_result::<Number>(conn)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .n
}

/// SQL run behind the API, in a write transaction of its own.
fn by_hand(conn: &mut Conn, sql: &str) {
    write_transaction(conn, |c| c.batch_execute(sql)).unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// How many lines of `table` are stored (every one current: the code
/// that runs is the code that stored them).
fn current(table: &str) -> String {
    format!("SELECT count(*) AS n FROM {table}_csv")
}

/// The record with id `id` in `csv`, by column name.
fn row_of(csv: &str, id: i64) -> std::collections::HashMap<String, String> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let names: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let record = reader
        .records()
        .map(Result::unwrap)
        .find(|r| r[0] == id.to_string())
        .unwrap_or_else(|| panic!("no row {id} in {csv}"));
    names
        .into_iter()
        .zip(record.iter().map(String::from))
        .collect()
}

#[actix_web::test]
async fn a_download_sends_the_stored_lines_while_they_are_current_and_never_after() {
    let app = seeded_app().await;
    let mut made = event(Some(6), &[6, 1], &[5]);
    made["title"] = json!("Stored, \"quoted\", then renamed");
    let made = app.post("/api/v1/events", made).await;
    assert_eq!(made.status, 201, "{}", made.body);
    let id = made.body["id"].as_i64().unwrap();
    let mut conn = connect_and_migrate(&app.path).unwrap();
    let events = number(&mut conn, "SELECT count(*) AS n FROM events");
    assert_eq!(
        number(&mut conn, &current("events")),
        events,
        "every event has its line"
    );
    // A line changed behind the API is sent as stored: what tells a stored
    // line from one made anew.
    by_hand(
        &mut conn,
        &format!("UPDATE events_csv SET line = '{id},as-stored\r\n' WHERE id = {id}"),
    );
    let csv = app.get("/api/v1/events.csv").await.text;
    assert!(csv.contains(&format!("\r\n{id},as-stored\r\n")), "{csv}");

    // Renaming the host outdates every line; the next download is the
    // records as they are.
    let renamed = app
        .patch("/api/v1/partners/6", json!({ "slug": "renamed-host" }))
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    let csv = app.get("/api/v1/events.csv").await.text;
    assert!(
        !csv.contains("as-stored"),
        "an outdated line was sent: {csv}"
    );
    let row = row_of(&csv, id);
    assert_eq!(row["title"], "Stored, \"quoted\", then renamed");
    assert_eq!(row["host_partner"], "renamed-host");
    assert!(
        row["partners"]
            .split(';')
            .any(|slug| slug == "renamed-host"),
        "{row:?}"
    );

    // In the background, the server stores every line anew; the download
    // is then the same bytes, sent from them.
    let stored = within_seconds(async || number(&mut conn, &current("events")) == events).await;
    assert!(stored, "the lines were not stored anew");
    assert_eq!(app.get("/api/v1/events.csv").await.text, csv);
}

#[actix_web::test]
async fn changes_made_by_hand_drop_the_lines_they_make_untrue() {
    let app = seeded_app().await;
    let mut themed = event(None, &[], &[5]);
    themed["title"] = json!("Themed");
    let themed = app.post("/api/v1/events", themed).await;
    let mut hosted = event(Some(4), &[], &[]);
    hosted["title"] = json!("Hosted");
    let hosted = app.post("/api/v1/events", hosted).await;
    let (themed, hosted) = (
        themed.body["id"].as_i64().unwrap(),
        hosted.body["id"].as_i64().unwrap(),
    );
    let mut conn = connect_and_migrate(&app.path).unwrap();
    let events = number(&mut conn, "SELECT count(*) AS n FROM events");
    assert_eq!(number(&mut conn, &current("events")), events);
    let has_line = |conn: &mut Conn, id: i64| {
        number(
            conn,
            &format!("SELECT count(*) AS n FROM events_csv WHERE id = {id}"),
        ) == 1
    };
    by_hand(
        &mut conn,
        "UPDATE events SET title = 'Changed by hand' WHERE id = 1",
    );
    assert!(!has_line(&mut conn, 1), "a changed record keeps no line");
    by_hand(
        &mut conn,
        "INSERT INTO event_partners (event_id, partner_id) VALUES (2, 3)",
    );
    assert!(!has_line(&mut conn, 2), "nor one whose links changed");
    assert_eq!(
        number(&mut conn, &current("events")),
        events - 2,
        "the others keep theirs"
    );

    // A name no line shows changes no other line; a slug does, and only
    // the lines that name it.
    by_hand(
        &mut conn,
        "UPDATE thematic_areas SET name = 'Renamed by hand' WHERE id = 5",
    );
    assert!(has_line(&mut conn, themed));
    by_hand(
        &mut conn,
        "UPDATE thematic_areas SET slug = 'renamed-by-hand' WHERE id = 5",
    );
    assert!(
        !has_line(&mut conn, themed),
        "a line naming a renamed theme"
    );
    by_hand(
        &mut conn,
        "UPDATE partners SET slug = 'host-renamed-by-hand' WHERE id = 4",
    );
    assert!(!has_line(&mut conn, hosted), "a line naming a renamed host");
    assert_eq!(number(&mut conn, &current("events")), events - 4);

    // What a download then sends is what the records are now (once a
    // server on SQLite has seen the file change).
    let seen = within_seconds(async || {
        let csv = app.get("/api/v1/events.csv").await.text;
        csv.contains("Changed by hand") && csv.contains("renamed-by-hand")
    })
    .await;
    assert!(seen, "a download still sends what changed by hand");
    let csv = app.get("/api/v1/events.csv").await.text;
    assert_eq!(row_of(&csv, hosted)["host_partner"], "host-renamed-by-hand");
    let header = csv.lines().next().unwrap().to_string();
    let made_anew = app
        .get(&format!("/api/v1/events.csv?fields={header}"))
        .await
        .text;
    assert_eq!(csv, made_anew);

    // PostgreSQL's TRUNCATE runs no row trigger: one of its own deletes
    // every line of the links' owners.
    if conn.dialect() == city_region_api::db::Dialect::Postgres {
        by_hand(&mut conn, "TRUNCATE event_thematic_areas");
        assert_eq!(number(&mut conn, &current("events")), 0);
    }
}

#[actix_web::test]
async fn stored_lines_are_the_bytes_the_records_make_in_every_collection_and_order() {
    let app = seeded_app().await;
    let mut rec = recommendation(&[5, 2], &[1, 6]);
    rec["title"] = json!("=SUM(A1) \"quoted\", and more");
    rec["body"] = json!("Line one\r\nLine two, with a comma");
    assert_eq!(app.post("/api/v1/recommendations", rec).await.status, 201);
    let edited = app
        .patch(
            "/api/v1/events/1",
            json!({ "partner_ids": [2, 3], "description": "-1+2" }),
        )
        .await;
    assert_eq!(edited.status, 200, "{}", edited.body);
    let mut conn = connect_and_migrate(&app.path).unwrap();
    for (collection, table) in [
        ("partners", "partners"),
        ("thematic-areas", "thematic_areas"),
        ("recommendations", "recommendations"),
        ("events", "events"),
    ] {
        let rows = number(&mut conn, &format!("SELECT count(*) AS n FROM {table}"));
        assert_eq!(number(&mut conn, &current(table)), rows, "{collection}");
        let csv = app.get(&format!("/api/v1/{collection}.csv")).await.text;
        let header = csv.lines().next().unwrap().to_string();
        // Picked fields are always written anew.
        let fields = format!("fields={header}");
        for order in [
            "",
            "sort=-id",
            "sort=id&slug=lille-metropole,governance,brno",
            "q=lille&sort=-id",
        ] {
            let uri = |extra: &[&str]| {
                let query: Vec<&str> = [order]
                    .iter()
                    .chain(extra)
                    .copied()
                    .filter(|p| !p.is_empty())
                    .collect();
                format!("/api/v1/{collection}.csv?{}", query.join("&"))
            };
            let stored = app.get(&uri(&[])).await;
            let anew = app.get(&uri(&[&fields])).await;
            assert_eq!(stored.status, 200, "{collection}?{order}: {}", stored.text);
            assert_eq!(stored.text, anew.text, "{collection}?{order}");
        }
        assert!(csv.lines().count() > 1, "{collection}: {csv}");
    }
}

#[actix_web::test]
async fn a_download_of_many_batches_sends_each_batchs_lines_or_makes_it_anew() {
    // Past one batch of a download (500 rows) twice over.
    let app = crate::helpers::demo_app(1100).await;
    let mut conn = connect_and_migrate(&app.path).unwrap();
    let events = number(&mut conn, "SELECT count(*) AS n FROM events");
    assert!(events > 1000, "{events}");
    assert_eq!(number(&mut conn, &current("events")), events);
    let id_at = |conn: &mut Conn, k: i64| {
        let sql =
            format!("SELECT CAST(id AS BIGINT) AS n FROM events ORDER BY id LIMIT 1 OFFSET {k}");
        number(conn, &sql)
    };
    // Lines changed by hand at the ends of batches, either way round: a
    // download sends each as stored.
    let marked: Vec<i64> = [0, 1, 499, 500, 501, 603, 999, 1000, events - 1]
        .into_iter()
        .collect();
    for &k in &marked {
        let id = id_at(&mut conn, k);
        by_hand(
            &mut conn,
            &format!("UPDATE events_csv SET line = '{id},marked\r\n' WHERE id = {id}"),
        );
    }
    let sent = |csv: &str| -> Vec<i64> {
        csv.lines()
            .filter_map(|line| line.strip_suffix(",marked"))
            .map(|id| id.parse().unwrap())
            .collect()
    };
    let mut ids = Vec::new();
    for &k in &marked {
        ids.push(id_at(&mut conn, k));
    }
    for (order, ids) in [
        ("", ids.clone()),
        ("?sort=-id", ids.iter().rev().copied().collect()),
    ] {
        let csv = app.get(&format!("/api/v1/events.csv{order}")).await.text;
        assert_eq!(sent(&csv), ids, "{order}");
        assert_eq!(csv.lines().count() as i64, events + 1, "{order}");
    }

    // A record without its line: its batch is made anew, every other
    // batch is still sent from its lines (once a server on SQLite has seen
    // the file change).
    let lost = id_at(&mut conn, 603);
    by_hand(
        &mut conn,
        &format!("DELETE FROM events_csv WHERE id = {lost}"),
    );
    for (order, descending) in [("", false), ("?sort=-id", true)] {
        let batch = |k: i64| (if descending { events - 1 - k } else { k }) / 500;
        let mut expected: Vec<i64> = marked
            .iter()
            .zip(&ids)
            .filter(|&(&k, _)| batch(k) != batch(603))
            .map(|(_, &id)| id)
            .collect();
        if descending {
            expected.reverse();
        }
        assert!(expected.len() < ids.len() && !expected.is_empty());
        let uri = format!("/api/v1/events.csv{order}");
        let seen = within_seconds(async || sent(&app.get(&uri).await.text) == expected).await;
        assert!(
            seen,
            "{order}: sent {:?}, not {expected:?}",
            sent(&app.get(&uri).await.text)
        );
        let csv = app.get(&uri).await.text;
        assert_eq!(csv.lines().count() as i64, events + 1, "{order}");
        let row = csv
            .lines()
            .find(|line| line.starts_with(&format!("{lost},")));
        assert!(row.is_some_and(|row| row.len() > 40), "{order}: {row:?}");
    }

    // A line in another format (an older code's) is never sent; checked
    // once the server has seen a current line changed with it.
    let (old, new) = (id_at(&mut conn, 1000), id_at(&mut conn, 2));
    by_hand(
        &mut conn,
        &format!(
            "UPDATE events_csv SET line = '{old},old-format\r\n', format = format + 1 WHERE id = {old}; \
             UPDATE events_csv SET line = '{new},changed\r\n' WHERE id = {new}"
        ),
    );
    let changed = format!("\r\n{new},changed\r\n");
    let seen =
        within_seconds(async || app.get("/api/v1/events.csv").await.text.contains(&changed)).await;
    assert!(seen, "the changed line was not sent");
    for order in [
        "",
        "?sort=-id",
        "?sort=-id&kind=workshop,other,seminar,study_visit,transnational_meeting",
    ] {
        let csv = app.get(&format!("/api/v1/events.csv{order}")).await.text;
        assert!(
            !csv.contains("old-format"),
            "{order}: a line of another format was sent"
        );
        assert!(csv.contains(&format!("\r\n{old},")), "{order}");
    }
}

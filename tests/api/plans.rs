//! The queries behind the common lists use their indexes: EXPLAIN QUERY
//! PLAN shows no full sort and no table scan where an index serves. Not a
//! timing test: the plan is the same however busy the machine is.

use city_region_api::db::Conn;
use diesel::prelude::*;
use diesel::sql_types::Text;

use city_region_api::collection::ListParams;
use city_region_api::db::connect_and_migrate;
use city_region_api::http::Key;
use city_region_api::listing::{Bind, Clause, ListScope, Listing, bound};
use city_region_api::paging::{ListQuery, PageRequest};
use city_region_api::recommendations::dto::RecommendationQuery;
use city_region_api::{demo, events, recommendations, seed};

#[derive(QueryableByName)]
struct Step {
    #[diesel(sql_type = Text)]
    detail: String,
}

fn plan(conn: &mut Conn, listing: &Listing, table: &str) -> String {
    let sql = listing.rows_sql(table);
    let explain = Clause::new(format!("EXPLAIN QUERY PLAN {}", sql.sql), sql.binds);
    let steps: Vec<Step> = bound(&explain, conn.dialect()).load(conn).unwrap();
    steps
        .into_iter()
        .map(|s| s.detail)
        .collect::<Vec<_>>()
        .join(" | ")
}

fn recommendations(conn: &mut Conn, query: &str) -> String {
    let ListQuery { page, filters, .. } = ListQuery::<RecommendationQuery>::parse(query).unwrap();
    let listing = filters.listing(conn, &page, ListScope::default()).unwrap();
    plan(conn, &listing, "recommendations")
}

/// A database with the real data and `n` synthetic rows, opened again as
/// the server opens it (migrations done, statistics gathered) on a fresh
/// connection. The folder must outlive the connection.
fn seeded(n: usize) -> (tempfile::TempDir, Conn) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plans.db");
    let mut conn = connect_and_migrate(path.to_str().unwrap()).unwrap();
    seed::load(&mut conn).unwrap();
    demo::load(&mut conn, n).unwrap();
    drop(conn);
    let conn = connect_and_migrate(path.to_str().unwrap()).unwrap();
    (dir, conn)
}

#[test]
fn common_lists_read_an_index_in_order_and_sort_nothing() {
    let (_dir, mut conn) = seeded(2_000);
    // In id order: the table itself (its rowid order), stopping at the page.
    let by_id = ["SCAN t", "INTEGER PRIMARY KEY"];
    for (query, uses) in [
        ("limit=20", &by_id[..]),
        (
            "limit=20&sort=-created_at",
            &["recommendations_created_at"][..],
        ),
        (
            "limit=20&sort=-created_at&thematic_area=governance&target_level=regional",
            &["recommendations_created_at"][..],
        ),
        (
            "limit=20&sort=updated_at&status=published",
            &["recommendations_updated_at"][..],
        ),
        ("limit=20&thematic_area=governance", &by_id[..]),
    ] {
        let plan = recommendations(&mut conn, query);
        assert!(!plan.contains("TEMP B-TREE"), "{query}: sorts: {plan}");
        assert!(
            uses.iter().any(|u| plan.contains(u)),
            "{query}: uses none of {uses:?}: {plan}"
        );
    }
    // A search reads the full-text index in id order, from the cursor.
    let search = recommendations(&mut conn, "limit=20&q=tramway&sort=-id");
    assert!(
        search.starts_with("SCAN f VIRTUAL TABLE") && !search.contains("TEMP B-TREE"),
        "{search}"
    );
    // A partner matches few rows: found through its index, then sorted.
    let partner = recommendations(&mut conn, "limit=20&partner=synthetic-partner-0000001");
    assert!(
        partner.contains("recommendation_partners_partner"),
        "{partner}"
    );
    // A page deep in the list starts at its cursor, not at the first row.
    let page = PageRequest {
        limit: 20,
        limit_given: true,
        cursor: None,
    };
    let ListQuery { filters, .. } = ListQuery::<RecommendationQuery>::parse("").unwrap();
    let mut listing = filters
        .listing(&mut conn, &page, ListScope::default())
        .unwrap();
    listing.after = Some(vec![Some(Bind::Int(1_900))]);
    let deep = plan(&mut conn, &listing, "recommendations");
    assert!(deep.contains("rowid>?"), "{deep}");
    // Events by date use their index too.
    let ListQuery { page, filters, .. } =
        ListQuery::<events::dto::EventQuery>::parse("limit=20&sort=starts_on").unwrap();
    let listing = filters
        .listing(&mut conn, &page, ListScope::default())
        .unwrap();
    let by_date = plan(&mut conn, &listing, "events");
    assert!(
        by_date.contains("events_starts_on") && !by_date.contains("TEMP B-TREE"),
        "{by_date}"
    );
}

/// Counts, for each call of `read`, the statements run and the statements
/// Diesel added to its cache of prepared statements.
fn prepared(conn: &mut Conn, read: impl Fn(&mut Conn)) -> [(usize, usize); 2] {
    use diesel::connection::InstrumentationEvent;
    use std::sync::{Arc, Mutex};
    let seen = Arc::new(Mutex::new((0, 0)));
    let counter = seen.clone();
    conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        let mut seen = counter.lock().unwrap();
        match event {
            InstrumentationEvent::StartQuery { .. } => seen.0 += 1,
            InstrumentationEvent::CacheQuery { .. } => seen.1 += 1,
            _ => {}
        }
    });
    let mut calls = [(0, 0); 2];
    for call in &mut calls {
        *seen.lock().unwrap() = (0, 0);
        read(conn);
        *call = *seen.lock().unwrap();
    }
    calls
}

#[test]
fn a_record_read_by_id_prepares_its_statements_once() {
    // Every statement of a read by id, relations included, is cached the
    // first time and only reused after: none is parsed and planned again.
    // A new connection: the seed's own reads cached some of these.
    let (_dir, mut conn) = seeded(200);
    let key = Key::Id(100);
    let [first, second] = prepared(&mut conn, |c| {
        let found = recommendations::model::find(c, &key).unwrap();
        assert!(!found.thematic_areas.is_empty());
    });
    assert_eq!(first.0, 3, "the row and two relations");
    assert_eq!(first, (3, 3), "each statement cached on first use");
    assert_eq!(second, (3, 0), "and reused");
    let [first, second] = prepared(&mut conn, |c| {
        events::model::find(c, &key).unwrap();
    });
    assert_eq!(first, (4, 4), "the row, the host and two relations");
    assert_eq!(second, (4, 0));
}

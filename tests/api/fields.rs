//! Sparse fields (`fields=`): lists, items, CSV and NDJSON show only the
//! fields asked for, `id` always among them; unknown names are a 400 that
//! names them; the ETag follows what is shown.

use actix_web::http::header;
use actix_web::test::TestRequest;
use serde_json::{Map, Value};

use crate::helpers::seeded_app;

/// The keys of each JSON object in `text` as sent, in order (serde_json
/// sorts an object's keys once parsed).
fn sent_keys(text: &str) -> Vec<Vec<String>> {
    let mut objects = Vec::new();
    let mut de = serde_json::Deserializer::from_str(text);
    collect(&mut de, &mut objects);
    objects
}

fn collect<'de, D: serde::Deserializer<'de>>(de: D, objects: &mut Vec<Vec<String>>) {
    use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
    struct Keys<'a>(&'a mut Vec<Vec<String>>);
    impl<'de> DeserializeSeed<'de> for Keys<'_> {
        type Value = ();
        fn deserialize<D: serde::Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
            de.deserialize_any(self)
        }
    }
    impl<'de> Visitor<'de> for Keys<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("JSON")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let at = self.0.len();
            self.0.push(Vec::new());
            while let Some(key) = map.next_key::<String>()? {
                self.0[at].push(key);
                map.next_value_seed(Keys(self.0))?;
            }
            Ok(())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while seq.next_element_seed(Keys(self.0))?.is_some() {}
            Ok(())
        }
        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_str<E>(self, _: &str) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }
    }
    Keys(objects).deserialize(de).expect("JSON");
}

/// `record` with only `names`, as the server should pick it.
fn picked(record: &Value, names: &[&str]) -> Value {
    let all = record.as_object().expect("an object");
    let mut kept = Map::new();
    for (name, value) in all {
        if names.contains(&name.as_str()) {
            kept.insert(name.clone(), value.clone());
        }
    }
    Value::Object(kept)
}

#[actix_web::test]
async fn a_list_shows_only_the_fields_asked_for_in_the_records_order_with_id() {
    let app = seeded_app().await;
    let full = app.get("/api/v1/events?sort=starts_on&limit=2").await;
    let sparse = app
        .get("/api/v1/events?sort=starts_on&limit=2&fields=partners,title,host_partner")
        .await;
    assert_eq!(sparse.status, 200, "{}", sparse.body);
    let (full_rows, rows) = (
        full.body["data"].as_array().unwrap(),
        sparse.body["data"].as_array().unwrap(),
    );
    assert_eq!(rows.len(), 2);
    // The page, then each row (and the summaries inside it), as sent.
    let sent = sent_keys(&sparse.text);
    assert_eq!(sent[0], ["data", "meta"]);
    assert_eq!(sent[1], ["id", "title", "host_partner", "partners"]);
    for (whole, row) in full_rows.iter().zip(rows) {
        assert_eq!(
            row,
            &picked(whole, &["id", "title", "host_partner", "partners"])
        );
    }
    assert_eq!(sparse.body["meta"], full.body["meta"]);
    assert_ne!(sparse.header("etag"), full.header("etag"));
    let next = sparse.header("link").expect("a next page");
    assert!(
        next.contains("fields=partners%2Ctitle%2Chost_partner"),
        "{next}"
    );
}

#[actix_web::test]
async fn an_item_shows_only_the_fields_asked_for_and_its_etag_follows() {
    let app = seeded_app().await;
    let whole = app.get("/api/v1/partners/lille-metropole").await;
    let sparse = app
        .get("/api/v1/partners/lille-metropole?fields=name,slug,name")
        .await;
    assert_eq!(sparse.status, 200, "{}", sparse.body);
    assert_eq!(sent_keys(&sparse.text), [["id", "slug", "name"]]);
    assert_eq!(sparse.body, picked(&whole.body, &["id", "slug", "name"]));
    let etag = sparse.header("etag").expect("an ETag").to_string();
    assert_ne!(Some(etag.as_str()), whole.header("etag"));
    let again = app
        .send(
            TestRequest::get()
                .uri("/api/v1/partners/lille-metropole?fields=name,slug")
                .insert_header((header::IF_NONE_MATCH, etag.clone())),
        )
        .await;
    assert_eq!(again.status, 304);
    // The whole record's ETag is what a write wants.
    let stale = app
        .send(
            TestRequest::patch()
                .uri("/api/v1/partners/lille-metropole")
                .insert_header((header::IF_MATCH, etag))
                .set_json(serde_json::json!({"region": "Nord"})),
        )
        .await;
    stale.assert_problem(412);
}

#[actix_web::test]
async fn csv_and_ndjson_carry_the_same_fields_as_the_json_page() {
    let app = seeded_app().await;
    let names = ["id", "slug", "host_partner", "thematic_areas"];
    let query = "fields=thematic_areas,host_partner,slug&sort=slug";
    let page = app.get(&format!("/api/v1/events?{query}&limit=100")).await;
    let rows = page.body["data"].as_array().unwrap().clone();
    assert!(rows.len() > 1);

    let ndjson = app.get(&format!("/api/v1/events.ndjson?{query}")).await;
    assert_eq!(ndjson.status, 200);
    let lines: Vec<Value> = ndjson
        .text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines, rows);
    assert_eq!(sent_keys(ndjson.text.lines().next().unwrap())[0], names);

    let csv = app.get(&format!("/api/v1/events.csv?{query}")).await;
    assert_eq!(csv.status, 200);
    let mut reader = csv::Reader::from_reader(csv.text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, names);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), rows.len());
    for (record, row) in records.iter().zip(&rows) {
        assert_eq!(record[0], row["id"].to_string());
        assert_eq!(&record[1], row["slug"].as_str().unwrap());
        assert_eq!(
            &record[2],
            row["host_partner"]["slug"].as_str().unwrap_or("")
        );
        let slugs: Vec<&str> = row["thematic_areas"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["slug"].as_str().unwrap())
            .collect();
        assert_eq!(&record[3], slugs.join(";"));
    }
}

#[actix_web::test]
async fn unknown_or_empty_field_names_are_a_400_that_names_them_and_the_fields() {
    let app = seeded_app().await;
    for uri in [
        "/api/v1/partners?fields=name,nope",
        "/api/v1/partners.csv?fields=nope",
        "/api/v1/partners/lille-metropole?fields=nope",
        "/api/v1/thematic-areas/governance/recommendations?fields=nope",
    ] {
        let reply = app.get(uri).await;
        reply.assert_problem(400);
        assert_eq!(reply.fields_at_fault(), ["fields"], "{uri}");
        let message = reply.body["errors"][0]["message"].as_str().unwrap();
        assert!(
            message.contains("'nope'") && message.contains("slug"),
            "{uri}: {message}"
        );
    }
    for uri in [
        "/api/v1/partners?fields=",
        "/api/v1/partners?fields=name,,slug",
        "/api/v1/partners?fields=name&fields=slug",
        "/api/v1/partners/lille-metropole?fields=name&fields=slug",
        "/api/v1/audit?fields=id",
    ] {
        let reply = app.get(uri).await;
        reply.assert_problem(400);
        assert_eq!(reply.fields_at_fault(), ["fields"], "{uri}");
    }
}

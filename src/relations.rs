//! What recommendations and events share about their links to partners and
//! thematic areas: the `{id, slug, name}` summaries shown in reads, loading
//! them for a whole page at once, checking the ids a write names, and the
//! list of what still refers to a partner or thematic area.

use std::collections::HashMap;

use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::input::{Field, Problems};
use crate::schema::{
    event_partners, event_thematic_areas, events, partners, recommendation_partners,
    recommendation_thematic_areas, recommendations, thematic_areas,
};

/// Most ids one relation field takes.
pub const MAX_IDS: usize = 500;

/// A related record in brief.
#[derive(Debug, Clone, PartialEq, Queryable, Serialize, ToSchema)]
#[schema(example = json!({"id": 1, "slug": "lille-metropole", "name": "Lille Métropole"}))]
pub struct Summary {
    pub id: i32,
    pub slug: String,
    pub name: String,
}

/// Filters `query` to rows whose `column` is one of `ids`. One id is
/// written `column = ?`, a statement SQLite prepares once per connection
/// and reuses; several are `column IN (?, ...)`, which Diesel never caches
/// (its text changes with the number of ids). A record read by id, the
/// commonest read, so prepares nothing for its relations.
pub fn owned_by<'a, Q, C>(query: Q, column: C, ids: &'a [i32]) -> Q
where
    C: Expression<SqlType = diesel::sql_types::Integer> + ExpressionMethods,
    Q: diesel::query_dsl::methods::FilterDsl<diesel::dsl::Eq<C, i32>, Output = Q>
        + diesel::query_dsl::methods::FilterDsl<diesel::dsl::EqAny<C, &'a [i32]>, Output = Q>,
{
    match ids {
        [id] => query.filter(column.eq(*id)),
        _ => query.filter(column.eq_any(ids)),
    }
}

/// Groups `(owner id, summary)` rows by owner, keeping their order.
pub fn group(rows: Vec<(i32, Summary)>) -> HashMap<i32, Vec<Summary>> {
    let mut grouped: HashMap<i32, Vec<Summary>> = HashMap::new();
    for (owner, summary) in rows {
        grouped.entry(owner).or_default().push(summary);
    }
    grouped
}

/// Summaries of the partners with these ids, by id.
pub fn partner_summaries(
    conn: &mut SqliteConnection,
    ids: &[i32],
) -> QueryResult<HashMap<i32, Summary>> {
    let query = partners::table
        .select((partners::id, partners::slug, partners::name))
        .into_boxed();
    let rows: Vec<Summary> = owned_by(query, partners::id, ids).load(conn)?;
    Ok(rows.into_iter().map(|s| (s.id, s)).collect())
}

/// A relation field: a list of ids, each an existing record, no repeats
/// (a repeated id is kept once). `None` when the field is at fault.
pub fn id_list(p: &mut Problems, name: &str, field: Field<Vec<i64>>, at_least: usize) -> Vec<i32> {
    let sent = field.into_option().unwrap_or_default();
    let mut ids: Vec<i32> = Vec::with_capacity(sent.len());
    for id in &sent {
        match i32::try_from(*id) {
            Ok(id) if id > 0 => {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            _ => {
                p.add(name, format!("{id} is not an id"));
                return ids;
            }
        }
    }
    if ids.len() < at_least {
        p.add(name, format!("must name at least {at_least}"));
    } else if ids.len() > MAX_IDS {
        p.add(name, format!("must name at most {MAX_IDS}"));
    }
    ids
}

/// Records a problem on `name` for every id in `ids` that `existing` lacks.
fn report_missing(p: &mut Problems, name: &str, ids: &[i32], existing: &[i32], what: &str) {
    let missing: Vec<String> = ids
        .iter()
        .filter(|id| !existing.contains(id))
        .map(|id| id.to_string())
        .collect();
    if !missing.is_empty() {
        p.add(name, format!("no {what} has the id {}", missing.join(", ")));
    }
}

/// Checks that every id in `ids` is a partner.
pub fn check_partners(
    conn: &mut SqliteConnection,
    p: &mut Problems,
    name: &str,
    ids: &[i32],
) -> QueryResult<()> {
    check_ids(conn, p, name, ids, "partner", |conn| {
        partners::table
            .filter(partners::id.eq_any(ids))
            .select(partners::id)
            .load(conn)
    })
}

/// Checks that every id in `ids` is a thematic area.
pub fn check_thematic_areas(
    conn: &mut SqliteConnection,
    p: &mut Problems,
    name: &str,
    ids: &[i32],
) -> QueryResult<()> {
    check_ids(conn, p, name, ids, "thematic area", |conn| {
        thematic_areas::table
            .filter(thematic_areas::id.eq_any(ids))
            .select(thematic_areas::id)
            .load(conn)
    })
}

/// Records a problem on `name` for the ids in `ids` that `existing` (the
/// ones found) lacks; skipped when the field is already at fault or empty.
fn check_ids(
    conn: &mut SqliteConnection,
    p: &mut Problems,
    name: &str,
    ids: &[i32],
    what: &str,
    existing: impl FnOnce(&mut SqliteConnection) -> QueryResult<Vec<i32>>,
) -> QueryResult<()> {
    if p.names(name) || ids.is_empty() {
        return Ok(());
    }
    let existing = existing(conn)?;
    report_missing(p, name, ids, &existing, what);
    Ok(())
}

/// Referrers named in a 409; one more is loaded to know there are more.
const LISTED: usize = 10;

/// Slugs of the records that still point at a partner or thematic area.
#[derive(Debug, Default)]
struct Referrers {
    events: Vec<String>,
    recommendations: Vec<String>,
}

impl Referrers {
    /// A 409 naming the referrers, if there are any.
    fn refuse_delete(self, what: &str, slug: &str) -> Result<(), ApiError> {
        if self.events.is_empty() && self.recommendations.is_empty() {
            return Ok(());
        }
        let mut parts = Vec::new();
        for (kind, slugs) in [
            ("event", &self.events),
            ("recommendation", &self.recommendations),
        ] {
            let shown = slugs
                .iter()
                .take(LISTED)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ");
            match slugs.len() {
                0 => {}
                1 => parts.push(format!("1 {kind} ({shown})")),
                n if n > LISTED => parts.push(format!("more than {LISTED} {kind}s ({shown}, ...)")),
                n => parts.push(format!("{n} {kind}s ({shown})")),
            }
        }
        Err(ApiError::Conflict(
            format!(
                "The {what} '{slug}' is still referred to by {}. Remove those links first.",
                parts.join(" and ")
            ),
            Vec::new(),
        ))
    }
}

/// Refuses to delete a partner that hosts, attends or proposed something.
pub fn ensure_partner_unreferenced(
    conn: &mut SqliteConnection,
    id: i32,
    slug: &str,
) -> Result<(), ApiError> {
    let events = events::table
        .filter(
            events::host_partner_id.eq(id).or(events::id.eq_any(
                event_partners::table
                    .filter(event_partners::partner_id.eq(id))
                    .select(event_partners::event_id),
            )),
        )
        .select(events::slug)
        .order(events::id)
        .limit(LISTED as i64 + 1)
        .load(conn)?;
    let recommendations = recommendations::table
        .filter(
            recommendations::id.eq_any(
                recommendation_partners::table
                    .filter(recommendation_partners::partner_id.eq(id))
                    .select(recommendation_partners::recommendation_id),
            ),
        )
        .select(recommendations::slug)
        .order(recommendations::id)
        .limit(LISTED as i64 + 1)
        .load(conn)?;
    Referrers {
        events,
        recommendations,
    }
    .refuse_delete("partner", slug)
}

/// Refuses to delete a thematic area that an event or recommendation uses.
pub fn ensure_thematic_area_unreferenced(
    conn: &mut SqliteConnection,
    id: i32,
    slug: &str,
) -> Result<(), ApiError> {
    let events = events::table
        .filter(
            events::id.eq_any(
                event_thematic_areas::table
                    .filter(event_thematic_areas::thematic_area_id.eq(id))
                    .select(event_thematic_areas::event_id),
            ),
        )
        .select(events::slug)
        .order(events::id)
        .limit(LISTED as i64 + 1)
        .load(conn)?;
    let recommendations = recommendations::table
        .filter(
            recommendations::id.eq_any(
                recommendation_thematic_areas::table
                    .filter(recommendation_thematic_areas::thematic_area_id.eq(id))
                    .select(recommendation_thematic_areas::recommendation_id),
            ),
        )
        .select(recommendations::slug)
        .order(recommendations::id)
        .limit(LISTED as i64 + 1)
        .load(conn)?;
    Referrers {
        events,
        recommendations,
    }
    .refuse_delete("thematic area", slug)
}

/// Turns a record's shown relation (`"partners": [{id, ...}]` or
/// `"host_partner": {id, ...}`) into its written form (`"partner_ids": [1]`
/// or `"host_partner_id": 1`), for the base of a merge patch.
pub fn relation_ids(
    fields: &mut serde_json::Map<String, serde_json::Value>,
    shown: &str,
    written: &str,
) {
    use serde_json::Value;
    let id_of = |v: &Value| v.get("id").cloned().unwrap_or(Value::Null);
    match fields.remove(shown) {
        Some(Value::Array(items)) => {
            fields.insert(
                written.into(),
                Value::Array(items.iter().map(id_of).collect()),
            );
        }
        Some(item @ Value::Object(_)) => {
            fields.insert(written.into(), id_of(&item));
        }
        _ => {}
    }
}

/// The ids named by a filter such as `partner=brno,3`: ids or slugs of
/// `table` (`partners` or `thematic_areas`), each of which must exist.
pub fn resolve(
    conn: &mut SqliteConnection,
    table: &'static str,
    parameter: &str,
    value: &str,
) -> Result<Vec<crate::listing::Bind>, ApiError> {
    use crate::http::Key;
    use crate::listing::{Bind, Clause, bound};
    use crate::params::list_values;
    let mut keys: Vec<Key> = Vec::new();
    for item in list_values(parameter, value)? {
        let key = Key::parse(item);
        // All digits is an id in form, even where it names none (`007`, or
        // one past the largest id): it is looked up, and quoted when missing.
        let numeric = item.bytes().all(|b| b.is_ascii_digit());
        if matches!(&key, Key::Slug(slug) if !numeric && !crate::rules::is_slug(slug)) {
            return Err(ApiError::query(
                parameter,
                format!("'{item}' is not an id or a slug"),
            ));
        }
        keys.push(key);
    }
    let mut binds = Vec::new();
    for key in &keys {
        binds.push(match key {
            Key::Id(id) => Bind::Int(i64::from(*id)),
            Key::Slug(slug) => Bind::Text(slug.clone()),
        });
    }
    let marks = vec!["?"; binds.len()].join(", ");
    // An id never equals a slug (slugs hold a letter), so one IN list
    // over both columns is exact.
    let query = Clause::new(
        format!("SELECT id, slug FROM {table} WHERE id IN ({marks}) OR slug IN ({marks})"),
        binds.iter().chain(&binds).cloned().collect(),
    );
    let found: Vec<IdSlug> = bound(&query).load(conn)?;
    let mut ids = Vec::with_capacity(keys.len());
    for key in &keys {
        let hit = found.iter().find(|row| match key {
            Key::Id(id) => row.id == *id,
            Key::Slug(slug) => &row.slug == slug,
        });
        match hit {
            Some(row) => ids.push(Bind::Int(i64::from(row.id))),
            None => {
                let shown = match key {
                    Key::Id(id) => id.to_string(),
                    Key::Slug(slug) => slug.clone(),
                };
                let what = if table == "partners" {
                    "partner"
                } else {
                    "thematic area"
                };
                return Err(ApiError::query(
                    parameter,
                    format!("no {what} has the id or slug '{shown}'"),
                ));
            }
        }
    }
    Ok(ids)
}

/// The id of the record of `table` that `key` names (the parent of a
/// nested list), or a 404 that quotes `key`. By table name, so that a
/// resource lists what belongs to another without knowing its type.
pub fn parent_id(
    conn: &mut SqliteConnection,
    table: &'static str,
    what: &str,
    key: &crate::http::Key,
) -> Result<i32, ApiError> {
    use crate::http::Key;
    use crate::listing::{Bind, Clause, bound};
    let query = match key {
        Key::Id(id) => Clause::new(
            format!("SELECT id, slug FROM {table} WHERE id = ?"),
            vec![Bind::Int(i64::from(*id))],
        ),
        Key::Slug(slug) => Clause::new(
            format!("SELECT id, slug FROM {table} WHERE slug = ?"),
            vec![Bind::Text(slug.clone())],
        ),
    };
    let found = bound(&query).get_result::<IdSlug>(conn).map(|row| row.id);
    crate::http::or_404(found, what, key)
}

#[derive(QueryableByName)]
struct IdSlug {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    id: i32,
    #[diesel(sql_type = diesel::sql_types::Text)]
    slug: String,
}

/// Relation cells of a CSV row: the slugs, joined by `;`.
pub fn slugs(related: &[Summary]) -> String {
    let slugs: Vec<&str> = related.iter().map(|s| s.slug.as_str()).collect();
    slugs.join(";")
}

/// The ids of summaries.
pub fn ids(related: &[Summary]) -> Vec<i32> {
    related.iter().map(|s| s.id).collect()
}

/// Spec-only: a record's id as the relation fields of a write take it. Any
/// other number is "not an id" (422); one that names no record is a 422 too.
pub struct RecordId;

impl utoipa::PartialSchema for RecordId {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
            .description(Some("The id of an existing record."))
            .minimum(Some(1))
            .maximum(Some(i32::MAX))
            .into()
    }
}

impl utoipa::ToSchema for RecordId {}

pub use crate::http::IdOrSlug;

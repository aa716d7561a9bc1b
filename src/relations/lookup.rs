//! Records named by id or slug in a query: the items of a `partner` or
//! `thematic_area` filter, and the parent of a nested list.

use diesel::prelude::*;

use crate::db::Conn;
use crate::error::ApiError;

/// The ids named by a filter such as `partner=brno,3`: ids or slugs of
/// `table` (`partners` or `thematic_areas`), each of which must exist.
pub fn resolve(
    conn: &mut Conn,
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
    // Ids and slugs in lists of their own: PostgreSQL compares an integer
    // column with integers only.
    let mut ids = Vec::new();
    let mut slugs = Vec::new();
    for key in &keys {
        match key {
            Key::Id(id) => ids.push(Bind::Int(i64::from(*id))),
            Key::Slug(slug) => slugs.push(Bind::Text(slug.clone())),
        }
    }
    let any_of = |column: &str, values: &[Bind]| {
        (!values.is_empty())
            .then(|| format!("{column} IN ({})", vec!["?"; values.len()].join(", ")))
    };
    let conditions: Vec<String> = [any_of("id", &ids), any_of("slug", &slugs)]
        .into_iter()
        .flatten()
        .collect();
    let query = Clause::new(
        format!(
            "SELECT id, slug FROM {table} WHERE {}",
            conditions.join(" OR ")
        ),
        ids.into_iter().chain(slugs).collect(),
    );
    let found: Vec<IdSlug> = bound(&query, conn.dialect()).load(conn)?;
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
    conn: &mut Conn,
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
    let found = bound(&query, conn.dialect())
        .get_result::<IdSlug>(conn)
        .map(|row| row.id);
    crate::http::or_404(found, what, key)
}

#[derive(QueryableByName)]
struct IdSlug {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    id: i32,
    #[diesel(sql_type = diesel::sql_types::Text)]
    slug: String,
}

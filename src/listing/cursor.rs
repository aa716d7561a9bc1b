//! The keyset cursor: the position of a page's last row under its sort,
//! encoded opaque (base64url JSON), bound to that sort, read back typed,
//! and the SQL condition of the rows after it.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use serde_json::{Value, json};

use super::{Bind, Clause, Kind, Sort, bound};
use crate::db::Conn;
use crate::error::ApiError;

impl Sort {
    /// Reads a cursor handed out under this sort.
    pub fn decode(&self, cursor: &str) -> Result<Vec<Option<Bind>>, ApiError> {
        let forged = || {
            ApiError::query(
                "cursor",
                "is not a cursor this list gave out; use meta.next_cursor as given",
            )
        };
        let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| forged())?;
        let payload: Value = serde_json::from_slice(&bytes).map_err(|_| forged())?;
        if payload["s"] != self.signature() {
            return Err(ApiError::query(
                "cursor",
                "was given out for another sort; start again without it",
            ));
        }
        let values = payload["v"].as_array().ok_or_else(forged)?;
        if values.len() != self.0.len() {
            return Err(forged());
        }
        self.0
            .iter()
            .zip(values)
            .map(|(key, value)| {
                match (value, key.kind) {
                    (Value::Null, _) if key.nullable => Some(None),
                    (v, Kind::Int) => v.as_i64().map(Bind::Int).map(Some),
                    (v, Kind::Real) => v.as_f64().map(Bind::Real).map(Some),
                    // No stored text holds a NUL (PostgreSQL cannot even
                    // compare one): no cursor this API gave out does.
                    (Value::String(s), Kind::Text | Kind::NoCase) if !s.contains('\0') => {
                        Some(Some(Bind::Text(s.clone())))
                    }
                    (Value::String(s), Kind::Timestamp) => chrono::DateTime::parse_from_rfc3339(s)
                        .ok()
                        .map(|t| Some(Bind::Timestamp(t.naive_utc()))),
                    (Value::String(s), Kind::Date) => {
                        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                            .ok()
                            .map(|d| Some(Bind::Date(d)))
                    }
                    _ => None,
                }
                .ok_or_else(forged)
            })
            .collect()
    }

    /// The cursor of the page after `last`, from its JSON representation;
    /// computed keys are read back from the database.
    pub(super) fn encode(&self, conn: &mut Conn, table: &str, last: &Value) -> QueryResult<String> {
        let mut values = Vec::with_capacity(self.0.len());
        for key in &self.0 {
            let value = match last.get(&key.name) {
                Some(value) => value.clone(),
                None => {
                    let mut query = Clause::new("SELECT CAST(", Vec::new());
                    query.push(&key.expr);
                    query.push(&Clause::new(
                        format!(" AS BIGINT) AS n FROM {table} t WHERE t.id = ?"),
                        vec![Bind::Int(last["id"].as_i64().unwrap_or_default())],
                    ));
                    json!(bound(&query, conn.dialect()).get_result::<Number>(conn)?.n)
                }
            };
            values.push(value);
        }
        let payload = json!({"s": self.signature(), "v": values});
        Ok(URL_SAFE_NO_PAD.encode(payload.to_string()))
    }

    /// Rows strictly after `position` in this order (nulls last).
    pub(super) fn after(&self, position: &[Option<Bind>]) -> Clause {
        let mut any = Clause::default();
        for (i, key) in self.0.iter().enumerate() {
            let Some(value) = &position[i] else {
                // Nothing sorts after a null but its ties on later keys.
                continue;
            };
            if !any.sql.is_empty() {
                any.push_sql(" OR ");
            }
            any.push_sql("(");
            for (earlier, earlier_value) in self.0.iter().zip(position).take(i) {
                any.push_sql("(");
                any.push(&earlier.expr);
                match earlier_value {
                    Some(v) => any.push(&Clause::new(
                        format!(" = {}", earlier.value),
                        vec![v.clone()],
                    )),
                    None => any.push_sql(" IS NULL"),
                }
                any.push_sql(") AND ");
            }
            any.push_sql("((");
            any.push(&key.expr);
            any.push(&Clause::new(
                format!("{} {}", if key.desc { " <" } else { " >" }, key.value),
                vec![value.clone()],
            ));
            any.push_sql(")");
            if key.nullable {
                any.push_sql(" OR (");
                any.push(&key.expr);
                any.push_sql(") IS NULL");
            }
            any.push_sql("))");
        }
        if any.sql.is_empty() {
            return Clause::new("1 = 0", Vec::new());
        }
        // The same condition again, as a plain range on the first key, so
        // the planner starts its index walk at the cursor instead of at the
        // first row and filtering: a page a million rows deep then costs
        // what the first page costs.
        match (self.0.first(), position.first()) {
            (Some(first), Some(Some(value))) if !first.nullable => {
                let mut range = Clause::default();
                range.push_sql("(");
                range.push(&first.expr);
                range.push(&Clause::new(
                    format!("{} {}", if first.desc { " <=" } else { " >=" }, first.value),
                    vec![value.clone()],
                ));
                range.push_sql(") AND (");
                range.push(&any);
                range.push_sql(")");
                range
            }
            _ => any,
        }
    }
}

/// A number a query reads back (a count, a computed sort key).
#[derive(QueryableByName)]
pub(super) struct Number {
    #[diesel(sql_type = BigInt)]
    pub(super) n: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listing::SortField;

    const FIELDS: &[SortField] = &[
        SortField::new("name", "t.name", Kind::Text, false),
        SortField::new("population", "t.population", Kind::Int, true),
    ];

    #[test]
    fn cursors_are_bound_to_their_sort_and_typed() {
        let sort =
            Sort::parse(Some("population"), FIELDS, None, crate::db::Dialect::Sqlite).unwrap();
        let good =
            URL_SAFE_NO_PAD.encode(json!({"s": "population,id", "v": [null, 3]}).to_string());
        assert_eq!(sort.decode(&good).unwrap(), vec![None, Some(Bind::Int(3))]);
        let other_sort = URL_SAFE_NO_PAD.encode(json!({"s": "name,id", "v": ["a", 3]}).to_string());
        for forged in [
            other_sort,
            URL_SAFE_NO_PAD.encode(json!({"s": "population,id", "v": ["x", 3]}).to_string()),
            URL_SAFE_NO_PAD.encode(json!({"s": "population,id", "v": [1]}).to_string()),
            URL_SAFE_NO_PAD.encode(json!({"s": "population,id", "v": [1, null]}).to_string()),
            URL_SAFE_NO_PAD.encode("[3]"),
            "not base64!".to_string(),
            String::new(),
        ] {
            assert!(sort.decode(&forged).is_err(), "{forged}");
        }
    }
}

//! The sort of a list: the fields each collection sorts on, a parsed
//! `sort` parameter, and the SQL of its order and of "rows after this one"
//! (the keyset condition a cursor becomes).

use super::Clause;
use crate::db::Dialect;
use crate::error::ApiError;

/// The SQL type of a sortable field, for reading cursor values back.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Int,
    Real,
    /// Text in byte order (of its UTF-8).
    Text,
    /// Text in byte order once ASCII letters are folded to lower case
    /// (SQLite's `NOCASE`): `lille` and `Lille` tie.
    NoCase,
    /// Shown as RFC 3339, stored as a Diesel `Timestamp`.
    Timestamp,
    /// Shown and stored as `YYYY-MM-DD`.
    Date,
}

/// The arguments of PostgreSQL's `translate()` that fold ASCII upper case
/// to lower case, as SQLite's `NOCASE` folds: its `lower()` would fold more
/// than ASCII where the database's locale says so, and order differently
/// from SQLite. (The PostgreSQL migration's sort indexes say the same.)
macro_rules! fold {
    () => {
        "'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'"
    };
}

/// A field a list can be sorted on: its name in `sort` and in the JSON
/// representation, and its column over the table aliased `t`.
#[derive(Debug)]
pub struct SortField {
    pub name: &'static str,
    pub sql: &'static str,
    pub kind: Kind,
    /// Nullable fields sort their nulls last, in both directions.
    pub nullable: bool,
}

impl SortField {
    pub const fn new(name: &'static str, sql: &'static str, kind: Kind, nullable: bool) -> Self {
        SortField {
            name,
            sql,
            kind,
            nullable,
        }
    }

    /// What this field sorts by in `dialect`, and how a bound value is
    /// compared with it: both stores order text the same way (bytes, and
    /// for `NoCase` bytes with ASCII folded), whatever their defaults.
    fn key(&self, dialect: Dialect) -> (String, &'static str) {
        let sql = self.sql;
        match (self.kind, dialect) {
            (Kind::NoCase, Dialect::Sqlite) => (format!("{sql} COLLATE NOCASE"), "?"),
            (Kind::NoCase, Dialect::Postgres) => (
                format!(concat!("translate({}, ", fold!(), ") COLLATE \"C\""), sql),
                FOLDED_VALUE,
            ),
            (Kind::Text, Dialect::Postgres) => (format!("{sql} COLLATE \"C\""), "?"),
            _ => (sql.to_string(), "?"),
        }
    }
}

/// A bound value folded as [`Kind::NoCase`] folds a column (PostgreSQL).
const FOLDED_VALUE: &str = concat!("translate(?, ", fold!(), ")");

/// One key of a sort.
#[derive(Debug, Clone)]
pub struct SortKey {
    pub(super) name: String,
    pub(super) expr: Clause,
    pub(super) kind: Kind,
    pub(super) nullable: bool,
    pub(super) desc: bool,
    /// How a bound value is compared with `expr`: `?`, or the value folded
    /// as the column is.
    pub(super) value: &'static str,
    /// For a two-tier key (0 where this condition holds, else 1): the
    /// condition, so that each tier can be read in order on its own.
    pub(super) tier_0: Option<Clause>,
}

impl SortKey {
    /// A two-tier key: 0 for rows where `condition` holds, then 1 for the
    /// rest, such as search relevance (title matches first).
    pub fn tiers(name: &str, condition: Clause) -> Self {
        let mut expr = Clause::new("CASE WHEN ", Vec::new());
        expr.push(&condition);
        expr.push_sql(" THEN 0 ELSE 1 END");
        SortKey {
            name: name.into(),
            expr,
            kind: Kind::Int,
            nullable: false,
            desc: false,
            value: "?",
            tier_0: Some(condition),
        }
    }
}

/// A checked sort: the keys asked for, then `id` to break ties.
#[derive(Debug, Clone)]
pub struct Sort(pub(super) Vec<SortKey>);

const ID: SortField = SortField::new("id", "t.id", Kind::Int, false);

impl Sort {
    /// Parses `sort=name,-population`, for SQL in `dialect`. Without one,
    /// `default` applies (the relevance key of a search, say), else id
    /// order.
    pub fn parse(
        param: Option<&str>,
        fields: &'static [SortField],
        default: Option<SortKey>,
        dialect: Dialect,
    ) -> Result<Sort, ApiError> {
        let mut keys = Vec::new();
        match param {
            None => keys.extend(default),
            Some(spec) => {
                for part in spec.split(',') {
                    let (desc, name) = match part.strip_prefix('-') {
                        Some(name) => (true, name),
                        None => (false, part),
                    };
                    let field = fields.iter().chain([&ID]).find(|f| f.name == name).ok_or_else(|| {
                        let names: Vec<&str> = fields.iter().map(|f| f.name).chain(["id"]).collect();
                        ApiError::query("sort", format!("'{part}' is not a sort field; use {} (a leading - sorts descending)", names.join(", ")))
                    })?;
                    if keys.iter().any(|k: &SortKey| k.name == field.name) {
                        // A later key on the same field orders nothing the
                        // first has not: `name,-name` sorts as `name`.
                        continue;
                    }
                    let (expr, value) = field.key(dialect);
                    keys.push(SortKey {
                        name: field.name.into(),
                        expr: Clause::new(expr, Vec::new()),
                        kind: field.kind,
                        nullable: field.nullable,
                        desc,
                        value,
                        tier_0: None,
                    });
                }
            }
        }
        if !keys.iter().any(|k| k.name == "id") {
            // Ties go the way of the last key, so that an index on a column
            // (which holds its rows in id order) serves `-column` read
            // backwards, with no sort.
            let desc = keys.last().is_some_and(|k| k.desc);
            keys.push(SortKey {
                name: "id".into(),
                expr: Clause::new(ID.sql, Vec::new()),
                kind: Kind::Int,
                nullable: false,
                desc,
                value: "?",
                tier_0: None,
            });
        }
        Ok(Sort(keys))
    }

    /// This sort with the tie-breaking id read from `expr`.
    pub(super) fn id_as(&self, expr: &str) -> Sort {
        let keys = self.0.iter().map(|key| match key.name.as_str() {
            "id" => SortKey {
                expr: Clause::new(expr, Vec::new()),
                ..key.clone()
            },
            _ => key.clone(),
        });
        Sort(keys.collect())
    }

    /// Whether rows are in id order (either way) and by nothing else: a
    /// cursor then needs only a row's id.
    pub fn by_id(&self) -> bool {
        self.0
            .iter()
            .all(|key| key.name == "id" && key.tier_0.is_none())
    }

    /// What a cursor records of its sort, so it is refused under another.
    pub(super) fn signature(&self) -> String {
        let keys: Vec<String> = self
            .0
            .iter()
            .map(|k| format!("{}{}", if k.desc { "-" } else { "" }, k.name))
            .collect();
        keys.join(",")
    }

    pub(super) fn order_by(&self) -> Clause {
        let mut order = Clause::default();
        for (i, key) in self.0.iter().enumerate() {
            if i > 0 {
                order.push_sql(", ");
            }
            if key.nullable {
                order.push_sql("(");
                order.push(&key.expr);
                order.push_sql(") IS NULL, ");
            }
            order.push(&key.expr);
            order.push_sql(if key.desc { " DESC" } else { " ASC" });
        }
        order
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: &[SortField] = &[
        SortField::new("name", "t.name", Kind::Text, false),
        SortField::new("population", "t.population", Kind::Int, true),
    ];

    #[test]
    fn sort_parses_directions_and_always_ends_with_id() {
        let sort = Sort::parse(Some("-population,name"), FIELDS, None, Dialect::Sqlite).unwrap();
        assert_eq!(sort.signature(), "-population,name,id");
        assert_eq!(
            Sort::parse(None, FIELDS, None, Dialect::Sqlite)
                .unwrap()
                .signature(),
            "id"
        );
        assert_eq!(
            Sort::parse(Some("-name"), FIELDS, None, Dialect::Sqlite)
                .unwrap()
                .signature(),
            "-name,-id"
        );
        assert_eq!(
            Sort::parse(Some("-id"), FIELDS, None, Dialect::Sqlite)
                .unwrap()
                .signature(),
            "-id"
        );
        // A repeated field adds nothing: the first says the order.
        assert_eq!(
            Sort::parse(Some("name,-name,population"), FIELDS, None, Dialect::Sqlite)
                .unwrap()
                .signature(),
            "name,population,id"
        );
        for bad in ["colour", "", "name,", "--name", "-", "Name"] {
            assert!(
                Sort::parse(Some(bad), FIELDS, None, Dialect::Sqlite).is_err(),
                "{bad}"
            );
        }
    }
}

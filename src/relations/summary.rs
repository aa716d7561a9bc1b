//! A related record in brief, `{id, slug, name}`: as read, shown in JSON,
//! described in the spec, and written as a CSV cell.

use std::borrow::Cow;
use std::sync::Arc;

use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::tabular::{Cell, Line};

/// A related record in brief. Its texts are shared behind one count: the
/// summaries of a list are copies of those kept for its generation
/// (`known`), a million events name the same ten thousand partners, and
/// every copy made or dropped changes that count atomically (one count
/// for both texts, where each had its own: half the atomic operations an
/// export's copies cost).
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub id: i32,
    texts: Arc<Texts>,
}

#[derive(Debug, PartialEq)]
struct Texts {
    slug: Box<str>,
    name: Box<str>,
}

impl Summary {
    pub fn new(id: i32, slug: impl Into<Box<str>>, name: impl Into<Box<str>>) -> Summary {
        let texts = Texts {
            slug: slug.into(),
            name: name.into(),
        };
        Summary {
            id,
            texts: Arc::new(texts),
        }
    }

    pub fn slug(&self) -> &str {
        &self.texts.slug
    }

    pub fn name(&self) -> &str {
        &self.texts.name
    }
}

/// The SQL types `Summary` is read from: `(id, slug, name)`.
type SummarySql = (
    diesel::sql_types::Integer,
    diesel::sql_types::Text,
    diesel::sql_types::Text,
);

impl<DB> Queryable<SummarySql, DB> for Summary
where
    DB: diesel::backend::Backend,
    (i32, String, String): diesel::deserialize::FromStaticSqlRow<SummarySql, DB>,
{
    type Row = (i32, String, String);

    fn build((id, slug, name): Self::Row) -> diesel::deserialize::Result<Summary> {
        Ok(Summary::new(id, slug, name))
    }
}

impl Serialize for Summary {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut summary = serializer.serialize_struct("Summary", 3)?;
        summary.serialize_field("id", &self.id)?;
        summary.serialize_field("slug", self.slug())?;
        summary.serialize_field("name", self.name())?;
        summary.end()
    }
}

/// A related record in brief.
#[derive(ToSchema)]
#[schema(as = Summary)]
#[schema(example = json!({"id": 1, "slug": "lille-metropole", "name": "Lille Métropole"}))]
#[allow(dead_code)] // Spec-only: the shape `Summary` serializes to.
struct SummaryShape {
    id: i32,
    slug: String,
    name: String,
}

impl utoipa::PartialSchema for Summary {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        SummaryShape::schema()
    }
}

impl utoipa::ToSchema for Summary {
    fn name() -> Cow<'static, str> {
        SummaryShape::name()
    }

    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        SummaryShape::schemas(schemas)
    }
}

/// Relation cells of a CSV row: the slugs, joined by `;`.
pub fn slugs(related: &[Summary]) -> String {
    let slugs: Vec<&str> = related.iter().map(Summary::slug).collect();
    slugs.join(";")
}

/// A relation as one CSV cell: the related record's slug.
impl Cell for Summary {
    fn cell(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.slug())
    }
}

/// Several related records as one CSV cell: their slugs, `;`-joined.
impl Cell for Vec<Summary> {
    fn cell(&self) -> Cow<'_, str> {
        Cow::Owned(slugs(self))
    }

    fn write(&self, line: &mut Line) {
        line.joined(self.iter().map(Summary::slug));
    }
}

/// The ids of summaries.
pub fn ids(related: &[Summary]) -> Vec<i32> {
    related.iter().map(|s| s.id).collect()
}

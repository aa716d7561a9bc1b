//! Sparse fields: `fields=id,slug,title` on a list, an item or a file
//! download keeps only the named fields of each record, `id` always
//! among them, in the order the full record has them.

use std::borrow::Cow;
use std::future::{Ready, ready};
use std::marker::PhantomData;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa::openapi::schema::{AnyOfBuilder, Schema};
use utoipa::openapi::{Ref, RefOr};

use crate::error::ApiError;

/// The spec's description of `fields=`.
pub const PARAMETER: &str = "Show only these fields of each record (comma-separated), `id` always \
among them, in the record's own order; in CSV, only these columns. A name that is not a field \
is a 400 naming it; a field named twice counts once. The `ETag` is that of what is shown: \
`If-Match` on a write takes the whole record's.";

/// `fields=` of an item's query string; its other parameters are not read.
pub struct FieldsParam(pub Option<String>);

impl FromRequest for FieldsParam {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let mut given = url::form_urlencoded::parse(req.query_string().as_bytes())
            .filter(|(key, _)| key == "fields")
            .map(|(_, value)| value.into_owned());
        let first = given.next();
        ready(match given.next() {
            Some(_) => Err(ApiError::query("fields", "is given more than once")),
            None => Ok(FieldsParam(first)),
        })
    }
}

/// The fields a request keeps, as positions in its record's header.
#[derive(Debug, Clone, PartialEq)]
pub struct Fields {
    header: &'static [&'static str],
    columns: Vec<usize>,
}

impl Fields {
    /// The fields `param` names among `header`; `None` without `param`.
    /// A name that is not a field is a 400 naming it and the fields there
    /// are. A field named twice counts once.
    pub fn parse(
        param: Option<&str>,
        header: &'static [&'static str],
    ) -> Result<Option<Fields>, ApiError> {
        let Some(param) = param else {
            return Ok(None);
        };
        let mut keep = vec![false; header.len()];
        if let Some(id) = header.iter().position(|name| *name == "id") {
            keep[id] = true;
        }
        let mut unknown = Vec::new();
        for name in param.split(',') {
            match header.iter().position(|field| *field == name) {
                Some(i) => keep[i] = true,
                None => unknown.push(format!("'{name}'")),
            }
        }
        if !unknown.is_empty() {
            return Err(ApiError::query(
                "fields",
                format!(
                    "names no field {}; the fields are {}",
                    unknown.join(", "),
                    header.join(", ")
                ),
            ));
        }
        let columns = (0..header.len()).filter(|&i| keep[i]).collect();
        Ok(Some(Fields { header, columns }))
    }

    /// The positions kept, in header order.
    pub fn columns(&self) -> &[usize] {
        &self.columns
    }

    /// The names kept, in header order.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.columns.iter().map(|&i| self.header[i])
    }

    /// `record` with only the kept fields.
    pub fn pick<T: Serialize>(&self, record: &T) -> Result<Picked, ApiError> {
        let Value::Object(mut all) =
            serde_json::to_value(record).map_err(|e| ApiError::Internal(e.into()))?
        else {
            return Err(ApiError::Internal(anyhow::anyhow!(
                "a record is not an object"
            )));
        };
        let kept = self
            .names()
            .map(|name| (name, all.remove(name).unwrap_or(Value::Null)))
            .collect();
        Ok(Picked(kept))
    }

    /// Every record of `records`, picked.
    pub fn pick_all<T: Serialize>(&self, records: &[T]) -> Result<Vec<Picked>, ApiError> {
        records.iter().map(|record| self.pick(record)).collect()
    }
}

/// A record with only some of its fields, in its own order.
#[derive(Debug, Clone, PartialEq)]
pub struct Picked(Vec<(&'static str, Value)>);

impl Serialize for Picked {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

/// Spec-only: a record as a read shows it: whole, or with `fields=` only
/// the fields named (`id` always among them).
pub struct View<T>(PhantomData<T>);

// utoipa publishes a generic type through `ComposeSchema` (hidden, but
// what its derive implements; `PartialSchema` follows from it).
impl<T: ToSchema> utoipa::__dev::ComposeSchema for View<T> {
    fn compose(_: Vec<RefOr<Schema>>) -> RefOr<Schema> {
        let mut sparse = match T::schema() {
            RefOr::T(Schema::Object(object)) => object,
            other => return other,
        };
        sparse.required = vec!["id".into()];
        sparse.description = Some(format!(
            "A `{}` with only the fields named in `fields`, and `id`.",
            T::name()
        ));
        sparse.example = None;
        sparse.examples = Vec::new();
        AnyOfBuilder::new()
            .item(Ref::from_schema_name(T::name()))
            .item(sparse)
            .into()
    }
}

impl<T: ToSchema> ToSchema for View<T> {
    /// `PartnerView` for `View<Partner>` (through the alias that
    /// `tabular!` declares, which utoipa names by this).
    fn name() -> Cow<'static, str> {
        Cow::Owned(format!("{}View", T::name()))
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((T::name().into(), T::schema()));
        T::schemas(schemas);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &[&str] = &["id", "slug", "name", "city"];

    #[test]
    fn names_are_kept_in_header_order_with_id_once() {
        let fields = Fields::parse(Some("city,slug,city"), HEADER)
            .unwrap()
            .unwrap();
        assert_eq!(fields.names().collect::<Vec<_>>(), ["id", "slug", "city"]);
        assert_eq!(fields.columns(), [0, 1, 3]);
        assert_eq!(Fields::parse(None, HEADER).unwrap(), None);
    }

    #[test]
    fn unknown_and_empty_names_are_refused_by_name() {
        for (param, named) in [("slug,nope", "'nope'"), ("", "''"), ("slug,,city", "''")] {
            let Err(ApiError::BadRequest(_, errors)) = Fields::parse(Some(param), HEADER) else {
                panic!("{param:?} was accepted");
            };
            assert_eq!(errors[0].field, "fields");
            assert!(
                errors[0].message.contains(named),
                "{param:?}: {}",
                errors[0].message
            );
        }
    }

    #[test]
    fn a_picked_record_has_the_kept_fields_in_order() {
        let fields = Fields::parse(Some("city,name"), HEADER).unwrap().unwrap();
        let record = serde_json::json!({"id": 3, "slug": "a", "name": "A", "city": null});
        let picked = serde_json::to_string(&fields.pick(&record).unwrap()).unwrap();
        assert_eq!(picked, r#"{"id":3,"name":"A","city":null}"#);
    }
}

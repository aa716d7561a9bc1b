//! Reading request bodies (read within their limits by `body`): JSON objects
//! into the raw input types of each resource, with every fault reported at
//! once rather than the first one.
//!
//! Input types have every field optional (`Field<T>`), so a body with a
//! single key always deserializes unless that key is unknown or of the wrong
//! type. That lets one failed parse be diagnosed key by key with serde's own
//! messages, with the input type as the single source of truth.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::error::{ApiError, FieldError};

/// A JSON field as the client sent it: absent, `null`, or a value.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Field<T> {
    #[default]
    Absent,
    Null,
    Value(T),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.map_or(Field::Null, Field::Value))
    }
}

impl<T> Field<T> {
    /// The same field with its value turned by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Field<U> {
        match self {
            Field::Value(v) => Field::Value(f(v)),
            Field::Null => Field::Null,
            Field::Absent => Field::Absent,
        }
    }

    /// The value, treating absent and `null` alike.
    pub fn into_option(self) -> Option<T> {
        match self {
            Field::Value(v) => Some(v),
            Field::Absent | Field::Null => None,
        }
    }
}

/// Fields every resource shows but no client writes.
const READ_ONLY: [&str; 3] = ["id", "created_at", "updated_at"];

/// Parses a JSON object into `T`. Fields of the wrong JSON type give a 400
/// naming each of them. Unknown fields are left out and come back as the
/// first entries of the returned `Problems`, so the caller's own rules can
/// add theirs and the client hears of every fault in one 422.
pub fn parse_object<T: DeserializeOwned>(
    mut map: Map<String, Value>,
) -> Result<(T, Problems), ApiError> {
    map.values_mut().for_each(whole_numbers);
    let value = Value::Object(map);
    // The common case, a valid body, costs one deserialization.
    let first_error = match T::deserialize(&value) {
        Ok(parsed) => return Ok((parsed, Problems::default())),
        Err(e) => e,
    };
    let Value::Object(mut map) = value else {
        return Err(ApiError::bad_request(first_error.to_string()));
    };
    let mut wrong_type = Vec::new();
    let mut unknown = Problems::default();
    for (key, val) in &map {
        let single = Value::Object(Map::from_iter([(key.clone(), val.clone())]));
        let Err(e) = T::deserialize(&single) else {
            continue;
        };
        let message = e.to_string();
        if READ_ONLY.contains(&key.as_str()) {
            unknown.add(key, "is set by the server and cannot be written");
        } else if message.starts_with("unknown field") {
            unknown.add(key, message);
        } else {
            wrong_type.push(FieldError::new(key, message));
        }
    }
    if !wrong_type.is_empty() {
        return Err(ApiError::BadRequest(
            "Some fields have the wrong JSON type.".into(),
            wrong_type,
        ));
    }
    map.retain(|key, _| !unknown.names(key));
    T::deserialize(&Value::Object(map))
        .map(|parsed| (parsed, unknown))
        .map_err(|_| ApiError::bad_request(first_error.to_string()))
}

/// JSON has one number type: `3.0` is the whole number 3 (JSON Schema says
/// so too), so integer fields take it. Numbers written with a fraction part
/// of zero become integers, where exact (up to 2^53 in size); others stay as
/// they are and an integer field refuses them.
fn whole_numbers(value: &mut Value) {
    match value {
        Value::Number(n) if !n.is_i64() && !n.is_u64() => {
            if let Some(f) = n
                .as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0)
            {
                *value = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers),
        _ => {}
    }
}

/// RFC 7396: applies a merge patch to a JSON object: each key of the patch
/// replaces the target's (objects merge key by key), and `null` removes it.
pub fn merge_patch(target: &mut Map<String, Value>, patch: Map<String, Value>) {
    let mut document = Value::Object(std::mem::take(target));
    json_patch::merge(&mut document, &Value::Object(patch));
    if let Value::Object(merged) = document {
        *target = merged;
    }
}

/// The writable fields of `record` as a JSON object: the base a merge patch
/// applies to. Nulls are left out, since absent and `null` mean the same.
pub fn writable_fields<T: serde::Serialize>(record: &T) -> Result<Map<String, Value>, ApiError> {
    let value = serde_json::to_value(record).map_err(|e| ApiError::Internal(e.into()))?;
    let Value::Object(mut map) = value else {
        return Err(ApiError::Internal(anyhow::anyhow!(
            "a record must serialize to an object"
        )));
    };
    map.retain(|key, value| !value.is_null() && !READ_ONLY.contains(&key.as_str()));
    Ok(map)
}

/// Collects every rule a request breaks, so the client hears of all at once.
#[derive(Debug, Default)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    /// Whether `field` is already at fault.
    pub fn names(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }

    /// `value` when no rule was broken, else a 422 listing them all.
    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, ApiError> {
        if self.0.is_empty() {
            Ok(value())
        } else {
            Err(ApiError::Unprocessable(self.0))
        }
    }
}

/// The spec schema of a merge-patch body of `T`: the same fields, none required.
pub fn patch_schema<T: utoipa::ToSchema>() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>
{
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::Schema;
    match T::schema() {
        RefOr::T(Schema::Object(mut object)) => {
            object.required.clear();
            object.description = Some(
                "A JSON merge patch (RFC 7396): any subset of the fields; `null` clears an optional field."
                    .into(),
            );
            RefOr::T(Schema::Object(object))
        }
        other => other,
    }
}

/// Declares a spec-only type `$patch` whose schema is `$input` with no
/// field required: the body of a PATCH.
#[macro_export]
macro_rules! merge_patch_schema {
    ($patch:ident, $input:ty) => {
        /// Spec-only: a merge-patch body (any subset of the input fields).
        pub struct $patch;

        impl utoipa::PartialSchema for $patch {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                $crate::input::patch_schema::<$input>()
            }
        }

        impl utoipa::ToSchema for $patch {
            fn schemas(
                schemas: &mut Vec<(
                    String,
                    utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
                )>,
            ) {
                <$input as utoipa::ToSchema>::schemas(schemas);
            }
        }
    };
}

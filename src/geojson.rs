//! GeoJSON (RFC 7946) for records with a place: a FeatureCollection whose
//! features are the records, `[longitude, latitude]` points (or `null`
//! where no place is known), the record as JSON shows it in `properties`.

use std::borrow::Cow;
use std::marker::PhantomData;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use utoipa::ToSchema;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, OneOfBuilder, Schema, Type};
use utoipa::openapi::{Ref, RefOr};

/// What comes before the first feature.
pub const OPEN: &[u8] = br#"{"type":"FeatureCollection","features":["#;
/// What comes after the last one.
pub const CLOSE: &[u8] = b"]}";

/// One record as a GeoJSON Feature: `id`, the point, and `properties`
/// (the record, or what `fields=` keeps of it).
pub struct Feature<'a, P> {
    pub id: i64,
    pub point: Option<[f64; 2]>,
    pub properties: &'a P,
}

impl<P: Serialize> Serialize for Feature<'_, P> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("type", "Feature")?;
        map.serialize_entry("id", &self.id)?;
        match self.point {
            Some(coordinates) => map.serialize_entry(
                "geometry",
                &serde_json::json!({"type": "Point", "coordinates": coordinates}),
            )?,
            None => map.serialize_entry("geometry", &())?,
        }
        map.serialize_entry("properties", self.properties)?;
        map.end()
    }
}

/// Spec-only: records of kind `R` as a GeoJSON FeatureCollection.
pub struct FeatureCollection<R>(PhantomData<R>);

// utoipa publishes a generic type through `ComposeSchema` (hidden, but
// what its derive implements; `PartialSchema` follows from it).
impl<R: ToSchema> utoipa::__dev::ComposeSchema for FeatureCollection<R> {
    fn compose(_: Vec<RefOr<Schema>>) -> RefOr<Schema> {
        let constant = |value: &str| {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some([value.to_string()]))
        };
        let number = || ObjectBuilder::new().schema_type(Type::Number);
        let point = ObjectBuilder::new()
            .property("type", constant("Point"))
            .required("type")
            .property(
                "coordinates",
                ArrayBuilder::new()
                    .items(number())
                    .min_items(Some(2))
                    .max_items(Some(2))
                    .description(Some("`[longitude, latitude]`, WGS 84")),
            )
            .required("coordinates");
        let feature = ObjectBuilder::new()
            .property("type", constant("Feature"))
            .required("type")
            .property("id", ObjectBuilder::new().schema_type(Type::Integer))
            .required("id")
            .property(
                "geometry",
                OneOfBuilder::new()
                    .item(point)
                    .item(ObjectBuilder::new().schema_type(Type::Null))
                    .description(Some(
                        "Where the record is: a partner's coordinates, an event's host's \
                         (whatever its `city`); `null` where no place is known.",
                    )),
            )
            .required("geometry")
            .property(
                "properties",
                Ref::from_schema_name(format!("{}View", R::name())),
            )
            .required("properties");
        ObjectBuilder::new()
            .description(Some(format!(
                "`{}` records as a GeoJSON FeatureCollection (RFC 7946).",
                R::name()
            )))
            .property("type", constant("FeatureCollection"))
            .required("type")
            .property("features", ArrayBuilder::new().items(feature))
            .required("features")
            .into()
    }
}

impl<R: ToSchema> ToSchema for FeatureCollection<R> {
    fn name() -> Cow<'static, str> {
        Cow::Owned(format!("{}Features", R::name()))
    }
}

//! A record's flat form: its fields by name, in the order JSON shows them,
//! each as one CSV cell. The CSV export writes these cells; `fields=`
//! (sparse fields) picks among these names.

mod csv;

use std::borrow::Cow;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::time::shown;
pub use csv::Line;

/// A record that has a flat CSV form.
pub trait Tabular: Serialize {
    /// Its field names, in JSON order: the CSV header row.
    const HEADER: &'static [&'static str];
    /// One row, in header order. Borrowed where it can be: copying every
    /// body into a new string showed up in the export's profile.
    fn record(&self) -> Vec<Cow<'_, str>>;
    /// The same row written as one CSV line (not yet ended), each cell
    /// straight into `line`: no row of cells in between.
    fn write_row(&self, line: &mut Line);
    /// The record's id.
    fn record_id(&self) -> i32;
    /// Whether records of this kind have a place (GeoJSON is served).
    const LOCATED: bool = false;
    /// Where the record is, `[longitude, latitude]`, when known.
    fn point(&self) -> Option<[f64; 2]> {
        None
    }
}

/// A value as one CSV cell: empty for null, `;`-joined slugs for
/// relations, timestamps as JSON shows them.
pub trait Cell {
    fn cell(&self) -> Cow<'_, str>;

    /// Writes the cell into a CSV `line`, as [`Cell::cell`] gives it.
    fn write(&self, line: &mut Line) {
        line.cell(&self.cell());
    }
}

impl Cell for String {
    fn cell(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl Cell for NaiveDateTime {
    fn cell(&self) -> Cow<'_, str> {
        Cow::Owned(shown(self))
    }

    fn write(&self, line: &mut Line) {
        line.stamp(self);
    }
}

impl<T: Cell> Cell for Option<T> {
    fn cell(&self) -> Cow<'_, str> {
        self.as_ref().map_or(Cow::Borrowed(""), Cell::cell)
    }

    fn write(&self, line: &mut Line) {
        match self {
            Some(value) => value.write(line),
            None => line.cell(""),
        }
    }
}

macro_rules! cell_by_to_string {
    ($($t:ty => $write:ident),+) => {
        $(impl Cell for $t {
            fn cell(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }

            fn write(&self, line: &mut Line) {
                line.$write(self);
            }
        })+
    };
}

cell_by_to_string!(i32 => integer, i64 => integer, f64 => shown, NaiveDate => day);

/// `impl Tabular` for a record: its fields named in JSON order, each a
/// [`Cell`]. Also declares, for the spec, `$fields`, one field's name (the
/// items of `fields=`), and `$view`, the record as a read shows it. With
/// `located: (method, $features)`, the record has a place (its `method`
/// gives it) and `$features` is the spec's GeoJSON FeatureCollection of it.
#[macro_export]
macro_rules! tabular {
    ($record:ident, $fields:ident, $view:ident, located: ($point:ident, $features:ident): [$($field:ident),+ $(,)?]) => {
        $crate::tabular!(@impl $record, $fields, $view, {
            const LOCATED: bool = true;

            fn point(&self) -> Option<[f64; 2]> {
                $record::$point(self)
            }
        }, [$($field),+]);

        /// Spec-only: the records as a GeoJSON FeatureCollection.
        pub type $features = $crate::geojson::FeatureCollection<$record>;
    };
    ($record:ident, $fields:ident, $view:ident: [$($field:ident),+ $(,)?]) => {
        $crate::tabular!(@impl $record, $fields, $view, {}, [$($field),+]);
    };
    (@impl $record:ident, $fields:ident, $view:ident, {$($located:tt)*}, [$($field:ident),+]) => {
        impl $crate::tabular::Tabular for $record {
            const HEADER: &'static [&'static str] = &[$(stringify!($field)),+];

            fn record(&self) -> Vec<std::borrow::Cow<'_, str>> {
                use $crate::tabular::Cell;
                vec![$(self.$field.cell()),+]
            }

            fn write_row(&self, line: &mut $crate::tabular::Line) {
                use $crate::tabular::Cell;
                $(self.$field.write(line);)+
            }

            fn record_id(&self) -> i32 {
                self.id
            }

            $($located)*
        }

        /// Spec-only: the name of one field of the record.
        pub struct $fields;

        impl utoipa::PartialSchema for $fields {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                use utoipa::openapi::schema::{ObjectBuilder, Type};
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some([$(stringify!($field)),+]))
                    .into()
            }
        }

        impl utoipa::ToSchema for $fields {}

        /// Spec-only: the record whole, or only some of its fields.
        pub type $view = $crate::fields::View<$record>;
    };
}

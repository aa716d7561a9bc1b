//! What a list answers with: JSON, CSV, NDJSON or GeoJSON, by `Accept` or
//! by a download's suffix, and the spec's names for the suffixes.

use actix_web::HttpRequest;
use actix_web::http::header::{self, Header};

use crate::error::ApiError;

/// What a list answers with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Format {
    Json,
    Csv,
    Ndjson,
    /// A FeatureCollection (partners and events only).
    GeoJson,
}

impl Format {
    /// The format of a `.csv` or `.ndjson` suffix.
    pub fn from_suffix(suffix: &str) -> Option<Format> {
        match suffix {
            "csv" => Some(Format::Csv),
            "ndjson" => Some(Format::Ndjson),
            "geojson" => Some(Format::GeoJson),
            _ => None,
        }
    }

    /// The format the `Accept` header prefers among those served (GeoJSON
    /// only when `located`); JSON when it has no preference, 406 when it
    /// accepts none of them.
    pub fn negotiate(req: &HttpRequest, located: bool) -> Result<Format, ApiError> {
        let Ok(accept) = header::Accept::parse(req) else {
            return Ok(Format::Json);
        };
        if accept.is_empty() {
            return Ok(Format::Json);
        }
        for item in accept.ranked() {
            let found = match item.essence_str() {
                "application/json" | "application/*" | "*/*" => Some(Format::Json),
                "text/csv" | "text/*" => Some(Format::Csv),
                "application/x-ndjson" => Some(Format::Ndjson),
                "application/geo+json" if located => Some(Format::GeoJson),
                _ => None,
            };
            if let Some(format) = found {
                return Ok(format);
            }
        }
        Err(ApiError::NotAcceptable(
            "Lists are served as application/json, text/csv or application/x-ndjson (partners \
             and events also as application/geo+json)."
                .into(),
        ))
    }
}

/// The file formats of `/{collection}.{format}`.
#[derive(Debug, Clone, Copy, utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum FileFormat {
    Csv,
    Ndjson,
}

/// The file formats of `/{collection}.{format}` for records with a place.
#[derive(Debug, Clone, Copy, utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum PlacedFileFormat {
    Csv,
    Ndjson,
    Geojson,
}

impl FileFormat {
    /// The format named by a path suffix; any other suffix names no route.
    /// (`.geojson` is refused later for records without a place.)
    pub fn parse(suffix: &str) -> Result<Format, ApiError> {
        Format::from_suffix(suffix).ok_or_else(|| {
            ApiError::NotFound(format!(
                "No route matches this path: .{suffix} is not .csv, .ndjson or .geojson."
            ))
        })
    }
}

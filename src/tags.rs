//! Tag names of the spec, one per resource, used by every `#[utoipa::path]`.

pub const PARTNERS: &str = "Partners";
pub const THEMATIC_AREAS: &str = "Thematic areas";
pub const RECOMMENDATIONS: &str = "Recommendations";
pub const EVENTS: &str = "Events";
pub const EXPORT: &str = "Export";
pub const AUDIT: &str = "Audit";
pub const SERVICE: &str = "Service";

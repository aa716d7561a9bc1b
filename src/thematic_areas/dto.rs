//! What clients send to write a thematic area, and how it becomes a checked form.

use crate::db::Conn;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::model::{self, THEMATIC_AREA_SORT, ThematicArea, ThematicAreaForm, ThematicAreaSort};
use crate::collection::{Common, Fetch, ListParams};
use crate::error::ApiError;
use crate::input::{Field, Problems};
use crate::listing::SortField;
use crate::rules::{self, TEXT_MAX};
use crate::writes::RecordInput;

/// What a slug made from a name without letters starts with.
const KIND: &str = "thematic-area";

/// Largest display position.
pub const POSITION_MAX: i64 = 1_000_000;

/// A thematic area as written by POST and PUT (PATCH takes any subset of it).
/// Unknown fields are rejected; `null` and absent mean "no value".
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "slug": "mobility-management-and-transport", "name": "Mobility management and transport", "position": 2
}))]
pub struct ThematicAreaInput {
    /// Unique human key: lower-case letters, digits and single hyphens, with
    /// at least one letter. Made from `name` when a new thematic area has
    /// none; kept as it is when an update leaves it out.
    #[schema(value_type = Option<String>, pattern = r"^([0-9]+-)*[0-9]*[a-z][a-z0-9]*(-[a-z0-9]+)*$", max_length = 100, example = "mobility-management-and-transport")]
    #[serde(default)]
    pub slug: Field<String>,
    /// Name of the theme (trimmed, 1 to 200 characters).
    #[schema(value_type = String, required = true, min_length = 1, pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]*[^\s\x00-\x1f\x7f\x85\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\u2800\ufe20-\ufe2f\ufff9-\ufffb][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]*$", max_length = 200, example = "Mobility management and transport")]
    #[serde(default)]
    pub name: Field<String>,
    /// Free text, up to 20,000 characters.
    #[schema(value_type = Option<String>, min_length = 1, pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*[^\s\x00-\x1f\x7f\x85\ufeff][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$", max_length = 20000)]
    #[serde(default)]
    pub description: Field<String>,
    /// Display order, 0 to 1,000,000: lower first.
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 1000000, example = 2)]
    #[serde(default)]
    pub position: Field<i64>,
}

crate::merge_patch_schema!(ThematicAreaPatch, ThematicAreaInput);

/// Search and sort of the thematic area list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ThematicAreaQuery {
    /// Only the records with these slugs, comma-separated: any of them (a
    /// slug no record has matches nothing).
    #[param(value_type = Option<Vec<crate::http::Slug>>, style = Form, explode = false, min_items = 1, example = json!(["governance"]))]
    pub slug: Option<String>,
    /// Full-text search in name and description; accents and case do not
    /// matter, and every word must match (as a word or its start). Without
    /// `sort`, matches in the name come first.
    #[param(min_length = 1, example = "mobility")]
    pub q: Option<String>,
    /// Sort keys, comma-separated, `-` for descending; ties are broken by
    /// id. Default: id, or relevance with `q`.
    #[param(value_type = Option<Vec<ThematicAreaSort>>, style = Form, explode = false, min_items = 1, example = json!(["position"]))]
    pub sort: Option<String>,
}

impl ListParams for ThematicAreaQuery {
    type Row = ThematicArea;
    const PATH: &'static str = "thematic-areas";
    const FETCH: Fetch<Self::Row> = model::list;
    const SORT: &'static [SortField] = THEMATIC_AREA_SORT;
    const SEARCH: (&'static str, &'static str) = ("thematic_areas", "name");

    fn common(&self) -> Common<'_> {
        Common::new(&self.slug, &self.q, &self.sort, &None)
    }
}

impl RecordInput<ThematicArea> for ThematicAreaInput {
    type Form = ThematicAreaForm;

    fn form(
        self,
        _: &mut Conn,
        mut p: Problems,
        current: Option<&ThematicArea>,
    ) -> Result<ThematicAreaForm, ApiError> {
        let current_slug = current.map(|c| c.slug.as_str());
        let (name, slug) = rules::named(&mut p, ("name", self.name), self.slug, current_slug, KIND);
        let description = rules::optional_text(&mut p, "description", self.description, TEXT_MAX);
        let position = self.position.into_option();
        if position.is_some_and(|n| !(0..=POSITION_MAX).contains(&n)) {
            p.add("position", format!("must be between 0 and {POSITION_MAX}"));
        }
        p.finish(|| ThematicAreaForm {
            slug,
            name,
            description,
            // In range, so it fits: checked just above.
            position: position.and_then(|n| i32::try_from(n).ok()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::writes::form_of;
    use serde_json::{Value, json};

    /// No rule of this resource reads the database.
    fn input(value: Value) -> Result<ThematicAreaForm, ApiError> {
        form_of::<ThematicArea, ThematicAreaInput>(value)
    }

    #[test]
    fn a_name_is_enough() {
        let form = input(json!({"name": "Social inclusion, participation, empowerment"})).unwrap();
        assert_eq!(form.slug, "social-inclusion-participation-empowerment");
        assert_eq!(form.position, None);
    }

    #[test]
    fn position_is_bounded() {
        for (position, ok) in [
            (0, true),
            (1_000_000, true),
            (-1, false),
            (1_000_001, false),
            (i64::MAX, false),
        ] {
            assert_eq!(
                input(json!({"name": "Governance", "position": position})).is_ok(),
                ok,
                "{position}"
            );
        }
    }
}

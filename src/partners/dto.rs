//! What clients send to write a partner, and how it becomes a checked form.

use crate::db::Conn;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::model::{self, PARTNER_FACETS, PARTNER_SORT, Partner, PartnerForm, PartnerSort, Role};
use crate::collection::{Common, Fetch, ListParams};
use crate::error::ApiError;
use crate::input::{Field, Problems};
use crate::listing::{FacetField, Filters, ListScope, SortField};
use crate::params;
use crate::rules::{self, CountryCode, TEXT_MAX};
use crate::writes::RecordInput;

/// What a slug made from a name without letters starts with.
const KIND: &str = "partner";

/// A partner as written by POST and PUT (PATCH takes any subset of it).
/// Unknown fields are rejected; `null` and absent mean "no value".
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "slug": "lille-metropole", "name": "Lille Métropole", "city": "Lille",
    "country_code": "FR", "role": "lead_partner", "latitude": 50.6292, "longitude": 3.0573
}))]
pub struct PartnerInput {
    /// Unique human key: lower-case letters, digits and single hyphens, with
    /// at least one letter. Made from `name` when a new partner has none;
    /// kept as it is when an update leaves it out.
    #[schema(value_type = Option<String>, pattern = r"^([0-9]+-)*[0-9]*[a-z][a-z0-9]*(-[a-z0-9]+)*$", max_length = 100, example = "lille-metropole")]
    #[serde(default)]
    pub slug: Field<String>,
    /// Name of the city-region (trimmed, 1 to 200 characters).
    #[schema(value_type = String, required = true, min_length = 1, pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]*[^\s\x00-\x1f\x7f\x85\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\u2800\ufe20-\ufe2f\ufff9-\ufffb][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]*$", max_length = 200, example = "Lille Métropole")]
    #[serde(default)]
    pub name: Field<String>,
    /// Main city (trimmed, 1 to 200 characters).
    #[schema(value_type = String, required = true, min_length = 1, pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]*[^\s\x00-\x1f\x7f\x85\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\u2800\ufe20-\ufe2f\ufff9-\ufffb][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]*$", max_length = 200, example = "Lille")]
    #[serde(default)]
    pub city: Field<String>,
    /// ISO 3166-1 alpha-2 country code, upper case.
    #[schema(value_type = CountryCode, required = true, example = "FR")]
    #[serde(default)]
    pub country_code: Field<String>,
    /// `lead_partner` (one at most) or `partner`, the default.
    #[schema(value_type = Option<Role>, example = "lead_partner")]
    #[serde(default)]
    pub role: Field<String>,
    /// The city-region's own name, when it has one.
    #[schema(value_type = Option<String>, min_length = 1, pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]*[^\s\x00-\x1f\x7f\x85\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\u2800\ufe20-\ufe2f\ufff9-\ufffb][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]*$", max_length = 200)]
    #[serde(default)]
    pub region: Field<String>,
    /// Inhabitants, more than zero and at most 2^53 - 1 (the largest whole
    /// number every JSON reader keeps exactly).
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 9007199254740991_i64, example = 1200000)]
    #[serde(default)]
    pub population: Field<i64>,
    /// WGS 84 latitude, -90 to 90; give both coordinates or neither.
    #[schema(value_type = Option<f64>, minimum = -90, maximum = 90, example = 50.6292)]
    #[serde(default)]
    pub latitude: Field<f64>,
    /// WGS 84 longitude, -180 to 180; give both coordinates or neither.
    #[schema(value_type = Option<f64>, minimum = -180, maximum = 180, example = 3.0573)]
    #[serde(default)]
    pub longitude: Field<f64>,
    /// Web site: an absolute http or https URL.
    #[schema(value_type = Option<String>, max_length = 2000, pattern = r#"^https?://([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)*[A-Za-z]([A-Za-z0-9-]*[A-Za-z0-9])?(:(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4}))?([/?#][A-Za-z0-9._~!$&'()*+,;=:@/?#%-]*)?$"#)]
    #[serde(default)]
    pub website: Field<String>,
    /// Free text, up to 20,000 characters.
    #[schema(value_type = Option<String>, min_length = 1, pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*[^\s\x00-\x1f\x7f\x85\ufeff][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$", max_length = 20000)]
    #[serde(default)]
    pub description: Field<String>,
}

crate::merge_patch_schema!(PartnerPatch, PartnerInput);

/// Filters, search and sort of the partner list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PartnerQuery {
    /// Only partners in these countries (ISO 3166-1 alpha-2, upper case),
    /// comma-separated: any of them.
    #[param(value_type = Option<Vec<CountryCode>>, style = Form, explode = false, min_items = 1, example = json!(["FR", "BE"]))]
    pub country: Option<String>,
    /// Only partners with these roles, comma-separated: any of them.
    #[param(value_type = Option<Vec<Role>>, style = Form, explode = false, min_items = 1, example = json!(["lead_partner"]))]
    pub role: Option<String>,
    /// Only the records with these slugs, comma-separated: any of them (a
    /// slug no record has matches nothing).
    #[param(value_type = Option<Vec<crate::http::Slug>>, style = Form, explode = false, min_items = 1, example = json!(["lille-metropole"]))]
    pub slug: Option<String>,
    /// Full-text search in name, city, region and description; accents and
    /// case do not matter, and every word must match (as a word or its
    /// start). Without `sort`, matches in the name come first.
    #[param(min_length = 1, example = "krakow")]
    pub q: Option<String>,
    /// Sort keys, comma-separated, `-` for descending; ties are broken by
    /// id. Default: id, or relevance with `q`.
    #[param(value_type = Option<Vec<PartnerSort>>, style = Form, explode = false, min_items = 1, example = json!(["-population", "name"]))]
    pub sort: Option<String>,
    /// `facets=`: documented on the list routes (`crate::routes`), which
    /// alone take it.
    #[param(ignore)]
    pub facets: Option<String>,
}

impl ListParams for PartnerQuery {
    type Row = Partner;
    const PATH: &'static str = "partners";
    const FETCH: Fetch<Self::Row> = model::list;
    const SORT: &'static [SortField] = PARTNER_SORT;
    const SEARCH: (&'static str, &'static str) = ("partners", "name");
    const FACETS: &'static [FacetField] = PARTNER_FACETS;

    fn common(&self) -> Common<'_> {
        Common::new(&self.slug, &self.q, &self.sort, &self.facets)
    }

    fn filter(&self, _: &mut Conn, filters: &mut Filters, _: ListScope) -> Result<(), ApiError> {
        if let Some(country) = &self.country {
            filters.any_of("t.country_code", params::countries("country", country)?);
        }
        if let Some(role) = &self.role {
            filters.any_of("+t.role", params::enum_values::<Role>("role", role)?);
        }
        Ok(())
    }
}

impl RecordInput<Partner> for PartnerInput {
    type Form = PartnerForm;

    fn form(
        self,
        _: &mut Conn,
        mut p: Problems,
        current: Option<&Partner>,
    ) -> Result<PartnerForm, ApiError> {
        let current_slug = current.map(|c| c.slug.as_str());
        let (name, slug) = rules::named(&mut p, ("name", self.name), self.slug, current_slug, KIND);
        let city = rules::required_name(&mut p, "city", self.city);
        let country_code = rules::country_code(&mut p, "country_code", self.country_code);
        let role = rules::one_of(&mut p, "role", self.role, Some(Role::Partner));
        let region = rules::optional_name(&mut p, "region", self.region);
        let population = self.population.into_option();
        match population {
            Some(n) if n <= 0 => p.add("population", "must be greater than zero"),
            Some(n) if n > rules::MAX_SAFE_INTEGER => p.add(
                "population",
                format!("must be at most {}", rules::MAX_SAFE_INTEGER),
            ),
            _ => {}
        }
        let latitude = self.latitude.into_option();
        let longitude = self.longitude.into_option();
        if latitude.is_some_and(|l| !(-90.0..=90.0).contains(&l)) {
            p.add("latitude", "must be between -90 and 90");
        }
        if longitude.is_some_and(|l| !(-180.0..=180.0).contains(&l)) {
            p.add("longitude", "must be between -180 and 180");
        }
        match (latitude, longitude) {
            (Some(_), None) => p.add("longitude", "is required when latitude is given"),
            (None, Some(_)) => p.add("latitude", "is required when longitude is given"),
            _ => {}
        }
        let website = rules::optional_url(&mut p, "website", self.website);
        let description = rules::optional_text(&mut p, "description", self.description, TEXT_MAX);
        p.finish(|| PartnerForm {
            slug,
            name,
            city,
            country_code,
            role: role.unwrap_or(Role::Partner),
            region,
            population,
            latitude,
            longitude,
            website,
            description,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::writes::form_of;
    use serde_json::{Value, json};

    /// No rule of this resource reads the database.
    fn input(value: Value) -> Result<PartnerForm, ApiError> {
        form_of::<Partner, PartnerInput>(value)
    }

    fn fields_at_fault(result: Result<PartnerForm, ApiError>) -> Vec<String> {
        match result {
            Err(ApiError::Unprocessable(errors)) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("expected 422, got {other:?}"),
        }
    }

    #[test]
    fn a_minimal_partner_gets_defaults() {
        let form =
            input(json!({"name": " Kraków ", "city": "Kraków", "country_code": "PL"})).unwrap();
        assert_eq!(form.name, "Kraków");
        assert_eq!(form.slug, "krakow");
        assert_eq!(form.role, Role::Partner);
        assert_eq!(form.latitude, None);
    }

    #[test]
    fn every_broken_rule_is_reported_at_once() {
        let faults = fields_at_fault(input(json!({
            "slug": "Not A Slug", "name": "", "country_code": "fr", "role": "boss",
            "region": " ", "population": 0, "latitude": 91.0, "website": "ftp://x"
        })));
        assert_eq!(
            faults,
            [
                "name",
                "slug",
                "city",
                "country_code",
                "role",
                "region",
                "population",
                "latitude",
                "longitude",
                "website"
            ]
        );
    }

    #[test]
    fn coordinates_come_in_pairs() {
        assert_eq!(
            fields_at_fault(input(
                json!({"name": "Brno", "city": "Brno", "country_code": "CZ", "longitude": 16.6})
            )),
            ["latitude"]
        );
        assert!(input(json!({"name": "Brno", "city": "Brno", "country_code": "CZ", "latitude": 0, "longitude": 0})).is_ok());
    }
}

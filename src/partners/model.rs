//! Partner rows and their queries. Nothing here knows about HTTP.

use diesel::prelude::*;

use crate::db::Conn;
use crate::listing::{Listing, Read};
use crate::schema::partners;
use crate::text_enum;

text_enum! {
    /// A partner's part in the network: one `lead_partner` at most, the others `partner`.
    Role {
        LeadPartner = "lead_partner",
        Partner = "partner",
    }
}

crate::record! {
    /// A partner city-region, as stored and as shown.
    #[schema(example = json!({
        "id": 1, "slug": "lille-metropole", "name": "Lille Métropole", "city": "Lille",
        "country_code": "FR", "role": "lead_partner", "region": null, "population": null,
        "latitude": 50.6292, "longitude": 3.0573, "website": null, "description": null,
        "created_at": "2026-11-26T09:30:00Z", "updated_at": "2026-11-26T09:30:00Z"
    }))]
    pub struct Partner in partners, written by PartnerForm {
        /// Unique human key, usable in place of the id in paths.
        slug: String,
        /// Name of the city-region.
        name: String,
        /// Main city.
        city: String,
        /// ISO 3166-1 alpha-2 country code.
        country_code: String,
        role: Role,
        /// The city-region's own name, when it has one.
        region: Option<String>,
        /// Inhabitants.
        population: Option<i64>,
        /// WGS 84 latitude of the city centre.
        latitude: Option<f64>,
        /// WGS 84 longitude of the city centre.
        longitude: Option<f64>,
        /// Web site.
        website: Option<String>,
        /// Free text.
        description: Option<String>,
    }
}

crate::facet_fields!(PartnerFacet, PARTNER_FACETS: [
    ("country", Column("t.country_code")),
    ("role", Column("t.role")),
]);

crate::sort_fields!(record PartnerSort, PARTNER_SORT: [
    ("name", "t.name", NoCase, false),
    ("city", "t.city", NoCase, false),
    ("country_code", "t.country_code", Text, false),
    ("role", "t.role", Text, false),
    ("population", "t.population", Int, true),
]);

/// One page of partners (or batch of an export).
pub fn list(conn: &mut Conn, listing: &Listing) -> QueryResult<Read<Partner>> {
    crate::db::snapshot(conn, |conn| {
        let listing = &listing.in_snapshot(conn)?;
        let rows = listing.rows(conn, "partners")?;
        Ok(listing.finish(conn, "partners", rows)?.ready())
    })
}

impl Partner {
    /// Where the partner is, `[longitude, latitude]`, when both are known.
    fn point(&self) -> Option<[f64; 2]> {
        Some([self.longitude?, self.latitude?])
    }
}

crate::tabular!(Partner, PartnerField, PartnerView, located: (point, PartnerFeatures): [
    id, slug, name, city, country_code, role, region, population, latitude, longitude, website, description, created_at, updated_at,
]);

crate::table_queries!(partners, Partner, PartnerForm);

/// The current lead partner, if any: its id and slug.
pub fn lead(conn: &mut Conn) -> QueryResult<Option<(i32, String)>> {
    partners::table
        .select((partners::id, partners::slug))
        .filter(partners::role.eq(Role::LeadPartner))
        .first(conn)
        .optional()
}

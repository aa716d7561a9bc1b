//! An event as one CSV row: its columns, relations as `;`-joined slugs.

use std::borrow::Cow;

use super::model::Event;
use crate::bulk::{Tabular, cell, text};
use crate::relations::slugs;
use crate::time::shown;

impl Tabular for Event {
    const HEADER: &'static [&'static str] = &[
        "id",
        "slug",
        "title",
        "kind",
        "starts_on",
        "ends_on",
        "city",
        "country_code",
        "host_partner",
        "partners",
        "thematic_areas",
        "description",
        "url",
        "created_at",
        "updated_at",
    ];

    fn record(&self) -> Vec<Cow<'_, str>> {
        vec![
            self.id.to_string().into(),
            self.slug.as_str().into(),
            self.title.as_str().into(),
            self.kind.as_str().into(),
            self.starts_on.to_string().into(),
            cell(&self.ends_on),
            text(&self.city),
            text(&self.country_code),
            self.host_partner
                .as_ref()
                .map(|h| h.slug.clone())
                .unwrap_or_default()
                .into(),
            slugs(&self.partners).into(),
            slugs(&self.thematic_areas).into(),
            text(&self.description),
            text(&self.url),
            shown(&self.created_at).into(),
            shown(&self.updated_at).into(),
        ]
    }
}

//! The field rules shared by every resource: text, slugs, codes and URLs.
//! Each takes the raw field and the problem list, and returns the parsed
//! value when the field is valid.

use chrono::NaiveDate;

use crate::input::{Field, Problems};
use crate::text_enum::TextEnum;

mod text;

pub use text::{
    NAME_PATTERN, TEXT_PATTERN, is_bidi_control, is_blank, is_forbidden_control, is_invisible,
    optional_name, optional_text, required_name, required_text,
};

/// Longest name or title.
pub const NAME_MAX: usize = 200;
/// Longest free text (descriptions, bodies).
pub const TEXT_MAX: usize = 20_000;
/// Longest slug.
pub const SLUG_MAX: usize = 100;
/// The largest whole number every JSON reader keeps exactly: 2^53 - 1.
pub const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;
/// Longest URL.
pub const URL_MAX: usize = 2_000;

/// Whether `slug` has the contract's shape: lower-case words of letters and
/// digits joined by single hyphens, at least one letter, at most 100 chars.
pub fn is_slug(slug: &str) -> bool {
    slug.len() <= SLUG_MAX
        && slug.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        && slug.bytes().any(|b| b.is_ascii_lowercase())
}

/// Turns a name into a slug: "Lille Métropole" -> "lille-metropole".
pub fn slugify(name: &str) -> String {
    let ascii = deunicode::deunicode(name).to_ascii_lowercase();
    let words: Vec<&str> = ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut slug = words.join("-");
    if slug.len() > SLUG_MAX {
        slug.truncate(SLUG_MAX);
        slug = slug.trim_end_matches('-').to_string();
    }
    slug
}

/// A record's required name (or title) under `field`, and its slug: as
/// [`slug`] reads it, made from the name when left out.
pub fn named(
    p: &mut Problems,
    (field, name): (&str, Field<String>),
    slug_field: Field<String>,
    current_slug: Option<&str>,
    kind: &str,
) -> (String, String) {
    let name = required_name(p, field, name);
    let slug = slug(p, slug_field, current_slug, &name, kind);
    (name, slug)
}

/// The slug a write ends with: the one sent, else the current one (a slug is
/// an address; it changes only when asked to), else one made from the name,
/// led by `kind` ("partner", ...) when the name has no letter to give it:
/// "2020" makes `event-2020`, "***" makes `event`.
pub fn slug(
    p: &mut Problems,
    field: Field<String>,
    current: Option<&str>,
    name: &str,
    kind: &str,
) -> String {
    let slug = match (field.into_option(), current) {
        (Some(sent), _) => sent,
        (None, Some(current)) => return current.to_string(),
        (None, None) => return slug_from_name(name, kind),
    };
    if !is_slug(&slug) {
        p.add(
            "slug",
            "must be lower-case letters, digits and single hyphens, with at least one letter, at most 100 characters",
        );
    }
    slug
}

fn slug_from_name(name: &str, kind: &str) -> String {
    let made = slugify(name);
    if is_slug(&made) {
        return made;
    }
    let mut slug = if made.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}-{made}")
    };
    slug.truncate(SLUG_MAX);
    slug.trim_end_matches('-').to_string()
}

/// The spec's pattern for URLs, which is the whole rule: an absolute http or
/// https URL (RFC 3986) with a domain name host (its last label starts with
/// a letter), an optional port up to 65535, and a path, query or fragment of
/// URI characters (anything else percent-encoded).
pub const URL_PATTERN: &str = concat!(
    r"^https?://([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)*[A-Za-z]([A-Za-z0-9-]*[A-Za-z0-9])?",
    r"(:(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4}))?",
    r"([/?#][A-Za-z0-9._~!$&'()*+,;=:@/?#%-]*)?$"
);

/// Whether `text` is a URL [`optional_url`] takes. (The pattern is a
/// constant that a test compiles; were it ever broken, no URL would pass,
/// rather than a request panicking.)
pub fn is_url(text: &str) -> bool {
    static URL: std::sync::LazyLock<Option<regex::Regex>> =
        std::sync::LazyLock::new(|| regex::Regex::new(URL_PATTERN).ok());
    URL.as_ref().is_some_and(|url| url.is_match(text))
}

/// Spec-only: an ISO 3166-1 alpha-2 code, upper case, listed in full so the
/// spec says exactly which codes the server takes.
pub struct CountryCode;

impl utoipa::PartialSchema for CountryCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        let mut codes: Vec<&str> = isocountry::CountryCode::iter()
            .map(|c| c.alpha2())
            .collect();
        codes.sort_unstable();
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("An ISO 3166-1 alpha-2 country code, upper case."))
            .enum_values(Some(codes))
            .into()
    }
}

impl utoipa::ToSchema for CountryCode {}

/// A country: an ISO 3166-1 alpha-2 code, upper case.
pub fn country_code(p: &mut Problems, name: &str, field: Field<String>) -> String {
    let Field::Value(code) = field else {
        p.add(name, "is required");
        return String::new();
    };
    checked_country(p, name, code)
}

/// An optional country code: absent or `null` means unknown.
pub fn optional_country_code(p: &mut Problems, name: &str, field: Field<String>) -> Option<String> {
    field
        .into_option()
        .map(|code| checked_country(p, name, code))
}

/// Whether `code` is an ISO 3166-1 alpha-2 code written in upper case.
pub fn is_country_code(code: &str) -> bool {
    code.len() == 2
        && code.bytes().all(|b| b.is_ascii_uppercase())
        && isocountry::CountryCode::for_alpha2(code).is_ok()
}

fn checked_country(p: &mut Problems, name: &str, code: String) -> String {
    if !is_country_code(&code) {
        p.add(
            name,
            "must be an ISO 3166-1 alpha-2 code in upper case, such as FR",
        );
    }
    code
}

/// A calendar date written `YYYY-MM-DD` that exists (no 30 February).
/// `None` when absent, `null` or at fault; `required` reports the first two.
pub fn date(
    p: &mut Problems,
    name: &str,
    field: Field<String>,
    required: bool,
) -> Option<NaiveDate> {
    let Field::Value(text) = field else {
        if required {
            p.add(name, "is required");
        }
        return None;
    };
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    let parsed = NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .ok()
        .filter(|_| shaped);
    if parsed.is_none() {
        p.add(name, "must be a real calendar date written YYYY-MM-DD");
    }
    parsed
}

/// An enum field: one of the spellings of `T`; `default` when absent or null
/// (`None` makes the field required).
pub fn one_of<T: TextEnum>(
    p: &mut Problems,
    name: &str,
    field: Field<String>,
    default: Option<T>,
) -> Option<T> {
    match (field, default) {
        (Field::Value(text), _) => {
            let parsed = T::parse(&text);
            if parsed.is_none() {
                p.add(name, format!("must be one of {}", T::choices()));
            }
            parsed
        }
        (_, Some(default)) => Some(default),
        (_, None) => {
            p.add(name, "is required");
            None
        }
    }
}

/// An optional absolute http(s) URL, as [`URL_PATTERN`] says: taken as
/// sent (not trimmed), at most 2,000 characters.
pub fn optional_url(p: &mut Problems, name: &str, field: Field<String>) -> Option<String> {
    let text = field.into_option()?;
    if text.chars().count() > URL_MAX {
        p.add(name, format!("must be at most {URL_MAX} characters"));
    } else if !is_url(&text) {
        p.add(
            name,
            "must be an absolute http or https URL with a domain name, such as https://example.org/page",
        );
    }
    Some(text)
}

#[cfg(test)]
mod tests;

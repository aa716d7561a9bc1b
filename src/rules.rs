//! The field rules shared by every resource: text, slugs, codes and URLs.
//! Each takes the raw field and the problem list, and returns the parsed
//! value when the field is valid.

use chrono::NaiveDate;

use crate::input::{Field, Problems};
use crate::text_enum::TextEnum;

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

/// A required text field: at most `max` characters as sent, not blank,
/// stored trimmed.
pub fn required_text(p: &mut Problems, name: &str, field: Field<String>, max: usize) -> String {
    match field {
        Field::Value(text) => checked_text(p, name, text, max),
        Field::Absent | Field::Null => {
            p.add(name, "is required");
            String::new()
        }
    }
}

/// An optional text field: `null` or absent clears it; a blank string is an
/// error rather than a silent clear.
pub fn optional_text(
    p: &mut Problems,
    name: &str,
    field: Field<String>,
    max: usize,
) -> Option<String> {
    field
        .into_option()
        .map(|text| checked_text(p, name, text, max))
}

/// A required name or title: a text (see [`required_text`]) that holds at
/// least one visible character and no bidirectional control, which could
/// make one record pass for another.
pub fn required_name(p: &mut Problems, name: &str, field: Field<String>) -> String {
    match field {
        Field::Value(text) => checked_name(p, name, text),
        Field::Absent | Field::Null => {
            p.add(name, "is required");
            String::new()
        }
    }
}

/// An optional name (a region, an event's city): as [`required_name`],
/// `null` or absent clears it.
pub fn optional_name(p: &mut Problems, name: &str, field: Field<String>) -> Option<String> {
    field.into_option().map(|text| checked_name(p, name, text))
}

fn checked_name(p: &mut Problems, name: &str, text: String) -> String {
    let trimmed = checked_text(p, name, text, NAME_MAX);
    if p.names(name) {
        return trimmed;
    }
    if trimmed.chars().any(is_bidi_control) {
        p.add(
            name,
            "must not hold bidirectional control characters (U+202A to U+202E, U+2066 to U+2069)",
        );
    } else if trimmed.chars().all(is_invisible) {
        p.add(name, "must hold at least one visible character");
    }
    trimmed
}

/// The spec's pattern for names and titles: [`TEXT_PATTERN`], with no
/// bidirectional control anywhere and at least one character that is
/// neither blank nor [`is_invisible`]. Written out for the same three
/// regex engines, which is why it names only characters up to U+FFFF (an
/// ECMAScript pattern without the `u` flag cannot name the others): the
/// server also counts the invisible characters past U+FFFF that
/// [`is_invisible`] lists, as the spec's description says.
pub const NAME_PATTERN: &str = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]*[^\s\x00-\x1f\x7f\x85\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\u2800\ufe20-\ufe2f\ufff9-\ufffb][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]*$";

/// A bidirectional embedding, override or isolate control (U+202A-U+202E,
/// U+2066-U+2069): it reorders what follows it on screen.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A character that shows nothing on its own: blank, a format, joiner,
/// filler or selector character (soft hyphen, zero-width space and
/// joiners, word joiner, bidirectional marks and controls, Hangul fillers,
/// variation selectors, byte order mark, interlinear annotation, tags), a
/// combining mark of the general combining blocks (it only marks the
/// character before it), or the blank braille pattern.
pub fn is_invisible(c: char) -> bool {
    is_blank(c)
        || matches!(
            c,
            '\u{ad}'
                | '\u{34f}'
                | '\u{61c}'
                | '\u{115f}'
                | '\u{1160}'
                | '\u{17b4}'
                | '\u{17b5}'
                | '\u{180b}'..='\u{180f}'
                | '\u{200b}'..='\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2060}'..='\u{206f}'
                | '\u{3164}'
                | '\u{fe00}'..='\u{fe0f}'
                | '\u{ffa0}'
                | '\u{300}'..='\u{36f}'
                | '\u{483}'..='\u{489}'
                | '\u{1ab0}'..='\u{1aff}'
                | '\u{1dc0}'..='\u{1dff}'
                | '\u{20d0}'..='\u{20ff}'
                | '\u{2800}'
                | '\u{fe20}'..='\u{fe2f}'
                | '\u{fff9}'..='\u{fffb}'
                // Past U+FFFF: shorthand format controls, musical
                // formatting, tags, the variation selectors supplement.
                | '\u{1bca0}'..='\u{1bca3}'
                | '\u{1d173}'..='\u{1d17a}'
                | '\u{e0000}'..='\u{e007f}'
                | '\u{e0100}'..='\u{e01ef}'
        )
}

fn checked_text(p: &mut Problems, name: &str, text: String, max: usize) -> String {
    let trimmed = text.trim_matches(is_blank);
    if text.chars().any(is_forbidden_control) {
        p.add(
            name,
            "must not hold control characters other than tab, line feed and carriage return",
        );
    } else if trimmed.is_empty() {
        p.add(name, "must not be empty");
    } else if text.chars().count() > max {
        p.add(name, format!("must be at most {max} characters"));
    }
    trimmed.to_string()
}

/// The spec's pattern for texts, which is the whole rule but the length: no
/// control character but tab, line feed and carriage return, and at least
/// one character that is not blank. Written out so that ECMAScript's,
/// Python's and Rust's `\s`, which differ at the edges, all read it as
/// [`is_blank`] and [`is_forbidden_control`] do.
pub const TEXT_PATTERN: &str = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*[^\s\x00-\x1f\x7f\x85\ufeff][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$";

/// A control character no text may hold: C0 controls but tab, line feed and
/// carriage return, and DEL. (SQLite, among others, ends a text at NUL.)
pub fn is_forbidden_control(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}')
}

/// A character texts are trimmed of: Unicode white space, plus the
/// characters some regex engines count as space (U+001C to U+001F, U+FEFF).
pub fn is_blank(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{1c}'..='\u{1f}' | '\u{feff}')
}

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
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_the_contract_pattern() {
        for good in ["lille-metropole", "a", "brno2", "2-a", "x-1-y"] {
            assert!(is_slug(good), "{good}");
        }
        for bad in [
            "",
            "-a",
            "a-",
            "a--b",
            "Lille",
            "lille_metropole",
            "123",
            "1-2",
            "é",
            "a b",
        ] {
            assert!(!is_slug(bad), "{bad}");
        }
        assert!(is_slug(&"a".repeat(100)));
        assert!(!is_slug(&"a".repeat(101)));
    }

    #[test]
    fn slugify_transliterates_and_joins_words() {
        assert_eq!(slugify("Lille Métropole"), "lille-metropole");
        assert_eq!(slugify("Kraków"), "krakow");
        assert_eq!(
            slugify("  Brussels-Capital   Region "),
            "brussels-capital-region"
        );
        assert_eq!(
            slugify("Governance (public / public & public / private arrangements)"),
            "governance-public-public-public-private-arrangements"
        );
        assert_eq!(slugify("***"), "");
        assert!(slugify(&"word ".repeat(50)).len() <= SLUG_MAX);
        assert!(is_slug(&slugify(&"word ".repeat(50))));
    }

    #[test]
    fn text_rules_trim_and_bound() {
        let mut p = Problems::default();
        assert_eq!(
            required_text(&mut p, "name", Field::Value("  Brno ".into()), 10),
            "Brno"
        );
        assert!(p.finish(|| ()).is_ok());
        for (field, max) in [
            (Field::Absent, 10),
            (Field::Null, 10),
            (Field::Value("   ".into()), 10),
            (Field::Value("ééééé".into()), 4),
        ] {
            let mut p = Problems::default();
            required_text(&mut p, "name", field.clone(), max);
            assert!(p.finish(|| ()).is_err(), "{field:?}");
        }
        let mut p = Problems::default();
        assert_eq!(optional_text(&mut p, "region", Field::Null, 10), None);
        assert_eq!(optional_text(&mut p, "region", Field::Absent, 10), None);
        assert!(p.finish(|| ()).is_ok());
    }

    #[test]
    fn country_codes_must_be_real_and_upper_case() {
        for good in ["FR", "BE", "CZ", "PL"] {
            let mut p = Problems::default();
            country_code(&mut p, "country_code", Field::Value(good.into()));
            assert!(p.finish(|| ()).is_ok(), "{good}");
        }
        for bad in ["fr", "FRA", "ZZ", "", "F", "É1"] {
            let mut p = Problems::default();
            country_code(&mut p, "country_code", Field::Value(bad.into()));
            assert!(p.finish(|| ()).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates_must_be_real_and_iso_shaped() {
        for (text, ok) in [
            ("2008-04-21", true),
            ("2024-02-29", true),
            ("2023-02-29", false),
            ("2010-13-01", false),
            ("2010-5-26", false),
            ("26/05/2010", false),
            ("2010-05-26T00:00:00Z", false),
            ("+201-05-26", false),
            ("", false),
        ] {
            let mut p = Problems::default();
            let parsed = date(&mut p, "starts_on", Field::Value(text.into()), true);
            assert_eq!(parsed.is_some(), ok, "{text}");
            assert_eq!(p.finish(|| ()).is_ok(), ok, "{text}");
        }
        let mut p = Problems::default();
        assert_eq!(date(&mut p, "ends_on", Field::Null, false), None);
        assert!(p.finish(|| ()).is_ok());
        let mut p = Problems::default();
        date(&mut p, "starts_on", Field::Absent, true);
        assert!(p.finish(|| ()).is_err());
    }

    #[test]
    fn urls_must_be_absolute_http() {
        for (text, ok) in [
            ("https://www.lillemetropole.fr/", true),
            ("http://example.org/a?b=c", true),
            ("ftp://example.org", false),
            ("example.org", false),
            ("/relative", false),
            ("https://", false),
            ("javascript:alert(1)", false),
        ] {
            let mut p = Problems::default();
            optional_url(&mut p, "website", Field::Value(text.into()));
            assert_eq!(p.finish(|| ()).is_ok(), ok, "{text}");
        }
    }
}

//! Unit tests of the field rules.

use super::*;
use crate::input::{Field, Problems};

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

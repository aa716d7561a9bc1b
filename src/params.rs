//! The query parameters lists share: "any of" value lists, enum and
//! country values, dates, and full-text search terms, each checked into
//! bound SQL values with a 400 naming the parameter when it does not parse.

use crate::db::Dialect;
use crate::error::ApiError;
use crate::listing::{Bind, Clause, Filters, Search, SortKey};

/// A client's search words: every word must appear, as a word or the start
/// of one. Operators are not passed through: each word is a run of letters
/// and digits. `None` when `q` holds no word at all (only punctuation, say).
pub fn search_words(q: &str) -> Option<Vec<String>> {
    let words: Vec<String> = q
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(16)
        .map(String::from)
        .collect();
    (!words.is_empty()).then_some(words)
}

/// Search: rows whose indexed text matches `search`, most relevant first
/// when no `sort` is given. Relevance is a fixed property of each row (a
/// match in the title ranks before a match elsewhere; then id order), so a
/// cursor stays exact while rows are added, which corpus-wide scores such
/// as bm25 would not allow.
pub fn search(filters: &mut Filters, search: Search) -> SortKey {
    // Lists read each tier straight from the index; this condition only
    // tells which tier one row is in (for its cursor).
    let key = SortKey::tiers("relevance", search.in_title());
    filters.search(search);
    key
}

/// `sql` with its `{}` replaced by one `?` per id: a subquery filter.
pub fn in_ids(sql: &str, ids: Vec<Bind>) -> Clause {
    let marks = vec!["?"; ids.len()].join(", ");
    Clause::new(sql.replace("{}", &marks), ids)
}

/// Splits a comma-separated filter value ("any of"), refusing empty items.
/// Items are taken as sent: `FR, BE` names " BE", which is no country.
pub fn list_values<'a>(parameter: &str, value: &'a str) -> Result<Vec<&'a str>, ApiError> {
    let items: Vec<&str> = value.split(',').collect();
    if items.iter().any(|i| i.is_empty()) {
        return Err(ApiError::query(
            parameter,
            "must be one or more values separated by commas",
        ));
    }
    Ok(items)
}

/// The values of an enum filter such as `role=lead_partner,partner`.
pub fn enum_values<T: crate::text_enum::TextEnum>(
    parameter: &str,
    value: &str,
) -> Result<Vec<Bind>, ApiError> {
    list_values(parameter, value)?
        .into_iter()
        .map(|item| match T::parse(item) {
            Some(_) => Ok(Bind::Text(item.to_string())),
            None => Err(ApiError::query(
                parameter,
                format!("'{item}' is not one of {}", T::choices()),
            )),
        })
        .collect()
}

/// The values of a country filter: ISO 3166-1 alpha-2 codes, upper case.
pub fn countries(parameter: &str, value: &str) -> Result<Vec<Bind>, ApiError> {
    checked(
        parameter,
        value,
        crate::rules::is_country_code,
        "an ISO 3166-1 alpha-2 code in upper case, such as FR",
    )
}

/// The filters every collection's list starts from: its `slug` filter,
/// when given.
pub fn by_slug(slug: Option<&str>, dialect: Dialect) -> Result<Filters, ApiError> {
    let mut filters = Filters::new(dialect);
    if let Some(value) = slug {
        filters.any_of("t.slug", slugs("slug", value)?);
    }
    Ok(filters)
}

/// The values of a `slug` filter. A slug no record has matches nothing; one
/// that cannot be a slug is a 400.
pub fn slugs(parameter: &str, value: &str) -> Result<Vec<Bind>, ApiError> {
    checked(
        parameter,
        value,
        crate::rules::is_slug,
        "a slug: lower-case words of letters and digits joined by hyphens",
    )
}

/// The items of a list filter that each pass `valid`; a 400 saying the
/// first that does not is not `what`.
fn checked(
    parameter: &str,
    value: &str,
    valid: fn(&str) -> bool,
    what: &str,
) -> Result<Vec<Bind>, ApiError> {
    list_values(parameter, value)?
        .into_iter()
        .map(|item| match valid(item) {
            true => Ok(Bind::Text(item.to_string())),
            false => Err(ApiError::query(
                parameter,
                format!("'{item}' is not {what}"),
            )),
        })
        .collect()
}

/// A date filter, `YYYY-MM-DD`.
pub fn date(parameter: &str, value: &str) -> Result<chrono::NaiveDate, ApiError> {
    let mut p = crate::input::Problems::default();
    crate::rules::date(
        &mut p,
        parameter,
        crate::input::Field::Value(value.to_string()),
        true,
    )
    .ok_or_else(|| ApiError::query(parameter, "must be a real calendar date written YYYY-MM-DD"))
}

/// Adds full-text search on `q`, if given, and returns the relevance key
/// to sort by when no `sort` is given. An empty `q` is a 400 (the spec's
/// `minLength`); one with no word in it matches nothing, as no row holds
/// the word it does not have.
pub fn with_search(
    filters: &mut Filters,
    q: Option<&str>,
    (table, title_column): (&'static str, &'static str),
) -> Result<Option<SortKey>, ApiError> {
    let Some(q) = q else {
        return Ok(None);
    };
    if q.is_empty() {
        return Err(ApiError::query("q", "must not be empty"));
    }
    match search_words(q) {
        Some(words) => Ok(Some(search(
            filters,
            Search {
                dialect: filters.dialect(),
                table,
                title_column,
                words,
            },
        ))),
        None => {
            filters.add(Clause::new("1 = 0", Vec::new()));
            Ok(None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_words_are_runs_of_letters_and_digits() {
        assert_eq!(search_words("Kraków metro").unwrap(), ["Kraków", "metro"]);
        assert_eq!(
            search_words("a\" OR NEAR(b) *").unwrap(),
            ["a", "OR", "NEAR", "b"]
        );
        for empty in ["", "  ", "*-\"", "()"] {
            assert!(search_words(empty).is_none(), "{empty:?}");
        }
    }
}

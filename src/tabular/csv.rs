//! One CSV line as researchers open it: RFC 4180 quoting, CRLF, and cells
//! a spreadsheet would run as a formula defused. Written straight into the
//! response's buffer, a cell at a time: the `csv` crate's writer (kept in
//! the tests as the yardstick this one is held to) scanned and copied each
//! cell byte by byte, a fifth of the response thread's time in an export
//! (docs/benchmarks.md).
//!
//! Records' lines are stored as this writes them (`crate::lines`): a
//! change to how a cell is written must raise `lines::REVISION`, or the
//! lines stored before it would still be sent.

use std::fmt::{Display, Write as _};

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

/// CSV lines being written: cells one after another, each line closed by
/// [`Line::end`].
#[derive(Debug, Default)]
pub struct Line {
    out: Vec<u8>,
    /// Cells written on the current line.
    cells: usize,
    /// Whether the current line's last cell was empty.
    last_empty: bool,
    /// Room to format a value before it is written as a cell.
    scratch: String,
}

impl Line {
    pub fn with_capacity(bytes: usize) -> Line {
        Line {
            out: Vec::with_capacity(bytes),
            ..Line::default()
        }
    }

    /// Writes `text` as the line's next cell: defused (led by `'` if a
    /// spreadsheet would run it as a formula), then quoted if it holds a
    /// comma, a quote or a line break.
    pub fn cell(&mut self, text: &str) {
        if self.cells > 0 {
            self.out.push(b',');
        }
        self.cells += 1;
        self.last_empty = text.is_empty();
        let bytes = text.as_bytes();
        let lead: &[u8] = if needs_defusing(text) { b"'" } else { b"" };
        if !needs_quotes(bytes) {
            self.out.extend_from_slice(lead);
            self.out.extend_from_slice(bytes);
            return;
        }
        self.out.push(b'"');
        self.out.extend_from_slice(lead);
        let mut rest = bytes;
        while let Some(at) = memchr::memchr(b'"', rest) {
            self.out.extend_from_slice(&rest[..=at]);
            self.out.push(b'"');
            rest = &rest[at + 1..];
        }
        self.out.extend_from_slice(rest);
        self.out.push(b'"');
    }

    /// Writes a cell that needs neither quotes nor defusing (digits,
    /// dashes, colons: a number or a date this writer formats itself).
    fn plain(&mut self, write: impl FnOnce(&mut Vec<u8>)) {
        if self.cells > 0 {
            self.out.push(b',');
        }
        self.cells += 1;
        self.last_empty = false;
        let start = self.out.len();
        write(&mut self.out);
        debug_assert!(
            std::str::from_utf8(&self.out[start..])
                .is_ok_and(|cell| !needs_defusing(cell) && !needs_quotes(cell.as_bytes())),
            "a plain cell"
        );
    }

    /// Writes an integer as the next cell.
    pub fn integer<T: itoa::Integer + Copy>(&mut self, value: &T) {
        self.plain(|out| out.extend_from_slice(itoa::Buffer::new().format(*value).as_bytes()));
    }

    /// Writes a day as the next cell, as JSON shows it (`2010-02-12`).
    pub fn day(&mut self, day: &NaiveDate) {
        let year = day.year();
        if !(0..=9999).contains(&year) {
            return self.shown(day);
        }
        self.plain(|out| ymd(out, year as u32, day.month(), day.day()));
    }

    /// Writes `value` as it displays, as the next cell.
    pub fn shown(&mut self, value: impl Display) {
        self.formatted(|text| {
            // Writing to a String cannot fail.
            let _ = write!(text, "{value}");
        });
    }

    /// Writes `parts` joined by `;` as the next cell.
    pub fn joined<'a>(&mut self, parts: impl IntoIterator<Item = &'a str>) {
        self.formatted(|text| {
            for (i, part) in parts.into_iter().enumerate() {
                if i > 0 {
                    text.push(';');
                }
                text.push_str(part);
            }
        });
    }

    /// Writes the text `write` makes as the next cell, made in a buffer
    /// kept from one cell to the next.
    fn formatted(&mut self, write: impl FnOnce(&mut String)) {
        let mut text = std::mem::take(&mut self.scratch);
        text.clear();
        write(&mut text);
        self.cell(&text);
        self.scratch = text;
    }

    /// Writes a timestamp as the next cell, as JSON shows it
    /// ([`crate::time::shown`]: RFC 3339, seconds, `Z`).
    pub fn stamp(&mut self, at: &NaiveDateTime) {
        let year = at.year();
        // A leap second (chrono shows it as second 60) and years of other
        // than four digits are written as `shown` writes them.
        if !(0..=9999).contains(&year) || at.nanosecond() >= 1_000_000_000 {
            return self.cell(&crate::time::shown(at));
        }
        self.plain(|out| {
            ymd(out, year as u32, at.month(), at.day());
            out.push(b'T');
            two(out, at.hour());
            out.push(b':');
            two(out, at.minute());
            out.push(b':');
            two(out, at.second());
            out.push(b'Z');
        });
    }

    /// Closes the line (CRLF). A line of no cell or of one empty cell is
    /// written `""`, so that it is not read as no line at all.
    pub fn end(&mut self) {
        if self.cells == 0 || (self.cells == 1 && self.last_empty) {
            self.out.extend_from_slice(b"\"\"");
        }
        self.out.extend_from_slice(b"\r\n");
        self.cells = 0;
    }

    /// The lines written.
    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }
}

/// `year-month-day`, the year of four digits (0 to 9999).
fn ymd(out: &mut Vec<u8>, year: u32, month: u32, day: u32) {
    two(out, year / 100);
    two(out, year % 100);
    out.push(b'-');
    two(out, month);
    out.push(b'-');
    two(out, day);
}

/// `n` (below 100) as two digits.
fn two(out: &mut Vec<u8>, n: u32) {
    out.extend_from_slice(&[b'0' + (n / 10) as u8, b'0' + (n % 10) as u8]);
}

/// Whether a cell must be quoted: it holds a comma, a quote, a carriage
/// return or a line feed. Short cells (most) are scanned a byte at a
/// time, long ones a machine word at a time.
fn needs_quotes(bytes: &[u8]) -> bool {
    if bytes.len() < 32 {
        return bytes
            .iter()
            .any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'));
    }
    memchr::memchr3(b',', b'"', b'\n', bytes).is_some() || memchr::memchr(b'\r', bytes).is_some()
}

/// Whether a spreadsheet would run the cell as a formula: it starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return and is not a number
/// (`-3.5`, a longitude, stays a number). Such a cell is led by `'`, which
/// spreadsheets read as "this is text". JSON and NDJSON are never changed.
fn needs_defusing(cell: &str) -> bool {
    matches!(
        cell.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    ) && !is_number(cell)
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
mod tests;

//! Custom timestamp formats: a `time` crate format description
//! (`[year]-[month]-[day] [hour]:[minute]:[second]`) must parse, and must
//! read back a date and time it writes, so that no description that fails
//! on every answer reaches generated code.

use super::At;
use crate::diag::Ctxt;
use time::format_description::{self, BorrowedFormatItem};
use time::{Date, OffsetDateTime, PrimitiveDateTime};

/// The longest description accepted; real ones are a few dozen characters.
const MAX_PATTERN: usize = 256;

pub(super) fn check_pattern(at: &At, pattern: &str, cx: &mut Ctxt) -> Option<()> {
    if pattern.len() > MAX_PATTERN {
        at.error_hint(
            cx,
            format!("the timestamp format is longer than {MAX_PATTERN} bytes"),
            "describe the date and time the server writes, e.g. `[year]-[month]-[day] [hour]:[minute]:[second]`",
        );
        return None;
    }
    let items = match format_description::parse_borrowed::<1>(pattern) {
        Ok(items) => items,
        Err(e) => {
            at.error_hint(
                cx,
                format!("the timestamp format does not parse: {e}"),
                "write a format description of the `time` crate, e.g. `[year]-[month]-[day]T[hour]:[minute]:[second][offset_hour sign:mandatory]:[offset_minute]`",
            );
            return None;
        }
    };
    if !reads_back(&items) {
        at.error_hint(
            cx,
            "the timestamp format cannot be read back into a date and time",
            "it needs at least a whole date (`[year]-[month]-[day]`, or `[year]-[ordinal]`); parts such as `[weekday]` alone or a two-digit year do not name a day",
        );
        return None;
    }
    Some(())
}

/// Whether a sample instant written with `items` parses again as the
/// runtime reads it (`rt::adapt::Custom`): with an offset, else as UTC
/// date and time, else as a UTC date.
fn reads_back(items: &[BorrowedFormatItem<'_>]) -> bool {
    // 2016-03-16T04:22:35.386Z, the sample.
    let Ok(sample) = OffsetDateTime::from_unix_timestamp_nanos(1_458_102_155_386_000_000) else {
        return false;
    };
    let Ok(text) = sample.format(items) else {
        return false;
    };
    OffsetDateTime::parse(&text, items).is_ok()
        || PrimitiveDateTime::parse(&text, items).is_ok()
        || Date::parse(&text, items).is_ok()
}

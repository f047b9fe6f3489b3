//! Timestamp adapters (the `timestamps` feature): the vendor forms of a
//! date and time, read into `time::OffsetDateTime`.

use serde::de::{self, Deserializer, Unexpected, Visitor};
use serde_with::DeserializeAs;
use std::fmt;
use time::OffsetDateTime;

/// An integer that may arrive as a number or as a string of digits.
fn integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i128, D::Error> {
    struct V;
    impl Visitor<'_> for V {
        type Value = i128;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an integer")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<i128, E> {
            Ok(v.into())
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<i128, E> {
            Ok(v.into())
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<i128, E> {
            v.trim()
                .parse()
                .map_err(|_| E::invalid_value(Unexpected::Other("text"), &self))
        }
    }
    deserializer.deserialize_any(V)
}

fn from_nanos<E: de::Error>(nanos: i128) -> Result<OffsetDateTime, E> {
    OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .map_err(|_| E::custom("timestamp out of range"))
}

/// Seconds since the Unix epoch.
pub struct UnixSeconds;

impl<'de> DeserializeAs<'de, OffsetDateTime> for UnixSeconds {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<OffsetDateTime, D::Error> {
        let seconds = integer(deserializer)?;
        from_nanos(seconds.saturating_mul(1_000_000_000))
    }
}

/// Milliseconds since the Unix epoch.
pub struct UnixMillis;

impl<'de> DeserializeAs<'de, OffsetDateTime> for UnixMillis {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<OffsetDateTime, D::Error> {
        let millis = integer(deserializer)?;
        from_nanos(millis.saturating_mul(1_000_000))
    }
}

/// The old ASP.NET JSON form `/Date(1770202477469)/` (milliseconds, UTC,
/// optionally followed by an offset such as `+0100` that does not change
/// the instant), or RFC 3339 text as ASP.NET writes dates in XML.
pub struct DotNetDate;

impl<'de> DeserializeAs<'de, OffsetDateTime> for DotNetDate {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<OffsetDateTime, D::Error> {
        let text: String = serde::Deserialize::deserialize(deserializer)?;
        parse_dotnet_date(&text)
            .ok_or_else(|| de::Error::custom("expected a date as /Date(milliseconds)/ or RFC 3339"))
    }
}

fn parse_dotnet_date(text: &str) -> Option<OffsetDateTime> {
    if let Some(inner) = text
        .trim()
        .strip_prefix("/Date(")
        .and_then(|t| t.strip_suffix(")/"))
    {
        // The sign of an offset suffix is the first '+' or '-' after the first digit.
        let end = inner
            .char_indices()
            .skip(1)
            .find(|(_, c)| *c == '+' || *c == '-')
            .map_or(inner.len(), |(i, _)| i);
        let millis: i128 = inner[..end].parse().ok()?;
        return OffsetDateTime::from_unix_timestamp_nanos(millis.checked_mul(1_000_000)?).ok();
    }
    OffsetDateTime::parse(text.trim(), &time::format_description::well_known::Rfc3339).ok()
}

/// RFC 3339 text (`2026-02-04T10:54:37Z`, `2026-02-04T10:54:37.386+01:00`).
pub struct Rfc3339;

impl<'de> DeserializeAs<'de, OffsetDateTime> for Rfc3339 {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<OffsetDateTime, D::Error> {
        let text: String = serde::Deserialize::deserialize(deserializer)?;
        OffsetDateTime::parse(text.trim(), &time::format_description::well_known::Rfc3339)
            .map_err(|_| de::Error::custom("expected an RFC 3339 date and time"))
    }
}

/// ISO 8601 date and time with an offset, in the extended or basic form,
/// including the mixed form many Java servers write (`2016-03-16T04:22:35.386+0000`).
pub struct Iso8601;

impl<'de> DeserializeAs<'de, OffsetDateTime> for Iso8601 {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<OffsetDateTime, D::Error> {
        let text: String = serde::Deserialize::deserialize(deserializer)?;
        parse_iso8601(&text)
            .ok_or_else(|| de::Error::custom("expected an ISO 8601 date and time with an offset"))
    }
}

fn parse_iso8601(text: &str) -> Option<OffsetDateTime> {
    use time::format_description::well_known::Iso8601 as Format;
    let text = text.trim();
    if let Ok(t) = OffsetDateTime::parse(text, &Format::DEFAULT) {
        return Some(t);
    }
    // An extended date and time with a basic offset (`+0000`): give the
    // offset its colon and parse again.
    let split = text.len().checked_sub(5)?;
    let (head, tail) = (text.get(..split)?, text.get(split..)?);
    let sign = tail.as_bytes()[0];
    if (sign == b'+' || sign == b'-') && tail[1..].bytes().all(|b| b.is_ascii_digit()) {
        let fixed = format!("{head}{}:{}", &tail[..3], &tail[3..]);
        return OffsetDateTime::parse(&fixed, &Format::DEFAULT).ok();
    }
    None
}

/// The format description of a custom timestamp format, carried by a type
/// that generated code declares for each one (`mod time_formats`).
pub trait TimeDescription {
    /// A `time` crate format description (version 1 syntax), such as
    /// `[year]-[month]-[day] [hour]:[minute]:[second]`.
    const DESCRIPTION: &'static str;
}

/// Text in the custom format `F::DESCRIPTION`. With an offset in the
/// description the instant is that offset's; without one the text is read
/// as UTC (a date alone as its midnight, UTC). Text that does not fit is an
/// error naming the format, never the text (it might be a secret in the
/// wrong place); the decoder adds the field's path.
pub struct Custom<F>(std::marker::PhantomData<F>);

impl<'de, F: TimeDescription> DeserializeAs<'de, OffsetDateTime> for Custom<F> {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<OffsetDateTime, D::Error> {
        let text: String = serde::Deserialize::deserialize(deserializer)?;
        parse_custom(text.trim(), F::DESCRIPTION).ok_or_else(|| {
            de::Error::custom(format!(
                "expected a date and time in the format {}",
                F::DESCRIPTION
            ))
        })
    }
}

fn parse_custom(text: &str, description: &str) -> Option<OffsetDateTime> {
    use time::{Date, PrimitiveDateTime};
    // The generator has checked that the description parses and reads back.
    let items = time::format_description::parse_borrowed::<1>(description).ok()?;
    OffsetDateTime::parse(text, &items)
        .or_else(|_| PrimitiveDateTime::parse(text, &items).map(PrimitiveDateTime::assume_utc))
        .or_else(|_| Date::parse(text, &items).map(|d| d.midnight().assume_utc()))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotnet_dates() {
        let t = parse_dotnet_date("/Date(1770202477469)/").unwrap();
        assert_eq!(t.unix_timestamp(), 1770202477);
        assert_eq!(t.millisecond(), 469);
        let with_offset = parse_dotnet_date("/Date(1770202477469+0100)/").unwrap();
        assert_eq!(with_offset, t);
        let negative = parse_dotnet_date("/Date(-1000)/").unwrap();
        assert_eq!(negative.unix_timestamp(), -1);
        assert_eq!(
            parse_dotnet_date("2026-02-04T10:54:37Z")
                .unwrap()
                .unix_timestamp(),
            1770202477
        );
        assert!(parse_dotnet_date("/Date(abc)/").is_none());
    }

    #[test]
    fn iso8601_dates_in_every_offset_form() {
        let utc = parse_iso8601("2016-03-16T04:22:35.386Z").unwrap();
        assert_eq!(utc.unix_timestamp(), 1458102155);
        assert_eq!(utc.millisecond(), 386);
        for text in [
            "2016-03-16T04:22:35.386+0000",
            "2016-03-16T04:22:35.386+00:00",
            "2016-03-16T06:22:35.386+0200",
            "2016-03-16T02:22:35.386-02:00",
            "20160316T042235.386Z",
        ] {
            assert_eq!(parse_iso8601(text), Some(utc), "{text}");
        }
        for text in [
            "2016-03-16",
            "2016-03-16T04:22:35",
            "+0000",
            "",
            "2016-03-16T04:22:35+00x0",
            "éééé",
        ] {
            assert_eq!(parse_iso8601(text), None, "{text}");
        }
        let rfc = <Rfc3339 as serde_with::DeserializeAs<'_, OffsetDateTime>>::deserialize_as(
            serde_json::json!("2016-03-16T04:22:35.386Z"),
        );
        assert_eq!(rfc.ok(), Some(utc));
    }
}

#[cfg(test)]
#[path = "timestamps_tests.rs"]
mod samples;

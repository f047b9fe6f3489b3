//! `serde_with` adapters that generated response types name in
//! `#[serde(deserialize_with = "…serde_with::As::<Adapter>::deserialize")]`.
//!
//! Each one accepts what real servers send: numbers written as strings (XML
//! has nothing else), booleans as `0`/`1`, and timestamps in vendor forms.

use serde::de::{self, Deserializer, Unexpected, Visitor};
use serde_with::DeserializeAs;
use std::fmt;
use time::OffsetDateTime;

/// A boolean written as `true`/`false`, `1`/`0`, or those as strings.
pub struct LenientBool;

impl<'de> DeserializeAs<'de, bool> for LenientBool {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = bool;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a boolean, 0 or 1")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
                Ok(v)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
                match v {
                    0 => Ok(false),
                    1 => Ok(true),
                    _ => Err(E::invalid_value(Unexpected::Signed(v), &self)),
                }
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
                self.visit_i64(i64::try_from(v).unwrap_or(i64::MAX))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
                match v.trim() {
                    "1" | "true" => Ok(true),
                    "0" | "false" | "" => Ok(false),
                    _ => Err(E::invalid_value(Unexpected::Other("text"), &self)),
                }
            }
        }
        deserializer.deserialize_any(V)
    }
}

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

/// A number that may arrive as a number or as a string holding one (XML has
/// only text). Accepts what `PickFirst<(_, DisplayFromStr)>` accepts: the
/// type's own number form, else a string that its `FromStr` parses, but in
/// one pass: `PickFirst` buffers every value to be able to try twice.
pub struct LenientNumber;

/// The number types [`LenientNumber`] reads.
pub trait LenientTarget: Sized + std::str::FromStr {
    #[doc(hidden)]
    fn from_i64(v: i64) -> Option<Self>;
    #[doc(hidden)]
    fn from_u64(v: u64) -> Option<Self>;
    #[doc(hidden)]
    fn from_f64(v: f64) -> Option<Self>;
}

macro_rules! lenient_int {
    ($($t:ty),*) => {$(
        impl LenientTarget for $t {
            fn from_i64(v: i64) -> Option<Self> {
                <$t>::try_from(v).ok()
            }
            fn from_u64(v: u64) -> Option<Self> {
                <$t>::try_from(v).ok()
            }
            fn from_f64(_: f64) -> Option<Self> {
                None
            }
        }
    )*};
}
lenient_int!(i8, i16, i32, i64, u8, u16, u32, u64);

macro_rules! lenient_float {
    ($($t:ty),*) => {$(
        impl LenientTarget for $t {
            fn from_i64(v: i64) -> Option<Self> {
                Some(v as $t)
            }
            fn from_u64(v: u64) -> Option<Self> {
                Some(v as $t)
            }
            fn from_f64(v: f64) -> Option<Self> {
                Some(v as $t)
            }
        }
    )*};
}
lenient_float!(f32, f64);

impl<'de, T: LenientTarget> DeserializeAs<'de, T> for LenientNumber {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<T: LenientTarget> Visitor<'_> for V<T> {
            type Value = T;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number, or a string holding one")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
                T::from_i64(v).ok_or_else(|| E::invalid_value(Unexpected::Signed(v), &self))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
                T::from_u64(v).ok_or_else(|| E::invalid_value(Unexpected::Unsigned(v), &self))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
                T::from_f64(v).ok_or_else(|| E::invalid_value(Unexpected::Float(v), &self))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
                v.parse()
                    .map_err(|_| E::invalid_value(Unexpected::Other("text"), &self))
            }
        }
        deserializer.deserialize_any(V(std::marker::PhantomData))
    }
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

    #[test]
    fn lenient_numbers_read_numbers_and_digit_strings() {
        use serde_json::{json, Value};
        fn read<T: super::LenientTarget>(v: Value) -> Option<T> {
            <super::LenientNumber as serde_with::DeserializeAs<'_, T>>::deserialize_as(v).ok()
        }
        assert_eq!(read::<i64>(json!(5)), Some(5));
        assert_eq!(read::<i64>(json!("5")), Some(5));
        assert_eq!(read::<i64>(json!("-7")), Some(-7));
        assert_eq!(read::<u8>(json!(300)), None);
        assert_eq!(read::<u8>(json!("300")), None);
        assert_eq!(read::<u32>(json!(-1)), None);
        assert_eq!(read::<i32>(json!(1.5)), None);
        assert_eq!(read::<i32>(json!("x")), None);
        assert_eq!(read::<i32>(json!(true)), None);
        assert_eq!(read::<f64>(json!(2)), Some(2.0));
        assert_eq!(read::<f64>(json!(0.25)), Some(0.25));
        assert_eq!(read::<f64>(json!("0.25")), Some(0.25));
        assert_eq!(read::<f32>(json!("1e3")), Some(1000.0));
    }
}

#[cfg(test)]
#[path = "adapt_time_tests.rs"]
mod time_tests;

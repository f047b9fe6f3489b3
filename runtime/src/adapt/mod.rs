//! `serde_with` adapters that generated response types name in
//! `#[serde(deserialize_with = "…serde_with::As::<Adapter>::deserialize")]`.
//!
//! Each one accepts what real servers send: numbers written as strings (XML
//! has nothing else), booleans as `0`/`1`, and (with the `timestamps`
//! feature) timestamps in vendor forms.

use serde::de::{self, Deserializer, Unexpected, Visitor};
use serde_with::DeserializeAs;
use std::fmt;

#[cfg(feature = "timestamps")]
mod timestamps;
#[cfg(feature = "timestamps")]
pub use timestamps::{
    Custom, DotNetDate, Iso8601, Rfc3339, TimeDescription, UnixMillis, UnixSeconds,
};

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

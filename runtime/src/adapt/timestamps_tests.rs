//! The timestamp adapters on sample values from the documents that define
//! each form.

use super::*;
use serde_json::Value;

fn read<A: for<'de> DeserializeAs<'de, OffsetDateTime>>(text: &str) -> Result<i128, String> {
    A::deserialize_as(Value::String(text.into()))
        .map(|t| t.unix_timestamp_nanos() / 1_000_000)
        .map_err(|e| e.to_string())
}

#[test]
fn rfc3339_samples_of_rfc3339_section_5_8() {
    assert_eq!(
        read::<Rfc3339>("1985-04-12T23:20:50.52Z"),
        Ok(482_196_050_520)
    );
    assert_eq!(
        read::<Rfc3339>("1996-12-19T16:39:57-08:00"),
        Ok(851_042_397_000)
    );
    assert!(read::<Rfc3339>("2016-03-16T04:22:35.386+0000").is_err());
}

#[test]
fn iso8601_takes_a_basic_offset_in_an_extended_date_and_time() {
    // The sample, as a Java server writes it.
    assert_eq!(
        read::<Iso8601>("2016-03-16T04:22:35.386+0000"),
        Ok(1_458_102_155_386)
    );
    assert_eq!(
        read::<Iso8601>("1996-12-19T16:39:57-08:00"),
        Ok(851_042_397_000)
    );
    assert!(read::<Iso8601>("2016-03-16 04:22:35").is_err());
}

struct Apache;
impl TimeDescription for Apache {
    const DESCRIPTION: &'static str = "[day]/[month repr:short]/[year]:[hour]:[minute]:[second] [offset_hour sign:mandatory][offset_minute]";
}

struct Plain;
impl TimeDescription for Plain {
    const DESCRIPTION: &'static str = "[year]-[month]-[day] [hour]:[minute]:[second]";
}

struct Day;
impl TimeDescription for Day {
    const DESCRIPTION: &'static str = "[year]-[month]-[day]";
}

#[test]
fn a_custom_format_with_an_offset_keeps_its_instant() {
    // Apache's Common Log Format sample (httpd docs, "Log Files").
    assert_eq!(
        read::<Custom<Apache>>("10/Oct/2000:13:55:36 -0700"),
        Ok(971_211_336_000)
    );
}

#[test]
fn a_custom_format_without_an_offset_is_utc() {
    assert_eq!(
        read::<Custom<Plain>>("2016-03-16 04:22:35"),
        Ok(1_458_102_155_000)
    );
    assert_eq!(read::<Custom<Day>>("2016-03-16"), Ok(1_458_086_400_000));
}

#[test]
fn text_that_does_not_fit_names_the_format_and_not_the_text() {
    let err = read::<Custom<Plain>>("s3cret-token").unwrap_err();
    assert_eq!(
        err,
        "expected a date and time in the format [year]-[month]-[day] [hour]:[minute]:[second]"
    );
    assert!(!err.contains("s3cret"));
    assert!(read::<Custom<Plain>>("2016-02-30 04:22:35").is_err());
    assert!(read::<Custom<Plain>>("").is_err());
}

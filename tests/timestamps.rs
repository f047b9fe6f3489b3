//! Timestamp formats through generated code: `rfc3339`, `iso8601` and
//! custom `time` format descriptions decode the documents' samples, and a
//! value that does not fit is an undecodable answer naming the field.

mod from_macro {
    loginspec::client!("corpus/timestamps");
}

use from_macro::timestamps::{EventsError, EventsResponse, EVENTS, PROTOCOL};
use loginspec_runtime::__generated::v1::{decode_example, Encoding, Error};

fn decode(body: &str) -> Result<EventsResponse, Error<EventsError>> {
    decode_example(&PROTOCOL, &EVENTS, Encoding::Json, 200, body)
}

fn millis(t: loginspec_runtime::time::OffsetDateTime) -> i128 {
    t.unix_timestamp_nanos() / 1_000_000
}

#[test]
fn every_form_reads_its_documented_sample() {
    let events = decode(
        r#"{"created":"1985-04-12T23:20:50.52Z","updated":"2016-03-16T04:22:35.386+0000","logged":"10/Oct/2000:13:55:36 -0700","local":"2016-03-16 04:22:35"}"#,
    )
    .expect("decoded");
    assert_eq!(millis(events.created), 482_196_050_520);
    assert_eq!(millis(events.updated), 1_458_102_155_386);
    assert_eq!(millis(events.logged), 971_211_336_000);
    assert_eq!(events.logged.offset().whole_hours(), -7);
    assert_eq!(events.local.map(millis), Some(1_458_102_155_000));
}

#[test]
fn a_value_that_does_not_fit_its_custom_format_names_the_field() {
    let err = decode(
        r#"{"created":"1985-04-12T23:20:50.52Z","updated":"2016-03-16T04:22:35.386+0000","logged":"2000-10-10 13:55:36"}"#,
    )
    .unwrap_err();
    match err {
        Error::Decode { reason, .. } => {
            assert!(
                reason.starts_with("at `logged`: expected a date and time in the format [day]/"),
                "{reason}"
            );
            assert!(!reason.contains("2000-10-10"), "{reason}");
        }
        other => panic!("expected an undecodable answer, got {other:?}"),
    }
}

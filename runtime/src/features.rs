//! One `compile_error!` per cargo feature a generated provider may need,
//! expanded by `__generated::requires!`: empty when the feature is on.

#[cfg(feature = "xml")]
#[doc(hidden)]
#[macro_export]
macro_rules! __loginspec_requires_feature_xml {
    () => {};
}

#[cfg(not(feature = "xml"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __loginspec_requires_feature_xml {
    () => {
        ::core::compile_error!(
            "this provider speaks XML or SOAP: enable the `xml` feature of loginspec-runtime (features = [\"xml\"])"
        );
    };
}

#[cfg(feature = "hashing")]
#[doc(hidden)]
#[macro_export]
macro_rules! __loginspec_requires_feature_hashing {
    () => {};
}

#[cfg(not(feature = "hashing"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __loginspec_requires_feature_hashing {
    () => {
        ::core::compile_error!(
            "this provider hashes values (derived values or `sha256_base64`): enable the `hashing` feature of loginspec-runtime (features = [\"hashing\"])"
        );
    };
}

#[cfg(feature = "timestamps")]
#[doc(hidden)]
#[macro_export]
macro_rules! __loginspec_requires_feature_timestamps {
    () => {};
}

#[cfg(not(feature = "timestamps"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __loginspec_requires_feature_timestamps {
    () => {
        ::core::compile_error!(
            "this provider reads timestamp fields: enable the `timestamps` feature of loginspec-runtime (features = [\"timestamps\"])"
        );
    };
}

/// Dispatches one feature name to its macro above.
#[doc(hidden)]
#[macro_export]
macro_rules! __loginspec_requires_feature {
    (xml) => {
        $crate::__loginspec_requires_feature_xml!();
    };
    (hashing) => {
        $crate::__loginspec_requires_feature_hashing!();
    };
    (timestamps) => {
        $crate::__loginspec_requires_feature_timestamps!();
    };
    ($other:ident) => {
        ::core::compile_error!(::core::concat!(
            "this provider needs the `",
            ::core::stringify!($other),
            "` part, which this loginspec-runtime does not know: regenerate it with the loginspec that matches loginspec-runtime"
        ));
    };
}

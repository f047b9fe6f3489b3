//! Logins of several calls: the error of one step, as the error of the whole
//! login. The generated `SessionInner::login` runs the steps in order inside
//! the session's single flight; these turn a step's failure into the login's.

use crate::error::{ApiError, ApiErrorKind, Error};

/// `error`, a failure of login step `step`, as a failure of the login: an API
/// error keeps its provider, method (the step's wire name), status, message
/// and retry delay, and its kind is wrapped by `wrap` (the step's variant of
/// the session's step error enum), so its class stays the step's own. The
/// other failures keep their kind and, where they have a reason, name the step.
pub fn step_failed<E, F>(error: Error<E>, step: &'static str, wrap: impl FnOnce(E) -> F) -> Error<F>
where
    E: ApiErrorKind,
    F: ApiErrorKind,
{
    let error = match error {
        Error::Api {
            provider,
            method,
            error,
        } => {
            let ApiError {
                kind,
                status,
                message,
                retry_after_secs,
            } = error;
            return Error::Api {
                provider,
                method,
                error: ApiError {
                    kind: wrap(kind),
                    status,
                    message,
                    retry_after_secs,
                },
            };
        }
        other => other,
    };
    match error.without_api() {
        Ok(Error::Decode {
            status,
            reason,
            excerpt,
        }) => Error::Decode {
            status,
            reason: format!("login step `{step}`: {reason}"),
            excerpt,
        },
        Ok(Error::Invalid { field, reason }) => Error::Invalid {
            field,
            reason: format!("login step `{step}`: {reason}"),
        },
        Ok(other) => other,
        // Handled above.
        Err(_) => Error::Invalid {
            field: "session",
            reason: format!("login step `{step}` failed"),
        },
    }
}

/// A step's answer lacks `field`, which a later step takes: the answer was
/// a 2xx (the step succeeded), but not one the login can go on with.
pub fn step_answer_lacks<F: ApiErrorKind>(step: &'static str, field: &'static str) -> Error<F> {
    Error::Decode {
        status: 200,
        reason: format!(
            "the answer of login step `{step}` has no `{field}`, which a later step needs"
        ),
        excerpt: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ErrorClass, ErrorCode};
    use std::fmt;

    #[derive(Debug, PartialEq)]
    struct Wrong;
    impl fmt::Display for Wrong {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("wrong password")
        }
    }
    impl ApiErrorKind for Wrong {
        fn from_code(_: ErrorCode, _: Option<String>) -> Self {
            Wrong
        }
        fn code(&self) -> ErrorCode {
            ErrorCode::Int(4000006)
        }
        fn class(&self) -> ErrorClass {
            ErrorClass::BadCredentials
        }
    }

    #[derive(Debug, PartialEq)]
    enum Login {
        Submit(Wrong),
    }
    impl fmt::Display for Login {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            let Login::Submit(inner) = self;
            inner.fmt(f)
        }
    }
    impl ApiErrorKind for Login {
        fn from_code(code: ErrorCode, message: Option<String>) -> Self {
            Login::Submit(Wrong::from_code(code, message))
        }
        fn code(&self) -> ErrorCode {
            let Login::Submit(inner) = self;
            inner.code()
        }
        fn class(&self) -> ErrorClass {
            let Login::Submit(inner) = self;
            inner.class()
        }
    }

    #[test]
    fn an_api_error_keeps_everything_and_gets_the_steps_variant() {
        let error: Error<Wrong> = Error::Api {
            provider: "p",
            method: "self-service/login",
            error: ApiError {
                kind: Wrong,
                status: 400,
                message: Some("The provided credentials are invalid".into()),
                retry_after_secs: Some(3),
            },
        };
        let login: Error<Login> = step_failed(error, "self-service/login", Login::Submit);
        assert_eq!(login.class(), Some(ErrorClass::BadCredentials));
        let Error::Api { method, error, .. } = &login else {
            panic!("not an API error: {login}");
        };
        assert_eq!(*method, "self-service/login");
        assert_eq!(error.kind, Login::Submit(Wrong));
        assert_eq!((error.status, error.retry_after_secs), (400, Some(3)));
        assert!(login.to_string().contains("self-service/login"));
    }

    #[test]
    fn an_undecodable_answer_names_the_step() {
        let error: Error<Wrong> = Error::Decode {
            status: 200,
            reason: "missing field `id`".into(),
            excerpt: "{}".into(),
        };
        let login: Error<Login> = step_failed(error, "self-service/login/api", Login::Submit);
        let text = login.to_string();
        assert!(
            text.contains("login step `self-service/login/api`: missing field `id`"),
            "{text}"
        );
        let lacks: Error<Login> = step_answer_lacks("a", "flow_id");
        assert!(matches!(lacks, Error::Decode { status: 200, .. }));
        assert!(lacks.to_string().contains("`a` has no `flow_id`"));
    }
}

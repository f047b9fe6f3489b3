//! Behaviour a test queues up: the next answers as documented errors or raw
//! bytes, and a delay before each answer.

use std::collections::VecDeque;
use std::time::Duration;

/// What the next request gets instead of its normal answer.
#[derive(Debug, Clone)]
pub(crate) enum Next {
    /// A documented error of the routed method, by variant name.
    Error(String),
    /// A raw answer, whatever the request was.
    Raw { status: u16, body: String },
}

#[derive(Debug, Default)]
pub(crate) struct Scenarios {
    pub(crate) queue: VecDeque<Next>,
    pub(crate) delay: Duration,
}

//! Proc-macros for loginspec. The macro that turns a spec folder into a client lands with its own issue; this crate exists so the workspace layout is complete.

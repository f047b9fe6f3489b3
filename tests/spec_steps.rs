//! `session.steps`: placeholder, filled below.

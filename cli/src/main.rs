//! `loginspec`: the spec workflow on the command line.
//!
//! Each subcommand lives in a module of its own; this file parses the
//! arguments, runs one, and turns its outcome into an exit code:
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success (lint: warnings alone do not fail unless `--deny-warnings`) |
//! | 1 | the check failed: checked-in code is stale, or `lint --deny-warnings` found warnings |
//! | 2 | the specs have errors (reported rustc-style on stderr) |
//! | 3 | anything else: bad arguments, unreadable or unwritable files, git failed |
#![forbid(unsafe_code)]

mod check;
mod diff;
mod generate;
mod lint;
mod mock;
mod scaffold;
mod schema;

use clap::{Parser, Subcommand, ValueEnum};
use loginspec_codegen::diag::{Diagnostics, Severity};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Spec-driven login clients: generate, check, compare, scaffold and mock specs.
#[derive(Debug, Parser)]
#[command(
    name = "loginspec",
    version,
    after_help = "Exit codes: 0 success; 1 the check failed (stale generated files, or \
                  warnings with `lint --deny-warnings`); 2 the specs have errors; 3 anything \
                  else (bad arguments, unreadable files, git errors)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write the generated Rust, one file per provider, for checking in.
    Generate {
        /// The specs folder (one folder per provider).
        #[arg(long, default_value = "specs")]
        specs: PathBuf,
        /// Where to write `<provider>.rs` files.
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        options: generate::Options,
    },
    /// Validate the specs; with --out, also fail when the generated files there are stale.
    Check {
        #[arg(long, default_value = "specs")]
        specs: PathBuf,
        /// A folder written by `loginspec generate` to compare with fresh output.
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        options: generate::Options,
    },
    /// Report API changes between two spec folders (or two git revisions).
    Diff {
        /// The old side: a specs folder, or with --git a revision.
        old: String,
        /// The new side: a specs folder, or with --git a revision
        /// (left out: the working tree's specs folder).
        new: Option<String>,
        /// Read OLD and NEW as git revisions of the specs folder.
        #[arg(long)]
        git: bool,
        /// With --git: the specs folder inside the repository.
        #[arg(long, default_value = "specs")]
        specs: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Warn about things that are legal but probably unintended.
    Lint {
        #[arg(long, default_value = "specs")]
        specs: PathBuf,
        /// Exit with 1 when there are warnings.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Print the JSON Schema of provider.yaml or of method files.
    Schema {
        /// Which file kind; without --out-dir it is required.
        #[arg(value_enum)]
        kind: Option<schema::Kind>,
        /// Write both schemas into this folder instead of printing one.
        #[arg(long, conflicts_with = "kind")]
        out_dir: Option<PathBuf>,
    },
    /// Serve a stand-in of every provider in the specs on 127.0.0.1, until Ctrl-C.
    ///
    /// Each provider gets its own port and prints its base URL (point a
    /// client's base URL at it). Every request is checked against the spec:
    /// a violation gets the provider's documented error for it, or HTTP 400
    /// naming it. Good requests get the spec's example answers with keys the
    /// mock issues. Scenarios and the request log are under
    /// `/__loginspec/` on each port: `GET log`, `GET violations`, `POST next_error?name=X`,
    /// `respond_raw?status=N` (the body is the answer), `delay?ms=N`,
    /// `expire_sessions`, `rotate_handshake`, `advance?ms=N`, `clear_log`.
    Mock {
        #[arg(long, default_value = "specs")]
        specs: PathBuf,
        /// First port; providers get consecutive ports in name order (default: any free ports).
        #[arg(long)]
        port_base: Option<u16>,
        /// How fast session lifetimes run against real time (10: ten times faster).
        #[arg(long, default_value_t = 1.0)]
        time_scale: f64,
        /// How many requests each provider's log keeps (older ones go; their violations stay).
        #[arg(long, default_value_t = loginspec_mock::DEFAULT_LOG_LIMIT)]
        log_limit: usize,
    },
    /// Scaffold a provider folder (and a method file) with commented templates.
    New {
        /// Provider name (snake_case); becomes the folder and module name.
        provider: String,
        /// Wire name of a method to add.
        method: Option<String>,
        #[arg(long, default_value = "specs")]
        specs: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// Why a subcommand did not succeed; each maps to one exit code.
#[derive(Debug)]
enum Failure {
    /// The check found a difference (exit 1); the report is already printed.
    Check,
    /// The specs do not pass (exit 2).
    Specs(Diagnostics),
    /// Anything else (exit 3).
    Other(String),
}

impl From<Diagnostics> for Failure {
    fn from(d: Diagnostics) -> Self {
        Failure::Specs(d)
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // --help and --version are not errors.
            let code = if err.use_stderr() { 3 } else { 0 };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    let outcome = match cli.command {
        Command::Generate {
            specs,
            out,
            options,
        } => generate::run(&specs, &out, &options),
        Command::Check {
            specs,
            out,
            options,
        } => check::run(&specs, out.as_deref(), &options),
        Command::Diff {
            old,
            new,
            git,
            specs,
            format,
        } => diff::run(&old, new.as_deref(), git.then_some(specs.as_path()), format),
        Command::Lint {
            specs,
            deny_warnings,
        } => lint::run(&specs, deny_warnings),
        Command::Mock {
            specs,
            port_base,
            time_scale,
            log_limit,
        } => {
            let options = loginspec_mock::Options {
                port_base,
                time_scale,
                log_limit,
            };
            mock::run(&specs, options)
        }
        Command::Schema { kind, out_dir } => schema::run(kind, out_dir.as_deref()),
        Command::New {
            provider,
            method,
            specs,
        } => scaffold::run(&specs, &provider, method.as_deref()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Check) => ExitCode::from(1),
        Err(Failure::Specs(diagnostics)) => {
            eprint!("{}", render(&diagnostics, Severity::Error));
            ExitCode::from(2)
        }
        Err(Failure::Other(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(3)
        }
    }
}

/// Diagnostics as rustc shows them, coloured only when stderr is a terminal,
/// followed by a count.
fn render(diagnostics: &Diagnostics, severity: Severity) -> String {
    let styled = std::io::stderr().is_terminal();
    let mut out = String::new();
    for d in &diagnostics.0 {
        out.push_str(&d.render_as(severity, styled));
        out.push_str("\n\n");
    }
    let n = diagnostics.0.len();
    let (what, tail) = match severity {
        Severity::Error => ("error", " in the specs"),
        Severity::Warning => ("warning", ""),
    };
    out.push_str(&format!(
        "{n} {what}{}{tail}\n",
        if n == 1 { "" } else { "s" }
    ));
    out
}

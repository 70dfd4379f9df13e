//! `dossier serve`: the checker as an HTTP service for intake portals and
//! review teams (issue 12). Stateless: a rule set in memory, uploads in
//! memory for the length of their request, nothing on disk.
//!
//! - `routes`: the API and the layers around it;
//! - `check`, `upload`, `negotiate`: `POST /v1/check`;
//! - `operations`, `fields`, `page`: what the rule set offers;
//! - `auth`, `limits`, `problem`: who may call, how much, and error bodies;
//! - `metrics`, `access_log`, `reload`, `listener`: running it;
//! - `web`: pages for clerks and reviewers (issue 13).

mod access_log;
mod auth;
mod check;
mod fields;
mod judge;
mod limits;
mod listener;
mod metrics;
mod negotiate;
mod openapi;
mod operations;
mod page;
mod problem;
mod reload;
mod routes;
mod upload;
mod web;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use clap::Args;

use crate::cli::notice::{Notice, say};
use auth::{Token, TokenError};
use limits::{ServeLimits, parse_seconds, parse_size};
use listener::StartError;
use metrics::Metrics;
use reload::RuleSlot;

/// Exit statuses (as the CLI's).
const EXIT_OK: i32 = 0;
const EXIT_ERROR: i32 = 2;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Use the rule set in this folder instead of the embedded one (reloaded on SIGHUP).
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// A file holding the bearer token /v1/ requests must send.
    #[arg(long, value_name = "FILE")]
    token_file: Option<PathBuf>,
    /// Largest request body accepted (e.g. 64MiB); larger ones get 413.
    #[arg(long, value_name = "SIZE", default_value = ServeLimits::DEFAULT_MAX_BODY, value_parser = parse_size)]
    max_body: u64,
    /// Requests handled at once; more get 503 with Retry-After (default: 4 per core).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    max_in_flight: Option<u32>,
    /// Seconds a client has to send its request headers; slower ones are disconnected.
    #[arg(long, value_name = "SECONDS", default_value = ServeLimits::DEFAULT_HEADER_TIMEOUT, value_parser = parse_seconds)]
    header_timeout: Duration,
    /// Seconds a /v1/ request has to send its body and be answered (else 408).
    #[arg(long, value_name = "SECONDS", default_value = ServeLimits::DEFAULT_REQUEST_TIMEOUT, value_parser = parse_seconds)]
    request_timeout: Duration,
    /// Serve without a token even on a non-loopback address.
    #[arg(long, conflicts_with = "token_file")]
    no_auth: bool,
}

/// What every handler shares.
pub struct AppState {
    rules: RuleSlot,
    metrics: Metrics,
    limits: ServeLimits,
    token: Option<Arc<Token>>,
}

/// Whether the listen address may not be served as asked: open to the
/// network with no token, and no word that something in front checks callers.
fn unprotected(args: &ServeArgs) -> bool {
    !args.listen.ip().is_loopback() && args.token_file.is_none() && !args.no_auth
}

/// Start-up errors are said in the CLI's default language (`serve` has no
/// `--lang`: its pages and answers follow each request): the locale's.
pub fn run(args: ServeArgs) -> i32 {
    access_log::init();
    let lang = crate::cli::language(None);
    if unprotected(&args) {
        say(lang, Notice::Unprotected(args.listen));
        return EXIT_ERROR;
    }
    let token = match &args.token_file {
        None => None,
        Some(path) => match Token::read(path) {
            Ok(token) => Some(Arc::new(token)),
            Err(problem) => {
                say(lang, token_notice(path, &problem));
                return EXIT_ERROR;
            }
        },
    };
    let loaded = match reload::load(args.rules.as_deref()) {
        Ok(loaded) => loaded,
        Err(errors) => {
            eprint!("{errors}");
            return EXIT_ERROR;
        }
    };
    let in_flight = args
        .max_in_flight
        .map_or_else(ServeLimits::default_in_flight, |n| n as usize);
    let limits = ServeLimits::new(
        args.max_body,
        in_flight,
        args.header_timeout,
        args.request_timeout,
    );
    let state = Arc::new(AppState {
        rules: RuleSlot::new(args.rules.clone(), loaded),
        metrics: Metrics::new(),
        limits,
        token,
    });
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Judging runs on the blocking pool; at most one bundle per
        // request in flight is judged at a time.
        .max_blocking_threads(limits.max_in_flight + 4)
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            say(lang, Notice::CannotStartThreads(&error));
            return EXIT_ERROR;
        }
    };
    match runtime.block_on(listener::serve(args.listen, state)) {
        Ok(()) => EXIT_OK,
        Err(StartError::Listen { address, error }) => {
            say(
                lang,
                Notice::CannotListen {
                    address,
                    error: &error,
                },
            );
            EXIT_ERROR
        }
        Err(StartError::Signals(error)) => {
            say(lang, Notice::CannotWatchSignals(&error));
            EXIT_ERROR
        }
    }
}

/// What to say about a token file that gives no token.
fn token_notice<'a>(path: &'a Path, problem: &'a TokenError) -> Notice<'a> {
    match problem {
        TokenError::Unreadable(error) => Notice::TokenUnreadable { path, error },
        TokenError::TooShort { fewest } => Notice::TokenTooShort {
            path,
            fewest: *fewest,
        },
        TokenError::Unsendable => Notice::TokenUnsendable(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Wrapper {
        #[command(flatten)]
        args: ServeArgs,
    }

    fn args(line: &[&str]) -> ServeArgs {
        let mut all = vec!["serve"];
        all.extend_from_slice(line);
        Wrapper::try_parse_from(all).expect("arguments parse").args
    }

    #[test]
    fn loopback_needs_no_token() {
        assert!(!unprotected(&args(&[])));
        assert!(!unprotected(&args(&["--listen", "[::1]:9000"])));
    }

    #[test]
    fn open_address_needs_a_token_or_no_auth() {
        assert!(unprotected(&args(&["--listen", "0.0.0.0:8080"])));
        assert!(!unprotected(&args(&[
            "--listen",
            "0.0.0.0:8080",
            "--no-auth"
        ])));
        assert!(!unprotected(&args(&[
            "--listen",
            "0.0.0.0:8080",
            "--token-file",
            "t"
        ])));
    }
}

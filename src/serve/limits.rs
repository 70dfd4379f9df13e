//! Every bound the service puts on a request, in one place, and the layers
//! that enforce them: body size (refused before the body is read whole),
//! requests in flight (over it: 503 at once, never a queue), time to receive
//! the headers and to answer.

use std::time::Duration;

use axum::BoxError;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::problem::Problem;

/// The bounds of one running service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServeLimits {
    /// Largest request body (`--max-body`). Uploads are held in memory, so
    /// memory use is bounded by `max_body × max_in_flight`.
    pub max_body: u64,
    /// Requests to `/v1/` handled at once (`--max-in-flight`); more get 503.
    pub max_in_flight: usize,
    /// Time a client has to send its request headers (slow clients).
    pub header_timeout: Duration,
    /// Time a `/v1/` request has to send its body and be answered.
    pub request_timeout: Duration,
    /// Time in-flight requests get to finish after SIGTERM.
    pub shutdown_grace: Duration,
    /// Largest body of a field validation: one JSON string.
    pub max_field_body: u64,
}

impl ServeLimits {
    /// Default body limit: a bundle of a few 20 MiB attachments.
    pub const DEFAULT_MAX_BODY: &str = "64MiB";

    /// Default in-flight requests: enough to keep every core judging while
    /// others upload, few enough that `max_body ×` it fits in memory.
    pub fn default_in_flight() -> usize {
        4 * std::thread::available_parallelism().map_or(1, |n| n.get())
    }

    /// Default time to send the request headers, in seconds.
    pub const DEFAULT_HEADER_TIMEOUT: &str = "10";
    /// Default time to send the body and be answered, in seconds.
    pub const DEFAULT_REQUEST_TIMEOUT: &str = "60";

    pub fn new(
        max_body: u64,
        max_in_flight: usize,
        header_timeout: Duration,
        request_timeout: Duration,
    ) -> ServeLimits {
        ServeLimits {
            max_body,
            max_in_flight: max_in_flight.max(1),
            header_timeout,
            request_timeout,
            // A bundle is judged within `Limits::bundle_time`; the rest is upload.
            shutdown_grace: request_timeout + Duration::from_secs(5),
            // Room for the longest value (`fields::MAX_VALUE_CHARS`) even
            // when every character is written as a JSON escape pair.
            max_field_body: 256 * 1024,
        }
    }
}

/// Reads `64MiB`, `500k`, `1048576`: bytes with an optional binary unit.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let split = trimmed
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(trimmed.len());
    let (digits, unit) = trimmed.split_at(split);
    let number: u64 = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a size (e.g. 64MiB, 512KiB, 1000000)"))?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        other => return Err(format!("unknown size unit `{other}` (use KiB, MiB or GiB)")),
    };
    match number.checked_mul(factor) {
        Some(0) | None => Err(format!("`{text}` is not a usable body limit")),
        Some(bytes) => Ok(bytes),
    }
}

/// Reads a whole number of seconds (`--header-timeout`, `--request-timeout`).
pub fn parse_seconds(text: &str) -> Result<Duration, String> {
    match text.trim().parse::<u64>() {
        Ok(seconds) if (1..=3600).contains(&seconds) => Ok(Duration::from_secs(seconds)),
        _ => Err(format!(
            "`{text}` is not a number of seconds from 1 to 3600"
        )),
    }
}

/// Refuses a body whose declared length is over the limit before reading
/// any of it; a body without a length is cut off at the limit when read
/// (see [`super::upload`]).
pub async fn declared_length(
    State(max_body): State<u64>,
    request: Request,
    next: Next,
) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().parse::<u64>());
    match declared {
        Some(Ok(length)) if length > max_body => Problem::too_large(max_body).into_response(),
        Some(Err(_)) => Problem::bad_request("Content-Length is not a number").into_response(),
        _ => next.run(request).await,
    }
}

/// The answer when a limit layer stops a request: shed load is a 503 with
/// Retry-After, a request past its time a 408.
pub async fn limit_error(error: BoxError) -> Response {
    if error.is::<tower::load_shed::error::Overloaded>() {
        Problem::overloaded().into_response()
    } else if error.is::<tower::timeout::error::Elapsed>() {
        Problem::timeout().into_response()
    } else {
        tracing::error!(error = %error, "request failed in a limit layer");
        Problem::internal().into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_with_binary_units() {
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("512k"), Ok(512 << 10));
        assert_eq!(parse_size("2 GiB"), Ok(2 << 30));
    }

    #[test]
    fn bad_sizes_are_refused_with_a_reason() {
        assert!(parse_size("lots").unwrap_err().contains("not a size"));
        assert!(parse_size("5 parsecs").unwrap_err().contains("unit"));
        assert!(parse_size("0").is_err());
        assert!(parse_size("99999999999GiB").is_err());
    }
}

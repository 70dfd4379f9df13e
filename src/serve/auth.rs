//! Bearer-token access to `/v1/`. The token comes from a file (never the
//! command line, where `ps` shows it) and is compared in constant time.

use std::path::Path;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::problem::Problem;

/// The service's token, kept as its digest so every comparison takes the
/// same time whatever the length of the candidate.
#[derive(Clone)]
pub struct Token {
    digest: [u8; 32],
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(..)")
    }
}

/// Shortest token accepted: a guessable token is no protection.
const MIN_TOKEN_CHARS: usize = 16;

/// Why a token file does not give a token (the CLI words it).
#[derive(Debug)]
pub enum TokenError {
    /// The file could not be read.
    Unreadable(std::io::Error),
    /// The token is shorter than [`MIN_TOKEN_CHARS`].
    TooShort { fewest: usize },
    /// The token holds characters an HTTP header cannot carry.
    Unsendable,
}

impl Token {
    /// The token in `path`: its first line, without surrounding spaces.
    pub fn read(path: &Path) -> Result<Token, TokenError> {
        let text = std::fs::read_to_string(path).map_err(TokenError::Unreadable)?;
        Token::new(text.lines().next().unwrap_or("").trim())
    }

    pub fn new(secret: &str) -> Result<Token, TokenError> {
        if secret.chars().count() < MIN_TOKEN_CHARS {
            return Err(TokenError::TooShort {
                fewest: MIN_TOKEN_CHARS,
            });
        }
        if !secret.chars().all(|c| c.is_ascii_graphic()) {
            return Err(TokenError::Unsendable);
        }
        Ok(Token {
            digest: Sha256::digest(secret.as_bytes()).into(),
        })
    }

    /// Whether `candidate` is the token, in time independent of where they differ.
    pub fn matches(&self, candidate: &str) -> bool {
        let digest: [u8; 32] = Sha256::digest(candidate.as_bytes()).into();
        self.digest.ct_eq(&digest).into()
    }
}

/// Lets a request through only with `Authorization: Bearer <token>`.
pub async fn require_token(
    State(token): State<Option<Arc<Token>>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(token) = token else {
        return next.run(request).await;
    };
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, rest) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
        });
    match presented {
        Some(candidate) if token.matches(candidate) => next.run(request).await,
        _ => Problem::unauthorized().into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_token_matches() {
        let token = Token::new("s3cret-token-0123456789").unwrap();
        assert!(token.matches("s3cret-token-0123456789"));
        assert!(!token.matches("s3cret-token-012345678"));
        assert!(!token.matches("s3cret-token-01234567890"));
        assert!(!token.matches(""));
    }

    #[test]
    fn short_or_unprintable_tokens_are_refused() {
        assert!(matches!(
            Token::new("short"),
            Err(TokenError::TooShort { fewest: 16 })
        ));
        assert!(matches!(
            Token::new("a token with spaces in it"),
            Err(TokenError::Unsendable)
        ));
    }
}

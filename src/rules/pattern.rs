//! Regular expressions rule authors write: a catalog field's `pattern:` and
//! the literal of a `matches(value, "pattern")` call in a script.
//!
//! Both are compiled once, when the rule set loads, with the `regex` crate:
//! matching takes linear time in the value whatever the pattern, so a
//! pattern cannot make a bundle slow, and [`Limits`] bounds what compiling
//! one may cost. A pattern always matches the whole value.

use std::collections::BTreeMap;
use std::sync::Arc;

use regex::{Regex, RegexBuilder};

use crate::lang::Localized;
use crate::limits::Limits;

/// A compiled pattern with its source as written.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The pattern as the rule file writes it, without the anchors added
    /// to match whole values.
    pub source: String,
    regex: Regex,
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Pattern) -> bool {
        self.source == other.source
    }
}

impl Pattern {
    /// Whether the whole of `value` matches.
    pub fn matches(&self, value: &str) -> bool {
        self.regex.is_match(value)
    }
}

/// Why a pattern does not compile, with the character offset in the pattern
/// where the problem is when the parser knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// What is wrong, in English (for the rule author).
    pub message: String,
    /// The character (not byte) offset into the pattern, when known.
    pub offset: Option<usize>,
}

/// Compiles `source` to match whole values, within `limits`.
pub fn compile(source: &str, limits: &Limits) -> Result<Pattern, PatternError> {
    if source.len() > limits.pattern_bytes {
        return Err(PatternError {
            message: format!(
                "the pattern is {} bytes, more than the limit of {} (pattern_bytes)",
                source.len(),
                limits.pattern_bytes
            ),
            offset: None,
        });
    }
    // The syntax is checked on its own first: its errors carry a span, so
    // the diagnostic can point at the character, not just the value.
    if let Err(error) = regex_syntax::ast::parse::Parser::new().parse(source) {
        let offset = source[..error.span().start.offset].chars().count();
        return Err(PatternError {
            message: format!("invalid pattern: {}", error.kind()),
            offset: Some(offset),
        });
    }
    let anchored = format!("^(?:{source})$");
    RegexBuilder::new(&anchored)
        .size_limit(limits.pattern_compiled_bytes)
        .dfa_size_limit(limits.pattern_compiled_bytes)
        .build()
        .map(|regex| Pattern {
            source: source.to_string(),
            regex,
        })
        .map_err(|error| PatternError {
            message: match error {
                regex::Error::CompiledTooBig(_) => format!(
                    "the pattern compiles to more than {} bytes (pattern_compiled_bytes); make it simpler",
                    limits.pattern_compiled_bytes
                ),
                other => format!("invalid pattern: {other}"),
            },
            offset: None,
        })
}

/// A catalog field's pattern and the shape it stands for, in words a user
/// reads when a value does not match ("2–30 letters, digits or underscores").
#[derive(Debug, Clone, PartialEq)]
pub struct FieldPattern {
    /// What the whole value must match.
    pub pattern: Pattern,
    /// The shape in words, zh and en, for messages, hints and forms (the
    /// field's `shape:`).
    pub shape: Localized,
}

/// Every `matches` literal of a rule set, compiled at load, by source.
/// Scripts look their pattern up here, so nothing compiles while judging.
pub type PatternTable = Arc<BTreeMap<String, Pattern>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_matches_the_whole_value() {
        let pattern = compile("[a-z]{2,4}", &Limits::default()).unwrap();
        assert!(pattern.matches("abc"));
        assert!(!pattern.matches("abc1"));
        assert!(!pattern.matches("1abc"));
        let alternatives = compile("ab|cd", &Limits::default()).unwrap();
        assert!(alternatives.matches("cd"));
        assert!(!alternatives.matches("abd"));
    }

    #[test]
    fn an_invalid_pattern_says_where() {
        let error = compile("ab(c", &Limits::default()).unwrap_err();
        assert!(error.message.contains("unclosed group"), "{error:?}");
        assert_eq!(error.offset, Some(2));
    }

    #[test]
    fn patterns_past_the_limits_are_refused() {
        let limits = Limits::default();
        let long = "a".repeat(limits.pattern_bytes + 1);
        assert!(
            compile(&long, &limits)
                .unwrap_err()
                .message
                .contains("pattern_bytes")
        );
        let huge = compile(r"\w{1000}{1000}", &limits).unwrap_err();
        assert!(huge.message.contains("pattern_compiled_bytes"), "{huge:?}");
    }
}

//! `matches(value, "pattern")`: whether the whole text matches a regular
//! expression. The loader compiles every literal pattern of the rule set
//! (see `rules::lint`) and hands the table over here; a script finds its
//! pattern by source, so nothing compiles while a bundle is judged.

use rhai::{Engine, EvalAltResult};

use super::HelperDoc;
use crate::rules::PatternTable;

/// The helper's name in scripts.
pub const MATCHES: &str = "matches";

pub const PATTERN_HELPERS: &[HelperDoc] = &[HelperDoc {
    name: MATCHES,
    signature: "matches(text: string, pattern: string) -> bool",
    semantics: "The whole text matches the regular expression `pattern` (regex syntax, linear time). The pattern must be written as a literal string; it is compiled once when the rules load, and an invalid one is a load error at its place.",
}];

/// Registers `matches` over the rule set's compiled patterns.
pub fn register_patterns(engine: &mut Engine, patterns: PatternTable) {
    engine.register_fn(
        "matches",
        move |text: &str, pattern: &str| -> Result<bool, Box<EvalAltResult>> {
            // The loader compiled every literal; a pattern it did not see
            // cannot be judged, so the rule errs instead of passing.
            let compiled = patterns
                .get(pattern)
                .ok_or("matches: this pattern was not compiled when the rules loaded")?;
            Ok(compiled.matches(text))
        },
    );
}

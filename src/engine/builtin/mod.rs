//! The rules dossier applies to every bundle itself, before an operation's
//! own rules: one file a rule, each holding its id, severities, title and
//! documentation beside the code that judges it, and [`REGISTRY`] listing
//! them all. The reference page of the built-in rules and the ids a rule
//! file may not take ([`crate::rules::BUILT_IN`]) are read from the
//! registry, so neither can drift from the code.
//!
//! Each rule module stands on `rule` (what a built-in rule is), on the
//! judgement's state (`engine::state`) and on the rest of the crate, never
//! on the engine's stages that call it (`judgement`, `typing`, `evaluate`).
//! This module only lists them.

pub mod bundle_encoding;
pub mod bundle_keys;
pub mod bundle_readable;
pub mod bundle_submitted_on;
pub mod document_duplicate;
pub mod document_file;
pub mod document_holder;
pub mod document_type;
pub mod dossier_internal;
pub mod field_known;
pub mod field_type;
pub mod party_role;
mod rule;
pub mod waiver;

pub use rule::BuiltinRule;

/// Every built-in rule, in the order the reference lists them.
pub const REGISTRY: [&BuiltinRule; 14] = [
    &bundle_readable::RULE,
    &bundle_encoding::RULE,
    &bundle_keys::RULE,
    &bundle_submitted_on::RULE,
    &party_role::RULE,
    &document_type::RULE,
    &document_holder::RULE,
    &document_file::RULE,
    &document_duplicate::RULE,
    &field_type::RULE,
    &field_known::RULE,
    &dossier_internal::RULE,
    &waiver::EXPIRED,
    &waiver::UNUSED,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_is_registered_once() {
        for (index, rule) in REGISTRY.iter().enumerate() {
            let again = REGISTRY[index + 1..].iter().find(|r| r.id == rule.id);
            assert!(again.is_none(), "{} is registered twice", rule.id);
        }
    }

    #[test]
    fn every_rule_is_documented_in_both_languages() {
        for rule in REGISTRY {
            assert!(!rule.severities.is_empty(), "{}", rule.id);
            assert!(
                rule.severities.windows(2).all(|pair| pair[0] > pair[1]),
                "{}: severities worst first, once each",
                rule.id
            );
            for words in [rule.title, rule.checks, rule.why, rule.fix, rule.basis] {
                assert!(!words.zh.trim().is_empty(), "{}", rule.id);
                assert!(!words.en.trim().is_empty(), "{}", rule.id);
                assert!(
                    !words
                        .en
                        .chars()
                        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{}: Chinese prose in the English text: {}",
                    rule.id,
                    words.en
                );
                assert!(
                    words
                        .zh
                        .chars()
                        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{}: the Chinese text has no Chinese: {}",
                    rule.id,
                    words.zh
                );
            }
        }
    }
}

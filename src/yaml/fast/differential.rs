//! The fast reader held to the general one, for the tests and the
//! `yaml_fast` fuzz target.

use super::super::tree::ParseLimits;
use super::read_plain;

/// The check of `differential` (below) under a manifest's bounds, a rule
/// file's and tight ones (three levels, forty values, 24-byte values), so
/// that inputs reach every bound: the fuzz target's check. The first
/// difference is the `Err`.
pub fn differential_at_every_bound(text: &str) -> Result<bool, String> {
    let limits = crate::limits::Limits::default();
    let tight = ParseLimits {
        depth: 3,
        nodes: 40,
        scalar_bytes: 24,
    };
    let mut taken = false;
    for limits in [limits.manifest_parse(), limits.rule_file_parse(), tight] {
        taken |= differential(text, limits)?;
    }
    Ok(taken)
}

/// What the fuzz target and the differential tests hold this reader to:
/// `Ok(true)` when it read `text` and gave exactly what the general reader
/// gives, `Ok(false)` when it declined, `Err` (saying how) when it read the
/// text differently or read one the general reader refuses.
pub fn differential(text: &str, limits: ParseLimits) -> Result<bool, String> {
    let Some(fast) = read_plain(text, limits) else {
        return Ok(false);
    };
    match crate::yaml::parse::parse_general(text, limits) {
        Ok(general) if general == fast => Ok(true),
        Ok(general) => {
            let (fast, general) = (format!("{fast:#?}"), format!("{general:#?}"));
            let at = fast
                .lines()
                .zip(general.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            let window = |text: &str| {
                text.lines()
                    .skip(at.saturating_sub(6))
                    .take(8)
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            Err(format!(
                "different trees\nfast:\n{}\ngeneral:\n{}",
                window(&fast),
                window(&general)
            ))
        }
        Err(error) => Err(format!(
            "the general reader refuses ({error}) what the fast reader read: {fast:?}"
        )),
    }
}

//! The waiver file (`--waivers FILE`), `dossier.waivers/v1`.
//!
//! A waiver file is input too: it may come from a ticket system or a shared
//! drive, and a waiver turns a failure into a pass. It gets the manifest's
//! protections: read only when it is a regular file with one link (never a
//! FIFO, a device or a link) within `waiver_file_bytes`, parsed by the same
//! YAML reader (no anchors or aliases, no duplicate keys, bounded depth,
//! values and size), and every mistake is refused with its line and column.

use std::path::Path;

use chrono::NaiveDate;
use thiserror::Error;

use crate::confined::{Refusal, read_named_file};
use crate::domain::date::parse_date;
use crate::limits::Limits;
use crate::rules::RuleId;
use crate::yaml::{self, Node, Position};

/// One exception as the reviewer wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiver {
    /// The rule id it excepts.
    pub rule: RuleId,
    /// The bundle, as given on the command line; `*` matches any run of
    /// characters within one folder name (see [`super::bundle_matches`]).
    pub bundle: String,
    /// Only findings about this party key.
    pub holder: Option<String>,
    /// Only findings about this material.
    pub material: Option<String>,
    /// Only findings at this JSON Pointer or below it.
    pub path: Option<String>,
    /// Why the exception is justified (shown in every report).
    pub reason: String,
    /// Who approved it.
    pub approved_by: String,
    /// The last day (inclusive) the waiver applies, compared with the judging date.
    pub expires: NaiveDate,
    /// Line of the entry in the waiver file, for reports.
    pub line: usize,
}

/// The format tag a waiver file must carry.
pub const WAIVERS_FORMAT: &str = "dossier.waivers/v1";

const TOP_LEVEL_KEYS: [&str; 2] = ["format", "waivers"];
const WAIVER_KEYS: [&str; 8] = [
    "rule",
    "bundle",
    "holder",
    "material",
    "path",
    "reason",
    "approved_by",
    "expires",
];
const REQUIRED_KEYS: [&str; 5] = ["rule", "bundle", "reason", "approved_by", "expires"];

/// Why a waiver file was refused, with its place.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum WaiverError {
    /// Not opened, or not read to the end: not a file dossier reads.
    #[error("{file}: the waiver file {refusal}; not read")]
    Unreachable {
        /// The waiver file, as named.
        file: String,
        /// Why it was not read.
        refusal: Refusal,
    },
    /// The file is not a valid waiver file; the place says where.
    #[error("{file}:{line}:{column}: {message}")]
    Invalid {
        /// The waiver file, as named.
        file: String,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What is wrong there.
        message: String,
    },
}

/// Every waiver of a file, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Waivers {
    /// The file they came from, as named.
    pub file: String,
    /// The waivers, in file order.
    pub waivers: Vec<Waiver>,
}

impl Waivers {
    /// Reads the waiver file at `path` within the default limits.
    pub fn load(path: &Path) -> Result<Waivers, WaiverError> {
        Waivers::read(path, &Limits::default())
    }

    /// Reads the waiver file at `path` within `limits`.
    pub fn read(path: &Path, limits: &Limits) -> Result<Waivers, WaiverError> {
        let file = path.display().to_string();
        let bytes = read_named_file(path, limits.waiver_file_bytes).map_err(|refusal| {
            WaiverError::Unreachable {
                file: file.clone(),
                refusal,
            }
        })?;
        let text = String::from_utf8(bytes).map_err(|error| {
            let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
            WaiverError::Invalid {
                file: file.clone(),
                line: valid.iter().filter(|b| **b == b'\n').count() + 1,
                column: 1,
                message: "the waiver file is not valid UTF-8".into(),
            }
        })?;
        Waivers::parse_within(&file, &text, limits)
    }

    /// Parses waiver text (`file` names it in errors) within the default limits.
    pub fn parse(file: &str, text: &str) -> Result<Waivers, WaiverError> {
        Waivers::parse_within(file, text, &Limits::default())
    }

    /// Parses waiver text within `limits`: the file-free half of [`Waivers::read`].
    pub fn parse_within(file: &str, text: &str, limits: &Limits) -> Result<Waivers, WaiverError> {
        let reader = Reader { file };
        if text.len() as u64 > limits.waiver_file_bytes {
            return Err(WaiverError::Unreachable {
                file: file.to_string(),
                refusal: Refusal::TooLarge {
                    size: text.len() as u64,
                    limit: limits.waiver_file_bytes,
                },
            });
        }
        let root = yaml::parse(text, limits.waiver_parse()).map_err(|error| {
            let position = error.position().unwrap_or_default();
            let message = error.to_string();
            let message = message
                .strip_prefix(&format!("{position}: "))
                .unwrap_or(&message)
                .to_string();
            reader.invalid(position, message)
        })?;
        let entries = reader.keys(&root, &TOP_LEVEL_KEYS, "the waiver file")?;
        let format = reader.required(&root, &entries, "format", "the waiver file")?;
        if format.as_str() != Some(WAIVERS_FORMAT) {
            return Err(reader.invalid(format.position, format!("format must be {WAIVERS_FORMAT}")));
        }
        let list = reader.required(&root, &entries, "waivers", "the waiver file")?;
        let Some(items) = list.as_sequence() else {
            return Err(reader.invalid(
                list.position,
                format!("`waivers` must be a list, not a {}", list.kind_name()),
            ));
        };
        let waivers = items
            .iter()
            .enumerate()
            .map(|(index, item)| reader.waiver(index + 1, item))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Waivers {
            file: file.to_string(),
            waivers,
        })
    }
}

/// Reads the tree of one waiver file, naming the file in every error.
struct Reader<'f> {
    file: &'f str,
}

impl Reader<'_> {
    fn invalid(&self, position: Position, message: String) -> WaiverError {
        WaiverError::Invalid {
            file: self.file.to_string(),
            line: position.line.max(1),
            column: position.column.max(1),
            message,
        }
    }

    /// The keys of a map, each one of `allowed`.
    fn keys<'n>(
        &self,
        node: &'n Node,
        allowed: &[&str],
        what: &str,
    ) -> Result<Vec<(&'n str, &'n Node)>, WaiverError> {
        let Some(mapping) = node.as_mapping() else {
            return Err(self.invalid(
                node.position,
                format!("{what} must be a map, not a {}", node.kind_name()),
            ));
        };
        let mut keys = Vec::with_capacity(mapping.len());
        for (key, value) in mapping {
            let name = key.as_str().unwrap_or_default();
            if !allowed.contains(&name) {
                return Err(self.invalid(
                    key.position,
                    format!(
                        "unknown key `{name}` in {what}; expected one of: {}",
                        allowed.join(", ")
                    ),
                ));
            }
            keys.push((name, value));
        }
        Ok(keys)
    }

    fn required<'n>(
        &self,
        node: &Node,
        keys: &[(&str, &'n Node)],
        key: &str,
        what: &str,
    ) -> Result<&'n Node, WaiverError> {
        keys.iter()
            .find(|(name, _)| *name == key)
            .map(|(_, value)| *value)
            .ok_or_else(|| self.invalid(node.position, format!("{what} has no `{key}`")))
    }

    fn waiver(&self, number: usize, node: &Node) -> Result<Waiver, WaiverError> {
        let what = format!("waiver {number}");
        let keys = self.keys(node, &WAIVER_KEYS, &what)?;
        for key in REQUIRED_KEYS {
            self.required(node, &keys, key, &what)?;
        }
        let text = |key: &str| -> Result<Option<String>, WaiverError> {
            let Some((_, value)) = keys.iter().find(|(name, _)| *name == key) else {
                return Ok(None);
            };
            match value.as_str() {
                Some(text) if !text.trim().is_empty() => Ok(Some(text.to_string())),
                _ if value.as_scalar().is_some() => {
                    Err(self.invalid(value.position, format!("{what} has an empty `{key}`")))
                }
                _ => Err(self.invalid(
                    value.position,
                    format!(
                        "`{key}` of {what} must be text, not a {}",
                        value.kind_name()
                    ),
                )),
            }
        };
        let required = |key: &str| text(key).map(Option::unwrap_or_default);
        let expires_node = self.required(node, &keys, "expires", &what)?;
        let expires = parse_date(&required("expires")?).map_err(|error| {
            self.invalid(
                expires_node.position,
                format!("`expires` of {what}: {}", error.explain().en),
            )
        })?;
        Ok(Waiver {
            rule: RuleId::new(required("rule")?),
            bundle: required("bundle")?,
            holder: text("holder")?,
            material: text("material")?,
            path: text("path")?,
            reason: required("reason")?,
            approved_by: required("approved_by")?,
            expires,
            line: node.position.line,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "format: dossier.waivers/v1\nwaivers:\n  - rule: employee.age\n    bundle: bundles/*\n    reason: 实习协议\n    approved_by: 王审核\n    expires: 2025-12-31\n";

    fn refused(text: &str) -> (usize, usize, String) {
        match Waivers::parse("w.yaml", text) {
            Err(WaiverError::Invalid {
                line,
                column,
                message,
                ..
            }) => (line, column, message),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_waiver_file_reads_with_lines() {
        let waivers = Waivers::parse("w.yaml", FILE).unwrap();
        assert_eq!(waivers.waivers.len(), 1);
        assert_eq!(waivers.waivers[0].line, 3);
        assert_eq!(
            waivers.waivers[0].expires,
            NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()
        );
        let flow = "format: dossier.waivers/v1\nwaivers:\n  - {rule: a, bundle: b, reason: c, approved_by: d, expires: 2025-01-01}\n\n  - {rule: e, bundle: f, reason: g, approved_by: h, expires: 2025-01-01}\n";
        let lines: Vec<usize> = Waivers::parse("w.yaml", flow)
            .unwrap()
            .waivers
            .iter()
            .map(|w| w.line)
            .collect();
        assert_eq!(lines, [3, 5]);
    }

    #[test]
    fn mistakes_are_refused_with_their_place() {
        let unknown = FILE.replace("    reason:", "    reson: x\n    reason:");
        let (line, column, message) = refused(&unknown);
        assert_eq!((line, column), (5, 5));
        assert!(
            message.contains("unknown key `reson` in waiver 1"),
            "{message}"
        );
        let (line, _, message) = refused(&FILE.replace("    reason: 实习协议\n", ""));
        assert_eq!(line, 3);
        assert_eq!(message, "waiver 1 has no `reason`");
        let (line, _, message) = refused(&FILE.replace("2025-12-31", "2025-13-01"));
        assert_eq!(line, 7);
        assert!(message.contains("`expires` of waiver 1"), "{message}");
        let (line, column, message) = refused(&FILE.replace("实习协议", "\"\""));
        assert_eq!((line, column), (5, 13));
        assert_eq!(message, "waiver 1 has an empty `reason`");
        let (_, _, message) = refused(&FILE.replace("bundle: bundles/*", "bundle: [a]"));
        assert_eq!(message, "`bundle` of waiver 1 must be text, not a list");
        let (line, _, message) = refused(&FILE.replace("v1", "v2"));
        assert_eq!(line, 1);
        assert_eq!(message, "format must be dossier.waivers/v1");
        let (line, _, message) = refused(&format!("{FILE}waivers: []\n"));
        assert_eq!(line, 8);
        assert!(message.contains("appears twice"), "{message}");
    }

    #[test]
    fn anchors_and_aliases_are_refused_at_the_first() {
        let bomb = format!(
            "{FILE}  - &w {{rule: a, bundle: b, reason: c, approved_by: d, expires: 2025-01-01}}\n  - *w\n"
        );
        let (line, column, message) = refused(&bomb);
        assert_eq!((line, column), (8, 5));
        assert!(message.contains("anchors (&) and aliases (*)"), "{message}");
    }

    #[test]
    fn a_waiver_text_over_the_limit_is_refused_unparsed() {
        let limits = Limits {
            waiver_file_bytes: 64,
            ..Limits::default()
        };
        assert!(matches!(
            Waivers::parse_within("w.yaml", FILE, &limits),
            Err(WaiverError::Unreachable {
                refusal: Refusal::TooLarge { limit: 64, .. },
                ..
            })
        ));
    }
}

//! The waiver file (`--waivers FILE`), `dossier.waivers/v1`.

use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;
use thiserror::Error;

use crate::domain::date::parse_date;

/// One exception as the reviewer wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// The rule id it excepts.
    pub rule: String,
    /// The bundle, as given on the command line; `*` matches any run of characters.
    pub bundle: String,
    /// Only findings about this party key.
    #[serde(default)]
    pub holder: Option<String>,
    /// Only findings about this material.
    #[serde(default)]
    pub material: Option<String>,
    /// Only findings at this JSON Pointer or below it.
    #[serde(default)]
    pub path: Option<String>,
    /// Why the exception is justified (shown in every report).
    pub reason: String,
    /// Who approved it.
    pub approved_by: String,
    /// The last day (inclusive) the waiver applies, compared with the judging date.
    #[serde(deserialize_with = "date")]
    pub expires: NaiveDate,
    /// Line of the entry in the waiver file, for reports.
    #[serde(skip)]
    pub line: usize,
}

fn date<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    let text = String::deserialize(deserializer)?;
    parse_date(&text).map_err(serde::de::Error::custom)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WaiverFile {
    format: String,
    waivers: Vec<Waiver>,
}

/// The format tag a waiver file must carry.
pub const WAIVERS_FORMAT: &str = "dossier.waivers/v1";

/// Why a waiver file was refused, with its place.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum WaiverError {
    /// The file could not be read.
    #[error("{file}: cannot read: {message}")]
    Io {
        /// The waiver file, as named.
        file: String,
        /// Why it could not be read.
        message: String,
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
    /// Reads and checks the waiver file at `path`.
    pub fn load(path: &Path) -> Result<Waivers, WaiverError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| WaiverError::Io {
            file: file.clone(),
            message: e.to_string(),
        })?;
        Waivers::parse(&file, &text)
    }

    /// Checks the text of a waiver file named `file` (for messages).
    pub fn parse(file: &str, text: &str) -> Result<Waivers, WaiverError> {
        let invalid = |line: usize, column: usize, message: String| WaiverError::Invalid {
            file: file.to_string(),
            line,
            column,
            message,
        };
        let parsed: WaiverFile = serde_yaml::from_str(text).map_err(|error| {
            let (line, column) = error.location().map_or((1, 1), |l| (l.line(), l.column()));
            invalid(line, column, error.to_string())
        })?;
        if parsed.format != WAIVERS_FORMAT {
            return Err(invalid(
                1,
                1,
                format!("format must be {WAIVERS_FORMAT}, not {}", parsed.format),
            ));
        }
        // serde_yaml gives no positions for values that parsed; find each
        // entry's `- rule:` line so reports can cite it.
        let entry_lines: Vec<usize> = text
            .lines()
            .enumerate()
            .filter(|(_, l)| {
                l.trim_start().starts_with("- rule:") || l.trim_start().starts_with("- {")
            })
            .map(|(i, _)| i + 1)
            .collect();
        let mut waivers = parsed.waivers;
        for (index, waiver) in waivers.iter_mut().enumerate() {
            waiver.line = entry_lines.get(index).copied().unwrap_or(0);
            for (name, value) in [
                ("reason", &waiver.reason),
                ("approved_by", &waiver.approved_by),
                ("rule", &waiver.rule),
                ("bundle", &waiver.bundle),
            ] {
                if value.trim().is_empty() {
                    return Err(invalid(
                        waiver.line,
                        1,
                        format!("waiver {} has an empty `{name}`", index + 1),
                    ));
                }
            }
        }
        Ok(Waivers {
            file: file.to_string(),
            waivers,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "format: dossier.waivers/v1\nwaivers:\n  - rule: employee.age\n    bundle: bundles/*\n    reason: 实习协议\n    approved_by: 王审核\n    expires: 2025-12-31\n";

    #[test]
    fn a_waiver_file_reads_with_lines() {
        let waivers = Waivers::parse("w.yaml", FILE).unwrap();
        assert_eq!(waivers.waivers.len(), 1);
        assert_eq!(waivers.waivers[0].line, 3);
        assert_eq!(
            waivers.waivers[0].expires,
            NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()
        );
    }

    #[test]
    fn mistakes_are_refused_with_their_place() {
        let unknown = FILE.replace("    reason:", "    reson: x\n    reason:");
        assert!(matches!(
            Waivers::parse("w.yaml", &unknown),
            Err(WaiverError::Invalid { line: 5, .. })
        ));
        let no_reason = FILE.replace("    reason: 实习协议\n", "");
        assert!(Waivers::parse("w.yaml", &no_reason).is_err());
        let bad_date = FILE.replace("2025-12-31", "2025-13-01");
        assert!(Waivers::parse("w.yaml", &bad_date).is_err());
        let empty_reason = FILE.replace("实习协议", "\"\"");
        assert!(Waivers::parse("w.yaml", &empty_reason).is_err());
    }
}

//! `dossier rules diff` as text or Markdown: per operation, what was added,
//! removed or changed.

use std::fmt::Write;

use crate::rules::{Change, OperationDiff};

/// The differences as text (`markdown: false`) or Markdown.
pub fn rules_diff(diffs: &[OperationDiff], markdown: bool) -> String {
    let mut out = String::new();
    if diffs.is_empty() {
        out.push_str("no differences\n");
        return out;
    }
    if !markdown {
        out.push_str("(+ added, - removed, ~ changed)\n\n");
    }
    for diff in diffs {
        let versions = match &diff.versions {
            (None, Some(new)) => format!("added (version {new})"),
            (Some(old), None) => format!("removed (was version {old})"),
            (Some(old), Some(new)) if old != new => format!("version {old} → {new}"),
            (Some(version), Some(_)) => format!("version {version}"),
            (None, None) => String::new(),
        };
        if markdown {
            let _ = writeln!(out, "## `{}` — {versions}\n", diff.id);
        } else {
            let _ = writeln!(out, "{} — {versions}", diff.id);
        }
        for (title, changes) in [
            ("materials", &diff.materials),
            ("fields", &diff.fields),
            ("rules", &diff.rules),
        ] {
            if changes.is_empty() {
                continue;
            }
            if markdown {
                let _ = writeln!(out, "### {title}\n");
            } else {
                let _ = writeln!(out, "  {title}:");
            }
            for change in changes {
                let line = describe(change, markdown);
                if markdown {
                    let _ = writeln!(out, "- {line}");
                } else {
                    let _ = writeln!(out, "    {line}");
                }
            }
            if markdown {
                out.push('\n');
            }
        }
        if !markdown {
            out.push('\n');
        }
    }
    out
}

fn describe(change: &Change, markdown: bool) -> String {
    let name = |n: &str| {
        if markdown {
            format!("`{n}`")
        } else {
            n.to_string()
        }
    };
    let (added, removed, changed) = if markdown {
        ("**added**", "**removed**", "**changed**")
    } else {
        ("+", "-", "~")
    };
    match change {
        Change::Added(n) => format!("{added} {}", name(n)),
        Change::Removed(n) => format!("{removed} {}", name(n)),
        Change::Changed(n, aspects) => format!("{changed} {}: {}", name(n), aspects.join(", ")),
    }
}

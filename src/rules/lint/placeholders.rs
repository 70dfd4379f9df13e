//! A message's placeholders: `{}` quotes nothing, and a value quoted in one
//! language but not the other means one reader is told less than the other.

use std::collections::BTreeSet;

use super::Problem;
use crate::lang::Localized;
use crate::rules::error::LoadErrorKind;
use crate::rules::read_operation::placeholders_of;
use crate::yaml::Node;

/// Problems of the message `text` written at `node` (`{ zh: …, en: … }`).
pub fn check_placeholders(text: &Localized, node: &Node) -> Vec<Problem> {
    let mut problems = Vec::new();
    let at = |language: &str| node.get(language).map_or(node.position, |n| n.position);
    let mut quoted: Vec<BTreeSet<String>> = Vec::new();
    for (language, template) in [("zh", &text.zh), ("en", &text.en)] {
        let placeholders = placeholders_of(template);
        if placeholders.iter().any(|p| p.is_empty()) {
            problems.push(Problem {
                position: at(language),
                kind: LoadErrorKind::Lint {
                    message: "`{}` quotes nothing: a placeholder names the value to quote".into(),
                    hint: Some("write e.g. `{doc.name}`, or `{{}}` for literal braces".into()),
                },
            });
        }
        quoted.push(placeholders.iter().map(|p| p.replace(' ', "")).collect());
    }
    let (zh, en) = (&quoted[0], &quoted[1]);
    for (language, missing) in [("zh", en.difference(zh)), ("en", zh.difference(en))] {
        let missing: Vec<String> = missing
            .filter(|p| !p.is_empty())
            .map(|p| format!("{{{p}}}"))
            .collect();
        if !missing.is_empty() {
            problems.push(Problem {
                position: at(language),
                kind: LoadErrorKind::Lint {
                    message: format!(
                        "the {language} text does not quote {}, which the other language's text does",
                        missing.join(", ")
                    ),
                    hint: Some("both languages quote the same values".into()),
                },
            });
        }
    }
    problems
}

//! YAML text into a [`Node`] tree, with refusals that say where and why.

use thiserror::Error;

use super::fast::read_plain;
use super::mistake::{Mistake, explain_syntax, find_mistake};
use super::node::{Node, Position};
use super::tree::{ParseLimits, TreeError, read_tree};
use crate::lang::Localized;

/// Why a YAML text was refused. Every variant says where.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseError {
    #[error("{position}: {message}")]
    Syntax { position: Position, message: String },
    /// A typing mistake (full-width colon or space, tab) found at its own
    /// place; `detail` is what the reader said where it stopped.
    #[error("{position}: {mistake:?} ({detail})")]
    Mistake {
        mistake: Mistake,
        position: Position,
        detail: String,
    },
    #[error("{position}: anchors (&) and aliases (*) are not accepted here")]
    AnchorOrAlias { position: Position },
    #[error("{position}: key `{key}` appears twice (first at line {first_line})")]
    DuplicateKey {
        key: String,
        position: Position,
        first_line: usize,
    },
    #[error("{position}: keys must be plain text, not lists or maps")]
    ComplexKey { position: Position },
    #[error("{position}: nested deeper than {limit} levels")]
    TooDeep { position: Position, limit: usize },
    #[error("{position}: more than {limit} values in one file")]
    TooManyNodes { position: Position, limit: usize },
    #[error("{position}: a value longer than {limit} bytes")]
    ValueTooLong { position: Position, limit: usize },
    #[error("{position}: more than one YAML document in one file")]
    MultipleDocuments { position: Position },
    #[error("the file holds no YAML document")]
    Empty,
}

impl ParseError {
    pub fn position(&self) -> Option<Position> {
        match self {
            ParseError::Syntax { position, .. }
            | ParseError::Mistake { position, .. }
            | ParseError::AnchorOrAlias { position }
            | ParseError::DuplicateKey { position, .. }
            | ParseError::ComplexKey { position }
            | ParseError::TooDeep { position, .. }
            | ParseError::TooManyNodes { position, .. }
            | ParseError::ValueTooLong { position, .. }
            | ParseError::MultipleDocuments { position } => Some(*position),
            ParseError::Empty => None,
        }
    }

    /// What is wrong, without the place, in both languages.
    pub fn explain(&self) -> Localized {
        match self {
            ParseError::Syntax { message, .. } => explain_syntax(message),
            ParseError::Mistake { mistake, .. } => mistake.describe(),
            ParseError::AnchorOrAlias { .. } => Localized::new(
                "不接受锚点(&)和别名(*)",
                "anchors (&) and aliases (*) are not accepted here",
            ),
            ParseError::DuplicateKey {
                key, first_line, ..
            } => Localized::new(
                format!("键 `{key}` 出现了两次(第一次在第 {first_line} 行)"),
                format!("key `{key}` appears twice (first at line {first_line})"),
            ),
            ParseError::ComplexKey { .. } => Localized::new(
                "键必须是普通文本,不能是列表或映射",
                "keys must be plain text, not lists or maps",
            ),
            ParseError::TooDeep { limit, .. } => Localized::new(
                format!("嵌套超过 {limit} 层"),
                format!("nested deeper than {limit} levels"),
            ),
            ParseError::TooManyNodes { limit, .. } => Localized::new(
                format!("一个文件中的值超过 {limit} 个"),
                format!("more than {limit} values in one file"),
            ),
            ParseError::ValueTooLong { limit, .. } => Localized::new(
                format!("有一个值超过 {limit} 字节"),
                format!("a value longer than {limit} bytes"),
            ),
            ParseError::MultipleDocuments { .. } => Localized::new(
                "一个文件中有不止一个 YAML 文档(`---`)",
                "more than one YAML document in one file",
            ),
            ParseError::Empty => {
                Localized::new("文件中没有 YAML 内容", "the file holds no YAML document")
            }
        }
    }

    /// How to fix a typing mistake, when the error is one.
    pub fn fix(&self) -> Option<Localized> {
        match self {
            ParseError::Mistake { mistake, .. } => Some(mistake.fix()),
            _ => None,
        }
    }
}

impl From<TreeError> for ParseError {
    fn from(error: TreeError) -> ParseError {
        match error {
            TreeError::Syntax { position, message } => ParseError::Syntax { position, message },
            TreeError::AnchorOrAlias { position } => ParseError::AnchorOrAlias { position },
            TreeError::DuplicateKey {
                key,
                position,
                first_line,
            } => ParseError::DuplicateKey {
                key,
                position,
                first_line,
            },
            TreeError::ComplexKey { position } => ParseError::ComplexKey { position },
            TreeError::TooDeep { position, limit } => ParseError::TooDeep { position, limit },
            TreeError::TooManyNodes { position, limit } => {
                ParseError::TooManyNodes { position, limit }
            }
            TreeError::ValueTooLong { position, limit } => {
                ParseError::ValueTooLong { position, limit }
            }
            TreeError::MultipleDocuments { position } => ParseError::MultipleDocuments { position },
            TreeError::Empty => ParseError::Empty,
        }
    }
}

/// Parses one YAML document (JSON included) into a positioned tree.
///
/// A leading UTF-8 byte order mark is ignored. Stops at the first problem, so
/// a hostile file costs no more than the limits allow; a syntax error caused
/// by a typing mistake is reported as that mistake, at its own place.
///
/// A text in the plain block subset that manifests use is read by
/// [`read_plain`](super::fast::read_plain), which gives the very tree the
/// general reader gives; anything else, and every refusal, is the general
/// reader's.
pub fn parse(text: &str, limits: ParseLimits) -> Result<Node, ParseError> {
    match read_plain(text, limits) {
        Some(root) => Ok(root),
        None => parse_general(text, limits),
    }
}

/// [`parse`] by saphyr-parser alone.
pub(super) fn parse_general(text: &str, limits: ParseLimits) -> Result<Node, ParseError> {
    read_tree(text, limits).map_err(|error| match error {
        TreeError::Syntax { position, message } => {
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            match find_mistake(text, position.line) {
                Some((mistake, position)) => ParseError::Mistake {
                    mistake,
                    position,
                    detail: message,
                },
                None => ParseError::Syntax { position, message },
            }
        }
        other => other.into(),
    })
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::node::ScalarStyle;
    use super::super::tree::SCANNED_KEYS;
    use super::*;

    /// Small limits, for tests of the tree's readers.
    pub(in crate::yaml) const LIMITS: ParseLimits = ParseLimits {
        depth: 8,
        nodes: 1000,
        scalar_bytes: 100,
    };

    #[test]
    fn values_keep_their_lines_and_columns() {
        let root = parse("a: 1\nlist:\n  - x: \"quoted\"\n    y: 0123\n", LIMITS).unwrap();
        let quoted = root.pointer("/list/0/x").unwrap();
        assert_eq!(quoted.position, Position { line: 3, column: 8 });
        assert_eq!(quoted.as_scalar().unwrap().style, ScalarStyle::Quoted);
        let plain = root.pointer("/list/0/y").unwrap();
        assert_eq!(plain.as_str(), Some("0123"));
        assert_eq!(plain.position.line, 4);
    }

    #[test]
    fn json_is_read_too() {
        let root = parse("{\"a\": {\"b\": [1, \"two\"]}}", LIMITS).unwrap();
        assert_eq!(root.pointer("/a/b/1").unwrap().as_str(), Some("two"));
    }

    #[test]
    fn byte_order_mark_is_ignored() {
        let root = parse("\u{feff}a: 1\n", LIMITS).unwrap();
        assert_eq!(root.get("a").unwrap().as_str(), Some("1"));
    }

    #[test]
    fn anchors_and_aliases_are_refused() {
        let error = parse("a: &x 1\nb: *x\n", LIMITS).unwrap_err();
        assert_eq!(
            error,
            ParseError::AnchorOrAlias {
                position: Position { line: 1, column: 4 }
            }
        );
        assert!(matches!(
            parse("a: [*x]", LIMITS),
            Err(ParseError::Syntax { .. } | ParseError::AnchorOrAlias { .. })
        ));
    }

    #[test]
    fn alias_bomb_is_refused_at_the_first_anchor() {
        let mut bomb = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (name, previous) in ["b", "c", "d", "e", "f", "g", "h", "i"]
            .iter()
            .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
        {
            bomb.push_str(&format!("{name}: &{name} [*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous}]\n"));
        }
        assert!(matches!(
            parse(&bomb, LIMITS),
            Err(ParseError::AnchorOrAlias { .. })
        ));
    }

    #[test]
    fn duplicate_keys_name_both_lines() {
        let error = parse("a: 1\nb: 2\na: 3\n", LIMITS).unwrap_err();
        assert_eq!(
            error,
            ParseError::DuplicateKey {
                key: "a".into(),
                position: Position { line: 3, column: 1 },
                first_line: 1
            }
        );
    }

    /// Small mappings are scanned, larger ones indexed: a duplicate is found
    /// with its first line either side of the switch.
    #[test]
    fn duplicates_are_found_whether_scanned_or_indexed() {
        for keys in [SCANNED_KEYS - 1, SCANNED_KEYS, SCANNED_KEYS + 1, 40] {
            let mut text: String = (0..keys).map(|i| format!("k{i}: {i}\n")).collect();
            for (repeated, first_line) in [(0, 1), (keys - 1, keys)] {
                let with_duplicate = format!("{text}k{repeated}: again\n");
                let error = parse(&with_duplicate, LIMITS).unwrap_err();
                assert_eq!(
                    error,
                    ParseError::DuplicateKey {
                        key: format!("k{repeated}"),
                        position: Position {
                            line: keys + 1,
                            column: 1
                        },
                        first_line
                    },
                    "{keys} keys"
                );
            }
            text.push_str("last: 1\n");
            assert!(parse(&text, LIMITS).is_ok(), "{keys} keys");
        }
    }

    #[test]
    fn deep_nesting_stops_early() {
        let error = parse(&"[".repeat(20), LIMITS).unwrap_err();
        assert!(
            matches!(error, ParseError::TooDeep { limit: 8, .. }),
            "{error:?}"
        );
        // The scanner has its own recursion bound, far below what would hurt.
        let error = parse(&"[".repeat(1_000_000), LIMITS).unwrap_err();
        assert!(error.position().is_some(), "{error:?}");
    }

    #[test]
    fn syntax_errors_carry_a_position() {
        let error = parse("a: 1\nb: \"unclosed\n", LIMITS).unwrap_err();
        let position = error.position().unwrap();
        assert!(position.line >= 2, "{error}");
    }

    #[test]
    fn long_values_and_many_nodes_are_bounded() {
        let long = format!("a: {}\n", "x".repeat(200));
        assert!(matches!(
            parse(&long, LIMITS),
            Err(ParseError::ValueTooLong { .. })
        ));
        let many = format!("[{}]", vec!["1"; 2000].join(","));
        assert!(matches!(
            parse(&many, LIMITS),
            Err(ParseError::TooManyNodes { .. })
        ));
    }

    #[test]
    fn a_flat_map_of_many_keys_is_read_in_linear_time() {
        let limits = ParseLimits {
            depth: 8,
            nodes: 200_000,
            scalar_bytes: 100,
        };
        let flat: String = (0..50_000).map(|i| format!("k{i}: 1\n")).collect();
        let started = std::time::Instant::now();
        let root = parse(&flat, limits).unwrap();
        assert_eq!(root.as_mapping().unwrap().len(), 50_000);
        // Quadratic duplicate checks took tens of seconds here.
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        let duplicate = format!("{flat}k7: 2\n");
        assert!(matches!(
            parse(&duplicate, limits),
            Err(ParseError::DuplicateKey { first_line: 8, .. })
        ));
    }

    #[test]
    fn second_document_is_refused() {
        assert!(matches!(
            parse("a: 1\n---\nb: 2\n", LIMITS),
            Err(ParseError::MultipleDocuments { .. })
        ));
    }

    #[test]
    fn explicit_string_tag_counts_as_quoted() {
        let root = parse("a: !!str 0123\n", LIMITS).unwrap();
        assert_eq!(
            root.get("a").unwrap().as_scalar().unwrap().style,
            ScalarStyle::Quoted
        );
    }
}

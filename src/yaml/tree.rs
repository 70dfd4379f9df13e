//! The one converter from saphyr-parser's events to a [`Node`] tree, within
//! limits. It depends on nothing but saphyr-parser and `node.rs`, so the
//! build script includes this very file (`#[path]`) to pre-parse the
//! embedded rule files; what a refusal means to a person (typing mistakes,
//! both languages) is added by `parse.rs`.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScanError, Span};

use super::node::{Node, NodeValue, Position, Scalar, ScalarStyle};

/// What a YAML text may cost to read.
#[derive(Debug, Clone, Copy)]
pub struct ParseLimits {
    pub depth: usize,
    pub nodes: usize,
    pub scalar_bytes: usize,
}

/// Why the events of a text make no tree: `parse.rs` turns each into the
/// [`ParseError`](super::ParseError) of the same name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TreeError {
    Syntax {
        position: Position,
        message: String,
    },
    AnchorOrAlias {
        position: Position,
    },
    DuplicateKey {
        key: String,
        position: Position,
        first_line: usize,
    },
    ComplexKey {
        position: Position,
    },
    TooDeep {
        position: Position,
        limit: usize,
    },
    TooManyNodes {
        position: Position,
        limit: usize,
    },
    ValueTooLong {
        position: Position,
        limit: usize,
    },
    MultipleDocuments {
        position: Position,
    },
    Empty,
}

fn position_of(span: &Span) -> Position {
    Position {
        line: span.start.line(),
        column: span.start.col() + 1,
    }
}

impl From<ScanError> for TreeError {
    fn from(error: ScanError) -> TreeError {
        TreeError::Syntax {
            position: Position {
                line: error.marker().line(),
                column: error.marker().col() + 1,
            },
            message: error.info().to_string(),
        }
    }
}

/// A collection being filled while its events arrive. A mapping of more
/// than [`SCANNED_KEYS`] keys keeps its keys' first lines by text, so a
/// duplicate is found in constant time: a flat map of 50 000 keys must not
/// cost a quadratic scan. A smaller one (a manifest's are) is scanned: no
/// copy of each key, no hashing.
enum Open {
    Sequence(Vec<Node>, Position),
    Mapping(
        Vec<(Node, Node)>,
        Option<Node>,
        Position,
        Option<HashMap<String, usize>>,
    ),
}

/// The most keys a mapping holds before its keys are indexed.
pub const SCANNED_KEYS: usize = 16;

/// The first line of `key` among the keys of `pairs`, indexing them in
/// `seen` once there are more than [`SCANNED_KEYS`].
fn first_line_of(
    key: &str,
    pairs: &[(Node, Node)],
    seen: &mut Option<HashMap<String, usize>>,
) -> Option<usize> {
    fn text(node: &Node) -> Option<&str> {
        node.as_scalar().map(|s| s.text.as_str())
    }
    if seen.is_none() && pairs.len() >= SCANNED_KEYS {
        let index = pairs
            .iter()
            .filter_map(|(k, _)| Some((text(k)?.to_string(), k.position.line)))
            .collect();
        *seen = Some(index);
    }
    match seen {
        Some(index) => index.get(key).copied(),
        None => pairs
            .iter()
            .find(|(k, _)| text(k) == Some(key))
            .map(|(k, _)| k.position.line),
    }
}

/// One YAML document (JSON included) as a positioned tree; a leading UTF-8
/// byte order mark is ignored. Stops at the first problem, so a hostile
/// text costs no more than the limits allow.
pub fn read_tree(text: &str, limits: ParseLimits) -> Result<Node, TreeError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut stack: Vec<Open> = Vec::new();
    let mut root: Option<Node> = None;
    let mut nodes = 0usize;
    let mut documents = 0usize;

    for event in Parser::new_from_str(text) {
        let (event, span) = event?;
        let position = position_of(&span);
        let finished = match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => None,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(TreeError::MultipleDocuments { position });
                }
                None
            }
            Event::Alias(_) => return Err(TreeError::AnchorOrAlias { position }),
            Event::Scalar(text, style, anchor, tag) => {
                if anchor != 0 {
                    return Err(TreeError::AnchorOrAlias { position });
                }
                if text.len() > limits.scalar_bytes {
                    return Err(TreeError::ValueTooLong {
                        position,
                        limit: limits.scalar_bytes,
                    });
                }
                let explicit_string = tag
                    .as_ref()
                    .is_some_and(|t| t.is_yaml_core_schema() && t.suffix == "str");
                let style = match style {
                    _ if explicit_string => ScalarStyle::Quoted,
                    saphyr_parser::ScalarStyle::Plain => ScalarStyle::Plain,
                    saphyr_parser::ScalarStyle::SingleQuoted
                    | saphyr_parser::ScalarStyle::DoubleQuoted => ScalarStyle::Quoted,
                    _ => ScalarStyle::Block,
                };
                Some(Node {
                    value: NodeValue::Scalar(Scalar {
                        text: text.into_owned(),
                        style,
                    }),
                    position,
                })
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if anchor != 0 {
                    return Err(TreeError::AnchorOrAlias { position });
                }
                if stack.len() >= limits.depth {
                    return Err(TreeError::TooDeep {
                        position,
                        limit: limits.depth,
                    });
                }
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Open::Sequence(Vec::new(), position)
                } else {
                    Open::Mapping(Vec::new(), None, position, None)
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Open::Sequence(items, start)) => Some(Node {
                    value: NodeValue::Sequence(items),
                    position: start,
                }),
                Some(Open::Mapping(pairs, _, start, _)) => Some(Node {
                    value: NodeValue::Mapping(pairs),
                    position: start,
                }),
                None => None,
            },
        };
        let Some(node) = finished else { continue };
        nodes += 1;
        if nodes > limits.nodes {
            return Err(TreeError::TooManyNodes {
                position,
                limit: limits.nodes,
            });
        }
        match stack.last_mut() {
            None => root = Some(node),
            Some(Open::Sequence(items, _)) => items.push(node),
            Some(Open::Mapping(pairs, pending_key, _, seen)) => match pending_key.take() {
                None => {
                    let Some(key) = node.as_scalar() else {
                        return Err(TreeError::ComplexKey {
                            position: node.position,
                        });
                    };
                    if let Some(first_line) = first_line_of(&key.text, pairs, seen) {
                        return Err(TreeError::DuplicateKey {
                            key: key.text.clone(),
                            position: node.position,
                            first_line,
                        });
                    }
                    if let Some(index) = seen {
                        index.insert(key.text.clone(), node.position.line);
                    }
                    *pending_key = Some(node);
                }
                Some(key) => pairs.push((key, node)),
            },
        }
    }
    root.ok_or(TreeError::Empty)
}

//! Reading rule files key by key, collecting every problem instead of
//! stopping at the first, so a rule author sees all mistakes in one run.

use super::error::{LoadError, LoadErrorKind};
use crate::domain::is_unsafe;
use crate::lang::Localized;
use crate::yaml::{Node, NodeValue, Position};

/// Where problems of one file are collected.
pub struct FileErrors<'e> {
    pub file: &'e str,
    pub errors: &'e mut Vec<LoadError>,
}

impl FileErrors<'_> {
    pub fn push(&mut self, position: Position, kind: LoadErrorKind) {
        self.errors
            .push(LoadError::new(self.file, Some(position), kind));
    }

    pub fn wrong_type(&mut self, node: &Node, expected: &str) {
        self.push(
            node.position,
            LoadErrorKind::WrongType {
                expected: expected.to_string(),
                found: node.kind_name().to_string(),
            },
        );
    }

    /// A non-empty text value.
    pub fn text(&mut self, node: &Node) -> Option<String> {
        match node.as_str() {
            Some(text) if !text.trim().is_empty() => Some(text.to_string()),
            _ => {
                self.wrong_type(node, "text");
                None
            }
        }
    }

    /// A list of texts; a single text counts as a list of one.
    pub fn texts(&mut self, node: &Node) -> Option<Vec<(String, Position)>> {
        if let Some(text) = node.as_str() {
            return Some(vec![(text.to_string(), node.position)]);
        }
        let Some(items) = node.as_sequence() else {
            self.wrong_type(node, "text or a list of texts");
            return None;
        };
        let mut out = Vec::new();
        for item in items {
            out.push((self.text(item)?, item.position));
        }
        Some(out)
    }

    /// A text shown to people as written (a title, message, hint or
    /// citation). A character that would act on a terminal or a page instead
    /// of being shown (an ESC sequence, a bidirectional override, a
    /// zero-width mark) is refused here, once, rather than escaped by each
    /// of the eight renderings; line breaks and tabs are kept.
    pub fn shown_text(&mut self, node: &Node) -> Option<String> {
        let text = self.text(node)?;
        if let Some(c) = text
            .chars()
            .find(|&c| c != '\n' && c != '\t' && is_unsafe(c))
        {
            self.push(
                node.position,
                LoadErrorKind::Invalid(format!(
                    "the text holds the invisible character U+{:04X}, which would act on \
                     a terminal or a page instead of being shown; remove it",
                    c as u32
                )),
            );
            return None;
        }
        Some(text)
    }

    /// `{ zh: …, en: … }`, both required.
    pub fn localized(&mut self, node: &Node) -> Option<Localized> {
        let mut map = MapReader::new(self, node)?;
        let zh = map.required(self, "zh");
        let en = map.required(self, "en");
        map.finish(self);
        let zh = zh.and_then(|n| self.shown_text(n));
        let en = en.and_then(|n| self.shown_text(n));
        Some(Localized::new(zh?, en?))
    }

    /// A citation: `{ zh: …, en: … }`, or one text that reads the same in
    /// both languages (a law's title and article, a document's title).
    pub fn citation(&mut self, node: &Node) -> Option<Localized> {
        match node.as_str() {
            Some(_) => self
                .shown_text(node)
                .map(|text| Localized::new(text.clone(), text)),
            None => self.localized(node),
        }
    }

    pub fn unsigned(&mut self, node: &Node) -> Option<u32> {
        match node.as_str().and_then(|t| t.parse::<u32>().ok()) {
            Some(value) => Some(value),
            None => {
                self.wrong_type(node, "a whole number");
                None
            }
        }
    }
}

/// Reads the keys of one mapping and reports the ones nobody asked for.
pub struct MapReader<'n> {
    node: &'n Node,
    pairs: &'n [(Node, Node)],
    asked: Vec<&'static str>,
}

impl<'n> MapReader<'n> {
    pub fn new(errors: &mut FileErrors<'_>, node: &'n Node) -> Option<MapReader<'n>> {
        match &node.value {
            NodeValue::Mapping(pairs) => Some(MapReader {
                node,
                pairs,
                asked: Vec::new(),
            }),
            _ => {
                errors.wrong_type(node, "a map");
                None
            }
        }
    }

    pub fn position(&self) -> Position {
        self.node.position
    }

    pub fn optional(&mut self, key: &'static str) -> Option<&'n Node> {
        self.asked.push(key);
        self.node.get(key).filter(|n| !n.is_null())
    }

    pub fn required(&mut self, errors: &mut FileErrors<'_>, key: &'static str) -> Option<&'n Node> {
        let node = self.optional(key);
        if node.is_none() {
            errors.push(
                self.node.position,
                LoadErrorKind::MissingKey(key.to_string()),
            );
        }
        node
    }

    /// Reports every key that was not asked for.
    pub fn finish(self, errors: &mut FileErrors<'_>) {
        for (key, _) in self.pairs {
            let name = key.as_str().unwrap_or_default();
            if !self.asked.contains(&name) {
                errors.push(
                    key.position,
                    LoadErrorKind::UnknownKey {
                        key: name.to_string(),
                        expected: self.asked.join(", "),
                    },
                );
            }
        }
    }
}

/// The entries of a mapping whose keys are names (`roles:`, `materials:`).
pub fn named_entries<'n>(
    errors: &mut FileErrors<'_>,
    node: &'n Node,
) -> Vec<(String, &'n Node, Position)> {
    match node.as_mapping() {
        Some(pairs) => pairs
            .iter()
            .map(|(k, v)| (k.as_str().unwrap_or_default().to_string(), v, k.position))
            .collect(),
        None => {
            errors.wrong_type(node, "a map of names");
            Vec::new()
        }
    }
}

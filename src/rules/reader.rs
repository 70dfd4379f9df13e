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
        if let Some(c) = first_unsafe(&text) {
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

/// The first character of `text` that [`is_unsafe`] refuses, line breaks
/// and tabs aside. Only a character whose UTF-8 form begins with one of the
/// bytes [`may_begin_unsafe`] accepts is decoded and looked at: in Chinese
/// text, almost none.
fn first_unsafe(text: &str) -> Option<char> {
    const CHUNK: usize = 32;
    let bytes = text.as_bytes();
    // Whole chunks are screened without branching on each byte (the
    // compiler turns the fold into vector instructions).
    let clean = |chunk: &[u8]| {
        !chunk
            .iter()
            .fold(false, |any, &b| any | may_begin_unsafe(b))
    };
    let mut start = 0;
    while start < bytes.len() {
        let end = (start + CHUNK).min(bytes.len());
        if !clean(&bytes[start..end]) {
            let found = (start..end)
                .filter(|&at| may_begin_unsafe(bytes[at]))
                // A byte that may begin a character is one that begins it
                // (ASCII or a leading byte, never a continuation byte), so
                // `at` is a boundary.
                .filter_map(|at| text[at..].chars().next())
                .find(|&c| c != '\n' && c != '\t' && is_unsafe(c));
            if found.is_some() {
                return found;
            }
        }
        start = end;
    }
    None
}

/// Whether `byte` may be the first byte of a character [`is_unsafe`]
/// refuses: C0 controls and DEL; `C2` (C1 controls, U+0080..U+009F); `D8`
/// (U+061C); `E2` (U+2000..U+2FFF: zero-width marks, bidirectional
/// controls, line and paragraph separators, U+2060); `EF` (U+FEFF). A test
/// checks every character against it.
fn may_begin_unsafe(byte: u8) -> bool {
    (byte < 0x20)
        | (byte == 0x7F)
        | (byte == 0xC2)
        | (byte == 0xD8)
        | (byte == 0xE2)
        | (byte == 0xEF)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte filter lets through the first byte of every character
    /// `is_unsafe` refuses, so `first_unsafe` finds what a scan of every
    /// character finds.
    #[test]
    fn every_unsafe_character_begins_with_a_byte_the_filter_lets_through() {
        let mut buffer = [0; 4];
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            if is_unsafe(c) {
                let first = c.encode_utf8(&mut buffer).as_bytes()[0];
                assert!(may_begin_unsafe(first), "U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn the_first_unsafe_character_is_found_wherever_it_is() {
        let scan = |text: &str| {
            text.chars()
                .find(|&c| c != '\n' && c != '\t' && is_unsafe(c))
        };
        for text in [
            "营业执照\n\t“名称”—…",
            "a\u{202E}b\u{200B}",
            "名\u{0085}称",
            "\u{FEFF}x",
            "x\u{061C}",
            "\u{1B}[31m",
            "\u{7F}",
            "\u{2028}\u{2066}",
            "ÿ é ß",
            "",
            &"营业执照“名称”\n".repeat(20),
            &format!("{}\u{202E}", "执照—".repeat(11)),
            &format!("{}\u{200B}{}", "a".repeat(31), "b".repeat(40)),
        ] {
            assert_eq!(first_unsafe(text), scan(text), "{text:?}");
        }
    }
}

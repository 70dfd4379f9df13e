//! A reader for the plain block YAML that manifests are written in, which
//! builds the [`Node`] tree straight from the bytes.
//!
//! saphyr-parser's scanner is the largest single cost of reading a manifest
//! (its plain-scalar scan, token queue and per-event allocations). Real
//! manifests use a small part of YAML: block maps and lists, one-line plain
//! or quoted scalars without escapes, one-line flow maps and lists of
//! scalars, comments and blank lines, an optional leading `---`. This reader
//! takes exactly that and **declines** (`None`) at the first byte it is not
//! sure about: any other construct, any unusual indentation, anything that
//! would be an error or exceed a [`ParseLimits`] bound. `parse.rs` then reads
//! the whole text with saphyr-parser from the start, so every refusal and
//! every unusual document comes from the one general reader, and what this
//! reader returns is exactly the tree that reader builds (values, styles,
//! lines and columns; held to it by a differential test and a fuzz target).

use std::collections::HashSet;

use super::node::{Node, NodeValue, Position, Scalar, ScalarStyle};
use super::tree::{ParseLimits, SCANNED_KEYS};

mod characters;
mod differential;
#[cfg(test)]
mod tests;

use characters::{indicator, plain_characters};
#[cfg(test)]
use differential::differential;
pub use differential::differential_at_every_bound;

/// Not in this reader's subset: the general reader decides.
struct Decline;

type Read<T> = Result<T, Decline>;

/// The longest implicit key taken, in bytes: YAML bounds a simple key at
/// 1024 characters, and a byte count below that is below it in characters.
const LONGEST_KEY: usize = 1000;

/// The tree of `text` when it lies wholly in this reader's subset and within
/// `limits`; `None` when the general reader must read it. A leading byte
/// order mark is ignored, as the general reader ignores it.
pub fn read_plain(text: &str, limits: ParseLimits) -> Option<Node> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !plain_characters(text.as_bytes()) {
        return None;
    }
    let mut reader = Reader {
        bytes: text.as_bytes(),
        text,
        limits,
        at: 0,
        line: 1,
        line_start: 0,
        indent: 0,
        end: false,
        marker_allowed: true,
        nodes: 0,
        counted: (0, 0),
        open: 0,
    };
    reader.document().ok()
}

/// Declines a key already in `pairs` (the general reader refuses it with
/// both lines). Like the general reader, a small map is scanned and a larger
/// one indexed, so a flat map of many keys costs linear time.
fn refuse_duplicate(
    pairs: &[(Node, Node)],
    key: &Node,
    index: &mut Option<HashSet<String>>,
) -> Read<()> {
    fn text(node: &Node) -> &str {
        node.as_scalar().map_or("", |s| s.text.as_str())
    }
    let key = text(key);
    if index.is_none() && pairs.len() >= SCANNED_KEYS {
        *index = Some(pairs.iter().map(|(k, _)| text(k).to_string()).collect());
    }
    let fresh = match index {
        Some(index) => index.insert(key.to_string()),
        None => pairs.iter().all(|(k, _)| text(k) != key),
    };
    if fresh { Ok(()) } else { Err(Decline) }
}

/// What a block entry starts with: a key (its `:` consumed) or a value.
enum Entry {
    Key(Node),
    Value(Node),
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    limits: ParseLimits,
    /// The byte being read.
    at: usize,
    /// The 1-based line of `at`, and where that line starts.
    line: usize,
    line_start: usize,
    /// The indentation of the content line `at` stands on (after `next_line`).
    indent: usize,
    /// No content line is left.
    end: bool,
    /// A `---` line may still open the document.
    marker_allowed: bool,
    nodes: usize,
    /// A byte offset on the current line and how many characters lie
    /// between the line's start and it.
    counted: (usize, usize),
    /// Collections open around `at`, as the general reader's stack counts them.
    open: usize,
}

impl<'a> Reader<'a> {
    fn byte(&self, at: usize) -> u8 {
        self.bytes.get(at).copied().unwrap_or(b'\n')
    }

    fn peek(&self) -> u8 {
        self.byte(self.at)
    }

    fn blank_or_end(&self, at: usize) -> bool {
        matches!(self.byte(at), b' ' | b'\n')
    }

    /// Where `at` is: columns count characters, as the general reader's do.
    /// Counted on from the last place asked for on the same line, so that a
    /// line of many values (a long flow list) costs linear time.
    fn position(&mut self, at: usize) -> Position {
        let (counted_to, counted) = &mut self.counted;
        if *counted_to < self.line_start || *counted_to > at {
            *counted_to = self.line_start;
            *counted = 0;
        }
        let between = &self.bytes[*counted_to..at];
        *counted += between.iter().filter(|&&b| b & 0xc0 != 0x80).count();
        *counted_to = at;
        Position {
            line: self.line,
            column: *counted + 1,
        }
    }

    fn skip_spaces(&mut self) -> usize {
        let start = self.at;
        while self.peek() == b' ' && self.at < self.bytes.len() {
            self.at += 1;
        }
        self.at - start
    }

    fn count(&mut self) -> Read<()> {
        self.nodes += 1;
        if self.nodes > self.limits.nodes {
            return Err(Decline);
        }
        Ok(())
    }

    fn open_collection(&mut self) -> Read<()> {
        if self.open >= self.limits.depth {
            return Err(Decline);
        }
        self.open += 1;
        Ok(())
    }

    fn close_collection(&mut self, value: NodeValue, position: Position) -> Read<Node> {
        self.open -= 1;
        self.count()?;
        Ok(Node { value, position })
    }

    fn scalar(&mut self, start: usize, text: &str, style: ScalarStyle) -> Read<Node> {
        if text.len() > self.limits.scalar_bytes {
            return Err(Decline);
        }
        self.count()?;
        Ok(Node {
            value: NodeValue::Scalar(Scalar {
                text: text.to_string(),
                style,
            }),
            position: self.position(start),
        })
    }

    /// Moves to the next content line from the start of a line, past blank
    /// lines and comment lines. A comment indented deeper than `comment_limit`
    /// is declined: after a plain scalar the general reader might take the
    /// lines around it for a continuation.
    fn next_line(&mut self, comment_limit: Option<usize>) -> Read<()> {
        loop {
            self.line_start = self.at;
            if self.at >= self.bytes.len() {
                self.end = true;
                return Ok(());
            }
            let indent = self.skip_spaces();
            match self.peek() {
                b'\n' => {}
                b'#' => {
                    if comment_limit.is_some_and(|limit| indent > limit) {
                        return Err(Decline);
                    }
                    self.skip_line();
                }
                _ => {
                    let rest = &self.bytes[self.at..];
                    if indent == 0 && (rest.starts_with(b"---") || rest.starts_with(b"...")) {
                        if !(self.marker_allowed && matches!(rest, [b'-', b'-', b'-', b'\n', ..])) {
                            return Err(Decline);
                        }
                        self.marker_allowed = false;
                        self.at += 3;
                    } else {
                        self.marker_allowed = false;
                        self.indent = indent;
                        return Ok(());
                    }
                }
            }
            self.at += 1;
            self.line += 1;
        }
    }

    /// Moves `at` onto the line's `\n` (or the end of the text).
    fn skip_line(&mut self) {
        self.at = match self.bytes[self.at..].iter().position(|&b| b == b'\n') {
            Some(offset) => self.at + offset,
            None => self.bytes.len(),
        };
    }

    /// After a value: spaces, then the end of the line or a comment after a
    /// space; then on to the next content line.
    fn end_line(&mut self, comment_limit: usize) -> Read<()> {
        let spaces = self.skip_spaces();
        match self.peek() {
            b'\n' => {}
            b'#' if spaces > 0 => self.skip_line(),
            _ => return Err(Decline),
        }
        if self.at < self.bytes.len() {
            self.at += 1;
            self.line += 1;
        }
        self.next_line(Some(comment_limit))
    }

    fn document(&mut self) -> Read<Node> {
        self.next_line(None)?;
        if self.end || self.indent != 0 {
            return Err(Decline);
        }
        let root = self.block()?;
        if !self.end {
            return Err(Decline);
        }
        Ok(root)
    }

    /// A block list or map starting at `at`, at the line's indentation.
    fn block(&mut self) -> Read<Node> {
        let indent = self.indent;
        match self.peek() {
            b'-' => return self.sequence(indent),
            // A flow collection here (JSON is one) is not a block.
            b'{' | b'[' => return Err(Decline),
            _ => {}
        }
        let Entry::Key(key) = self.entry()? else {
            return Err(Decline);
        };
        self.mapping(indent, key)
    }

    fn sequence(&mut self, indent: usize) -> Read<Node> {
        self.open_collection()?;
        let position = self.position(self.at);
        let mut items = Vec::new();
        loop {
            // `at` is on a `-` at `indent`.
            if self.byte(self.at + 1) != b' ' {
                return Err(Decline);
            }
            self.at += 1;
            self.skip_spaces();
            let column = self.at - self.line_start;
            let item = match self.entry()? {
                Entry::Key(key) => self.mapping(column, key)?,
                Entry::Value(value) => {
                    self.end_line(indent)?;
                    value
                }
            };
            items.push(item);
            if self.end || self.indent < indent {
                break;
            }
            if self.indent > indent || self.peek() != b'-' {
                return Err(Decline);
            }
        }
        self.close_collection(NodeValue::Sequence(items), position)
    }

    /// A block map whose first key, at column `indent`, has been read.
    fn mapping(&mut self, indent: usize, first: Node) -> Read<Node> {
        self.open_collection()?;
        let position = first.position;
        let mut index = None;
        let mut pairs = Vec::new();
        let mut key = first;
        loop {
            refuse_duplicate(&pairs, &key, &mut index)?;
            self.skip_spaces();
            let value = if matches!(self.peek(), b'\n' | b'#') {
                // The value is a block on the lines below.
                self.skip_line();
                if self.at < self.bytes.len() {
                    self.at += 1;
                    self.line += 1;
                }
                self.next_line(None)?;
                if self.end || self.indent <= indent {
                    return Err(Decline);
                }
                self.block()?
            } else {
                let value = self.value()?;
                self.end_line(indent)?;
                value
            };
            pairs.push((key, value));
            if self.end || self.indent < indent {
                break;
            }
            if self.indent > indent {
                return Err(Decline);
            }
            key = match self.entry()? {
                Entry::Key(key) => key,
                Entry::Value(_) => return Err(Decline),
            };
        }
        self.close_collection(NodeValue::Mapping(pairs), position)
    }

    /// A key (with its `:`) or a value, in block context.
    fn entry(&mut self) -> Read<Entry> {
        let start = self.at;
        match self.peek() {
            b'"' | b'\'' => {
                let node = self.quoted()?;
                if self.peek() == b':' {
                    if !self.blank_or_end(self.at + 1) {
                        return Err(Decline);
                    }
                    self.at += 1;
                    return Ok(Entry::Key(node));
                }
                Ok(Entry::Value(node))
            }
            b'{' | b'[' => Ok(Entry::Value(self.flow()?)),
            byte if indicator(byte) => Err(Decline),
            _ => {
                let mut end = start;
                let mut key = false;
                loop {
                    match self.byte(end) {
                        b'\n' => break,
                        b':' if self.blank_or_end(end + 1) => {
                            key = true;
                            break;
                        }
                        b' ' if self.byte(end + 1) == b'#' => break,
                        _ => end += 1,
                    }
                }
                let end = end.min(self.bytes.len());
                let text = self.text[start..end].trim_end_matches(' ');
                if key && text.len() > LONGEST_KEY {
                    return Err(Decline);
                }
                let node = self.scalar(start, text, ScalarStyle::Plain)?;
                self.at = if key { end + 1 } else { end };
                Ok(if key {
                    Entry::Key(node)
                } else {
                    Entry::Value(node)
                })
            }
        }
    }

    /// A value after `key: ` on the same line.
    fn value(&mut self) -> Read<Node> {
        match self.entry()? {
            Entry::Value(value) => Ok(value),
            Entry::Key(_) => Err(Decline),
        }
    }

    /// A one-line quoted scalar without escapes; `at` ends after its quote.
    fn quoted(&mut self) -> Read<Node> {
        let start = self.at;
        let quote = self.peek();
        let rest = &self.bytes[start + 1..];
        let length = rest
            .iter()
            .position(|&b| b == quote || b == b'\n' || b == b'\\')
            .ok_or(Decline)?;
        let close = start + 1 + length;
        if self.byte(close) != quote || self.byte(close + 1) == b'\'' && quote == b'\'' {
            return Err(Decline);
        }
        let text = &self.text[start + 1..close];
        let node = self.scalar(start, text, ScalarStyle::Quoted)?;
        self.at = close + 1;
        Ok(node)
    }

    /// A one-line flow map or list of scalars.
    fn flow(&mut self) -> Read<Node> {
        self.open_collection()?;
        let position = self.position(self.at);
        let mapping = self.peek() == b'{';
        let close = if mapping { b'}' } else { b']' };
        self.at += 1;
        let mut index = None;
        let mut pairs = Vec::new();
        let mut items = Vec::new();
        loop {
            self.skip_spaces();
            if mapping {
                let key = self.flow_scalar(true)?;
                refuse_duplicate(&pairs, &key, &mut index)?;
                self.skip_spaces();
                let value = self.flow_scalar(false)?;
                pairs.push((key, value));
            } else {
                items.push(self.flow_scalar(false)?);
            }
            self.skip_spaces();
            match self.peek() {
                b',' => self.at += 1,
                byte if byte == close => {
                    self.at += 1;
                    break;
                }
                _ => return Err(Decline),
            }
        }
        let value = if mapping {
            NodeValue::Mapping(pairs)
        } else {
            NodeValue::Sequence(items)
        };
        self.close_collection(value, position)
    }

    /// A scalar inside a flow collection; a key ends with `: `, consumed.
    fn flow_scalar(&mut self, key: bool) -> Read<Node> {
        let start = self.at;
        let node = match self.peek() {
            b'"' | b'\'' => self.quoted()?,
            byte if indicator(byte) => return Err(Decline),
            _ => {
                let mut end = start;
                while !matches!(
                    self.byte(end),
                    b',' | b'}' | b']' | b':' | b'#' | b'[' | b'{' | b'\n'
                ) {
                    // After a space the general reader refuses a `-` before
                    // a flow character; declined wherever it stands.
                    if self.byte(end) == b'-'
                        && matches!(self.byte(end + 1), b',' | b'}' | b']' | b'[' | b'{')
                    {
                        return Err(Decline);
                    }
                    end += 1;
                }
                let text = self.text[start..end].trim_end_matches(' ');
                let node = self.scalar(start, text, ScalarStyle::Plain)?;
                self.at = end;
                node
            }
        };
        if key {
            if self.peek() != b':' || self.byte(self.at + 1) != b' ' {
                return Err(Decline);
            }
            self.at += 1;
        }
        Ok(node)
    }
}

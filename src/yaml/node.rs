//! The positioned YAML tree and JSON Pointer lookups into it.

use std::fmt;

/// A place in a text file: 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// How a scalar was written; a plain `0123` is a number to YAML, a quoted one is text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    Quoted,
    Block,
}

/// A scalar exactly as written, so typed fields can judge it themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar {
    pub text: String,
    pub style: ScalarStyle,
}

impl Scalar {
    /// A plain `~`, `null`, `Null`, `NULL` or empty scalar: YAML's null.
    pub fn is_null(&self) -> bool {
        self.style == ScalarStyle::Plain
            && matches!(self.text.as_str(), "" | "~" | "null" | "Null" | "NULL")
    }

    /// A plain `true`/`false` in any of YAML 1.2's spellings.
    pub fn as_bool(&self) -> Option<bool> {
        if self.style != ScalarStyle::Plain {
            return None;
        }
        match self.text.as_str() {
            "true" | "True" | "TRUE" => Some(true),
            "false" | "False" | "FALSE" => Some(false),
            _ => None,
        }
    }
}

/// Key-value pairs in the order they were written.
pub type Mapping = Vec<(Node, Node)>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeValue {
    Scalar(Scalar),
    Sequence(Vec<Node>),
    Mapping(Mapping),
}

/// One YAML value and where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub value: NodeValue,
    pub position: Position,
}

impl Node {
    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.value {
            NodeValue::Scalar(scalar) => Some(scalar),
            _ => None,
        }
    }

    /// The text of a non-null scalar.
    pub fn as_str(&self) -> Option<&str> {
        self.as_scalar()
            .filter(|s| !s.is_null())
            .map(|s| s.text.as_str())
    }

    pub fn as_mapping(&self) -> Option<&Mapping> {
        match &self.value {
            NodeValue::Mapping(mapping) => Some(mapping),
            _ => None,
        }
    }

    pub fn as_sequence(&self) -> Option<&[Node]> {
        match &self.value {
            NodeValue::Sequence(items) => Some(items),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        self.as_scalar().is_some_and(Scalar::is_null)
    }

    /// The value under `key` in a mapping (keys compare as written).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_mapping()?
            .iter()
            .find(|(k, _)| k.as_scalar().is_some_and(|s| s.text == key))
            .map(|(_, v)| v)
    }

    /// A word for the kind of value, for messages ("a list", "a map", "text").
    pub fn kind_name(&self) -> &'static str {
        match &self.value {
            NodeValue::Scalar(s) if s.is_null() => "null",
            NodeValue::Scalar(_) => "scalar",
            NodeValue::Sequence(_) => "list",
            NodeValue::Mapping(_) => "map",
        }
    }

    /// Follows an RFC 6901 JSON Pointer (`/documents/2/fields/name`).
    pub fn pointer(&self, pointer: &str) -> Option<&Node> {
        if pointer.is_empty() {
            return Some(self);
        }
        let mut node = self;
        for token in pointer.strip_prefix('/')?.split('/') {
            let unescaped;
            let token = if token.contains('~') {
                unescaped = token.replace("~1", "/").replace("~0", "~");
                unescaped.as_str()
            } else {
                token
            };
            node = match &node.value {
                NodeValue::Mapping(_) => node.get(token)?,
                NodeValue::Sequence(items) => items.get(token.parse::<usize>().ok()?)?,
                NodeValue::Scalar(_) => return None,
            };
        }
        Some(node)
    }
}

/// Escapes one reference token of a JSON Pointer.
pub fn escape_pointer_token(token: &str) -> String {
    let mut escaped = String::with_capacity(token.len());
    push_pointer_token(&mut escaped, token);
    escaped
}

/// Appends one reference token of a JSON Pointer, escaped, to `pointer`
/// (without a copy of the token where nothing needs escaping: judging makes
/// a pointer for every field of every party and document).
pub fn push_pointer_token(pointer: &mut String, token: &str) {
    if !token.contains(['~', '/']) {
        pointer.push_str(token);
        return;
    }
    for c in token.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

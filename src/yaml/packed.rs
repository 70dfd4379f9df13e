//! A [`Node`] tree packed into bytes and read back, positions and styles
//! included: the build script packs the tree of each embedded rule file, so
//! a start reads the shipped rules without scanning their YAML.
//!
//! The bytes are a cache of what `yaml::parse` makes of a text, never the
//! only copy: whatever [`unpack`] cannot read exactly (a short or damaged
//! blob, a value past a limit) is refused with an error, and the caller
//! parses the text instead. Like `tree.rs`, this file depends on nothing
//! but `node.rs`, so the build script includes it too.
//!
//! Layout: [`MAGIC`], then the root node. A node is a tag byte (plain,
//! quoted or block scalar, sequence, mapping), its line and column, then a
//! scalar's length and UTF-8 bytes, or a collection's count and its items
//! (a mapping's as key, value, key, value…). Numbers are LEB128.

use std::fmt;

use super::node::{Node, NodeValue, Position, Scalar, ScalarStyle};
use super::tree::ParseLimits;

/// The first bytes of a packed tree; a change of layout changes them.
pub const MAGIC: &[u8; 4] = b"DYT\x01";

/// The deepest nesting [`unpack`] follows whatever the limits say: it
/// recurses, so its depth is bounded here too. The build script packs no
/// deeper tree; such a file is parsed from its text at run time.
pub const MAX_DEPTH: usize = 128;

const PLAIN: u8 = 0;
const QUOTED: u8 = 1;
const BLOCK: u8 = 2;
const SEQUENCE: u8 = 3;
const MAPPING: u8 = 4;

/// The fewest bytes a node takes (tag, line, column, length or count), so a
/// count read from the bytes never reserves more than they can hold.
const SMALLEST_NODE: usize = 4;

/// The tree as bytes. (The build script packs; the crate only unpacks,
/// but for its tests.)
#[cfg_attr(not(test), allow(dead_code))]
pub fn pack(root: &Node) -> Vec<u8> {
    let mut bytes = MAGIC.to_vec();
    pack_node(root, &mut bytes);
    bytes
}

#[cfg_attr(not(test), allow(dead_code))]
fn pack_node(node: &Node, bytes: &mut Vec<u8>) {
    let tag = match &node.value {
        NodeValue::Scalar(scalar) => match scalar.style {
            ScalarStyle::Plain => PLAIN,
            ScalarStyle::Quoted => QUOTED,
            ScalarStyle::Block => BLOCK,
        },
        NodeValue::Sequence(_) => SEQUENCE,
        NodeValue::Mapping(_) => MAPPING,
    };
    bytes.push(tag);
    push_number(bytes, node.position.line);
    push_number(bytes, node.position.column);
    match &node.value {
        NodeValue::Scalar(scalar) => {
            push_number(bytes, scalar.text.len());
            bytes.extend_from_slice(scalar.text.as_bytes());
        }
        NodeValue::Sequence(items) => {
            push_number(bytes, items.len());
            items.iter().for_each(|item| pack_node(item, bytes));
        }
        NodeValue::Mapping(pairs) => {
            push_number(bytes, pairs.len());
            for (key, value) in pairs {
                pack_node(key, bytes);
                pack_node(value, bytes);
            }
        }
    }
}

#[cfg_attr(not(test), allow(dead_code))]
fn push_number(bytes: &mut Vec<u8>, mut number: usize) {
    while number >= 0x80 {
        bytes.push((number as u8 & 0x7f) | 0x80);
        number >>= 7;
    }
    bytes.push(number as u8);
}

/// Why bytes were not read as a tree, and how far in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnpackError {
    /// The offset of the byte that could not be read.
    pub offset: usize,
    pub reason: &'static str,
}

impl fmt::Display for UnpackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "packed YAML tree, byte {}: {}", self.offset, self.reason)
    }
}

/// The tree packed in `bytes`, refused unless it is whole, well formed and
/// within `limits` exactly as `yaml::parse` applies them (collections
/// nested at most `depth` deep, at most `nodes` values, no scalar longer
/// than `scalar_bytes`), so a tree read here is one the text's parse would
/// have given.
pub fn unpack(bytes: &[u8], limits: ParseLimits) -> Result<Node, UnpackError> {
    let mut reader = Reader {
        bytes,
        offset: 0,
        nodes: 0,
        limits,
    };
    if !bytes.starts_with(MAGIC) {
        return Err(reader.refuse("not a packed tree of this layout"));
    }
    reader.offset = MAGIC.len();
    let root = reader.node(0)?;
    if reader.offset != bytes.len() {
        return Err(reader.refuse("bytes after the tree"));
    }
    Ok(root)
}

struct Reader<'a> {
    bytes: &'a [u8],
    offset: usize,
    nodes: usize,
    limits: ParseLimits,
}

impl Reader<'_> {
    fn refuse(&self, reason: &'static str) -> UnpackError {
        UnpackError {
            offset: self.offset,
            reason,
        }
    }

    fn byte(&mut self) -> Result<u8, UnpackError> {
        let byte = *self
            .bytes
            .get(self.offset)
            .ok_or_else(|| self.refuse("cut short"))?;
        self.offset += 1;
        Ok(byte)
    }

    fn number(&mut self) -> Result<usize, UnpackError> {
        let mut number = 0usize;
        for shift in (0..usize::BITS).step_by(7) {
            let byte = self.byte()?;
            let bits = usize::from(byte & 0x7f);
            if bits.checked_shl(shift).map(|b| b >> shift) != Some(bits) {
                return Err(self.refuse("a number too large"));
            }
            number |= bits << shift;
            if byte & 0x80 == 0 {
                return Ok(number);
            }
        }
        Err(self.refuse("a number too large"))
    }

    /// A count of items that take at least `each` bytes apiece; more than
    /// the bytes left can hold is refused before anything is reserved.
    fn count(&mut self, each: usize) -> Result<usize, UnpackError> {
        let count = self.number()?;
        match count.checked_mul(each) {
            Some(needed) if needed <= self.bytes.len() - self.offset => Ok(count),
            _ => Err(self.refuse("more items than bytes")),
        }
    }

    /// One node, inside `depth` collections.
    fn node(&mut self, depth: usize) -> Result<Node, UnpackError> {
        let tag = self.byte()?;
        let position = Position {
            line: self.number()?,
            column: self.number()?,
        };
        self.nodes += 1;
        if self.nodes > self.limits.nodes {
            return Err(self.refuse("more values than the limit"));
        }
        let style = match tag {
            PLAIN => Some(ScalarStyle::Plain),
            QUOTED => Some(ScalarStyle::Quoted),
            BLOCK => Some(ScalarStyle::Block),
            SEQUENCE | MAPPING => None,
            _ => return Err(self.refuse("an unknown kind of node")),
        };
        if let Some(style) = style {
            let length = self.count(1)?;
            if length > self.limits.scalar_bytes {
                return Err(self.refuse("a value longer than the limit"));
            }
            let text = &self.bytes[self.offset..self.offset + length];
            let text = std::str::from_utf8(text).map_err(|_| self.refuse("text not UTF-8"))?;
            self.offset += length;
            let scalar = Scalar {
                text: text.to_string(),
                style,
            };
            let value = NodeValue::Scalar(scalar);
            return Ok(Node { value, position });
        }
        if depth >= self.limits.depth || depth >= MAX_DEPTH {
            return Err(self.refuse("nested deeper than the limit"));
        }
        let value = if tag == SEQUENCE {
            let count = self.count(SMALLEST_NODE)?;
            let mut items = Vec::with_capacity(count);
            for _ in 0..count {
                items.push(self.node(depth + 1)?);
            }
            NodeValue::Sequence(items)
        } else {
            let count = self.count(2 * SMALLEST_NODE)?;
            let mut pairs = Vec::with_capacity(count);
            for _ in 0..count {
                let key = self.node(depth + 1)?;
                if key.as_scalar().is_none() {
                    return Err(self.refuse("a key that is not a scalar"));
                }
                pairs.push((key, self.node(depth + 1)?));
            }
            NodeValue::Mapping(pairs)
        };
        Ok(Node { value, position })
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse::tests::LIMITS;
    use super::*;
    use crate::yaml::parse;

    const TEXT: &str = "\
plain: 0123
quoted: \"0123\"
single: 'it''s'
block: |
  line one
  line two
folded: >-
  folded
  text
list: [1, {a: b}, [], {}]
nested:
  - x: ~
    y: !!str 12
empty:
中文: 值
";

    #[test]
    fn a_packed_tree_reads_back_as_parsed() {
        let root = parse(TEXT, LIMITS).unwrap();
        assert_eq!(unpack(&pack(&root), LIMITS), Ok(root));
    }

    /// Every cut, and every byte changed to each of a few values, is
    /// refused with an error or reads back as some tree: never a panic.
    #[test]
    fn short_or_damaged_bytes_are_refused_not_a_panic() {
        let bytes = pack(&parse(TEXT, LIMITS).unwrap());
        for cut in 0..bytes.len() {
            assert!(unpack(&bytes[..cut], LIMITS).is_err(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(
            unpack(&longer, LIMITS).unwrap_err().reason,
            "bytes after the tree"
        );
        for at in 0..bytes.len() {
            for value in [0x00, 0x05, 0x7f, 0x80, 0xff] {
                let mut damaged = bytes.clone();
                damaged[at] = value;
                let _ = unpack(&damaged, LIMITS);
            }
        }
        let mut bad_magic = bytes.clone();
        bad_magic[3] = 2;
        assert!(unpack(&bad_magic, LIMITS).is_err());
    }

    #[test]
    fn a_huge_count_reserves_nothing() {
        let mut bytes = MAGIC.to_vec();
        bytes.extend([SEQUENCE, 1, 1]);
        push_number(&mut bytes, usize::MAX / 2);
        assert_eq!(
            unpack(&bytes, LIMITS).unwrap_err().reason,
            "more items than bytes"
        );
        let mut bytes = MAGIC.to_vec();
        bytes.extend([PLAIN, 1, 1]);
        bytes.extend([0xff; 11]);
        assert_eq!(
            unpack(&bytes, LIMITS).unwrap_err().reason,
            "a number too large"
        );
    }

    /// The limits refuse what `parse` would refuse under them.
    #[test]
    fn the_limits_hold_as_parse_applies_them() {
        let unbounded = ParseLimits {
            depth: 64,
            nodes: 1_000_000,
            scalar_bytes: 1_000_000,
        };
        let cases = [
            ("[[[[1]]]]", ParseLimits { depth: 4, ..LIMITS }),
            ("[[[[1]]]]", ParseLimits { depth: 3, ..LIMITS }),
            ("[1, 2, 3]", ParseLimits { nodes: 4, ..LIMITS }),
            ("[1, 2, 3]", ParseLimits { nodes: 3, ..LIMITS }),
            (
                "a: xxxx",
                ParseLimits {
                    scalar_bytes: 4,
                    ..LIMITS
                },
            ),
            (
                "a: xxxx",
                ParseLimits {
                    scalar_bytes: 3,
                    ..LIMITS
                },
            ),
        ];
        for (text, limits) in cases {
            let bytes = pack(&parse(text, unbounded).unwrap());
            let parsed = parse(text, limits);
            let unpacked = unpack(&bytes, limits);
            assert_eq!(parsed.is_ok(), unpacked.is_ok(), "{text} {limits:?}");
            if let Ok(tree) = parsed {
                assert_eq!(unpacked, Ok(tree));
            }
        }
    }

    #[test]
    fn a_key_must_be_a_scalar() {
        let mut bytes = MAGIC.to_vec();
        bytes.extend([MAPPING, 1, 1, 1, SEQUENCE, 1, 1, 0, PLAIN, 1, 1, 0]);
        assert_eq!(
            unpack(&bytes, LIMITS).unwrap_err().reason,
            "a key that is not a scalar"
        );
    }
}

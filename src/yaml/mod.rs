//! YAML read into a tree that remembers where every value stood.
//!
//! serde_yaml reports positions only for its own errors, but every finding
//! needs the line of the value it is about, and rule-file errors need
//! file:line:col. One pass over saphyr-parser's event stream builds a [`Node`]
//! tree with positions; the same pass refuses anchors, aliases, duplicate
//! keys and excessive nesting, which a bundle never needs and which are the
//! classic ways to make a YAML reader spend gigabytes.

mod mistake;
mod node;
mod parse;

pub use node::{Node, NodeValue, Position, Scalar, ScalarStyle, escape_pointer_token};
pub use parse::{ParseError, ParseLimits, parse};

//! YAML read into a tree that remembers where every value stood.
//!
//! serde_yaml reports positions only for its own errors, but every finding
//! needs the line of the value it is about, and rule-file errors need
//! file:line:col. One pass over saphyr-parser's event stream builds a [`Node`]
//! tree with positions; the same pass refuses anchors, aliases, duplicate
//! keys and excessive nesting, which a bundle never needs and which are the
//! classic ways to make a YAML reader spend gigabytes. The shipped rule
//! files' trees are made at build time and packed into the binary.

mod fast;
mod mistake;
mod node;
pub(crate) mod packed;
mod parse;
mod tree;

pub use fast::differential_at_every_bound as fast_reader_differential;
pub use node::{
    Node, NodeValue, Position, Scalar, ScalarStyle, escape_pointer_token, push_pointer_token,
};
pub use parse::{ParseError, parse};
pub use tree::ParseLimits;

//! rhai, sandboxed: the one engine configuration every rule script runs in,
//! the helper functions registered for scripts, and running a script within
//! its limits.

mod bounded;
mod condition;
mod date;
mod helpers;
pub(crate) mod map_shape;
pub mod memory;
mod native;
mod patterns;
mod sandbox;

pub use condition::{Undecided, undecided};
pub use date::DATE_HELPERS;
pub use helpers::{HELPERS, HelperDoc};
pub use native::{Native, decide, quote};
pub use patterns::{MATCHES, PATTERN_HELPERS, register_patterns};
#[cfg(test)]
pub(crate) use sandbox::Runner;
pub use sandbox::{ScriptEngine, ScriptError, new_engine};
pub(crate) use sandbox::{new_compiler_for_one_bundle, new_engine_for_one_bundle};

use rhai::{AST, Engine, Scope};

use crate::yaml::{Node, Position, ScalarStyle};

/// A compiled rule script and where it is written.
#[derive(Debug, Clone)]
pub struct Script {
    pub source: String,
    pub ast: AST,
    pub position: Position,
    /// `variable.field` reads in the source, used to check field names when
    /// loading and to explain a script that met a missing value.
    pub reads: Vec<(String, String)>,
    /// The script as a simple shape evaluated without the interpreter, when
    /// it is one (a check, a condition or a placeholder; see [`native`]). Set once the
    /// script's library is merged in, since it may call library functions.
    pub native: Option<Native>,
}

/// A script that does not compile, with its place in the rule file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    pub position: Position,
    pub message: String,
}

/// Compiles the script held by `node` of a rule file whose text is `file_text`.
/// `scope` declares the variables the script may use: any other name is a
/// load error, not a surprise while checking bundles.
pub fn compile(
    engine: &Engine,
    scope: &Scope,
    node: &Node,
    file_text: &str,
) -> Result<Script, CompileError> {
    let source = node.as_str().unwrap_or_default().to_string();
    match engine.compile_with_scope(scope, &source) {
        Ok(ast) => Ok(Script {
            reads: field_reads(&source),
            native: None,
            source,
            ast,
            position: node.position,
        }),
        Err(error) => Err(CompileError {
            position: position_in_file(
                node,
                file_text,
                error.1.line().unwrap_or(1),
                error.1.position().unwrap_or(1),
            ),
            message: error.0.to_string(),
        }),
    }
}

/// Maps a (line, column) inside a script to the rule file, so a syntax error
/// points into the YAML file and not at an offset inside the script. (The
/// file text is no longer needed: the node knows its block indentation.)
pub fn position_in_file(node: &Node, _file_text: &str, line: usize, column: usize) -> Position {
    let style = node.as_scalar().map(|s| s.style);
    match style {
        Some(ScalarStyle::Block) => {
            // The node's position is its first content line (the one after
            // the `|` or `>` indicator). An error at the end of the script
            // (an unclosed bracket) is placed on its last line, not below it.
            let lines = node.as_str().map_or(1, |s| s.lines().count().max(1));
            let file_line = node.position.line + line.min(lines) - 1;
            // Columns count from the block's indentation, which the script
            // lines do not carry; deeper lines keep their extra spaces.
            let indent = node.position.column.saturating_sub(1);
            Position {
                line: file_line,
                column: indent + column,
            }
        }
        Some(ScalarStyle::Quoted) if line == 1 => Position {
            line: node.position.line,
            column: node.position.column + column,
        },
        _ if line == 1 => Position {
            line: node.position.line,
            column: node.position.column + column - 1,
        },
        _ => Position {
            line: node.position.line + line - 1,
            column,
        },
    }
}

/// `variable.field` reads in a script, not method calls (`x.len()`) nor text
/// in quotes. A small scanner: compiling a regular expression for this cost
/// more than loading a rule set.
fn field_reads(source: &str) -> Vec<(String, String)> {
    let bytes = source.as_bytes();
    let is_start = |b: u8| b.is_ascii_alphabetic() || b == b'_';
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let word_end = |mut i: usize| {
        while i < bytes.len() && is_word(bytes[i]) {
            i += 1;
        }
        i
    };
    let mut reads: Vec<(String, String)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            quote @ (b'"' | b'`' | b'\'') => {
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    i += if bytes[i] == b'\\' && quote == b'"' {
                        2
                    } else {
                        1
                    };
                }
                i += 1;
            }
            b if is_start(b) && (i == 0 || !is_word(bytes[i - 1])) => {
                let variable_end = word_end(i);
                let field_start = variable_end + 1;
                if variable_end < bytes.len()
                    && bytes[variable_end] == b'.'
                    && field_start < bytes.len()
                    && is_start(bytes[field_start])
                {
                    let field_end = word_end(field_start);
                    let mut after = field_end;
                    while after < bytes.len() && bytes[after].is_ascii_whitespace() {
                        after += 1;
                    }
                    let is_call = after < bytes.len() && bytes[after] == b'(';
                    let read = (
                        source[i..variable_end].to_string(),
                        source[field_start..field_end].to_string(),
                    );
                    if !is_call && !reads.contains(&read) {
                        reads.push(read);
                    }
                    i = field_end;
                } else {
                    i = variable_end;
                }
            }
            _ => i += 1,
        }
    }
    reads
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_reads_skip_methods_and_strings() {
        let reads = field_reads(
            r#"same_name(doc.employer, enterprise.name) && doc.list.len() > 0 && "a.b" != x.y"#,
        );
        assert_eq!(
            reads,
            vec![
                ("doc".into(), "employer".into()),
                ("enterprise".into(), "name".into()),
                ("doc".into(), "list".into()),
                ("x".into(), "y".into())
            ]
        );
    }
}

//! rhai, sandboxed: the one engine configuration every rule script runs in,
//! the helper functions registered for scripts, and running a script within
//! its limits.

mod date;
mod helpers;
mod sandbox;

pub use date::DATE_HELPERS;
pub use helpers::{HELPERS, HelperDoc};
pub use sandbox::{ScriptError, new_engine, run, run_bool};

use std::sync::LazyLock;

use regex::Regex;
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

/// `variable.field` reads in a script, not method calls (`x.len()`) nor text in quotes.
fn field_reads(source: &str) -> Vec<(String, String)> {
    static READ: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#""(?:[^"\\]|\\.)*"|`[^`]*`|'[^']*'|\b([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)\b(\s*\()?"#)
            .expect("valid pattern")
    });
    let mut reads: Vec<(String, String)> = Vec::new();
    for captures in READ.captures_iter(source) {
        let (Some(variable), Some(field)) = (captures.get(1), captures.get(2)) else {
            continue;
        };
        if captures.get(3).is_some() {
            continue;
        }
        let read = (variable.as_str().to_string(), field.as_str().to_string());
        if !reads.contains(&read) {
            reads.push(read);
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

//! Typing mistakes people make when they write YAML by hand in a Chinese
//! editor, found where they are, and the YAML reader's own complaints put
//! into words a clerk can act on.
//!
//! The reader often stops a line or two after the real mistake (a
//! full-width colon makes the *next* line unreadable), so when a text does
//! not parse, the lines up to the place the reader stopped are searched for
//! the mistakes below and the first one found is reported at its own line
//! and column.

use super::node::Position;
use crate::lang::Localized;

/// A character that looks right in an editor but is not YAML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mistake {
    /// `key：value`: the full-width colon of Chinese input methods.
    FullWidthColon,
    /// Indentation with U+3000, the full-width space.
    FullWidthSpace,
    /// Indentation with a tab.
    Tab,
}

impl Mistake {
    /// What is wrong, in both languages.
    pub fn describe(self) -> Localized {
        match self {
            Mistake::FullWidthColon => Localized::new(
                "用了全角冒号“：”,YAML 只认半角冒号“:”",
                "a full-width colon \"：\" is used; YAML only reads the half-width colon \":\"",
            ),
            Mistake::FullWidthSpace => Localized::new(
                "行首用了全角空格缩进,YAML 只认半角空格",
                "the line is indented with full-width spaces; YAML only reads half-width spaces",
            ),
            Mistake::Tab => Localized::new(
                "行首用了制表符(Tab)缩进,YAML 只认空格",
                "the line is indented with a tab; YAML only reads spaces",
            ),
        }
    }

    /// How to fix it.
    pub fn fix(self) -> Localized {
        match self {
            Mistake::FullWidthColon => Localized::new(
                "把“：”改为半角冒号和一个空格“: ”(切换到英文输入法输入)",
                "replace \"：\" with a half-width colon and a space \": \" (type it with an English keyboard layout)",
            ),
            Mistake::FullWidthSpace => Localized::new(
                "删除行首的全角空格,改用半角空格缩进,与同级的行对齐",
                "replace the full-width spaces at the start of the line with ordinary spaces, aligned with the lines at the same level",
            ),
            Mistake::Tab => Localized::new(
                "把行首的 Tab 改为空格,与同级的行对齐",
                "replace the tab at the start of the line with spaces, aligned with the lines at the same level",
            ),
        }
    }
}

/// The first typing mistake on lines `1..=last_line` of `text`, and where
/// it is (1-based line, column in characters).
pub fn find_mistake(text: &str, last_line: usize) -> Option<(Mistake, Position)> {
    for (index, line) in text.lines().take(last_line).enumerate() {
        let position = |column: usize| Position {
            line: index + 1,
            column: column + 1,
        };
        let indent: Vec<char> = line
            .chars()
            .take_while(|c| matches!(c, ' ' | '\t' | '\u{3000}'))
            .collect();
        if let Some(column) = indent.iter().position(|c| *c == '\u{3000}') {
            return Some((Mistake::FullWidthSpace, position(column)));
        }
        if let Some(column) = indent.iter().position(|c| *c == '\t') {
            return Some((Mistake::Tab, position(column)));
        }
        if let Some(column) = full_width_colon_after_key(&line[indent.len()..]) {
            return Some((Mistake::FullWidthColon, position(indent.len() + column)));
        }
    }
    None
}

/// The column (in characters, from 0) of a full-width colon that ends a key
/// at the start of `rest` (`email：…`, `- type：…`), before any half-width
/// `: `. A full-width colon inside a value (`name: 公司：分部`) is text.
fn full_width_colon_after_key(rest: &str) -> Option<usize> {
    let rest_start = rest.len() - rest.trim_start_matches(['-', ' ']).len();
    let key = &rest[rest_start..];
    if key.starts_with(['#', '"', '\'', '{', '[']) {
        return None;
    }
    for (column, c) in key.chars().enumerate() {
        match c {
            '：' if column > 0 => return Some(rest[..rest_start].chars().count() + column),
            ':' | '#' | ' ' | '\t' => return None,
            _ => {}
        }
    }
    None
}

/// The YAML reader's complaint as a sentence a person can act on; the
/// reader's own words follow in parentheses.
pub fn explain_syntax(detail: &str) -> Localized {
    let (zh, en) = if detail.contains("tab") {
        (
            "用了制表符(Tab),YAML 只认空格缩进",
            "a tab is used where YAML only reads spaces",
        )
    } else if detail.contains("quoted scalar") {
        ("引号没有成对闭合", "a quotation mark is not closed")
    } else if detail.contains("flow sequence") || detail.contains("misplaced bracket") {
        (
            "方括号列表 [ … ] 没有闭合,或缺少逗号",
            "a bracketed list [ … ] is not closed, or a comma is missing",
        )
    } else if detail.contains("flow mapping") {
        (
            "花括号 { … } 没有闭合,或缺少逗号",
            "a braced map { … } is not closed, or a comma is missing",
        )
    } else if detail.contains("mapping values are not allowed") {
        (
            "这里不能出现“: ”;值里含有冒号时,请给整个值加引号",
            "\": \" is not allowed here; put the whole value in quotes when it contains a colon",
        )
    } else if detail.contains("block sequence entries") || detail.contains("'-' indicator") {
        (
            "列表项“- ”的缩进与同级的行不一致",
            "a list item \"- \" is not indented like the items at its level",
        )
    } else if detail.contains("indentation")
        || detail.contains("expected key")
        || detail.contains("simple key")
    {
        (
            "这一行不是“键: 值”的形式,或缩进与同级的行不一致",
            "this line is not \"key: value\", or it is not indented like the lines at its level",
        )
    } else if detail.contains("unexpected end") || detail.contains("eof") {
        (
            "文件在一个值写完之前就结束了",
            "the file ends before a value is complete",
        )
    } else {
        ("不是有效的 YAML", "this is not valid YAML")
    };
    Localized::new(
        format!("{zh}(解析器说明:{detail})"),
        format!("{en} (the reader says: {detail})"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_width_colon_after_a_key_is_found_at_its_column() {
        let text = "parties:\n  lisi:\n    email： a@b.cn\n    phone: \"1\"\n";
        assert_eq!(
            find_mistake(text, 4),
            Some((
                Mistake::FullWidthColon,
                Position {
                    line: 3,
                    column: 10
                }
            ))
        );
        let listed = "documents:\n  - type：id_card\n";
        assert_eq!(
            find_mistake(listed, 2),
            Some((Mistake::FullWidthColon, Position { line: 2, column: 9 }))
        );
    }

    #[test]
    fn a_full_width_colon_inside_a_value_is_text() {
        for text in [
            "name: 公司：分部\n",
            "name: \"a：b\"\n",
            "# 注：说明\n",
            "- \"x：y\"\n",
        ] {
            assert_eq!(find_mistake(text, 9), None, "{text}");
        }
    }

    #[test]
    fn full_width_spaces_and_tabs_in_indentation_are_found() {
        assert_eq!(
            find_mistake("a:\n  \u{3000}b: 1\n", 2),
            Some((Mistake::FullWidthSpace, Position { line: 2, column: 3 }))
        );
        assert_eq!(
            find_mistake("a:\n\tb: 1\n", 2),
            Some((Mistake::Tab, Position { line: 2, column: 1 }))
        );
        // A tab inside a value is not indentation.
        assert_eq!(find_mistake("a: x\ty\n", 1), None);
    }

    #[test]
    fn only_lines_up_to_the_reader_stop_are_searched() {
        assert_eq!(find_mistake("a: 1\nb: 2\n\tc: 3\n", 2), None);
    }

    #[test]
    fn the_reader_detail_is_kept_in_parentheses() {
        let explained = explain_syntax("simple key expect ':'");
        assert!(
            explained.zh.starts_with("这一行不是“键: 值”的形式"),
            "{}",
            explained.zh
        );
        assert!(explained.zh.ends_with("(解析器说明:simple key expect ':')"));
        assert!(
            explained
                .en
                .contains("(the reader says: simple key expect ':')")
        );
    }
}

//! From a (line, column) position to the byte range a caret underlines: the
//! word, quoted text or single character that starts there.

use std::ops::Range;

use crate::yaml::Position;

/// Characters that end a plain YAML token (or a rhai identifier).
const STOPS: &[char] = &[' ', '\t', ',', ':', '[', ']', '{', '}', '#', '(', ')', ';'];

/// The byte range in `text` of the token at `position`; `None` when the
/// position is beyond the text.
pub fn of(text: &str, position: Position) -> Option<Range<usize>> {
    let line_start = line_start(text, position.line)?;
    let line = &text[line_start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    let line = line.strip_suffix('\r').unwrap_or(line);
    let mut column = position.column.max(1) - 1;
    // A place in the indentation (a line-only position) means the line's content.
    let indent = line.chars().take_while(|c| *c == ' ').count();
    if column < indent {
        column = indent;
    }
    let start = line
        .char_indices()
        .nth(column)
        .map_or(line.len(), |(index, _)| index);
    let rest = &line[start..];
    let length = match rest.chars().next() {
        None => 0,
        Some(quote @ ('"' | '\'')) => rest[1..].find(quote).map_or(rest.len(), |end| end + 2),
        Some(first) if STOPS.contains(&first) => first.len_utf8(),
        Some(_) => rest.find(STOPS).unwrap_or(rest.len()),
    };
    Some(line_start + start..line_start + start + length)
}

fn line_start(text: &str, line: usize) -> Option<usize> {
    if line <= 1 {
        return Some(0);
    }
    text.match_indices('\n')
        .nth(line - 2)
        .map(|(index, _)| index + 1)
        .filter(|start| *start <= text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: usize, column: usize) -> Position {
        Position { line, column }
    }

    #[test]
    fn a_word_a_quoted_text_and_a_stop() {
        let text = "a: 1\nkey: \"quoted text\" # x\n  名称: 张三\n";
        assert_eq!(&text[of(text, at(2, 1)).unwrap()], "key");
        assert_eq!(&text[of(text, at(2, 6)).unwrap()], "\"quoted text\"");
        assert_eq!(&text[of(text, at(2, 4)).unwrap()], ":");
        assert_eq!(&text[of(text, at(3, 3)).unwrap()], "名称");
        assert_eq!(&text[of(text, at(3, 7)).unwrap()], "张三");
    }

    #[test]
    fn past_the_end_of_a_line_or_the_text() {
        let text = "ab\ncd";
        assert_eq!(of(text, at(1, 9)), Some(2..2));
        assert_eq!(of(text, at(7, 1)), None);
    }
}

//! Text that is safe to put in front of a person: control characters (C0,
//! DEL, C1, so also ESC sequences), bidirectional marks, embeddings,
//! overrides and isolates, and zero-width characters are shown as `\u{…}`
//! escapes instead of acting on the terminal or the page. A name holding
//! `\u{1b}[32mPASS` or U+202E cannot make a failing report look passed.

use std::borrow::Cow;

pub use crate::domain::is_unsafe;

/// `text` with every unsafe character written as `\u{hex}`.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_overrides_become_escapes() {
        assert_eq!(visible("plain 张三"), "plain 张三");
        assert_eq!(
            visible("a\u{1b}[32mPASS\u{1b}[0m\n"),
            "a\\u{1b}[32mPASS\\u{1b}[0m\\u{a}"
        );
        assert_eq!(visible("x\u{202E}SSAP\u{2066}"), "x\\u{202e}SSAP\\u{2066}");
        assert_eq!(
            visible("\u{85}\u{9b}\u{61c}\u{200f}"),
            "\\u{85}\\u{9b}\\u{61c}\\u{200f}"
        );
    }
}

//! Escaping for the XML and HTML renderings (JUnit, HTML): text and
//! attribute values that any parser reads back as written.
//!
//! Characters XML 1.0 forbids (C0 controls other than tab, line feed and
//! carriage return) cannot be escaped at all, so they become U+FFFD: a
//! message quoting a broken manifest must not make the report unreadable.

/// `text` for an element's content or an attribute value in double quotes.
/// Line breaks are kept as character references so attribute-value
/// normalisation does not turn them into spaces.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push('\t'),
            c if is_forbidden(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Like [`escape`] but keeps line breaks as they are, for element content
/// that is read as preformatted text (`<failure>`, `<system-out>`).
pub fn escape_content(text: &str) -> String {
    escape(text).replace("&#10;", "\n").replace("&#13;", "")
}

fn is_forbidden(character: char) -> bool {
    let code = character as u32;
    code < 0x20 || code == 0xFFFE || code == 0xFFFF
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn line_breaks_survive_attributes_and_controls_are_replaced() {
        assert_eq!(escape("a\nb\u{1}c"), "a&#10;b\u{FFFD}c");
        assert_eq!(escape_content("a\r\nb"), "a\nb");
    }
}

//! A small self-contained HTML page around Markdown the service already
//! writes (the checklist), for a browser or an intake portal's frame.

use dossier::lang::Lang;
use pulldown_cmark::{Event, Parser, html};

/// `markdown` as a page titled `title`. HTML inside the Markdown is shown
/// as text, never passed through.
pub fn markdown_page(title: &str, markdown: &str, lang: Lang) -> String {
    let events = Parser::new(markdown).map(|event| match event {
        Event::Html(text) | Event::InlineHtml(text) => Event::Text(text),
        other => other,
    });
    let mut body = String::new();
    html::push_html(&mut body, events);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        lang = lang.code(),
        title = escape(title),
    )
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;\
padding:0 1rem;line-height:1.5}h1{font-size:1.5rem}h2{font-size:1.25rem;margin-top:2rem}";

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_a_page_and_html_stays_text() {
        let page = markdown_page("A <b>", "# Title\n\n- item <script>x</script>\n", Lang::En);
        assert!(page.contains("<h1>Title</h1>"));
        assert!(page.contains("<li>item &lt;script&gt;x&lt;/script&gt;</li>"));
        assert!(page.contains("<title>A &lt;b&gt;</title>"));
        assert!(page.starts_with("<!DOCTYPE html>"));
    }
}

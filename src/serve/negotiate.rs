//! What a client asked for: the report format (query `format`, else
//! `Accept`), the language (query `lang`, else `Accept-Language`), and
//! the media type each format is sent as.

use axum::http::HeaderMap;
use axum::http::header;
use dossier::lang::Lang;
use dossier::render::Format;

use super::problem::Problem;

/// The media type a report in `format` is sent as.
pub fn media_type(format: Format) -> &'static str {
    format.media_type()
}

/// The format an `Accept` media range names, when it names one.
fn format_of_media_range(range: &str) -> Option<Format> {
    match range {
        "application/json" | "application/*" | "*/*" => Some(Format::Json),
        "application/x-ndjson" | "application/jsonl" | "application/x-jsonlines" => {
            Some(Format::Jsonl)
        }
        "text/markdown" | "text/x-markdown" => Some(Format::Markdown),
        "text/html" => Some(Format::Html),
        "application/junit+xml" | "application/xml" | "text/xml" => Some(Format::Junit),
        "application/sarif+json" => Some(Format::Sarif),
        "text/plain" | "text/*" => Some(Format::Text),
        _ => None,
    }
}

/// Media ranges of an `Accept`-like header, best first (by `q`, then order).
pub fn ranked(header_value: &str) -> Vec<String> {
    let mut ranges: Vec<(f32, usize, String)> = header_value
        .split(',')
        .enumerate()
        .filter_map(|(index, part)| {
            let mut pieces = part.split(';');
            let range = pieces.next()?.trim().to_ascii_lowercase();
            let quality = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (!range.is_empty() && quality > 0.0).then_some((quality, index, range))
        })
        .collect();
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranges.into_iter().map(|(_, _, range)| range).collect()
}

/// The report format: `format=` wins; else the best `Accept` range that
/// names one; else JSON (an `Accept` naming nothing we write is ignored,
/// as RFC 9110 allows).
pub fn report_format(query: Option<&str>, headers: &HeaderMap) -> Result<Format, Problem> {
    if let Some(name) = query {
        return Format::from_name(name).ok_or_else(|| {
            let known: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
            Problem::bad_request(format!(
                "unknown format `{name}`; known: {}",
                known.join(", ")
            ))
        });
    }
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    Ok(ranked(accept)
        .iter()
        .find_map(|range| format_of_media_range(range))
        .unwrap_or(Format::Json))
}

/// The language: `lang=` wins; else the first of `Accept-Language` we
/// write; else English.
pub fn language(query: Option<&str>, headers: &HeaderMap) -> Result<Lang, Problem> {
    match query {
        Some("zh") => return Ok(Lang::Zh),
        Some("en") => return Ok(Lang::En),
        Some(other) => {
            return Err(Problem::bad_request(format!(
                "unknown lang `{other}`; known: zh, en"
            )));
        }
        None => {}
    }
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    Ok(ranked(accept)
        .iter()
        .find_map(|tag| match tag.split('-').next() {
            Some("zh") => Some(Lang::Zh),
            Some("en") => Some(Lang::En),
            _ => None,
        })
        .unwrap_or(Lang::En))
}

/// The media type out of a `Content-Type` value, lower case, without parameters.
pub fn essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn accept(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn query_format_wins_over_accept() {
        let headers = accept("text/html");
        assert_eq!(
            report_format(Some("sarif"), &headers).unwrap(),
            Format::Sarif
        );
        assert!(report_format(Some("pdf"), &headers).is_err());
    }

    #[test]
    fn accept_is_ranked_by_quality() {
        let headers = accept("text/html;q=0.5, text/markdown, */*;q=0.1");
        assert_eq!(report_format(None, &headers).unwrap(), Format::Markdown);
        let headers = accept("image/png, text/plain;q=0.2");
        assert_eq!(report_format(None, &headers).unwrap(), Format::Text);
        assert_eq!(
            report_format(None, &HeaderMap::new()).unwrap(),
            Format::Json
        );
        assert_eq!(
            report_format(None, &accept("image/png")).unwrap(),
            Format::Json
        );
    }

    #[test]
    fn language_from_query_then_header() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("fr;q=0.9, zh-CN;q=0.8, en;q=0.5"),
        );
        assert_eq!(language(None, &headers).unwrap(), Lang::Zh);
        assert_eq!(language(Some("en"), &headers).unwrap(), Lang::En);
        assert!(language(Some("de"), &headers).is_err());
        assert_eq!(language(None, &HeaderMap::new()).unwrap(), Lang::En);
    }
}

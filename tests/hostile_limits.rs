//! `docs/security.md` documents every bound of `Limits` with its default;
//! this keeps the two in step.

use dossier::limits::Limits;

#[test]
fn every_limit_is_documented_with_its_default() {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/security.md"))
        .expect("docs/security.md");
    let shown = format!("{:?}", Limits::default());
    let fields = shown
        .trim_start_matches("Limits {")
        .trim_end_matches('}')
        .split(", ")
        .filter_map(|part| part.split_once(": "))
        .map(|(name, value)| (name.trim(), value.trim()));
    let mut count = 0;
    for (name, value) in fields {
        if !name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            continue; // the second half of a tuple value
        }
        count += 1;
        let row = docs
            .lines()
            .find(|line| line.starts_with(&format!("| `{name}` |")))
            .unwrap_or_else(|| panic!("docs/security.md has no row for `{name}`"));
        let value = value.trim_start_matches('(');
        let digits: String = value.chars().take_while(char::is_ascii_digit).collect();
        let documented = match value {
            v if v.ends_with("ms") => row.contains(&format!("{digits} ms")),
            v if v.ends_with('s') && !v.ends_with("ms") => row.contains(&format!("{digits} s")),
            _ => row.contains(&digits),
        };
        assert!(
            documented,
            "`{name}` = {value} is not the default given in: {row}"
        );
    }
    assert!(count >= 20, "{shown}");
}

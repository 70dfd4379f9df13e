//! The fast reader held to the general one: on every YAML text in the
//! repository, on generated manifest-like texts with random damage, and at
//! every bound. It may decline anything; what it takes must be exactly the
//! general reader's tree, and it must take the manifests it exists for.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::*;
use crate::limits::Limits;
use crate::yaml::parse::ParseError;
use crate::yaml::parse::parse_general;

fn manifest_limits() -> ParseLimits {
    Limits::default().manifest_parse()
}

/// Tight bounds, so the limits are reached by small texts too.
const TIGHT: ParseLimits = ParseLimits {
    depth: 3,
    nodes: 40,
    scalar_bytes: 24,
};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files_under(dir: &Path, keep: &dyn Fn(&Path) -> bool, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, keep, found);
        } else if keep(&path) {
            found.push(path);
        }
    }
}

fn yaml_files() -> Vec<PathBuf> {
    let is_yaml = |path: &Path| {
        matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        )
    };
    let mut found = Vec::new();
    for dir in ["fixtures", "rules", "tests"] {
        files_under(&root().join(dir), &is_yaml, &mut found);
    }
    found.sort();
    found
}

/// A file's text as the manifest loader reads it: UTF-8, or else GB18030
/// without a single error (one fixture is written so); `None` otherwise.
fn read_text(path: &Path) -> Option<String> {
    match String::from_utf8(std::fs::read(path).ok()?) {
        Ok(text) => Some(text),
        Err(error) => encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(error.as_bytes())
            .map(|text| text.into_owned()),
    }
}

/// Every UTF-8 file of the fuzz corpora (manifests, rule sets, waivers…).
fn fuzz_corpus_texts() -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    files_under(&root().join("fuzz/corpus"), &|_| true, &mut found);
    found.sort();
    found
        .into_iter()
        .filter_map(|path| {
            let text = String::from_utf8(std::fs::read(&path).ok()?).ok()?;
            Some((path, text))
        })
        .collect()
}

/// Panics unless the fast reader declines `text` or agrees with the
/// general reader; says whether it took it.
fn agrees(text: &str, limits: ParseLimits, name: &str) -> bool {
    match differential(text, limits) {
        Ok(taken) => taken,
        Err(difference) => panic!("{name}: {difference}\ntext: {text:?}"),
    }
}

#[test]
fn every_yaml_text_in_the_repository_is_read_alike() {
    let mut texts: Vec<(PathBuf, String)> = yaml_files()
        .into_iter()
        .filter_map(|path| Some((path.clone(), read_text(&path)?)))
        .collect();
    assert!(texts.len() > 150, "{} YAML files", texts.len());
    texts.extend(fuzz_corpus_texts());
    assert!(texts.len() > 1000, "{} texts", texts.len());
    let mut taken = 0;
    for (path, text) in &texts {
        let name = path.display().to_string();
        for limits in [
            manifest_limits(),
            Limits::default().rule_file_parse(),
            TIGHT,
        ] {
            taken += usize::from(agrees(text, limits, &name));
        }
    }
    // Most fuzz inputs are damaged on purpose; the fixtures' are not.
    assert!(taken > 500, "only {taken} readings taken");
}

/// The manifests this reader exists for: every shipped fixture the general
/// reader accepts, and the generated bundles of the benchmark corpus (the
/// fuzz target's seeds are three of them).
#[test]
fn shipped_and_generated_manifests_are_taken() {
    let mut manifests = Vec::new();
    files_under(
        &root().join("fixtures"),
        &|path| path.file_name().is_some_and(|n| n == "bundle.yaml"),
        &mut manifests,
    );
    files_under(
        &root().join("fuzz/corpus/yaml_fast"),
        &|_| true,
        &mut manifests,
    );
    assert!(manifests.len() > 90, "{} manifests", manifests.len());
    let mut declined = Vec::new();
    for path in &manifests {
        let text = read_text(path).unwrap();
        let name = path.display().to_string();
        if parse_general(&text, manifest_limits()).is_ok()
            && !agrees(&text, manifest_limits(), &name)
        {
            declined.push(name);
        }
    }
    assert!(declined.is_empty(), "declined: {declined:#?}");
}

/// Texts at the edge of the subset: each is either declined or read alike,
/// and the ones marked `true` must be taken.
#[test]
fn edges_of_the_subset() {
    let cases: &[(&str, bool)] = &[
        ("a: 1\n", true),
        ("a: 1", true),
        ("---\na: 1\n", true),
        ("# c\n---\n# d\na: 1\n", true),
        ("\u{feff}a: 1\n", true),
        ("a:\n  b: 1\n  c: [x, \"y\", 'z']\n", true),
        ("a:\n- 1\n", false),
        (
            "a:\n  - 1\n  - b: 2\n    c: 3\n  -   d: 4\n      e: 5\n",
            true,
        ),
        ("a: { b: 1, c: \"2\" }\n", true),
        ("a: {b: 1,c: 2}\n", true),
        ("a: {b: 1, c: 2,}\n", false),
        ("a: {}\n", false),
        ("a: []\n", false),
        ("a: {b: 1}# c\n", false),
        ("a: {b: 1} # c\n", true),
        ("a: b # c\n", true),
        ("a: b# c\n", true),
        ("a: b #c: d\n", true),
        ("a: b: c\n", false),
        ("a: b:\n", false),
        ("a: http://x\n", true),
        ("a: x:y\n", true),
        ("key : value\n", true),
        ("a:  spaced   \n", true),
        ("a: 'it''s'\n", false),
        ("a: \"x\\ty\"\n", false),
        ("a: \"x\"y\n", false),
        ("\"a\":1\n", false),
        ("\"a\": 1\n'b': 2\n", true),
        ("a: 1\n  b: 2\n", false),
        ("a: b\n  c\n", false),
        ("a: b\n  # c\nd: 1\n", false),
        ("a: b\n# c\nd: 1\n", true),
        ("a:\n    # c\n  b: 1\n", true),
        ("a: 1\n---\nb: 2\n", false),
        ("a: 1\n...\n", false),
        ("---a: 1\n", false),
        ("--- a: 1\n", false),
        ("a: 1\r\nb: 2\r\n", false),
        ("a:\t1\n", false),
        ("a: -1\n", false),
        ("a: ~\n", true),
        ("a:\nb: 1\n", false),
        ("a: 1\na: 2\n", false),
        ("a: { b: 1, b: 2 }\n", false),
        ("- a\n- b\n", true),
        ("- - a\n", false),
        ("-a\n", false),
        ("- a: 1\n b: 2\n", false),
        ("a: 名字：值\n", true),
        ("名字：值\n", false),
        ("- 名字：值\n", true),
        ("姓名: 张三\n职务: { 名: 李, 号: \"1\" }\n", true),
        ("a: [b, [c]]\n", false),
        ("a: [b: c]\n", false),
        ("a: {b: c:d}\n", false),
        ("a: {b:c}\n", false),
        ("a: {b: c}: d\n", false),
        ("? a\n: b\n", false),
        ("a: &x 1\n", false),
        ("a: !!str 1\n", false),
        ("a: |\n  x\n", false),
        ("a: >\n  x\n", false),
        ("%YAML 1.2\n---\na: 1\n", false),
        ("a: 1\n\n\n", true),
        ("\n\na: 1\n", true),
        ("a: \u{85}x\n", false),
        ("a: x\u{2028}y\n", false),
        ("a: x\u{feff}y\n", false),
        ("a: @x\n", false),
        ("a: `x\n", false),
        ("a: x,y\n", true),
        ("a: x]y\n", true),
        ("a: .inf\n", true),
        ("... : 1\n", false),
        ("  a: 1\n", false),
        ("", false),
        ("# only\n", false),
        ("a: \"  spaced  \"\nb: '  x '\n", true),
        ("a: \"\"\nb: ''\n", true),
        ("a: \"x # y\"\nb: 'p: q'\n", true),
        ("- \"a\": 1\n  'b': { \"c\": d }\n", true),
        ("a: 'x\\y'\n", false),
        ("a: \"x\ny\"\n", false),
        ("a: {名: 值, 号: \"１２\"}\n", true),
        ("a:\n  - [x, \"y\"]\n  - {p: q}\n", true),
        ("a: x\n\n  \nb: y\n", true),
        ("a: x   # c\n", true),
        ("a:   # c\n  b: 1\n", true),
        ("a: [x, y] # c\n", true),
        ("a: [x, y]z\n", false),
        // Found by the fuzz target: the general reader refuses this.
        ("a: { b: 2042-03-07 -}\n", false),
        ("a: [x -, y]\n", false),
        ("a: [x-y, z]\n", true),
        ("a: 0123\nb: 1_000\nc: 2024-02-30\nd: TRUE\n", true),
    ];
    for (text, must_take) in cases {
        let taken = agrees(text, manifest_limits(), text);
        if *must_take {
            assert!(taken, "declined {text:?}");
        }
        if !taken && text.starts_with("a:\nb") {
            assert!(parse_general(text, manifest_limits()).is_ok());
        }
    }
}

/// Every bound: one node, one level or one byte over is declined, and the
/// general reader then refuses with its usual error; exactly at the bound
/// both read the same tree.
#[test]
fn limits_are_kept_or_left_to_the_general_reader() {
    let text = "a:\n  b:\n    c: [x, y]\n  d: { e: 12345 }\n";
    let nodes = 13;
    let depth = 4;
    let longest = 5;
    let exact = ParseLimits {
        depth,
        nodes,
        scalar_bytes: longest,
    };
    assert!(agrees(text, exact, "exact"));
    let over = [
        ParseLimits {
            nodes: nodes - 1,
            ..exact
        },
        ParseLimits {
            depth: depth - 1,
            ..exact
        },
        ParseLimits {
            scalar_bytes: longest - 1,
            ..exact
        },
    ];
    for limits in over {
        assert!(read_plain(text, limits).is_none(), "{limits:?}");
        assert!(
            matches!(
                parse_general(text, limits),
                Err(ParseError::TooManyNodes { .. }
                    | ParseError::TooDeep { .. }
                    | ParseError::ValueTooLong { .. })
            ),
            "{limits:?}"
        );
    }
    // A flat map of many keys is indexed, not scanned, and a duplicate is
    // still declined past the switch.
    let flat: String = (0..100).map(|i| format!("k{i}: {i}\n")).collect();
    assert!(agrees(&flat, manifest_limits(), "flat"));
    let duplicate = format!("{flat}k42: again\n");
    assert!(read_plain(&duplicate, manifest_limits()).is_none());
    // A long implicit key is left to the general reader.
    let long_key = format!("{}: 1\n", "k".repeat(LONGEST_KEY + 1));
    assert!(read_plain(&long_key, manifest_limits()).is_none());
}

/// A manifest-like value: what the generator prints as block YAML.
#[derive(Debug, Clone)]
enum Shape {
    Scalar(String),
    FlowMap(Vec<(String, String)>),
    FlowList(Vec<String>),
    Map(Vec<(String, Shape)>),
    List(Vec<Shape>),
}

/// Words as manifests write them, and now and then one that YAML reads
/// differently (an indicator, `: `, ` #`, a keyword, spaces at an end).
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "[a-z_]{1,10}",
        3 => "[0-9]{1,6}",
        3 => "20[0-9]{2}-[01][0-9]-[0-3][0-9]",
        3 => "[\u{4e00}-\u{4e2f}\u{ff08}\u{ff09}\u{ff1a}]{1,6}",
        2 => "[a-z]{1,4} [a-z0-9]{1,4}",
        1 => "(true|false|null|Null|~|yes|long_term|1e3|0x1F|\\.inf|\\.5|0123)",
        1 => "[a-z]{0,3}[:#,\\[\\]{}&*!|>'\"%@` -][a-z ]{0,3}",
    ]
}

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => word(),
        2 => word().prop_map(|w| format!("\"{w}\"")),
        1 => word().prop_map(|w| format!("'{w}'")),
    ]
}

fn shape() -> impl Strategy<Value = Shape> {
    let leaf = prop_oneof![
        6 => scalar().prop_map(Shape::Scalar),
        1 => prop::collection::vec((word(), scalar()), 1..4).prop_map(Shape::FlowMap),
        1 => prop::collection::vec(scalar(), 1..4).prop_map(Shape::FlowList),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            3 => prop::collection::vec((word(), inner.clone()), 1..6).prop_map(Shape::Map),
            1 => prop::collection::vec(inner, 1..5).prop_map(Shape::List),
        ]
    })
}

/// Prints `shape` as block YAML at `indent`; `inline` when the first line
/// continues a `- ` already written. Repeated keys get their index, so
/// most texts have none.
fn print(shape: &Shape, indent: usize, inline: bool, out: &mut String) {
    let pad = |first: bool| {
        if first && inline {
            String::new()
        } else {
            " ".repeat(indent)
        }
    };
    match shape {
        Shape::Scalar(text) => {
            out.push_str(text);
            out.push('\n');
        }
        Shape::FlowMap(pairs) => {
            let inner: Vec<String> = pairs
                .iter()
                .enumerate()
                .map(|(i, (k, v))| format!("{k}{i}: {v}"))
                .collect();
            out.push_str(&format!("{{ {} }}\n", inner.join(", ")));
        }
        Shape::FlowList(items) => out.push_str(&format!("[{}]\n", items.join(", "))),
        Shape::Map(pairs) => {
            for (i, (key, value)) in pairs.iter().enumerate() {
                out.push_str(&format!("{}{key}{i}:", pad(i == 0)));
                match value {
                    Shape::Map(_) | Shape::List(_) => {
                        out.push('\n');
                        print(value, indent + 2, false, out);
                    }
                    _ => {
                        out.push(' ');
                        print(value, indent, false, out);
                    }
                }
            }
        }
        Shape::List(items) => {
            for (i, item) in items.iter().enumerate() {
                out.push_str(&format!("{}- ", pad(i == 0)));
                match item {
                    Shape::List(_) => {
                        out.push_str("x\n");
                    }
                    _ => print(item, indent + 2, true, out),
                }
            }
        }
    }
}

fn manifest_like() -> impl Strategy<Value = String> {
    let root = prop::collection::vec((word(), shape()), 1..8).prop_map(Shape::Map);
    (
        root,
        prop::sample::select(vec!["", "---\n", "# c\n", "\u{feff}", "# c\n\n"]),
    )
        .prop_map(|(root, start)| {
            let mut text = start.to_string();
            print(&root, 0, false, &mut text);
            text
        })
}

/// Random damage: a byte replaced, inserted or removed, at a random place.
#[derive(Debug, Clone)]
enum Damage {
    Replace(usize, char),
    Insert(usize, char),
    Remove(usize),
    Indent(usize, usize),
}

fn damage() -> impl Strategy<Value = Damage> {
    let character = prop_oneof![
        prop::sample::select(vec![
            ':', '#', '-', ' ', '\t', '\r', '\n', '"', '\'', ',', '[', ']', '{', '}', '&', '*',
            '!', '|', '>', '?', '%', '@', '`', '\\', '.', '~', '\u{feff}', '\u{85}', '\u{3000}',
            '\u{ff1a}', '名', '0',
        ]),
        any::<char>(),
    ];
    prop_oneof![
        (any::<usize>(), character.clone()).prop_map(|(at, c)| Damage::Replace(at, c)),
        (any::<usize>(), character).prop_map(|(at, c)| Damage::Insert(at, c)),
        any::<usize>().prop_map(Damage::Remove),
        (any::<usize>(), 0usize..6).prop_map(|(line, spaces)| Damage::Indent(line, spaces)),
    ]
}

fn apply(text: &str, damage: &Damage) -> String {
    let boundaries: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let mut text = text.to_string();
    match *damage {
        Damage::Replace(at, c) | Damage::Insert(at, c) => {
            let at = boundaries[at % boundaries.len()];
            if matches!(damage, Damage::Replace(..)) && at < text.len() {
                text.remove(at);
            }
            text.insert(at, c);
        }
        Damage::Remove(at) => {
            let at = boundaries[at % boundaries.len()];
            if at < text.len() {
                text.remove(at);
            }
        }
        Damage::Indent(line, spaces) => {
            let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
            let line = line % lines.len();
            let trimmed = lines[line].trim_start_matches(' ').to_string();
            lines[line] = format!("{}{trimmed}", " ".repeat(spaces));
            text = lines.join("\n");
        }
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn damaged_manifest_like_texts_are_declined_or_read_alike(
        mut text in manifest_like(),
        damages in prop::collection::vec(damage(), 0..3),
        crlf in prop::bool::weighted(0.05),
    ) {
        for damage in &damages {
            text = apply(&text, damage);
        }
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        for limits in [manifest_limits(), TIGHT] {
            if let Err(difference) = differential(&text, limits) {
                return Err(TestCaseError::fail(format!("{difference}\ntext: {text:?}")));
            }
        }
    }

    #[test]
    fn damaged_shipped_manifests_are_declined_or_read_alike(
        pick in any::<prop::sample::Index>(),
        damages in prop::collection::vec(damage(), 1..3),
    ) {
        let manifests = shipped_manifests();
        let mut text = manifests[pick.index(manifests.len())].clone();
        for damage in &damages {
            text = apply(&text, damage);
        }
        if let Err(difference) = differential(&text, manifest_limits()) {
            return Err(TestCaseError::fail(format!("{difference}\ntext: {text:?}")));
        }
    }
}

fn shipped_manifests() -> &'static [String] {
    static MANIFESTS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    MANIFESTS.get_or_init(|| {
        let mut found = Vec::new();
        files_under(
            &root().join("fixtures"),
            &|path| path.file_name().is_some_and(|n| n == "bundle.yaml"),
            &mut found,
        );
        files_under(&root().join("fuzz/corpus/yaml_fast"), &|_| true, &mut found);
        found.sort();
        found.iter().filter_map(|path| read_text(path)).collect()
    })
}

/// The screen of special characters at every place around its 32-byte
/// blocks: each refused character is found wherever it stands, and a text
/// of allowed characters passes.
#[test]
fn special_characters_are_found_at_every_place() {
    let refused = [
        "\t", "\r", "\0", "\u{7f}", "\u{85}", "\u{9f}", "\u{2028}", "\u{2029}", "\u{feff}",
        "\u{fffe}", "\u{ffff}", "\u{1b}",
    ];
    let allowed = [
        "a",
        "\n",
        "\u{a0}",
        "\u{2014}",
        "\u{ff1a}",
        "\u{fffd}",
        "名",
        "\u{10000}",
    ];
    for length in [0, 1, 31, 32, 33, 64, 70] {
        for at in 0..=length {
            for character in refused {
                let text = format!("{}{character}{}", "x".repeat(at), "y".repeat(length - at));
                assert!(!plain_characters(text.as_bytes()), "{text:?}");
            }
            for character in allowed {
                let text = format!("{}{character}{}", "x".repeat(at), "y".repeat(length - at));
                assert!(plain_characters(text.as_bytes()), "{text:?}");
            }
        }
    }
}

/// One line of many values costs linear time: columns are counted on from
/// the value before, not from the line's start each time (150 000 values
/// took minutes that way).
#[test]
fn a_long_line_of_values_is_read_in_linear_time() {
    let limits = ParseLimits {
        depth: 8,
        nodes: 400_000,
        scalar_bytes: 100,
    };
    let list = format!("a: [{}]\n", vec!["名1"; 150_000].join(", "));
    let started = std::time::Instant::now();
    let root = read_plain(&list, limits).unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    let items = root.get("a").unwrap().as_sequence().unwrap();
    assert_eq!(items[149_999].position.column, 5 + 149_999 * 4);
    let short = format!("a: [{}]\n", vec!["名1"; 1000].join(", "));
    assert!(agrees(&short, limits, "a thousand values on one line"));
}

//! Every shape and every byte against serde_json, the reference.

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde::{Serialize, Serializer};

use super::{compact, pretty};

/// Both layouts of `value` are serde_json's text.
fn same_as_serde_json<T: Serialize + ?Sized>(value: &T) {
    assert_eq!(
        compact(value, 0).unwrap(),
        serde_json::to_string(value).unwrap()
    );
    assert_eq!(
        pretty(value, 0).unwrap(),
        serde_json::to_string_pretty(value).unwrap()
    );
}

#[test]
fn every_ascii_byte_and_the_tricky_characters_are_escaped_as_serde_json_does() {
    let mut characters: Vec<char> = (0u8..0x80).map(char::from).collect();
    characters.extend([
        '\u{80}', '\u{2028}', '\u{2029}', '中', '😀', '\u{202e}', '\u{feff}',
    ]);
    for c in characters {
        // At every place in and around an eight-byte word.
        for before in 0..20 {
            for after in [0, 1, 7, 8, 9] {
                let text = format!("{}{c}{}", "a".repeat(before), "é".repeat(after));
                same_as_serde_json(&text);
                same_as_serde_json(&c);
            }
        }
    }
}

#[test]
fn runs_of_escapes_and_long_plain_text_are_written_whole() {
    for text in [
        "",
        "\"\"\"\\\\\\\n\n\t",
        "\u{1}\u{1f}\u{7f}\u{0}",
        "plain text longer than eight bytes, and then some more of it",
        "一个很长的中文句子，没有任何需要转义的字符。然后\"引号\"",
        "/path/to/file\\with\\backslashes/and\"quotes\"\r\n",
    ] {
        same_as_serde_json(text);
        same_as_serde_json(&text.repeat(5));
    }
}

#[derive(Serialize)]
enum Shapes {
    Unit,
    Newtype(u32),
    Tuple(i8, String),
    EmptyTuple(),
    Struct { a: Option<bool>, b: Vec<u8> },
    EmptyStruct {},
}

#[derive(Serialize)]
struct Nested {
    empty_list: Vec<u8>,
    empty_map: BTreeMap<String, u8>,
    lists: Vec<Vec<i64>>,
    holes: Vec<Option<()>>,
    shapes: Vec<Shapes>,
    unit: (),
    numbers: (i128, u128, i64, u64, i16, u16),
    floats: (f64, f64, f64, f32, f64),
    letter: char,
    text: &'static str,
}

/// Bytes as serde serialises them when asked to (`serde_bytes`).
struct Bytes(&'static [u8]);

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

#[test]
fn every_shape_serde_has_is_laid_out_as_serde_json_lays_it_out() {
    let nested = Nested {
        empty_list: Vec::new(),
        empty_map: BTreeMap::new(),
        lists: vec![vec![], vec![1], vec![-2, 3]],
        holes: vec![None, Some(())],
        shapes: vec![
            Shapes::Unit,
            Shapes::Newtype(7),
            Shapes::Tuple(-1, "x\"".into()),
            Shapes::EmptyTuple(),
            Shapes::Struct {
                a: Some(false),
                b: vec![0, 255],
            },
            Shapes::Struct { a: None, b: vec![] },
            Shapes::EmptyStruct {},
        ],
        unit: (),
        numbers: (i128::MIN, u128::MAX, i64::MIN, u64::MAX, -5, 5),
        floats: (1.5, f64::NAN, 1e300, 0.1, -0.0),
        letter: '\u{8}',
        text: "t",
    };
    same_as_serde_json(&nested);
    same_as_serde_json(&vec![nested]);
    same_as_serde_json(&Bytes(b"\x00\x7f\xff"));
    same_as_serde_json(&Bytes(b""));
    same_as_serde_json(&Vec::<Vec<()>>::new());
    same_as_serde_json(&vec![BTreeMap::<u8, u8>::new()]);
}

#[test]
fn integers_are_written_as_serde_json_writes_them() {
    let mut values: Vec<i64> = vec![0, 1, 9, 10, 99, 100, i64::MIN, i64::MAX, -1, -10];
    values.extend((0..64).map(|shift| 1i64 << shift));
    values.extend((0..64).map(|shift| (1i64 << shift).wrapping_sub(1)));
    for value in values {
        same_as_serde_json(&value);
        same_as_serde_json(&value.unsigned_abs());
        same_as_serde_json(&(value as i32));
        same_as_serde_json(&(value as u8));
        same_as_serde_json(&(value as usize));
    }
    same_as_serde_json(&u64::MAX);
}

#[test]
fn map_keys_are_strings_numbers_and_booleans_quoted() {
    same_as_serde_json(&BTreeMap::from([(1i32, "a"), (-2, "b")]));
    same_as_serde_json(&BTreeMap::from([(true, 1), (false, 2)]));
    same_as_serde_json(&BTreeMap::from([('"', 1), ('\n', 2)]));
    same_as_serde_json(&BTreeMap::from([("\u{1}key\\", vec![1]), ("", vec![])]));
    same_as_serde_json(&BTreeMap::from([(u128::MAX, ())]));
    // A key JSON cannot hold is refused, as serde_json refuses it.
    let refused = BTreeMap::from([(vec![1], 1)]);
    assert!(serde_json::to_string(&refused).is_err());
    assert!(compact(&refused, 0).is_none());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any text at all, as a value and as a key.
    #[test]
    fn any_text_is_escaped_as_serde_json_escapes_it(text in any::<String>()) {
        prop_assert_eq!(compact(&text, 0).unwrap(), serde_json::to_string(&text).unwrap());
        let map = BTreeMap::from([(text.clone(), vec![text.clone()])]);
        prop_assert_eq!(pretty(&map, 0).unwrap(), serde_json::to_string_pretty(&map).unwrap());
    }

    /// Text dense in the bytes JSON escapes, beside plain and non-ASCII runs.
    #[test]
    fn text_dense_in_escapes_is_escaped_as_serde_json_escapes_it(
        text in "[\\x00-\\x1f\"\\\\/a-z\\x7f\u{2028}中]{0,40}"
    ) {
        prop_assert_eq!(compact(&text, 0).unwrap(), serde_json::to_string(&text).unwrap());
    }
}

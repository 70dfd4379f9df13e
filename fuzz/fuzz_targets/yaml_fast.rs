//! The fast manifest reader against the general YAML reader: for any text,
//! the fast reader either declines or gives exactly the tree the general
//! reader gives (values, styles, lines and columns), and never takes a text
//! the general reader refuses; under a manifest's bounds, a rule file's and
//! tight ones. Any difference is a bug.
#![no_main]

use dossier::internals::fast_reader_differential;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    if let Err(difference) = fast_reader_differential(text) {
        panic!("{difference}\ntext: {text:?}");
    }
});

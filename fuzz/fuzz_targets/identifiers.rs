//! Every identifier parser, chosen by the first byte: USCC, resident ID,
//! mobile, email, dates (and long-term) and the name comparison key. Each
//! must answer Ok or a typed error, and its explanation must render.
#![no_main]

use chrono::NaiveDate;
use dossier::internals::{date, email, mobile, name, ric, uscc};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Some((selector, rest)) = bytes.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let judged_on = NaiveDate::from_ymd_opt(2024, 8, 28).expect("a real date");
    match selector % 6 {
        0 => {
            if let Err(error) = uscc::parse(text) {
                let _ = error.explain();
            }
        }
        1 => {
            if let Err(error) = ric::parse(text, judged_on) {
                let _ = error.explain();
            }
        }
        2 => {
            if let Err(error) = mobile::parse(text) {
                let _ = error.explain();
            }
        }
        3 => {
            if let Err(error) = email::parse(text) {
                let _ = error.explain();
            }
        }
        4 => {
            if let Err(error) = date::parse_date_or_long_term(text) {
                let _ = error.explain();
            }
            let _ = date::parse_date(text);
        }
        _ => {
            let _ = name::comparison_key(text);
            assert!(name::same_name(text, text));
        }
    }
});

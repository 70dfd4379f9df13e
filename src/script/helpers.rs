//! Helper functions for rule scripts: identifiers, names, contacts, working
//! days and lookups. Each has the semantics of the domain function it calls,
//! so a script and a typed field never disagree. `docs/rules.md` lists them.

use std::sync::Arc;

use chrono::NaiveDate;
use rhai::{Array, Dynamic, Engine, EvalAltResult, ImmutableString, Map};

use crate::domain::calendar::WorkingDayCalendar;
use crate::domain::date::DateValue;
use crate::domain::{email, mobile, name, normalize_identifier, ric, uscc};

pub(super) type Fallible<T> = Result<T, Box<EvalAltResult>>;

/// Far enough ahead that "born after the judging date" never triggers when a
/// script validates a number without a date.
const NO_DATE_BOUND: NaiveDate = NaiveDate::MAX;

pub(super) fn resident_id(text: &str) -> Fallible<ric::ResidentId> {
    ric::parse(text, NO_DATE_BOUND).map_err(|e| e.explain().en.into())
}

pub(super) fn day(value: DateValue) -> Fallible<NaiveDate> {
    match value {
        DateValue::Day(day) => Ok(day),
        DateValue::LongTerm => Err("a long-term date has no day".into()),
    }
}

/// Whether a value is there: not `()` and not blank text.
pub(super) fn present(value: Dynamic) -> bool {
    if value.is_unit() {
        return false;
    }
    match value.into_immutable_string() {
        Ok(text) => !text.trim().is_empty(),
        Err(_) => true,
    }
}

pub(super) fn same_mobile(a: &str, b: &str) -> bool {
    match (mobile::parse(a), mobile::parse(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => normalize_identifier(a) == normalize_identifier(b),
    }
}

pub(super) fn same_email(a: &str, b: &str) -> bool {
    match (email::parse(a), email::parse(b)) {
        (Ok(a), Ok(b)) => a.comparison_key() == b.comparison_key(),
        _ => a.trim() == b.trim(),
    }
}

/// The documents of `material` a party holds (parties carry their documents).
fn documents_of(party: Dynamic, material: &str) -> Fallible<Array> {
    let party = party
        .read_lock::<Map>()
        .ok_or("documents_of: the first argument is not a party")?;
    let documents = party
        .get("documents")
        .ok_or("documents_of: the first argument is not a party")?
        .clone()
        .into_array()
        .map_err(|_| "documents_of: the party has no document list")?;
    Ok(documents
        .into_iter()
        .filter(|doc| {
            doc.read_lock::<Map>()
                .and_then(|m| m.get("type").map(|t| t.to_string() == material))
                .unwrap_or(false)
        })
        .collect())
}

/// The first document of `material` a party holds, or `()` when it holds
/// none.
pub(super) fn document_of(party: Dynamic, material: &str) -> Fallible<Dynamic> {
    Ok(documents_of(party, material)?
        .into_iter()
        .next()
        .unwrap_or(Dynamic::UNIT))
}

fn with_role(parties: Dynamic, role: &str) -> Fallible<Array> {
    let parties = parties
        .read_lock::<Array>()
        .ok_or("with_role: the first argument is not a list of parties")?;
    Ok(parties
        .iter()
        .filter(|party| {
            party
                .read_lock::<Map>()
                .and_then(|m| m.get("role").map(|r| r.to_string() == role))
                .unwrap_or(false)
        })
        .cloned()
        .collect())
}

/// Whether the manifest writes a value for `field` of a party or document,
/// valid or not (an invalid value reads as `()` but is still "given").
pub(super) fn has(item: Dynamic, field: &str) -> Fallible<bool> {
    let item = item
        .read_lock::<Map>()
        .ok_or("has: the first argument is not a party or document")?;
    let given = item
        .get("given")
        .ok_or("has: the first argument is not a party or document")?;
    let given = given
        .read_lock::<Array>()
        .ok_or("has: the first argument is not a party or document")?;
    Ok(given.iter().any(|name| name.to_string() == field))
}

/// One script helper as the reference documents it (`dossier rules docs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HelperDoc {
    pub name: &'static str,
    /// How it is called, with argument and result types.
    pub signature: &'static str,
    /// What it means, in one or two sentences.
    pub semantics: &'static str,
}

/// Every helper registered below; a test keeps it complete.
pub const HELPERS: &[HelperDoc] = &[
    HelperDoc {
        name: "present",
        signature: "present(value) -> bool",
        semantics: "The value is there: not `()` (missing or invalid) and not blank text.",
    },
    HelperDoc {
        name: "has",
        signature: "has(party_or_doc, field: string) -> bool",
        semantics: "The manifest writes a value for `field`, valid or not (an invalid value reads as `()` but is still given).",
    },
    HelperDoc {
        name: "same_name",
        signature: "same_name(a: string, b: string) -> bool",
        semantics: "The names are the same as a reviewer reads them: full-/half-width, brackets, spaces and middle dots do not matter.",
    },
    HelperDoc {
        name: "name_key",
        signature: "name_key(name: string) -> string",
        semantics: "The comparison key `same_name` uses, e.g. to find duplicates.",
    },
    HelperDoc {
        name: "same_id",
        signature: "same_id(a: string, b: string) -> bool",
        semantics: "The identifiers are equal once spaces, hyphens, width and the case of a check letter are normalised.",
    },
    HelperDoc {
        name: "same_mobile",
        signature: "same_mobile(a: string, b: string) -> bool",
        semantics: "The same mainland mobile number in any spelling (+86, spaces, hyphens).",
    },
    HelperDoc {
        name: "same_email",
        signature: "same_email(a: string, b: string) -> bool",
        semantics: "The same email address (domain case-insensitive).",
    },
    HelperDoc {
        name: "is_uscc",
        signature: "is_uscc(text: string) -> bool",
        semantics: "A valid unified social credit code (GB 32100 check character and the GB 11714 organisation code check).",
    },
    HelperDoc {
        name: "is_ric",
        signature: "is_ric(text: string) -> bool",
        semantics: "A valid resident ID number (GB 11643: region, birth date, MOD 11-2 check character).",
    },
    HelperDoc {
        name: "is_mobile",
        signature: "is_mobile(text: string) -> bool",
        semantics: "A valid mainland mobile number.",
    },
    HelperDoc {
        name: "is_email",
        signature: "is_email(text: string) -> bool",
        semantics: "A well-formed email address.",
    },
    HelperDoc {
        name: "birth_date",
        signature: "birth_date(id: string) -> Date",
        semantics: "The birth date written in a resident ID number; an error (the rule is skipped) when the number is invalid.",
    },
    HelperDoc {
        name: "age_on",
        signature: "age_on(id: string, day: Date) -> int",
        semantics: "Full years of age on `day` of the holder of a resident ID number.",
    },
    HelperDoc {
        name: "sex",
        signature: "sex(id: string) -> string",
        semantics: "`male` or `female`, from the 17th digit of a resident ID number.",
    },
    HelperDoc {
        name: "documents_of",
        signature: "documents_of(party, material: string) -> array",
        semantics: "The documents of `material` the party holds, in manifest order.",
    },
    HelperDoc {
        name: "document_of",
        signature: "document_of(party, material: string) -> document or ()",
        semantics: "The first document of `material` the party holds, or `()` when it holds none.",
    },
    HelperDoc {
        name: "with_role",
        signature: "with_role(parties: array, role: string) -> array",
        semantics: "The parties of `role`, in manifest order.",
    },
    HelperDoc {
        name: "count_same",
        signature: "count_same(parties: array, role: string, field: string, value, how: string) -> int",
        semantics: "How many parties of `role` have a present `field` equal to `value`, compared `how`: \"mobile\" (same_mobile), \"email\" (same_email), \"name\" (same_name), \"id\" (same_id) or \"text\" (exactly). `count_same(parties, \"employee\", \"phone\", employee.phone, \"mobile\") == 1` says no other employee shares the number.",
    },
    HelperDoc {
        name: "count_present",
        signature: "count_present(parties: array, role: string, field: string) -> int",
        semantics: "How many parties of `role` have a present (valid, non-blank) `field`.",
    },
    HelperDoc {
        name: "is_working_day",
        signature: "is_working_day(day: Date) -> bool",
        semantics: "A working day on the rule set's calendar (holidays off, 调休 weekend days worked). Only with a calendar.",
    },
    HelperDoc {
        name: "add_working_days",
        signature: "add_working_days(day: Date, n: int) -> Date",
        semantics: "The n-th working day after `day` on the rule set's calendar. Only with a calendar.",
    },
];

/// Calls `visit` with the value of `field` of each party of `role` that has one.
pub(super) fn each_present(
    parties: &Dynamic,
    role: &str,
    field: &str,
    visit: &mut dyn FnMut(&str),
) -> Fallible<()> {
    let parties = parties
        .read_lock::<Array>()
        .ok_or("the first argument is not a list of parties")?;
    for party in parties.iter() {
        let Some(party) = party.read_lock::<Map>() else {
            continue;
        };
        if party.get("role").is_none_or(|r| !displays_as(r, role)) {
            continue;
        }
        if let Some(value) = party
            .get(field)
            .and_then(|v| v.read_lock::<ImmutableString>())
            && !value.trim().is_empty()
        {
            visit(value.as_str());
        }
    }
    Ok(())
}

/// Whether `value` shows as `text` (its `to_string()`), without making that
/// string when it is a text already (a role name is, in every party). A
/// shared text shows as `text (shared)`, so it takes the formatter.
pub(super) fn displays_as(value: &Dynamic, text: &str) -> bool {
    match value.read_lock::<ImmutableString>() {
        Some(shown) if !value.is_shared() => shown.as_str() == text,
        _ => value.to_string() == text,
    }
}

/// Counts without cloning a single party: uniqueness rules run once per
/// party, so a `filter` with a closure would copy every party each time.
/// `value` is normalised once, not once per party: a script may pass a long
/// text, and its cost must not be multiplied by the number of parties.
pub(super) fn count_same(
    parties: Dynamic,
    role: &str,
    field: &str,
    value: &str,
    how: &str,
) -> Fallible<i64> {
    count_same_by(value, how, |visit| {
        each_present(&parties, role, field, visit)
    })
}

/// `count_same` over the values `each` visits (the present values of one
/// field of the parties of one role), however they are read.
pub(super) fn count_same_by(
    value: &str,
    how: &str,
    each: impl FnOnce(&mut dyn FnMut(&str)) -> Fallible<()>,
) -> Fallible<i64> {
    let same: Box<dyn Fn(&str) -> bool> = match how {
        // As `same_mobile` and `same_email`, with `value` worked out once.
        "mobile" => {
            let parsed = mobile::parse(value).ok();
            // Needed only where a number does not parse: most calls never
            // normalise `value` (the same key, worked out at most once).
            let key = std::cell::OnceCell::new();
            Box::new(move |other| match (&parsed, mobile::parse(other)) {
                (Some(a), Ok(b)) => *a == b,
                _ => {
                    normalize_identifier(other) == *key.get_or_init(|| normalize_identifier(value))
                }
            })
        }
        "email" => {
            let parsed = email::parse(value).ok().map(|a| a.comparison_key());
            let trimmed = value.trim();
            Box::new(move |other| match (&parsed, email::parse(other)) {
                (Some(a), Ok(b)) => *a == b.comparison_key(),
                _ => other.trim() == trimmed,
            })
        }
        "name" => {
            let key = name::comparison_key(value);
            Box::new(move |other| name::comparison_key(other) == key)
        }
        "id" => {
            let key = normalize_identifier(value);
            Box::new(move |other| normalize_identifier(other) == key)
        }
        "text" => Box::new(|other| other == value),
        other => {
            return Err(format!(
                "count_same: unknown comparison `{other}` (mobile, email, name, id, text)"
            )
            .into());
        }
    };
    let mut count = 0;
    each(&mut |other| count += i64::from(same(other)))?;
    Ok(count)
}

pub(super) fn count_present(parties: Dynamic, role: &str, field: &str) -> Fallible<i64> {
    let mut count = 0;
    each_present(&parties, role, field, &mut |_| count += 1)?;
    Ok(count)
}

/// `text`, when a helper may take it: at most `limit` bytes.
pub(super) fn bounded(text: &str, limit: usize) -> Fallible<&str> {
    if text.len() > limit {
        return Err(format!(
            "a text of {} bytes is longer than the {limit} a name helper takes",
            text.len()
        )
        .into());
    }
    Ok(text)
}

pub(super) fn register(
    engine: &mut Engine,
    calendar: Option<Arc<WorkingDayCalendar>>,
    text_limit: usize,
) {
    engine.register_fn(
        "count_same",
        move |parties: Dynamic, role: &str, field: &str, value: &str, how: &str| {
            count_same(parties, role, field, bounded(value, text_limit)?, how)
        },
    );
    engine.register_fn("count_present", count_present);
    engine.register_fn("present", present);
    engine.register_fn("has", has);
    engine.register_fn("same_name", move |a: &str, b: &str| -> Fallible<bool> {
        Ok(name::same_name(
            bounded(a, text_limit)?,
            bounded(b, text_limit)?,
        ))
    });
    engine.register_fn("name_key", move |a: &str| -> Fallible<String> {
        Ok(name::comparison_key(bounded(a, text_limit)?))
    });
    engine.register_fn("same_id", |a: &str, b: &str| {
        normalize_identifier(a) == normalize_identifier(b)
    });
    engine.register_fn("same_mobile", same_mobile);
    engine.register_fn("same_email", same_email);
    engine.register_fn("is_uscc", |text: &str| uscc::parse(text).is_ok());
    engine.register_fn("is_ric", |text: &str| {
        ric::parse(text, NO_DATE_BOUND).is_ok()
    });
    engine.register_fn("is_mobile", |text: &str| mobile::parse(text).is_ok());
    engine.register_fn("is_email", |text: &str| email::parse(text).is_ok());
    engine.register_fn("birth_date", |id: &str| -> Fallible<DateValue> {
        Ok(DateValue::Day(resident_id(id)?.birth_date()))
    });
    engine.register_fn("age_on", |id: &str, on: DateValue| -> Fallible<i64> {
        Ok(i64::from(resident_id(id)?.age_on(day(on)?)))
    });
    engine.register_fn("sex", |id: &str| -> Fallible<ImmutableString> {
        Ok(match resident_id(id)?.sex() {
            ric::Sex::Male => "male".into(),
            ric::Sex::Female => "female".into(),
        })
    });
    engine.register_fn("documents_of", documents_of);
    engine.register_fn("document_of", document_of);
    engine.register_fn("with_role", with_role);

    let Some(calendar) = calendar else { return };
    let shared = calendar.clone();
    engine.register_fn("is_working_day", move |d: DateValue| -> Fallible<bool> {
        Ok(shared.is_working_day(day(d)?).working)
    });
    engine.register_fn(
        "add_working_days",
        move |d: DateValue, n: i64| -> Fallible<DateValue> {
            let count =
                u32::try_from(n).map_err(|_| "add_working_days: the count must be 0 or more")?;
            Ok(DateValue::Day(
                calendar.nth_working_day_after(day(d)?, count).date,
            ))
        },
    );
}

#[cfg(test)]
mod tests {
    use super::HELPERS;

    #[test]
    fn count_same_mobile_falls_back_to_the_normalised_text_where_one_does_not_parse() {
        use rhai::{Array, Dynamic, Map};
        let party = |role: &str, phone: &str| {
            let mut map = Map::new();
            map.insert("role".into(), Dynamic::from(role.to_string()));
            map.insert("phone".into(), Dynamic::from(phone.to_string()));
            Dynamic::from_map(map)
        };
        let parties: Array = vec![
            party("employee", "138 0013 8000"),
            party("employee", "+86 13800138000"),
            party("employee", "ＡＢ-12"),
            party("employee", "ab-12"),
            party("contact", "13800138000"),
        ];
        let parties = Dynamic::from_array(parties);
        let count = |value: &str| {
            super::count_same(parties.clone(), "employee", "phone", value, "mobile").unwrap()
        };
        assert_eq!(count("13800138000"), 2);
        // `ＡＢ-12` and `ab-12` are one identifier (NFKC, case, dashes).
        assert_eq!(count("ab-12"), 2);
        assert_eq!(count("AB-12"), count("ab-12"));
        assert_eq!(count("nothing like it"), 0);
    }

    #[test]
    fn a_role_is_compared_as_its_to_string_would_be() {
        use rhai::Dynamic;
        let cases = [
            (Dynamic::from("employee"), "employee", true),
            (Dynamic::from("employee"), "contact", false),
            (Dynamic::from("employee").into_shared(), "employee", false),
            (
                Dynamic::from("employee").into_shared(),
                "employee (shared)",
                true,
            ),
            (Dynamic::UNIT, "", true),
            (Dynamic::UNIT, "employee", false),
            (Dynamic::from(5_i64), "5", true),
            (Dynamic::from('e'), "e", true),
        ];
        for (value, text, shown) in cases {
            assert_eq!(value.to_string() == text, shown, "{value:?}");
            assert_eq!(
                super::displays_as(&value, text),
                shown,
                "{value:?} as {text}"
            );
        }
    }

    /// Names passed to `register_fn` in a source file, operators and rhai's
    /// own conversions left out.
    pub(crate) fn registered(source: &str) -> Vec<String> {
        let mut names: Vec<String> = source
            .split("register_fn(")
            .skip(1)
            .filter_map(|rest| rest.trim_start().strip_prefix('"'))
            .filter_map(|rest| rest.split('"').next())
            .filter(|name| name.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
            .filter(|name| !["to_string", "to_debug"].contains(name))
            .map(String::from)
            .collect();
        names.dedup();
        names
    }

    #[test]
    fn every_registered_helper_is_documented() {
        let documented: Vec<&str> = HELPERS
            .iter()
            .chain(super::super::date::DATE_HELPERS)
            .chain(super::super::patterns::PATTERN_HELPERS)
            .map(|h| h.name)
            .collect();
        let mut registered = registered(include_str!("helpers.rs"));
        registered.extend(registered_in_date());
        registered.extend(self::registered(include_str!("patterns.rs")));
        assert!(registered.len() > 20, "{registered:?}");
        for name in &registered {
            assert!(
                documented.contains(&name.as_str()),
                "`{name}` is registered but not in HELPERS/DATE_HELPERS"
            );
        }
        for name in documented {
            assert!(
                registered.iter().any(|r| r == name),
                "`{name}` is documented but not registered"
            );
        }
    }

    fn registered_in_date() -> Vec<String> {
        registered(include_str!("date.rs"))
    }
}

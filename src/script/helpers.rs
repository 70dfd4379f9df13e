//! Helper functions for rule scripts: identifiers, names, contacts, working
//! days and lookups. Each has the semantics of the domain function it calls,
//! so a script and a typed field never disagree. `docs/rules.md` lists them.

use std::sync::Arc;

use chrono::NaiveDate;
use rhai::{Array, Dynamic, Engine, EvalAltResult, ImmutableString, Map};

use crate::domain::calendar::WorkingDayCalendar;
use crate::domain::date::DateValue;
use crate::domain::{email, mobile, name, normalize_identifier, ric, uscc};

type Fallible<T> = Result<T, Box<EvalAltResult>>;

/// Far enough ahead that "born after the judging date" never triggers when a
/// script validates a number without a date.
const NO_DATE_BOUND: NaiveDate = NaiveDate::MAX;

fn resident_id(text: &str) -> Fallible<ric::ResidentId> {
    ric::parse(text, NO_DATE_BOUND).map_err(|e| e.explain().en.into())
}

fn day(value: DateValue) -> Fallible<NaiveDate> {
    match value {
        DateValue::Day(day) => Ok(day),
        DateValue::LongTerm => Err("a long-term date has no day".into()),
    }
}

/// Whether a value is there: not `()` and not blank text.
fn present(value: Dynamic) -> bool {
    if value.is_unit() {
        return false;
    }
    match value.into_immutable_string() {
        Ok(text) => !text.trim().is_empty(),
        Err(_) => true,
    }
}

fn same_mobile(a: &str, b: &str) -> bool {
    match (mobile::parse(a), mobile::parse(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => normalize_identifier(a) == normalize_identifier(b),
    }
}

fn same_email(a: &str, b: &str) -> bool {
    match (email::parse(a), email::parse(b)) {
        (Ok(a), Ok(b)) => a.comparison_key() == b.comparison_key(),
        _ => a.trim() == b.trim(),
    }
}

/// The documents of `material` a party holds (parties carry their documents).
fn documents_of(party: Dynamic, material: &str) -> Fallible<Array> {
    let party = party.read_lock::<Map>().ok_or("documents_of: the first argument is not a party")?;
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

fn with_role(parties: Dynamic, role: &str) -> Fallible<Array> {
    let parties = parties.read_lock::<Array>().ok_or("with_role: the first argument is not a list of parties")?;
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
fn has(item: Dynamic, field: &str) -> Fallible<bool> {
    let item = item.read_lock::<Map>().ok_or("has: the first argument is not a party or document")?;
    let given = item
        .get("given")
        .ok_or("has: the first argument is not a party or document")?;
    let given = given
        .read_lock::<Array>()
        .ok_or("has: the first argument is not a party or document")?;
    Ok(given.iter().any(|name| name.to_string() == field))
}

pub(super) fn register(engine: &mut Engine, calendar: Option<Arc<WorkingDayCalendar>>) {
    engine.register_fn("present", present);
    engine.register_fn("has", has);
    engine.register_fn("same_name", |a: &str, b: &str| name::same_name(a, b));
    engine.register_fn("name_key", |a: &str| name::comparison_key(a));
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
    engine.register_fn(
        "document_of",
        |party: Dynamic, material: &str| -> Fallible<Dynamic> {
            Ok(documents_of(party, material)?
                .into_iter()
                .next()
                .unwrap_or(Dynamic::UNIT))
        },
    );
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

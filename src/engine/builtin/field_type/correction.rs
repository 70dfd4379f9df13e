//! The corrected value a `field.type` failure can offer: the one value the
//! clerk needs to copy (the 18-digit form of a first-generation ID number,
//! the end date of a period copied from a card). It is an argument of its
//! own kind, so a personal number is masked in reports and shown in full
//! with `--show-personal-data`.

use chrono::NaiveDate;

use crate::domain::date::{DateError, parse_date_or_long_term};
use crate::domain::ric::{self, RicError};
use crate::lang::Localized;
use crate::report::{Argument, ArgumentKind};
use crate::rules::FieldType;

/// A value to write instead of the one given.
pub struct Correction {
    /// The `{corrected}` argument.
    pub value: Argument,
    /// A reason quoting `{corrected}`, where the domain's own explanation
    /// would quote the value already masked.
    pub reason: Option<Localized>,
}

/// The value `raw` should be written as, when its type knows it.
pub fn corrected_value(
    field_type: FieldType,
    raw: &str,
    judged_on: NaiveDate,
) -> Option<Correction> {
    match field_type {
        FieldType::Ric => match ric::parse(raw, judged_on) {
            Err(RicError::FirstGeneration { upgraded }) => Some(Correction {
                value: Argument::new("corrected", upgraded, ArgumentKind::ResidentId),
                reason: Some(Localized::new(
                    "这是 15 位的第一代身份证号码,已于 2013-01-01 停止使用;对应的 18 位号码为 {corrected}",
                    "this is a 15-digit first-generation number, no longer valid since 2013-01-01; its 18-digit form is {corrected}",
                )),
            }),
            _ => None,
        },
        FieldType::Date | FieldType::DateOrLongTerm => match parse_date_or_long_term(raw) {
            Err(DateError::Period { end, .. }) => Some(Correction {
                value: Argument::new("corrected", end.to_string(), ArgumentKind::Date),
                reason: None,
            }),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 8, 28).unwrap()
    }

    #[test]
    fn a_first_generation_number_offers_its_18_digit_form_unmasked_on_request() {
        let correction = corrected_value(FieldType::Ric, "110105491231002", day()).unwrap();
        assert!(correction.reason.unwrap().zh.contains("{corrected}"));
        let corrected = correction.value;
        assert_eq!(corrected.kind, ArgumentKind::ResidentId);
        assert_eq!(corrected.display(Lang::Zh, true), "11010519491231002X");
        assert_ne!(corrected.display(Lang::Zh, false), "11010519491231002X");
    }

    #[test]
    fn a_period_offers_its_end() {
        let corrected = corrected_value(FieldType::DateOrLongTerm, "2015.03.01-2035.03.01", day())
            .unwrap()
            .value;
        assert_eq!(corrected.value, "2035-03-01");
        let long = corrected_value(FieldType::DateOrLongTerm, "2020.06.01-长期", day())
            .unwrap()
            .value;
        assert_eq!(long.display(Lang::Zh, false), "长期");
        assert!(corrected_value(FieldType::Date, "2024-13-01", day()).is_none());
    }
}

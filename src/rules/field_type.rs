//! The built-in field types and how a manifest value is judged against one.
//!
//! A typed field is validated wherever it appears, in a party or a document,
//! without a line of script; scripts then see the normalised value.

use chrono::NaiveDate;

use crate::domain::date::{DateValue, parse_date, parse_date_or_long_term};
use crate::domain::{email, mobile, ric, uscc};
use crate::lang::Localized;
use crate::yaml::{Node, NodeValue, ScalarStyle};

/// A field's type, as named in the catalog's `type:`. Each is judged
/// without a line of script wherever the field appears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldType {
    /// `text`: any text that is not blank; trimmed.
    Text,
    /// `person_name`: a person's name, judged as text.
    PersonName,
    /// `company_name`: a company name as on the business licence, judged
    /// as text.
    CompanyName,
    /// `uscc`: an 18-character unified social credit code (统一社会信用代码,
    /// GB 32100) with both its check characters valid.
    Uscc,
    /// `ric`: an 18-character resident ID number (公民身份号码, GB 11643)
    /// with a valid check character and a birth date not after the
    /// judging date; personal data, masked in reports.
    Ric,
    /// `mobile`: an 11-digit mainland mobile number, as people write it
    /// (`+86` in front, grouped with spaces…); personal data, masked in
    /// reports.
    Mobile,
    /// `email`: an email address.
    Email,
    /// `date`: a calendar day (`2024-08-28`, `2024年8月28日`).
    Date,
    /// `date_or_long_term`: a day, or `long_term`/长期 for a document that
    /// never expires.
    DateOrLongTerm,
    /// `bool`: yes or no, in the spellings people write (是/否, ✓/✗…).
    Bool,
}

impl FieldType {
    /// Every type, in the order the reference lists them.
    pub const ALL: [FieldType; 10] = [
        FieldType::Text,
        FieldType::PersonName,
        FieldType::CompanyName,
        FieldType::Uscc,
        FieldType::Ric,
        FieldType::Mobile,
        FieldType::Email,
        FieldType::Date,
        FieldType::DateOrLongTerm,
        FieldType::Bool,
    ];

    /// The name the catalog's `type:` writes (`date_or_long_term`).
    pub fn name(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::PersonName => "person_name",
            FieldType::CompanyName => "company_name",
            FieldType::Uscc => "uscc",
            FieldType::Ric => "ric",
            FieldType::Mobile => "mobile",
            FieldType::Email => "email",
            FieldType::Date => "date",
            FieldType::DateOrLongTerm => "date_or_long_term",
            FieldType::Bool => "bool",
        }
    }

    /// The type a catalog's `type:` names; `None` for an unknown name.
    pub fn from_name(name: &str) -> Option<FieldType> {
        FieldType::ALL.into_iter().find(|t| t.name() == name)
    }

    /// What a value of this type looks like, for templates and checklists.
    pub fn describe(self) -> Localized {
        match self {
            FieldType::Text => Localized::new("文本", "text"),
            FieldType::PersonName => Localized::new("姓名", "a person's name"),
            FieldType::CompanyName => Localized::new(
                "企业名称,与营业执照一致",
                "a company name as on the business licence",
            ),
            FieldType::Uscc => Localized::new(
                "18 位统一社会信用代码",
                "18-character unified social credit code",
            ),
            FieldType::Ric => Localized::new(
                "18 位公民身份号码(加引号)",
                "18-character resident ID number (quoted)",
            ),
            FieldType::Mobile => Localized::new(
                "11 位手机号码(加引号)",
                "11-digit mainland mobile number (quoted)",
            ),
            FieldType::Email => Localized::new("电子邮箱", "email address"),
            FieldType::Date => Localized::new("日期 YYYY-MM-DD", "date YYYY-MM-DD"),
            FieldType::DateOrLongTerm => Localized::new(
                "日期 YYYY-MM-DD,或 long_term / 长期",
                "date YYYY-MM-DD, or long_term / 长期",
            ),
            FieldType::Bool => Localized::new(
                "true 或 false(也可写 是/否)",
                "true or false (yes/no also accepted)",
            ),
        }
    }

    /// Free text, which a catalog `pattern:` may shape further.
    pub fn is_text(self) -> bool {
        matches!(
            self,
            FieldType::Text | FieldType::PersonName | FieldType::CompanyName
        )
    }

    /// Resident ID and mobile numbers are personal data, masked in reports.
    pub fn is_personal(self) -> bool {
        matches!(self, FieldType::Ric | FieldType::Mobile)
    }

    /// Judges a value given as quoted text (a form field, a JSON string),
    /// so YAML's rules for numbers and dates do not apply.
    pub fn judge_text(self, text: &str, judged_on: NaiveDate) -> Result<FieldValue, Localized> {
        let node = Node {
            value: NodeValue::Scalar(crate::yaml::Scalar {
                text: text.to_string(),
                style: ScalarStyle::Quoted,
            }),
            position: crate::yaml::Position::default(),
        };
        self.judge(&node, judged_on)
    }

    /// Judges one manifest value. `judged_on` bounds birth dates in ID numbers.
    pub(crate) fn judge(self, node: &Node, judged_on: NaiveDate) -> Result<FieldValue, Localized> {
        let text = scalar_text(node)?;
        if self == FieldType::Bool {
            return parse_bool(text).map(FieldValue::Bool).ok_or_else(|| {
                Localized::new(
                    "应为 true 或 false(也可写 是/否、yes/no、✓/✗、有/无)",
                    "must be true or false (also accepted: yes/no, 是/否, ✓/✗, 有/无)",
                )
            });
        }
        // `0086` + 11 digits is how a mainland mobile is dialled from abroad;
        // read as written, nothing is lost, so it is accepted like `+86`.
        let international_mobile = self == FieldType::Mobile
            && text.len() == 15
            && text.starts_with("0086")
            && all_digits(text);
        if let Some(problem) = lost_number(node).filter(|_| !international_mobile) {
            return Err(problem);
        }
        match self {
            FieldType::Text | FieldType::PersonName | FieldType::CompanyName => {
                if text.trim().is_empty() {
                    Err(Localized::new("不能为空", "must not be empty"))
                } else {
                    Ok(FieldValue::Text(text.trim().to_string()))
                }
            }
            FieldType::Uscc => uscc::parse(text)
                .map(|v| FieldValue::Identifier(v.as_str().to_string()))
                .map_err(|e| e.explain()),
            FieldType::Ric => ric::parse(text, judged_on)
                .map(|v| FieldValue::Identifier(v.as_str().to_string()))
                .map_err(|e| e.explain()),
            FieldType::Mobile => mobile::parse(text)
                .map(|v| FieldValue::Identifier(v.as_str().to_string()))
                .map_err(|e| e.explain()),
            FieldType::Email => email::parse(text)
                .map(|v| FieldValue::Text(v.as_str().to_string()))
                .map_err(|e| e.explain()),
            FieldType::Date => parse_date(text)
                .map(|d| FieldValue::Date(DateValue::Day(d)))
                .map_err(|e| e.explain()),
            FieldType::DateOrLongTerm => parse_date_or_long_term(text)
                .map(FieldValue::Date)
                .map_err(|e| e.explain()),
            FieldType::Bool => unreachable!("handled above"),
        }
    }
}

/// A field value after its type accepted it, normalised: what scripts see.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldValue {
    /// Text, names and email addresses, trimmed.
    Text(String),
    /// A normalised identifier (USCC, ID number, mobile).
    Identifier(String),
    /// A day, or long-term for `date_or_long_term`.
    Date(DateValue),
    /// A yes or no, whichever spelling was written.
    Bool(bool),
}

/// Spellings of yes ([`parse_bool`] compares the ASCII ones in any case).
pub const YES: [&str; 7] = ["true", "yes", "是", "有", "✓", "✔", "√"];
/// Spellings of no.
pub const NO: [&str; 7] = ["false", "no", "否", "无", "✗", "✘", "×"];

/// Every spelling [`parse_bool`] accepts as written in lower, title or
/// upper case (for schemas, which cannot ignore case).
pub fn bool_spellings() -> Vec<String> {
    let mut spellings = Vec::new();
    for word in YES.iter().chain(NO.iter()) {
        let mut title = word.to_string();
        if let Some(first) = title.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        for spelling in [word.to_string(), title, word.to_ascii_uppercase()] {
            if !spellings.contains(&spelling) {
                spellings.push(spelling);
            }
        }
    }
    spellings
}

/// The ways people write yes and no in a manifest: YAML's `true`/`false`,
/// `yes`/`no` (any case), 是/否, 有/无 and check marks (✓ ✔ √ / ✗ ✘ ×).
pub fn parse_bool(text: &str) -> Option<bool> {
    let text = text.trim();
    if YES.iter().any(|word| text.eq_ignore_ascii_case(word)) {
        Some(true)
    } else if NO.iter().any(|word| text.eq_ignore_ascii_case(word)) {
        Some(false)
    } else {
        None
    }
}

fn scalar_text(node: &Node) -> Result<&str, Localized> {
    match &node.value {
        NodeValue::Scalar(scalar) if !scalar.is_null() => Ok(&scalar.text),
        NodeValue::Scalar(_) => Err(Localized::new("为空", "is empty")),
        NodeValue::Sequence(_) => Err(Localized::new(
            "应为单个值,实为列表",
            "must be a single value, not a list",
        )),
        NodeValue::Mapping(_) => Err(Localized::new(
            "应为单个值,实为映射",
            "must be a single value, not a map",
        )),
    }
}

/// An unquoted value YAML would read as a number that no longer spells what
/// was written (`0123` → 123, `1.10` → 1.1, `1e5`, `0x1F`). Plain digits
/// without a leading zero are read as their digits and are fine.
fn lost_number(node: &Node) -> Option<Localized> {
    let scalar = node.as_scalar()?;
    if scalar.style != ScalarStyle::Plain {
        return None;
    }
    let text = scalar.text.as_str();
    (is_yaml_number(text) && !reads_as_written(text)).then(|| {
        Localized::new(
            // The value itself is quoted (and masked) by the message; quoting
            // it here again would show an unquoted phone number unmasked.
            "未加引号,YAML 会把它读成数字而丢失信息;请加引号".to_string(),
            "is written without quotes, so YAML reads it as a number and loses what was written; quote it".to_string(),
        )
    })
}

fn all_digits(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit())
}

/// YAML 1.2 core schema numbers: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`,
/// `0o…`, `0x…`, `.inf` and `.nan` spellings.
fn is_yaml_number(text: &str) -> bool {
    if let Some(hex) = text.strip_prefix("0x") {
        return !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    if let Some(octal) = text.strip_prefix("0o") {
        return !octal.is_empty() && octal.bytes().all(|b| (b'0'..=b'7').contains(&b));
    }
    if matches!(text, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        return true;
    }
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        None => !mantissa.is_empty() && all_digits(mantissa),
        Some((whole, fraction)) => {
            all_digits(whole) && all_digits(fraction) && (!whole.is_empty() || !fraction.is_empty())
        }
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let digits = e.strip_prefix(['-', '+']).unwrap_or(e);
        !digits.is_empty() && all_digits(digits)
    });
    mantissa_ok && exponent_ok
}

/// Integers YAML reads back as the same digits: `-?(0|[1-9][0-9]*)`.
fn reads_as_written(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty() && all_digits(digits) && (digits == "0" || !digits.starts_with('0'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{ParseLimits, parse};

    fn node(yaml: &str) -> Node {
        let limits = ParseLimits {
            depth: 4,
            nodes: 10,
            scalar_bytes: 100,
        };
        parse(&format!("v: {yaml}"), limits)
            .unwrap()
            .get("v")
            .unwrap()
            .clone()
    }

    #[test]
    fn unquoted_numbers_are_read_as_digits_unless_yaml_would_lose_them() {
        assert!(lost_number(&node("110108199003071238")).is_none());
        assert!(lost_number(&node("13800138000")).is_none());
        assert!(lost_number(&node("2024-08-28")).is_none());
        for lossy in ["0123", "1.10", "1e5", "0x1F", "+86"] {
            assert!(lost_number(&node(lossy)).is_some(), "{lossy}");
        }
        assert!(lost_number(&node("\"0123\"")).is_none());
    }

    #[test]
    fn booleans_accept_both_languages() {
        let day = NaiveDate::from_ymd_opt(2024, 8, 28).unwrap();
        assert_eq!(
            FieldType::Bool.judge(&node("true"), day),
            Ok(FieldValue::Bool(true))
        );
        assert_eq!(
            FieldType::Bool.judge(&node("否"), day),
            Ok(FieldValue::Bool(false))
        );
        assert!(FieldType::Bool.judge(&node("maybe"), day).is_err());
    }

    #[test]
    fn a_mobile_with_0086_is_read_as_written_even_unquoted() {
        let day = NaiveDate::from_ymd_opt(2024, 8, 28).unwrap();
        for written in [
            "008613800138000",
            "\"008613800138000\"",
            "\"0086 138 0013 8000\"",
        ] {
            assert_eq!(
                FieldType::Mobile.judge(&node(written), day),
                Ok(FieldValue::Identifier("13800138000".into())),
                "{written}"
            );
        }
        assert!(FieldType::Ric.judge(&node("008613800138000"), day).is_err());
    }

    #[test]
    fn booleans_accept_the_spellings_people_write() {
        for yes in ["yes", "Yes", "YES", "是", "有", "✓", "√", " true "] {
            assert_eq!(parse_bool(yes), Some(true), "{yes}");
        }
        for no in ["no", "No", "否", "无", "✗", "×", "FALSE"] {
            assert_eq!(parse_bool(no), Some(false), "{no}");
        }
        for neither in ["", "y", "盖了", "1", "on"] {
            assert_eq!(parse_bool(neither), None, "{neither}");
        }
    }

    #[test]
    fn lists_and_maps_are_not_values() {
        let day = NaiveDate::from_ymd_opt(2024, 8, 28).unwrap();
        assert!(FieldType::Text.judge(&node("[a, b]"), day).is_err());
        assert!(FieldType::Date.judge(&node("{a: 1}"), day).is_err());
    }
}

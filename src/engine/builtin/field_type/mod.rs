//! `field.type`: every typed field of a party or document is valid for its
//! type (USCC and ID checksums, dates, mobile numbers, emails…). A value its
//! type refuses is `()` to the scripts, and a failure here names it; where
//! one value is clearly meant (the 18-digit form of an old ID number), the
//! hint gives it.

mod correction;

use chrono::NaiveDate;

use super::rule::{BuiltinRule, REVIEWER_PRACTICE, Words};
use crate::bundle::FieldEntry;
use crate::domain::normalize_identifier;
use crate::engine::state::{Judgement, reasoned};
use crate::lang::Localized;
use crate::report::{Argument, ArgumentKind, Finding, Message, Severity, Status};
use crate::rules::{FieldDef, FieldType, FieldValue};

pub const RULE: BuiltinRule = BuiltinRule {
    id: "field.type",
    severities: &[Severity::Error],
    title: Words {
        zh: "每个类型字段的值有效",
        en: "Every typed field holds a valid value",
    },
    checks: Words {
        zh: "当事方和文件中每个声明了类型的字段,其值符合类型:统一社会信用代码与身份证号的校验码正确,日期真实存在(`长期`/`long_term` 仅在类型允许时可用),手机号与邮箱格式正确,等等。各类型接受的写法见“字段类型”页。没有类型字段出错时,报告一项通过。",
        en: "Each field with a declared type, in a party or a document, holds a valid value of that type: USCC and ID-number checksums are right, dates are real days (`long_term`, or its Chinese spelling, only where the type allows), mobile numbers and emails are well formed, and so on; the field types page lists what each type accepts. When no typed field fails, one passing finding says so.",
    },
    why: Words {
        zh: "平台会逐项核验证照号码和日期;抄错一位的号码或不存在的日期,会让申请被退回。无效的值也不会交给业务规则,以免据此得出错误结论。",
        en: "Platforms verify ID numbers and dates one by one; a number with one digit wrong or a day that does not exist gets the application sent back. An invalid value is not handed to the operation's rules either, so no conclusion rests on it.",
    },
    fix: Words {
        zh: "对照证件原件改正该值;提示给出了应填写的形式,能确定正确写法时(如 15 位身份证号的 18 位形式)直接给出。",
        en: "Correct the value from the original card or document; the hint says what is expected, or gives the right value when it is clear (the 18-digit form of a 15-digit ID number).",
    },
    basis: REVIEWER_PRACTICE,
};

/// The passing finding when no typed field failed, with how many were judged.
pub fn all_valid(count: usize) -> Finding {
    let message = Message::of(
        "全部 {count} 个类型字段均有效(统一社会信用代码、身份证号校验码、日期、手机号、邮箱)",
        "all {count} typed fields are valid (USCC and ID checksums, dates, mobiles, emails)",
        vec![Argument::text("count", count.to_string())],
    );
    RULE.finding(Status::Pass, Severity::Error, message)
        .based_on_reviewer_practice()
}

/// Types the value written for the declared field `definition` of `owner`,
/// judged on `judged_on`. Personal numbers, as written and normalised, are
/// kept so any message quoting one masks it. A value its type refuses is
/// the failure saying why, with the corrected value when there is one.
pub fn judge(
    judgement: &mut Judgement<'_>,
    definition: &FieldDef,
    field: &FieldEntry<'_>,
    judged_on: NaiveDate,
    owner: &Localized,
) -> Result<FieldValue, Box<Finding>> {
    // Borrowed: most values are valid and never need a copy of their own.
    let raw = field.value.as_scalar().map_or("", |s| s.text.as_str());
    let personal = match definition.field_type {
        FieldType::Ric => Some(ArgumentKind::ResidentId),
        FieldType::Mobile => Some(ArgumentKind::Mobile),
        _ => None,
    };
    if let Some(kind) = personal {
        for value in [raw.to_string(), normalize_identifier(raw)] {
            if !value.is_empty() && !judgement.personal_values.iter().any(|(v, _)| *v == value) {
                judgement.personal_values.push((value, kind));
            }
        }
    }
    match definition.judge(field.value, judged_on) {
        Ok(value) => {
            if let (Some(kind), FieldValue::Identifier(normalized)) = (personal, &value)
                && !judgement
                    .personal_values
                    .iter()
                    .any(|(v, _)| v == normalized)
            {
                judgement.personal_values.push((normalized.clone(), kind));
            }
            Ok(value)
        }
        Err(reason) => {
            // A personal number written in the wrong field is still masked.
            let looks_personal = crate::domain::mask::mask_personal_numbers(raw) != raw;
            let kind = match personal {
                Some(kind) => kind,
                // An organisation's old code in its own field is no ID number.
                None if definition.field_type == FieldType::Uscc
                    && crate::domain::uscc::is_registration_number(raw) =>
                {
                    ArgumentKind::Registration
                }
                None if looks_personal && raw.chars().count() >= 15 => ArgumentKind::ResidentId,
                None if looks_personal => ArgumentKind::Mobile,
                None => ArgumentKind::Text,
            };
            let correction = correction::corrected_value(definition.field_type, raw, judged_on);
            let value = Argument::new("value", raw, kind);
            let arguments = vec![
                Argument::localized("owner", owner),
                Argument::localized("field", &definition.title),
                value,
            ];
            let message = match correction.as_ref().and_then(|c| c.reason.as_ref()) {
                // The reason quotes the corrected value as an argument, so
                // it is masked when rendered, not before.
                Some(own) => {
                    let mut arguments = arguments;
                    arguments.extend(correction.as_ref().map(|c| c.value.clone()));
                    Message::new(
                        Localized::new(
                            format!("{{owner}} 的{{field}} {{value}} 无效:{}", own.zh),
                            format!("{{owner}}: {{field}} {{value}} is not valid: {}", own.en),
                        ),
                        arguments,
                    )
                }
                None => reasoned(
                    "{owner} 的{field} {value} 无效:{reason}",
                    "{owner}: {field} {value} is not valid: {reason}",
                    &reason,
                    arguments,
                ),
            };
            let hint = match correction {
                Some(correction) => Message::of(
                    "把{field}改为 {corrected}",
                    "change {field} to {corrected}",
                    vec![
                        Argument::localized("field", &definition.title),
                        correction.value,
                    ],
                ),
                None => Message::of(
                    "应填写:{expected}",
                    "expected: {expected}",
                    vec![Argument::localized("expected", &definition.describe())],
                ),
            };
            Err(Box::new(
                RULE.finding(Status::Fail, Severity::Error, message)
                    .based_on_reviewer_practice()
                    .with_hint(hint),
            ))
        }
    }
}

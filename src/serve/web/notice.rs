//! The rejection notice (驳回通知) a reviewer sends back for a failing
//! bundle: who applied for what, and each thing to fix with how, in the
//! enterprise's language, personal numbers masked.

use dossier::lang::Lang;
use dossier::report::{Message, Report, Severity, Status};
use dossier::rules::RuleSet;

use super::party_names::PartyNames;

pub struct NoticeView {
    pub lang: &'static str,
    pub heading: &'static str,
    pub facts: Vec<(&'static str, String)>,
    pub intro: &'static str,
    pub items: Vec<NoticeItem>,
    pub how_to_fix: &'static str,
    pub colon: &'static str,
    pub closing: &'static str,
}

pub struct NoticeItem {
    pub message: String,
    pub hint: Option<String>,
}

/// The party that applies: the first party of the operation's first role
/// (the rule set lists the applicant first), else the first party.
pub fn applicant(report: &Report, rules: &RuleSet) -> String {
    let first_role = report
        .operation
        .as_deref()
        .and_then(|id| rules.operation(id))
        .and_then(|operation| operation.roles.first())
        .map(|role_use| role_use.role.as_str());
    report
        .parties
        .iter()
        .find(|p| first_role.is_some() && p.role.as_deref() == first_role)
        .or_else(|| report.parties.first())
        .and_then(|p| p.name.clone())
        .unwrap_or_default()
}

pub fn notice(report: &Report, rules: &RuleSet, lang: Lang) -> NoticeView {
    let zh = lang == Lang::Zh;
    let choose = |zh_text: &'static str, en_text: &'static str| if zh { zh_text } else { en_text };
    let operation = report.operation_title.as_ref().map_or_else(
        || report.operation.clone().unwrap_or_default(),
        |t| t.get(lang).to_string(),
    );
    let mut facts = vec![
        (choose("企业", "Company"), applicant(report, rules)),
        (choose("申请事项", "Application"), operation),
    ];
    if let Some(day) = report.judged_on {
        facts.push((choose("提交日期", "Submitted on"), day.to_string()));
    }
    let names = PartyNames::of_upload(rules, report, lang);
    let said = |message: &Message| names.message(message).render(lang, false);
    let items = report
        .findings
        .iter()
        .filter(|f| f.status == Status::Fail && f.severity == Severity::Error)
        .map(|f| NoticeItem {
            message: said(&f.message),
            hint: f.hint.as_ref().map(said),
        })
        .collect();
    NoticeView {
        lang: lang.code(),
        heading: choose("驳回通知", "Notice of rejection"),
        facts,
        intro: choose(
            "经审核,您提交的申请材料暂不能通过,请按以下说明修改:",
            "We have reviewed your application and cannot accept it yet. Please fix the following:",
        ),
        items,
        how_to_fix: choose("修改方法", "How to fix"),
        colon: choose("：", ": "),
        closing: choose(
            "修改完成后,请重新提交申请。",
            "Once these are fixed, please submit the application again.",
        ),
    }
}

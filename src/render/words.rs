//! The fixed words of the Markdown, HTML, JUnit, SARIF and GitHub
//! renderings, in each report language. (The text report keeps its own,
//! shorter set.)

use crate::lang::Lang;
use crate::report::{Counts, ReviewWindow, Verdict};

pub struct Words {
    pub pass: &'static str,
    pub fail: &'static str,
    pub report: &'static str,
    pub reports: &'static str,
    pub bundle: &'static str,
    pub manifest: &'static str,
    pub operation: &'static str,
    pub judged_on: &'static str,
    pub verdict: &'static str,
    pub findings: &'static str,
    pub review_window: &'static str,
    pub failures: &'static str,
    pub warnings: &'static str,
    pub waived: &'static str,
    pub waiver: &'static str,
    pub notes: &'static str,
    pub passed: &'static str,
    pub skipped: &'static str,
    pub fix: &'static str,
    pub basis: &'static str,
    pub values: &'static str,
    pub at: &'static str,
    pub rule: &'static str,
    pub rule_source: &'static str,
    pub rule_error: &'static str,
    pub whole_bundle: &'static str,
    pub party: &'static str,
    pub material: &'static str,
    pub status: &'static str,
    pub finding: &'static str,
    pub materials: &'static str,
    pub material_passed: &'static str,
    pub material_failed: &'static str,
    pub material_warned: &'static str,
    pub material_waived: &'static str,
    pub material_not_judged: &'static str,
    pub warning: &'static str,
    pub note: &'static str,
    pub masked: &'static str,
    pub fail_on_warning: &'static str,
    pub back_to_index: &'static str,
    counts: fn(Counts) -> String,
    folded: fn(usize, usize) -> String,
    line: fn(usize) -> String,
    window: fn(&ReviewWindow) -> String,
    uncovered: &'static str,
}

const ZH: Words = Words {
    pass: "通过",
    fail: "不通过",
    report: "材料审核报告",
    reports: "材料审核报告汇总",
    bundle: "材料包",
    manifest: "清单文件",
    operation: "业务",
    judged_on: "判定日期",
    verdict: "结论",
    findings: "审核项",
    review_window: "预计审核时间",
    failures: "不通过项",
    warnings: "警告",
    waived: "已豁免项",
    waiver: "豁免",
    notes: "提示",
    passed: "通过项",
    skipped: "未评判项",
    fix: "修改",
    basis: "依据",
    values: "判定所用的值",
    at: "位置",
    rule: "规则",
    rule_source: "规则出处",
    rule_error: "规则错误",
    whole_bundle: "材料包整体",
    party: "当事方",
    material: "材料",
    status: "状态",
    finding: "结论",
    materials: "材料清单",
    material_passed: "已提供,审核通过",
    material_failed: "不通过",
    material_warned: "有警告",
    material_waived: "不通过项已豁免",
    material_not_judged: "未评判",
    warning: "警告",
    note: "提示",
    masked: "身份证号和手机号已脱敏显示(--show-personal-data 显示完整号码)。",
    fail_on_warning: "按 --fail-on warning 判定:警告也视为不通过。",
    back_to_index: "返回汇总",
    counts: |c| {
        format!(
            "{} 项不通过 · {} 项警告 · {} 项通过 · {} 项未评判",
            c.fail, c.warn, c.pass, c.skip
        )
    },
    folded: |passed, skipped| match (passed, skipped) {
        (_, 0) => format!("{passed} 项通过"),
        (0, _) => format!("{skipped} 项未评判"),
        _ => format!("{passed} 项通过 · {skipped} 项未评判"),
    },
    line: |n| format!("第 {n} 行"),
    window: |w| {
        format!(
            "提交后第 {} 至第 {} 个工作日,即 {} 至 {}",
            w.from_working_days, w.to_working_days, w.earliest, w.latest
        )
    },
    uncovered: "(超出工作日历覆盖的年份,日期仅按周末推算,仅供参考)",
};

const EN: Words = Words {
    pass: "PASS",
    fail: "FAIL",
    report: "Bundle check report",
    reports: "Bundle check reports",
    bundle: "Bundle",
    manifest: "Manifest",
    operation: "Operation",
    judged_on: "Judged on",
    verdict: "Verdict",
    findings: "Findings",
    review_window: "Expected decision",
    failures: "Failures",
    warnings: "Warnings",
    waived: "Waived",
    waiver: "Waiver",
    notes: "Notes",
    passed: "Passed",
    skipped: "Not judged",
    fix: "Fix",
    basis: "Basis",
    values: "Values judged",
    at: "Where",
    rule: "Rule",
    rule_source: "Rule source",
    rule_error: "rule error",
    whole_bundle: "Whole bundle",
    party: "Party",
    material: "Material",
    status: "Status",
    finding: "Finding",
    materials: "Materials",
    material_passed: "provided, checks passed",
    material_failed: "fails",
    material_warned: "warning",
    material_waived: "failure waived",
    material_not_judged: "not judged",
    warning: "warning",
    note: "note",
    masked: "ID and phone numbers are masked (--show-personal-data shows them).",
    fail_on_warning: "Judged with --fail-on warning: failing warnings fail the bundle too.",
    back_to_index: "Back to the index",
    counts: |c| {
        format!(
            "{} failed · {} warnings · {} passed · {} not judged",
            c.fail, c.warn, c.pass, c.skip
        )
    },
    folded: |passed, skipped| match (passed, skipped) {
        (_, 0) => format!("{passed} passed"),
        (0, _) => format!("{skipped} not judged"),
        _ => format!("{passed} passed · {skipped} not judged"),
    },
    line: |n| format!("line {n}"),
    window: |w| {
        format!(
            "working day {} to {} after submission: {} to {}",
            w.from_working_days, w.to_working_days, w.earliest, w.latest
        )
    },
    uncovered: " (past the years the working-day calendar covers: counted on weekends only, a guide)",
};

impl Words {
    pub fn of(lang: Lang) -> &'static Words {
        match lang {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }

    pub fn verdict_word(&self, verdict: Verdict) -> &'static str {
        match verdict {
            Verdict::Pass => self.pass,
            Verdict::Fail => self.fail,
        }
    }

    /// "line 19" / "第 19 行".
    pub fn line(&self, line: usize) -> String {
        (self.line)(line)
    }

    pub fn counts(&self, counts: Counts) -> String {
        let mut text = (self.counts)(counts);
        if counts.waived > 0 {
            text.push_str(&format!(" · {} {}", counts.waived, self.waived));
        }
        text
    }

    /// The summary of a party's folded findings: "3 passed · 1 not judged".
    pub fn folded(&self, passed: usize, skipped: usize) -> String {
        (self.folded)(passed, skipped)
    }

    /// The review window as a sentence, with a caveat when the calendar ran out.
    pub fn window(&self, window: &ReviewWindow) -> String {
        let mut text = (self.window)(window);
        if !window.calendar_covered {
            text.push_str(self.uncovered);
        }
        text
    }
}

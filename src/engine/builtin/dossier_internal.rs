//! `dossier.internal`: dossier itself failed on a bundle (a bug). The
//! bundle is then not judged, and never passes.

use super::rule::{BuiltinRule, Words};
use crate::engine::state::plain;
use crate::report::{Finding, Severity, Status};

pub const RULE: BuiltinRule = BuiltinRule {
    id: "dossier.internal",
    severities: &[Severity::Error],
    title: Words {
        zh: "dossier 完成了评判",
        en: "dossier finished judging the bundle",
    },
    checks: Words {
        zh: "dossier 在评判此材料包时没有出错。出错时(dossier 自身的缺陷)此材料包不予评判,只报告这一项;同一批的其他材料包照常评判。",
        en: "dossier did not fail while judging the bundle. When it does (a bug in dossier), the bundle is not judged and this is its only finding; the other bundles of a batch are judged as usual.",
    },
    why: Words {
        zh: "评判中途出错时,已有的结论不完整:宁可不给结论,也不能让材料包看起来合格。",
        en: "A judgement cut short is incomplete: the bundle gets no verdict rather than one that makes it look acceptable.",
    },
    fix: Words {
        zh: "这不是材料包的问题:请附上材料包向 dossier 的维护者报告此问题。",
        en: "This is not a fault of the bundle: please report it, with the bundle, to the maintainers of dossier.",
    },
    basis: Words {
        zh: "dossier 的可靠性要求:无法判定时不予通过",
        en: "dossier's own guarantee: what cannot be decided never passes",
    },
};

/// The failing finding of a bundle dossier failed on. The panic's payload
/// is not quoted: it may hold values of the bundle.
pub fn internal_error() -> Finding {
    let mut finding = RULE
        .finding(
            Status::Fail,
            Severity::Error,
            plain(
                "内部错误:dossier 在评判此材料包时出错,结果不可信",
                "internal error: dossier failed while judging this bundle; it is not judged",
            ),
        )
        .with_hint(plain(
            "这是 dossier 的缺陷,不是材料包的问题:请附上材料包报告此问题",
            "this is a bug in dossier, not a fault of the bundle: please report it with the bundle",
        ));
    finding.rule_error = true;
    finding
}

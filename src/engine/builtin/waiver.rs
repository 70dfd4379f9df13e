//! `waiver.expired` and `waiver.unused`: what became of a reviewer's
//! waivers (`--waivers`). They are judged where waivers are applied to a
//! finished report (`crate::waiver::apply_waivers`), after the engine; the
//! rules are registered here so their ids are reserved and documented with
//! the others.

use super::rule::{BuiltinRule, Words};
use crate::report::Severity;

const WAIVER_FILE_BASIS: Words = Words {
    zh: "审核人员的豁免文件(--waivers)",
    en: "the reviewer's waiver file (--waivers)",
};

pub const EXPIRED: BuiltinRule = BuiltinRule {
    id: "waiver.expired",
    severities: &[Severity::Warning],
    title: Words {
        zh: "豁免在判定日期仍然有效",
        en: "A waiver is still in force on the judging date",
    },
    checks: Words {
        zh: "与某个不通过项匹配的豁免,其到期日(expires)不早于判定日期。已到期的豁免不予适用,该不通过项照常计入结论。",
        en: "A waiver that matches a failing finding has not expired (`expires`) by the judging date. An expired waiver is not applied: the failing finding counts as usual.",
    },
    why: Words {
        zh: "豁免是审核人员在一段时间内给予的例外;过期后继续适用,就等于无限期放宽了要求。",
        en: "A waiver is an exception a reviewer grants for a time; applying it past that time would relax the requirement for good.",
    },
    fix: Words {
        zh: "请审核人员决定是否续期:更新豁免文件中的到期日,或删除该豁免并改正材料包。",
        en: "Ask the reviewer whether to renew it: update the waiver's expiry date in the waiver file, or remove the waiver and correct the bundle.",
    },
    basis: WAIVER_FILE_BASIS,
};

pub const UNUSED: BuiltinRule = BuiltinRule {
    id: "waiver.unused",
    severities: &[Severity::Warning],
    title: Words {
        zh: "每个豁免都匹配到不通过项",
        en: "Every waiver matches a failing finding",
    },
    checks: Words {
        zh: "适用于此材料包的每个豁免,都至少与一个不通过项匹配(规则、当事方、材料与位置均相符)。",
        en: "Each waiver naming the bundle matches at least one failing finding (its rule, party, material and place agree).",
    },
    why: Words {
        zh: "没有匹配的豁免,要么问题已经改正、豁免可以删除,要么豁免写错了,真正想豁免的不通过项仍然存在。",
        en: "A waiver that matches nothing is either no longer needed because the problem was fixed, or written wrongly, so the finding it was meant for still fails.",
    },
    fix: Words {
        zh: "核对豁免中的规则编号、当事方、材料与位置;不再需要时从豁免文件中删除。",
        en: "Check the waiver's rule id, party, material and place; remove it from the waiver file when it is no longer needed.",
    },
    basis: WAIVER_FILE_BASIS,
};

//! `bundle.encoding`: a manifest that is not UTF-8 but reads cleanly as
//! GB18030 (GBK) is judged, with a warning saying how to save it as UTF-8.

use super::rule::{BUNDLE_FORMAT_BASIS, BuiltinRule, Words};
use crate::report::{Argument, Finding, Message, Severity, Status};

pub const RULE: BuiltinRule = BuiltinRule {
    id: "bundle.encoding",
    severities: &[Severity::Warning],
    title: Words {
        zh: "清单以 UTF-8 编码保存",
        en: "The manifest is saved as UTF-8",
    },
    checks: Words {
        zh: "清单是 UTF-8 编码。不是 UTF-8、但能按 GB18030(GBK)完整读出的清单照常评判,并给出此警告。",
        en: "The manifest is encoded as UTF-8. One that is not, but reads cleanly as GB18030 (GBK), is judged all the same, with this warning.",
    },
    why: Words {
        zh: "Windows 上的一些编辑器默认以 GBK 保存;平台和其他系统多半只认 UTF-8,可能把其中的中文读成乱码。",
        en: "Some Windows editors save as GBK by default; platforms and other systems mostly read only UTF-8 and may garble the Chinese in it.",
    },
    fix: Words {
        zh: "在编辑器中把清单另存为 UTF-8 编码。",
        en: "Save the manifest as UTF-8 from your editor.",
    },
    basis: BUNDLE_FORMAT_BASIS,
};

/// The warning that a manifest was read as a legacy `encoding`, with how to
/// save it as UTF-8.
pub fn legacy_encoding(encoding: &str) -> Finding {
    let message = Message::of(
        "清单不是 UTF-8 编码,已按 {encoding}(GBK)读取;其他系统可能读不出其中的中文",
        "the manifest is not UTF-8; it was read as {encoding} (GBK), which other systems may not read",
        vec![Argument::text("encoding", encoding)],
    );
    RULE.finding(Status::Fail, Severity::Warning, message)
        .with_hint(Message::new(crate::bundle::save_as_utf8(), vec![]))
        .based_on_reviewer_practice()
}

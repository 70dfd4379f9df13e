//! `bundle.keys`: the manifest uses only the keys the bundle format
//! allows, at the top level and in each document entry, and each entry is
//! a map. A key one typo from a missing allowed key is read as that key.

use super::rule::{BUNDLE_FORMAT_BASIS, BuiltinRule, Words};
use crate::bundle::{DOCUMENT_KEYS, TOP_LEVEL_KEYS};
use crate::engine::state::plain;
use crate::report::{Argument, Finding, Message, Severity, Status};

pub const RULE: BuiltinRule = BuiltinRule {
    id: "bundle.keys",
    severities: &[Severity::Error],
    title: Words {
        zh: "清单只使用材料包格式允许的键",
        en: "The manifest uses only the keys of the bundle format",
    },
    checks: Words {
        zh: "清单顶层只有 format、operation、submitted_on、parties、documents;每个文件条目只有 type、holder、file、sha256、fields,且是映射(键: 值)。与某个缺少的允许键只差一个字的键(如 `holdr`)按该键读取,并报告一次拼写错误。",
        en: "The manifest's top level holds only format, operation, submitted_on, parties and documents; each document entry is a map holding only type, holder, file, sha256 and fields. A key one typo from an allowed key the entry lacks (`holdr`) is read as that key, with one failure naming the fix.",
    },
    why: Words {
        zh: "拼错或多余的键会被悄悄忽略:例如拼错的 `holder` 会让文件看起来没有持有人。指出它,材料包才按提交人的本意评判。",
        en: "A misspelt or extra key would be silently ignored: a misspelt `holder` makes a document look as if nobody held it. Naming it lets the bundle be judged as its author meant.",
    },
    fix: Words {
        zh: "删除未知的键,或按提示改正拼写。",
        en: "Remove the unknown key, or correct its spelling as the hint says.",
    },
    basis: BUNDLE_FORMAT_BASIS,
};

fn fail(message: Message) -> Finding {
    RULE.finding(Status::Fail, Severity::Error, message)
        .based_on_reviewer_practice()
}

/// A key the format does not allow where it is written (`path`).
pub fn unknown(path: &str, key: &str) -> Finding {
    let allowed = if path.starts_with("/documents/") {
        DOCUMENT_KEYS.join(", ")
    } else {
        TOP_LEVEL_KEYS.join(", ")
    };
    fail(Message::of(
        "未知的键 `{key}`;此处允许的键:{allowed}",
        "unknown key `{key}`; the keys allowed here are: {allowed}",
        vec![
            Argument::text("key", key),
            Argument::text("allowed", allowed),
        ],
    ))
    .with_hint(plain(
        "请删除该键或更正拼写",
        "remove the key or correct its spelling",
    ))
}

/// A key one typo from the allowed key `meant`, read as that key.
pub fn misspelt(key: &str, meant: &str) -> Finding {
    fail(Message::of(
        "键 `{key}` 拼写有误,应为 `{meant}`;已按 `{meant}` 读取",
        "key `{key}` is misspelt: it should be `{meant}`; read as `{meant}`",
        vec![Argument::text("key", key), Argument::text("meant", meant)],
    ))
    .with_hint(Message::of(
        "把 `{key}` 改为 `{meant}`",
        "rename `{key}` to `{meant}`",
        vec![Argument::text("key", key), Argument::text("meant", meant)],
    ))
}

/// An entry at `path` that is a `found` instead of a map.
pub fn not_a_map(path: &str, found: &str) -> Finding {
    fail(Message::of(
        "{path} 应为映射(键: 值),实为 {found}",
        "{path} must be a map of keys and values, not a {found}",
        vec![Argument::text("path", path), Argument::text("found", found)],
    ))
}

//! The words a reader sees beside a value a finding judged (`--explain`,
//! the evidence of the HTML and Markdown reports), in place of the
//! placeholder's internal name: `最少工作日数 = 3`, not `from = 3`.
//!
//! The names here are the placeholders the built-in checks quote. A rule
//! file's own placeholders (`doc.valid_until`) are its author's words and
//! are shown as written; machine formats (JSON, SARIF) keep every name as
//! it is.

use std::borrow::Cow;

use crate::lang::Lang;

/// `(placeholder, Chinese label, English label)`, sorted by placeholder.
const LABELS: &[(&str, &str, &str)] = &[
    ("allowed", "允许的键", "keys allowed"),
    ("approved_by", "批准人", "approved by"),
    ("condition", "条件", "condition"),
    ("corrected", "更正后的值", "corrected value"),
    ("count", "数量", "count"),
    ("date", "日期", "date"),
    ("earliest", "最早日期", "earliest date"),
    ("encoding", "编码", "encoding"),
    ("end", "截止日期", "end date"),
    ("error", "错误", "error"),
    ("expected", "应为", "expected"),
    ("expires", "到期日", "expires on"),
    ("field", "字段", "field"),
    ("fields", "字段", "fields"),
    ("file", "附件", "attachment"),
    ("first", "第一份", "first"),
    ("format", "清单格式", "manifest format"),
    ("found", "实际", "found"),
    ("from", "最少工作日数", "working days, at least"),
    ("holder", "持有人", "holder"),
    ("holders", "持有人", "holders"),
    ("id", "编号", "id"),
    ("index", "材料序号", "document number"),
    ("inputs", "所用的值", "inputs"),
    ("key", "键", "key"),
    ("kind", "文件格式", "file format"),
    ("known", "可用的取值", "known values"),
    ("latest", "最晚日期", "latest date"),
    ("limit", "上限", "limit"),
    ("line", "行号", "line"),
    ("material", "材料", "material"),
    ("materials", "材料", "materials"),
    ("meant", "应写为", "meant"),
    ("name", "名称", "name"),
    ("near", "相近的文件", "near match"),
    ("operation", "业务", "operation"),
    ("owner", "所属", "belongs to"),
    ("parties", "当事方", "parties"),
    ("party", "当事方", "party"),
    ("path", "位置", "place"),
    ("reason", "原因", "reason"),
    ("reference", "参照日期", "reference date"),
    ("renamed", "建议的文件名", "new file name"),
    ("role", "角色", "role"),
    ("roles", "角色", "roles"),
    ("rule", "规则", "rule"),
    ("second", "第二份", "second"),
    ("seconds", "时间预算(秒)", "time budget (seconds)"),
    ("size", "大小(字节)", "size (bytes)"),
    ("source", "出处", "source"),
    ("subject", "对象", "subject"),
    ("title", "名称", "title"),
    ("to", "最多工作日数", "working days, at most"),
    ("type", "材料类型", "document type"),
    ("until", "有效期至", "valid until"),
    ("used", "已使用", "used"),
    ("value", "填写的值", "value written"),
    ("verified", "校验", "verification"),
    ("versions", "版本", "versions"),
    ("what", "缺少的内容", "missing"),
];

/// The label of the placeholder `name` in `lang`; a name this table does
/// not know (a rule file's own) as it is.
pub fn argument_label(name: &str, lang: Lang) -> Cow<'_, str> {
    match LABELS.binary_search_by(|(known, _, _)| known.cmp(&name)) {
        Ok(at) => {
            let (_, zh, en) = LABELS[at];
            Cow::Borrowed(match lang {
                Lang::Zh => zh,
                Lang::En => en,
            })
        }
        Err(_) => Cow::Borrowed(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_so_every_name_is_found() {
        assert!(LABELS.windows(2).all(|pair| pair[0].0 < pair[1].0));
        for (name, zh, en) in LABELS {
            assert_eq!(argument_label(name, Lang::Zh), *zh);
            assert_eq!(argument_label(name, Lang::En), *en);
            assert!(!zh.is_ascii(), "{name}: {zh}");
        }
    }

    #[test]
    fn built_in_names_are_words_and_rule_names_stay() {
        assert_eq!(argument_label("from", Lang::Zh), "最少工作日数");
        assert_eq!(argument_label("from", Lang::En), "working days, at least");
        assert_eq!(
            argument_label("doc.valid_until", Lang::Zh),
            "doc.valid_until"
        );
    }

    /// Every placeholder a built-in check quotes has a label: the names
    /// are read from the engine's source, so a new one cannot be missed.
    #[test]
    fn every_built_in_placeholder_has_a_label() {
        let quoted =
            regex::Regex::new(r#"Argument::(?:text|new|localized)\(\s*"([a-z_]+)""#).unwrap();
        let mut missing = Vec::new();
        for dir in ["src/engine", "src/waiver"] {
            for entry in walk(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)) {
                let text = std::fs::read_to_string(&entry).unwrap();
                for name in quoted.captures_iter(&text).map(|c| c[1].to_string()) {
                    if argument_label(&name, Lang::Zh) == name.as_str() {
                        missing.push(format!("{name} ({})", entry.display()));
                    }
                }
            }
        }
        assert_eq!(missing, Vec::<String>::new());
    }

    fn walk(dir: std::path::PathBuf) -> Vec<std::path::PathBuf> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files.extend(walk(path));
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
        files
    }
}

//! What the command line itself says (not reports): argument errors and
//! the batch timing line, in the language asked for.

use std::path::Path;
use std::time::Duration;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use dossier::lang::Lang;

/// A path named on the command line that does not exist.
pub fn no_such_path(lang: Lang, path: &Path) -> String {
    match lang {
        Lang::Zh => format!("错误:路径不存在:{}", path.display()),
        Lang::En => format!("error: no such file or folder: {}", path.display()),
    }
}

/// The line a batch ends with on stderr.
pub fn timing(lang: Lang, bundles: usize, elapsed: Duration) -> String {
    let seconds = elapsed.as_secs_f64();
    match lang {
        Lang::Zh => format!("共 {bundles} 个材料包,用时 {seconds:.2} 秒"),
        Lang::En => format!("{bundles} bundles in {seconds:.2} s"),
    }
}

/// A clap error in `lang`: the common mistakes (unknown option, missing
/// value or argument, invalid value) in words, with clap's own usage line;
/// anything else as clap says it. `None` for help and version output,
/// which clap prints itself.
pub fn argument_error(lang: Lang, error: &clap::Error) -> Option<String> {
    if lang == Lang::En || !error.use_stderr() {
        return None;
    }
    let context = |kind: ContextKind| match error.get(kind) {
        Some(ContextValue::String(value)) => value.clone(),
        Some(ContextValue::Strings(values)) => values.join("、"),
        _ => String::new(),
    };
    let valid = context(ContextKind::ValidValue);
    let headline = match error.kind() {
        ErrorKind::UnknownArgument => {
            let mut text = format!("错误:未知的选项 `{}`", context(ContextKind::InvalidArg));
            let suggested = context(ContextKind::SuggestedArg);
            if !suggested.is_empty() {
                text.push_str(&format!(";是否想用 `{suggested}`?"));
            }
            text
        }
        ErrorKind::InvalidValue if context(ContextKind::InvalidValue).is_empty() => {
            format!("错误:选项 `{}` 缺少取值", context(ContextKind::InvalidArg))
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let mut text = format!(
                "错误:`{}` 不是选项 `{}` 的有效取值",
                context(ContextKind::InvalidValue),
                context(ContextKind::InvalidArg)
            );
            if !valid.is_empty() {
                text.push_str(&format!(";可用的取值:{valid}"));
            }
            text
        }
        ErrorKind::MissingRequiredArgument => {
            format!("错误:缺少必需的参数:{}", context(ContextKind::InvalidArg))
        }
        ErrorKind::InvalidSubcommand => {
            format!(
                "错误:未知的子命令 `{}`",
                context(ContextKind::InvalidSubcommand)
            )
        }
        ErrorKind::ArgumentConflict => {
            format!(
                "错误:选项 `{}` 不能与 `{}` 同时使用",
                context(ContextKind::InvalidArg),
                context(ContextKind::PriorArg)
            )
        }
        _ => return None,
    };
    let usage = error
        .render()
        .to_string()
        .lines()
        .find_map(|line| line.strip_prefix("Usage: ").map(str::to_string));
    Some(match usage {
        Some(usage) => format!("{headline}\n\n用法:{usage}\n\n更多信息请运行 `--help`\n"),
        None => format!("{headline}\n"),
    })
}

//! Every line the program writes on standard error, but argument errors
//! and the batch timing line (`words.rs`): one variant per kind of line,
//! worded here in Chinese and English side by side, so no line can exist in
//! one language only. Call sites hold typed values; this module alone
//! turns them into words.
//!
//! Paths and other names from the user are shown as [`Redaction::stderr`]
//! shows them (personal numbers masked, control characters escaped): stderr
//! ends up in logs. An operating system's own error detail stays as the
//! system gives it, in parentheses.

use std::io;
use std::net::SocketAddr;
use std::path::Path;

use dossier::lang::Lang;
use dossier::render::Redaction;
use dossier::source::{SkipReason, Unlisted};
use dossier::waiver::WaiverError;

/// One line (or a few) for standard error.
pub enum Notice<'a> {
    /// The folder walk passed something over.
    Skipped {
        path: &'a Path,
        reason: &'a SkipReason,
    },
    /// A waiver names no bundle of this run: most likely a typo.
    UnmatchedWaiver {
        file: &'a str,
        line: usize,
        rule: &'a str,
        bundle: &'a str,
    },
    /// `--jobs` asked for more workers than the machine can use.
    JobsCapped {
        asked: usize,
        most: usize,
        per_core: usize,
    },
    /// The waiver file was refused.
    Waivers(&'a WaiverError),
    /// A report stream could not be written.
    CannotWriteReport(&'a io::Error),
    /// Standard output could not be written.
    CannotWriteStdout(&'a io::Error),
    /// Standard input could not be read.
    CannotReadStdin(&'a io::Error),
    /// A file could not be written.
    CannotWrite {
        path: &'a Path,
        error: &'a io::Error,
    },
    /// A folder could not be created.
    CannotCreate {
        path: &'a Path,
        error: &'a io::Error,
    },
    /// `init` or `rules show` named an operation the rule set lacks.
    UnknownOperation {
        operation: &'a str,
        known: &'a [&'a str],
    },
    /// `init` would overwrite a manifest.
    ManifestExists(&'a Path),
    /// `dossier test` found no cases.
    NoRuleTests(&'a Path),
    /// How many problems kept rule files or rule tests from loading.
    Problems { what: Problems, count: usize },
    /// `serve` on an open address without a token.
    Unprotected(SocketAddr),
    /// `serve --token-file` could not be read.
    TokenUnreadable {
        path: &'a Path,
        error: &'a io::Error,
    },
    /// `serve --token-file` holds a token too short to protect anything.
    TokenTooShort { path: &'a Path, fewest: usize },
    /// `serve --token-file` holds characters an HTTP header cannot carry.
    TokenUnsendable(&'a Path),
    /// The service's runtime did not start.
    CannotStartThreads(&'a io::Error),
    /// The service could not bind its address.
    CannotListen {
        address: SocketAddr,
        error: &'a io::Error,
    },
    /// The service could not install its signal handlers.
    CannotWatchSignals(&'a io::Error),
    /// A standard stream failed while printing (a closed pipe, a full disk).
    StreamFailed(&'a str),
    /// A bug: the bundle being checked is reported as not judged.
    InternalError { place: Option<(&'a str, u32)> },
}

/// What [`Notice::Problems`] counts.
#[derive(Clone, Copy)]
pub enum Problems {
    /// Rule files that do not load.
    Rules,
    /// Rule test files that do not load.
    TestsUnloaded,
    /// Rule test files that load but are wrong.
    TestsWrong,
}

/// Writes `notice` in `lang` on standard error, which may itself be
/// closed: never panics.
pub fn say(lang: Lang, notice: Notice) {
    super::say(format_args!("{}", notice.text(lang)));
}

/// A user's path as stderr may show it.
fn shown(path: &Path) -> String {
    Redaction::stderr()
        .text(&path.display().to_string())
        .into_owned()
}

/// A user's text as stderr may show it.
fn plain(text: &str) -> String {
    Redaction::stderr().text(text).into_owned()
}

impl Notice<'_> {
    /// The words, without a final line break.
    pub fn text(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let pick = |zh_text: String, en_text: String| if zh { zh_text } else { en_text };
        match self {
            Notice::Skipped { path, reason } => {
                let path = shown(path);
                let reason = skip_reason(lang, reason);
                pick(
                    format!("提示:已跳过 {path}:{reason}"),
                    format!("note: skipped {path}: {reason}"),
                )
            }
            Notice::UnmatchedWaiver {
                file,
                line,
                rule,
                bundle,
            } => {
                let (file, rule, bundle) = (plain(file), plain(rule), plain(bundle));
                pick(
                    format!(
                        "警告:{file}:{line}:针对 {rule} 的豁免没有对应本次检查的任何材料包({bundle})"
                    ),
                    format!(
                        "warning: {file}:{line}: the waiver for {rule} names no bundle of this run ({bundle})"
                    ),
                )
            }
            Notice::JobsCapped {
                asked,
                most,
                per_core,
            } => pick(
                format!(
                    "警告:--jobs {asked} 超出本机可用的并行数;改为 {most}(每个处理器核心 {per_core} 个)"
                ),
                format!(
                    "warning: --jobs {asked} is more than this machine can use; checking with {most} ({per_core} per core)"
                ),
            ),
            Notice::Waivers(error) => waiver_error(lang, error),
            Notice::CannotWriteReport(error) => pick(
                format!("错误:无法写出报告({error})"),
                format!("error: cannot write the report: {error}"),
            ),
            Notice::CannotWriteStdout(error) => pick(
                format!("错误:无法写入标准输出({error})"),
                format!("error: cannot write to stdout: {error}"),
            ),
            Notice::CannotReadStdin(error) => pick(
                format!("错误:无法读取标准输入({error})"),
                format!("error: cannot read standard input: {error}"),
            ),
            Notice::CannotWrite { path, error } => {
                let path = shown(path);
                pick(
                    format!("错误:无法写入 {path}({error})"),
                    format!("error: cannot write {path}: {error}"),
                )
            }
            Notice::CannotCreate { path, error } => {
                let path = shown(path);
                pick(
                    format!("错误:无法创建目录 {path}({error})"),
                    format!("error: cannot create {path}: {error}"),
                )
            }
            Notice::UnknownOperation { operation, known } => {
                let operation = plain(operation);
                pick(
                    format!(
                        "错误:没有名为 `{operation}` 的业务;可用的业务:{}",
                        known.join("、")
                    ),
                    format!(
                        "error: unknown operation `{operation}`; known: {}",
                        known.join(", ")
                    ),
                )
            }
            Notice::ManifestExists(path) => {
                let path = shown(path);
                pick(
                    format!("错误:{path} 已存在;未覆盖"),
                    format!("error: {path} exists already; not overwritten"),
                )
            }
            Notice::NoRuleTests(dir) => {
                let dir = shown(dir);
                pick(
                    format!("错误:{dir} 中没有规则测试"),
                    format!("error: no rule tests in {dir}"),
                )
            }
            Notice::Problems { what, count } => problems(lang, *what, *count),
            Notice::Unprotected(address) => pick(
                format!(
                    "错误:拒绝在 {address} 上无令牌监听:能访问该地址的任何人都能使用本服务。\
                     请用 --token-file FILE 指定令牌;若前置服务已核验调用方,请用 --no-auth"
                ),
                format!(
                    "error: refusing to listen on {address} without a token: anyone who can reach it \
                     could use it. Give --token-file FILE, or --no-auth if something in front of it \
                     checks callers"
                ),
            ),
            Notice::TokenUnreadable { path, error } => {
                let path = shown(path);
                pick(
                    format!("错误:无法读取令牌文件 {path}({error})"),
                    format!("error: cannot read the token file {path}: {error}"),
                )
            }
            Notice::TokenTooShort { path, fewest } => {
                let path = shown(path);
                pick(
                    format!("错误:令牌文件 {path} 中的令牌少于 {fewest} 个字符"),
                    format!(
                        "error: the token file {path} holds a token shorter than {fewest} characters"
                    ),
                )
            }
            Notice::TokenUnsendable(path) => {
                let path = shown(path);
                pick(
                    format!("错误:令牌文件 {path} 中的令牌含有请求头无法携带的字符"),
                    format!(
                        "error: the token file {path} holds a token with characters a header cannot carry"
                    ),
                )
            }
            Notice::CannotStartThreads(error) => pick(
                format!("错误:无法启动服务的线程({error})"),
                format!("error: cannot start the service's threads: {error}"),
            ),
            Notice::CannotListen { address, error } => pick(
                format!("错误:无法在 {address} 上监听({error})"),
                format!("error: cannot listen on {address}: {error}"),
            ),
            Notice::CannotWatchSignals(error) => pick(
                format!("错误:无法监听系统信号({error})"),
                format!("error: cannot watch for signals: {error}"),
            ),
            Notice::StreamFailed(stream) => {
                let zh_stream = match *stream {
                    "stdout" => "标准输出",
                    "stderr" => "标准错误",
                    other => other,
                };
                pick(
                    format!("错误:无法写入{zh_stream}"),
                    format!("error: cannot write to {stream}"),
                )
            }
            Notice::InternalError { place } => {
                let place = place.map(|(file, line)| format!("{file}:{line}"));
                pick(
                    match &place {
                        Some(place) => format!(
                            "dossier:内部错误({place});正在检查的材料包记为未评判"
                        ),
                        None => "dossier:内部错误;正在检查的材料包记为未评判".to_string(),
                    },
                    match &place {
                        Some(place) => format!(
                            "dossier: internal error at {place}; the bundle being checked is reported as not judged"
                        ),
                        None => "dossier: internal error; the bundle being checked is reported as not judged".to_string(),
                    },
                )
            }
        }
    }
}

/// Why the folder walk passed something over.
fn skip_reason(lang: Lang, reason: &SkipReason) -> String {
    let zh = lang == Lang::Zh;
    match reason {
        SkipReason::Link if zh => "是符号链接;不跟随链接".to_string(),
        SkipReason::Link => "a symbolic link; links are not followed".to_string(),
        SkipReason::ManifestSpelling if zh => {
            "清单文件须以小写命名为 bundle.yaml、bundle.yml 或 bundle.json".to_string()
        }
        SkipReason::ManifestSpelling => {
            "a manifest must be named bundle.yaml, bundle.yml or bundle.json in lower case"
                .to_string()
        }
        SkipReason::NestedBundle { outer } if zh => {
            format!("位于材料包 {} 之内的材料包", shown(outer))
        }
        SkipReason::NestedBundle { outer } => {
            format!("a bundle inside the bundle {}", shown(outer))
        }
        SkipReason::SecondManifest { used } if zh => {
            format!("第二个清单文件;使用的是 {}", shown(used))
        }
        SkipReason::SecondManifest { used } => {
            format!("a second manifest; {} is the one used", shown(used))
        }
        SkipReason::Unreadable(why) => unlisted(lang, why),
        SkipReason::TooDeep { limit } if zh => format!("目录层级超过 {limit} 层"),
        SkipReason::TooDeep { limit } => format!("more than {limit} folders deep"),
        _ if zh => "未识别的原因".to_string(),
        _ => "for a reason this version cannot name".to_string(),
    }
}

/// Why a folder could not be listed.
fn unlisted(lang: Lang, why: &Unlisted) -> String {
    match (lang, why) {
        (Lang::Zh, Unlisted::Link) => "无法列出:已变为链接;不跟随链接".to_string(),
        (Lang::Zh, Unlisted::Missing) => "无法列出:已不存在".to_string(),
        (Lang::Zh, Unlisted::System(reason)) => format!("无法列出({reason})"),
        (Lang::Zh, _) => "无法列出:打开时已被更改".to_string(),
        (Lang::En, Unlisted::Link) => {
            "cannot be listed: it became a link; links are not followed".to_string()
        }
        (Lang::En, Unlisted::Missing) => "cannot be listed: it is gone".to_string(),
        (Lang::En, Unlisted::System(reason)) => format!("cannot be listed: {reason}"),
        (Lang::En, _) => "cannot be listed: it changed while it was opened".to_string(),
    }
}

/// A refused waiver file: the place and the headline in `lang`; the
/// reader's own detail in parentheses.
fn waiver_error(lang: Lang, error: &WaiverError) -> String {
    match (lang, error) {
        (
            Lang::Zh,
            WaiverError::Invalid {
                file,
                line,
                column,
                message,
            },
        ) => format!(
            "错误:{}:{line}:{column}:豁免文件有误,未使用({})",
            plain(file),
            plain(message)
        ),
        (Lang::Zh, WaiverError::Unreachable { file, refusal }) => {
            format!("错误:无法读取豁免文件 {}({refusal})", plain(file))
        }
        (Lang::Zh, _) => "错误:豁免文件有误,未使用".to_string(),
        (Lang::En, error) => format!("error: {}", plain(&error.to_string())),
    }
}

/// `error: the rule set does not load: 3 problems`, in `lang`.
fn problems(lang: Lang, what: Problems, count: usize) -> String {
    match lang {
        Lang::Zh => {
            let what = match what {
                Problems::Rules => "规则集无法加载",
                Problems::TestsUnloaded => "规则测试无法加载",
                Problems::TestsWrong => "规则测试有误",
            };
            format!("错误:{what}:共 {count} 个问题")
        }
        Lang::En => {
            let what = match what {
                Problems::Rules => "the rule set does not load",
                Problems::TestsUnloaded => "the rule tests do not load",
                Problems::TestsWrong => "the rule tests are wrong",
            };
            let plural = if count == 1 { "" } else { "s" };
            format!("error: {what}: {count} problem{plural}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `text` holds a run of Latin letters that reads as English
    /// prose (three letters or more), once what may stay Latin is removed.
    fn english_words(text: &str, allowed: &[&str]) -> Vec<String> {
        let mut text = text.to_string();
        for keep in allowed {
            text = text.replace(keep, " ");
        }
        text.split(|c: char| !c.is_ascii_alphabetic())
            .filter(|word| word.len() >= 3)
            .map(str::to_string)
            .collect()
    }

    fn chinese(text: &str) -> bool {
        text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn every_notice_is_worded_in_each_language() {
        let error = io::Error::from(io::ErrorKind::PermissionDenied);
        let os = error.to_string();
        let path = Path::new("out/r.txt");
        let address: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        let reasons = [
            SkipReason::Link,
            SkipReason::ManifestSpelling,
            SkipReason::NestedBundle {
                outer: "in/a".into(),
            },
            SkipReason::SecondManifest {
                used: "in/a/bundle.yaml".into(),
            },
            SkipReason::TooDeep { limit: 64 },
            SkipReason::Unreadable(Unlisted::Link),
            SkipReason::Unreadable(Unlisted::Missing),
            SkipReason::Unreadable(Unlisted::Changed),
            SkipReason::Unreadable(Unlisted::System(os.clone())),
        ];
        let mut notices: Vec<Notice> = reasons
            .iter()
            .map(|reason| Notice::Skipped { path, reason })
            .collect();
        notices.extend([
            Notice::UnmatchedWaiver {
                file: "w.yaml",
                line: 3,
                rule: "employee.age",
                bundle: "in/*",
            },
            Notice::JobsCapped {
                asked: 1000,
                most: 8,
                per_core: 4,
            },
            Notice::CannotWriteReport(&error),
            Notice::CannotWriteStdout(&error),
            Notice::CannotReadStdin(&error),
            Notice::CannotWrite {
                path,
                error: &error,
            },
            Notice::CannotCreate {
                path,
                error: &error,
            },
            Notice::UnknownOperation {
                operation: "x.y",
                known: &["a.b"],
            },
            Notice::ManifestExists(path),
            Notice::NoRuleTests(path),
            Notice::Problems {
                what: Problems::Rules,
                count: 2,
            },
            Notice::Unprotected(address),
            Notice::TokenUnreadable {
                path,
                error: &error,
            },
            Notice::TokenTooShort { path, fewest: 16 },
            Notice::TokenUnsendable(path),
            Notice::CannotStartThreads(&error),
            Notice::CannotListen {
                address,
                error: &error,
            },
            Notice::CannotWatchSignals(&error),
            Notice::StreamFailed("stdout"),
            Notice::InternalError { place: None },
        ]);
        let allowed = [
            os.as_str(),
            "out/r.txt",
            "in/a/bundle.yaml",
            "bundle.yaml",
            "bundle.yml",
            "bundle.json",
            "in/a",
            "w.yaml",
            "employee.age",
            "--jobs",
            "--token-file FILE",
            "--no-auth",
            "dossier",
            "x.y",
            "a.b",
        ];
        for notice in &notices {
            let zh = notice.text(Lang::Zh);
            let en = notice.text(Lang::En);
            assert!(chinese(&zh), "{zh}");
            assert_eq!(english_words(&zh, &allowed), Vec::<String>::new(), "{zh}");
            assert!(!chinese(&en), "{en}");
            assert!(!english_words(&en, &allowed).is_empty(), "{en}");
        }
    }
}

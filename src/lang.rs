//! Report languages and text that exists in every one of them.
//!
//! Findings carry [`Localized`] text so one evaluated report can be rendered
//! in Chinese or English without evaluating the bundle again.

use serde::Serialize;

/// A language reports are written in (`--lang`: clap's values come from
/// this enum, so the command line cannot drift from the library).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Chinese (simplified), the language of the platforms' own rules.
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Chooses the language from a locale string such as `zh_CN.UTF-8`;
    /// anything that is not Chinese is English.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// The language's code (`zh`, `en`), as `--lang` and HTML `lang` use it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

/// The same text in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Localized {
    /// The Chinese text.
    pub zh: String,
    /// The English text.
    pub en: String,
}

impl Localized {
    /// The same text in both languages.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Localized {
        Localized {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

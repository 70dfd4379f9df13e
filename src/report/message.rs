//! Messages as templates plus arguments, rendered late.
//!
//! Keeping the quoted values apart from the text lets one report be rendered
//! in either language, with personal numbers masked or shown, and lets JSON
//! carry the values a finding judged as evidence.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use serde::{Serialize, Serializer};

use crate::domain::mask::{PersonalKind, mask, masked};
use crate::lang::{Lang, Localized};

/// What kind of value an argument holds, which decides how it is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ArgumentKind {
    /// Any other text, shown as it is.
    Text,
    /// A date or `long_term`, shown as 长期 / long-term.
    Date,
    /// A resident ID number: masked unless personal data is shown.
    ResidentId,
    /// A mobile number: masked unless personal data is shown.
    Mobile,
    /// A 15-digit business registration number (注册号) quoted from a field
    /// typed as an organisation's code: shown as written while it is one,
    /// though free text would mask it as an old ID number.
    Registration,
}

/// One value quoted by a message, named as its `{placeholder}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Argument {
    /// The placeholder it fills, without braces.
    pub name: String,
    /// The value as written in the bundle (the Chinese, for two-language text).
    pub value: String,
    /// How the value is shown (masked, translated).
    pub kind: ArgumentKind,
    /// The English form when the value is itself text in two languages
    /// (a material's title, an explanation); `value` is then the Chinese.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl Argument {
    /// A value of `kind` for the placeholder `name`.
    pub fn new(name: impl Into<String>, value: impl Into<String>, kind: ArgumentKind) -> Argument {
        Argument {
            name: name.into(),
            value: value.into(),
            kind,
            en: None,
        }
    }

    /// A value that is itself text in both languages.
    pub fn localized(name: impl Into<String>, value: &Localized) -> Argument {
        Argument {
            name: name.into(),
            value: value.zh.clone(),
            kind: ArgumentKind::Text,
            en: Some(value.en.clone()),
        }
    }

    /// A plain text value.
    pub fn text(name: impl Into<String>, value: impl Into<String>) -> Argument {
        Argument::new(name, value, ArgumentKind::Text)
    }

    /// Whether the value is an ID or phone number, masked unless asked.
    pub fn is_personal(&self) -> bool {
        matches!(self.kind, ArgumentKind::ResidentId | ArgumentKind::Mobile)
    }

    /// The value as a reader sees it. Unless personal data is shown, a
    /// number that looks personal in any value (a parser's reason, an ID
    /// number written in a date field, a script's error) is masked too.
    pub fn display(&self, lang: Lang, show_personal_data: bool) -> String {
        let shown = self.display_raw(lang, show_personal_data);
        match show_personal_data || self.is_registration_number() {
            true => shown,
            false => masked(&shown).into_owned(),
        }
    }

    /// Whether the value is a registration number typed as one, shown as it is.
    pub fn is_registration_number(&self) -> bool {
        self.kind == ArgumentKind::Registration
            && crate::domain::uscc::is_registration_number(&self.value)
    }

    fn display_raw(&self, lang: Lang, show_personal_data: bool) -> String {
        self.shown_as_written(
            self.value.as_str().into(),
            self.en.as_deref().map(Cow::from),
            lang,
            show_personal_data,
        )
        .into_owned()
    }

    /// How a value of this argument's kind is shown before free text is
    /// masked: `value` and `en` stand for the argument's own (a renderer
    /// passes them redacted). Borrows them where nothing is changed.
    pub fn shown_as_written<'a>(
        &self,
        value: Cow<'a, str>,
        en: Option<Cow<'a, str>>,
        lang: Lang,
        show_personal_data: bool,
    ) -> Cow<'a, str> {
        match self.kind {
            ArgumentKind::ResidentId if !show_personal_data => {
                Cow::Owned(mask(PersonalKind::ResidentId, &value))
            }
            ArgumentKind::Mobile if !show_personal_data => {
                Cow::Owned(mask(PersonalKind::Mobile, &value))
            }
            ArgumentKind::Date if value == "long_term" => Cow::Borrowed(match lang {
                Lang::Zh => "长期",
                Lang::En => "long-term",
            }),
            _ => match (lang, en) {
                (Lang::En, Some(en)) => en,
                _ => value,
            },
        }
    }
}

/// A message's text with `{name}` placeholders, in both languages. Every
/// finding has one, so it is never copied: dossier's own texts are static,
/// and a rule file's are shared with the rule set that holds them.
#[derive(Debug, Clone)]
pub enum MessageText {
    /// A text written in dossier.
    Static {
        /// The Chinese text.
        zh: &'static str,
        /// The English text.
        en: &'static str,
    },
    /// A text held by a rule set (a rule's `fail`, `pass`, `hint` …), or
    /// made while judging.
    Shared(Arc<Localized>),
}

impl MessageText {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match (self, lang) {
            (MessageText::Static { zh, .. }, Lang::Zh) => zh,
            (MessageText::Static { en, .. }, Lang::En) => en,
            (MessageText::Shared(text), lang) => text.get(lang),
        }
    }
}

impl Default for MessageText {
    fn default() -> MessageText {
        MessageText::Static { zh: "", en: "" }
    }
}

/// Texts are equal when they read the same, wherever they are kept.
impl PartialEq for MessageText {
    fn eq(&self, other: &MessageText) -> bool {
        self.get(Lang::Zh) == other.get(Lang::Zh) && self.get(Lang::En) == other.get(Lang::En)
    }
}

impl Eq for MessageText {}

/// Serialised as a [`Localized`] is: `{"zh": …, "en": …}`.
impl Serialize for MessageText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("Localized", 2)?;
        out.serialize_field("zh", self.get(Lang::Zh))?;
        out.serialize_field("en", self.get(Lang::En))?;
        out.end()
    }
}

impl From<Localized> for MessageText {
    fn from(text: Localized) -> MessageText {
        MessageText::Shared(Arc::new(text))
    }
}

impl From<Arc<Localized>> for MessageText {
    fn from(text: Arc<Localized>) -> MessageText {
        MessageText::Shared(text)
    }
}

/// A text with `{name}` placeholders in both languages and the values they quote.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Message {
    /// The text with `{name}` placeholders.
    pub template: MessageText,
    /// The values of the placeholders.
    pub arguments: Vec<Argument>,
}

impl Message {
    /// A message from its template and arguments.
    pub fn new(template: impl Into<MessageText>, arguments: Vec<Argument>) -> Message {
        Message {
            template: template.into(),
            arguments,
        }
    }

    /// A message of dossier's own, in two languages, with placeholders
    /// filled from `arguments` (a text made while judging: [`Message::new`]).
    pub fn of(zh: &'static str, en: &'static str, arguments: Vec<Argument>) -> Message {
        Message::new(MessageText::Static { zh, en }, arguments)
    }

    /// The message in `lang`; `{{` and `}}` stand for literal braces.
    pub fn render(&self, lang: Lang, show_personal_data: bool) -> String {
        self.fill_with(lang, |index| {
            self.arguments[index].display(lang, show_personal_data)
        })
    }

    /// Every argument as a reader sees it ([`Argument::display`]), in order:
    /// for a renderer that shows both the text and the values, so each
    /// value is displayed and masked once.
    pub fn shown_arguments(&self, lang: Lang, show_personal_data: bool) -> Vec<String> {
        self.arguments
            .iter()
            .map(|argument| argument.display(lang, show_personal_data))
            .collect()
    }

    /// The message in `lang` with its arguments as [`Message::shown_arguments`]
    /// gave them: the same text as [`Message::render`].
    pub fn render_shown(&self, lang: Lang, shown: &[String]) -> String {
        let template = self.template.get(lang);
        let mut out = String::with_capacity(template.len() + 16);
        // Writing to a String cannot fail.
        let _ = self.write_shown(lang, shown, &mut out);
        out
    }

    /// [`Message::render_shown`] written to `out` as it is filled, so a
    /// renderer (JSON) can put the text straight into its output.
    pub fn write_shown<S: AsRef<str>>(
        &self,
        lang: Lang,
        shown: &[S],
        out: &mut impl fmt::Write,
    ) -> fmt::Result {
        self.fill(lang, out, |index| {
            shown.get(index).map_or("", |shown| shown.as_ref())
        })
    }

    /// The message in `lang`, each placeholder filled by `shown(index)`.
    fn fill_with(&self, lang: Lang, shown: impl Fn(usize) -> String) -> String {
        let template = self.template.get(lang);
        let mut out = String::with_capacity(template.len() + 16);
        let _ = self.fill(lang, &mut out, shown);
        out
    }

    /// Writes the template with each placeholder replaced by `shown(index)`
    /// of the first argument of that name.
    fn fill<T: AsRef<str>>(
        &self,
        lang: Lang,
        out: &mut impl fmt::Write,
        shown: impl Fn(usize) -> T,
    ) -> fmt::Result {
        // Braces are ASCII: found as bytes, without decoding the
        // (often Chinese) text around them a character at a time.
        let brace = |text: &str| text.bytes().position(|b| b == b'{' || b == b'}');
        let mut rest = self.template.get(lang);
        while let Some(index) = brace(rest) {
            out.write_str(&rest[..index])?;
            let tail = &rest[index..];
            let bytes = tail.as_bytes();
            // `{{` or `}}`: the byte found, doubled.
            if bytes.get(1) == Some(&bytes[0]) {
                out.write_str(&tail[..1])?;
                rest = &tail[2..];
                continue;
            }
            let end = bytes.iter().position(|&b| b == b'}');
            if let (b'{', Some(end)) = (bytes[0], end) {
                let name = &tail[1..end];
                match self.arguments.iter().position(|a| a.name == name) {
                    Some(argument) => out.write_str(shown(argument).as_ref())?,
                    None => out.write_str(&tail[..=end])?,
                }
                rest = &tail[end + 1..];
            } else {
                out.write_str(&tail[..1])?;
                rest = &tail[1..];
            }
        }
        out.write_str(rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message() -> Message {
        Message::of(
            "{name}的身份证号 {id} 于 {until} 到期 {{注}}",
            "{name}'s ID {id} valid until {until} {{note}}",
            vec![
                Argument::text("name", "李四"),
                Argument::new("id", "110108199003071238", ArgumentKind::ResidentId),
                Argument::new("until", "long_term", ArgumentKind::Date),
            ],
        )
    }

    #[test]
    fn personal_numbers_are_masked_unless_asked() {
        assert_eq!(
            message().render(Lang::Zh, false),
            "李四的身份证号 110108********1238 于 长期 到期 {注}"
        );
        assert_eq!(
            message().render(Lang::En, true),
            "李四's ID 110108199003071238 valid until long-term {note}"
        );
    }

    #[test]
    fn rendering_from_shown_arguments_gives_the_same_text() {
        let message = message();
        for (lang, show) in [(Lang::Zh, false), (Lang::En, false), (Lang::En, true)] {
            let shown = message.shown_arguments(lang, show);
            assert_eq!(shown.len(), 3);
            assert_eq!(
                message.render_shown(lang, &shown),
                message.render(lang, show)
            );
        }
        assert_eq!(
            message.shown_arguments(Lang::Zh, false)[1],
            "110108********1238"
        );
    }

    #[test]
    fn unknown_placeholders_and_stray_braces_stay_as_written() {
        let message = Message::of("{missing} } {", "x", vec![]);
        assert_eq!(message.render(Lang::Zh, false), "{missing} } {");
        let message = Message::of(
            "}}{{{name}}}{}{{{名}}}{",
            "}",
            vec![Argument::text("name", "张三"), Argument::text("名", "值")],
        );
        assert_eq!(message.render(Lang::Zh, false), "}{张三}{}{值}{");
        assert_eq!(message.render(Lang::En, false), "}");
    }
}

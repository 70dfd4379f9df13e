//! The one way bundle data reaches any output: every string of a report
//! (bundle and file names, party keys and names, JSON Pointers, values,
//! messages, waiver notes) goes through one [`Redaction`], decided once
//! from the options, before a renderer sees it. Personal numbers are masked
//! unless `--show-personal-data` asks otherwise, and for outputs a person
//! reads, control and bidirectional characters are shown as escapes so a
//! name cannot paint a fake verdict.
//!
//! The report itself keeps raw values; each public renderer starts by
//! redacting what it was given, so a format cannot show one string
//! unredacted and another redacted.

use std::borrow::Cow;

use super::{Format, RenderOptions, terminal};
use crate::domain::mask::{PersonalKind, mask, masked};
use crate::lang::Lang;
use crate::report::{Argument, ArgumentKind, Message, Report};

/// Whether `argument`, holding `value` now, is a registration number typed
/// as one ([`Argument::is_registration_number`] of a rewritten argument).
fn is_registration(argument: &Argument, value: &str) -> bool {
    argument.kind == ArgumentKind::Registration
        && crate::domain::uscc::is_registration_number(value)
}

/// What is done to bundle data before it is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Redaction {
    /// Mask ID and mobile numbers.
    pub mask: bool,
    /// Show control and bidirectional-override characters as escapes.
    pub escape_controls: bool,
}

impl Redaction {
    /// For a report in `format`: masked unless asked, and made safe to
    /// display everywhere but JSON, which stays lossless (its encoder
    /// escapes control characters itself).
    pub fn of(options: &RenderOptions, format: Format) -> Redaction {
        Redaction {
            mask: !options.show_personal_data,
            escape_controls: !matches!(format, Format::Json | Format::Jsonl),
        }
    }

    /// For messages on standard error, which ends up in logs: always masked,
    /// always safe for a terminal.
    pub fn stderr() -> Redaction {
        Redaction {
            mask: true,
            escape_controls: true,
        }
    }

    /// One string of bundle data, as it may be shown.
    pub fn text<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let masked = if self.mask {
            masked(text)
        } else {
            Cow::Borrowed(text)
        };
        if !self.escape_controls {
            return masked;
        }
        match terminal::visible(&masked) {
            Cow::Borrowed(_) => masked,
            Cow::Owned(escaped) => Cow::Owned(escaped),
        }
    }

    /// A JSON Pointer: each reference token is judged decoded (`~1` is a
    /// `/` of the key), so a number split by the encoding is still found.
    pub fn pointer<'a>(&self, pointer: &'a str) -> Cow<'a, str> {
        if !self.mask || !pointer.starts_with('/') {
            return self.text(pointer);
        }
        // Without escapes, each token decodes to itself and re-encodes to
        // itself; when the pointer masks to itself, so does each token.
        if !pointer.contains('~') && matches!(masked(pointer), Cow::Borrowed(_)) {
            let unmasked = Redaction {
                mask: false,
                ..*self
            };
            return unmasked.text(pointer);
        }
        let unmasked = Redaction {
            mask: false,
            ..*self
        };
        let shown = unmasked.text(&masked_by_token(pointer)).into_owned();
        if shown == pointer {
            Cow::Borrowed(pointer)
        } else {
            Cow::Owned(shown)
        }
    }

    /// `report` with every string redacted; borrowed when nothing is to do.
    pub fn report<'a>(&self, report: &'a Report) -> Cow<'a, Report> {
        if !self.mask && !self.escape_controls {
            return Cow::Borrowed(report);
        }
        let mut copy = report.clone();
        self.rewrite(&mut copy);
        Cow::Owned(copy)
    }

    /// Several reports, each redacted.
    pub fn reports<'a>(&self, reports: &'a [Report]) -> Cow<'a, [Report]> {
        if !self.mask && !self.escape_controls {
            return Cow::Borrowed(reports);
        }
        Cow::Owned(
            reports
                .iter()
                .map(|r| self.report(r).into_owned())
                .collect(),
        )
    }

    fn set(&self, text: &mut String) {
        if let Cow::Owned(new) = self.text(text) {
            *text = new;
        }
    }

    /// Every string of a report that comes from the bundle or a waiver
    /// file. The rule set's own text (rule ids, message templates, basis,
    /// titles, rule file names) is the platform's, shown as written: a
    /// template's sample number (`如 13800138000`) is not a person's.
    fn rewrite(&self, report: &mut Report) {
        self.set(&mut report.bundle);
        for text in report.manifest.iter_mut().chain(report.operation.as_mut()) {
            self.set(text);
        }
        // The rule set's title is shown as written, but a rule set given
        // with `--rules` may hold control characters: never raw on a terminal.
        if let (true, Some(title)) = (self.escape_controls, &mut report.operation_title) {
            for text in [&mut title.zh, &mut title.en] {
                if let Cow::Owned(escaped) = terminal::visible(text) {
                    *text = escaped;
                }
            }
        }
        for party in &mut report.parties {
            self.set(&mut party.key);
            for text in party.role.iter_mut().chain(party.name.as_mut()) {
                self.set(text);
            }
        }
        for finding in &mut report.findings {
            self.message(&mut finding.message);
            if let Some(hint) = &mut finding.hint {
                self.message(hint);
            }
            for text in finding.holder.iter_mut().chain(finding.material.as_mut()) {
                self.set(text);
            }
            if let Some(path) = &mut finding.path
                && let Cow::Owned(new) = self.pointer(path)
            {
                *path = new;
            }
            if let Some(waiver) = &mut finding.waiver {
                self.set(&mut waiver.reason);
                self.set(&mut waiver.approved_by);
                self.set(&mut waiver.source);
            }
        }
    }

    /// What `argument` shows in `lang` once [`Redaction::report`] has
    /// redacted it, displayed with personal data shown exactly when this
    /// redaction does not mask: the same text as redacting a copy of the
    /// report and calling [`Argument::display`], without the copy, and
    /// borrowed where nothing changes (as for most values).
    pub fn shown_argument<'a>(&self, argument: &'a Argument, lang: Lang) -> Cow<'a, str> {
        if argument.kind == ArgumentKind::Text {
            return self.shown_text(argument, lang);
        }
        // As `message` rewrites it.
        let personal = match argument.kind {
            ArgumentKind::ResidentId => Some(PersonalKind::ResidentId),
            ArgumentKind::Mobile => Some(PersonalKind::Mobile),
            ArgumentKind::Text | ArgumentKind::Date | ArgumentKind::Registration => None,
        };
        let value: Cow<'a, str> = match (personal, self.mask) {
            (Some(kind), true) => Cow::Owned(mask(kind, &argument.value)),
            _ => Cow::Borrowed(&argument.value),
        };
        let en = argument.en.as_deref().map(Cow::Borrowed);
        let (value, en) = if is_registration(argument, &value) {
            let unmasked = Redaction {
                mask: false,
                ..*self
            };
            (unmasked.apply(value), en)
        } else {
            (self.apply(value), en.map(|en| self.apply(en)))
        };
        // As `Argument::display` shows the rewritten argument.
        let show_personal_data = !self.mask;
        let registration = is_registration(argument, &value);
        let shown = argument.shown_as_written(value, en, lang, show_personal_data);
        if show_personal_data || registration {
            return shown;
        }
        match masked(&shown) {
            Cow::Borrowed(_) => shown,
            Cow::Owned(new) => Cow::Owned(new),
        }
    }

    /// [`Redaction::shown_argument`] of a plain text argument, which shows
    /// its value or its English form redacted, then masked once more. Only
    /// the form shown is redacted, and a text the first masking left alone
    /// is not scanned again (masking is a function of the text: it would
    /// be left alone again).
    fn shown_text<'a>(&self, argument: &'a Argument, lang: Lang) -> Cow<'a, str> {
        let written = match (lang, &argument.en) {
            (Lang::En, Some(en)) => en,
            _ => &argument.value,
        };
        match self.text(written) {
            Cow::Owned(shown) if self.mask => match masked(&shown) {
                Cow::Borrowed(_) => Cow::Owned(shown),
                Cow::Owned(again) => Cow::Owned(again),
            },
            shown => shown,
        }
    }

    /// [`Redaction::text`] of a text that may already be a copy.
    fn apply<'a>(&self, text: Cow<'a, str>) -> Cow<'a, str> {
        match text {
            Cow::Borrowed(text) => self.text(text),
            Cow::Owned(text) => {
                let changed = match self.text(&text) {
                    Cow::Owned(new) => Some(new),
                    Cow::Borrowed(_) => None,
                };
                Cow::Owned(changed.unwrap_or(text))
            }
        }
    }

    /// The values a message quotes (its template is the rule set's).
    fn message(&self, message: &mut Message) {
        for argument in &mut message.arguments {
            let kind = match argument.kind {
                ArgumentKind::ResidentId => Some(PersonalKind::ResidentId),
                ArgumentKind::Mobile => Some(PersonalKind::Mobile),
                ArgumentKind::Text | ArgumentKind::Date | ArgumentKind::Registration => None,
            };
            if let (Some(kind), true) = (kind, self.mask) {
                argument.value = mask(kind, &argument.value);
            }
            if argument.is_registration_number() {
                let unmasked = Redaction {
                    mask: false,
                    ..*self
                };
                unmasked.set(&mut argument.value);
                continue;
            }
            self.set(&mut argument.value);
            if let Some(en) = &mut argument.en {
                self.set(en);
            }
        }
    }
}

/// `pointer` with every personal number masked, token by token: each
/// reference token is masked decoded and encoded again.
fn masked_by_token(pointer: &str) -> String {
    let tokens: Vec<String> = masked(pointer)
        .split('/')
        .map(|token| {
            let decoded = token.replace("~1", "/").replace("~0", "~");
            masked(&decoded).replace('~', "~0").replace('/', "~1")
        })
        .collect();
    tokens.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::{Lang, Localized};

    /// The `text_report` fuzz target's first find: a control character in
    /// the operation's title reached the terminal as it was.
    #[test]
    fn a_control_character_in_the_operation_title_is_escaped() {
        let mut report = Report::empty("bundle");
        report.operation = Some("op".into());
        report.operation_title = Some(Localized::new("\u{1}标题\u{1b}[2K", "\u{1}title\u{202e}"));
        for lang in [Lang::Zh, Lang::En] {
            let options = RenderOptions::in_language(lang);
            let text = super::super::render(Format::Text, std::slice::from_ref(&report), &options);
            assert!(
                !text.contains('\u{1}') && !text.contains('\u{1b}'),
                "{text:?}"
            );
            assert!(!text.contains('\u{202e}'), "{text:?}");
            assert!(text.contains("\\u{1}"), "{text:?}");
        }
        let json = Redaction::of(&RenderOptions::default(), Format::Json).report(&report);
        assert_eq!(
            json.operation_title, report.operation_title,
            "JSON stays lossless"
        );
    }

    /// The arguments a redacted copy of a report displays, shown without
    /// the copy: the same text for every kind, language, masking and
    /// escaping, tricky values included (a masked number whose shown end
    /// joins the digits after it into a new one, a registration number,
    /// control characters, a number in the English form).
    #[test]
    fn shown_arguments_are_what_the_redacted_copy_displays() {
        let values = [
            "",
            "张三",
            "long_term",
            "2024-08-28",
            "11010519491231002X",
            "110105194912310",
            "13800001390 0012345",
            "tel 186-1501-2247\u{1b}[2K",
            "\u{202e}11010800130100",
            "１３８００１３８０００",
            "12345",
        ];
        let mut registration = String::from("11010800130100");
        registration = (0..10)
            .map(|check| format!("{registration}{check}"))
            .find(|n| crate::domain::uscc::is_registration_number(n))
            .unwrap_or(registration);
        let kinds = [
            ArgumentKind::Text,
            ArgumentKind::Date,
            ArgumentKind::ResidentId,
            ArgumentKind::Mobile,
            ArgumentKind::Registration,
        ];
        let mut arguments = Vec::new();
        for value in values.iter().copied().chain([registration.as_str()]) {
            for kind in kinds {
                arguments.push(Argument::new("v", value, kind));
                let mut localized = Argument::new("v", value, kind);
                localized.en = Some(format!("en {value} 13912345678"));
                arguments.push(localized);
            }
        }
        for argument in &arguments {
            for (mask, escape_controls) in
                [(true, false), (false, false), (true, true), (false, true)]
            {
                let redaction = Redaction {
                    mask,
                    escape_controls,
                };
                let mut message =
                    Message::new(Localized::new("{v}", "{v}"), vec![argument.clone()]);
                redaction.message(&mut message);
                for lang in [Lang::Zh, Lang::En] {
                    assert_eq!(
                        redaction.shown_argument(argument, lang),
                        message.arguments[0].display(lang, !mask),
                        "{argument:?} {redaction:?} {lang:?}"
                    );
                }
            }
        }
    }

    /// The short cut for pointers gives what the token-by-token masking gives.
    #[test]
    fn pointers_without_numbers_are_shown_as_written() {
        let redaction = Redaction::of(&RenderOptions::default(), Format::Json);
        for pointer in [
            "/parties/zhangsan/id_number",
            "/documents/0/file",
            "/a~1b/c~0d",
            "/~2",
            "/parties/13800138000",
            "/files/138~100138000",
        ] {
            let by_token = Redaction {
                mask: true,
                escape_controls: false,
            };
            assert_eq!(by_token, redaction);
            assert_eq!(
                redaction.pointer(pointer),
                masked_by_token(pointer),
                "{pointer}"
            );
        }
    }
}

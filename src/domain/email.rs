//! E-mail addresses as given for an employee's contact: a practical check
//! (one `@`, a sane local part, a domain with a dot and valid labels), not
//! the whole of RFC 5322, whose quoted and commented forms nobody types into
//! a form.

use std::fmt;

use thiserror::Error;

use crate::lang::Localized;

/// An address that passed [`parse`], trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email {
    address: String,
    at: usize,
}

impl Email {
    pub fn as_str(&self) -> &str {
        &self.address
    }

    /// The key for "same address": the local part as written (servers may
    /// treat its case as significant) and the domain lower-cased (domains
    /// are case-insensitive).
    pub fn comparison_key(&self) -> String {
        let (local, domain) = self.address.split_at(self.at);
        format!("{local}{}", domain.to_lowercase())
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.address)
    }
}

/// Why a value is not a usable e-mail address.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EmailError {
    #[error("the e-mail address is empty")]
    Empty,
    #[error("an e-mail address has exactly one @, found {found}")]
    AtSign { found: usize },
    #[error("the part before @ is empty")]
    EmptyLocalPart,
    #[error("the part before @ contains a space or control character")]
    LocalPartCharacter,
    #[error("the part before @ is longer than 64 bytes")]
    LocalPartTooLong,
    #[error("the domain {domain:?} has no dot")]
    DomainWithoutDot { domain: String },
    #[error(
        "the domain label {label:?} is not valid (1–63 letters, digits or hyphens, not starting or ending with a hyphen)"
    )]
    DomainLabel { label: String },
    #[error("the top-level domain {label:?} is all digits")]
    NumericTopLevel { label: String },
    #[error("an e-mail address has at most 254 bytes, found {found}")]
    TooLong { found: usize },
}

impl EmailError {
    /// Which part of the address is wrong, in Chinese and English.
    pub fn explain(&self) -> Localized {
        match self {
            EmailError::Empty => Localized::new("邮箱地址为空", "the e-mail address is empty"),
            EmailError::AtSign { found } => Localized::new(
                format!("邮箱地址应恰好包含一个 @,实有 {found} 个"),
                format!("an e-mail address has exactly one @, this one has {found}"),
            ),
            EmailError::EmptyLocalPart => {
                Localized::new("@ 前的用户名部分为空", "the user name before @ is empty")
            }
            EmailError::LocalPartCharacter => Localized::new(
                "@ 前的用户名部分含有空格或控制字符",
                "the user name before @ contains a space or control character",
            ),
            EmailError::LocalPartTooLong => Localized::new(
                "@ 前的用户名部分超过 64 字节",
                "the user name before @ is longer than 64 bytes",
            ),
            EmailError::DomainWithoutDot { domain } => Localized::new(
                format!("@ 后的域名“{domain}”缺少“.”,例如 example.com"),
                format!("the domain \"{domain}\" after @ has no dot, as in example.com"),
            ),
            EmailError::DomainLabel { label } => Localized::new(
                format!(
                    "域名中的“{label}”一段无效:每段应为 1–63 个字母、数字或连字符,且不以连字符开头或结尾"
                ),
                format!(
                    "the domain part \"{label}\" is not valid: each part has 1–63 letters, digits or hyphens and does not start or end with a hyphen"
                ),
            ),
            EmailError::NumericTopLevel { label } => Localized::new(
                format!("顶级域名“{label}”不能全为数字"),
                format!("the top-level domain \"{label}\" cannot be all digits"),
            ),
            EmailError::TooLong { found } => Localized::new(
                format!("邮箱地址最长 254 字节,实为 {found} 字节"),
                format!("an e-mail address has at most 254 bytes, this one has {found}"),
            ),
        }
    }
}

/// Checks one domain label; internationalised (Unicode) letters are allowed,
/// length is counted in characters.
fn valid_label(label: &str) -> bool {
    let count = label.chars().count();
    (1..=63).contains(&count)
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label.chars().all(|c| c == '-' || c.is_alphanumeric())
}

/// Parses an e-mail address after trimming surrounding whitespace.
pub fn parse(input: &str) -> Result<Email, EmailError> {
    let address = input.trim();
    if address.is_empty() {
        return Err(EmailError::Empty);
    }
    if address.len() > 254 {
        return Err(EmailError::TooLong {
            found: address.len(),
        });
    }
    let found = address.matches('@').count();
    if found != 1 {
        return Err(EmailError::AtSign { found });
    }
    let Some((local, domain)) = address.split_once('@') else {
        return Err(EmailError::AtSign { found: 0 });
    };
    if local.is_empty() {
        return Err(EmailError::EmptyLocalPart);
    }
    if local.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(EmailError::LocalPartCharacter);
    }
    if local.len() > 64 {
        return Err(EmailError::LocalPartTooLong);
    }
    if !domain.contains('.') {
        return Err(EmailError::DomainWithoutDot {
            domain: domain.to_string(),
        });
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if let Some(bad) = labels.iter().find(|label| !valid_label(label)) {
        return Err(EmailError::DomainLabel {
            label: bad.to_string(),
        });
    }
    if let Some(top) = labels.last()
        && top.chars().all(|c| c.is_ascii_digit())
    {
        return Err(EmailError::NumericTopLevel {
            label: top.to_string(),
        });
    }
    Ok(Email {
        address: address.to_string(),
        at: local.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_addresses() {
        for address in [
            "lisi@example.com",
            " lisi@example.com ",
            "li.si+douyin@mail.example.com.cn",
            "LiSi@Example.COM",
            "张三@例子.中国",
            "a@b.co",
            "user@xn--fiqs8s.cn",
            "1234@qq.com",
        ] {
            assert!(parse(address).is_ok(), "{address}: {:?}", parse(address));
        }
    }

    #[test]
    fn comparison_key_lowercases_the_domain_only() {
        let a = parse("LiSi@Example.COM").expect("valid");
        assert_eq!(a.comparison_key(), "LiSi@example.com");
        assert_eq!(a.as_str(), "LiSi@Example.COM");
        assert_ne!(
            a.comparison_key(),
            parse("lisi@example.com").expect("valid").comparison_key()
        );
        assert_eq!(
            a.comparison_key(),
            parse("LiSi@example.com").expect("valid").comparison_key()
        );
    }

    #[test]
    fn invalid_addresses() {
        assert_eq!(parse("  "), Err(EmailError::Empty));
        assert_eq!(
            parse("lisi.example.com"),
            Err(EmailError::AtSign { found: 0 })
        );
        assert_eq!(
            parse("li@si@example.com"),
            Err(EmailError::AtSign { found: 2 })
        );
        assert_eq!(parse("@example.com"), Err(EmailError::EmptyLocalPart));
        assert_eq!(
            parse("li si@example.com"),
            Err(EmailError::LocalPartCharacter)
        );
        assert_eq!(
            parse("li\u{7}si@example.com"),
            Err(EmailError::LocalPartCharacter)
        );
        assert_eq!(
            parse(&format!("{}@example.com", "a".repeat(65))),
            Err(EmailError::LocalPartTooLong)
        );
        assert!(parse(&format!("{}@example.com", "a".repeat(64))).is_ok());
        assert_eq!(
            parse("lisi@localhost"),
            Err(EmailError::DomainWithoutDot {
                domain: "localhost".into()
            })
        );
        assert_eq!(
            parse("lisi@example..com"),
            Err(EmailError::DomainLabel { label: "".into() })
        );
        assert_eq!(
            parse("lisi@example.com."),
            Err(EmailError::DomainLabel { label: "".into() })
        );
        assert_eq!(
            parse("lisi@-example.com"),
            Err(EmailError::DomainLabel {
                label: "-example".into()
            })
        );
        assert_eq!(
            parse("lisi@example-.com"),
            Err(EmailError::DomainLabel {
                label: "example-".into()
            })
        );
        assert_eq!(
            parse("lisi@exa_mple.com"),
            Err(EmailError::DomainLabel {
                label: "exa_mple".into()
            })
        );
        assert_eq!(
            parse("lisi@127.0.0.1"),
            Err(EmailError::NumericTopLevel { label: "1".into() })
        );
        let long_label = "a".repeat(64);
        assert_eq!(
            parse(&format!("lisi@{long_label}.com")),
            Err(EmailError::DomainLabel { label: long_label })
        );
        let long = format!("lisi@{}.com", vec!["a".repeat(60); 5].join("."));
        assert_eq!(parse(&long), Err(EmailError::TooLong { found: long.len() }));
    }

    #[test]
    fn explanations_snapshot() {
        let text: Vec<String> = [
            "",
            "li@si@example.com",
            "@example.com",
            "li si@example.com",
            "lisi@localhost",
            "lisi@-example.com",
            "lisi@example.123",
        ]
        .iter()
        .filter_map(|address| parse(address).err())
        .map(|e| format!("{e}\n  zh: {}\n  en: {}", e.explain().zh, e.explain().en))
        .collect();
        insta::assert_snapshot!(text.join("\n"));
    }
}

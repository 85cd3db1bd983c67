//! Which links content may write. A URL from an article, a section or `site.yaml` that
//! reaches an `href` or `src` must not run script when followed, so its scheme is read the
//! way a browser reads it and only a short list of schemes is let through.

/// Schemes a link from content may use when raw HTML is off. Relative links have none.
/// `tel:` is here because health pages give phone numbers ("call 111").
pub const ALLOWED: &[&str] = &["http", "https", "mailto", "tel"];

/// The scheme of `url` as a browser parses it, lower-cased: leading and trailing spaces and
/// control characters are ignored and tabs and newlines anywhere are removed (so
/// `" JaVa\tScript:..."` is `javascript`). None for a relative URL.
pub fn scheme(url: &str) -> Option<String> {
    let trimmed = url.trim_matches(|c: char| c <= ' ');
    let mut chars = trimmed.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r'));
    let first = chars.next()?;
    if !first.is_ascii_alphabetic() {
        return None;
    }
    let mut out = String::new();
    out.push(first.to_ascii_lowercase());
    for c in chars {
        match c {
            ':' => return Some(out),
            c if c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.') => {
                out.push(c.to_ascii_lowercase())
            }
            _ => return None,
        }
    }
    None
}

/// The scheme of `url` when it is not one content may link to; None when the link is
/// relative or its scheme is allowed.
pub fn refused(url: &str) -> Option<String> {
    scheme(url).filter(|s| !ALLOWED.contains(&s.as_str()))
}

/// `url` when its scheme is allowed, else `#`: for templates that show a URL from content.
pub fn or_inert(url: &str) -> &str {
    if refused(url).is_some() { "#" } else { url }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_are_read_as_a_browser_reads_them() {
        for (url, want) in [
            ("javascript:alert(1)", Some("javascript")),
            ("  JavaScript:alert(1)", Some("javascript")),
            ("\u{1}java\tscr\nipt:x", Some("javascript")),
            ("VBScript:x", Some("vbscript")),
            ("data:text/html,<b>", Some("data")),
            ("https://nhs.uk/", Some("https")),
            ("mailto:a@b.c", Some("mailto")),
            ("../a.md#x", None),
            ("/causes/x/", None),
            ("#top", None),
            ("a/b:c", None),
            ("?q=a:b", None),
            ("", None),
            ("1abc:x", None),
        ] {
            assert_eq!(scheme(url).as_deref(), want, "{url:?}");
        }
    }

    #[test]
    fn only_safe_schemes_pass() {
        assert_eq!(refused(" javascript:x").as_deref(), Some("javascript"));
        assert_eq!(refused("data:x").as_deref(), Some("data"));
        assert_eq!(refused("https://a.b/"), None);
        assert_eq!(refused("tel:111"), None);
        assert_eq!(refused("leg-cramps.md"), None);
        assert_eq!(or_inert("vbscript:x"), "#");
        assert_eq!(or_inert("https://a.b/"), "https://a.b/");
    }
}

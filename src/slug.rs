//! Slugs: the URL-safe form of names, used for cause and tag URLs and heading ids.

/// Lower-case ASCII letters and digits, with every other run of characters turned into one
/// hyphen. Accented letters are folded to ASCII first ("Ménière" gives "meniere").
pub(crate) fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut out = String::with_capacity(ascii.len());
    let mut pending_hyphen = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_hyphen && !out.is_empty() {
                out.push('-');
            }
            pending_hyphen = false;
            out.push(c.to_ascii_lowercase());
        } else if c != '\'' {
            // An apostrophe joins its word ("Charley's" gives "charleys").
            pending_hyphen = true;
        }
    }
    out
}

/// Whether `s` may be used as a URL path segment as it is: a non-empty run of lower-case
/// letters, digits, hyphens and underscores, not starting with a dot or a hyphen.
pub(crate) fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// Words of `text` folded for matching: ASCII, lower case, single spaces, padded with a space
/// on each side so that `" word "` finds whole words only.
pub(crate) fn fold_words(text: &str) -> String {
    let mut out = String::from(" ");
    let ascii = deunicode::deunicode(text);
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if c != '\'' && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slugify("Physiological Triggers"), "physiological-triggers");
        assert_eq!(
            slugify("  Nerve & Blood-Flow  Impairments! "),
            "nerve-blood-flow-impairments"
        );
        assert_eq!(slugify("Ménière’s disease"), "menieres-disease");
        assert_eq!(slugify("Who is at risk? (2026)"), "who-is-at-risk-2026");
        assert_eq!(slugify("Vitamin B12"), "vitamin-b12");
        assert_eq!(slugify("???"), "");
    }

    #[test]
    fn valid_slugs() {
        assert!(is_valid_slug("foot-spasms"));
        assert!(!is_valid_slug("../etc"));
        assert!(!is_valid_slug("Foot"));
        assert!(!is_valid_slug("a/b"));
        assert!(!is_valid_slug(""));
    }

    #[test]
    fn folded_words_match_whole_words() {
        let text = fold_words("Low fluid (dehydration) upsets—muscles");
        assert_eq!(text, " low fluid dehydration upsets muscles ");
        assert!(text.contains(&fold_words("Dehydration")));
        assert!(!text.contains(&fold_words("hydration")));
    }
}

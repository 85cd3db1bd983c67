//! Slugs: the URL-safe form of names, used for article, cause and tag URLs and heading ids.

use serde::Deserialize;

/// How names become slugs (`slugs` in `site.yaml`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SlugStyle {
    /// Letters and digits of every script are kept (`الجفاف`, `обезвоживание`), lower-cased;
    /// Latin letters lose their accents (`Ménière` gives `meniere`), as they always have.
    #[default]
    Unicode,
    /// Every letter is transliterated to ASCII (`الجفاف` gives `ljff`).
    Ascii,
}

/// Letters and digits, lower-cased, with every other run of characters turned into one
/// hyphen; an apostrophe joins its word ("Charley's" gives "charleys"). See [`SlugStyle`]
/// for what happens to letters outside ASCII.
pub(crate) fn slugify(text: &str, style: SlugStyle) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    let push = |out: &mut String, c: char, pending: &mut bool| {
        if *pending && !out.is_empty() {
            out.push('-');
        }
        *pending = false;
        out.extend(c.to_lowercase());
    };
    let mut after_letter = false;
    for c in text.nfc() {
        let latin = c.is_ascii() || is_latin(c) || style == SlugStyle::Ascii;
        // Arabic short vowels are left out, as most text leaves them out.
        if c == '\'' || c == '’' || is_joiner(c) || is_arabic_mark(c) {
            continue;
        } else if latin && !c.is_ascii() {
            // Folded to ASCII: é → e, ß → ss, and in the ASCII style any script.
            for a in deunicode::deunicode_char(c).unwrap_or("").chars() {
                if a.is_ascii_alphanumeric() {
                    push(&mut out, a, &mut pending_hyphen);
                } else if a != '\'' {
                    pending_hyphen = true;
                }
            }
            after_letter = !pending_hyphen;
        } else if c.is_alphanumeric() {
            push(&mut out, c, &mut pending_hyphen);
            after_letter = true;
        } else if unicode_normalization::char::is_combining_mark(c) {
            // Other marks belong to their letter.
            if after_letter {
                out.push(c);
            }
        } else {
            pending_hyphen = true;
            after_letter = false;
        }
    }
    out
}

/// Letters of the Latin script outside ASCII (accented letters, ß, æ...).
fn is_latin(c: char) -> bool {
    matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' | '\u{2C60}'..='\u{2C7F}' | '\u{A720}'..='\u{A7FF}')
        && c != '\u{00D7}'
        && c != '\u{00F7}'
}

/// Arabic short vowels and other marks, and the tatweel that stretches a word.
fn is_arabic_mark(c: char) -> bool {
    matches!(c, '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}')
}

/// Characters that join or shape letters without being one (tatweel, zero-width joiners).
fn is_joiner(c: char) -> bool {
    matches!(c, '\u{0640}' | '\u{200C}' | '\u{200D}')
}

/// Whether a name gives a slug in every style: it has letters or digits.
pub(crate) fn has_slug(name: &str) -> bool {
    [SlugStyle::Unicode, SlugStyle::Ascii]
        .into_iter()
        .all(|style| !slugify(name, style).is_empty())
}

/// Whether `s` may be used as a URL path segment as it is: a non-empty run of lower-case
/// letters (of any script), digits, hyphens and underscores, not starting with a hyphen.
pub(crate) fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && s.chars().all(|c| {
            c.is_ascii_lowercase()
                || c.is_ascii_digit()
                || c == '-'
                || c == '_'
                || (!c.is_ascii()
                    && ((c.is_alphanumeric() && !c.is_uppercase())
                        || unicode_normalization::char::is_combining_mark(c)))
        })
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
        for style in [SlugStyle::Unicode, SlugStyle::Ascii] {
            let slugify = |t| slugify(t, style);
            assert_eq!(slugify("Physiological Triggers"), "physiological-triggers");
            assert_eq!(
                slugify("  Nerve & Blood-Flow  Impairments! "),
                "nerve-blood-flow-impairments"
            );
            assert_eq!(slugify("Ménière’s disease"), "menieres-disease");
            assert_eq!(slugify("Me\u{301}nie\u{300}re"), "meniere");
            assert_eq!(slugify("Who is at risk? (2026)"), "who-is-at-risk-2026");
            assert_eq!(slugify("Vitamin B12"), "vitamin-b12");
            assert_eq!(slugify("Straße, Æther"), "strasse-aether");
            assert_eq!(slugify("???"), "");
        }
    }

    #[test]
    fn slugs_keep_every_script_unless_told_to_transliterate() {
        let u = |t| slugify(t, SlugStyle::Unicode);
        assert_eq!(u("الجفاف"), "الجفاف");
        // Short vowels and the tatweel are left out: the word is spelt as it is most often.
        assert_eq!(u("التمارين الشاقّة"), "التمارين-الشاقة");
        assert_eq!(u("تشنـــجات"), "تشنجات");
        assert_eq!(u("Обезвоживание организма"), "обезвоживание-организма");
        assert_eq!(u("Ελλάδα"), "ελλάδα");
        // Vowel signs of Indic scripts stay with their letters.
        assert_eq!(u("निर्जलीकरण"), "निर्जलीकरण");
        assert_eq!(u("脱水症"), "脱水症");
        assert_eq!(u("Deshidratación (leve)"), "deshidratacion-leve");
        assert_eq!(slugify("الجفاف", SlugStyle::Ascii), "ljff");
        assert!(is_valid_slug(&u("Обезвоживание организма")));
        assert!(is_valid_slug("الجفاف"));
    }

    #[test]
    fn valid_slugs() {
        assert!(is_valid_slug("foot-spasms"));
        assert!(!is_valid_slug("../etc"));
        assert!(!is_valid_slug("Foot"));
        assert!(!is_valid_slug("a/b"));
        assert!(!is_valid_slug(""));
        assert!(!is_valid_slug("Ж"));
        assert!(!is_valid_slug("a\u{202e}b"));
        assert!(!is_valid_slug("a b"));
    }

    #[test]
    fn folded_words_match_whole_words() {
        let text = fold_words("Low fluid (dehydration) upsets—muscles");
        assert_eq!(text, " low fluid dehydration upsets muscles ");
        assert!(text.contains(&fold_words("Dehydration")));
        assert!(!text.contains(&fold_words("hydration")));
    }
}

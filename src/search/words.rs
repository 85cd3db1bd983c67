//! Words as the search script finds them: split, folded, stemmed and given a shard key
//! exactly as `search-core.js` does it, so a query finds the same words in the shards as in
//! `cause-index.json`. `tests/fixtures/search-words.json` holds examples both copies are
//! tested against.

use std::borrow::Cow;
use std::fmt::Write as _;

use rustc_hash::FxHashSet;

use super::stemmers::{Rules, rules_for};
use super::stop_words::StopWords;

fn is_mark(c: char) -> bool {
    !c.is_ascii() && unicode_normalization::char::is_combining_mark(c)
}

/// `[\p{L}\p{N}]`: where a word starts.
fn starts_word(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    c.is_numeric() || (c.is_alphabetic() && !is_mark(c))
}

/// `[\p{L}\p{M}\p{N}]`: what a word goes on with.
fn in_word(c: char) -> bool {
    starts_word(c) || is_mark(c)
}

/// The words of a text as written: `[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['’][\p{L}\p{M}\p{N}]+)*`.
/// Each is handed to `f` as it is found. Bodies are long and mostly ASCII: a byte below 0x80
/// is taken as its character without decoding.
fn each_raw_word<'t>(text: &'t str, mut f: impl FnMut(&'t str)) {
    let b = text.as_bytes();
    let at = |i: usize| -> (char, usize) {
        if b[i] < 0x80 {
            (b[i] as char, 1)
        } else {
            let c = text[i..].chars().next().unwrap_or('\0');
            (c, c.len_utf8())
        }
    };
    let mut i = 0;
    while i < b.len() {
        if b[i] < 0x80 && !b[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let (c, len) = at(i);
        if !starts_word(c) {
            i += len;
            continue;
        }
        let start = i;
        i += len;
        loop {
            // ASCII letters and digits first, without decoding.
            while i < b.len() && b[i].is_ascii_alphanumeric() {
                i += 1;
            }
            if i >= b.len() {
                break;
            }
            let (c, len) = at(i);
            if c as u32 >= 0x80 && in_word(c) {
                i += len;
                continue;
            }
            // An apostrophe inside a word ("Ménière’s") keeps it going.
            if matches!(c, '\'' | '’') && i + len < b.len() && in_word(at(i + len).0) {
                i += len;
                continue;
            }
            break;
        }
        f(&text[start..i]);
    }
}

/// Lower case, accents and other marks stripped, a few letters spelt out, apostrophes
/// dropped: "Ménière’s" → "menieres". The same as `fold` in `search-core.js`.
fn fold(s: &str) -> String {
    if s.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in unicode_normalization::UnicodeNormalization::nfd(s.to_lowercase().as_str()) {
        match c {
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ø' => out.push('o'),
            'đ' => out.push('d'),
            'ł' => out.push('l'),
            'ı' => out.push('i'),
            'þ' => out.push_str("th"),
            '\'' | '’' => {}
            c if is_mark(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// The folded words of a text.
pub(crate) fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_raw_word(text, |w| out.push(fold(w)));
    out
}

/// The distinct folded words of some texts that `keep` keeps, in no particular order (the
/// same for the same texts): a body's hundreds of words are not worth sorting.
pub(crate) fn distinct_words_unsorted<'a>(
    texts: impl IntoIterator<Item = &'a str>,
    keep: impl Fn(&str) -> bool,
) -> Vec<String> {
    // Most words of a body are folded as written (lower-case ASCII): those are kept as they
    // are, and only the rest are folded, each form once.
    let mut seen: FxHashSet<Cow<'a, str>> = FxHashSet::default();
    let mut other_forms: FxHashSet<&'a str> = FxHashSet::default();
    for text in texts {
        each_raw_word(text, |r| {
            if r.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            {
                if !seen.contains(r) {
                    seen.insert(Cow::Borrowed(r));
                }
            } else if other_forms.insert(r) {
                let w = fold(r);
                if !seen.contains(w.as_str()) {
                    seen.insert(Cow::Owned(w));
                }
            }
        });
    }
    (seen.into_iter())
        .filter(|w| keep(w))
        .map(Cow::into_owned)
        .collect()
}

/// The distinct folded words of some texts, sorted. Each form as written is folded once, so a
/// body that says "the" a hundred times folds it once.
pub(crate) fn distinct_words<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut raw: FxHashSet<&str> = FxHashSet::default();
    for text in texts {
        each_raw_word(text, |w| _ = raw.insert(w));
    }
    let mut out: Vec<String> = raw.into_iter().map(fold).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// How the words of a site's language are cut to stems, the same way `search-core.js` does
/// it with the `stemmer` of the manifest.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Stemmer {
    /// English: [`stem`].
    English,
    /// A language with rules of its own (Spanish, Portuguese, French, German).
    Rules(&'static Rules),
    /// Any other language: words are folded, not stemmed.
    Fold,
}

impl Stemmer {
    /// The stemmer of `language` (a BCP 47 tag).
    pub(crate) fn of(language: &str) -> Stemmer {
        if crate::language::primary(language) == "en" {
            return Stemmer::English;
        }
        rules_for(language).map_or(Stemmer::Fold, Stemmer::Rules)
    }

    /// The stem of a folded word.
    pub(crate) fn stem(self, w: &str) -> String {
        match self {
            Stemmer::English => stem(w),
            Stemmer::Rules(rules) => rules.stem(w),
            Stemmer::Fold => w.to_string(),
        }
    }

    /// The stems of a text joined by spaces: how names and phrases are looked up.
    pub(crate) fn stems_of(self, text: &str) -> String {
        words(text)
            .iter()
            .map(|w| self.stem(w))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// How the manifest and the cause index tell the script: `"english"`, the rules, or
    /// `null` for folding alone.
    pub(crate) fn json(self) -> String {
        match self {
            Stemmer::English => "\"english\"".into(),
            Stemmer::Rules(rules) => rules.json(),
            Stemmer::Fold => "null".into(),
        }
    }
}

/// What search needs of a site's language: the words a query sets aside, and the stemmer.
pub(crate) struct Lexicon {
    pub(crate) stop: StopWords,
    pub(crate) stemmer: Stemmer,
}

impl Lexicon {
    pub(crate) fn of(language: &str) -> Lexicon {
        Lexicon {
            stop: StopWords::new(language),
            stemmer: Stemmer::of(language),
        }
    }
}

/// Conservative English suffix folding (s, es, ies → y, -ness, -ing, -ed, a final e), exactly as
/// `stem` in `search-core.js`.
pub(crate) fn stem(w: &str) -> String {
    let mut c: Vec<char> = w.chars().collect();
    if c.len() < 4 || c.iter().any(char::is_ascii_digit) {
        return w.to_string();
    }
    fn ends(c: &[char], s: &str) -> bool {
        c.len() >= s.len() && c[c.len() - s.len()..].iter().copied().eq(s.chars())
    }
    if c.len() > 4 && ends(&c, "ies") {
        c.truncate(c.len() - 3);
        c.push('y');
    } else if ["shes", "ches", "xes", "zes", "sses"]
        .iter()
        .any(|s| ends(&c, s))
    {
        c.truncate(c.len() - 2);
    } else if c[c.len() - 1] == 's' && !matches!(c[c.len() - 2], 's' | 'u' | 'i') {
        c.pop();
    }
    // numbness → numb, dizziness → dizzy: a symptom and its adjective are one word.
    if c.len() > 6 && ends(&c, "ness") {
        c.truncate(c.len() - 4);
        if let Some(last) = c.last_mut().filter(|l| **l == 'i') {
            *last = 'y';
        }
    }
    let suffix = if ends(&c, "ing") {
        3
    } else if ends(&c, "ed") {
        2
    } else {
        0
    };
    if suffix > 0 {
        let base = &c[..c.len() - suffix];
        if base.len() > 2 && base.iter().any(|x| "aeiouy".contains(*x)) && !ends(&c, "eed") {
            let mut b = base.to_vec();
            let n = b.len();
            if b[n - 1] == b[n - 2] && !"aeiouylsz".contains(b[n - 1]) {
                b.pop();
            }
            c = b;
        }
    }
    if c.len() > 3 && c[c.len() - 1] == 'e' {
        c.pop();
    }
    c.into_iter().collect()
}

pub(crate) fn first_chars(w: &str, n: usize) -> &str {
    match w.char_indices().nth(n) {
        Some((i, _)) => &w[..i],
        None => w,
    }
}

/// The shard a folded word belongs to: its first two letters, or three when those two were
/// split.
pub(crate) fn shard_key<'a>(w: &'a str, split: &FxHashSet<String>) -> &'a str {
    let two = first_chars(w, 2);
    if two.len() < w.len() && split.contains(two) {
        first_chars(w, 3)
    } else {
        two
    }
}

/// The file name of a shard key: letters a–z and digits as they are, any other character as
/// `_<hex code point>_`, so names stay plain ASCII.
pub(crate) fn key_file(key: &str) -> String {
    let mut out = String::new();
    for c in key.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else {
            let _ = write!(out, "_{:x}_", c as u32);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn words_stems_and_keys_match_the_search_script() {
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search-words.json"),
        )
        .unwrap();
        let table: serde_json::Value = serde_json::from_str(&text).unwrap();
        for case in table["words"].as_array().unwrap() {
            let want: Vec<&str> = case[1]
                .as_array()
                .unwrap()
                .iter()
                .map(|w| w.as_str().unwrap())
                .collect();
            assert_eq!(
                words(case[0].as_str().unwrap()),
                want,
                "words of {}",
                case[0]
            );
        }
        for case in table["stems"].as_array().unwrap() {
            assert_eq!(
                stem(case[0].as_str().unwrap()),
                case[1].as_str().unwrap(),
                "stem of {}",
                case[0]
            );
        }
        let split: FxHashSet<String> = table["keys"]["split"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap().to_string())
            .collect();
        for case in table["keys"]["words"].as_array().unwrap() {
            let key = shard_key(case[0].as_str().unwrap(), &split);
            assert_eq!(key, case[1].as_str().unwrap(), "key of {}", case[0]);
            assert_eq!(key_file(key), case[2].as_str().unwrap(), "file of {key}");
        }
    }

    #[test]
    fn every_language_stems_as_the_shared_table_says() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let text = std::fs::read_to_string(root.join("search-words.json")).unwrap();
        let table: serde_json::Value = serde_json::from_str(&text).unwrap();
        let languages = table["stemmers"].as_object().unwrap();
        assert!(languages.len() >= 6);
        for (lang, cases) in languages {
            let stemmer = Stemmer::of(lang);
            for case in cases.as_array().unwrap() {
                let written = case[0].as_str().unwrap();
                let folded = &words(written)[0];
                assert_eq!(
                    stemmer.stem(folded),
                    case[1].as_str().unwrap(),
                    "{lang}: stem of {written}"
                );
            }
        }
        // The rules the script is tested with are those the manifest gives it.
        let mut rules = String::from("{\n");
        for (i, lang) in ["de", "en", "es", "fr", "it", "pt"].iter().enumerate() {
            let sep = if i > 0 { ",\n" } else { "" };
            rules.push_str(&format!("{sep}\"{lang}\": {}", Stemmer::of(lang).json()));
        }
        rules.push_str("\n}\n");
        let path = root.join("stemmer-rules.json");
        if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
            std::fs::write(&path, &rules).unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(&path).unwrap_or_default(),
            rules,
            "{} is out of date: run with UPDATE_SNAPSHOTS=1",
            path.display()
        );
    }
}

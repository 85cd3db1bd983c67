//! The typo vocabulary: every word the shards hold that has letters only, in one file per
//! word length and last letter (`search/v/<length><letter>.json`, a sorted array). The
//! shards are keyed by first letters, so a typo there cannot be looked for in them; one
//! edit changes a word's length by at most one and, unless it is at the end (which the
//! word's own shard covers), leaves its last letter: a finished word found nowhere loads the
//! three files of its neighbouring lengths and its last letter, a few kilobytes, and is
//! looked for among every word of the site that could be meant.

use std::collections::BTreeMap;

use super::encode::json_str;
use super::postings::Index;
use super::words::key_file;

/// Words shorter than this take no typos, and are not meant by a typo of a longer one.
pub(crate) const MIN_LEN: usize = 3;
/// Words this long or longer share the last file.
pub(crate) const MAX_LEN: usize = 24;

/// The key of the file a word goes in: its length in characters (at most [`MAX_LEN`]) and
/// its last character, as `12y`; None for a word with a digit or shorter than [`MIN_LEN`].
fn key_of(word: &str) -> Option<String> {
    if word.chars().any(|c| c.is_numeric()) {
        return None;
    }
    let n = word.chars().count();
    let last = word.chars().last()?;
    (n >= MIN_LEN).then(|| format!("{}{last}", n.min(MAX_LEN)))
}

/// Each file, as (key, number of words, bytes), sorted by key.
pub(crate) fn files(index: &Index) -> Vec<(String, usize, Vec<u8>)> {
    let mut by_key: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (w, p) in index.vocabulary.iter().zip(&index.postings) {
        if let (Some(k), false) = (key_of(w), p.is_empty()) {
            by_key.entry(k).or_default().push(w);
        }
    }
    by_key
        .into_iter()
        .map(|(n, mut ws)| {
            ws.sort_unstable();
            let mut out = String::from("[");
            for (i, w) in ws.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_str(&mut out, w);
            }
            out.push_str("]\n");
            (n, ws.len(), out.into_bytes())
        })
        .collect()
}

/// The path of a file below the site root.
pub(crate) fn path(key: &str) -> String {
    format!("search/v/{}.json", key_file(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_go_by_length_in_characters_and_last_letter_without_digits_or_short_words() {
        assert_eq!(key_of("cramp").as_deref(), Some("5p"));
        assert_eq!(key_of("ménière").as_deref(), Some("7e"));
        assert_eq!(key_of("b12"), None);
        assert_eq!(key_of("tb"), None);
        assert_eq!(key_of(&"a".repeat(40)).as_deref(), Some("24a"));
        assert_eq!(path("6ñ"), "search/v/6_f1_.json");
    }
}

//! The typo vocabulary: every word the shards hold that has letters only, in one file per
//! word length (`search/v/<length>.json`, a sorted array). A typo changes a word's length by
//! at most its number of edits, so a query loads the few lengths its words could have been
//! meant as, and looks for a typo in any letter, the first included, among every word of
//! the site. The shards are keyed by first letters and could not give that.

use super::encode::json_str;
use super::postings::Index;

/// Words shorter than this take no typos, and are not meant by a typo of a longer one.
pub(crate) const MIN_LEN: usize = 3;
/// Words this long or longer share the last file.
pub(crate) const MAX_LEN: usize = 24;

/// The file a word goes in, by its length in characters; None for a word with a digit or
/// shorter than [`MIN_LEN`].
fn length_of(word: &str) -> Option<usize> {
    if word.chars().any(|c| c.is_numeric()) {
        return None;
    }
    let n = word.chars().count();
    (n >= MIN_LEN).then_some(n.min(MAX_LEN))
}

/// Each length's file, as (length, number of words, bytes), for every length that has a word.
pub(crate) fn files(index: &Index) -> Vec<(usize, usize, Vec<u8>)> {
    let mut by_length: Vec<Vec<&str>> = vec![Vec::new(); MAX_LEN + 1];
    for (w, p) in index.vocabulary.iter().zip(&index.postings) {
        if let (Some(n), false) = (length_of(w), p.is_empty()) {
            by_length[n].push(w);
        }
    }
    by_length
        .into_iter()
        .enumerate()
        .filter(|(_, ws)| !ws.is_empty())
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

/// The path of a length's file below the site root.
pub(crate) fn path(length: usize) -> String {
    format!("search/v/{length}.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_go_by_length_in_characters_without_digits_or_short_words() {
        assert_eq!(length_of("cramp"), Some(5));
        assert_eq!(length_of("ménière"), Some(7));
        assert_eq!(length_of("b12"), None);
        assert_eq!(length_of("tb"), None);
        assert_eq!(length_of(&"a".repeat(40)), Some(MAX_LEN));
    }
}

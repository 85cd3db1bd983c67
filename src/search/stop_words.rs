//! Words a reader's question is made of that say nothing about its subject ("why do my feet
//! cramp at night": *why, do, my, at*). The search sets them aside unless a query holds
//! nothing else. The list goes into the manifest, so the script holds no language's words.
//!
//! Negations (*no, not, without*) and words that can name a subject (*who*, as in WHO, is
//! kept out for that reason) are not in it. A language with no list yet sets nothing aside.

/// The stop words of a language, for quick lookups while indexing.
pub(crate) struct StopWords(rustc_hash::FxHashSet<&'static str>);

impl StopWords {
    pub(crate) fn new(language: &str) -> StopWords {
        StopWords(for_language(language).iter().copied().collect())
    }

    pub(crate) fn contains(&self, word: &str) -> bool {
        self.0.contains(word)
    }
}

/// The stop words of `language` (a BCP 47 tag: `en`, `en-GB`), folded as the search folds.
pub(crate) fn for_language(language: &str) -> &'static [&'static str] {
    let primary = language.split(['-', '_']).next().unwrap_or("");
    match primary.to_ascii_lowercase().as_str() {
        "en" => ENGLISH,
        _ => &[],
    }
}

const ENGLISH: &[&str] = &[
    "a",
    "about",
    "after",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "but",
    "by",
    "can",
    "cause",
    "caused",
    "causes",
    "causing",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "during",
    "for",
    "from",
    "get",
    "gets",
    "getting",
    "got",
    "had",
    "has",
    "have",
    "having",
    "how",
    "i",
    "if",
    "im",
    "in",
    "into",
    "is",
    "it",
    "its",
    "ive",
    "just",
    "keep",
    "keeps",
    "me",
    "mean",
    "means",
    "might",
    "my",
    "myself",
    "of",
    "often",
    "on",
    "or",
    "our",
    "should",
    "so",
    "some",
    "someone",
    "something",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "to",
    "too",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "whats",
    "when",
    "where",
    "which",
    "while",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_folded_sorted_and_keeps_words_that_name_subjects() {
        assert!(
            ENGLISH.windows(2).all(|w| w[0] < w[1]),
            "sorted, no repeats"
        );
        for w in ENGLISH {
            assert_eq!(
                super::super::words::words(w),
                vec![w.to_string()],
                "{w} is one folded word"
            );
        }
        for kept in ["no", "not", "without", "who", "night", "pain"] {
            assert!(!ENGLISH.contains(&kept), "{kept}");
        }
        assert_eq!(for_language("en-GB"), ENGLISH);
        assert!(for_language("es").is_empty());
    }
}

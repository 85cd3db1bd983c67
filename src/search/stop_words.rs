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
    match crate::language::primary(language).as_str() {
        "en" => ENGLISH,
        "es" => SPANISH,
        "fr" => FRENCH,
        "de" => GERMAN,
        "pt" => PORTUGUESE,
        "ar" => ARABIC,
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

// The others: question words, articles, pronouns, prepositions and the verbs of a question
// ("¿qué causa...?"), without negations (no, sin, ne, pas, nicht, kein, não, sem, لا, ليس).

const SPANISH: &[&str] = &[
    "a", "al", "algo", "alguien", "algun", "alguna", "algunas", "alguno", "algunos", "ante",
    "antes", "aun", "cada", "causa", "causan", "causas", "como", "con", "cual", "cuales", "cuando",
    "cuanto", "de", "del", "desde", "donde", "durante", "el", "ella", "ellas", "ellos", "en",
    "entre", "era", "es", "esa", "esas", "ese", "eso", "esos", "esta", "estaba", "estan", "estar",
    "estas", "este", "esto", "estos", "estoy", "fue", "ha", "hace", "hacen", "han", "hay", "he",
    "la", "las", "le", "les", "lo", "los", "me", "mi", "mis", "mucho", "muy", "nos", "nosotros",
    "o", "para", "pero", "por", "porque", "provoca", "provocan", "puede", "pueden", "que", "quien",
    "se", "ser", "si", "sobre", "su", "sus", "tambien", "te", "tengo", "tiene", "tienen", "tu",
    "tus", "un", "una", "unas", "uno", "unos", "y", "ya", "yo",
];

const FRENCH: &[&str] = &[
    "a", "afin", "ai", "au", "aux", "avec", "avoir", "cause", "causes", "ce", "cela", "ces",
    "cest", "comment", "dans", "de", "des", "du", "elle", "elles", "en", "est", "et", "etre", "il",
    "ils", "jai", "je", "la", "le", "les", "leur", "leurs", "lui", "ma", "mais", "me", "mes",
    "moi", "mon", "nous", "on", "ou", "par", "pour", "pourquoi", "provoque", "quand", "que",
    "quel", "quelle", "quelles", "quels", "quest", "qui", "quoi", "sa", "se", "ses", "si", "son",
    "sont", "sur", "ta", "te", "tes", "toi", "ton", "tres", "tu", "un", "une", "vos", "votre",
    "vous", "y",
];

const GERMAN: &[&str] = &[
    "aber",
    "als",
    "am",
    "an",
    "auch",
    "auf",
    "aus",
    "bei",
    "bin",
    "bis",
    "das",
    "dass",
    "dem",
    "den",
    "der",
    "des",
    "die",
    "du",
    "durch",
    "ein",
    "eine",
    "einem",
    "einen",
    "einer",
    "eines",
    "er",
    "es",
    "fur",
    "habe",
    "haben",
    "hat",
    "ich",
    "ihr",
    "im",
    "in",
    "ist",
    "ja",
    "mein",
    "meine",
    "meinem",
    "meinen",
    "meiner",
    "mich",
    "mir",
    "mit",
    "nach",
    "oder",
    "sich",
    "sie",
    "sind",
    "so",
    "uber",
    "um",
    "und",
    "uns",
    "ursache",
    "ursachen",
    "verursacht",
    "von",
    "vor",
    "wann",
    "warum",
    "was",
    "weil",
    "welche",
    "welcher",
    "wenn",
    "wie",
    "wieso",
    "wir",
    "wird",
    "wo",
    "zu",
    "zum",
    "zur",
];

const PORTUGUESE: &[&str] = &[
    "a", "ao", "aos", "as", "causa", "causam", "causas", "com", "como", "da", "das", "de", "do",
    "dos", "e", "ela", "elas", "ele", "eles", "em", "entre", "essa", "esse", "esta", "estao",
    "estar", "este", "eu", "ha", "isso", "isto", "meu", "meus", "minha", "minhas", "muito", "na",
    "nas", "no", "nos", "o", "onde", "os", "ou", "para", "pela", "pelo", "pode", "podem", "por",
    "porque", "provoca", "quais", "qual", "quando", "que", "quem", "se", "seu", "sua", "tem",
    "tenho", "um", "uma", "umas", "uns", "voce",
];

const ARABIC: &[&str] = &[
    "اسباب",
    "التي",
    "الذي",
    "الى",
    "انا",
    "او",
    "اين",
    "بعد",
    "تسبب",
    "ثم",
    "ذلك",
    "سبب",
    "على",
    "عن",
    "عند",
    "في",
    "قبل",
    "قد",
    "كان",
    "كيف",
    "لماذا",
    "ما",
    "ماذا",
    "متى",
    "مع",
    "من",
    "نحن",
    "هذا",
    "هذه",
    "هل",
    "هم",
    "هو",
    "هي",
    "يسبب",
    "يكون",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_folded_sorted_and_keeps_words_that_name_subjects() {
        for list in [ENGLISH, SPANISH, FRENCH, GERMAN, PORTUGUESE, ARABIC] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "sorted, no repeats");
            for w in list {
                assert_eq!(
                    super::super::words::words(w),
                    vec![w.to_string()],
                    "{w} is one folded word"
                );
            }
        }
        for (lang, negations) in [
            ("es", &["no", "sin", "ni", "nunca"][..]),
            ("fr", &["ne", "pas", "sans", "non", "ni", "jamais"]),
            ("de", &["nicht", "kein", "keine", "ohne", "nie"]),
            ("pt", &["nao", "sem", "nem", "nunca"]),
            ("ar", &["لا", "ليس", "بدون", "غير"]),
        ] {
            for w in negations {
                assert!(!for_language(lang).contains(w), "{lang}: {w}");
            }
        }
        for kept in ["no", "not", "without", "who", "night", "pain"] {
            assert!(!ENGLISH.contains(&kept), "{kept}");
        }
        assert_eq!(for_language("en-GB"), ENGLISH);
        assert_eq!(for_language("es-MX"), SPANISH);
        assert!(for_language("it").is_empty());
    }
}

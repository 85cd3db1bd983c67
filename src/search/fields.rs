//! What each document holds for search: the words of an article's fields, of a cause's
//! names and of a mention's summary, each word with the field it scores best in, and the
//! synonyms of several words (phrases) that a field holds whole.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::content::frontmatter::FrontMatter;
use crate::markdown::Section;
use crate::site::Cause;

use super::stop_words::StopWords;
use super::words::{
    Lexicon, Stemmer, distinct_words as distinct, distinct_words_unsorted, first_chars, words,
};

/// Field numbers, as in `search-core.js`: an article's title, condition, other names, tags,
/// symptoms, red flags, description and the names of its causes; a cause's name and other
/// names; a mention's summary; a mention's article seen as its context (title or
/// condition, other names, symptoms); and an article's headings and body text, which weigh
/// least: the body adds recall, never rank above a name.
const WEIGHT: [u8; 16] = [10, 10, 9, 6, 6, 4, 3, 10, 9, 3, 4, 10, 9, 6, 2, 1];
const CAUSES_FIELD: u8 = 10;

/// The distinct words of body text, without stop words: a query sets those aside, and every
/// body holds them.
fn body_words<'a>(texts: impl IntoIterator<Item = &'a str>, stop: &StopWords) -> Vec<String> {
    distinct_words_unsorted(texts, |w| !stop.contains(w))
}

/// The body's words that no other field holds (those weigh more where they are), each with
/// its field: 14 for a heading, else 15.
fn body_only(best: &[(String, u8)], headings: Vec<String>, text: Vec<String>) -> Vec<(String, u8)> {
    let best: FxHashSet<&str> = best.iter().map(|(w, _)| w.as_str()).collect();
    let text_kept: Vec<bool> = {
        let in_headings: FxHashSet<&str> = headings.iter().map(String::as_str).collect();
        (text.iter())
            .map(|w| !in_headings.contains(w.as_str()) && !best.contains(w.as_str()))
            .collect()
    };
    let mut out: Vec<(String, u8)> = Vec::with_capacity(headings.len() + text.len());
    out.extend(
        (headings.into_iter())
            .filter(|w| !best.contains(w.as_str()))
            .map(|w| (w, 14)),
    );
    out.extend(
        (text.into_iter().zip(text_kept))
            .filter(|(_, kept)| *kept)
            .map(|(w, _)| (w, 15)),
    );
    out
}

/// For each word: the field it scores best in (highest weight, then lowest number).
fn best_fields<'a>(fields: impl IntoIterator<Item = &'a (u8, Vec<String>)>) -> Vec<(String, u8)> {
    let mut best: FxHashMap<&str, u8> = FxHashMap::default();
    for (f, ws) in fields {
        for w in ws {
            let e = best.entry(w).or_insert(*f);
            let (a, b) = (WEIGHT[*f as usize], WEIGHT[*e as usize]);
            if a > b || (a == b && *f < *e) {
                *e = *f;
            }
        }
    }
    let mut out: Vec<(String, u8)> = best.into_iter().map(|(w, f)| (w.to_string(), f)).collect();
    out.sort_unstable();
    out
}

/// A context field of an article as seen from its mentions: 11 for the title or condition,
/// 12 for other names, 13 for symptoms.
fn context_field(f: u8) -> Option<u8> {
    match f {
        0 | 1 => Some(11),
        2 => Some(12),
        4 => Some(13),
        _ => None,
    }
}

/// What one article contributes to the postings.
#[derive(Debug, PartialEq)]
pub(crate) struct ArticleWords {
    /// Word → best field (0–6, 10).
    pub(crate) best: Vec<(String, u8)>,
    /// The body's other words → field (14 heading, 15 text).
    pub(crate) body: Vec<(String, u8)>,
    /// Word → best context field (11–13), given to each mention of the article.
    pub(crate) context: Vec<(String, u8)>,
    /// The distinct words of each cause entry's summary.
    pub(crate) summaries: Vec<Vec<String>>,
    /// Name lookups: the condition and each other name, as stems.
    pub(crate) names: Vec<String>,
    /// For each phrase synonym: (best field, best context field) where all its words meet.
    pub(crate) phrases: Vec<(Option<u8>, Option<u8>)>,
}

/// [`ArticleWords`] as the search cache keeps them for every article between edits: the words
/// laid end to end in one string, a few bytes each rather than a string each (the words of
/// 10,000 articles took about 200 MB as strings).
pub(crate) struct KeptWords {
    text: Box<str>,
    /// Where each word ends in `text`: those of `best`, `body`, `context`, then of each
    /// summary.
    ends: Box<[u32]>,
    /// The field of each word of `best`, `body` and `context`.
    fields: Box<[u8]>,
    /// How many words `best`, `body`, `context` and each summary have.
    counts: Box<[u32]>,
    names: Vec<String>,
    phrases: Vec<(Option<u8>, Option<u8>)>,
}

impl KeptWords {
    pub(crate) fn pack(aw: &ArticleWords) -> KeptWords {
        let fielded = [&aw.best, &aw.body, &aw.context];
        let plain = aw.summaries.iter();
        let words =
            (fielded.iter().flat_map(|l| l.iter().map(|(w, _)| w))).chain(plain.clone().flatten());
        let mut text = String::new();
        let mut ends = Vec::new();
        for w in words {
            text.push_str(w);
            ends.push(text.len() as u32);
        }
        let fields = (fielded.iter().flat_map(|l| l.iter().map(|&(_, f)| f))).collect();
        let counts = (fielded.iter().map(|l| l.len() as u32))
            .chain(plain.map(|s| s.len() as u32))
            .collect();
        KeptWords {
            text: text.into(),
            ends: ends.into(),
            fields,
            counts,
            names: aw.names.clone(),
            phrases: aw.phrases.clone(),
        }
    }

    pub(crate) fn unpack(&self) -> ArticleWords {
        let mut start = 0;
        let mut words = self.ends.iter().map(|&end| {
            let w = self.text[start..end as usize].to_string();
            start = end as usize;
            w
        });
        let mut fields = self.fields.iter().copied();
        let mut fielded = |n: u32| -> Vec<(String, u8)> {
            (0..n)
                .filter_map(|_| Some((words.next()?, fields.next()?)))
                .collect()
        };
        let best = fielded(self.counts[0]);
        let body = fielded(self.counts[1]);
        let context = fielded(self.counts[2]);
        let summaries = (self.counts[3..].iter())
            .map(|&n| (0..n).filter_map(|_| words.next()).collect())
            .collect();
        ArticleWords {
            best,
            body,
            context,
            summaries,
            names: self.names.clone(),
            phrases: self.phrases.clone(),
        }
    }
}

pub(crate) fn article_words(
    fm: &FrontMatter,
    sections: &[Section],
    lexicon: &Lexicon,
    causes: &[&CauseWords],
    phrases: &[Vec<String>],
) -> ArticleWords {
    let flags = fm.see_a_doctor.iter().map(|f| f.text.as_str());
    let mut fields: Vec<(u8, Vec<String>)> = vec![
        (0, distinct([fm.title.as_str()])),
        (1, distinct(fm.condition.as_deref())),
        (2, distinct(fm.also_known_as.iter().map(String::as_str))),
        (3, distinct(fm.tags.iter().map(String::as_str))),
        (4, distinct(fm.symptoms.iter().map(String::as_str))),
        (5, distinct(flags)),
        (6, distinct([fm.description.as_str()])),
    ];
    let stop = &lexicon.stop;
    let headings = body_words(sections.iter().map(|s| s.heading.as_str()), stop);
    // The summaries of its causes are the article's own words too ("the familiar smoker's
    // cough"), shown on its page: they count as its text.
    let summaries = fm.causes.iter().filter_map(|e| e.summary.as_deref());
    let text = body_words(
        sections.iter().map(|s| s.text.as_str()).chain(summaries),
        stop,
    );
    let mut of_causes: Vec<String> = causes.iter().flat_map(|c| c.all.iter().cloned()).collect();
    of_causes.sort_unstable();
    of_causes.dedup();
    fields.push((CAUSES_FIELD, of_causes));
    let best = best_fields(&fields);
    let mut context: Vec<(String, u8)> =
        best_fields(fields.iter().filter(|(f, _)| context_field(*f).is_some()));
    for (_, f) in &mut context {
        *f = context_field(*f).expect("context fields only");
    }
    // Phrases may meet in the body too.
    let all_fields = || {
        (fields.iter().map(|(f, ws)| (*f, ws.as_slice())))
            .chain([(14, headings.as_slice()), (15, text.as_slice())])
    };
    let phrases = phrases
        .iter()
        .map(|p| {
            let meets: Vec<u8> = all_fields()
                .filter(|(_, ws)| holds(ws, p, lexicon.stemmer))
                .map(|(f, _)| f)
                .collect();
            let top = |fs: &mut dyn Iterator<Item = u8>| {
                fs.max_by_key(|f| (WEIGHT[*f as usize], std::cmp::Reverse(*f)))
            };
            (
                top(&mut meets.iter().copied()),
                top(&mut meets.iter().filter_map(|f| context_field(*f))),
            )
        })
        .collect();
    let body = body_only(&best, headings, text);
    let names = fm
        .condition
        .iter()
        .chain(&fm.also_known_as)
        .map(|t| lexicon.stemmer.stems_of(t))
        .filter(|k| !k.is_empty())
        .collect();
    ArticleWords {
        best,
        body,
        context,
        summaries: fm
            .causes
            .iter()
            .map(|e| distinct(e.summary.as_deref()))
            .collect(),
        names,
        phrases,
    }
}

/// Whether a field's words hold every stem of a phrase. (A stem keeps the first two letters
/// of its word, which spares most stemming.)
pub(crate) fn holds(words: &[String], phrase: &[String], stemmer: Stemmer) -> bool {
    phrase.iter().all(|s| {
        let two = first_chars(s, 2);
        words
            .iter()
            .any(|w| w.starts_with(two) && stemmer.stem(w) == *s)
    })
}

/// What one cause contributes: the words of its name and of its other names.
#[derive(PartialEq)]
pub(crate) struct CauseWords {
    pub(crate) name: Vec<String>,
    pub(crate) aka: Vec<String>,
    /// Both, for the articles that name the cause (field 10).
    pub(crate) all: Vec<String>,
}

pub(crate) fn cause_words(c: &Cause) -> CauseWords {
    let name = distinct([c.name.as_str()]);
    let aka = distinct(c.also_known_as.iter().map(String::as_str));
    let mut all: Vec<String> = name.iter().chain(&aka).cloned().collect();
    all.sort_unstable();
    all.dedup();
    CauseWords { name, aka, all }
}

/// The synonyms of several words, as stems, sorted and without repeats: each is looked up as
/// a phrase.
pub(crate) fn phrases(synonyms: &[Vec<String>], stemmer: Stemmer) -> Vec<Vec<String>> {
    let mut phrases: Vec<Vec<String>> = synonyms
        .iter()
        .flatten()
        .map(|t| words(t).iter().map(|w| stemmer.stem(w)).collect::<Vec<_>>())
        .filter(|p| p.len() > 1)
        .collect();
    phrases.sort();
    phrases.dedup();
    phrases
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_words_unpack_to_what_was_packed() {
        let words = |ws: &[&str]| ws.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        let fielded = |ws: &[(&str, u8)]| {
            ws.iter()
                .map(|&(w, f)| (w.to_string(), f))
                .collect::<Vec<_>>()
        };
        let aw = ArticleWords {
            best: fielded(&[("cramp", 0), ("foot", 3)]),
            body: fielded(&[("calambre", 15), ("noche", 14), ("ساق", 15)]),
            context: Vec::new(),
            summaries: vec![words(&["low", "fluid"]), Vec::new(), words(&["salt"])],
            names: words(&["foot cramp"]),
            phrases: vec![(Some(1), None)],
        };
        assert_eq!(KeptWords::pack(&aw).unpack(), aw);
    }
}

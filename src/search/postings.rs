//! Postings: for each word of the site, which fields of which documents hold it, and for each
//! phrase synonym, where all its words meet. Read from the words of each article and cause
//! (`fields.rs`), numbered in the order of documents (`order.rs`).

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::site::Site;

use super::encode::{Postings, code};
use super::fields::{ArticleWords, CauseWords, KeptWords, article_words, holds};
use super::order::Order;
use super::words::{Lexicon, Stemmer};

/// The phrase codes an article gives: its own best field, its mentions' summaries, and its
/// best context field seen from each of its mentions (`mentions`: their numbers by entry).
pub(crate) fn phrase_codes(
    aw: &ArticleWords,
    no: u32,
    mentions: &[u32],
    phrases: &[Vec<String>],
    stemmer: Stemmer,
) -> Vec<(usize, u32)> {
    let mut out = Vec::new();
    for (k, phrase) in phrases.iter().enumerate() {
        if let Some(f) = aw.phrases[k].0 {
            out.push((k, code(no, f)));
        }
        for (e, &j) in mentions.iter().enumerate() {
            if holds(&aw.summaries[e], phrase, stemmer) {
                out.push((k, code(j, 9)));
            }
            if let Some(f) = aw.phrases[k].1 {
                out.push((k, code(j, f)));
            }
        }
    }
    out
}

/// The words of the whole site and where they are.
/// The words of the whole site and where they are.
pub(crate) struct Index {
    pub(crate) ids: FxHashMap<String, u32>,
    pub(crate) vocabulary: Vec<String>,
    pub(crate) postings: Vec<Postings>,
    pub(crate) phrase_postings: Vec<Postings>,
    /// (name as stems, document).
    pub(crate) names: Vec<(String, u32)>,
}

impl Index {
    pub(crate) fn intern(&mut self, w: &str) -> u32 {
        if let Some(&id) = self.ids.get(w) {
            return id;
        }
        let id = self.vocabulary.len() as u32;
        self.ids.insert(w.to_string(), id);
        self.vocabulary.push(w.to_string());
        self.postings.push(Vec::new());
        id
    }

    /// The postings of article `no`, whose mentions are numbered `mentions` (by entry).
    fn add_article(
        &mut self,
        aw: &ArticleWords,
        no: u32,
        mentions: &[u32],
        phrases: &[Vec<String>],
        stemmer: Stemmer,
    ) {
        for (w, f) in aw.best.iter().chain(&aw.body) {
            let id = self.intern(w);
            self.postings[id as usize].push(code(no, *f));
        }
        // Its summaries, and its context words for each of its mentions.
        let context: Vec<(u32, u8)> = aw
            .context
            .iter()
            .map(|(w, f)| (self.intern(w), *f))
            .collect();
        for (e, &j) in mentions.iter().enumerate() {
            for w in &aw.summaries[e] {
                let id = self.intern(w);
                self.postings[id as usize].push(code(j, 9));
            }
            for &(id, f) in &context {
                self.postings[id as usize].push(code(j, f));
            }
        }
        for (k, c) in phrase_codes(aw, no, mentions, phrases, stemmer) {
            self.phrase_postings[k].push(c);
        }
        self.names.extend(aw.names.iter().map(|n| (n.clone(), no)));
    }

    /// The postings of the causes, numbered after the articles in the names.
    fn add_causes(
        &mut self,
        site: &Site,
        order: &Order,
        cause_words: &[CauseWords],
        phrases: &[Vec<String>],
        stemmer: Stemmer,
    ) {
        let a_count = order.articles.len() as u32;
        for (no, &c) in order.causes.iter().enumerate() {
            let no = no as u32;
            let cw = &cause_words[c];
            for w in &cw.all {
                let f = if cw.name.contains(w) { 7 } else { 8 };
                let id = self.intern(w);
                self.postings[id as usize].push(code(no, f));
            }
            for (k, phrase) in phrases.iter().enumerate() {
                if holds(&cw.name, phrase, stemmer) {
                    self.phrase_postings[k].push(code(no, 7));
                } else if holds(&cw.aka, phrase, stemmer) {
                    self.phrase_postings[k].push(code(no, 8));
                }
            }
            let c = &site.causes[c];
            for t in std::iter::once(&c.name).chain(&c.also_known_as) {
                let k = stemmer.stems_of(t);
                if !k.is_empty() {
                    self.names.push((k, a_count + no));
                }
            }
        }
    }
}

/// The postings of the whole site, and each article's words when `keep` (for `serve`).
/// Articles are read in batches, so that a build holds only one batch's words at a time.
/// `mention_no` and `cause_words` are by site index; `phrases` are the phrase synonyms.
/// `reused` holds, by site index, the words of articles known from an earlier index (the
/// rest are read from the articles; it may be empty).
pub(crate) fn index(
    site: &Site,
    order: &Order,
    mention_no: &[Vec<u32>],
    cause_words: &[CauseWords],
    phrases: &[Vec<String>],
    keep: bool,
    mut reused: Vec<Option<KeptWords>>,
) -> (Index, Vec<KeptWords>) {
    let mut ix = Index {
        ids: FxHashMap::default(),
        vocabulary: Vec::new(),
        postings: Vec::new(),
        phrase_postings: vec![Vec::new(); phrases.len()],
        names: Vec::new(),
    };
    let mut kept = Vec::new();
    let lexicon = &Lexicon::of(&site.config.language);
    const BATCH: usize = 1024;
    reused.resize_with(site.articles.len(), || None);
    type Words = (ArticleWords, Option<KeptWords>);
    let words_of = |batch: &[crate::site::Article], known: Vec<Option<KeptWords>>| {
        (batch.par_iter().zip(known))
            .map(|(a, known)| match known {
                Some(kept) => (kept.unpack(), Some(kept)),
                None => {
                    let causes: Vec<&CauseWords> =
                        a.cause_ids.iter().map(|&c| &cause_words[c]).collect();
                    let aw = article_words(&a.fm, &a.body.sections, lexicon, &causes, phrases);
                    (aw, None)
                }
            })
            .collect::<Vec<Words>>()
    };
    // Adding a batch's words to the postings is sequential: the next batch's words are found
    // meanwhile, on the other threads.
    let mut add = |ix: &mut Index, first: usize, words: Vec<Words>| {
        for (k, (aw, known)) in words.into_iter().enumerate() {
            let i = first + k;
            ix.add_article(
                &aw,
                order.article_no[i],
                &mention_no[i],
                phrases,
                lexicon.stemmer,
            );
            if keep {
                kept.push(known.unwrap_or_else(|| KeptWords::pack(&aw)));
            }
        }
    };
    let mut pending: Option<(usize, Vec<Words>)> = None;
    let mut reused = reused.into_iter();
    for (b, batch) in site.articles.chunks(BATCH).enumerate() {
        let known: Vec<Option<KeptWords>> = reused.by_ref().take(batch.len()).collect();
        let (words, ()) = rayon::join(
            || words_of(batch, known),
            || {
                if let Some((first, words)) = pending.take() {
                    add(&mut ix, first, words);
                }
            },
        );
        pending = Some((b * BATCH, words));
    }
    if let Some((first, words)) = pending {
        add(&mut ix, first, words);
    }
    ix.add_causes(site, order, cause_words, phrases, lexicon.stemmer);
    (ix, kept)
}

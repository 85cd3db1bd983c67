//! The sharded search index, written to `search/` beside `cause-index.json`.
//!
//! On a large site `cause-index.json` is tens of megabytes: too much to fetch for one query.
//! The sharded form lets the search page fetch what a query needs and nothing more: a small
//! manifest, then the postings of the words that start like the query's words (which fields of
//! which articles, causes and mentions hold them), then the display records of the results it
//! shows. Words are found, folded and stemmed exactly as `search-core.js` does it, so a query
//! finds the same results, in the same order, as over `cause-index.json`. The format is
//! described in docs/content.md ("Search shards, version 1").

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::content::frontmatter::FrontMatter;
use crate::render::context::cause_path;
use crate::site::{Derived, Site};

/// Version of the sharded format (`search/manifest.json`).
pub const VERSION: u32 = 1;
/// Articles, causes and mentions per display chunk.
pub const ARTICLE_CHUNK: usize = 16;
pub const CAUSE_CHUNK: usize = 128;
pub const MENTION_CHUNK: usize = 32;
/// A two-letter shard whose postings would pass this many bytes is split by a third letter,
/// so that a word being typed never pulls in much more than its own postings.
pub const SPLIT_BYTES: usize = 96 * 1024;

/// Field numbers, as in `search-core.js`: an article's title, condition, other names, tags,
/// symptoms, red flags, description and the names of its causes; a cause's name and other
/// names; a mention's summary; and a mention's article seen as its context (title or
/// condition, other names, symptoms).
const WEIGHT: [u8; 14] = [10, 10, 9, 6, 6, 4, 3, 10, 9, 3, 4, 10, 9, 6];
const CAUSES_FIELD: u8 = 10;

// ------------------------------------------------------------------ words, as search-core.js

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
pub fn raw_words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut it = text.char_indices().peekable();
    while let Some((start, c)) = it.next() {
        if !starts_word(c) {
            continue;
        }
        let mut end = start + c.len_utf8();
        loop {
            while let Some(&(i, c)) = it.peek() {
                if !in_word(c) {
                    break;
                }
                end = i + c.len_utf8();
                it.next();
            }
            // An apostrophe inside a word ("Ménière’s") keeps it going.
            let mut ahead = it.clone();
            match (ahead.next(), ahead.next()) {
                (Some((_, '\'' | '’')), Some((_, c))) if in_word(c) => {
                    it.next();
                }
                _ => break,
            }
        }
        out.push(&text[start..end]);
    }
    out
}

/// Lower case, accents and other marks stripped, a few letters spelt out, apostrophes
/// dropped: "Ménière’s" → "menieres". The same as `fold` in `search-core.js`.
pub fn fold(s: &str) -> String {
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
pub fn words(text: &str) -> Vec<String> {
    raw_words(text).into_iter().map(fold).collect()
}

/// Conservative English suffix folding (s, es, ies → y, -ing, -ed, a final e), exactly as
/// `stem` in `search-core.js`.
pub fn stem(w: &str) -> String {
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

/// The stems of a text joined by spaces: how names and phrases are looked up.
fn stems_of(text: &str) -> String {
    words(text)
        .iter()
        .map(|w| stem(w))
        .collect::<Vec<_>>()
        .join(" ")
}

fn first_chars(w: &str, n: usize) -> &str {
    match w.char_indices().nth(n) {
        Some((i, _)) => &w[..i],
        None => w,
    }
}

/// The shard a folded word belongs to: its first two letters, or three when those two were
/// split.
pub fn shard_key<'a>(w: &'a str, split: &FxHashSet<String>) -> &'a str {
    let two = first_chars(w, 2);
    if two.len() < w.len() && split.contains(two) {
        first_chars(w, 3)
    } else {
        two
    }
}

/// The file name of a shard key: letters a–z and digits as they are, any other character as
/// `_<hex code point>_`, so names stay plain ASCII.
pub fn key_file(key: &str) -> String {
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

// ------------------------------------------------------------------ what each document holds

/// The distinct folded words of some texts.
fn distinct<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = texts.into_iter().flat_map(words).collect();
    out.sort_unstable();
    out.dedup();
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
#[derive(PartialEq)]
struct ArticleWords {
    /// Word → best field (0–6, 10).
    best: Vec<(String, u8)>,
    /// Word → best context field (11–13), given to each mention of the article.
    context: Vec<(String, u8)>,
    /// The distinct words of each cause entry's summary.
    summaries: Vec<Vec<String>>,
    /// Name lookups: the condition and each other name, as stems.
    names: Vec<String>,
    /// For each phrase synonym: (best field, best context field) where all its words meet.
    phrases: Vec<(Option<u8>, Option<u8>)>,
}

fn article_words(
    fm: &FrontMatter,
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
    let phrases = phrases
        .iter()
        .map(|p| {
            let meets: Vec<u8> = fields
                .iter()
                .filter(|(_, ws)| holds(ws, p))
                .map(|(f, _)| *f)
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
    let names = fm
        .condition
        .iter()
        .chain(&fm.also_known_as)
        .map(|t| stems_of(t))
        .filter(|k| !k.is_empty())
        .collect();
    ArticleWords {
        best,
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
fn holds(words: &[String], phrase: &[String]) -> bool {
    phrase.iter().all(|s| {
        let two = first_chars(s, 2);
        words.iter().any(|w| w.starts_with(two) && stem(w) == *s)
    })
}

/// What one cause contributes: the words of its name and of its other names.
struct CauseWords {
    name: Vec<String>,
    aka: Vec<String>,
    /// Both, for the articles that name the cause (field 10).
    all: Vec<String>,
}

fn cause_words(c: &crate::site::Cause) -> CauseWords {
    let name = distinct([c.name.as_str()]);
    let aka = distinct(c.also_known_as.iter().map(String::as_str));
    let mut all: Vec<String> = name.iter().chain(&aka).cloned().collect();
    all.sort_unstable();
    all.dedup();
    CauseWords { name, aka, all }
}

// ------------------------------------------------------------------ the order of documents

/// Documents are numbered in the order the search breaks ties in: articles by last update
/// (newest first) then URL, causes by their newest article then slug, mentions by cause and
/// then by their article's number. So the browser needs no ranking tables.
#[derive(PartialEq)]
struct Order {
    /// Article number → index in `site.articles`.
    articles: Vec<usize>,
    /// Index in `site.articles` → article number.
    article_no: Vec<u32>,
    /// Cause number → index in `site.causes`.
    causes: Vec<usize>,
    /// Mention number → (cause index, article index, entry index), all in `site` terms.
    mentions: Vec<(usize, usize, usize)>,
    /// Mentions per cause, by cause number.
    counts: Vec<u32>,
}

fn order(site: &Site) -> Order {
    // Dates compare as their ISO strings do in the browser; no date comes before any date.
    let updated: Vec<Option<crate::date::Date>> =
        site.articles.iter().map(|a| a.last_change()).collect();
    // The model keeps articles in URL order and causes in slug order (see `site::build`): a
    // stable sort by date then breaks ties as the browser does, without comparing strings.
    debug_assert!(site.articles.windows(2).all(|w| w[0].path < w[1].path));
    debug_assert!(site.causes.windows(2).all(|w| w[0].slug < w[1].slug));
    let mut articles: Vec<usize> = (0..site.articles.len()).collect();
    articles.sort_by_key(|&i| std::cmp::Reverse(updated[i]));
    let mut article_no = vec![0u32; articles.len()];
    for (no, &i) in articles.iter().enumerate() {
        article_no[i] = no as u32;
    }
    let newest: Vec<Option<crate::date::Date>> = site
        .causes
        .iter()
        .map(|c| c.mentions.iter().map(|&(a, _)| updated[a]).max().flatten())
        .collect();
    let mut causes: Vec<usize> = (0..site.causes.len()).collect();
    causes.sort_by_key(|&c| std::cmp::Reverse(newest[c]));
    let mut mentions = Vec::new();
    let mut counts = Vec::with_capacity(causes.len());
    for &c in &causes {
        let mut ms: Vec<(usize, usize)> = site.causes[c].mentions.clone();
        ms.sort_by_key(|&(a, _)| article_no[a]);
        counts.push(ms.len() as u32);
        mentions.extend(ms.into_iter().map(|(a, e)| (c, a, e)));
    }
    Order {
        articles,
        article_no,
        causes,
        mentions,
        counts,
    }
}

// ------------------------------------------------------------------ postings

/// Where one word is: `document << 4 | field` codes, in any order (sorted when written).
type Postings = Vec<u32>;

fn code(doc: u32, field: u8) -> u32 {
    debug_assert!(doc < 1 << 28, "document numbers fit in 28 bits");
    doc << 4 | field as u32
}

/// Writes sorted numbers as a JSON array: each value is how many numbers were skipped since
/// the previous one (the first counts from -1), and a negative value -n stands for n more
/// consecutive numbers.
fn write_numbers(out: &mut String, docs: &[u32]) {
    out.push('[');
    let mut prev: i64 = -1;
    let mut i = 0;
    let mut first = true;
    while i < docs.len() {
        if !first {
            out.push(',');
        }
        first = false;
        let d = docs[i] as i64;
        let mut run = 0;
        while i + run + 1 < docs.len() && docs[i + run + 1] as i64 == d + run as i64 + 1 {
            run += 1;
        }
        if run >= 2 && d == prev + 1 {
            out.push('-');
            push_int(out, run as i64 + 1);
            prev = d + run as i64;
            i += run + 1;
        } else {
            push_int(out, d - prev - 1);
            prev = d;
            i += 1;
        }
    }
    out.push(']');
}

fn push_int(out: &mut String, n: i64) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// `{ field: numbers }`.
fn write_postings(out: &mut String, p: &[u32]) {
    // Codes are `doc << 4 | field`: rotated to `field << 28 | doc`, they sort by field, then
    // by document, as plain numbers.
    let mut keys: Vec<u32> = p.iter().map(|c| c.rotate_right(4)).collect();
    keys.sort_unstable();
    keys.dedup();
    out.push('{');
    let mut docs = Vec::new();
    let mut start = 0;
    while start < keys.len() {
        let f = keys[start] >> 28;
        let end = start + keys[start..].iter().take_while(|&&k| k >> 28 == f).count();
        if start > 0 {
            out.push(',');
        }
        out.push('"');
        push_int(out, f as i64);
        out.push_str("\":");
        docs.clear();
        docs.extend(keys[start..end].iter().map(|k| k & 0x0fff_ffff));
        write_numbers(out, &docs);
        start = end;
    }
    out.push('}');
}

/// `s` as a JSON string, escaped exactly as serde_json writes it.
fn json_str(out: &mut String, s: &str) {
    // SAFETY: serde_json writes valid UTF-8 (the escaped string), so `out` stays UTF-8.
    let bytes = unsafe { out.as_mut_vec() };
    serde_json::to_writer(bytes, s).expect("strings serialise");
}

/// The phrase codes an article gives: its own best field, its mentions' summaries, and its
/// best context field seen from each of its mentions (`mentions`: their numbers by entry).
fn phrase_codes(
    aw: &ArticleWords,
    no: u32,
    mentions: &[u32],
    phrases: &[Vec<String>],
) -> Vec<(usize, u32)> {
    let mut out = Vec::new();
    for (k, phrase) in phrases.iter().enumerate() {
        if let Some(f) = aw.phrases[k].0 {
            out.push((k, code(no, f)));
        }
        for (e, &j) in mentions.iter().enumerate() {
            if holds(&aw.summaries[e], phrase) {
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
struct Index {
    ids: FxHashMap<String, u32>,
    vocabulary: Vec<String>,
    postings: Vec<Postings>,
    phrase_postings: Vec<Postings>,
    /// (name as stems, document).
    names: Vec<(String, u32)>,
}

impl Index {
    fn intern(&mut self, w: &str) -> u32 {
        if let Some(&id) = self.ids.get(w) {
            return id;
        }
        let id = self.vocabulary.len() as u32;
        self.ids.insert(w.to_string(), id);
        self.vocabulary.push(w.to_string());
        self.postings.push(Vec::new());
        id
    }
}

/// The postings of the whole site, and each article's words when `keep` (for `serve`).
/// Articles are read in batches, so that a build holds only one batch's words at a time.
fn index(site: &Site, st: &State, keep: bool) -> (Index, Vec<ArticleWords>) {
    let mut ix = Index {
        ids: FxHashMap::default(),
        vocabulary: Vec::new(),
        postings: Vec::new(),
        phrase_postings: vec![Vec::new(); st.phrases.len()],
        names: Vec::new(),
    };
    let mut kept = Vec::new();
    const BATCH: usize = 1024;
    for (b, batch) in site.articles.chunks(BATCH).enumerate() {
        let words: Vec<ArticleWords> = batch
            .par_iter()
            .map(|a| {
                let causes: Vec<&CauseWords> =
                    a.cause_ids.iter().map(|&c| &st.cause_words[c]).collect();
                article_words(&a.fm, &causes, &st.phrases)
            })
            .collect();
        for (k, aw) in words.iter().enumerate() {
            let i = b * BATCH + k;
            let no = st.order.article_no[i];
            for (w, f) in &aw.best {
                let id = ix.intern(w);
                ix.postings[id as usize].push(code(no, *f));
            }
            // Its summaries, and its context words for each of its mentions.
            let context: Vec<(u32, u8)> =
                aw.context.iter().map(|(w, f)| (ix.intern(w), *f)).collect();
            for (e, &j) in st.mention_no[i].iter().enumerate() {
                for w in &aw.summaries[e] {
                    let id = ix.intern(w);
                    ix.postings[id as usize].push(code(j, 9));
                }
                for &(id, f) in &context {
                    ix.postings[id as usize].push(code(j, f));
                }
            }
            for (k, c) in phrase_codes(aw, no, &st.mention_no[i], &st.phrases) {
                ix.phrase_postings[k].push(c);
            }
            ix.names.extend(aw.names.iter().map(|n| (n.clone(), no)));
        }
        if keep {
            kept.extend(words);
        }
    }
    // Causes, numbered after the articles in the names.
    let a_count = st.order.articles.len() as u32;
    for (no, &c) in st.order.causes.iter().enumerate() {
        let no = no as u32;
        let cw = &st.cause_words[c];
        for w in &cw.all {
            let f = if cw.name.contains(w) { 7 } else { 8 };
            let id = ix.intern(w);
            ix.postings[id as usize].push(code(no, f));
        }
        for (k, phrase) in st.phrases.iter().enumerate() {
            if holds(&cw.name, phrase) {
                ix.phrase_postings[k].push(code(no, 7));
            } else if holds(&cw.aka, phrase) {
                ix.phrase_postings[k].push(code(no, 8));
            }
        }
        let c = &site.causes[c];
        for t in std::iter::once(&c.name).chain(&c.also_known_as) {
            let k = stems_of(t);
            if !k.is_empty() {
                ix.names.push((k, a_count + no));
            }
        }
    }
    (ix, kept)
}

// ------------------------------------------------------------------ display records

/// An article as `cause-index.json` shows it, with its causes' names.
#[derive(Serialize)]
struct ArticleRecord<'a> {
    #[serde(flatten)]
    article: crate::search::cause_index::IndexArticle<'a>,
    /// The names of the article's causes, in the order of the causes' slugs.
    causes: Vec<&'a str>,
}

#[derive(Serialize)]
struct CauseRecord<'a> {
    slug: &'a str,
    name: &'a str,
    also_known_as: &'a [String],
    url: String,
}

/// A mention is shown from an array: [url, title, condition, group, summary, anchor], the
/// first three of its article, written here once per article (mentions are the most
/// numerous records).
fn head(site: &Site, a: usize) -> String {
    let art = &site.articles[a];
    let json = serde_json::to_string(&(&art.path, &art.fm.title, &art.fm.condition))
        .expect("strings serialise");
    json[1..json.len() - 1].to_string()
}

fn to_chunk<T: Serialize>(records: &[T]) -> Vec<u8> {
    let mut bytes = serde_json::to_vec(records).expect("records serialise");
    bytes.push(b'\n');
    bytes
}

fn part<T>(all: &[T], n: usize, size: usize) -> &[T] {
    &all[n * size..((n + 1) * size).min(all.len())]
}

/// Record chunk `n` of kind `a`, `c` or `m`: its path and bytes.
fn chunk(
    site: &Site,
    order: &Order,
    causes_of: &[Vec<usize>],
    heads: Option<&[String]>,
    kind: u8,
    n: usize,
) -> (String, Arc<Vec<u8>>) {
    let bytes = match kind {
        b'a' => to_chunk(
            &part(&order.articles, n, ARTICLE_CHUNK)
                .iter()
                .map(|&i| {
                    let a = &site.articles[i];
                    ArticleRecord {
                        article: crate::search::cause_index::IndexArticle::new(a),
                        causes: causes_of[i]
                            .iter()
                            .map(|&c| site.causes[c].name.as_str())
                            .collect(),
                    }
                })
                .collect::<Vec<_>>(),
        ),
        b'c' => to_chunk(
            &part(&order.causes, n, CAUSE_CHUNK)
                .iter()
                .map(|&c| {
                    let c = &site.causes[c];
                    CauseRecord {
                        slug: &c.slug,
                        name: &c.name,
                        also_known_as: &c.also_known_as,
                        url: cause_path(c),
                    }
                })
                .collect::<Vec<_>>(),
        ),
        _ => {
            // Written by hand: an article's part of its mentions is escaped once (`heads`).
            let mut out = String::from("[");
            for (k, &(_, a, e)) in part(&order.mentions, n, MENTION_CHUNK).iter().enumerate() {
                let art = &site.articles[a];
                let entry = &art.fm.causes[e];
                if k > 0 {
                    out.push(',');
                }
                out.push('[');
                match heads {
                    Some(h) => out.push_str(&h[a]),
                    None => out.push_str(&head(site, a)),
                }
                for field in [
                    entry.group.as_deref(),
                    entry.summary.as_deref(),
                    art.cause_anchors()[e].as_deref(),
                ] {
                    out.push(',');
                    match field {
                        Some(s) => json_str(&mut out, s),
                        None => out.push_str("null"),
                    }
                }
                out.push(']');
            }
            out.push_str("]\n");
            out.into_bytes()
        }
    };
    (format!("search/{}/{n}.json", kind as char), Arc::new(bytes))
}

/// Receives each file as it is made, from many threads at once: a build writes it out at
/// once rather than holding every file until the end.
pub type Emit<'a> = &'a (dyn Fn(&str, &[u8]) + Sync);

/// Every record chunk: handed to `emit` when given (and not returned), else returned.
fn all_chunks(
    site: &Site,
    order: &Order,
    causes_of: &[Vec<usize>],
    emit: Option<Emit>,
) -> Vec<(String, Arc<Vec<u8>>)> {
    let heads: Vec<String> = (0..site.articles.len())
        .into_par_iter()
        .map(|a| head(site, a))
        .collect();
    let jobs: Vec<(u8, usize)> = [
        (b'a', order.articles.len().div_ceil(ARTICLE_CHUNK)),
        (b'c', order.causes.len().div_ceil(CAUSE_CHUNK)),
        (b'm', order.mentions.len().div_ceil(MENTION_CHUNK)),
    ]
    .iter()
    .flat_map(|&(kind, count)| (0..count).map(move |n| (kind, n)))
    .collect();
    let made = jobs
        .into_par_iter()
        .map(|(kind, n)| chunk(site, order, causes_of, Some(&heads), kind, n));
    match emit {
        Some(emit) => {
            made.for_each(|(path, bytes)| emit(&path, &bytes));
            Vec::new()
        }
        None => made.collect(),
    }
}

// ------------------------------------------------------------------ the files

/// Every file of the sharded index, as (path below the site root, bytes), sorted by path:
/// `search/manifest.json`, `search/t/<key>.json` (postings), `search/a|c|m/<n>.json`
/// (articles, causes and mentions to display). The same site always gives the same bytes.
pub fn files(site: &Site) -> Vec<(String, Vec<u8>)> {
    files_split_at(site, SPLIT_BYTES)
}

/// Hands every file of the sharded index to `emit` as soon as it is made, in no particular
/// order; the same files as [`files`].
pub fn write_files(site: &Site, emit: Emit) {
    State::new(site, SPLIT_BYTES, false, Some(emit));
}

fn files_split_at(site: &Site, split_bytes: usize) -> Vec<(String, Vec<u8>)> {
    State::new(site, split_bytes, false, None)
        .files
        .into_iter()
        .map(|(p, b)| (p, Arc::try_unwrap(b).unwrap_or_else(|b| (*b).clone())))
        .collect()
}

/// Everything the files are made from. `serve` keeps it, so that an edit to a few articles
/// makes again only the postings, shards and record chunks they are in.
struct State {
    split_bytes: usize,
    order: Order,
    /// For each article (site index) and cause entry: the mention's number.
    mention_no: Vec<Vec<u32>>,
    /// For each article (site index): its causes (site indices), in the order of their slugs.
    causes_of: Vec<Vec<usize>>,
    /// For each article (site index): the date it is ranked by.
    dates: Vec<Option<crate::date::Date>>,
    cause_words: Vec<CauseWords>,
    /// By site index.
    article_words: Vec<ArticleWords>,
    /// Synonyms of several words, as stems.
    phrases: Vec<Vec<String>>,
    index: Index,
    /// The shard keys of each word (by id): its own, and its stem's when another.
    word_keys: Vec<(String, Option<String>)>,
    /// Word ids by shard key.
    key_words: FxHashMap<String, Vec<u32>>,
    /// (name, document) by shard key.
    key_names: FxHashMap<String, Vec<(String, u32)>>,
    /// Bytes of the postings of each two-letter key, to decide splits.
    group_size: FxHashMap<String, usize>,
    split: FxHashSet<String>,
    /// Shard bytes by key, for the manifest.
    shard_sizes: BTreeMap<String, usize>,
    files: BTreeMap<String, Arc<Vec<u8>>>,
}

fn size_of(word: &str, p: &Postings) -> usize {
    if p.is_empty() {
        0
    } else {
        p.len() * 3 + 16 + word.len()
    }
}

impl State {
    /// `keep`: hold each article's words, to update the files after an edit. With `emit`,
    /// files are handed to it and not kept in `files`.
    fn new(site: &Site, split_bytes: usize, keep: bool, emit: Option<Emit>) -> State {
        let order = order(site);
        let mut phrases: Vec<Vec<String>> = site
            .config
            .search
            .synonyms
            .iter()
            .flatten()
            .map(|t| words(t).iter().map(|w| stem(w)).collect::<Vec<_>>())
            .filter(|p| p.len() > 1)
            .collect();
        phrases.sort();
        phrases.dedup();
        let mut mention_no: Vec<Vec<u32>> = site
            .articles
            .iter()
            .map(|a| vec![0; a.fm.causes.len()])
            .collect();
        for (no, &(_, a, e)) in order.mentions.iter().enumerate() {
            mention_no[a][e] = no as u32;
        }
        let mut causes_of: Vec<Vec<usize>> = vec![Vec::new(); site.articles.len()];
        for (ci, c) in site.causes.iter().enumerate() {
            for &(a, _) in &c.mentions {
                causes_of[a].push(ci);
            }
        }
        let cause_words: Vec<CauseWords> = site.causes.par_iter().map(cause_words).collect();
        let mut st = State {
            split_bytes,
            order,
            mention_no,
            causes_of,
            dates: site.articles.iter().map(|a| a.last_change()).collect(),
            cause_words,
            article_words: Vec::new(),
            phrases,
            index: Index {
                ids: FxHashMap::default(),
                vocabulary: Vec::new(),
                postings: Vec::new(),
                phrase_postings: Vec::new(),
                names: Vec::new(),
            },
            word_keys: Vec::new(),
            key_words: FxHashMap::default(),
            key_names: FxHashMap::default(),
            group_size: FxHashMap::default(),
            split: FxHashSet::default(),
            shard_sizes: BTreeMap::new(),
            files: BTreeMap::new(),
        };
        (st.index, st.article_words) = index(site, &st, keep);
        st.files = all_chunks(site, &st.order, &st.causes_of, emit)
            .into_iter()
            .collect();

        // Shards: by two letters, split by a third when too large.
        for (w, p) in st.index.vocabulary.iter().zip(&st.index.postings) {
            *st.group_size
                .entry(first_chars(w, 2).to_string())
                .or_default() += size_of(w, p);
        }
        st.split = st
            .group_size
            .iter()
            .filter(|&(_, &n)| n > split_bytes)
            .map(|(k, _)| k.clone())
            .collect();
        for id in 0..st.index.vocabulary.len() as u32 {
            st.place_word(id);
        }
        for (n, doc) in std::mem::take(&mut st.index.names) {
            let key = st.name_key(&n);
            st.key_names.entry(key).or_default().push((n, doc));
        }
        let mut keys: FxHashSet<String> = st
            .key_words
            .keys()
            .chain(st.key_names.keys())
            .cloned()
            .collect();
        keys.extend(st.phrase_keys());
        st.write_shards(keys, emit);
        st.write_manifest(site, emit);
        st
    }

    fn place_word(&mut self, id: u32) {
        let w = &self.index.vocabulary[id as usize];
        let own = shard_key(w, &self.split).to_string();
        let s = stem(w);
        let other = Some(shard_key(&s, &self.split).to_string()).filter(|k| *k != own);
        for k in std::iter::once(&own).chain(&other) {
            self.key_words.entry(k.clone()).or_default().push(id);
        }
        self.word_keys.push((own, other));
    }

    /// Names go with the key of their last word.
    fn name_key(&self, name: &str) -> String {
        let last = name.rsplit(' ').next().unwrap_or(name);
        shard_key(last, &self.split).to_string()
    }

    /// Phrases go with the key of their first word.
    fn phrase_keys(&self) -> Vec<String> {
        self.phrases
            .iter()
            .map(|p| shard_key(&p[0], &self.split).to_string())
            .collect()
    }

    /// The shard of `key`, or None when nothing is left in it.
    fn shard(&self, key: &str) -> Option<Vec<u8>> {
        let ix = &self.index;
        let mut words: Vec<u32> = self
            .key_words
            .get(key)
            .map(|ws| {
                ws.iter()
                    .copied()
                    .filter(|&i| !ix.postings[i as usize].is_empty())
                    .collect()
            })
            .unwrap_or_default();
        words.sort_by_key(|&i| &ix.vocabulary[i as usize]);
        let mut names: Vec<&(String, u32)> = self
            .key_names
            .get(key)
            .map(|n| n.iter().collect())
            .unwrap_or_default();
        names.sort();
        let phrases: Vec<usize> = (0..self.phrases.len())
            .filter(|&k| {
                !ix.phrase_postings[k].is_empty()
                    && shard_key(&self.phrases[k][0], &self.split) == key
            })
            .collect();
        if words.is_empty() && names.is_empty() && phrases.is_empty() {
            return None;
        }
        let mut out = String::from("{\"words\":{");
        for (n, &i) in words.iter().enumerate() {
            if n > 0 {
                out.push(',');
            }
            json_str(&mut out, &ix.vocabulary[i as usize]);
            out.push(':');
            write_postings(&mut out, &ix.postings[i as usize]);
        }
        out.push_str("},\"names\":{");
        let mut start = 0;
        while start < names.len() {
            let n = &names[start].0;
            let end = start + names[start..].iter().take_while(|e| e.0 == *n).count();
            if start > 0 {
                out.push(',');
            }
            json_str(&mut out, n);
            out.push(':');
            let docs: Vec<u32> = names[start..end].iter().map(|e| e.1).collect();
            write_numbers(&mut out, &docs);
            start = end;
        }
        out.push_str("},\"phrases\":{");
        for (n, &k) in phrases.iter().enumerate() {
            if n > 0 {
                out.push(',');
            }
            json_str(&mut out, &self.phrases[k].join(" "));
            out.push(':');
            write_postings(&mut out, &ix.phrase_postings[k]);
        }
        out.push_str("}}\n");
        Some(out.into_bytes())
    }

    /// Makes the shards of `keys` again (a shard left empty is removed).
    fn write_shards(&mut self, keys: FxHashSet<String>, emit: Option<Emit>) {
        let keys: Vec<String> = keys.into_iter().collect();
        // (key, path, Some((size, bytes unless emitted)) or None when the shard is empty).
        type Made = (String, String, Option<(usize, Option<Vec<u8>>)>);
        let made: Vec<Made> = keys
            .into_par_iter()
            .map(|key| {
                let path = format!("search/t/{}.json", key_file(&key));
                let made = self.shard(&key).map(|bytes| match emit {
                    Some(emit) => {
                        emit(&path, &bytes);
                        (bytes.len(), None)
                    }
                    None => (bytes.len(), Some(bytes)),
                });
                (key, path, made)
            })
            .collect();
        for (key, path, made) in made {
            match made {
                Some((size, bytes)) => {
                    self.shard_sizes.insert(key, size);
                    if let Some(b) = bytes {
                        self.files.insert(path, Arc::new(b));
                    }
                }
                None => {
                    self.shard_sizes.remove(&key);
                    self.files.remove(&path);
                }
            }
        }
    }

    fn write_manifest(&mut self, site: &Site, emit: Option<Emit>) {
        let present: Vec<String> = self
            .phrases
            .iter()
            .zip(&self.index.phrase_postings)
            .filter(|(_, p)| !p.is_empty())
            .map(|(p, _)| p.join(" "))
            .collect();
        let mut split: Vec<&String> = self.split.iter().collect();
        split.sort();
        let mut man = String::new();
        let _ = write!(
            man,
            "{{\"version\":{VERSION},\"articles\":{},\"causes\":{},\"mentions\":{},\"chunks\":{{\"a\":{ARTICLE_CHUNK},\"c\":{CAUSE_CHUNK},\"m\":{MENTION_CHUNK}}},\"synonyms\":{},\"phrases\":{},\"split\":{},\"shards\":{{",
            self.order.articles.len(),
            self.order.causes.len(),
            serde_json::to_string(&self.order.counts).expect("numbers serialise"),
            serde_json::to_string(&site.config.search.synonyms).expect("strings serialise"),
            serde_json::to_string(&present).expect("strings serialise"),
            serde_json::to_string(&split).expect("strings serialise"),
        );
        for (n, (key, size)) in self.shard_sizes.iter().enumerate() {
            if n > 0 {
                man.push(',');
            }
            json_str(&mut man, key);
            let _ = write!(man, ":{size}");
        }
        man.push_str("}}\n");
        match emit {
            Some(emit) => emit("search/manifest.json", man.as_bytes()),
            None => {
                self.files
                    .insert("search/manifest.json".into(), Arc::new(man.into_bytes()));
            }
        }
    }

    /// Brings the files up to date after the front matter of the articles `changed` (site
    /// indices) changed, the numbering and the causes staying the same. False when a shard
    /// must now be split or merged: then everything is made again.
    fn update(&mut self, site: &Site, changed: &[usize]) -> bool {
        // (word, code, added) and what else the edit touched.
        let mut ops: Vec<(String, u32, bool)> = Vec::new();
        let mut name_ops: Vec<(String, u32, bool)> = Vec::new();
        let mut phrase_ops: Vec<(usize, u32, bool)> = Vec::new();
        let mut chunks: BTreeSet<(u8, usize)> = BTreeSet::new();
        for &i in changed {
            self.dates[i] = site.articles[i].last_change();
            let no = self.order.article_no[i];
            let mentions = self.mention_no[i].clone();
            let causes: Vec<&CauseWords> = site.articles[i]
                .cause_ids
                .iter()
                .map(|&c| &self.cause_words[c])
                .collect();
            let new = article_words(&site.articles[i].fm, &causes, &self.phrases);
            let old = std::mem::replace(&mut self.article_words[i], new);
            let new = &self.article_words[i];
            let diff = |old: &[(String, u8)],
                        new: &[(String, u8)],
                        docs: &[u32],
                        ops: &mut Vec<(String, u32, bool)>| {
                let o: FxHashSet<&(String, u8)> = old.iter().collect();
                let n: FxHashSet<&(String, u8)> = new.iter().collect();
                for &doc in docs {
                    ops.extend(
                        o.difference(&n)
                            .map(|(w, f)| (w.clone(), code(doc, *f), false)),
                    );
                    ops.extend(
                        n.difference(&o)
                            .map(|(w, f)| (w.clone(), code(doc, *f), true)),
                    );
                }
            };
            diff(&old.best, &new.best, &[no], &mut ops);
            diff(&old.context, &new.context, &mentions, &mut ops);
            for (e, &j) in mentions.iter().enumerate() {
                let as_field =
                    |ws: &[String]| ws.iter().map(|w| (w.clone(), 9)).collect::<Vec<_>>();
                diff(
                    &as_field(&old.summaries[e]),
                    &as_field(&new.summaries[e]),
                    &[j],
                    &mut ops,
                );
            }
            if old.names != new.names {
                name_ops.extend(old.names.iter().map(|n| (n.clone(), no, false)));
                name_ops.extend(new.names.iter().map(|n| (n.clone(), no, true)));
            }
            if !self.phrases.is_empty() {
                let before = phrase_codes(&old, no, &mentions, &self.phrases);
                let after = phrase_codes(new, no, &mentions, &self.phrases);
                if before != after {
                    phrase_ops.extend(before.into_iter().map(|(k, c)| (k, c, false)));
                    phrase_ops.extend(after.into_iter().map(|(k, c)| (k, c, true)));
                }
            }
            chunks.insert((b'a', no as usize / ARTICLE_CHUNK));
            chunks.extend(mentions.iter().map(|&j| (b'm', j as usize / MENTION_CHUNK)));
        }

        let mut keys: FxHashSet<String> = FxHashSet::default();
        let mut groups: FxHashSet<String> = FxHashSet::default();
        for (w, c, add) in ops {
            let known = self.index.ids.contains_key(&w);
            let id = self.index.intern(&w);
            if !known {
                self.place_word(id);
            }
            let group = first_chars(&w, 2).to_string();
            let size = self.group_size.entry(group.clone()).or_default();
            let p = &mut self.index.postings[id as usize];
            *size -= size_of(&w, p);
            if add {
                p.push(c);
            } else if let Some(at) = p.iter().position(|&x| x == c) {
                p.swap_remove(at);
            }
            *size += size_of(&w, p);
            groups.insert(group);
            let (own, other) = &self.word_keys[id as usize];
            keys.extend(std::iter::once(own).chain(other).cloned());
        }
        if groups
            .iter()
            .any(|g| (self.group_size[g] > self.split_bytes) != self.split.contains(g))
        {
            return false;
        }
        for (n, doc, add) in name_ops {
            let key = self.name_key(&n);
            let list = self.key_names.entry(key.clone()).or_default();
            if add {
                list.push((n, doc));
            } else if let Some(at) = list.iter().position(|e| e.0 == n && e.1 == doc) {
                list.swap_remove(at);
            }
            keys.insert(key);
        }
        if !phrase_ops.is_empty() {
            for (k, c, add) in phrase_ops {
                let p = &mut self.index.phrase_postings[k];
                if add {
                    p.push(c);
                } else if let Some(at) = p.iter().position(|&x| x == c) {
                    p.swap_remove(at);
                }
            }
            keys.extend(self.phrase_keys());
        }
        self.write_shards(keys, None);
        let made: Vec<(String, Arc<Vec<u8>>)> = chunks
            .into_par_iter()
            .map(|(kind, n)| chunk(site, &self.order, &self.causes_of, None, kind, n))
            .collect();
        self.files.extend(made);
        self.write_manifest(site, None);
        true
    }
}

// ------------------------------------------------------------------ cache for `serve`

/// A cause's slug, name, other names and mentions.
type CauseInputs = (String, String, Vec<String>, Vec<(usize, usize)>);

/// What the shards were made from: each article's path and the objects its text came from,
/// each cause's names and mentions, the synonyms.
#[derive(PartialEq)]
struct Inputs {
    articles: Vec<(String, usize, usize)>,
    causes: Vec<CauseInputs>,
    synonyms: Vec<Vec<String>>,
}

impl Inputs {
    /// The same articles at the same places, the same causes and synonyms: only front matter
    /// changed.
    fn same_structure(&self, other: &Inputs) -> bool {
        self.causes == other.causes
            && self.synonyms == other.synonyms
            && self.articles.len() == other.articles.len()
            && self
                .articles
                .iter()
                .zip(&other.articles)
                .all(|(a, b)| a.0 == b.0)
    }
}

fn inputs(site: &Site, keep: &mut Vec<(Arc<FrontMatter>, Arc<Derived>)>) -> Inputs {
    keep.clear();
    let articles = site
        .articles
        .iter()
        .map(|a| {
            keep.push((a.fm.clone(), a.derived.clone()));
            (
                a.path.clone(),
                Arc::as_ptr(&a.fm) as usize,
                Arc::as_ptr(&a.derived) as usize,
            )
        })
        .collect();
    Inputs {
        articles,
        causes: site
            .causes
            .iter()
            .map(|c| {
                (
                    c.slug.clone(),
                    c.name.clone(),
                    c.also_known_as.clone(),
                    c.mentions.clone(),
                )
            })
            .collect(),
        synonyms: site.config.search.synonyms.clone(),
    }
}

/// The shards of the last site, kept between rebuilds while `serve` runs.
#[derive(Default)]
pub struct ShardCache {
    inputs: Option<Inputs>,
    /// Holds the objects whose addresses `inputs` compares, so no address is reused.
    keep: Vec<(Arc<FrontMatter>, Arc<Derived>)>,
    state: Option<State>,
}

/// [`files`], kept up to date in `cache`: unchanged when nothing they are made from changed
/// (an edit to an article's body, a template, a static file); when only articles' front
/// matter changed and every article keeps its number, only the shards and chunks those
/// articles are in are made again; otherwise everything is.
pub fn files_cached(site: &Site, cache: &mut ShardCache) -> Vec<(String, Arc<Vec<u8>>)> {
    let mut keep = Vec::new();
    let now = inputs(site, &mut keep);
    let kept = match (&cache.inputs, &mut cache.state) {
        (Some(old), Some(_)) if *old == now => true,
        (Some(old), Some(st)) if old.same_structure(&now) => {
            let changed: Vec<usize> = (0..now.articles.len())
                .filter(|&i| old.articles[i] != now.articles[i])
                .collect();
            // Articles keep their numbers while their dates stay the same.
            let dated = changed
                .iter()
                .all(|&i| site.articles[i].last_change() == st.dates[i]);
            (dated || order(site) == st.order) && st.update(site, &changed)
        }
        _ => false,
    };
    if !kept {
        cache.state = Some(State::new(site, SPLIT_BYTES, true, None));
    }
    cache.inputs = Some(now);
    cache.keep = keep;
    let st = cache.state.as_ref().expect("made above");
    st.files
        .iter()
        .map(|(p, b)| (p.clone(), b.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    use crate::config::Config;
    use crate::date::Date;
    use crate::test_site::{article, site};

    fn sample() -> Site {
        site(
            &[
                (
                    "legs/leg-cramps.md",
                    &article(
                        "Night-Time Leg Cramps",
                        "2026-10-05",
                        &["Dehydration", "Pregnancy"],
                        "condition: Leg cramps\nsymptoms: [sudden calf pain]\n",
                    ),
                ),
                (
                    "feet/foot-spasms.md",
                    &article(
                        "What Causes Spasms in Your Feet <script>alert(\"t\")</script>",
                        "2026-11-02",
                        &["Dehydration"],
                        "also_known_as: [foot cramps]\n",
                    ),
                ),
                (
                    "head/headache.md",
                    &article("Tension Headaches", "2026-11-02", &["Stress"], ""),
                ),
            ],
            "search:\n  synonyms:\n    - [cramp, spasm, charley horse]\n",
        )
    }

    fn json(files: &[(String, Vec<u8>)], path: &str) -> serde_json::Value {
        let (_, bytes) = files
            .iter()
            .find(|(p, _)| p == path)
            .unwrap_or_else(|| panic!("no {path}"));
        serde_json::from_slice(bytes).unwrap()
    }

    /// The numbers a list written by `write_numbers` stands for.
    fn numbers(v: &serde_json::Value) -> Vec<i64> {
        let mut out = Vec::new();
        let mut d = -1;
        for x in v.as_array().unwrap() {
            let x = x.as_i64().unwrap();
            if x < 0 {
                for _ in 0..-x {
                    d += 1;
                    out.push(d);
                }
            } else {
                d += x + 1;
                out.push(d);
            }
        }
        out
    }

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
    fn numbers_are_written_as_gaps_and_runs() {
        let docs = [0, 1, 2, 3, 10, 11, 20, 21, 22, 40];
        let mut out = String::new();
        write_numbers(&mut out, &docs);
        assert_eq!(out, "[-4,6,0,8,0,0,17]");
        let back = numbers(&serde_json::from_str(&out).unwrap());
        assert_eq!(back, docs.iter().map(|&d| d as i64).collect::<Vec<_>>());
        let mut empty = String::new();
        write_numbers(&mut empty, &[]);
        assert_eq!(empty, "[]");
    }

    #[test]
    fn layout_manifest_shards_and_records() {
        let site = sample();
        let files = files(&site);
        let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        let mut sorted = paths.clone();
        sorted.sort();
        assert_eq!(paths, sorted, "sorted by path");
        for p in [
            "search/manifest.json",
            "search/a/0.json",
            "search/c/0.json",
            "search/m/0.json",
            "search/t/cr.json",
            "search/t/de.json",
        ] {
            assert!(paths.contains(&p), "{p} in {paths:?}");
        }
        let man = json(&files, "search/manifest.json");
        assert_eq!(man["version"], 1);
        assert_eq!(man["articles"], 3);
        assert_eq!(man["causes"], 3);
        assert_eq!(man["split"], serde_json::json!([]));
        assert_eq!(
            man["synonyms"],
            serde_json::json!([["cramp", "spasm", "charley horse"]])
        );
        assert_eq!(
            man["phrases"],
            serde_json::json!([]),
            "charley horse is written nowhere"
        );
        // Every shard file is listed with its size, and nothing else is.
        let shards = man["shards"].as_object().unwrap();
        for (key, size) in shards {
            let path = format!("search/t/{}.json", key_file(key));
            let (_, bytes) = files.iter().find(|(p, _)| *p == path).unwrap();
            assert_eq!(size.as_u64().unwrap() as usize, bytes.len(), "{path}");
        }
        assert_eq!(
            paths.iter().filter(|p| p.starts_with("search/t/")).count(),
            shards.len()
        );

        // Articles: newest first, then by URL.
        let a = json(&files, "search/a/0.json");
        let urls: Vec<&str> = a
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["url"].as_str().unwrap())
            .collect();
        assert_eq!(
            urls,
            ["feet/foot-spasms/", "head/headache/", "legs/leg-cramps/"]
        );
        assert_eq!(
            a[2]["causes"],
            serde_json::json!(["Dehydration", "Pregnancy"])
        );
        // Causes: by their newest article, then slug; mentions by cause, then article.
        let c = json(&files, "search/c/0.json");
        let slugs: Vec<&str> = c
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["slug"].as_str().unwrap())
            .collect();
        assert_eq!(slugs, ["dehydration", "stress", "pregnancy"]);
        assert_eq!(man["mentions"], serde_json::json!([2, 1, 1]));
        let m = json(&files, "search/m/0.json");
        let mention_urls: Vec<&str> = m
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r[0].as_str().unwrap())
            .collect();
        assert_eq!(
            mention_urls,
            [
                "feet/foot-spasms/",
                "legs/leg-cramps/",
                "head/headache/",
                "legs/leg-cramps/"
            ]
        );

        // Postings: "cramps" is the condition (1) of article 2 and another name (2) of
        // article 0; seen from mentions, the context of mentions 0 (aka) and 1 and 3 (condition).
        let cr = json(&files, "search/t/cr.json");
        let cramps = &cr["words"]["cramps"];
        assert_eq!(numbers(&cramps["0"]), [2], "title beats condition");
        assert_eq!(numbers(&cramps["2"]), [0]);
        assert_eq!(numbers(&cramps["11"]), [1, 3]);
        assert_eq!(numbers(&cramps["12"]), [0]);
        assert_eq!(
            cr["names"],
            serde_json::json!({"foot cramp": [0], "leg cramp": [2]})
        );
        // A cause's name: field 7, numbered after the articles in the names.
        let de = json(&files, "search/t/de.json");
        assert_eq!(numbers(&de["words"]["dehydration"]["7"]), [0]);
        assert_eq!(numbers(&de["words"]["dehydration"]["9"]), [0, 1]);
        assert_eq!(numbers(&de["words"]["dehydration"]["10"]), [0, 2]);
        assert_eq!(de["names"]["dehydration"], serde_json::json!([3]));
    }

    #[test]
    fn markup_is_plain_text_in_json() {
        let files = files(&sample());
        let (_, bytes) = files.iter().find(|(p, _)| p == "search/a/0.json").unwrap();
        let text = std::str::from_utf8(bytes).unwrap();
        // Written as it is (a JSON string, quotes escaped), never as HTML entities.
        assert!(text.contains(r#"<script>alert(\"t\")</script>"#), "{text}");
        assert!(!text.contains("&lt;"));
        let a = json(&files, "search/a/0.json");
        assert_eq!(
            a[0]["title"],
            r#"What Causes Spasms in Your Feet <script>alert("t")</script>"#
        );
        // The words of markup are searchable words like any other.
        let sc = json(&files, "search/t/sc.json");
        assert_eq!(numbers(&sc["words"]["script"]["0"]), [0]);
    }

    #[test]
    fn the_same_site_gives_the_same_bytes() {
        let one = files(&sample());
        let two = files(&sample());
        assert_eq!(one.len(), two.len());
        for (a, b) in one.iter().zip(&two) {
            assert_eq!(a.0, b.0);
            assert!(a.1 == b.1, "{} differs", a.0);
        }
    }

    #[test]
    fn written_as_made_they_are_the_same_files() {
        let site = sample();
        let emitted = std::sync::Mutex::new(Vec::new());
        write_files(&site, &|path, bytes| {
            emitted
                .lock()
                .unwrap()
                .push((path.to_string(), bytes.to_vec()))
        });
        let mut emitted = emitted.into_inner().unwrap();
        emitted.sort();
        assert_eq!(emitted, files(&site));
    }

    #[test]
    fn a_large_key_is_split_by_a_third_letter() {
        let site = sample();
        // With a tiny limit every two-letter key with more than a few postings splits.
        let files = files_split_at(&site, 20);
        let man = json(&files, "search/manifest.json");
        let split: Vec<&str> = man["split"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap())
            .collect();
        assert!(split.contains(&"cr") && split.contains(&"de"), "{split:?}");
        let shards = man["shards"].as_object().unwrap();
        assert!(
            shards.contains_key("cra") && !shards.contains_key("cr"),
            "{shards:?}"
        );
        let cra = json(&files, "search/t/cra.json");
        assert!(cra["words"]["cramps"].is_object());
        // Names go with the key of their last word.
        assert_eq!(
            cra["names"],
            serde_json::json!({"foot cramp": [0], "leg cramp": [2]})
        );
        // Without the limit, nothing of this small site is split.
        let whole = json(&files_split_at(&site, SPLIT_BYTES), "search/manifest.json");
        assert_eq!(whole["split"], serde_json::json!([]));
    }

    #[test]
    fn a_word_whose_stem_starts_otherwise_is_in_both_shards() {
        let site = site(
            &[("flies.md", &article("Flies", "2026-01-01", &[], ""))],
            "",
        );
        let files = files_split_at(&site, 1);
        let man = json(&files, "search/manifest.json");
        assert!(
            man["split"]
                .as_array()
                .unwrap()
                .contains(&serde_json::json!("fl"))
        );
        assert!(json(&files, "search/t/fli.json")["words"]["flies"].is_object());
        assert!(json(&files, "search/t/fly.json")["words"]["flies"].is_object());
    }

    #[test]
    fn phrases_of_synonyms_have_their_own_postings() {
        let site = site(
            &[(
                "legs.md",
                &article(
                    "Leg cramps",
                    "2026-01-01",
                    &["Stress"],
                    "also_known_as: [a charley horse]\n",
                ),
            )],
            "search:\n  synonyms:\n    - [cramp, charley horse]\n",
        );
        let files = files(&site);
        let man = json(&files, "search/manifest.json");
        assert_eq!(man["phrases"], serde_json::json!(["charley hors"]));
        let ch = json(&files, "search/t/ch.json");
        let p = &ch["phrases"]["charley hors"];
        assert_eq!(numbers(&p["2"]), [0]);
        assert_eq!(
            numbers(&p["12"]),
            [0],
            "the mention of Stress sees it as context"
        );
    }

    /// Loads the site in `dir` through `cache`, as `serve` does after each edit.
    fn reload(dir: &Path, cache: &mut crate::site::Cache) -> Site {
        let text = std::fs::read_to_string(dir.join("site.yaml")).unwrap();
        let config = Config::parse(&text, Path::new("site.yaml")).unwrap();
        let sources = crate::content::load(dir, &dir.join("content")).unwrap();
        let today = Date::parse("2026-11-24").unwrap();
        crate::site::build(config, &sources, false, today, cache).unwrap()
    }

    #[test]
    fn edits_to_front_matter_update_the_files_as_a_new_build_makes_them() {
        let dir = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "site.yaml",
            "title: T\ndescription: D\nbase_url: https://example.org/\nlanguage: en\ntheme: default\nsearch:\n  synonyms:\n    - [cramp, charley horse]\n",
        );
        let legs = |title: &str, extra: &str| {
            article(title, "2026-10-05", &["Dehydration", "Pregnancy"], extra)
        };
        write(
            "content/legs.md",
            &legs("Night-Time Leg Cramps", "condition: Leg cramps\n"),
        );
        write(
            "content/feet.md",
            &article(
                "Foot Spasms",
                "2026-11-02",
                &["Dehydration"],
                "symptoms: [toes curling]\n",
            ),
        );
        for n in 0..40 {
            write(
                &format!("content/more/a{n}.md"),
                &article(&format!("Article {n}"), "2025-01-01", &["Stress"], ""),
            );
        }
        let mut site_cache = crate::site::Cache::default();
        let mut cache = ShardCache::default();
        let first = files_cached(&reload(dir.path(), &mut site_cache), &mut cache);
        let causes_chunk = |files: &[(String, Arc<Vec<u8>>)]| {
            files
                .iter()
                .find(|(p, _)| p == "search/c/0.json")
                .unwrap()
                .1
                .clone()
        };
        let check = |cache: &mut ShardCache, site_cache: &mut crate::site::Cache, what: &str| {
            for rel in ["legs.md", "feet.md"] {
                site_cache.forget(rel);
            }
            let site = reload(dir.path(), site_cache);
            let arcs = files_cached(&site, cache);
            let got: Vec<(String, Vec<u8>)> =
                arcs.iter().map(|(p, b)| (p.clone(), b.to_vec())).collect();
            let want = files(&site);
            let paths =
                |f: &[(String, Vec<u8>)]| f.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
            assert_eq!(paths(&got), paths(&want), "{what}: files");
            for ((p, a), (_, b)) in got.iter().zip(&want) {
                assert!(
                    a == b,
                    "{what}: {p} differs:\n{}\n{}",
                    String::from_utf8_lossy(a),
                    String::from_utf8_lossy(b)
                );
            }
            arcs
        };
        // A new word in a title (a new shard), context for the mentions, a name.
        write(
            "content/legs.md",
            &legs(
                "Night-Time Leg Cramps and Zebras",
                "condition: Leg cramps at night\n",
            ),
        );
        let now = check(&mut cache, &mut site_cache, "title and condition");
        // Only what the edit touched was made again.
        assert!(Arc::ptr_eq(&causes_chunk(&first), &causes_chunk(&now)));
        // A word gone (its shard with it), a phrase synonym appearing in a summary.
        let phrase = legs("Night-Time Leg Cramps", "condition: Leg cramps\n").replace(
            "Dehydration can do it.",
            "A charley horse, from dehydration.",
        );
        write("content/legs.md", &phrase);
        check(&mut cache, &mut site_cache, "summary with a phrase");
        write(
            "content/feet.md",
            &article(
                "Foot Spasms",
                "2026-11-02",
                &["Dehydration"],
                "symptoms: [a charley horse]\n",
            ),
        );
        check(&mut cache, &mut site_cache, "phrase in symptoms");
        // A newer date renumbers the articles: everything is made again.
        write(
            "content/legs.md",
            &article(
                "Night-Time Leg Cramps",
                "2026-12-01",
                &["Dehydration", "Pregnancy"],
                "",
            ),
        );
        let last = check(&mut cache, &mut site_cache, "renumbered");
        assert!(!Arc::ptr_eq(&causes_chunk(&first), &causes_chunk(&last)));
    }

    #[test]
    fn the_cache_reuses_files_while_inputs_are_the_same() {
        let site = sample();
        let mut cache = ShardCache::default();
        let one = files_cached(&site, &mut cache);
        let two = files_cached(&site, &mut cache);
        assert!(one.iter().zip(&two).all(|(a, b)| Arc::ptr_eq(&a.1, &b.1)));
        let other = files_cached(&sample(), &mut cache);
        assert!(
            !Arc::ptr_eq(&one[0].1, &other[0].1),
            "a new model is made again"
        );
        assert_eq!(one[0].1, other[0].1);
    }
}

//! The sharded search index, written to `search/` beside `cause-index.json`.
//!
//! On a large site `cause-index.json` is tens of megabytes: too much to fetch for one query.
//! The sharded form lets the search page fetch what a query needs and nothing more: a small
//! manifest, then the postings of the words that start like the query's words (which fields of
//! which articles, causes and mentions hold them), then the display records of the results it
//! shows. Words are found, folded and stemmed exactly as `search-core.js` does it
//! (`words.rs`), so a query finds the same results, in the same order, as over
//! `cause-index.json`. The format is described in docs/content.md ("Search shards, version 1").
//!
//! This file lays the files out: which shard each word, name and phrase goes in, when a shard
//! is split, the manifest, and the state they are made from, which `serve` keeps to update
//! them after an edit (`update.rs`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::site::{Revision, Site};

use super::encode::{Postings, json_str, write_numbers, write_postings};
use super::fields::{CauseWords, KeptWords, cause_words, phrases};
use super::order::{Order, order};
use super::postings::{Index, index};
use super::records::{
    ARTICLE_CHUNK, CAUSE_CHUNK, MENTION_CHUNK, SECTION_CHUNK, causes_of, chunk, chunk_jobs, heads,
};
use super::words::{Stemmer, first_chars, key_file, shard_key};
use super::{stop_words, vocabulary};

/// Version of the sharded format (`search/manifest.json`).
pub(crate) const VERSION: u32 = 2;
/// A two-letter shard whose postings would pass this many bytes is split by a third letter,
/// so that a word being typed never pulls in much more than its own postings.
pub(crate) const SPLIT_BYTES: usize = 96 * 1024;

/// Receives each file (path below the site root, bytes) as it is made, from many threads at
/// once: a build writes it out at once rather than holding every file until the end.
pub type Emit<'a> = &'a (dyn Fn(&str, Arc<Vec<u8>>) + Sync);

/// Every file of the sharded index, as (path below the site root, bytes), sorted by path:
/// `search/manifest.json`, `search/t/<key>.json` (postings), `search/a|c|m/<n>.json`
/// (articles, causes and mentions to display). The same site always gives the same bytes.
/// In memory, as [`write_files`](super::write_files) hands them out.
pub fn files(site: &Site) -> Vec<(String, Vec<u8>)> {
    super::collect_files(site, &mut super::ShardCache::default())
        .into_iter()
        .map(|(path, bytes)| {
            (
                path,
                Arc::try_unwrap(bytes).unwrap_or_else(|b| (*b).clone()),
            )
        })
        .collect()
}

#[cfg(test)]
fn files_split_at(site: &Site, split_bytes: usize) -> Vec<(String, Vec<u8>)> {
    State::new(site, split_bytes, false, None)
        .files
        .into_iter()
        .map(|(p, b)| (p, Arc::try_unwrap(b).unwrap_or_else(|b| (*b).clone())))
        .collect()
}

/// Everything the files are made from. `serve` keeps it (`update.rs`), so that an edit to a
/// few articles makes again only the postings, shards and record chunks they are in.
pub(crate) struct State {
    pub(crate) split_bytes: usize,
    pub(crate) order: Order,
    /// For each article (site index) and cause entry: the mention's number.
    pub(crate) mention_no: Vec<Vec<u32>>,
    /// For each article (site index): its causes (site indices), in the order of their slugs.
    pub(crate) causes_of: Vec<Vec<usize>>,
    /// For each article (site index): the date it is ranked by.
    pub(crate) dates: Vec<Option<crate::date::Date>>,
    pub(crate) cause_words: Vec<CauseWords>,
    /// By site index.
    pub(crate) article_words: Vec<KeptWords>,
    /// Synonyms of several words, as stems.
    pub(crate) phrases: Vec<Vec<String>>,
    /// How the site's language stems its words.
    pub(crate) stemmer: Stemmer,
    pub(crate) index: Index,
    /// The shard keys of each word (by id): its own, and its stem's when another.
    pub(crate) word_keys: Vec<(String, Option<String>)>,
    /// Word ids by shard key.
    key_words: FxHashMap<String, Vec<u32>>,
    /// (name, document) by shard key.
    pub(crate) key_names: FxHashMap<String, Vec<(String, u32)>>,
    /// Bytes of the postings of each two-letter key, to decide splits.
    pub(crate) group_size: FxHashMap<String, usize>,
    pub(crate) split: FxHashSet<String>,
    /// Shard bytes by key, for the manifest.
    shard_sizes: BTreeMap<String, usize>,
    /// Words in each file of the typo vocabulary, by key, for the manifest.
    vocabulary_sizes: BTreeMap<String, usize>,
    pub(crate) files: BTreeMap<String, Arc<Vec<u8>>>,
}

/// What an earlier state knows of the articles of a new site.
struct Known<'a> {
    old: State,
    old_articles: &'a [(String, Revision)],
    /// The new site's.
    causes_of: &'a [Vec<usize>],
    cause_words: &'a [CauseWords],
}

impl Known<'_> {
    /// By site index, the old words of each article whose revision (so its front matter
    /// and body) and whose causes' words are the same.
    fn words(self, site: &Site) -> Vec<Option<KeptWords>> {
        let Known {
            old,
            old_articles,
            causes_of,
            cause_words,
        } = self;
        let by_path: FxHashMap<&str, usize> = (old_articles.iter().enumerate())
            .map(|(j, (path, _))| (path.as_str(), j))
            .collect();
        let mut words: Vec<Option<KeptWords>> = old.article_words.into_iter().map(Some).collect();
        (site.articles.iter().enumerate())
            .map(|(i, a)| {
                let &j = by_path.get(a.path.as_str())?;
                let same_causes = old.causes_of[j].len() == causes_of[i].len()
                    && (old.causes_of[j].iter().zip(&causes_of[i]))
                        .all(|(&was, &now)| old.cause_words[was] == cause_words[now]);
                (old_articles[j].1 == a.revision && same_causes)
                    .then(|| words.get_mut(j)?.take())
                    .flatten()
            })
            .collect()
    }
}

/// About the bytes a word's postings take in its shard, to decide splits.
pub(crate) fn size_of(word: &str, p: &Postings) -> usize {
    if p.is_empty() {
        0
    } else {
        p.len() * 3 + 16 + word.len()
    }
}

impl State {
    /// `keep`: hold each article's words, to update the files after an edit. With `emit`,
    /// files are handed to it and not kept in `files`.
    pub(crate) fn new(site: &Site, split_bytes: usize, keep: bool, emit: Option<Emit>) -> State {
        State::make(site, split_bytes, keep, emit, None)
    }

    /// A kept state made again for `site`, taking over from `old` (made for articles of
    /// `old_articles`' paths and revisions) the words of each article whose revision and
    /// causes' names are the same: reading the words is most of the work.
    pub(crate) fn renewed(
        site: &Site,
        split_bytes: usize,
        old: State,
        old_articles: &[(String, Revision)],
    ) -> State {
        State::make(site, split_bytes, true, None, Some((old, old_articles)))
    }

    fn make(
        site: &Site,
        split_bytes: usize,
        keep: bool,
        emit: Option<Emit>,
        previous: Option<(State, &[(String, Revision)])>,
    ) -> State {
        let order = order(site);
        let stemmer = Stemmer::of(&site.config.language);
        let phrases = phrases(&site.config.search.synonyms, stemmer);
        let mention_no = order.mention_numbers(site);
        let causes_of = causes_of(site);
        let cause_words: Vec<CauseWords> = site.causes.par_iter().map(cause_words).collect();
        let dates = site.articles.iter().map(|a| a.last_change()).collect();
        let reused = match previous {
            Some((old, old_articles)) if old.phrases == phrases => {
                let known = Known {
                    old,
                    old_articles,
                    causes_of: &causes_of,
                    cause_words: &cause_words,
                };
                known.words(site)
            }
            _ => Vec::new(),
        };
        let (index, article_words) = index(
            site,
            &order,
            &mention_no,
            &cause_words,
            &phrases,
            keep,
            reused,
        );
        let files = all_chunks(site, &order, &causes_of, emit)
            .into_iter()
            .collect();
        let mut st = State {
            split_bytes,
            order,
            mention_no,
            causes_of,
            dates,
            cause_words,
            article_words,
            phrases,
            stemmer,
            index,
            word_keys: Vec::new(),
            key_words: FxHashMap::default(),
            key_names: FxHashMap::default(),
            group_size: FxHashMap::default(),
            split: FxHashSet::default(),
            shard_sizes: BTreeMap::new(),
            vocabulary_sizes: BTreeMap::new(),
            files,
        };
        let keys = st.lay_out();
        st.write_shards(keys, emit);
        st.write_vocabulary(emit);
        st.write_manifest(site, emit);
        st
    }

    /// Shards: by two letters, split by a third when too large. Places every word and name
    /// and returns the keys of every shard.
    fn lay_out(&mut self) -> FxHashSet<String> {
        for (w, p) in self.index.vocabulary.iter().zip(&self.index.postings) {
            *self
                .group_size
                .entry(first_chars(w, 2).to_string())
                .or_default() += size_of(w, p);
        }
        self.split = self
            .group_size
            .iter()
            .filter(|&(_, &n)| n > self.split_bytes)
            .map(|(k, _)| k.clone())
            .collect();
        for id in 0..self.index.vocabulary.len() as u32 {
            self.place_word(id);
        }
        for (n, doc) in std::mem::take(&mut self.index.names) {
            let key = self.name_key(&n);
            self.key_names.entry(key).or_default().push((n, doc));
        }
        let mut keys: FxHashSet<String> = self
            .key_words
            .keys()
            .chain(self.key_names.keys())
            .cloned()
            .collect();
        keys.extend(self.phrase_keys());
        keys
    }

    pub(crate) fn place_word(&mut self, id: u32) {
        let w = &self.index.vocabulary[id as usize];
        let own = shard_key(w, &self.split).to_string();
        let s = self.stemmer.stem(w);
        let other = Some(shard_key(&s, &self.split).to_string()).filter(|k| *k != own);
        for k in std::iter::once(&own).chain(&other) {
            self.key_words.entry(k.clone()).or_default().push(id);
        }
        self.word_keys.push((own, other));
    }

    /// Names go with the key of their last word.
    pub(crate) fn name_key(&self, name: &str) -> String {
        let last = name.rsplit(' ').next().unwrap_or(name);
        shard_key(last, &self.split).to_string()
    }

    /// Phrases go with the key of their first word.
    pub(crate) fn phrase_keys(&self) -> Vec<String> {
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
    pub(crate) fn write_shards(&mut self, keys: FxHashSet<String>, emit: Option<Emit>) {
        let keys: Vec<String> = keys.into_iter().collect();
        // (key, path, Some((size, bytes unless emitted)) or None when the shard is empty).
        type Made = (String, String, Option<(usize, Option<Vec<u8>>)>);
        let made: Vec<Made> = keys
            .into_par_iter()
            .map(|key| {
                let path = format!("search/t/{}.json", key_file(&key));
                let made = self.shard(&key).map(|bytes| match emit {
                    Some(emit) => {
                        let size = bytes.len();
                        emit(&path, Arc::new(bytes));
                        (size, None)
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

    /// Makes the typo vocabulary's files again (small: one word per entry, no postings).
    pub(crate) fn write_vocabulary(&mut self, emit: Option<Emit>) {
        let made = vocabulary::files(&self.index);
        for k in self.vocabulary_sizes.keys() {
            if !made.iter().any(|(m, _, _)| m == k) {
                self.files.remove(&vocabulary::path(k));
            }
        }
        self.vocabulary_sizes.clear();
        for (k, count, bytes) in made {
            let bytes = Arc::new(bytes);
            match emit {
                Some(emit) => emit(&vocabulary::path(&k), bytes),
                None => _ = self.files.insert(vocabulary::path(&k), bytes),
            }
            self.vocabulary_sizes.insert(k, count);
        }
    }

    pub(crate) fn write_manifest(&mut self, site: &Site, emit: Option<Emit>) {
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
            "{{\"version\":{VERSION},\"articles\":{},\"causes\":{},\"mentions\":{},\"chunks\":{{\"a\":{ARTICLE_CHUNK},\"c\":{CAUSE_CHUNK},\"m\":{MENTION_CHUNK},\"s\":{SECTION_CHUNK}}},\"synonyms\":{},\"phrases\":{},\"stop_words\":{},\"stemmer\":{},\"vocabulary\":{},\"split\":{},\"shards\":{{",
            self.order.articles.len(),
            self.order.causes.len(),
            serde_json::to_string(&self.order.counts).expect("numbers serialise"),
            serde_json::to_string(&site.config.search.synonyms).expect("strings serialise"),
            serde_json::to_string(&present).expect("strings serialise"),
            serde_json::to_string(stop_words::for_language(&site.config.language))
                .expect("strings serialise"),
            self.stemmer.json(),
            serde_json::to_string(&self.vocabulary_sizes).expect("numbers serialise"),
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
            Some(emit) => emit("search/manifest.json", Arc::new(man.into_bytes())),
            None => {
                self.files
                    .insert("search/manifest.json".into(), Arc::new(man.into_bytes()));
            }
        }
    }
}

/// Every record chunk: handed to `emit` when given (and not returned), else returned.
fn all_chunks(
    site: &Site,
    order: &Order,
    causes_of: &[Vec<usize>],
    emit: Option<Emit>,
) -> Vec<(String, Arc<Vec<u8>>)> {
    let heads = heads(site);
    let made = chunk_jobs(order)
        .into_par_iter()
        .map(|(kind, n)| chunk(site, order, causes_of, Some(&heads), kind, n));
    match emit {
        Some(emit) => {
            made.for_each(|(path, bytes)| emit(&path, bytes));
            Vec::new()
        }
        None => made.collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::search::testing::{json, numbers, sample};
    use crate::test_site::{article, site};

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
        assert_eq!(man["version"], 2);
        assert_eq!(man["stop_words"][0], "a");
        let lengths = man["vocabulary"].as_object().expect("vocabulary sizes");
        for (k, count) in lengths {
            let list = json(&files, &super::vocabulary::path(k));
            assert_eq!(
                list.as_array().map(Vec::len),
                count.as_u64().map(|c| c as usize)
            );
        }
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
        let kept = State::new(&site, SPLIT_BYTES, false, None).files;
        State::new(
            &site,
            SPLIT_BYTES,
            false,
            Some(&|path, bytes| {
                emitted
                    .lock()
                    .unwrap()
                    .push((path.to_string(), bytes.to_vec()))
            }),
        );
        let mut emitted = emitted.into_inner().unwrap();
        emitted.sort();
        let kept: Vec<(String, Vec<u8>)> = kept.into_iter().map(|(p, b)| (p, b.to_vec())).collect();
        assert_eq!(emitted, kept);
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
}

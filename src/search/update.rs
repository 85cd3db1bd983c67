//! The sharded index kept between rebuilds while `serve` runs: reused when nothing it is made
//! from changed, brought up to date when only articles' front matter changed and every
//! article keeps its number, else made again.

use std::collections::BTreeSet;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use crate::site::{Revision, Site};

use super::encode::code;
use super::fields::{ArticleWords, CauseWords, KeptWords, article_words};
use super::order::order;
use super::postings::phrase_codes;
use super::records::{ARTICLE_CHUNK, MENTION_CHUNK, SECTION_CHUNK, chunk};
use super::shards::{Emit, SPLIT_BYTES, State, size_of};
use super::words::first_chars;

/// A cause's slug, name, other names and mentions.
type CauseInputs = (String, String, Vec<String>, Vec<(usize, usize)>);

/// What the shards were made from: each article's path and [`Revision`], each cause's names
/// and mentions, the synonyms.
#[derive(PartialEq)]
struct Inputs {
    articles: Vec<(String, Revision)>,
    causes: Vec<CauseInputs>,
    synonyms: Vec<Vec<String>>,
}

impl Inputs {
    fn of(site: &Site) -> Inputs {
        Inputs {
            articles: site
                .articles
                .iter()
                .map(|a| (a.path.clone(), a.revision))
                .collect(),
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

/// The shards of the last site. A one-off build's cache (the default) keeps nothing; one
/// made with [`ShardCache::kept`], as `serve` does, keeps them between rebuilds.
#[derive(Default)]
pub struct ShardCache {
    keep: bool,
    inputs: Option<Inputs>,
    state: Option<State>,
}

impl ShardCache {
    pub fn kept() -> ShardCache {
        ShardCache {
            keep: true,
            ..ShardCache::default()
        }
    }
}

/// Hands every file of the sharded index to `emit`, in no particular order (the same site
/// always gives the same files). A one-off build's cache holds nothing: each file is handed
/// out as soon as it is made, never held. A kept cache reuses everything when nothing the
/// files are made from changed (an edit to an article's body, a template, a static file);
/// when only articles' front matter changed and every article keeps its number, only the
/// shards and chunks those articles are in are made again; otherwise everything is.
pub fn write_files(site: &Site, cache: &mut ShardCache, emit: Emit) {
    if !cache.keep {
        State::new(site, SPLIT_BYTES, false, Some(emit));
        return;
    }
    let now = Inputs::of(site);
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
        cache.state = Some(match (cache.state.take(), &cache.inputs) {
            (Some(old), Some(inputs)) => State::renewed(site, SPLIT_BYTES, old, &inputs.articles),
            _ => State::new(site, SPLIT_BYTES, true, None),
        });
    }
    cache.inputs = Some(now);
    let st = cache.state.as_ref().expect("made above");
    for (path, bytes) in &st.files {
        emit(path, bytes.clone());
    }
}

/// The files [`write_files`] hands out, collected in memory and sorted by path.
pub fn collect_files(site: &Site, cache: &mut ShardCache) -> Vec<(String, Arc<Vec<u8>>)> {
    let made = std::sync::Mutex::new(Vec::new());
    write_files(site, cache, &|path, bytes| {
        made.lock()
            .unwrap_or_else(|p| p.into_inner())
            .push((path.to_string(), bytes))
    });
    let mut made = made.into_inner().unwrap_or_else(|p| p.into_inner());
    made.sort();
    made
}

#[cfg(test)]
use collect_files as files_cached;

/// Changes to postings: (word or phrase, code, whether added rather than removed).
type Ops<T> = Vec<(T, u32, bool)>;

/// What an edit to some articles changes: word, name and phrase postings, and the record
/// chunks the articles are in.
#[derive(Default)]
struct Edits {
    words: Ops<String>,
    names: Ops<String>,
    phrases: Ops<usize>,
    chunks: BTreeSet<(u8, usize)>,
}

/// The changes from `old` to `new` words (word, field), for each of the documents `docs`.
fn diff(old: &[(String, u8)], new: &[(String, u8)], docs: &[u32], ops: &mut Ops<String>) {
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
}

impl State {
    /// Brings the files up to date after the front matter of the articles `changed` (site
    /// indices) changed, the numbering and the causes staying the same. False when a shard
    /// must now be split or merged: then everything is made again.
    fn update(&mut self, site: &Site, changed: &[usize]) -> bool {
        let mut edits = Edits::default();
        for &i in changed {
            self.edit(site, i, &mut edits);
        }
        let Some(mut keys) = self.apply_words(edits.words) else {
            return false;
        };
        self.apply_names(edits.names, &mut keys);
        if !edits.phrases.is_empty() {
            self.apply_phrases(edits.phrases);
            keys.extend(self.phrase_keys());
        }
        self.write_shards(keys, None);
        let made: Vec<(String, Arc<Vec<u8>>)> = edits
            .chunks
            .into_par_iter()
            .map(|(kind, n)| chunk(site, &self.order, &self.causes_of, None, kind, n))
            .collect();
        self.files.extend(made);
        self.write_vocabulary(None);
        self.write_manifest(site, None);
        true
    }

    /// Takes in the new words of article `i` and notes what they change.
    fn edit(&mut self, site: &Site, i: usize, edits: &mut Edits) {
        self.dates[i] = site.articles[i].last_change();
        let no = self.order.article_no[i];
        let mentions = self.mention_no[i].clone();
        let causes: Vec<&CauseWords> = site.articles[i]
            .cause_ids
            .iter()
            .map(|&c| &self.cause_words[c])
            .collect();
        let a = &site.articles[i];
        let lexicon = super::words::Lexicon::of(&site.config.language);
        let new = article_words(&a.fm, &a.body.sections, &lexicon, &causes, &self.phrases);
        let old = std::mem::replace(&mut self.article_words[i], KeptWords::pack(&new)).unpack();
        let new = &new;
        let ops = &mut edits.words;
        diff(&old.best, &new.best, &[no], ops);
        diff(&old.body, &new.body, &[no], ops);
        diff(&old.context, &new.context, &mentions, ops);
        for (e, &j) in mentions.iter().enumerate() {
            let as_field = |ws: &[String]| ws.iter().map(|w| (w.clone(), 9)).collect::<Vec<_>>();
            diff(
                &as_field(&old.summaries[e]),
                &as_field(&new.summaries[e]),
                &[j],
                ops,
            );
        }
        if old.names != new.names {
            edits
                .names
                .extend(old.names.iter().map(|n| (n.clone(), no, false)));
            edits
                .names
                .extend(new.names.iter().map(|n| (n.clone(), no, true)));
        }
        if !self.phrases.is_empty() {
            edits.phrases.extend(phrase_edits(
                &old,
                new,
                no,
                &mentions,
                &self.phrases,
                lexicon.stemmer,
            ));
        }
        edits.chunks.insert((b'a', no as usize / ARTICLE_CHUNK));
        edits.chunks.insert((b's', no as usize / SECTION_CHUNK));
        edits
            .chunks
            .extend(mentions.iter().map(|&j| (b'm', j as usize / MENTION_CHUNK)));
    }

    /// Applies the changes to word postings; returns the keys of the shards they touch, or
    /// None when a two-letter group must now be split or merged.
    fn apply_words(&mut self, ops: Ops<String>) -> Option<FxHashSet<String>> {
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
        let resplit = groups
            .iter()
            .any(|g| (self.group_size[g] > self.split_bytes) != self.split.contains(g));
        (!resplit).then_some(keys)
    }

    /// Applies the changes to names, adding the keys of the shards they touch to `keys`.
    fn apply_names(&mut self, ops: Ops<String>, keys: &mut FxHashSet<String>) {
        for (n, doc, add) in ops {
            let key = self.name_key(&n);
            let list = self.key_names.entry(key.clone()).or_default();
            if add {
                list.push((n, doc));
            } else if let Some(at) = list.iter().position(|e| e.0 == n && e.1 == doc) {
                list.swap_remove(at);
            }
            keys.insert(key);
        }
    }

    /// Applies the changes to phrase postings.
    fn apply_phrases(&mut self, ops: Ops<usize>) {
        for (k, c, add) in ops {
            let p = &mut self.index.phrase_postings[k];
            if add {
                p.push(c);
            } else if let Some(at) = p.iter().position(|&x| x == c) {
                p.swap_remove(at);
            }
        }
    }
}

/// The changes to phrase postings from an article's `old` words to its `new` ones: all its
/// codes out and in again when any differ, else none.
fn phrase_edits(
    old: &ArticleWords,
    new: &ArticleWords,
    no: u32,
    mentions: &[u32],
    phrases: &[Vec<String>],
    stemmer: super::words::Stemmer,
) -> Ops<usize> {
    let before = phrase_codes(old, no, mentions, phrases, stemmer);
    let after = phrase_codes(new, no, mentions, phrases, stemmer);
    if before == after {
        return Vec::new();
    }
    let mut ops: Ops<usize> = before.into_iter().map(|(k, c)| (k, c, false)).collect();
    ops.extend(after.into_iter().map(|(k, c)| (k, c, true)));
    ops
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    use crate::config::Config;
    use crate::date::Date;
    use crate::search::shards::files;
    use crate::search::testing::sample;
    use crate::test_site::article;

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
        let mut cache = ShardCache::kept();
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
        // A cause added to an article renumbers the mentions: made again, with the words of
        // the articles that did not change taken over.
        write(
            "content/feet.md",
            &article(
                "Foot Spasms",
                "2026-11-02",
                &["Dehydration", "Stress"],
                "symptoms: [a charley horse]\n",
            ),
        );
        check(&mut cache, &mut site_cache, "a cause added");
        // Another name for a cause changes the words of every article that names it,
        // edited or not.
        write(
            "content/feet.md",
            &article(
                "Foot Spasms",
                "2026-11-02",
                &["Dehydration", "Stress"],
                "symptoms: [a charley horse]\n",
            )
            .replace(
                "  - name: Stress\n",
                "  - name: Stress\n    also_known_as: [worry zebra]\n",
            ),
        );
        check(&mut cache, &mut site_cache, "another name for a cause");
    }

    #[test]
    fn the_cache_reuses_files_while_inputs_are_the_same() {
        let site = sample();
        let mut cache = ShardCache::kept();
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

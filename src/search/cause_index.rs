//! `cause-index.json`, version 1: the reverse index from causes to the articles and sections
//! that explain them, read by the search page in the browser.
//!
//! The file is assembled from one JSON fragment per article and per cause. Fragments are
//! made in parallel, and [`IndexCache`] keeps them between rebuilds while what they were
//! made from has the same [`Revision`], so an edit re-serialises only what it touched.

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::content::frontmatter::RedFlag;
use crate::render::context::cause_path;
use crate::site::{Article, Cause, Revision, Site};

use super::encode::to_vec;

/// An article as the index and the search shards show it.
#[derive(Debug, Serialize)]
pub(crate) struct IndexArticle<'a> {
    url: &'a str,
    title: &'a str,
    condition: Option<&'a str>,
    also_known_as: &'a [String],
    description: &'a str,
    tags: &'a [String],
    symptoms: &'a [String],
    updated: Option<String>,
    see_a_doctor: &'a [RedFlag],
}

#[derive(Debug, Serialize)]
struct IndexCause<'a> {
    slug: &'a str,
    name: &'a str,
    also_known_as: &'a [String],
    url: String,
    mentions: Vec<IndexMention<'a>>,
    /// The same cause in the site's other languages (a site in several languages only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    translations: Vec<IndexTranslation>,
}

/// A cause's page in another language: its URL relative to this language's root, as every
/// URL of the index is (`../causes/dehydration/` from `es/cause-index.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct IndexTranslation {
    language: String,
    url: String,
}

#[derive(Debug, Serialize)]
struct IndexMention<'a> {
    article: usize,
    group: Option<&'a str>,
    summary: Option<&'a str>,
    anchor: Option<&'a str>,
}

impl<'a> IndexArticle<'a> {
    pub(crate) fn new(a: &'a Article) -> Self {
        IndexArticle {
            url: &a.path,
            title: &a.fm.title,
            condition: a.fm.condition.as_deref(),
            also_known_as: &a.fm.also_known_as,
            description: &a.fm.description,
            tags: &a.fm.tags,
            symptoms: &a.fm.symptoms,
            updated: a.last_change().map(|d| d.to_string()),
            see_a_doctor: &a.fm.see_a_doctor,
        }
    }
}

fn article_json(a: &Article) -> Vec<u8> {
    to_vec(&IndexArticle::new(a))
}

/// The pages of cause `c` of `site` in the other languages of the site.
fn cause_translations(site: &Site, c: usize) -> Vec<IndexTranslation> {
    let t = &site.translations;
    if t.languages.len() < 2 {
        return Vec::new();
    }
    let own = t.index_of(&site.config.language);
    let up = "../".repeat(site.config.output_prefix().matches('/').count());
    (t.cause(site, own, c).iter())
        .filter(|(lang, _)| *lang != own)
        .map(|(lang, path)| IndexTranslation {
            language: t.languages[*lang].0.clone(),
            url: format!("{up}{path}"),
        })
        .collect()
}

/// Mentions are in article order (the model adds them that way).
fn cause_json(site: &Site, c: &Cause, translations: Vec<IndexTranslation>) -> Vec<u8> {
    to_vec(&IndexCause {
        translations,
        slug: &c.slug,
        name: &c.name,
        also_known_as: &c.also_known_as,
        url: cause_path(c),
        mentions: c
            .mentions
            .iter()
            .map(|&(ai, ei)| {
                let a = &site.articles[ai];
                let entry = &a.fm.causes[ei];
                IndexMention {
                    article: ai,
                    group: entry.group.as_deref(),
                    summary: entry.summary.as_deref(),
                    anchor: a.cause_anchors()[ei].as_deref(),
                }
            })
            .collect(),
    })
}

/// Fragments kept between rebuilds, by article path and cause slug, each with what it was
/// made from: the article's URL and [`Revision`], a cause's names and, for each mention, the
/// article's place and revision.
#[derive(Default)]
pub struct IndexCache {
    keep: bool,
    articles: FxHashMap<String, (ArticleKey, Arc<Vec<u8>>)>,
    causes: FxHashMap<String, (CauseKey, Arc<Vec<u8>>)>,
}

/// An article's URL and revision.
type ArticleKey = (String, Revision);
/// A cause's name, other names, for each mention the article's place and revision, and its
/// pages in other languages.
type CauseKey = (
    String,
    Vec<String>,
    Vec<(usize, usize, Revision)>,
    Vec<IndexTranslation>,
);

fn cause_key(site: &Site, c: &Cause, translations: Vec<IndexTranslation>) -> CauseKey {
    (
        c.name.clone(),
        c.also_known_as.clone(),
        c.mentions
            .iter()
            .map(|&(ai, ei)| (ai, ei, site.articles[ai].revision))
            .collect(),
        translations,
    )
}

impl IndexCache {
    /// A cache for `serve`, which keeps every fragment for the next rebuild.
    pub fn kept() -> IndexCache {
        IndexCache {
            keep: true,
            ..IndexCache::default()
        }
    }
}

/// How many fragments are made at once: a one-off build holds only this many (the whole
/// index is hundreds of megabytes at 100,000 articles).
const BATCH: usize = 4096;

/// Writes `cause-index.json` to `out`. Articles are in the model's order (sorted by URL),
/// causes by slug, mentions by article, so the same content always gives the same bytes.
/// URLs are relative to the site root. Fragments are made in parallel, a batch at a time;
/// a fragment `cache` holds for the same inputs is reused, and a cache that keeps
/// ([`IndexCache::kept`]) is brought up to date, so an edit re-serialises only what it
/// touched.
pub fn write_json(
    site: &Site,
    cache: &mut IndexCache,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    write_json_batched(site, cache, out, BATCH)
}

fn write_json_batched<W: std::io::Write>(
    site: &Site,
    cache: &mut IndexCache,
    out: &mut W,
    batch_size: usize,
) -> std::io::Result<()> {
    let keep = cache.keep;
    out.write_all(br#"{"version":1,"articles":["#)?;
    let mut first = true;
    for batch in site.articles.chunks(batch_size) {
        // (bytes, whether made now)
        let parts: Vec<(Arc<Vec<u8>>, bool)> = batch
            .par_iter()
            .map(|a| match cache.articles.get(&a.rel) {
                Some(((path, revision), bytes)) if *path == a.path && *revision == a.revision => {
                    (bytes.clone(), false)
                }
                _ => (Arc::new(article_json(a)), true),
            })
            .collect();
        if keep {
            for (a, (bytes, _)) in batch.iter().zip(&parts).filter(|(_, p)| p.1) {
                cache
                    .articles
                    .insert(a.rel.clone(), ((a.path.clone(), a.revision), bytes.clone()));
            }
        }
        write_joined(out, parts.iter().map(|p| p.0.as_slice()), &mut first)?;
    }
    out.write_all(br#"],"causes":["#)?;
    let mut first = true;
    for (b, batch) in site.causes.chunks(batch_size).enumerate() {
        let parts: Vec<(Arc<Vec<u8>>, Option<CauseKey>)> = batch
            .par_iter()
            .enumerate()
            .map(|(i, c)| {
                let translations = cause_translations(site, b * batch_size + i);
                let key = cause_key(site, c, translations.clone());
                match cache.causes.get(&c.slug) {
                    Some((old, bytes)) if *old == key => (bytes.clone(), None),
                    _ => (Arc::new(cause_json(site, c, translations)), Some(key)),
                }
            })
            .collect();
        if keep {
            for (c, (bytes, key)) in batch.iter().zip(&parts) {
                if let Some(key) = key {
                    cache
                        .causes
                        .insert(c.slug.clone(), (key.clone(), bytes.clone()));
                }
            }
        }
        write_joined(out, parts.iter().map(|p| p.0.as_slice()), &mut first)?;
    }
    out.write_all(br#"],"synonyms":"#)?;
    out.write_all(&to_vec(&site.config.search.synonyms))?;
    out.write_all(br#","stemmer":"#)?;
    out.write_all(
        super::words::Stemmer::of(&site.config.language)
            .json()
            .as_bytes(),
    )?;
    out.write_all(b"}\n")?;
    // Drop the fragments of articles and causes that are gone.
    if cache.articles.len() > site.articles.len() {
        let present: FxHashSet<&str> = site.articles.iter().map(|a| a.rel.as_str()).collect();
        cache
            .articles
            .retain(|rel, _| present.contains(rel.as_str()));
    }
    if cache.causes.len() > site.causes.len() {
        let present: FxHashSet<&str> = site.causes.iter().map(|c| c.slug.as_str()).collect();
        cache
            .causes
            .retain(|slug, _| present.contains(slug.as_str()));
    }
    Ok(())
}

/// Writes fragments separated by commas; `first` tells whether none was written before.
fn write_joined(
    out: &mut impl std::io::Write,
    parts: impl IntoIterator<Item = impl AsRef<[u8]>>,
    first: &mut bool,
) -> std::io::Result<()> {
    for part in parts {
        if !std::mem::take(first) {
            out.write_all(b",")?;
        }
        out.write_all(part.as_ref())?;
    }
    Ok(())
}

/// The index in memory, as a one-off build writes it.
#[cfg(test)]
pub(crate) fn to_json(site: &Site) -> Vec<u8> {
    let mut out = Vec::new();
    write_json(site, &mut IndexCache::default(), &mut out).expect("writing to memory");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_site::{article, site};

    #[test]
    fn streamed_index_is_the_index() {
        let articles: Vec<(String, String)> = (0..7)
            .map(|i| {
                let causes = ["Dehydration", "Stress", "Cold <b>air</b>"];
                let text = article(
                    &format!("Article {i}"),
                    "2026-11-02",
                    &causes[..1 + i % 3],
                    "",
                );
                (format!("s{}/a{i}.md", i % 2), text)
            })
            .collect();
        let site = site(&articles, "");
        let whole = to_json(&site);
        serde_json::from_slice::<serde_json::Value>(&whole).unwrap();
        let mut kept = IndexCache::kept();
        for batch in [1, 3, 7, 100] {
            let mut streamed = Vec::new();
            write_json_batched(&site, &mut IndexCache::default(), &mut streamed, batch).unwrap();
            assert_eq!(
                String::from_utf8(streamed).unwrap(),
                String::from_utf8(whole.clone()).unwrap()
            );
            // Reused fragments give the same bytes again.
            let mut streamed = Vec::new();
            write_json_batched(&site, &mut kept, &mut streamed, batch).unwrap();
            assert_eq!(
                String::from_utf8(streamed).unwrap(),
                String::from_utf8(whole.clone()).unwrap()
            );
        }
    }
}

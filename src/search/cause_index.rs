//! `cause-index.json`, version 1: the reverse index from causes to the articles and sections
//! that explain them, read by the search page in the browser.
//!
//! The file is assembled from one JSON fragment per article and per cause. Fragments are
//! made in parallel, and [`IndexCache`] keeps them between rebuilds while their inputs (the
//! article's front matter and derived data, shared through `Arc`) are the same objects, so
//! an edit re-serialises only what it touched.

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::content::frontmatter::{FrontMatter, RedFlag};
use crate::render::context::cause_path;
use crate::site::{Article, Cause, Derived, Site};

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

/// Mentions are in article order (the model adds them that way).
fn cause_json(site: &Site, c: &Cause) -> Vec<u8> {
    to_vec(&IndexCause {
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

/// What an article fragment was made from.
struct ArticleKey {
    path: String,
    fm: Arc<FrontMatter>,
}

/// What a cause fragment was made from: its names and, for each mention, the article's
/// place and the objects its text came from.
struct CauseKey {
    name: String,
    also_known_as: Vec<String>,
    mentions: Vec<(usize, usize, Arc<FrontMatter>, Arc<Derived>)>,
}

impl CauseKey {
    fn new(site: &Site, c: &Cause) -> Self {
        CauseKey {
            name: c.name.clone(),
            also_known_as: c.also_known_as.clone(),
            mentions: c
                .mentions
                .iter()
                .map(|&(ai, ei)| {
                    let a = &site.articles[ai];
                    (ai, ei, a.fm.clone(), a.derived.clone())
                })
                .collect(),
        }
    }

    fn matches(&self, site: &Site, c: &Cause) -> bool {
        self.name == c.name
            && self.also_known_as == c.also_known_as
            && self.mentions.len() == c.mentions.len()
            && self
                .mentions
                .iter()
                .zip(&c.mentions)
                .all(|((ai, ei, fm, d), &(bi, bj))| {
                    let b = &site.articles[bi];
                    *ai == bi && *ei == bj && Arc::ptr_eq(fm, &b.fm) && Arc::ptr_eq(d, &b.derived)
                })
    }
}

/// Fragments kept between rebuilds, by article path and cause slug.
#[derive(Default)]
pub(crate) struct IndexCache {
    articles: FxHashMap<String, (ArticleKey, Arc<Vec<u8>>)>,
    causes: FxHashMap<String, (CauseKey, Arc<Vec<u8>>)>,
}

/// The index as the bytes written to `cause-index.json`, in memory.
#[cfg(test)]
pub(crate) fn to_json(site: &Site) -> Vec<u8> {
    to_json_cached(site, &mut IndexCache::default())
}

/// Writes the bytes of `cause-index.json` to `out`. Articles are in the model's order (sorted
/// by URL), causes by slug, mentions by article, so the same content always gives the same
/// bytes. URLs are relative to the site root. Only a batch of fragments is held at a time: a
/// full build need not keep the whole index (hundreds of megabytes at 100,000 articles) in
/// memory.
pub fn write_json(site: &Site, out: &mut impl std::io::Write) -> std::io::Result<()> {
    write_json_batched(site, out, 4096)
}

fn write_json_batched<W: std::io::Write>(
    site: &Site,
    out: &mut W,
    batch_size: usize,
) -> std::io::Result<()> {
    let articles = |out: &mut W| {
        let mut first = true;
        for batch in site.articles.chunks(batch_size) {
            let parts: Vec<Vec<u8>> = batch.par_iter().map(article_json).collect();
            write_joined(out, &parts, &mut first)?;
        }
        Ok(())
    };
    let causes = |out: &mut W| {
        let parts: Vec<Vec<u8>> = site
            .causes
            .par_iter()
            .map(|c| cause_json(site, c))
            .collect();
        write_joined(out, &parts, &mut true)
    };
    write_index(site, out, articles, causes)
}

/// The file around its fragments: `{"version":1,"articles":[…],"causes":[…],"synonyms":…}`.
fn write_index<W: std::io::Write>(
    site: &Site,
    out: &mut W,
    articles: impl FnOnce(&mut W) -> std::io::Result<()>,
    causes: impl FnOnce(&mut W) -> std::io::Result<()>,
) -> std::io::Result<()> {
    out.write_all(br#"{"version":1,"articles":["#)?;
    articles(out)?;
    out.write_all(br#"],"causes":["#)?;
    causes(out)?;
    out.write_all(br#"],"synonyms":"#)?;
    out.write_all(&to_vec(&site.config.search.synonyms))?;
    out.write_all(b"}\n")
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

/// The index in memory, reusing and refreshing the fragments in `cache`.
#[cfg(test)]
pub(crate) fn to_json_cached(site: &Site, cache: &mut IndexCache) -> Vec<u8> {
    let mut out = Vec::new();
    write_json_cached(site, cache, &mut out);
    out
}

/// Writes the same bytes as [`write_json`] into `out`, reusing and refreshing the fragments
/// in `cache` (`out` is cleared first; its memory is reused, which matters for an
/// index of tens of megabytes rewritten after every edit).
pub(crate) fn write_json_cached(site: &Site, cache: &mut IndexCache, out: &mut Vec<u8>) {
    // Fragments whose inputs are unchanged are taken over with their keys; the others are
    // made again, in parallel.
    let fresh_articles: Vec<Option<Vec<u8>>> = site
        .articles
        .par_iter()
        .map(|a| {
            let valid = matches!(cache.articles.get(&a.rel),
                Some((key, _)) if key.path == a.path && Arc::ptr_eq(&key.fm, &a.fm));
            (!valid).then(|| article_json(a))
        })
        .collect();
    let fresh_causes: Vec<Option<Vec<u8>>> = site
        .causes
        .par_iter()
        .map(|c| {
            let valid = matches!(cache.causes.get(&c.slug), Some((key, _)) if key.matches(site, c));
            (!valid).then(|| cause_json(site, c))
        })
        .collect();

    // Replace what changed, then drop entries of articles and causes that are gone.
    let mut articles = Vec::with_capacity(site.articles.len());
    for (a, fresh) in site.articles.iter().zip(fresh_articles) {
        if let Some(bytes) = fresh {
            let key = ArticleKey {
                path: a.path.clone(),
                fm: a.fm.clone(),
            };
            cache.articles.insert(a.rel.clone(), (key, Arc::new(bytes)));
        }
        articles.push(cache.articles[&a.rel].1.clone());
    }
    if cache.articles.len() > site.articles.len() {
        let present: FxHashSet<&str> = site.articles.iter().map(|a| a.rel.as_str()).collect();
        cache
            .articles
            .retain(|rel, _| present.contains(rel.as_str()));
    }
    let mut causes = Vec::with_capacity(site.causes.len());
    for (c, fresh) in site.causes.iter().zip(fresh_causes) {
        if let Some(bytes) = fresh {
            cache
                .causes
                .insert(c.slug.clone(), (CauseKey::new(site, c), Arc::new(bytes)));
        }
        causes.push(cache.causes[&c.slug].1.clone());
    }
    if cache.causes.len() > site.causes.len() {
        let present: FxHashSet<&str> = site.causes.iter().map(|c| c.slug.as_str()).collect();
        cache
            .causes
            .retain(|slug, _| present.contains(slug.as_str()));
    }

    let size = articles
        .iter()
        .chain(&causes)
        .map(|b| b.len() + 1)
        .sum::<usize>()
        + 256;
    out.clear();
    out.reserve(size);
    write_index(
        site,
        out,
        |out| write_joined(out, articles.iter().map(|p| p.as_slice()), &mut true),
        |out| write_joined(out, causes.iter().map(|p| p.as_slice()), &mut true),
    )
    .expect("writing to memory cannot fail");
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
        for batch in [1, 3, 7, 100] {
            let mut streamed = Vec::new();
            write_json_batched(&site, &mut streamed, batch).unwrap();
            assert_eq!(
                String::from_utf8(streamed).unwrap(),
                String::from_utf8(whole.clone()).unwrap()
            );
        }
    }
}

//! Display records: what the search page shows of each article, cause and mention it lists,
//! and the text of each article's sections for the snippet of a match in the body, in
//! chunks of a fixed number of documents (`search/a|c|m|s/<n>.json`), fetched as results
//! need them.

use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::render::context::cause_path;
use crate::site::Site;

use super::cause_index::IndexArticle;
use super::encode::{json_str, to_vec};
use super::order::Order;

/// Articles, causes and mentions per display chunk.
pub(crate) const ARTICLE_CHUNK: usize = 16;
pub(crate) const CAUSE_CHUNK: usize = 128;
pub(crate) const MENTION_CHUNK: usize = 32;
/// Articles whose sections are in one chunk: a few, as each holds a whole article's text.
pub(crate) const SECTION_CHUNK: usize = 4;
/// How much of a section's text a record holds: enough for a snippet of what matched in
/// most sections, and a bound on what a result can fetch.
pub(crate) const SECTION_TEXT: usize = 2000;

/// An article as `cause-index.json` shows it, with its causes' names.
#[derive(Serialize)]
struct ArticleRecord<'a> {
    #[serde(flatten)]
    article: IndexArticle<'a>,
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

/// For each article (site index): its causes (site indices), in the order of their slugs.
pub(crate) fn causes_of(site: &Site) -> Vec<Vec<usize>> {
    let mut causes_of: Vec<Vec<usize>> = vec![Vec::new(); site.articles.len()];
    for (ci, c) in site.causes.iter().enumerate() {
        for &(a, _) in &c.mentions {
            causes_of[a].push(ci);
        }
    }
    causes_of
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

/// The head of each article's mentions (by site index), made once for all chunks.
pub(crate) fn heads(site: &Site) -> Vec<String> {
    (0..site.articles.len())
        .into_par_iter()
        .map(|a| head(site, a))
        .collect()
}

/// Every record chunk, as (kind, number): `a`, `c` and `m` for articles, causes, mentions.
pub(crate) fn chunk_jobs(order: &Order) -> Vec<(u8, usize)> {
    [
        (b'a', order.articles.len().div_ceil(ARTICLE_CHUNK)),
        (b'c', order.causes.len().div_ceil(CAUSE_CHUNK)),
        (b'm', order.mentions.len().div_ceil(MENTION_CHUNK)),
        (b's', order.articles.len().div_ceil(SECTION_CHUNK)),
    ]
    .iter()
    .flat_map(|&(kind, count)| (0..count).map(move |n| (kind, n)))
    .collect()
}

fn to_chunk<T: Serialize>(records: &[T]) -> Vec<u8> {
    let mut bytes = to_vec(records);
    bytes.push(b'\n');
    bytes
}

fn part<T>(all: &[T], n: usize, size: usize) -> &[T] {
    &all[n * size..((n + 1) * size).min(all.len())]
}

/// Record chunk `n` of kind `a`, `c` or `m`: its path and bytes. `heads` as [`heads`] makes
/// them, or None to make those of this chunk.
pub(crate) fn chunk(
    site: &Site,
    order: &Order,
    causes_of: &[Vec<usize>],
    heads: Option<&[String]>,
    kind: u8,
    n: usize,
) -> (String, Arc<Vec<u8>>) {
    let bytes = match kind {
        b'a' => article_chunk(site, order, causes_of, n),
        b'c' => cause_chunk(site, order, n),
        b's' => section_chunk(site, order, n),
        _ => mention_chunk(site, order, heads, n),
    };
    (format!("search/{}/{n}.json", kind as char), Arc::new(bytes))
}

fn article_chunk(site: &Site, order: &Order, causes_of: &[Vec<usize>], n: usize) -> Vec<u8> {
    to_chunk(
        &part(&order.articles, n, ARTICLE_CHUNK)
            .iter()
            .map(|&i| {
                let a = &site.articles[i];
                ArticleRecord {
                    article: IndexArticle::new(a),
                    causes: causes_of[i]
                        .iter()
                        .map(|&c| site.causes[c].name.as_str())
                        .collect(),
                }
            })
            .collect::<Vec<_>>(),
    )
}

fn cause_chunk(site: &Site, order: &Order, n: usize) -> Vec<u8> {
    to_chunk(
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
    )
}

/// For each article of the chunk, its sections as `[id, heading, text]` (the id `""` for the
/// text before the first heading), the text cut at a word boundary after [`SECTION_TEXT`]
/// characters.
fn section_chunk(site: &Site, order: &Order, n: usize) -> Vec<u8> {
    let articles = part(&order.articles, n, SECTION_CHUNK);
    let size: usize = (articles.iter())
        .flat_map(|&i| &site.articles[i].body.sections)
        .map(|s| s.heading.len() + s.text.len().min(2 * SECTION_TEXT) + 32)
        .sum();
    let mut out = String::with_capacity(size + 8);
    out.push('[');
    for (k, &i) in articles.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        out.push('[');
        for (j, s) in site.articles[i].body.sections.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push('[');
            json_str(&mut out, s.id.as_deref().unwrap_or(""));
            out.push(',');
            json_str(&mut out, &s.heading);
            out.push(',');
            json_str(&mut out, cut(&s.text, SECTION_TEXT));
            out.push(']');
        }
        out.push(']');
    }
    out.push_str("]\n");
    out.into_bytes()
}

/// `text` up to the first space after `max` characters.
fn cut(text: &str, max: usize) -> &str {
    // A text of at most `max` bytes has at most `max` characters: most sections.
    if text.len() <= max {
        return text;
    }
    match text.char_indices().nth(max) {
        Some((at, _)) => text[at..].find(' ').map_or(text, |sp| &text[..at + sp]),
        None => text,
    }
}

/// Written by hand: an article's part of its mentions is escaped once (`heads`).
fn mention_chunk(site: &Site, order: &Order, heads: Option<&[String]>, n: usize) -> Vec<u8> {
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

//! `cause-index.json`, version 1: the reverse index from causes to the articles and sections
//! that explain them, read by the search page in the browser.

use serde::Serialize;

use crate::content::frontmatter::RedFlag;
use crate::render::context::cause_path;
use crate::site::Site;

#[derive(Debug, Serialize)]
pub struct CauseIndex<'a> {
    pub version: u32,
    pub articles: Vec<IndexArticle<'a>>,
    pub causes: Vec<IndexCause<'a>>,
    pub synonyms: &'a [Vec<String>],
}

#[derive(Debug, Serialize)]
pub struct IndexArticle<'a> {
    pub url: &'a str,
    pub title: &'a str,
    pub condition: Option<&'a str>,
    pub also_known_as: &'a [String],
    pub description: &'a str,
    pub tags: &'a [String],
    pub symptoms: &'a [String],
    pub updated: Option<String>,
    pub see_a_doctor: &'a [RedFlag],
}

#[derive(Debug, Serialize)]
pub struct IndexCause<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub also_known_as: &'a [String],
    pub url: String,
    pub mentions: Vec<IndexMention<'a>>,
}

#[derive(Debug, Serialize)]
pub struct IndexMention<'a> {
    pub article: usize,
    pub group: Option<&'a str>,
    pub summary: Option<&'a str>,
    pub anchor: Option<&'a str>,
}

/// Builds the index. Articles are in the model's order (sorted by URL), causes by slug,
/// mentions by article, so the same content always gives the same bytes. URLs are relative
/// to the site root.
pub fn build(site: &Site) -> CauseIndex<'_> {
    CauseIndex {
        version: 1,
        articles: site
            .articles
            .iter()
            .map(|a| IndexArticle {
                url: &a.path,
                title: &a.fm.title,
                condition: a.fm.condition.as_deref(),
                also_known_as: &a.fm.also_known_as,
                description: &a.fm.description,
                tags: &a.fm.tags,
                symptoms: &a.fm.symptoms,
                updated: a.last_change().map(|d| d.to_string()),
                see_a_doctor: &a.fm.see_a_doctor,
            })
            .collect(),
        causes: site
            .causes
            .iter()
            .map(|c| {
                let mut mentions: Vec<IndexMention> = c
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
                    .collect();
                mentions.sort_by_key(|m| m.article);
                IndexCause {
                    slug: &c.slug,
                    name: &c.name,
                    also_known_as: &c.also_known_as,
                    url: cause_path(c),
                    mentions,
                }
            })
            .collect(),
        synonyms: &site.config.search.synonyms,
    }
}

/// The index as the bytes written to `cause-index.json`.
pub fn to_json(site: &Site) -> Vec<u8> {
    let mut bytes = serde_json::to_vec(&build(site)).expect("the index always serialises");
    bytes.push(b'\n');
    bytes
}

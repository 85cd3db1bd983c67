//! The order of documents: how articles, causes and mentions are numbered in the shards.

use crate::date::Date;
use crate::site::Site;

/// Documents are numbered in the order the search breaks ties in: articles by last update
/// (newest first) then URL, causes by their newest article then slug, mentions by cause and
/// then by their article's number. So the browser needs no ranking tables.
#[derive(PartialEq)]
pub(crate) struct Order {
    /// Article number → index in `site.articles`.
    pub(crate) articles: Vec<usize>,
    /// Index in `site.articles` → article number.
    pub(crate) article_no: Vec<u32>,
    /// Cause number → index in `site.causes`.
    pub(crate) causes: Vec<usize>,
    /// Mention number → (cause index, article index, entry index), all in `site` terms.
    pub(crate) mentions: Vec<(usize, usize, usize)>,
    /// Mentions per cause, by cause number.
    pub(crate) counts: Vec<u32>,
}

pub(crate) fn order(site: &Site) -> Order {
    // Dates compare as their ISO strings do in the browser; no date comes before any date.
    let updated: Vec<Option<Date>> = site.articles.iter().map(|a| a.last_change()).collect();
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
    let newest: Vec<Option<Date>> = site
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

impl Order {
    /// For each article (site index) and cause entry: the mention's number.
    pub(crate) fn mention_numbers(&self, site: &Site) -> Vec<Vec<u32>> {
        let mut mention_no: Vec<Vec<u32>> = site
            .articles
            .iter()
            .map(|a| vec![0; a.fm.causes.len()])
            .collect();
        for (no, &(_, a, e)) in self.mentions.iter().enumerate() {
            mention_no[a][e] = no as u32;
        }
        mention_no
    }
}

//! The plain, serialisable values templates receive (documented in docs/themes.md).
//! Built from the site model; templates never see the model itself.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::content::frontmatter::Urgency;
use crate::date::Date;
use crate::i18n::Catalogue;
use crate::images::{self, Placed};
use crate::site::{Article, Cause, Section, Site, Tag};

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DateValue {
    pub iso: String,
    pub text: String,
}

impl DateValue {
    /// The date in ISO form and in the words of `labels` ("20 November 2026", "20 de
    /// noviembre de 2026").
    pub fn new(d: Date, labels: &Catalogue) -> Self {
        let month = labels.get(&format!("month_{}", d.month));
        let text = labels
            .text(
                "date_format",
                None,
                &[
                    ("day", &d.day.to_string()),
                    ("month", &month),
                    ("year", &d.year.to_string()),
                ],
            )
            .unwrap_or_else(|| d.long_text());
        DateValue {
            iso: d.to_string(),
            text,
        }
    }
}

fn date(d: Option<Date>, labels: &Catalogue) -> Option<DateValue> {
    d.map(|d| DateValue::new(d, labels))
}

#[derive(Debug, Clone, Serialize)]
pub struct SiteContext {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub base_path: String,
    pub language: String,
    /// `ltr`, or `rtl` for a language written right to left.
    pub dir: &'static str,
    /// The language as Open Graph writes a locale: `en_GB`.
    pub og_locale: String,
    pub disclaimer: Option<String>,
    pub sections: Vec<Link>,
    pub search_index_url: String,
    /// The link of each static file with its version (`/health/style.css?v=3f9a…`), by its
    /// path below the site root: for links a host may cache for a long time.
    pub assets: BTreeMap<String, String>,
    /// **(HTML)** An import map that gives each JavaScript module its versioned link, so that
    /// modules importing each other (`./search-core.js`) get the version too; for a
    /// `<script type="importmap">` element.
    pub import_map: String,
}

impl SiteContext {
    pub fn new(site: &Site) -> Self {
        let c = &site.config;
        let mut sections: Vec<Link> = site.sections[0]
            .subsections
            .iter()
            .map(|&i| section_link(site, &site.sections[i]))
            .collect();
        sections.sort_by_key(|l| l.title.to_lowercase());
        SiteContext {
            title: c.title.clone(),
            description: c.description.clone(),
            base_url: c.base_url.clone(),
            base_path: site.base_path().to_string(),
            language: c.language.clone(),
            dir: crate::language::direction(&c.language),
            og_locale: crate::language::og_locale(&c.language),
            disclaimer: c.disclaimer.clone(),
            sections,
            search_index_url: site.url("cause-index.json"),
            assets: (site.asset_versions.iter())
                .map(|(path, v)| {
                    let url = site.file_url(&crate::site::percent_encode_path(path));
                    (path.clone(), format!("{url}?v={v}"))
                })
                .collect(),
            import_map: import_map(site),
        }
    }
}

/// `{"imports":{"/health/js/search-core.js":"/health/js/search-core.js?v=…"}}`, escaped for a
/// `<script>` element.
fn import_map(site: &Site) -> String {
    let imports: serde_json::Map<String, serde_json::Value> = (site.asset_versions.iter())
        .filter(|(path, _)| path.ends_with(".js") || path.ends_with(".mjs"))
        .map(|(path, v)| {
            let url = site.file_url(&crate::site::percent_encode_path(path));
            (url.clone(), format!("{url}?v={v}").into())
        })
        .collect();
    crate::render::jsonld::escape_for_script(&serde_json::json!({ "imports": imports }).to_string())
}

#[derive(Debug, Clone, Serialize)]
pub struct PageContext {
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    pub url: String,
    pub permalink: String,
    pub breadcrumbs: Vec<Link>,
    pub jsonld: Option<String>,
    /// The picture link previews show: the article's, else the site's.
    pub image: Option<ImageValue>,
    /// The same page in every language that has it, this one included; empty when only
    /// one language has it.
    pub alternates: Vec<Alternate>,
}

/// The page in one language, for `hreflang` links and the language switcher.
#[derive(Debug, Clone, Serialize)]
pub struct Alternate {
    /// The language tag (`es`).
    pub lang: String,
    /// The language's name in that language (`Español`), from its catalogue.
    pub name: String,
    /// The text direction of the name.
    pub dir: &'static str,
    pub url: String,
    pub permalink: String,
    /// Whether this is the page being rendered.
    pub current: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct TagValue {
    pub name: String,
    pub slug: String,
    pub url: String,
}

pub fn tag_value(site: &Site, tag: &Tag) -> TagValue {
    TagValue {
        name: tag.name.clone(),
        slug: tag.slug.clone(),
        url: site.url(&tag_path(tag)),
    }
}

pub use crate::site::paths::{cause_path, tag_path};

#[derive(Debug, Clone, Serialize)]
pub struct ArticleSummary {
    pub title: String,
    pub url: String,
    pub description: String,
    pub condition: Option<String>,
    pub date: Option<DateValue>,
    pub updated: Option<DateValue>,
    pub tags: Vec<TagValue>,
}

/// What the pages of one rendering pass share: the labels of their language, and article
/// summaries, each made at most once and then shared by every page that lists the article (a
/// `tera::Value` is cloned by reference count).
pub struct Summaries {
    made: Vec<std::sync::OnceLock<tera::Value>>,
    pub labels: Arc<Catalogue>,
}

impl Summaries {
    pub fn new(site: &Site, labels: Arc<Catalogue>) -> Self {
        Summaries {
            made: (0..site.articles.len())
                .map(|_| std::sync::OnceLock::new())
                .collect(),
            labels,
        }
    }

    /// The summary of article `i`.
    pub fn get(&self, site: &Site, i: usize) -> tera::Value {
        self.made[i]
            .get_or_init(|| {
                tera::Value::from_serializable(&summary(site, &site.articles[i], &self.labels))
            })
            .clone()
    }
}

pub fn summary(site: &Site, a: &Article, labels: &Catalogue) -> ArticleSummary {
    ArticleSummary {
        title: a.fm.title.clone(),
        url: site.url(&a.path),
        description: a.fm.description.clone(),
        condition: a.fm.condition.clone(),
        date: date(a.fm.date, labels),
        updated: date(a.fm.updated, labels),
        tags: a
            .tags
            .iter()
            .map(|&t| tag_value(site, &site.tags[t]))
            .collect(),
    }
}

pub fn section_link(site: &Site, s: &Section) -> Link {
    Link {
        title: s.title.clone(),
        url: site.url(&s.path),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ReviewValue {
    pub by: String,
    pub date: DateValue,
    pub next: Option<DateValue>,
    pub overdue: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct CauseMention {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub group: Option<String>,
    pub summary: Option<String>,
    pub also_known_as: Vec<String>,
    pub anchor: Option<String>,
    pub href: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CauseGroup {
    pub name: Option<String>,
    pub href: Option<String>,
    pub causes: Vec<CauseMention>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RedFlagGroup {
    pub urgency: &'static str,
    pub label: String,
    pub items: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceValue {
    pub title: String,
    pub publisher: Option<String>,
    pub url: Option<String>,
}

/// An image as templates get it.
#[derive(Debug, Clone, Serialize)]
pub struct ImageValue {
    /// The link a page writes (under the site's base path), or the external URL.
    pub url: String,
    /// The absolute URL, for link previews.
    pub permalink: String,
    pub alt: String,
    /// In pixels, when the file is published by the site.
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// The image an article names, or None.
pub fn article_image(site: &Site, a: &Article) -> Option<ImageValue> {
    Some(image_value(
        site,
        a.image.as_ref()?,
        &a.fm.image.as_ref()?.alt,
    ))
}

/// The image link previews of a page show: the article's own, else the site's.
pub fn page_image(site: &Site, article: Option<&Article>) -> Option<ImageValue> {
    article.and_then(|a| article_image(site, a)).or_else(|| {
        Some(image_value(
            site,
            site.image.as_ref()?,
            &site.config.image.as_ref()?.alt,
        ))
    })
}

fn image_value(site: &Site, placed: &Placed, alt: &str) -> ImageValue {
    let size = match placed {
        Placed::Published(path) => site.image_sizes.get(path),
        Placed::External(_) => None,
    };
    let url = images::url(placed, site.config.root_path());
    let permalink = match placed {
        Placed::Published(path) => site.file_permalink(&crate::site::percent_encode_path(path)),
        Placed::External(u) => u.clone(),
    };
    ImageValue {
        url,
        permalink,
        alt: alt.to_string(),
        width: size.map(|s| s.width),
        height: size.map(|s| s.height),
    }
}

/// A writer, as templates get them.
#[derive(Debug, Clone, Serialize)]
pub struct AuthorValue {
    pub id: String,
    pub name: String,
    pub credentials: Option<String>,
    pub job_title: Option<String>,
    /// Their page: a link under the site's base path, or an https:// URL.
    pub url: Option<String>,
}

/// The authors an article names, in its order.
pub fn authors(site: &Site, a: &Article) -> Vec<AuthorValue> {
    (a.fm.authors.iter())
        .filter_map(|id| {
            let au = site.config.authors.get(id)?;
            Some(AuthorValue {
                id: id.clone(),
                name: au.name.clone(),
                credentials: au.credentials.clone(),
                job_title: au.job_title.clone(),
                url: au.url.as_deref().map(|u| match u.strip_prefix('/') {
                    Some(path) if !u.starts_with("//") => site.file_url(path),
                    _ => u.to_string(),
                }),
            })
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleContext {
    pub title: String,
    pub description: String,
    pub condition: Option<String>,
    /// What the article is about: `condition`, `symptom`, `risk`, `procedure` or `plant`.
    pub kind: &'static str,
    pub also_known_as: Vec<String>,
    pub url: String,
    pub permalink: String,
    pub path: String,
    pub date: Option<DateValue>,
    pub updated: Option<DateValue>,
    pub reviewed: Option<ReviewValue>,
    pub authors: Vec<AuthorValue>,
    pub image: Option<ImageValue>,
    pub tags: Vec<TagValue>,
    pub symptoms: Vec<String>,
    pub cause_groups: Vec<CauseGroup>,
    pub causes: Vec<CauseMention>,
    pub red_flags: Vec<RedFlagGroup>,
    pub related: Vec<tera::Value>,
    pub sources: Vec<SourceValue>,
    pub section: Option<Link>,
    pub toc: Vec<TocEntry>,
    pub content: String,
    /// The id of the writer's own "when to get help" heading (`## When to see a GP`), when
    /// the article has red flags: the care cards then go at the end of that section, not in
    /// one of their own.
    pub help_heading: Option<String>,
    /// `content` up to the end of that section, and the rest (both empty when there is none).
    pub content_before_help: String,
    pub content_after_help: String,
    pub reading_minutes: usize,
    pub extra: serde_json::Value,
}

/// The mentions of an article's causes, in front-matter order.
pub fn mentions(site: &Site, a: &Article) -> Vec<CauseMention> {
    a.fm.causes
        .iter()
        .zip(a.cause_anchors())
        .zip(&a.cause_ids)
        .map(|((entry, anchor), &id)| {
            let cause = &site.causes[id];
            CauseMention {
                name: entry.name.clone(),
                slug: cause.slug.clone(),
                url: site.url(&cause_path(cause)),
                group: entry.group.clone(),
                summary: entry.summary.clone(),
                also_known_as: entry.also_known_as.clone(),
                anchor: anchor.clone(),
                href: format!("#{}", anchor.as_deref().unwrap_or("")),
            }
        })
        .collect()
}

impl ArticleContext {
    pub fn new(site: &Site, summaries: &Summaries, a: &Article) -> Self {
        let causes = mentions(site, a);
        let mut cause_groups: Vec<CauseGroup> = Vec::new();
        for m in &causes {
            match cause_groups.iter_mut().find(|g| g.name == m.group) {
                Some(g) => g.causes.push(m.clone()),
                None => cause_groups.push(CauseGroup {
                    name: m.group.clone(),
                    href: m.group.as_deref().and_then(|g| {
                        crate::site::cause_anchor(
                            &a.body.headings,
                            "",
                            &[],
                            Some(g),
                            site.config.slugs,
                        )
                        .map(|id| format!("#{id}"))
                    }),
                    causes: vec![m.clone()],
                }),
            }
        }
        let red_flags = Urgency::ALL
            .iter()
            .map(|&u| RedFlagGroup {
                urgency: u.as_str(),
                label: summaries.labels.get(&format!("urgency_{}", u.as_str())),
                items: a
                    .fm
                    .see_a_doctor
                    .iter()
                    .filter(|f| f.urgency == u)
                    .map(|f| f.text.clone())
                    .collect(),
            })
            .filter(|g| !g.items.is_empty())
            .collect();
        let section = (a.section != 0).then(|| section_link(site, &site.sections[a.section]));
        let help = if a.fm.see_a_doctor.is_empty() {
            None
        } else {
            a.help_section().map(|h| (h.id, h.end))
        };
        ArticleContext {
            title: a.fm.title.clone(),
            description: a.fm.description.clone(),
            condition: a.fm.condition.clone(),
            kind: a.fm.kind.as_str(),
            also_known_as: a.fm.also_known_as.clone(),
            url: site.url(&a.path),
            permalink: site.permalink(&a.path),
            path: a.path.trim_end_matches('/').to_string(),
            date: date(a.fm.date, &summaries.labels),
            updated: date(a.fm.updated, &summaries.labels),
            reviewed: a.fm.reviewed.as_ref().map(|r| ReviewValue {
                by: r.by.clone(),
                date: DateValue::new(r.date, &summaries.labels),
                next: date(r.next, &summaries.labels),
                overdue: r.next.is_some_and(|n| n < site.today),
            }),
            authors: authors(site, a),
            image: article_image(site, a),
            tags: a
                .tags
                .iter()
                .map(|&t| tag_value(site, &site.tags[t]))
                .collect(),
            symptoms: a.fm.symptoms.clone(),
            cause_groups,
            causes,
            red_flags,
            related: a.related.iter().map(|&r| summaries.get(site, r)).collect(),
            sources: a
                .fm
                .sources
                .iter()
                .map(|s| SourceValue {
                    title: s.title.clone(),
                    publisher: s.publisher.clone(),
                    url: s.url.clone(),
                })
                .collect(),
            section,
            toc: a
                .body
                .headings
                .iter()
                .map(|h| TocEntry {
                    level: h.level,
                    id: h.id.clone(),
                    title: h.title.clone(),
                })
                .collect(),
            content: a.body.html.clone(),
            help_heading: help.map(|(id, _)| id.to_string()),
            // (Copied only when there is a split: `content` serves every other article.)
            content_before_help: help.map_or_else(String::new, |(_, at)| a.body.html[..at].into()),
            content_after_help: help.map_or_else(String::new, |(_, at)| a.body.html[at..].into()),
            reading_minutes: a.body.word_count.div_ceil(200).max(1),
            extra: a.fm.extra.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionSummary {
    pub title: String,
    pub url: String,
    pub description: Option<String>,
}

pub fn section_summary(site: &Site, s: &Section) -> SectionSummary {
    SectionSummary {
        title: s.title.clone(),
        url: site.url(&s.path),
        description: s.description.clone(),
    }
}

/// Where a page stands in a long list (see `pagination.per_page` in `site.yaml`).
#[derive(Debug, Clone, Serialize)]
pub struct Paginator {
    /// This page's number, from 1.
    pub current: usize,
    /// How many pages the list has.
    pub total: usize,
    pub per_page: usize,
    /// How many items the whole list has.
    pub item_count: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PageLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
}

impl Paginator {
    /// Page `current` of a list of `items` whose first page is at `path`.
    pub fn new(site: &Site, path: &str, current: usize, items: usize) -> Self {
        let per_page = site.config.pagination.per_page;
        let total = items.div_ceil(per_page).max(1);
        let url = |n: usize| {
            if n == 1 {
                site.url(path)
            } else {
                site.url(&format!("{path}page/{n}/"))
            }
        };
        Paginator {
            current,
            total,
            per_page,
            item_count: items,
            previous: (current > 1).then(|| url(current - 1)),
            next: (current < total).then(|| url(current + 1)),
            pages: (1..=total)
                .map(|n| PageLink {
                    number: n,
                    url: url(n),
                    current: n == current,
                })
                .collect(),
        }
    }

    /// The items of the whole list this page shows.
    pub fn range(&self) -> std::ops::Range<usize> {
        let start = (self.current - 1) * self.per_page;
        start.min(self.item_count)..(start + self.per_page).min(self.item_count)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionContext {
    pub title: String,
    pub description: Option<String>,
    pub url: String,
    pub path: String,
    pub content: String,
    pub articles: Vec<tera::Value>,
    pub subsections: Vec<SectionSummary>,
    pub extra: serde_json::Value,
}

impl SectionContext {
    /// The section, with the articles of `range` (the current page of its sorted list).
    pub fn new(
        site: &Site,
        summaries: &Summaries,
        s: &Section,
        range: std::ops::Range<usize>,
    ) -> Self {
        let mut subsections: Vec<SectionSummary> = s
            .subsections
            .iter()
            .map(|&i| section_summary(site, &site.sections[i]))
            .collect();
        subsections.sort_by_key(|x| x.title.to_lowercase());
        SectionContext {
            title: s.title.clone(),
            description: s.description.clone(),
            url: site.url(&s.path),
            path: s.path.trim_end_matches('/').to_string(),
            content: s.html.clone(),
            articles: s.articles[range]
                .iter()
                .map(|&i| summaries.get(site, i))
                .collect(),
            subsections,
            extra: s.extra.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CauseListItem {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub also_known_as: Vec<String>,
    pub article_count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Letter {
    pub letter: String,
    pub causes: Vec<CauseListItem>,
}

/// Causes grouped by first letter, A to Z, with `#` for names that start otherwise.
pub fn letters(site: &Site) -> Vec<Letter> {
    let mut items: Vec<(String, CauseListItem)> = site
        .causes
        .iter()
        .map(|c| {
            let first = deunicode::deunicode(&c.name)
                .chars()
                .next()
                .filter(char::is_ascii_alphabetic)
                .map_or("#".to_string(), |ch| ch.to_ascii_uppercase().to_string());
            let mut articles: Vec<usize> = c.mentions.iter().map(|m| m.0).collect();
            articles.dedup();
            (
                first,
                CauseListItem {
                    name: c.name.clone(),
                    slug: c.slug.clone(),
                    url: site.url(&cause_path(c)),
                    also_known_as: c.also_known_as.clone(),
                    article_count: articles.len(),
                },
            )
        })
        .collect();
    items.sort_by(|a, b| {
        (a.0 == "#", &a.0, a.1.name.to_lowercase()).cmp(&(
            b.0 == "#",
            &b.0,
            b.1.name.to_lowercase(),
        ))
    });
    let mut out: Vec<Letter> = Vec::new();
    for (letter, item) in items {
        match out.last_mut() {
            Some(l) if l.letter == letter => l.causes.push(item),
            _ => out.push(Letter {
                letter,
                causes: vec![item],
            }),
        }
    }
    out
}

#[derive(Debug, Clone, Serialize)]
pub struct MentionValue {
    pub article: tera::Value,
    pub group: Option<String>,
    pub summary: Option<String>,
    pub href: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CauseContext {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub also_known_as: Vec<String>,
    pub mentions: Vec<MentionValue>,
}

impl CauseContext {
    /// The cause, with the mentions of `range` (the current page of its list, sorted by
    /// article title).
    pub fn new(
        site: &Site,
        summaries: &Summaries,
        c: &Cause,
        range: std::ops::Range<usize>,
    ) -> Self {
        let mentions = c.by_title[range]
            .iter()
            .map(|&(ai, ei)| {
                let a = &site.articles[ai];
                let entry = &a.fm.causes[ei];
                let anchor = a.cause_anchors()[ei]
                    .as_deref()
                    .map(|id| format!("#{id}"))
                    .unwrap_or_default();
                MentionValue {
                    article: summaries.get(site, ai),
                    group: entry.group.clone(),
                    summary: entry.summary.clone(),
                    href: format!("{}{anchor}", site.url(&a.path)),
                }
            })
            .collect();
        CauseContext {
            name: c.name.clone(),
            slug: c.slug.clone(),
            url: site.url(&cause_path(c)),
            also_known_as: c.also_known_as.clone(),
            mentions,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TagListItem {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub article_count: usize,
}

pub fn tag_list(site: &Site) -> Vec<TagListItem> {
    let mut tags: Vec<TagListItem> = site
        .tags
        .iter()
        .map(|t| TagListItem {
            name: t.name.clone(),
            slug: t.slug.clone(),
            url: site.url(&tag_path(t)),
            article_count: t.articles.len(),
        })
        .collect();
    tags.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(a.slug.cmp(&b.slug))
    });
    tags
}

#[derive(Debug, Clone, Serialize)]
pub struct TagContext {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub articles: Vec<tera::Value>,
}

impl TagContext {
    /// The tag, with the articles of `range` (the current page of its sorted list).
    pub fn new(site: &Site, summaries: &Summaries, t: &Tag, range: std::ops::Range<usize>) -> Self {
        TagContext {
            name: t.name.clone(),
            slug: t.slug.clone(),
            url: site.url(&tag_path(t)),
            articles: t.articles[range]
                .iter()
                .map(|&i| summaries.get(site, i))
                .collect(),
        }
    }
}

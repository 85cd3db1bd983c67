//! The site model: every article with its URL, sections, causes unified by slug, tags,
//! related articles, aliases and resolved links. The one place that knows how articles
//! relate; rendering only reads it.
//!
//! [`build`] makes it in four stages, each a module with its inputs and outputs in its
//! signature, each collecting every error it finds before the next runs:
//! [`parse`] (front matter of each file) → [`urls`] (URLs and sections) → [`bodies`]
//! (Markdown, links, where causes point) → [`relations`] (causes, tags, related articles,
//! aliases). [`paths`] holds every URL rule; [`cache`] what a rebuild may reuse.

mod bodies;
mod cache;
mod links;
mod parse;
pub mod paths;
mod relations;
mod translations;
mod urls;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::Config;
use crate::content::frontmatter::FrontMatter;
use crate::content::{Asset, Source, Sources};
use crate::date::Date;
use crate::diagnostics::{Code, Diagnostic};
use crate::images::{Placed, Size};
use crate::markdown;
use crate::yaml::Locations;

pub use bodies::cause_anchor;
pub use cache::{Cache, NewBody, Patched};
pub use parse::{FileParse, parse_file};
pub use paths::{RESERVED, alias_output_path, asset_output_path, percent_encode_path};
pub(crate) use relations::site_yaml_error;
pub use translations::{Counterpart, Translations, check_counterparts};

#[derive(Debug, Clone)]
pub struct Article {
    /// Source file as shown in diagnostics.
    pub file: PathBuf,
    /// Path of the source below `content/`.
    pub rel: String,
    /// URL path below the site root, ending in `/` (`plants/mint-root-rot/`).
    pub path: String,
    pub slug: String,
    pub section: usize,
    pub fm: Arc<FrontMatter>,
    /// The rendered body: HTML, headings, word count.
    pub body: Arc<markdown::Rendered>,
    /// Where each front-matter key stands in the file, for diagnostics.
    pub locations: Arc<Locations>,
    /// What the article's file alone determines: cause slugs and anchors, tag slugs.
    pub derived: Arc<Derived>,
    /// Changes whenever `fm` or `derived` is made again; see [`Revision`].
    pub revision: Revision,
    /// For each entry of `fm.causes`: its index in [`Site::causes`].
    pub cause_ids: Vec<usize>,
    pub related: Vec<usize>,
    pub tags: Vec<usize>,
    /// Output paths of the alias redirect pages (`old/foot-cramps/index.html`).
    pub aliases: Vec<String>,
    /// Where `fm.image` is published.
    pub image: Option<Placed>,
}

impl Article {
    /// For each entry of `fm.causes`: the heading id it links to, if any.
    pub fn cause_anchors(&self) -> &[Option<String>] {
        &self.derived.cause_anchors
    }

    /// The writer's own "when to get help" section: the first `##` heading that reads "When to
    /// see a doctor", "When to consult a healthcare professional", "When to get help"... (or
    /// the same in Spanish, French, German, Portuguese or Arabic: "Cuándo ir al médico",
    /// "Quand consulter un médecin", "متى تراجع الطبيب") and its extent in the body's HTML (up
    /// to the next heading of its level or above).
    pub fn help_section(&self) -> Option<HelpSection<'_>> {
        // The words a heading opens with, and one of which it must hold, by language.
        const WHEN: [&str; 6] = ["when", "cuando", "quand", "wann", "quando", "متى"];
        const ABOUT: &[&str] = &[
            "doctor",
            "gp",
            "help",
            "medical",
            "professional",
            "nurse",
            "pharmacist",
            "advice",
            "care",
            "medico",
            "medica",
            "ayuda",
            "consultar",
            "acudir",
            "profesional",
            "urgencias",
            "medecin",
            "consulter",
            "aide",
            "professionnel",
            "arzt",
            "arztin",
            "hilfe",
            "ajuda",
            "procurar",
            "الطبيب",
            "طبيب",
            "تستشير",
            "تراجع",
            "المساعدة",
            "مساعدة",
            "الطوارئ",
        ];
        let (headings, html) = (&self.body.headings, &self.body.html);
        let i = headings.iter().position(|h| {
            let slug = crate::slug::slugify(&h.title, crate::slug::SlugStyle::Unicode);
            let mut words = slug.split('-');
            let first = words.next().unwrap_or("");
            // English asks for "when to", as "when doctors disagree" is about something else.
            let opens = WHEN.contains(&first) && (first != "when" || slug.starts_with("when-to-"));
            h.level == 2 && opens && words.any(|w| ABOUT.contains(&w))
        })?;
        let at = |h: &markdown::Heading| html.find(&format!("<h{} id=\"{}\"", h.level, h.id));
        let end = (headings[i + 1..].iter())
            .find(|h| h.level <= 2)
            .and_then(at)
            .unwrap_or(html.len());
        Some(HelpSection {
            id: &headings[i].id,
            title: &headings[i].title,
            start: at(&headings[i]).unwrap_or(0).min(end),
            end,
        })
    }

    /// The date shown as "last updated": `updated`, else `date`.
    pub fn last_change(&self) -> Option<Date> {
        self.fm.updated.or(self.fm.date)
    }
}

/// Where an article's own "when to get help" section is in its HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HelpSection<'a> {
    /// The heading's id.
    pub id: &'a str,
    pub title: &'a str,
    /// Byte offsets of the heading's start and of the section's end.
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Section {
    /// URL path below the site root: `""` for the root, else `plants/`.
    pub path: String,
    pub title: String,
    pub description: Option<String>,
    pub html: String,
    pub extra: serde_json::Value,
    pub parent: Option<usize>,
    pub articles: Vec<usize>,
    pub subsections: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Cause {
    pub slug: String,
    pub name: String,
    pub also_known_as: Vec<String>,
    /// (article, index of the entry in that article's `causes`), in article order.
    pub mentions: Vec<(usize, usize)>,
    /// The same mentions ordered by article title, for the cause's pages.
    pub by_title: Vec<(usize, usize)>,
}

#[derive(Debug, Clone)]
pub struct Tag {
    pub slug: String,
    pub name: String,
    pub articles: Vec<usize>,
}

/// The whole site, ready to render.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    pub today: Date,
    /// Sorted by path.
    pub articles: Vec<Article>,
    /// `sections[0]` is the root.
    pub sections: Vec<Section>,
    /// Sorted by slug.
    pub causes: Vec<Cause>,
    /// Sorted by slug.
    pub tags: Vec<Tag>,
    pub assets: Vec<Asset>,
    /// Problems that do not stop the build (a medical review that is overdue).
    pub warnings: Vec<Diagnostic>,
    /// Where `site.yaml`'s `image`, the default share image, is published.
    pub image: Option<Placed>,
    /// The size of each published image, by output path; filled in once the files the build
    /// copies are known (see `pipeline::measure_images`).
    pub image_sizes: BTreeMap<String, Size>,
    /// The version of each static file, by output path (see `asset_versions`); filled in with
    /// the image sizes.
    pub asset_versions: BTreeMap<String, String>,
    /// Which pages translate each other, across every language of the site; filled in once
    /// every language's model is built.
    pub translations: Arc<Translations>,
}

impl Site {
    pub fn base_path(&self) -> &str {
        self.config.base_path()
    }

    /// The link to a page or file: `base_path` joined with a path below the site root.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_path(), path)
    }

    /// The link to a file published once for every language (static files, images, files
    /// beside articles): the site root joined with its path.
    pub fn file_url(&self, path: &str) -> String {
        format!("{}{}", self.config.root_path(), path)
    }

    /// The absolute URL of a file published once for every language.
    pub fn file_permalink(&self, path: &str) -> String {
        format!("{}{}", self.config.root_url, path)
    }

    /// Where a file of this language goes below the output folder: `atom.xml` for the
    /// default language, `es/atom.xml` for Spanish.
    pub fn output_path(&self, rel: &str) -> String {
        format!("{}{rel}", self.config.output_prefix())
    }

    /// The output paths of the images the build publishes and pages show (each article's
    /// and the site's), with repeats.
    pub fn published_images(&self) -> impl Iterator<Item = &str> {
        (self.articles.iter().map(|a| &a.image))
            .chain([&self.image])
            .filter_map(|p| match p {
                Some(Placed::Published(path)) => Some(path.as_str()),
                _ => None,
            })
    }

    /// The absolute URL of a path below the site root.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.config.base_url, path)
    }
}

/// What an article's own file determines beyond its Markdown. Kept in the [`Cache`] with the
/// rendered body, so an unchanged article costs nothing to link again.
#[derive(Debug, PartialEq)]
pub struct Derived {
    /// The slug of each entry of `causes`.
    pub cause_slugs: Vec<String>,
    /// The heading id each entry of `causes` links to, if any.
    pub cause_anchors: Vec<Option<String>>,
    /// The slug of each tag; None for a tag with no letters or digits (an error).
    pub tag_slugs: Vec<Option<String>>,
    /// The title in lower case, for sorting lists.
    pub title_key: String,
    /// Errors in the file: position and message.
    pub problems: Vec<((usize, usize), String)>,
}

/// The one notion of change between two models of a site. Each article's front matter and
/// derived facts get a revision when they are made; a later model that takes them over from
/// the [`Cache`] keeps it. So two articles with the same revision, in two models, were made
/// from the same file with the same link targets, and whatever the search files made from
/// them can be kept. Numbers come from one counter and are never given twice in a process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Revision(u64);

impl Revision {
    pub(crate) fn next() -> Revision {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Revision(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
    }
}

/// Orders articles by title, then path, so lists are stable.
pub fn title_order(a: &Article, b: &Article) -> std::cmp::Ordering {
    a.derived
        .title_key
        .cmp(&b.derived.title_key)
        .then_with(|| a.path.cmp(&b.path))
}

/// Builds the model from the loaded sources, or returns every problem found. `cache` holds
/// results of an earlier build; pass `&mut Cache::default()` for a fresh build.
pub fn build(
    config: Config,
    sources: &Sources,
    include_drafts: bool,
    today: Date,
    cache: &mut Cache,
) -> Result<Site, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    cache.parse_new(sources);
    let Cache { files, bodies } = cache;
    let mut gathered = parse::gather(sources, files, include_drafts, &mut errors);
    let articles = std::mem::take(&mut gathered.articles);
    let mut placed = urls::place(
        &config,
        articles,
        &gathered.sections,
        &mut gathered.broken,
        &mut errors,
    );
    let rendered = bodies::render(
        &config,
        sources,
        &mut placed,
        &gathered,
        bodies,
        &mut errors,
    );
    relations::link(
        config,
        today,
        sources,
        placed,
        rendered,
        &gathered.broken,
        errors,
    )
}

fn error_at(source: &Source, (line, column): (usize, usize), message: String) -> Diagnostic {
    Diagnostic::error_at(
        &source.file,
        &source.text,
        line,
        column,
        Code::Content,
        message,
    )
}

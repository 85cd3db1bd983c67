//! The site model: every article with its URL, sections, causes unified by slug, tags,
//! related articles, aliases and resolved links. The one place that knows how articles
//! relate; rendering only reads it.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::config::Config;
use crate::content::frontmatter::{self, FrontMatter};
use crate::content::{Asset, Source, Sources, split_front_matter};
use crate::date::Date;
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, Heading, Resolution};
use crate::slug::{fold_words, is_valid_slug, slugify};
use crate::yaml::Locations;

/// URL paths (below the site root) that the build writes itself.
pub const RESERVED: &[&str] = &[
    "causes",
    "tags",
    "search",
    "404.html",
    "sitemap.xml",
    "atom.xml",
    "robots.txt",
    "cause-index.json",
];

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
    /// For each entry of `fm.causes`: its index in [`Site::causes`].
    pub cause_ids: Vec<usize>,
    pub related: Vec<usize>,
    pub tags: Vec<usize>,
    /// Output paths of the alias redirect pages (`old/foot-cramps/index.html`).
    pub aliases: Vec<String>,
}

impl Article {
    /// For each entry of `fm.causes`: the heading id it links to, if any.
    pub fn cause_anchors(&self) -> &[Option<String>] {
        &self.derived.cause_anchors
    }

    /// The date shown as "last updated": `updated`, else `date`.
    pub fn last_change(&self) -> Option<Date> {
        self.fm.updated.or(self.fm.date)
    }
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
}

impl Site {
    pub fn base_path(&self) -> &str {
        self.config.base_path()
    }

    /// The link to a page or file: `base_path` joined with a path below the site root.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_path(), path)
    }

    /// The absolute URL of a path below the site root.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.config.base_url, path)
    }
}

/// What parsing one file gives. Kept in a [`Cache`] while the file does not change, so a
/// rebuild after an edit parses only the edited file.
#[derive(Debug)]
pub enum FileParse {
    Article {
        fm: Arc<FrontMatter>,
        locations: Arc<Locations>,
        body_start: usize,
        body_line: usize,
        folder: String,
        /// The folder's URL path (`nerves-and-muscles/`); None when a folder name has no
        /// letters or digits.
        folder_url: Option<String>,
        slug: String,
    },
    Section {
        fm: frontmatter::SectionFrontMatter,
        body_start: usize,
        body_line: usize,
    },
    Failed(Vec<Diagnostic>),
}

/// Results of earlier builds that stay valid while their inputs do not change: each file's
/// parse, and each article's rendered Markdown (valid while the set of link targets is the same).
#[derive(Debug, Default)]
pub struct Cache {
    files: FxHashMap<String, Arc<FileParse>>,
    markdown: FxHashMap<String, Arc<markdown::Rendered>>,
    derived: FxHashMap<String, Arc<Derived>>,
    /// What every link resolves against; it and `markdown` are valid for `targets_key`.
    targets_key: u64,
    targets: Option<LinkTargets>,
}

impl Cache {
    /// Drops what is known about a file (it changed, appeared or was deleted).
    pub fn forget(&mut self, rel: &str) {
        self.files.remove(rel);
        self.markdown.remove(rel);
        self.derived.remove(rel);
    }

    /// For `serve`: the article of `source` with its body rendered again, when only its body
    /// changed and no other page can tell: the same front matter, the same heading ids, every
    /// link resolving, its causes anchored as before. None otherwise: then build the model
    /// again. `site` must be the model this cache last built.
    pub fn new_body(&self, site: &Site, source: &Source) -> Option<NewBody> {
        let targets = self.targets.as_ref()?;
        let index = site.articles.iter().position(|a| a.rel == source.rel)?;
        let old = &site.articles[index];
        let FileParse::Article {
            fm,
            locations,
            body_start,
            body_line,
            folder,
            folder_url,
            slug,
        } = parse_file(source)
        else {
            return None;
        };
        if *fm != *old.fm {
            return None;
        }
        let dir = source.rel.rsplit_once('/').map_or("", |(d, _)| d);
        let mut body = markdown::render(
            &source.text[body_start..],
            body_line,
            site.config.markdown.unsafe_html,
            &|dest| targets.resolve(dir, dest),
        );
        let anchors_resolve = body.anchor_checks.iter().all(|c| {
            let target = if c.target == index {
                &body
            } else {
                &*site.articles[c.target].body
            };
            target.headings.iter().any(|h| h.id == c.fragment)
        });
        if !body.errors.is_empty()
            || !body.warnings.is_empty()
            || !body
                .headings
                .iter()
                .map(|h| &h.id)
                .eq(old.body.headings.iter().map(|h| &h.id))
            || !anchors_resolve
            || derive(&old.fm, &locations, &body) != *old.derived
        {
            return None;
        }
        body.headings
            .iter_mut()
            .for_each(|h| h.section_words = String::new());
        let file = FileParse::Article {
            fm: old.fm.clone(),
            locations: locations.clone(),
            body_start,
            body_line,
            folder,
            folder_url,
            slug,
        };
        Some(NewBody {
            index,
            file: Some(Arc::new(file)),
            body: Arc::new(body),
            locations,
        })
    }

    /// Puts a [`NewBody`] into `site`, and keeps it for later builds. Returns the body it
    /// replaced, which undoes the change when set in turn.
    pub fn set_body(&mut self, site: &mut Site, new: NewBody) -> NewBody {
        let a = &mut site.articles[new.index];
        let old_file = match new.file {
            Some(file) => self.files.insert(a.rel.clone(), file),
            None => self.files.remove(&a.rel),
        };
        self.markdown.insert(a.rel.clone(), new.body.clone());
        NewBody {
            index: new.index,
            file: old_file,
            body: std::mem::replace(&mut a.body, new.body),
            locations: std::mem::replace(&mut a.locations, new.locations),
        }
    }
}

/// An article's body rendered again, from [`Cache::new_body`].
pub struct NewBody {
    /// The article's place in [`Site::articles`].
    pub index: usize,
    file: Option<Arc<FileParse>>,
    body: Arc<markdown::Rendered>,
    locations: Arc<Locations>,
}

/// An article between parsing and the finished model.
struct Parsed<'a> {
    source: &'a Source,
    fm: Arc<FrontMatter>,
    locations: Arc<Locations>,
    body: &'a str,
    body_line: usize,
    folder: &'a str,
    folder_url: Option<&'a str>,
    slug: &'a str,
}

/// A section's `_index.md`, parsed.
struct SectionFile<'a> {
    source: &'a Source,
    fm: &'a frontmatter::SectionFrontMatter,
    body: &'a str,
    body_line: usize,
}

/// Parses one Markdown file's front matter.
pub fn parse_file(source: &Source) -> FileParse {
    if let Some((offset, c)) = crate::control_chars::first_forbidden(&source.text) {
        let before = &source.text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        return FileParse::Failed(vec![error_at(
            source,
            (line, column),
            format!(
                "the file holds the control character {}; remove it",
                crate::control_chars::name(c)
            ),
        )]);
    }
    let split = match split_front_matter(&source.text) {
        Ok(s) => s,
        Err((line, msg)) => return FileParse::Failed(vec![error_at(source, (line, 1), msg)]),
    };
    let body_start = source.text.len() - split.body.len();
    let fail = |errs: Vec<crate::yaml::YamlError>| {
        FileParse::Failed(
            errs.into_iter()
                .map(|e| {
                    Diagnostic::error_at(
                        &source.file,
                        &source.text,
                        e.line,
                        e.column,
                        "front-matter",
                        e.message,
                    )
                })
                .collect(),
        )
    };
    let (folder, name) = source.rel.rsplit_once('/').unwrap_or(("", &source.rel));
    if name == "_index.md" {
        return match frontmatter::parse_section(split.yaml, split.yaml_line) {
            Ok(fm) => FileParse::Section {
                fm,
                body_start,
                body_line: split.body_line,
            },
            Err(e) => fail(e),
        };
    }
    match frontmatter::parse_article(split.yaml, split.yaml_line) {
        Ok((fm, locations)) => {
            let stem = name.trim_end_matches(".md");
            let slug = fm.slug.clone().unwrap_or_else(|| slugify(stem));
            FileParse::Article {
                fm: Arc::new(fm),
                locations: Arc::new(locations),
                body_start,
                body_line: split.body_line,
                folder: folder.to_string(),
                folder_url: folder_path(folder),
                slug,
            }
        }
        Err(e) => fail(e),
    }
}

/// The warnings of a rendered body, positioned in its file.
fn body_warnings_of<'a>(
    source: &'a Source,
    body: &'a markdown::Rendered,
) -> impl Iterator<Item = Diagnostic> + 'a {
    body.warnings.iter().map(|w| {
        Diagnostic::error_at(
            &source.file,
            &source.text,
            w.line,
            w.column,
            "heading-attribute",
            w.message.clone(),
        )
        .warning()
    })
}

fn error_at(source: &Source, (line, column): (usize, usize), message: String) -> Diagnostic {
    Diagnostic::error_at(&source.file, &source.text, line, column, "content", message)
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

    // 1. Front matter of every file not parsed before, in parallel.
    let fresh: Vec<(String, Arc<FileParse>)> = sources
        .markdown
        .par_iter()
        .filter(|source| !cache.files.contains_key(&source.rel))
        .map(|source| (source.rel.clone(), Arc::new(parse_file(source))))
        .collect();
    cache.files.extend(fresh);
    let Cache {
        files,
        markdown: markdown_cache,
        derived: derived_cache,
        targets_key,
        targets,
    } = cache;
    let files = &*files;

    enum One<'a> {
        Article(Box<Parsed<'a>>),
        Section(SectionFile<'a>),
        Failed(&'a Source, &'a [Diagnostic]),
    }
    let parsed = sources
        .markdown
        .iter()
        .map(|source| match &*files[&source.rel] {
            FileParse::Article {
                fm,
                locations,
                body_start,
                body_line,
                folder,
                folder_url,
                slug,
            } => One::Article(Box::new(Parsed {
                source,
                fm: fm.clone(),
                locations: locations.clone(),
                body: &source.text[*body_start..],
                body_line: *body_line,
                folder,
                folder_url: folder_url.as_deref(),
                slug,
            })),
            FileParse::Section {
                fm,
                body_start,
                body_line,
            } => One::Section(SectionFile {
                source,
                fm,
                body: &source.text[*body_start..],
                body_line: *body_line,
            }),
            FileParse::Failed(d) => One::Failed(source, d),
        });

    let mut articles: Vec<Parsed> = Vec::new();
    let mut section_files: Vec<SectionFile> = Vec::new();
    let mut drafts: HashSet<&str> = HashSet::new();
    // Articles that could not be parsed or placed: their errors are reported once, and links
    // or `related` entries that point at them are not reported again.
    let mut broken: HashSet<&str> = HashSet::new();
    for one in parsed {
        match one {
            One::Article(a) if a.fm.draft && !include_drafts => {
                drafts.insert(&a.source.rel);
            }
            One::Article(a) => articles.push(*a),
            One::Section(s) => section_files.push(s),
            One::Failed(source, e) => {
                errors.extend_from_slice(e);
                broken.insert(&source.rel);
            }
        }
    }

    // 2. URLs: folders and slugs, checked for safety and clashes.
    let mut paths: Vec<Option<String>> = Vec::with_capacity(articles.len());
    for a in &articles {
        let folder = a.folder_url.map(str::to_string);
        let slug_ok = is_valid_slug(a.slug);
        if !slug_ok {
            let pos = a.locations.find("slug", a.fm.slug.as_deref());
            let msg = match &a.fm.slug {
                Some(s) => format!(
                    "slug `{s}` may only use lower-case letters, digits, `-` and `_`; try `{}`",
                    slugify(s)
                ),
                None => "the file name gives an empty slug; set `slug:`".to_string(),
            };
            errors.push(error_at(a.source, pos, msg));
        }
        match folder {
            Some(folder) if !folder.is_empty() && is_reserved(&folder) => {
                errors.push(reserved_folder(&a.source.file, a.folder, &folder));
                paths.push(None);
            }
            Some(folder) if slug_ok => {
                if folder.is_empty() && RESERVED.contains(&a.slug) {
                    let pos = a.locations.find("slug", a.fm.slug.as_deref());
                    errors.push(error_at(
                        a.source,
                        pos,
                        format!(
                            "the URL /{}/ is used by the build itself; choose another slug",
                            a.slug
                        ),
                    ));
                    paths.push(None);
                } else {
                    paths.push(Some(format!("{folder}{}/", a.slug)));
                }
            }
            Some(_) => paths.push(None),
            None => {
                errors.push(Diagnostic::error(
                    &a.source.file,
                    "content",
                    format!(
                        "a folder in `{}` has no letters or digits to make a URL from",
                        a.folder
                    ),
                ));
                paths.push(None);
            }
        }
    }

    // Sections: every folder holding an article or an `_index.md`.
    let mut section_paths: BTreeMap<String, Option<&SectionFile>> = BTreeMap::new();
    section_paths.insert(String::new(), None);
    // Most articles share their folder with the one before: look each folder up once.
    let mut seen_folder: Option<&str> = None;
    for (a, path) in articles.iter().zip(&paths) {
        if path.is_some()
            && let Some(folder) = a.folder_url
            && seen_folder != Some(folder)
        {
            seen_folder = Some(folder);
            for prefix in prefixes(folder) {
                section_paths.entry(prefix).or_insert(None);
            }
        }
    }
    for s in &section_files {
        let folder = s
            .source
            .rel
            .trim_end_matches("_index.md")
            .trim_end_matches('/');
        match folder_path(folder) {
            Some(path) if !path.is_empty() && is_reserved(&path) => {
                errors.push(reserved_folder(&s.source.file, folder, &path));
            }
            Some(path) => {
                for prefix in prefixes(&path) {
                    section_paths.entry(prefix).or_insert(None);
                }
                section_paths.insert(path, Some(s));
            }
            None => errors.push(Diagnostic::error(
                &s.source.file,
                "content",
                "this folder's name has no letters or digits to make a URL from",
            )),
        }
    }

    // Two articles (or an article and a section) at one URL.
    let mut by_path: FxHashMap<&str, usize> = FxHashMap::default();
    for (i, path) in paths.iter().enumerate() {
        let Some(path) = path else { continue };
        if let Some(&first) = by_path.get(path.as_str()) {
            errors.push(Diagnostic::error(
                &articles[i].source.file,
                "duplicate-url",
                format!(
                    "the URL /{path} is already used by {}",
                    articles[first].source.file.display()
                ),
            ));
        } else if section_paths.contains_key(path.as_str()) {
            errors.push(Diagnostic::error(
                &articles[i].source.file,
                "duplicate-url",
                format!(
                    "the URL /{path} is also the URL of the folder content/{}",
                    path.trim_end_matches('/')
                ),
            ));
        } else {
            by_path.insert(path, i);
        }
    }
    let kept: Vec<bool> = paths
        .iter()
        .enumerate()
        .map(|(i, p)| p.as_deref().is_some_and(|p| by_path.get(p) == Some(&i)))
        .collect();
    drop(by_path);

    // From here on every article kept has a unique path: order them by it.
    let mut articles: Vec<(String, Parsed)> = paths
        .into_iter()
        .zip(articles)
        .zip(kept)
        .filter_map(|((path, a), kept)| match path {
            Some(p) if kept => Some((p, a)),
            _ => {
                broken.insert(&a.source.rel);
                None
            }
        })
        .collect();
    articles.sort_by(|a, b| a.0.cmp(&b.0));

    let mut sections: Vec<Section> = Vec::new();
    let mut section_index: HashMap<String, usize> = HashMap::new();
    for (path, file) in &section_paths {
        section_index.insert(path.clone(), sections.len());
        let name = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        sections.push(Section {
            path: path.clone(),
            title: file.and_then(|f| f.fm.title.clone()).unwrap_or_else(|| {
                if path.is_empty() {
                    config.title.clone()
                } else {
                    humanize(name)
                }
            }),
            description: file.and_then(|f| f.fm.description.clone()),
            extra: file.map(|f| f.fm.extra.clone()).unwrap_or_default(),
            parent: parent_path(path).map(|p| section_index[&p]),
            ..Section::default()
        });
    }
    for i in 1..sections.len() {
        if let Some(p) = sections[i].parent {
            sections[p].subsections.push(i);
        }
    }

    // 3. Markdown of every article and section, in parallel, resolving links. Rendered
    // Markdown stays valid while every link would resolve the same way, which `key` tells.
    let unsafe_html = config.markdown.unsafe_html;
    let base_path = config.base_path().to_string();
    let key = {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for (path, a) in &articles {
            (&a.source.rel, path).hash(&mut h);
        }
        for s in &section_files {
            s.source.rel.hash(&mut h);
        }
        sources.assets.iter().for_each(|a| a.rel.hash(&mut h));
        // Links to drafts and to broken articles resolve differently: hash them apart.
        fn sorted<'a>(set: &HashSet<&'a str>) -> Vec<&'a str> {
            let mut v: Vec<&str> = set.iter().copied().collect();
            v.sort_unstable();
            v
        }
        (sorted(&drafts), sorted(&broken), &base_path, unsafe_html).hash(&mut h);
        h.finish()
    };
    if *targets_key != key {
        markdown_cache.clear();
        derived_cache.clear();
        *targets = None;
        *targets_key = key;
    }
    let cached = |rel: &str| {
        markdown_cache.contains_key(rel)
            && (rel.ends_with("_index.md") || derived_cache.contains_key(rel))
    };
    // The link targets are only needed when something must be rendered again.
    let needed = articles.iter().any(|(_, a)| !cached(&a.source.rel))
        || section_files.iter().any(|s| !cached(&s.source.rel));
    if needed && targets.is_none() {
        *targets = Some(LinkTargets {
            base_path: base_path.clone(),
            articles: articles
                .iter()
                .enumerate()
                .map(|(i, (path, a))| (a.source.rel.clone(), (i, path.clone())))
                .collect(),
            sections: section_files
                .iter()
                .filter_map(|s| {
                    let folder = s
                        .source
                        .rel
                        .trim_end_matches("_index.md")
                        .trim_end_matches('/');
                    folder_path(folder).map(|p| (s.source.rel.clone(), p))
                })
                .collect(),
            assets: sources.assets.iter().map(|a| a.rel.clone()).collect(),
            drafts: drafts.iter().map(|d| d.to_string()).collect(),
            broken: broken.iter().map(|b| b.to_string()).collect(),
        });
    }
    let targets = &*targets;
    let render_body = |rel: &str, body: &str, line: usize| {
        let targets = targets
            .as_ref()
            .expect("link targets are built when rendering is needed");
        let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
        markdown::render(body, line, unsafe_html, &|dest| targets.resolve(dir, dest))
    };
    let prepared: Vec<(Arc<markdown::Rendered>, Arc<Derived>)> = articles
        .par_iter()
        .map(|(_, a)| {
            if let (Some(r), Some(d)) = (
                markdown_cache.get(&a.source.rel),
                derived_cache.get(&a.source.rel),
            ) {
                return (r.clone(), d.clone());
            }
            let mut r = render_body(&a.source.rel, a.body, a.body_line);
            let d = derive(&a.fm, &a.locations, &r);
            // The folded section texts served only to place causes: free them.
            r.headings
                .iter_mut()
                .for_each(|h| h.section_words = String::new());
            (Arc::new(r), Arc::new(d))
        })
        .collect();
    let mut body_warnings = Vec::new();
    for s in &section_files {
        let r = match markdown_cache.get(&s.source.rel) {
            Some(r) => r.clone(),
            None => Arc::new(render_body(&s.source.rel, s.body, s.body_line)),
        };
        for e in &r.errors {
            errors.push(Diagnostic::error_at(
                &s.source.file,
                &s.source.text,
                e.line,
                e.column,
                "link",
                e.message.clone(),
            ));
        }
        body_warnings.extend(body_warnings_of(s.source, &r));
        let folder = s
            .source
            .rel
            .trim_end_matches("_index.md")
            .trim_end_matches('/');
        if let Some(&i) = folder_path(folder).and_then(|p| section_index.get(&p)) {
            sections[i].html = r.html.clone();
        }
        markdown_cache.entry(s.source.rel.clone()).or_insert(r);
    }
    for ((_, a), (r, d)) in articles.iter().zip(&prepared) {
        // Looked up first: most are cached, and `entry` would copy every key.
        if !markdown_cache.contains_key(&a.source.rel) {
            markdown_cache.insert(a.source.rel.clone(), r.clone());
        }
        if !derived_cache.contains_key(&a.source.rel) {
            derived_cache.insert(a.source.rel.clone(), d.clone());
        }
    }
    let rendered: Vec<&Arc<markdown::Rendered>> = prepared.iter().map(|(r, _)| r).collect();
    for ((_, a), r) in articles.iter().zip(&rendered) {
        for e in &r.errors {
            errors.push(Diagnostic::error_at(
                &a.source.file,
                &a.source.text,
                e.line,
                e.column,
                "link",
                e.message.clone(),
            ));
        }
        body_warnings.extend(body_warnings_of(a.source, r));
        for check in &r.anchor_checks {
            let target = &rendered[check.target];
            if !target.headings.iter().any(|h| h.id == check.fragment) {
                errors.push(Diagnostic::error_at(
                    &a.source.file,
                    &a.source.text,
                    check.line,
                    check.column,
                    "link",
                    format!(
                        "{} has no heading with id `{}`",
                        articles[check.target].1.source.file.display(),
                        check.fragment
                    ),
                ));
            }
        }
    }

    // 4. Relations: causes, tags, related articles, aliases.
    let mut warnings = body_warnings;
    // Hash maps while gathering, sorted by slug once at the end.
    let mut cause_slots: FxHashMap<&str, usize> = FxHashMap::default();
    let mut causes: Vec<Cause> = Vec::new();
    let mut tag_slots: FxHashMap<&str, usize> = FxHashMap::default();
    let mut tags: Vec<Tag> = Vec::new();
    // For each article, the slots of its causes and tags in the vectors above.
    let mut slots: Vec<(Vec<usize>, Vec<usize>)> = Vec::with_capacity(articles.len());
    let by_url: FxHashMap<&str, usize> = articles
        .iter()
        .enumerate()
        .map(|(i, (p, _))| (p.as_str(), i))
        .collect();
    let mut by_slug: Option<FxHashMap<&str, Vec<usize>>> = None;
    let mut alias_owner: BTreeMap<String, usize> = BTreeMap::new();
    let mut built: Vec<Article> = Vec::with_capacity(articles.len());
    for (i, ((path, a), (r, d))) in articles.iter().zip(&prepared).enumerate() {
        for (pos, message) in &d.problems {
            errors.push(error_at(a.source, *pos, message.clone()));
        }
        let mut cause_ids = Vec::with_capacity(a.fm.causes.len());
        for (entry_index, (entry, slug)) in a.fm.causes.iter().zip(&d.cause_slugs).enumerate() {
            let slot = *cause_slots.entry(slug.as_str()).or_insert_with(|| {
                causes.push(Cause {
                    slug: slug.clone(),
                    name: entry.name.clone(),
                    also_known_as: Vec::new(),
                    mentions: Vec::new(),
                    by_title: Vec::new(),
                });
                causes.len() - 1
            });
            let cause = &mut causes[slot];
            cause
                .also_known_as
                .extend(entry.also_known_as.iter().cloned());
            cause.mentions.push((i, entry_index));
            cause_ids.push(slot);
        }
        let mut tag_ids = Vec::with_capacity(a.fm.tags.len());
        for (tag, slug) in a.fm.tags.iter().zip(&d.tag_slugs) {
            let Some(slug) = slug else { continue };
            let slot = *tag_slots.entry(slug.as_str()).or_insert_with(|| {
                tags.push(Tag {
                    slug: slug.clone(),
                    name: tag.clone(),
                    articles: Vec::new(),
                });
                tags.len() - 1
            });
            if !tag_ids.contains(&slot) {
                tags[slot].articles.push(i);
                tag_ids.push(slot);
            }
        }
        slots.push((cause_ids, tag_ids));
        let mut related = Vec::new();
        for entry in &a.fm.related {
            match find_related(&articles, &by_url, &mut by_slug, entry) {
                Ok(j) if j == i => errors.push(error_at(
                    a.source,
                    a.locations.find("related", Some(entry)),
                    format!("`{entry}` is this article itself"),
                )),
                Ok(j) => related.push(j),
                Err(_) if names_broken(&broken, entry) => {}
                Err(message) => errors.push(error_at(
                    a.source,
                    a.locations.find("related", Some(entry)),
                    message,
                )),
            }
        }

        for url in a.fm.sources.iter().filter_map(|s| s.url.as_deref()) {
            if let Some(scheme) = crate::url_scheme::refused(url) {
                errors.push(error_at(
                    a.source,
                    a.locations.find("sources", Some(url)),
                    format!("sources: `{scheme}:` URLs are not allowed; give an http(s) address"),
                ));
            }
        }

        let mut aliases = Vec::new();
        for alias in &a.fm.aliases {
            let pos = a.locations.find("aliases", Some(alias));
            match alias_output_path(alias) {
                Ok(out) => {
                    let page = out.trim_end_matches("index.html");
                    if by_url.contains_key(page)
                        || section_paths.contains_key(page)
                        || is_reserved(&out)
                    {
                        errors.push(error_at(
                            a.source,
                            pos,
                            format!("alias `{alias}` is the URL of a page the site already has"),
                        ));
                    } else if let Some(&other) = alias_owner.get(&out) {
                        if other != i {
                            errors.push(error_at(
                                a.source,
                                pos,
                                format!(
                                    "alias `{alias}` is also an alias of {}",
                                    articles[other].1.source.file.display()
                                ),
                            ));
                        }
                    } else {
                        alias_owner.insert(out.clone(), i);
                        aliases.push(out);
                    }
                }
                Err(message) => errors.push(error_at(
                    a.source,
                    pos,
                    format!("alias `{alias}`: {message}"),
                )),
            }
        }

        if let Some(review) = &a.fm.reviewed
            && let Some(next) = review.next.filter(|n| *n < today)
        {
            let pos = a.locations.find("reviewed", Some(&next.to_string()));
            warnings.push(
                Diagnostic::error_at(
                    &a.source.file,
                    &a.source.text,
                    pos.0,
                    pos.1,
                    "review-overdue",
                    format!("the medical review was due on {}; review the article and update `reviewed`", next.long_text()),
                )
                .warning(),
            );
        }
        let section = section_index[a.folder_url.unwrap_or_default()];
        sections[section].articles.push(i);
        built.push(Article {
            file: a.source.file.clone(),
            rel: a.source.rel.clone(),
            path: path.clone(),
            slug: a.slug.to_string(),
            section,
            fm: a.fm.clone(),
            body: r.clone(),
            locations: a.locations.clone(),
            derived: d.clone(),
            cause_ids: Vec::new(),
            related,
            tags: Vec::new(),
            aliases,
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    // Sort causes and tags by slug, and map each article's slots to the sorted places.
    let (mut causes, cause_place) = sort_by_key(causes, |c| c.slug.clone());
    for c in &mut causes {
        c.also_known_as.sort_by_key(|s| s.to_lowercase());
        c.also_known_as.dedup_by_key(|s| s.to_lowercase());
    }
    let (mut tags, tag_place) = sort_by_key(tags, |t| t.slug.clone());
    for (a, (cause_slots, tag_slots)) in built.iter_mut().zip(slots) {
        a.cause_ids = cause_slots.into_iter().map(|s| cause_place[s]).collect();
        a.tags = tag_slots.into_iter().map(|s| tag_place[s]).collect();
    }
    // Lists are ordered by title: rank every article once, then sort lists by rank.
    let mut by_title: Vec<usize> = (0..built.len()).collect();
    by_title.par_sort_unstable_by(|&x, &y| title_order(&built[x], &built[y]));
    let mut rank = vec![0u32; built.len()];
    for (r, &i) in by_title.iter().enumerate() {
        rank[i] = r as u32;
    }
    for s in &mut sections {
        s.articles.sort_unstable_by_key(|&x| rank[x]);
    }
    for t in &mut tags {
        t.articles.sort_unstable_by_key(|&x| rank[x]);
        t.articles.dedup();
    }
    causes.par_iter_mut().for_each(|c| {
        c.by_title = c.mentions.clone();
        c.by_title.sort_by_key(|m| rank[m.0]);
    });

    Ok(Site {
        config,
        today,
        articles: built,
        sections,
        causes,
        tags,
        assets: sources.assets.clone(),
        warnings,
    })
}

/// Sorts `items` by `key`; also returns, for each item's old position, its new one.
fn sort_by_key<T, K: Ord>(items: Vec<T>, key: impl Fn(&T) -> K) -> (Vec<T>, Vec<usize>) {
    let mut keyed: Vec<(K, usize, T)> = items
        .into_iter()
        .enumerate()
        .map(|(i, t)| (key(&t), i, t))
        .collect();
    keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut place = vec![0; keyed.len()];
    for (new, (_, old, _)) in keyed.iter().enumerate() {
        place[*old] = new;
    }
    (keyed.into_iter().map(|(_, _, t)| t).collect(), place)
}

/// Orders articles by title, then path, so lists are stable.
pub fn title_order(a: &Article, b: &Article) -> std::cmp::Ordering {
    a.derived
        .title_key
        .cmp(&b.derived.title_key)
        .then_with(|| a.path.cmp(&b.path))
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

fn derive(fm: &FrontMatter, locations: &Locations, body: &markdown::Rendered) -> Derived {
    let mut problems = Vec::new();
    let cause_anchors =
        fm.causes
            .iter()
            .map(|entry| match &entry.section {
                Some(id) if body.headings.iter().any(|h| &h.id == id) => Some(id.clone()),
                Some(id) => {
                    let pos = locations.find("causes", Some(&format!("section: {id}")));
                    let pos = if pos.1 == 1 {
                        locations.find("causes", Some(id))
                    } else {
                        pos
                    };
                    let known: Vec<&str> = body.headings.iter().map(|h| h.id.as_str()).collect();
                    problems.push((
                    pos,
                    format!(
                        "cause `{}`: no heading with id `{id}` in this article (heading ids: {})",
                        entry.name,
                        if known.is_empty() { "none".to_string() } else { known.join(", ") }
                    ),
                ));
                    None
                }
                None => cause_anchor(
                    &body.headings,
                    &entry.name,
                    &entry.also_known_as,
                    entry.group.as_deref(),
                ),
            })
            .collect();
    let tag_slugs = fm
        .tags
        .iter()
        .map(|tag| {
            let slug = slugify(tag);
            if slug.is_empty() {
                problems.push((
                    locations.find("tags", Some(tag)),
                    format!("tag `{tag}` has no letters or digits"),
                ));
                None
            } else {
                Some(slug)
            }
        })
        .collect();
    Derived {
        cause_slugs: fm.causes.iter().map(|c| slugify(&c.name)).collect(),
        cause_anchors,
        tag_slugs,
        title_key: fm.title.to_lowercase(),
        problems,
    }
}

/// Where a cause links inside its article: the first heading whose section mentions the
/// cause's name or another of its names; else the heading that matches its group.
pub fn cause_anchor(
    headings: &[Heading],
    name: &str,
    also_known_as: &[String],
    group: Option<&str>,
) -> Option<String> {
    let names: Vec<String> = std::iter::once(name)
        .chain(also_known_as.iter().map(String::as_str))
        .map(fold_words)
        .filter(|w| w.trim() != "")
        .collect();
    if let Some(h) = headings
        .iter()
        .find(|h| names.iter().any(|n| h.section_words.contains(n.as_str())))
    {
        return Some(h.id.clone());
    }
    let group = group?;
    let (words, slug) = (fold_words(group), slugify(group));
    headings
        .iter()
        .find(|h| fold_words(&h.title) == words || h.id == slug)
        .map(|h| h.id.clone())
}

/// Whether a `related` entry names an article that has errors of its own (by its file path).
fn names_broken(broken: &HashSet<&str>, entry: &str) -> bool {
    let entry = entry.trim().trim_matches('/').trim_end_matches(".md");
    broken.iter().any(|rel| {
        let stem = rel.trim_end_matches(".md");
        stem == entry || stem.rsplit('/').next() == Some(entry)
    })
}

/// A `related` entry: a section path (`plants/mint-root-rot`) or, for a name with no `/`,
/// the one article with that slug.
fn find_related<'a>(
    articles: &'a [(String, Parsed)],
    by_url: &FxHashMap<&str, usize>,
    by_slug: &mut Option<FxHashMap<&'a str, Vec<usize>>>,
    entry: &str,
) -> Result<usize, String> {
    let wanted = format!(
        "{}/",
        entry.trim().trim_matches('/').trim_end_matches(".md")
    );
    if let Some(&i) = by_url.get(wanted.as_str()) {
        return Ok(i);
    }
    if !entry.contains('/') {
        let by_slug = by_slug.get_or_insert_with(|| {
            let mut map: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
            for (i, (_, a)) in articles.iter().enumerate() {
                map.entry(a.slug).or_default().push(i);
            }
            map
        });
        let matches: &[usize] = by_slug.get(entry.trim()).map_or(&[], Vec::as_slice);
        match matches {
            [one] => return Ok(*one),
            [] => {}
            many => {
                return Err(format!(
                    "`{entry}` names {} articles ({}); write its section path instead",
                    many.len(),
                    many.iter()
                        .map(|&i| format!("`{}`", articles[i].0.trim_end_matches('/')))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
    }
    Err(format!(
        "related article `{entry}` does not exist (write its slug, or its section path like `plants/mint-root-rot`)"
    ))
}

/// The URL path of a content folder (`Nerves and Muscles/Feet` gives `nerves-and-muscles/feet/`),
/// or None when a folder name has nothing to make a slug from.
fn folder_path(folder: &str) -> Option<String> {
    let mut out = String::new();
    for part in folder.split('/').filter(|p| !p.is_empty()) {
        let s = slugify(part);
        if s.is_empty() {
            return None;
        }
        out.push_str(&s);
        out.push('/');
    }
    Some(out)
}

/// `a/b/` gives `a/` and `a/b/`.
fn prefixes(path: &str) -> Vec<String> {
    path.match_indices('/')
        .map(|(i, _)| path[..=i].to_string())
        .collect()
}

fn parent_path(path: &str) -> Option<String> {
    if path.is_empty() {
        return None;
    }
    let trimmed = path.trim_end_matches('/');
    Some(
        trimmed
            .rfind('/')
            .map_or(String::new(), |i| trimmed[..=i].to_string()),
    )
}

/// "nerves-and_muscles" gives "Nerves and muscles".
fn humanize(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A folder whose URL the build uses for pages of its own (`Causes/` gives /causes/).
fn reserved_folder(file: &Path, folder: &str, url: &str) -> Diagnostic {
    let top = folder.split('/').next().unwrap_or(folder);
    let first = url.split('/').next().unwrap_or(url);
    Diagnostic::error(
        file,
        "content",
        format!(
            "the folder content/{top}/ would be published at /{first}/, which the build uses \
             itself; rename the folder"
        ),
    )
}

fn is_reserved(out: &str) -> bool {
    let first = out.split('/').next().unwrap_or("");
    // `sitemap-N.xml`: the parts of a sitemap too large for one file.
    let sitemap_part = first
        .strip_prefix("sitemap-")
        .and_then(|r| r.strip_suffix(".xml"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    RESERVED.contains(&first) || sitemap_part
}

/// Where a file placed beside articles is copied, below the output folder: under its
/// folder's URL (`Skin Care/photo.svg` gives `skin-care/photo.svg`), so that a link written
/// beside an article works on the site. Links to it are rewritten to the same path.
pub fn asset_output_path(rel: &str) -> String {
    let (folder, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let mut out: Vec<String> = folder
        .split('/')
        .map(slugify)
        .filter(|p| !p.is_empty())
        .collect();
    out.push(name.to_string());
    out.join("/")
}

/// The file an alias writes, below the output folder: `/old/page/` gives
/// `old/page/index.html`, `/old.html` gives `old.html`. Anything that could leave the output
/// folder is refused.
pub fn alias_output_path(alias: &str) -> Result<String, String> {
    let a = alias.trim();
    if a.contains("://") || a.starts_with("//") {
        return Err("write a path on this site, like /old/page/, not a full URL".into());
    }
    if a.contains(['\\', '?', '#', '\0', '%', '"', '<', '>']) {
        return Err("a path may not contain \\ ? # % \" < > characters".into());
    }
    let segments: Vec<&str> = a.split('/').filter(|s| !s.is_empty()).collect();
    if segments.is_empty() {
        return Err("the site root cannot be an alias".into());
    }
    if segments
        .iter()
        .any(|s| *s == "." || *s == ".." || s.starts_with('.') || s.contains(':'))
    {
        return Err("a path may not contain `.` or `..` segments, hidden names or `:`".into());
    }
    let joined = segments.join("/");
    Ok(if joined.ends_with(".html") || joined.ends_with(".htm") {
        joined
    } else {
        format!("{joined}/index.html")
    })
}

/// What links in Markdown can point at.
#[derive(Debug)]
struct LinkTargets {
    base_path: String,
    /// Source path below `content/` to (article index, URL path).
    articles: HashMap<String, (usize, String)>,
    /// `_index.md` source paths to section URL paths.
    sections: HashMap<String, String>,
    assets: HashSet<String>,
    drafts: HashSet<String>,
    /// Articles with errors of their own: links to them are not reported a second time.
    broken: HashSet<String>,
}

impl LinkTargets {
    /// Resolves a link written in a file of folder `dir` (below `content/`).
    fn resolve(&self, dir: &str, dest: &str) -> Resolution {
        if dest.is_empty() || dest.starts_with("//") || has_scheme(dest) {
            return Resolution::Keep;
        }
        let (rest, fragment) = dest
            .split_once('#')
            .map_or((dest, None), |(p, f)| (p, Some(f)));
        let fragment = fragment.map(|f| {
            if f.is_empty() {
                String::new()
            } else {
                markdown::fragment_id(f)
            }
        });
        let fragment = fragment.as_deref();
        let (path, query) = rest
            .split_once('?')
            .map_or((rest, None), |(p, q)| (p, Some(q)));
        let suffix = format!(
            "{}{}",
            query.map(|q| format!("?{q}")).unwrap_or_default(),
            fragment.map(|f| format!("#{f}")).unwrap_or_default()
        );
        if path.is_empty() {
            return Resolution::Keep;
        }
        let decoded = markdown::percent_decode(path);
        let joined = if let Some(abs) = decoded.strip_prefix('/') {
            normalize(abs)
        } else {
            normalize(&format!("{dir}/{decoded}"))
        };
        let Some(joined) = joined else {
            return Resolution::Error(format!("link `{dest}` points outside content/"));
        };
        if joined.ends_with(".md") {
            if let Some((i, url)) = self.articles.get(&joined) {
                return Resolution::Rewrite {
                    url: format!("{}{url}{suffix}", self.base_path),
                    article: Some(*i),
                    fragment: fragment.map(str::to_string),
                };
            }
            if let Some(url) = self.sections.get(&joined) {
                return Resolution::Rewrite {
                    url: format!("{}{url}{suffix}", self.base_path),
                    article: None,
                    fragment: None,
                };
            }
            if self.broken.contains(joined.as_str()) {
                return Resolution::Keep;
            }
            if self.drafts.contains(joined.as_str()) {
                return Resolution::Error(format!(
                    "link `{dest}` points to a draft, which is not published"
                ));
            }
            return Resolution::Error(format!("link `{dest}`: there is no content/{joined}"));
        }
        if self.assets.contains(&joined) {
            return Resolution::Rewrite {
                url: format!(
                    "{}{}{suffix}",
                    self.base_path,
                    percent_encode_path(&asset_output_path(&joined))
                ),
                article: None,
                fragment: None,
            };
        }
        if path.starts_with('/') {
            // A path on this site, such as /causes/dehydration/: keep it working under a sub-path.
            return Resolution::Rewrite {
                url: format!("{}{}{suffix}", self.base_path, path.trim_start_matches('/')),
                article: None,
                fragment: None,
            };
        }
        let last = joined.rsplit('/').next().unwrap_or("");
        if last.contains('.') {
            return Resolution::Error(format!("link `{dest}`: there is no content/{joined}"));
        }
        Resolution::Keep
    }
}

fn has_scheme(dest: &str) -> bool {
    dest.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// Resolves `.` and `..` in a `/`-separated path; None when it climbs above the start.
fn normalize(path: &str) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            p => out.push(p),
        }
    }
    Some(out.join("/"))
}

/// Encodes the characters of a file path that cannot stand in a URL as they are.
pub fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_build_s_own_files_are_reserved() {
        for out in [
            "sitemap.xml",
            "sitemap-1.xml",
            "sitemap-12.xml",
            "causes/x/index.html",
        ] {
            assert!(is_reserved(out), "{out}");
        }
        for out in [
            "sitemap-.xml",
            "sitemap-a.xml",
            "sitemaps/index.html",
            "old/sitemap-1.xml",
        ] {
            assert!(!is_reserved(out), "{out}");
        }
    }

    fn heading(id: &str, title: &str, text: &str) -> Heading {
        Heading {
            level: 2,
            id: id.into(),
            title: title.into(),
            section_words: fold_words(&format!("{title} {text}")),
        }
    }

    #[test]
    fn cause_anchors_follow_the_content_model() {
        let hs = vec![
            heading(
                "physiological-triggers",
                "Physiological Triggers",
                "Low fluid intake matters.",
            ),
            heading("dehydration", "Dehydration", "Water."),
            heading("nerves", "Nerve and Blood Flow", "Nothing named."),
        ];
        // The first heading whose section mentions the name.
        assert_eq!(
            cause_anchor(&hs, "Dehydration", &[], None).as_deref(),
            Some("dehydration")
        );
        // Or one of its other names, earlier in the article.
        assert_eq!(
            cause_anchor(&hs, "Dehydration", &["low fluid intake".into()], None).as_deref(),
            Some("physiological-triggers")
        );
        // Else the heading matching its group.
        assert_eq!(
            cause_anchor(
                &hs,
                "Peripheral neuropathy",
                &[],
                Some("Nerve and blood flow")
            )
            .as_deref(),
            Some("nerves")
        );
        // Else the article itself.
        assert_eq!(cause_anchor(&hs, "Gout", &[], Some("Other")), None);
        // Whole words only.
        assert_eq!(cause_anchor(&hs, "Hydration", &[], None), None);
    }

    #[test]
    fn aliases_stay_inside_the_output() {
        assert_eq!(
            alias_output_path("/old/foot-cramps/").unwrap(),
            "old/foot-cramps/index.html"
        );
        assert_eq!(alias_output_path("old.html").unwrap(), "old.html");
        for bad in [
            "/../etc/passwd",
            "/a/../../b",
            "https://evil.example/",
            "//evil",
            "/",
            "/a/.hidden",
            "C:/x",
            "/a\\..\\b",
        ] {
            assert!(alias_output_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn links_resolve_relative_and_from_the_root() {
        let targets = LinkTargets {
            base_path: "/health/".into(),
            articles: [(
                "plants/mint.md".to_string(),
                (4, "plants/mint/".to_string()),
            )]
            .into(),
            sections: [("plants/_index.md".to_string(), "plants/".to_string())].into(),
            assets: ["plants/root rot.svg".to_string()].into(),
            drafts: ["plants/draft.md".to_string()].into(),
            broken: HashSet::new(),
        };
        let rw = |url: &str, article: Option<usize>, fragment: Option<&str>| Resolution::Rewrite {
            url: url.into(),
            article,
            fragment: fragment.map(str::to_string),
        };
        assert_eq!(
            targets.resolve("", "plants/mint.md#roots"),
            rw("/health/plants/mint/#roots", Some(4), Some("roots"))
        );
        assert_eq!(
            targets.resolve("feet", "/plants/mint.md"),
            rw("/health/plants/mint/", Some(4), None)
        );
        assert_eq!(
            targets.resolve("feet", "../plants/_index.md"),
            rw("/health/plants/", None, None)
        );
        assert_eq!(
            targets.resolve("plants", "root%20rot.svg"),
            rw("/health/plants/root%20rot.svg", None, None)
        );
        assert_eq!(
            targets.resolve("", "/causes/dehydration/"),
            rw("/health/causes/dehydration/", None, None)
        );
        assert_eq!(targets.resolve("", "https://nhs.uk/x.md"), Resolution::Keep);
        assert_eq!(targets.resolve("", "mailto:a@b.c"), Resolution::Keep);
        assert!(
            matches!(targets.resolve("", "gone.md"), Resolution::Error(m) if m.contains("no content/gone.md"))
        );
        assert!(
            matches!(targets.resolve("plants", "draft.md"), Resolution::Error(m) if m.contains("draft"))
        );
        assert!(
            matches!(targets.resolve("", "../../secret.md"), Resolution::Error(m) if m.contains("outside"))
        );
        assert!(matches!(
            targets.resolve("", "photo.png"),
            Resolution::Error(_)
        ));
    }
}

//! Rendering: the theme's templates, the list of pages a site has, and each page's bytes.

pub mod context;
pub mod feeds;
pub mod jsonld;
mod labels;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::{Context, ErrorKind, Kwargs, State, Tera};

use crate::diagnostics::{Code, Diagnostic};
use crate::i18n::Catalogue;
use crate::site::{Site, paths};
use context::*;

/// How many articles the home page lists at most.
pub const HOME_ARTICLES: usize = 100;

/// Templates every theme must provide.
pub const REQUIRED_TEMPLATES: &[&str] = &[
    "index.html",
    "article.html",
    "section.html",
    "causes.html",
    "cause.html",
    "tags.html",
    "tag.html",
    "search.html",
    "404.html",
];

/// A theme's templates, loaded once and shared by every page rendered.
pub struct Theme {
    tera: Tera,
    /// Template name to the file it came from (the site's override, the theme folder's, or
    /// the built-in theme's as `(built-in theme)/templates/...`).
    files: BTreeMap<String, PathBuf>,
    /// Whether the built-in theme's static files are the lowest layer (theme `default`).
    pub builtin: bool,
    /// The translation catalogue of each language the site uses, by language tag.
    pub catalogues: std::sync::Arc<BTreeMap<String, std::sync::Arc<crate::i18n::Catalogue>>>,
    /// Static folders to copy over it, lowest priority first (theme, then the site's own).
    pub static_dirs: Vec<PathBuf>,
}

impl Theme {
    /// Loads the theme's templates and lays the site's own `templates/` over them. Theme
    /// `default` is carried in the binary: a site's `themes/default/` replaces its files one
    /// by one, and is not needed at all. Any other theme is `themes/<name>/`.
    pub fn load(root: &Path, name: &str, languages: &[&str]) -> Result<Theme, Vec<Diagnostic>> {
        let theme_dir = root.join("themes").join(name);
        let builtin = name == crate::builtin_theme::NAME;
        if !builtin && !theme_dir.is_dir() {
            return Err(vec![Diagnostic::error(
                "site.yaml",
                Code::Theme,
                format!(
                    "theme `{name}` not found: there is no folder themes/{name}/ (the built-in theme is `default`)"
                ),
            )]);
        }
        let mut files: BTreeMap<String, PathBuf> = BTreeMap::new();
        let mut texts: BTreeMap<String, String> = BTreeMap::new();
        if builtin {
            for (full, below) in crate::builtin_theme::files_in("templates") {
                if is_template(below) {
                    let bytes = crate::builtin_theme::file(full).unwrap_or_default();
                    files.insert(below.to_string(), crate::builtin_theme::shown_path(full));
                    texts.insert(
                        below.to_string(),
                        String::from_utf8_lossy(bytes).into_owned(),
                    );
                }
            }
        }
        let mut errors = Vec::new();
        for dir in [theme_dir.join("templates"), root.join("templates")] {
            if !dir.is_dir() {
                continue;
            }
            for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
                match entry {
                    Ok(e) if e.file_type().is_file() => {
                        let rel = e.path().strip_prefix(&dir).unwrap_or(e.path());
                        let name = rel.to_string_lossy().replace('\\', "/");
                        if is_template(&name) {
                            texts.remove(&name);
                            files.insert(name, e.path().to_path_buf());
                        }
                    }
                    Ok(_) => {}
                    Err(e) => {
                        errors.push(Diagnostic::error(dir.clone(), Code::Theme, e.to_string()))
                    }
                }
            }
        }
        for required in REQUIRED_TEMPLATES {
            if !files.contains_key(*required) {
                errors.push(Diagnostic::error(
                    theme_dir.join("templates").join(required),
                    Code::Theme,
                    format!("theme `{name}` has no template `{required}`"),
                ));
            }
        }
        let mut sources: Vec<(String, String)> = Vec::new();
        for (name, path) in &files {
            if let Some(text) = texts.remove(name) {
                sources.push((name.clone(), text));
                continue;
            }
            match std::fs::read_to_string(path) {
                Ok(text) => sources.push((name.clone(), text)),
                Err(e) => errors.push(Diagnostic::error(
                    path.clone(),
                    Code::Io,
                    format!("cannot read: {e}"),
                )),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let i18n = crate::i18n::Sources::read(root, name, builtin)?;
        let mut catalogues = BTreeMap::new();
        for &language in languages {
            match i18n.catalogue(language) {
                Ok(c) => _ = catalogues.insert(language.to_string(), std::sync::Arc::new(c)),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let catalogues = std::sync::Arc::new(catalogues);
        // One language: its fixed labels are written into the templates as they load.
        if let ([_], Some(only)) = (languages, catalogues.values().next()) {
            for (_, text) in &mut sources {
                *text = labels::inline_fixed(text, only);
            }
        }
        let mut tera = Tera::new();
        labels::register(
            &mut tera,
            &catalogues,
            languages.first().copied().unwrap_or("en"),
        );
        // Check each template's syntax on its own first, so every broken file is reported.
        for (name, text) in &sources {
            let mut alone = Tera::new();
            if let Err(e) = alone.add_raw_template(name, text)
                && matches!(e.kind(), ErrorKind::SyntaxError(_))
            {
                errors.push(template_error(&files, &e, Some(name)));
            }
        }
        // For URLs from content a theme puts in `href` or `src` (`extra` values, say):
        // the URL, or `#` when its scheme could run script.
        tera.register_filter("checked_url", |url: &str, _: Kwargs, _: &State| {
            crate::url_scheme::or_inert(url).to_string()
        });
        if errors.is_empty()
            && let Err(e) =
                tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        {
            errors.push(template_error(&files, &e, None));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let static_dirs = [theme_dir.join("static"), root.join("static")]
            .into_iter()
            .filter(|d| d.is_dir())
            .collect();
        Ok(Theme {
            tera,
            files,
            builtin,
            catalogues,
            static_dirs,
        })
    }

    /// The labels of `language` (the site's first language when it has no catalogue of its
    /// own, which `load` prevents for the languages it was given).
    pub fn labels(&self, language: &str) -> std::sync::Arc<crate::i18n::Catalogue> {
        (self.catalogues.get(language))
            .or_else(|| self.catalogues.values().next())
            .cloned()
            .unwrap_or_default()
    }

    /// Sets the values every page shares.
    pub fn set_site(&mut self, site: &Site) {
        self.tera
            .global_context()
            .insert("site", &SiteContext::new(site));
    }

    fn render(&self, template: &str, ctx: &Context) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(template, ctx, &mut out)
            .map_err(|e| template_error(&self.files, &e, Some(template)))?;
        Ok(out)
    }
}

/// Turns a Tera error into a diagnostic naming the template file and line.
fn template_error(
    files: &BTreeMap<String, PathBuf>,
    e: &tera::Error,
    fallback: Option<&str>,
) -> Diagnostic {
    let file_of = |name: &str| {
        files
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(name))
    };
    match e.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let name = if report.filename().is_empty() {
                fallback.unwrap_or("")
            } else {
                report.filename()
            };
            let path = file_of(name);
            let span = report.span();
            let source = std::fs::read_to_string(&path).unwrap_or_default();
            Diagnostic::error_at(
                path,
                &source,
                span.start_line,
                span.start_col + 1,
                Code::Template,
                report.message(),
            )
        }
        _ => {
            let mut message = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                message.push_str(": ");
                message.push_str(&s.to_string());
                source = s.source();
            }
            Diagnostic::error(
                fallback
                    .map(file_of)
                    .unwrap_or_else(|| PathBuf::from("templates")),
                Code::Template,
                message,
            )
        }
    }
}

/// One page of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Page {
    Home,
    Article(usize),
    /// A section's list of articles: (section, page number from 1).
    Section(usize, usize),
    Causes,
    /// A cause's list of mentions: (cause, page number from 1).
    Cause(usize, usize),
    Tags,
    /// A topic's list of articles: (tag, page number from 1).
    Tag(usize, usize),
    Search,
    NotFound,
}

/// How many items each list page holds, and how many pages a list of `len` items takes.
pub fn page_count(site: &Site, len: usize) -> usize {
    len.div_ceil(site.config.pagination.per_page).max(1)
}

/// The pages of every list: sections, causes and tags, each with its page count.
pub fn list_pages(site: &Site) -> Vec<Page> {
    let mut pages = Vec::new();
    for (i, s) in site.sections.iter().enumerate().skip(1) {
        pages.extend((1..=page_count(site, s.articles.len())).map(|p| Page::Section(i, p)));
    }
    for (i, c) in site.causes.iter().enumerate() {
        pages.extend((1..=page_count(site, c.mentions.len())).map(|p| Page::Cause(i, p)));
    }
    for (i, t) in site.tags.iter().enumerate() {
        pages.extend((1..=page_count(site, t.articles.len())).map(|p| Page::Tag(i, p)));
    }
    pages
}

impl Page {
    /// The path below the site root the page is served at (`""` for home, `404.html`).
    pub fn path(self, site: &Site) -> String {
        match self {
            Page::Home => String::new(),
            Page::Article(i) => site.articles[i].path.clone(),
            Page::Section(i, p) => paths::paged(site.sections[i].path.clone(), p),
            Page::Causes => paths::CAUSES_PAGE.into(),
            Page::Cause(i, p) => paths::paged(cause_path(&site.causes[i]), p),
            Page::Tags => paths::TAGS_PAGE.into(),
            Page::Tag(i, p) => paths::paged(tag_path(&site.tags[i]), p),
            Page::Search => paths::SEARCH_PAGE.into(),
            Page::NotFound => paths::NOT_FOUND_PAGE.into(),
        }
    }

    /// The same page in every language that has it (this one included), each as (language,
    /// path below the site root); empty when no other language has it. Only a list's first
    /// page has translations: the others hold different articles in each language.
    pub fn translations(self, site: &Site) -> Vec<crate::site::Counterpart> {
        let t = &site.translations;
        let list = match self {
            Page::Home | Page::Causes | Page::Tags | Page::Search => t.everywhere(&self.path(site)),
            Page::Article(i) => t.article(&site.articles[i].rel).to_vec(),
            Page::Section(s, 1) if s != 0 => t.section(&site.sections[s].path).to_vec(),
            Page::Cause(c, 1) => t.cause(site, t.index_of(&site.config.language), c).to_vec(),
            _ => Vec::new(),
        };
        if list.len() < 2 { Vec::new() } else { list }
    }

    /// The file written below the output folder.
    pub fn output_file(self, site: &Site) -> String {
        let path = self.path(site);
        if path.is_empty() || path.ends_with('/') {
            site.output_path(&format!("{path}index.html"))
        } else {
            site.output_path(&path)
        }
    }
}

/// Whether a file of a templates folder is a template.
fn is_template(name: &str) -> bool {
    name.ends_with(".html") || name.ends_with(".xml") || name.ends_with(".txt")
}

/// Every page of the site, in a fixed order.
pub fn plan(site: &Site) -> Vec<Page> {
    let mut pages = vec![
        Page::Home,
        Page::Causes,
        Page::Tags,
        Page::Search,
        Page::NotFound,
    ];
    pages.extend((0..site.articles.len()).map(Page::Article));
    pages.extend(list_pages(site));
    pages
}

/// What every page tells the base template, besides its own context.
struct Frame {
    template: &'static str,
    kind: &'static str,
    title: String,
    description: String,
    breadcrumbs: Vec<Link>,
    /// The page's own schema.org node; its breadcrumbs are added to it.
    jsonld: Option<serde_json::Value>,
}

/// Renders one page. `summaries` is shared by the pages of one rendering pass.
pub fn render_page(
    site: &Site,
    theme: &Theme,
    summaries: &Summaries,
    page: Page,
) -> Result<Vec<u8>, Diagnostic> {
    let path = page.path(site);
    let article = match page {
        Page::Article(i) => Some(&site.articles[i]),
        _ => None,
    };
    let mut ctx = Context::new();
    ctx.insert("lang", &summaries.labels.language);
    let Frame {
        template,
        kind,
        title,
        description,
        mut breadcrumbs,
        jsonld,
    } = match page {
        Page::Home => home(site, summaries, &mut ctx),
        Page::Article(i) => article_page(site, summaries, &mut ctx, i),
        Page::Section(i, page) => section_page(site, summaries, &mut ctx, i, page),
        Page::Causes => causes_page(site, &summaries.labels, &mut ctx),
        Page::Cause(i, page) => cause_page(site, summaries, &mut ctx, i, page),
        Page::Tags => tags_page(site, &summaries.labels, &mut ctx),
        Page::Tag(i, page) => tag_page(site, summaries, &mut ctx, i, page),
        Page::Search => search_page(site, &summaries.labels),
        Page::NotFound => not_found_page(&summaries.labels),
    };
    if page != Page::Home {
        breadcrumbs.insert(
            0,
            Link {
                title: summaries.labels.get("home"),
                url: site.url(""),
            },
        );
    }
    let mut nodes: Vec<String> = Vec::new();
    if let Some(mut node) = jsonld {
        if node.get("url").is_none() {
            node["url"] = site.permalink(&path).into();
        }
        nodes.push(node.to_string());
    }
    if !breadcrumbs.is_empty() && kind != "404" {
        nodes.push(jsonld::breadcrumbs(site, &breadcrumbs, &title, &path));
    }
    let jsonld = jsonld::script(&nodes);
    // Later pages of a list have titles of their own, for tabs and search engines.
    let title = match page {
        Page::Section(_, n) | Page::Cause(_, n) | Page::Tag(_, n) if n > 1 => (summaries.labels)
            .text(
                "list_page_title",
                None,
                &[("title", &title), ("page", &n.to_string())],
            )
            .unwrap_or(title),
        _ => title,
    };
    ctx.insert(
        "page",
        &PageContext {
            kind,
            title,
            description,
            url: site.url(&path),
            permalink: site.permalink(&path),
            breadcrumbs,
            jsonld,
            image: context::page_image(site, article),
            alternates: alternates(site, theme, page),
        },
    );
    theme.render(template, &ctx)
}

/// The same page in every language that has it, named in its own language.
fn alternates(site: &Site, theme: &Theme, page: Page) -> Vec<context::Alternate> {
    let languages = &site.translations.languages;
    (page.translations(site).into_iter())
        .map(|(lang, path)| {
            let tag = &languages[lang].0;
            context::Alternate {
                name: (theme.catalogues.get(tag))
                    .map_or_else(|| tag.clone(), |c| c.get("language_name")),
                dir: crate::language::direction(tag),
                url: site.file_url(&path),
                permalink: site.file_permalink(&path),
                current: *tag == site.config.language,
                lang: tag.clone(),
            }
        })
        .collect()
}

/// The home page: the intro, sections, recent articles and the first articles by title.
fn home(site: &Site, summaries: &Summaries, ctx: &mut Context) -> Frame {
    let root = &site.sections[0];
    let mut recent: Vec<usize> = (0..site.articles.len())
        .filter(|&i| site.articles[i].last_change().is_some())
        .collect();
    recent.sort_by(|&a, &b| {
        let (x, y) = (&site.articles[a], &site.articles[b]);
        y.last_change()
            .cmp(&x.last_change())
            .then_with(|| crate::site::title_order(x, y))
    });
    recent.truncate(10);
    // The home page stays small however large the site: the first articles by title,
    // and the total, so a theme can point to the sections for the rest.
    let by_title =
        |&a: &usize, &b: &usize| crate::site::title_order(&site.articles[a], &site.articles[b]);
    let mut all: Vec<usize> = (0..site.articles.len()).collect();
    let shown = HOME_ARTICLES.min(all.len());
    if shown > 0 && shown < all.len() {
        all.select_nth_unstable_by(shown - 1, by_title);
        all.truncate(shown);
    }
    all.sort_by(by_title);
    let mut sections: Vec<SectionSummary> = root
        .subsections
        .iter()
        .map(|&i| section_summary(site, &site.sections[i]))
        .collect();
    sections.sort_by_key(|s| s.title.to_lowercase());
    ctx.insert(
        "articles",
        &all.iter()
            .map(|&i| summaries.get(site, i))
            .collect::<Vec<_>>(),
    );
    ctx.insert("article_count", &site.articles.len());
    ctx.insert(
        "recent",
        &recent
            .iter()
            .map(|&i| summaries.get(site, i))
            .collect::<Vec<_>>(),
    );
    ctx.insert("sections", &sections);
    ctx.insert("cause_count", &site.causes.len());
    ctx.insert("intro", &root.html);
    Frame {
        template: "index.html",
        kind: "home",
        title: site.config.title.clone(),
        description: site.config.description.clone(),
        breadcrumbs: vec![],
        jsonld: Some(jsonld::website(site)),
    }
}

/// An article.
fn article_page(site: &Site, summaries: &Summaries, ctx: &mut Context, i: usize) -> Frame {
    let a = &site.articles[i];
    ctx.insert("article", &ArticleContext::new(site, summaries, a));
    Frame {
        template: "article.html",
        kind: "article",
        title: a.fm.title.clone(),
        description: a.fm.description.clone(),
        breadcrumbs: section_trail(site, a.section, true),
        jsonld: Some(jsonld::article(site, a)),
    }
}

/// A page of a section's list of articles.
fn section_page(
    site: &Site,
    summaries: &Summaries,
    ctx: &mut Context,
    i: usize,
    page: usize,
) -> Frame {
    let s = &site.sections[i];
    let paginator = Paginator::new(site, &s.path, page, s.articles.len());
    let section = SectionContext::new(site, summaries, s, paginator.range());
    let listed = jsonld::listed(&section.articles);
    ctx.insert("section", &section);
    ctx.insert("paginator", &paginator);
    let description = s.description.clone().unwrap_or_else(|| {
        (summaries.labels)
            .text("section_description", None, &[("section", &s.title)])
            .unwrap_or_default()
    });
    let trail = s
        .parent
        .map(|p| section_trail(site, p, true))
        .unwrap_or_default();
    Frame {
        template: "section.html",
        kind: "section",
        jsonld: Some(jsonld::collection(
            site,
            "CollectionPage",
            &s.title,
            &description,
            &listed,
        )),
        title: s.title.clone(),
        description,
        breadcrumbs: trail,
    }
}

/// Causes A–Z.
fn causes_page(site: &Site, labels: &Catalogue, ctx: &mut Context) -> Frame {
    ctx.insert("letters", &letters(site));
    site_page(
        site,
        labels,
        ("causes.html", "causes"),
        "CollectionPage",
        "causes_az",
        "causes_description",
    )
}

/// A page of a cause's list of the articles that explain it.
fn cause_page(
    site: &Site,
    summaries: &Summaries,
    ctx: &mut Context,
    i: usize,
    page: usize,
) -> Frame {
    let c = &site.causes[i];
    let paginator = Paginator::new(site, &cause_path(c), page, c.mentions.len());
    let cause = CauseContext::new(site, summaries, c, paginator.range());
    let count = i64::try_from(c.mentions.len()).unwrap_or(i64::MAX);
    let description = (summaries.labels)
        .text("cause_description", Some(count), &[("cause", &c.name)])
        .unwrap_or_default();
    let listed = jsonld::listed(cause.mentions.iter().map(|m| &m.article));
    let node = jsonld::collection(site, "CollectionPage", &c.name, &description, &listed);
    ctx.insert("cause", &cause);
    ctx.insert("paginator", &paginator);
    Frame {
        template: "cause.html",
        kind: "cause",
        jsonld: Some(node),
        title: c.name.clone(),
        description,
        breadcrumbs: vec![Link {
            title: summaries.labels.get("causes_az"),
            url: site.url(paths::CAUSES_PAGE),
        }],
    }
}

/// Every topic.
fn tags_page(site: &Site, labels: &Catalogue, ctx: &mut Context) -> Frame {
    ctx.insert("tags", &tag_list(site));
    site_page(
        site,
        labels,
        ("tags.html", "tags"),
        "CollectionPage",
        "topics",
        "topics_description",
    )
}

/// A page of a topic's list of articles.
fn tag_page(site: &Site, summaries: &Summaries, ctx: &mut Context, i: usize, page: usize) -> Frame {
    let t = &site.tags[i];
    let paginator = Paginator::new(site, &tag_path(t), page, t.articles.len());
    let tag = TagContext::new(site, summaries, t, paginator.range());
    let description = (summaries.labels)
        .text("topic_description", None, &[("topic", &t.name)])
        .unwrap_or_default();
    let node = jsonld::collection(
        site,
        "CollectionPage",
        &t.name,
        &description,
        &jsonld::listed(&tag.articles),
    );
    ctx.insert("tag", &tag);
    ctx.insert("paginator", &paginator);
    Frame {
        template: "tag.html",
        kind: "tag",
        jsonld: Some(node),
        title: t.name.clone(),
        description,
        breadcrumbs: vec![Link {
            title: summaries.labels.get("topics"),
            url: site.url(paths::TAGS_PAGE),
        }],
    }
}

/// The search page.
fn search_page(site: &Site, labels: &Catalogue) -> Frame {
    site_page(
        site,
        labels,
        ("search.html", "search"),
        "SearchResultsPage",
        "search_title",
        "search_description",
    )
}

/// A page of the site as a whole: its title and description (which names the site) from the
/// labels, and schema.org type `ty`.
fn site_page(
    site: &Site,
    labels: &Catalogue,
    (template, kind): (&'static str, &'static str),
    ty: &str,
    title_key: &str,
    description_key: &str,
) -> Frame {
    let description =
        (labels.text(description_key, None, &[("site", &site.config.title)])).unwrap_or_default();
    let title = labels.get(title_key);
    Frame {
        template,
        kind,
        jsonld: Some(jsonld::collection(site, ty, &title, &description, &[])),
        title,
        description,
        breadcrumbs: vec![],
    }
}

/// The page a host shows for a missing URL.
fn not_found_page(labels: &Catalogue) -> Frame {
    Frame {
        template: "404.html",
        kind: "404",
        title: labels.get("not_found_title"),
        description: labels.get("not_found_description"),
        breadcrumbs: vec![],
        jsonld: None,
    }
}

/// Links to a section and its parents, root first (the root itself left out).
fn section_trail(site: &Site, mut section: usize, include_self: bool) -> Vec<Link> {
    let mut trail = Vec::new();
    if !include_self {
        section = site.sections[section].parent.unwrap_or(0);
    }
    while section != 0 {
        trail.push(section_link(site, &site.sections[section]));
        section = site.sections[section].parent.unwrap_or(0);
    }
    trail.reverse();
    trail
}

//! The site held in memory for `serve`: sources, caches, the model and every output file,
//! updated after each edit by re-rendering only the pages the edit touches.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::content::{self, Asset, Sources};
use crate::diagnostics::Diagnostic;
use crate::pipeline::{self, relative};
use crate::render::{self, Page, Theme};
use crate::site::{self, Patched, Site};
use crate::{BuildOptions, CopiedFrom, INDEX_FILE, host_files_cached, search, static_files};

/// One file of the served site.
#[derive(Debug, Clone)]
pub enum Served {
    /// Rendered in memory (pages, feeds, the cause index).
    Bytes(Arc<Vec<u8>>),
    /// Copied as it is from this file (static files and content assets).
    File(PathBuf),
    /// A file of the built-in theme.
    Builtin(&'static [u8]),
}

/// What a rebuild did.
#[derive(Debug, Clone)]
pub struct Rebuilt {
    /// Pages rendered again.
    pub pages: usize,
    /// Whether every page had to be rendered (a template, configuration or structure change).
    pub full: bool,
    /// Whether the model was patched in place (an edit to one article's body, or to what its
    /// pages show of its front matter), not made again.
    pub model_patched: bool,
    pub elapsed: Duration,
    /// Time spent in each phase: reading files and the model, rendering pages, and the
    /// generated files (feeds, cause index).
    pub phases: Vec<(&'static str, Duration)>,
}

/// The kinds of input an edit can touch.
#[derive(Debug, Default)]
struct Touched {
    config: bool,
    templates: bool,
    statics: bool,
    /// Paths below `content/` that changed, appeared or vanished.
    content: BTreeSet<String>,
}

/// One language of the served site: its sources, the caches its models lend each other,
/// and its model.
struct Language {
    sources: Sources,
    cache: site::Cache,
    site: Site,
    index_cache: crate::search::IndexCache,
    shard_cache: crate::search::ShardCache,
}

/// A built site in memory, in each of its languages.
pub struct Workspace {
    options: BuildOptions,
    root: PathBuf,
    config: Config,
    theme: Theme,
    /// The default language first.
    languages: Vec<Language>,
    pages: Files,
    statics: BTreeMap<String, CopiedFrom>,
    /// Paths of the generated files (feeds, aliases, shards) of the last rebuild, so those an
    /// edit makes obsolete are removed.
    generated: Vec<String>,
    /// Whether the last rebuild succeeded, so the caches describe the models (a failed one
    /// may have cached a broken file): only then may a body edit patch a model in place.
    settled: bool,
}

impl Workspace {
    /// Loads and renders the whole site.
    pub fn open(options: BuildOptions) -> Result<Workspace, Vec<Diagnostic>> {
        let root = options.root.clone();
        let config = pipeline::read_config(&options)?;
        let mut caches: Vec<site::Cache> = (config.all_languages().iter())
            .map(|_| site::Cache::kept())
            .collect();
        let loaded = pipeline::load(&options, config, &mut caches, &crate::progress::Silent)?;
        let languages = (loaded.editions.into_iter())
            .zip(caches)
            .map(|(edition, cache)| Language {
                sources: edition.sources,
                cache,
                site: edition.site,
                index_cache: search::IndexCache::kept(),
                shard_cache: search::ShardCache::kept(),
            })
            .collect();
        let mut ws = Workspace {
            options,
            root,
            config: loaded.config,
            theme: loaded.theme,
            languages,
            pages: HashMap::new(),
            statics: BTreeMap::new(),
            generated: Vec::new(),
            settled: true,
        };
        ws.statics = (loaded.copied.into_iter())
            .map(|(rel, from, _)| (rel, from))
            .collect();
        for lang in &ws.languages {
            ws.theme.set_site(&lang.site);
            let all = render::plan(&lang.site);
            let pages = render_pages(&lang.site, &ws.theme, &all);
            ws.pages.extend(pages.map_err(|e| relative(&ws.root, e))?);
        }
        ws.add_generated();
        Ok(ws)
    }

    /// The model of the default language.
    pub fn site(&self) -> &Site {
        &self.languages[0].site
    }

    /// The file served at a path below the site root (`foot-spasms/index.html`).
    pub fn get(&self, rel: &str) -> Option<Served> {
        if let Some(held) = self.pages.get(rel) {
            return Some(Served::Bytes(held.bytes()));
        }
        self.statics.get(rel).map(|from| match from {
            CopiedFrom::File(p) => Served::File(p.clone()),
            CopiedFrom::Builtin(_) => Served::Builtin(from.builtin_bytes().unwrap_or_default()),
        })
    }

    /// Every output path, sorted (for tests and writing the site out).
    pub fn paths(&self) -> Vec<String> {
        let mut paths: BTreeSet<&String> = self.statics.keys().collect();
        paths.extend(self.pages.keys());
        paths.into_iter().cloned().collect()
    }

    fn add_generated(&mut self) {
        for rel in std::mem::take(&mut self.generated) {
            self.pages.remove(&rel);
        }
        let sites: Vec<&Site> = self.languages.iter().map(|l| &l.site).collect();
        let (robots, bytes) = crate::robots_file(&sites);
        self.generated.push(robots.clone());
        self.pages.insert(robots, Held::Plain(Arc::new(bytes)));
        for lang in &mut self.languages {
            // The cause index is made into the old one's memory when no response holds it.
            let index = lang.site.output_path(INDEX_FILE);
            let mut buffer = match self.pages.remove(&index) {
                Some(Held::Plain(old)) => Arc::try_unwrap(old).unwrap_or_default(),
                _ => Vec::new(),
            };
            buffer.clear();
            let (files, ()) = rayon::join(
                || host_files_cached(&lang.site, &mut lang.shard_cache),
                || {
                    search::write_json(&lang.site, &mut lang.index_cache, &mut buffer)
                        .expect("writing to memory cannot fail")
                },
            );
            for (rel, bytes) in files {
                self.generated.push(rel.clone());
                self.pages.insert(rel, Held::Plain(bytes));
            }
            self.pages.insert(index, Held::Plain(Arc::new(buffer)));
        }
    }

    /// After an edit to one article's body in language `lang`: its search shards, which hold
    /// the body's words, brought up to date (the feeds and the cause index are made from
    /// front matter alone).
    fn add_shards(&mut self, lang: usize) {
        let Language {
            site, shard_cache, ..
        } = &mut self.languages[lang];
        let made = crate::search_files(site, shard_cache);
        let fresh: BTreeSet<&str> = made.iter().map(|(rel, _)| rel.as_str()).collect();
        let shards = site.output_path("search/");
        let pages = &mut self.pages;
        self.generated.retain(|rel| {
            let gone = rel.starts_with(&shards) && !fresh.contains(rel.as_str());
            if gone {
                pages.remove(rel);
            }
            !gone
        });
        for (rel, bytes) in made {
            if pages.insert(rel.clone(), Held::Plain(bytes)).is_none() {
                self.generated.push(rel);
            }
        }
    }

    /// Takes in edited, created or deleted files (absolute paths or paths below the root)
    /// and brings the site up to date. On errors the previous site stays as it was.
    pub fn apply(&mut self, changed: &[PathBuf]) -> Result<Rebuilt, Vec<Diagnostic>> {
        let started = Instant::now();
        let touched = self.classify(changed);
        if touched.config {
            let fresh = Workspace::open(self.options.clone())?;
            let pages = fresh.pages.len();
            *self = fresh;
            return Ok(Rebuilt {
                pages,
                full: true,
                model_patched: false,
                elapsed: started.elapsed(),
                phases: Vec::new(),
            });
        }
        if self.settled
            && let Some(rebuilt) = self.try_patch(&touched, started)?
        {
            return Ok(rebuilt);
        }
        // Set again once this rebuild has succeeded.
        self.settled = false;
        let tags = self.config.all_languages();
        if touched.templates {
            self.theme = Theme::load(&self.root, &self.config.theme, &tags)
                .map_err(|e| relative(&self.root, e))?;
        }
        // The files each language's edit touched, by their names without the language.
        let mut edited: Vec<BTreeSet<String>> = vec![BTreeSet::new(); self.languages.len()];
        for rel in &touched.content {
            self.reload_source(rel)
                .map_err(|e| relative(&self.root, vec![e]))?;
            match self.language_of(rel) {
                Some((lang, plain)) => _ = edited[lang].insert(plain),
                // An asset, which every language shares.
                None => edited.iter_mut().for_each(|e| _ = e.insert(rel.clone())),
            }
        }
        let mut sources: Vec<Sources> = (self.languages.iter_mut())
            .map(|l| std::mem::take(&mut l.sources))
            .collect();
        let mut caches: Vec<site::Cache> = (self.languages.iter_mut())
            .map(|l| std::mem::take(&mut l.cache))
            .collect();
        let made = pipeline::models(&self.options, &self.config, &mut sources, &mut caches);
        for ((lang, sources), cache) in self.languages.iter_mut().zip(sources).zip(caches) {
            (lang.sources, lang.cache) = (sources, cache);
        }
        let mut sites = made?;
        let model_done = started.elapsed();

        // What every page shows besides its own content: the sections (navigation,
        // breadcrumbs), the translations, the templates.
        let mut full = touched.templates
            || sites[0].translations != self.languages[0].site.translations
            || (self.languages.iter().zip(&sites)).any(|(l, s)| !same_frame(&l.site, s));
        // Articles added, removed or moved, lists that gain or lose pages: the output paths
        // change.
        let moved: Vec<bool> = (self.languages.iter().zip(&sites))
            .map(|(l, s)| !same_structure(&l.site, s))
            .collect();
        // Image sizes are read again when a file could have changed or a page names a new one.
        let images_moved = touched.statics
            || touched.content.iter().any(|rel| !rel.ends_with(".md"))
            || (self.languages.iter().zip(&sites)).any(|(l, s)| {
                s.published_images()
                    .any(|p| !l.site.image_sizes.contains_key(p))
            });
        if full || images_moved || moved.contains(&true) {
            let all: Vec<&Site> = sites.iter().collect();
            let copied = pipeline::check_paths(&self.root, &all, &self.theme)?;
            let versions = crate::asset_versions::of(&copied)
                .map_err(|e| pipeline::relative(&self.root, e))?;
            for site in &mut sites {
                pipeline::measure_images(&self.root, site, &copied)?;
                site.asset_versions = versions.clone();
            }
            // Every page links the static files with their versions.
            full |= versions != self.languages[0].site.asset_versions;
        } else {
            for (site, lang) in sites.iter_mut().zip(&self.languages) {
                site.image_sizes = lang.site.image_sizes.clone();
                site.asset_versions = lang.site.asset_versions.clone();
            }
        }
        let mut rendered = Files::new();
        let mut count = 0;
        let mut vanished = Vec::new();
        for (k, ((site, lang), edited)) in
            sites.iter().zip(&self.languages).zip(&edited).enumerate()
        {
            let pages: Vec<Page> = if full {
                render::plan(site)
            } else if edited.is_empty() {
                continue;
            } else if moved[k] {
                let now: HashSet<String> = (render::plan(site).into_iter())
                    .map(|p| p.output_file(site))
                    .collect();
                vanished.extend(
                    (render::plan(&lang.site).into_iter())
                        .map(|p| p.output_file(&lang.site))
                        .filter(|f| !now.contains(f)),
                );
                moved_pages(&lang.site, site, edited)
            } else {
                affected_pages(&lang.site, site, edited)
            };
            let pages = with_new_bodies(&lang.site, site, pages);
            self.theme.set_site(site);
            let made = render_pages(site, &self.theme, &pages);
            rendered.extend(made.map_err(|e| relative(&self.root, e))?);
            count += pages.len();
        }
        if full {
            self.pages = rendered;
        } else {
            for file in vanished {
                self.pages.remove(&file);
            }
            self.pages.extend(rendered);
        }
        let render_done = started.elapsed();
        for (lang, site) in self.languages.iter_mut().zip(sites) {
            // Dropping the old model of a large site takes a while: do it off this thread.
            let old = std::mem::replace(&mut lang.site, site);
            std::thread::spawn(move || drop(old));
        }
        if touched.statics || !touched.content.is_empty() {
            self.statics =
                static_files(self.site(), &self.theme).map_err(|e| relative(&self.root, e))?;
        }
        let statics_done = started.elapsed();
        self.add_generated();
        self.settled = true;
        let elapsed = started.elapsed();
        Ok(Rebuilt {
            pages: count,
            full,
            model_patched: false,
            elapsed,
            phases: vec![
                ("model", model_done),
                ("render", render_done - model_done),
                ("static", statics_done - render_done),
                ("generated", elapsed - statics_done),
            ],
        })
    }

    /// The language of a Markdown file below `content/` (its index among the site's
    /// languages) and its name without the language; None for any other file, and for a
    /// language the site does not publish in (an error the model reports).
    fn language_of(&self, rel: &str) -> Option<(usize, String)> {
        if !rel.ends_with(".md") {
            return None;
        }
        match content::language_of(rel) {
            None => Some((0, rel.to_string())),
            Some((tag, plain)) => (self.config.all_languages().iter())
                .position(|l| *l == tag)
                .map(|i| (i, plain)),
        }
    }

    /// The common edits while writing, to one article and nothing else, patched into the
    /// model of its language instead of making it again:
    /// - its body, when no other page can tell (see [`site::Cache::patch`]): only its
    ///   page is rendered and the search shards that hold its words are made again; the
    ///   feeds and the cause index, made from front matter alone, stay as they are;
    /// - what its pages show of its front matter, the description for one, and its tags
    ///   among those the site has: the pages that show the article are rendered (every page
    ///   of a tag it joined or left), and the feeds, cause index and search files made again.
    ///
    /// None when the edit needs a rebuild.
    fn try_patch(
        &mut self,
        touched: &Touched,
        started: Instant,
    ) -> Result<Option<Rebuilt>, Vec<Diagnostic>> {
        let rel = match touched.content.first() {
            Some(rel) if touched.content.len() == 1 => rel,
            _ => return Ok(None),
        };
        let Some((lang, plain)) = self.language_of(rel) else {
            return Ok(None);
        };
        if touched.templates || touched.statics {
            return Ok(None);
        }
        let path = self.root.join("content").join(rel);
        let shown = PathBuf::from("content").join(rel);
        let Ok(mut source) = content::read_source(&path, shown, rel.clone()) else {
            return Ok(None);
        };
        source.rel = plain;
        let language = &mut self.languages[lang];
        let old_text = (language.sources.markdown.iter())
            .find(|s| s.rel == source.rel)
            .map(|s| s.text.as_str());
        let Some((new, patched)) = language.cache.patch(&language.site, &source, old_text) else {
            return Ok(None);
        };
        let index = new.index;
        let tags_before = language.site.articles[index].tags.clone();
        let lists = (patched == Patched::ShownFields).then(|| render::list_pages(&language.site));
        let model_done = started.elapsed();
        let old = language.cache.set_body(&mut language.site, new);
        let site = &language.site;
        // A tag list that gains or loses a page changes the set of files: the long way.
        if lists.is_some_and(|lists| lists != render::list_pages(site)) {
            language.cache.set_body(&mut language.site, old);
            return Ok(None);
        }
        let pages = match patched {
            Patched::Body => vec![Page::Article(index)],
            // What the lists, cause and tag pages show of it changed; where it stands in them
            // did not, but in the lists of a tag it joined or left: all their pages.
            Patched::ShownFields => {
                let mut pages = affected_pages(site, site, &BTreeSet::from([source.rel.clone()]));
                let tags = &site.articles[index].tags;
                for &t in (tags_before.iter().filter(|t| !tags.contains(t)))
                    .chain(tags.iter().filter(|t| !tags_before.contains(t)))
                {
                    let count = render::page_count(site, site.tags[t].articles.len());
                    pages.extend((1..=count).map(|p| Page::Tag(t, p)));
                }
                pages.sort();
                pages.dedup();
                pages
            }
        };
        self.theme.set_site(&language.site);
        match render_pages(&language.site, &self.theme, &pages) {
            Ok(rendered) => self.pages.extend(rendered),
            Err(e) => {
                // Leave the site as it was.
                language.cache.set_body(&mut language.site, old);
                return Err(relative(&self.root, e));
            }
        }
        put_source(&mut language.sources, source);
        let render_done = started.elapsed();
        if patched == Patched::Body {
            self.add_shards(lang);
        } else {
            // Feeds and the cause index show front matter.
            self.add_generated();
        }
        let elapsed = started.elapsed();
        Ok(Some(Rebuilt {
            pages: pages.len(),
            full: false,
            model_patched: true,
            elapsed,
            phases: vec![
                ("model", model_done),
                ("render", render_done - model_done),
                ("static", Duration::ZERO),
                ("generated", elapsed - render_done),
            ],
        }))
    }

    /// Sorts changed paths into configuration, templates (catalogues with them), static files
    /// and content.
    fn classify(&self, changed: &[PathBuf]) -> Touched {
        let mut t = Touched::default();
        let canonical_root = self
            .root
            .canonicalize()
            .unwrap_or_else(|_| self.root.clone());
        for path in changed {
            let rel = path
                .strip_prefix(&canonical_root)
                .or_else(|_| path.strip_prefix(&self.root))
                .unwrap_or(path);
            let rel = rel.to_string_lossy().replace('\\', "/");
            if rel == "site.yaml" {
                t.config = true;
            } else if let Some(inner) = rel.strip_prefix("content/") {
                if !content::is_hidden(inner) {
                    t.content.insert(inner.to_string());
                }
            } else if rel.starts_with("templates/")
                || rel.starts_with("i18n/")
                || is_theme_part(&rel, "templates")
                || is_theme_part(&rel, "i18n")
            {
                t.templates = true;
            } else if rel.starts_with("static/") || is_theme_part(&rel, "static") {
                t.statics = true;
            }
        }
        t
    }

    /// Re-reads one file below `content/` (or forgets it when it is gone) into the sources of
    /// its language, or of every language for a file they share.
    fn reload_source(&mut self, rel: &str) -> Result<(), Diagnostic> {
        let path = self.root.join("content").join(rel);
        if rel.ends_with(".md") {
            let Some((lang, plain)) = self.language_of(rel) else {
                // A language the site does not publish in: read the whole tree again, so
                // the model reports it.
                return self.reload_all();
            };
            let language = &mut self.languages[lang];
            language.cache.forget(&plain);
            if path.is_file() {
                let shown = PathBuf::from("content").join(rel);
                let mut source = content::read_source(&path, shown, rel.to_string())?;
                source.rel = plain;
                put_source(&mut language.sources, source);
            } else {
                language.sources.markdown.retain(|s| s.rel != plain);
            }
        } else if path.is_dir() {
            // A folder appeared or was renamed: read the whole tree again.
            return self.reload_all();
        } else {
            for language in &mut self.languages {
                language.cache.forget(rel);
                let assets = &mut language.sources.assets;
                assets.retain(|a| a.rel != rel);
                if path.is_file() {
                    let at = assets.partition_point(|a| a.rel.as_str() < rel);
                    let asset = Asset {
                        rel: rel.to_string(),
                        path: path.clone(),
                    };
                    assets.insert(at, asset);
                }
            }
        }
        // A deleted folder takes its files with it.
        if !path.exists() {
            let prefix = format!("{rel}/");
            for language in &mut self.languages {
                let sources = &mut language.sources;
                sources.markdown.retain(|s| !s.rel.starts_with(&prefix));
                sources.assets.retain(|a| !a.rel.starts_with(&prefix));
            }
        }
        Ok(())
    }

    /// Reads every file below `content/` again, forgetting what the caches hold.
    fn reload_all(&mut self) -> Result<(), Diagnostic> {
        let tags = self.config.all_languages();
        let sources = content::load(&self.root, &self.root.join("content"))
            .and_then(|s| s.by_language(&tags))
            .map_err(|mut e| e.remove(0))?;
        for (language, sources) in self.languages.iter_mut().zip(sources) {
            language.sources = sources;
            language.cache = site::Cache::kept();
        }
        Ok(())
    }

    /// Writes the whole site into `dir` (for tests and for comparing with a full build).
    pub fn write_to(&self, dir: &Path) -> std::io::Result<()> {
        for rel in self.paths() {
            let path = dir.join(&rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            match self.get(&rel) {
                Some(Served::Bytes(b)) => std::fs::write(&path, &*b)?,
                Some(Served::File(from)) => {
                    std::fs::copy(from, &path)?;
                }
                Some(Served::Builtin(b)) => std::fs::write(&path, b)?,
                None => {}
            }
        }
        Ok(())
    }
}

/// Puts a Markdown source among `sources`: in place of the one of the same path, else where
/// its path sorts.
fn put_source(sources: &mut Sources, source: content::Source) {
    let list = &mut sources.markdown;
    match list.iter().position(|s| s.rel == source.rel) {
        Some(at) => list[at] = source,
        None => {
            let at = list.partition_point(|s| s.rel < source.rel);
            list.insert(at, source);
        }
    }
}

fn is_theme_part(rel: &str, part: &str) -> bool {
    let mut parts = rel.split('/');
    parts.next() == Some("themes") && parts.nth(1) == Some(part)
}

/// Output files by path.
type Files = HashMap<String, Held>;

/// A file of the site held in memory. Pages are kept deflated: they are most of what a
/// served site holds and shrink about sixfold, and inflating one for a response takes a
/// fraction of a millisecond. Generated files are kept as they were made (the search files
/// share their memory with the search cache).
#[derive(Debug, Clone)]
enum Held {
    Deflated(Arc<[u8]>),
    Plain(Arc<Vec<u8>>),
}

impl Held {
    fn deflate(bytes: &[u8]) -> Held {
        use std::io::Write;
        let out = Vec::with_capacity(bytes.len() / 4);
        let mut encoder = flate2::write::DeflateEncoder::new(out, flate2::Compression::fast());
        encoder
            .write_all(bytes)
            .expect("writing to memory cannot fail");
        let out = encoder.finish().expect("writing to memory cannot fail");
        Held::Deflated(out.into())
    }

    fn bytes(&self) -> Arc<Vec<u8>> {
        match self {
            Held::Plain(bytes) => bytes.clone(),
            Held::Deflated(packed) => {
                use std::io::Read;
                let mut out = Vec::with_capacity(packed.len() * 6);
                flate2::read::DeflateDecoder::new(&packed[..])
                    .read_to_end(&mut out)
                    .expect("the page was deflated by this process");
                Arc::new(out)
            }
        }
    }
}

/// Renders pages in parallel into a map from output path to bytes: the pipeline with
/// memory as its sink.
fn render_pages(site: &Site, theme: &Theme, pages: &[Page]) -> Result<Files, Vec<Diagnostic>> {
    let out = std::sync::Mutex::new(Files::with_capacity(pages.len()));
    let errors = pipeline::render(
        site,
        theme,
        pages,
        &crate::progress::Silent,
        |rel, bytes| {
            let held = Held::deflate(&bytes);
            drop(bytes);
            out.lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(rel, held);
            Ok(())
        },
    );
    if errors.is_empty() {
        Ok(out.into_inner().unwrap_or_else(|p| p.into_inner()))
    } else {
        Err(errors)
    }
}

/// Whether two models have the same sections, which every page shows in its navigation and
/// breadcrumbs, and section pages in their lists of subsections. When they do, an edit to
/// some articles only changes the pages that show them.
fn same_frame(old: &Site, new: &Site) -> bool {
    old.sections.len() == new.sections.len()
        && old.sections.iter().zip(&new.sections).all(|(a, b)| {
            a.path == b.path
                && a.title == b.title
                && a.description == b.description
                && a.html == b.html
                && a.extra == b.extra
                && a.parent == b.parent
                && a.subsections == b.subsections
        })
}

/// Whether two models have the same pages in the same places (list pages included), and the
/// same sections. When they do, each article keeps its place in every list it stays in.
fn same_structure(old: &Site, new: &Site) -> bool {
    render::list_pages(old) == render::list_pages(new)
        && old.articles.len() == new.articles.len()
        && old
            .articles
            .iter()
            .zip(&new.articles)
            .all(|(a, b)| a.path == b.path && a.rel == b.rel)
        && old.sections.len() == new.sections.len()
        && old.sections.iter().zip(&new.sections).all(|(a, b)| {
            a.path == b.path
                && a.title == b.title
                && a.description == b.description
                && a.html == b.html
        })
        && old.causes.len() == new.causes.len()
        && old
            .causes
            .iter()
            .zip(&new.causes)
            .all(|(a, b)| a.slug == b.slug && a.name == b.name)
        && old.tags.len() == new.tags.len()
        && old
            .tags
            .iter()
            .zip(&new.tags)
            .all(|(a, b)| a.slug == b.slug && a.name == b.name)
}

/// `pages` and the pages of the articles whose rendered body is not the one `old` had: a link
/// in it now resolves elsewhere (the article it links to moved).
fn with_new_bodies(old: &Site, new: &Site, mut pages: Vec<Page>) -> Vec<Page> {
    let before: HashMap<&str, &Arc<crate::markdown::Rendered>> = (old.articles.iter())
        .map(|a| (a.rel.as_str(), &a.body))
        .collect();
    let changed = (new.articles.iter().enumerate())
        .filter(|(_, a)| {
            before
                .get(a.rel.as_str())
                .is_none_or(|b| !Arc::ptr_eq(b, &a.body) && b.html != a.body.html)
        })
        .map(|(i, _)| Page::Article(i));
    pages.extend(changed);
    pages.sort();
    pages.dedup();
    pages
}

/// The pages that can show an article edited, added or removed when others moved in the lists
/// (models of the same frame, see [`same_frame`]): its own, every page of the lists it is or
/// was in (its section and the sections above, its causes and tags, by slug in `new`), the
/// articles that list it as related, and the lists that count articles.
fn moved_pages(old: &Site, new: &Site, edited: &BTreeSet<String>) -> Vec<Page> {
    let mut pages: BTreeSet<Page> = BTreeSet::from([Page::Home, Page::Causes, Page::Tags]);
    let all_of = |pages: &mut BTreeSet<Page>, len: usize, page: &dyn Fn(usize) -> Page| {
        pages.extend((1..=render::page_count(new, len)).map(page));
    };
    let section = |pages: &mut BTreeSet<Page>, mut s: usize| {
        while s != 0 {
            let len = new.sections[s].articles.len();
            all_of(pages, len, &|p| Page::Section(s, p));
            s = new.sections[s].parent.unwrap_or(0);
        }
    };
    let cause = |slug: &str| {
        new.causes
            .binary_search_by(|c| c.slug.as_str().cmp(slug))
            .ok()
    };
    let tag = |slug: &str| {
        new.tags
            .binary_search_by(|t| t.slug.as_str().cmp(slug))
            .ok()
    };
    let lists = |pages: &mut BTreeSet<Page>, site: &Site, a: &crate::site::Article| {
        let path = &site.sections[a.section].path;
        if let Some(s) = new.sections.iter().position(|s| &s.path == path) {
            section(pages, s);
        }
        for c in a
            .cause_ids
            .iter()
            .filter_map(|&c| cause(&site.causes[c].slug))
        {
            all_of(pages, new.causes[c].by_title.len(), &|p| Page::Cause(c, p));
        }
        for t in a.tags.iter().filter_map(|&t| tag(&site.tags[t].slug)) {
            all_of(pages, new.tags[t].articles.len(), &|p| Page::Tag(t, p));
        }
    };
    for a in old.articles.iter().filter(|a| edited.contains(&a.rel)) {
        lists(&mut pages, old, a);
    }
    for (i, a) in new.articles.iter().enumerate() {
        if edited.contains(&a.rel) {
            pages.insert(Page::Article(i));
            lists(&mut pages, new, a);
        }
    }
    for (j, other) in new.articles.iter().enumerate() {
        if (other.related.iter()).any(|&r| edited.contains(&new.articles[r].rel)) {
            pages.insert(Page::Article(j));
        }
    }
    pages
        .into_iter()
        .filter(|p| !matches!(p, Page::Section(0, _)))
        .collect()
}

/// The pages that show an edited article: its own, those of its causes and tags (before and
/// after the edit), its section, the articles that list it as related, and the lists that
/// count articles (home, causes A–Z, topics).
fn affected_pages(old: &Site, new: &Site, edited: &BTreeSet<String>) -> Vec<Page> {
    let mut pages: BTreeSet<Page> = BTreeSet::new();
    pages.insert(Page::Home);
    pages.insert(Page::Causes);
    pages.insert(Page::Tags);
    let per_page = new.config.pagination.per_page;
    // The pages of a list that show article `i`: only the one holding it when it kept its
    // place (and was in the list before and after), else all of them.
    let list_pages = |before: &[usize], after: &[usize], i: usize| -> Vec<usize> {
        let total = render::page_count(new, after.len());
        match (
            before.iter().position(|&x| x == i),
            after.iter().position(|&x| x == i),
        ) {
            (Some(a), Some(b)) if a == b && before.len() == after.len() => vec![b / per_page + 1],
            _ => (1..=total).collect(),
        }
    };
    let firsts = |mentions: &[(usize, usize)]| mentions.iter().map(|m| m.0).collect::<Vec<_>>();
    for (i, a) in new.articles.iter().enumerate() {
        if !edited.contains(&a.rel) {
            continue;
        }
        let before = &old.articles[i];
        pages.insert(Page::Article(i));
        if a.section != 0 {
            let s = a.section;
            let shown = list_pages(&old.sections[s].articles, &new.sections[s].articles, i);
            pages.extend(shown.into_iter().map(|p| Page::Section(s, p)));
        }
        for &c in before.cause_ids.iter().chain(&a.cause_ids) {
            let shown = list_pages(
                &firsts(&old.causes[c].by_title),
                &firsts(&new.causes[c].by_title),
                i,
            );
            pages.extend(shown.into_iter().map(|p| Page::Cause(c, p)));
        }
        for &t in before.tags.iter().chain(&a.tags) {
            let shown = list_pages(&old.tags[t].articles, &new.tags[t].articles, i);
            pages.extend(shown.into_iter().map(|p| Page::Tag(t, p)));
        }
        for (j, other) in new.articles.iter().enumerate() {
            if other.related.contains(&i) {
                pages.insert(Page::Article(j));
            }
        }
    }
    pages
        .into_iter()
        .filter(|p| !matches!(p, Page::Section(0, _)))
        .collect()
}

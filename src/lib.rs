//! Causeway builds static health-information sites: Markdown articles that explain what
//! causes a symptom or condition, rendered through a Tera theme, plus `cause-index.json`,
//! a reverse index from causes to the sections that explain them.
//!
//! The pipeline runs one way: load config → load and parse content (every error) → build the
//! site model → render pages → write into a staging folder → swap it in.
#![warn(unreachable_pub)]

pub mod archetype;
pub mod asset_versions;
pub mod build_cache;
pub mod builtin_theme;
pub mod check;
pub mod config;
pub mod content;
pub mod control_chars;
pub mod date;
mod deep_io;
pub mod diagnostics;
pub mod i18n;
pub mod images;
pub mod init;
pub mod interrupt;
pub mod language;
pub mod markdown;
pub mod output;
mod output_paths;
pub mod pipeline;
pub mod progress;
pub mod readability;
pub mod render;
pub mod report;
pub mod search;
pub mod serve;
pub mod site;
mod slug;
pub use slug::SlugStyle;
mod suggest;
#[cfg(test)]
mod test_site;
pub mod url_scheme;
mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic};
use crate::output::Staged;
use crate::render::{Theme, feeds};
use crate::site::Site;

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site root: the folder holding `site.yaml`.
    pub root: PathBuf,
    /// Output folder; `public/` under the root by default.
    pub output: Option<PathBuf>,
    /// Include articles marked `draft: true`.
    pub drafts: bool,
    /// Replace `base_url` from `site.yaml`, e.g. for a preview host.
    pub base_url: Option<String>,
    /// The day the build counts as today (for overdue reviews); the system date, or
    /// `SOURCE_DATE_EPOCH`, when not set.
    pub today: Option<date::Date>,
    /// The build cache's folder ([`build_cache`]); None builds without one, replacing the
    /// output whole.
    pub cache_dir: Option<PathBuf>,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            drafts: false,
            base_url: None,
            today: None,
            cache_dir: None,
        }
    }

    /// Where the site is written: `--output`, else `output_dir` of `site.yaml` (below the
    /// root), else `public/`.
    pub fn output_dir(&self, config: &config::Config) -> PathBuf {
        self.output.clone().unwrap_or_else(|| {
            self.root
                .join(config.output_dir.as_deref().unwrap_or("public"))
        })
    }
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct Report {
    pub output: PathBuf,
    /// HTML pages rendered from templates.
    pub pages: usize,
    /// Every file written or copied.
    pub files: usize,
    pub articles: usize,
    pub causes: usize,
    pub elapsed: Duration,
    /// Problems that did not stop the build.
    pub warnings: Vec<Diagnostic>,
}

use pipeline::relative;

/// Reads and checks everything a build needs, without writing anything: the model of each
/// language, the default first, and the theme.
pub fn load(options: &BuildOptions) -> Result<(Vec<Site>, Theme), Vec<Diagnostic>> {
    let config = pipeline::read_config(options)?;
    let loaded = pipeline::load(options, config, &mut Vec::new(), &progress::Silent)?;
    let sites = loaded.editions.into_iter().map(|e| e.site).collect();
    Ok((sites, loaded.theme))
}

/// Builds the site into the output folder. On any error nothing is changed there.
pub fn build(options: &BuildOptions) -> Result<Report, Vec<Diagnostic>> {
    build_with_progress(options, &progress::Silent)
}

/// [`build`], reporting its phases to `progress`.
pub fn build_with_progress(
    options: &BuildOptions,
    progress: &dyn progress::Progress,
) -> Result<Report, Vec<Diagnostic>> {
    let result = build_inner(options, progress);
    progress.finish();
    result
}

fn build_inner(
    options: &BuildOptions,
    progress: &dyn progress::Progress,
) -> Result<Report, Vec<Diagnostic>> {
    let started = Instant::now();
    let root = &options.root;
    let config = pipeline::read_config(options)?;
    let target = options.output_dir(&config);
    output::check_target(root, &target).map_err(|e| vec![output_error(&target, e)])?;
    progress.phase("reading content", 0);
    let loaded = pipeline::load(options, config, &mut Vec::new(), progress)?;
    let (theme, copied) = (loaded.theme, loaded.copied);
    let sites: Vec<Site> = loaded.editions.into_iter().map(|e| e.site).collect();

    let out_err = |e: output::OutputError| output_error(&target, e);
    let manifest = match options
        .cache_dir
        .as_deref()
        .map(build_cache::BuildCache::new)
    {
        Some(cache) => {
            output::check_cache(root, cache.dir(), &target).map_err(|e| vec![out_err(e)])?;
            cache
                .prepare()
                .map_err(|e| vec![Diagnostic::error(cache.dir(), Code::Output, e.to_string())])?;
            Some(cache.output_manifest(&output::normal(&target)))
        }
        None => None,
    };
    let staged = Staged::begin(&target, manifest).map_err(|e| vec![out_err(e)])?;
    match write_site(&sites, theme, &copied, &staged, &target, progress) {
        Ok((pages, files)) => {
            progress.phase(
                if staged.updates_in_place() {
                    "updating the output"
                } else {
                    "replacing the old output"
                },
                0,
            );
            let articles = sites.iter().map(|s| s.articles.len()).sum();
            let causes = sites.iter().map(|s| s.causes.len()).sum();
            let warnings = relative(
                root,
                sites.iter().flat_map(|s| s.warnings.clone()).collect(),
            );
            // Freeing the model (millions of small allocations on a large site) overlaps
            // deleting the old output.
            let (committed, ()) = rayon::join(|| staged.commit(), || drop(sites));
            Ok(Report {
                output: committed.map_err(|e| vec![out_err(e)])?,
                pages,
                files,
                articles,
                causes,
                elapsed: started.elapsed(),
                warnings,
            })
        }
        Err(errors) => {
            staged.abandon();
            Err(relative(root, errors))
        }
    }
}

/// A problem with the output as a diagnostic: about the file that could not be written
/// when there is one, else about the output folder.
fn output_error(target: &Path, e: output::OutputError) -> Diagnostic {
    match e {
        output::OutputError::Io(path, e) => Diagnostic::error(path, Code::Output, e.to_string()),
        e => Diagnostic::error(target, Code::Output, e.to_string()),
    }
}

/// Where a file copied as it is comes from: a file on disk, or the built-in theme.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum CopiedFrom {
    File(PathBuf),
    /// A file of the built-in theme, by its path below the theme (`static/style.css`).
    Builtin(&'static str),
}

impl CopiedFrom {
    /// The path messages name.
    pub fn shown(&self) -> PathBuf {
        match self {
            CopiedFrom::File(p) => p.clone(),
            CopiedFrom::Builtin(rel) => builtin_theme::shown_path(rel),
        }
    }

    /// The built-in file's bytes; None for a file on disk.
    pub fn builtin_bytes(&self) -> Option<&'static [u8]> {
        match self {
            CopiedFrom::File(_) => None,
            CopiedFrom::Builtin(rel) => builtin_theme::file(rel),
        }
    }
}

/// A file copied as it is: (path in the output, source, whether it lies beside the articles).
pub type Copied = (String, CopiedFrom, bool);

/// Files copied as they are, by their path in the output: the theme's static files, the
/// site's own over them, then the files placed beside articles.
pub fn static_files(
    site: &Site,
    theme: &Theme,
) -> Result<BTreeMap<String, CopiedFrom>, Vec<Diagnostic>> {
    Ok(copied_files(site, theme)?
        .into_iter()
        .map(|(rel, from, _)| (rel, from))
        .collect())
}

/// The files copied as they are. A site's static file replaces the theme's at the same path
/// (and the theme's folder the built-in theme's); any other two files at one path are a clash
/// for [`output_paths::check`].
pub fn copied_files(site: &Site, theme: &Theme) -> Result<Vec<Copied>, Vec<Diagnostic>> {
    let mut statics: BTreeMap<String, CopiedFrom> = BTreeMap::new();
    if theme.builtin {
        for (full, below) in builtin_theme::files_in("static") {
            statics.insert(below.to_string(), CopiedFrom::Builtin(full));
        }
    }
    let mut errors = Vec::new();
    for dir in &theme.static_dirs {
        let walker = walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
                    statics.insert(
                        rel.to_string_lossy().replace('\\', "/"),
                        CopiedFrom::File(e.path().to_path_buf()),
                    );
                }
                Ok(_) => {}
                Err(e) => errors.push(Diagnostic::error(dir.clone(), Code::Io, e.to_string())),
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut files: Vec<Copied> = statics
        .into_iter()
        .map(|(rel, from)| (rel, from, false))
        .collect();
    files.extend(site.assets.iter().map(|a| {
        (
            site::asset_output_path(&a.rel),
            CopiedFrom::File(a.path.clone()),
            true,
        )
    }));
    Ok(files)
}

/// The files a host needs besides pages, for `serve`, of one language: sitemap, feed, a
/// redirect page per alias and the sharded search index, whose files come from `cache` while
/// their inputs are unchanged (the cause index is made apart, see [`search`]; robots.txt, one
/// for every language, by [`robots_file`]).
pub fn host_files_cached(
    site: &Site,
    cache: &mut search::ShardCache,
) -> Vec<(String, std::sync::Arc<Vec<u8>>)> {
    let (feeds, search) = rayon::join(|| feed_files(site), || search_files(site, cache));
    let mut files: Vec<(String, std::sync::Arc<Vec<u8>>)> = feeds
        .into_iter()
        .map(|(rel, bytes)| (rel, std::sync::Arc::new(bytes)))
        .collect();
    files.extend(search);
    files
}

/// The search files of one language (from `cache` while their inputs are unchanged), at
/// their output paths (`es/search/...`).
pub fn search_files(
    site: &Site,
    cache: &mut search::ShardCache,
) -> Vec<(String, std::sync::Arc<Vec<u8>>)> {
    (search::collect_files(site, cache).into_iter())
        .map(|(rel, bytes)| (site.output_path(&rel), bytes))
        .collect()
}

/// `robots.txt`, for every language of the site (`sites`, the default first).
pub fn robots_file(sites: &[&Site]) -> (String, Vec<u8>) {
    ("robots.txt".into(), feeds::robots(sites).into_bytes())
}

/// Sitemap, feed and alias pages of one language.
fn feed_files(site: &Site) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = feeds::sitemaps(site)
        .into_iter()
        .map(|(name, xml)| (site.output_path(&name), xml.into_bytes()))
        .collect();
    files.push((site.output_path("atom.xml"), feeds::atom(site).into_bytes()));
    for a in &site.articles {
        for alias in &a.aliases {
            files.push((
                alias.clone(),
                feeds::alias_page(site, &a.path, &a.fm.title).into_bytes(),
            ));
        }
    }
    files
}

/// Where the cause index is written.
pub const INDEX_FILE: &str = "cause-index.json";

/// Writes every file of the site, in each of its languages (`sites`, the default first),
/// into the staging folder. Returns (pages, files).
fn write_site(
    sites: &[Site],
    mut theme: Theme,
    statics: &[Copied],
    staged: &Staged,
    target: &Path,
    progress: &dyn progress::Progress,
) -> Result<(usize, usize), Vec<Diagnostic>> {
    let diag = |e: output::OutputError| output_error(target, e);
    let mut errors = Vec::new();
    for (rel, from, _) in statics {
        let copied = match from {
            CopiedFrom::File(path) => staged.copy(rel, path),
            CopiedFrom::Builtin(_) => staged.write(rel, from.builtin_bytes().unwrap_or_default()),
        };
        if let Err(e) = copied {
            errors.push(diag(e));
        }
    }
    let (robots, bytes) = robots_file(&sites.iter().collect::<Vec<_>>());
    if let Err(e) = staged.write(&robots, &bytes) {
        errors.push(diag(e));
    }
    let (mut pages, mut files) = (0, statics.len() + 1);
    for site in sites {
        theme.set_site(site);
        match write_language(site, &theme, staged, target, progress) {
            Ok((p, f)) => (pages, files) = (pages + p, files + f),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok((pages, files))
    } else {
        Err(errors)
    }
}

/// Writes the pages, search files, feeds and redirects of one language. Returns (pages,
/// files).
fn write_language(
    site: &Site,
    theme: &Theme,
    staged: &Staged,
    target: &Path,
    progress: &dyn progress::Progress,
) -> Result<(usize, usize), Vec<Diagnostic>> {
    let diag = |e: output::OutputError| output_error(target, e);
    let mut errors = Vec::new();
    let pages = render::plan(site);
    progress.phase("rendering pages", pages.len());
    // The search shards, feeds and cause index are made and written while pages render (each
    // side is parallel itself). Large files are written as they are made, not held.
    let (render_errors, (generated, streamed, mut failed)) = rayon::join(
        || {
            pipeline::render(site, theme, &pages, progress, |rel, bytes| {
                staged.write(&rel, &bytes).map_err(diag)
            })
        },
        || {
            let failed = std::sync::Mutex::new(Vec::new());
            let streamed = std::sync::atomic::AtomicUsize::new(0);
            let write = |result: Result<(), output::OutputError>| match result {
                Ok(()) => _ = streamed.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
                Err(e) => failed
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(diag(e)),
            };
            rayon::join(
                || {
                    write(staged.write_with(&site.output_path(INDEX_FILE), |mut out| {
                        search::write_json(site, &mut search::IndexCache::default(), &mut out)
                    }))
                },
                || {
                    search::write_files(site, &mut search::ShardCache::default(), &|rel, bytes| {
                        write(staged.write(&site.output_path(rel), &bytes))
                    })
                },
            );
            (
                feed_files(site),
                streamed.into_inner(),
                failed.into_inner().unwrap_or_else(|p| p.into_inner()),
            )
        },
    );
    errors.append(&mut failed);
    progress.phase("writing feeds and redirects", generated.len());
    errors.extend(render_errors);
    let written: Vec<Result<(), Diagnostic>> = generated
        .par_iter()
        .map(|(rel, bytes)| {
            let written = staged.write(rel, bytes).map_err(diag);
            progress.advance(1);
            written
        })
        .collect();
    errors.extend(written.into_iter().filter_map(Result::err));
    if errors.is_empty() {
        Ok((pages.len(), pages.len() + streamed + generated.len()))
    } else {
        Err(errors)
    }
}

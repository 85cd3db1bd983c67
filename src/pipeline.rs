//! The one pipeline that `build`, `serve` and `check` drive, so the three cannot disagree
//! about what a site is:
//!
//! ```text
//! read (site.yaml, theme, content/) → model (site::build, output paths checked)
//!     → render (pages in parallel, each handed to a sink)
//! ```
//!
//! `build`'s sink is the staged output folder, `serve`'s a map in memory, `check`'s nothing.
//! Only [`read`] and the sinks touch the disk.

use std::path::Path;

use rayon::prelude::*;

use crate::config::{self, Config};
use crate::content::{self, Sources};
use crate::date::Date;
use crate::diagnostics::{Code, Diagnostic};
use crate::images;
use crate::render::{self, Page, Theme};
use crate::site::{self, Site};
use crate::{BuildOptions, Copied, copied_files, output_paths, progress};

/// Everything a site is made from, read from disk once, and the model made from it.
pub struct Loaded {
    pub config: Config,
    pub theme: Theme,
    /// One per language the site publishes in, the default first.
    pub editions: Vec<Edition>,
    /// The files copied as they are, checked with the rest (see [`copied_files`]).
    pub copied: Vec<Copied>,
}

/// One language of the site: its content files and its model, whose URLs lie below the
/// language's root (`/es/` for Spanish).
pub struct Edition {
    pub sources: Sources,
    pub site: Site,
}

/// Diagnostics with paths relative to the site root, sorted, without repeats.
pub fn relative(root: &Path, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    crate::diagnostics::tidy(
        diagnostics
            .into_iter()
            .map(|d| d.relative_to(root))
            .collect(),
    )
}

/// Reads `site.yaml`, with the `--base-url` override applied.
pub fn read_config(options: &BuildOptions) -> Result<Config, Vec<Diagnostic>> {
    let config_path = options.root.join("site.yaml");
    let text = std::fs::read_to_string(&config_path).map_err(|e| {
        vec![Diagnostic::error(
            "site.yaml",
            Code::Config,
            format!(
                "cannot read {}: {e} (is this a Causeway site?)",
                config_path.display()
            ),
        )]
    })?;
    let mut config = Config::parse(&text, Path::new("site.yaml"))?;
    if let Some(url) = &options.base_url {
        config.base_url = config::normalize_base_url(url)
            .map_err(|m| vec![Diagnostic::error("--base-url", Code::Config, m)])?;
        config.root_url = config.base_url.clone();
    }
    Ok(config)
}

/// Reads the theme and every content file of the site `config` (from [`read_config`])
/// describes, and builds the model of each of its languages with every output path checked.
/// Theme, content and model errors are reported together, so a writer sees them all in one
/// run. `caches` holds what earlier models of the same site may lend these, one per language.
pub fn load(
    options: &BuildOptions,
    config: Config,
    caches: &mut Vec<site::Cache>,
    progress: &dyn progress::Progress,
) -> Result<Loaded, Vec<Diagnostic>> {
    let root = &options.root;
    let mut errors = Vec::new();
    let languages = config.all_languages();
    let theme = Theme::load(root, &config.theme, &languages)
        .map_err(|mut e| errors.append(&mut e))
        .ok();
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        errors.push(Diagnostic::error(
            "content",
            Code::Content,
            "there is no content/ folder",
        ));
        return Err(relative(root, errors));
    }
    let sources = content::load(root, &content_dir)
        .and_then(|s| s.by_language(&languages))
        .map_err(|mut e| errors.append(&mut e))
        .ok();
    let editions = sources.and_then(|mut sources| {
        let files = sources.iter().map(|s| s.markdown.len()).sum();
        progress.phase("building the site model", files);
        let sites = models(options, &config, &mut sources, caches)
            .map_err(|mut e| errors.append(&mut e))
            .ok()?;
        let editions = (sources.into_iter().zip(sites))
            .map(|(sources, site)| Edition { sources, site })
            .collect::<Vec<_>>();
        Some(editions)
    });
    let mut editions = editions;
    let copied = match (&mut editions, &theme) {
        (Some(editions), Some(theme)) => finish(root, editions, theme)
            .map_err(|mut e| errors.append(&mut e))
            .ok(),
        _ => None,
    };
    match (theme, editions, copied) {
        (Some(theme), Some(editions), Some(copied)) if errors.is_empty() => Ok(Loaded {
            config,
            theme,
            editions,
            copied,
        }),
        _ => Err(relative(root, errors)),
    }
}

/// The models of every language: the default's first, whose pages links from the other
/// languages fall back to, then the others in parallel, then which pages translate each other.
/// Gives each of `sources` the default language's pages to fall back to.
pub fn models(
    options: &BuildOptions,
    config: &Config,
    sources: &mut [Sources],
    caches: &mut Vec<site::Cache>,
) -> Result<Vec<Site>, Vec<Diagnostic>> {
    let languages = config.all_languages();
    caches.resize_with(languages.len(), site::Cache::default);
    let (first_cache, other_caches) = caches.split_first_mut().expect("one language at least");
    let first = model(
        options,
        &config.edition(languages[0]),
        &sources[0],
        first_cache,
    )?;
    let fallback = std::sync::Arc::new(fallback_links(&first));
    for s in sources.iter_mut().skip(1) {
        s.fallback = fallback.clone();
    }
    let others: Vec<Result<Site, Vec<Diagnostic>>> = (languages[1..].par_iter())
        .zip(&sources[1..])
        .zip(other_caches)
        .map(|((lang, sources), cache)| model(options, &config.edition(lang), sources, cache))
        .collect();
    let mut errors = Vec::new();
    let mut sites = vec![first];
    for other in others {
        match other {
            Ok(site) => sites.push(site),
            Err(mut e) => errors.append(&mut e),
        }
    }
    for site in &sites[1..] {
        errors.extend(site::check_counterparts(&sites[0], site));
    }
    if !errors.is_empty() {
        return Err(relative(&options.root, errors));
    }
    link_translations(&mut sites);
    Ok(sites)
}

/// Gives every model the translations among them all.
pub fn link_translations(sites: &mut [Site]) {
    let translations =
        std::sync::Arc::new(site::Translations::of(&sites.iter().collect::<Vec<_>>()));
    for site in sites {
        site.translations = translations.clone();
    }
}

/// The default language's articles and sections by source path, with their paths below
/// the site root.
fn fallback_links(site: &Site) -> std::collections::BTreeMap<String, String> {
    let mut links: std::collections::BTreeMap<String, String> = (site.articles.iter())
        .map(|a| (a.rel.clone(), a.path.clone()))
        .collect();
    for s in site.sections.iter() {
        let index = if s.path.is_empty() {
            "_index.md".to_string()
        } else {
            format!("{}_index.md", s.path)
        };
        links.insert(index, s.path.clone());
    }
    links
}

/// The rest of loading once every model is made: output paths checked across languages,
/// share images measured, static files versioned. Gives the files copied as they are.
fn finish(
    root: &Path,
    editions: &mut [Edition],
    theme: &Theme,
) -> Result<Vec<Copied>, Vec<Diagnostic>> {
    let sites: Vec<&Site> = editions.iter().map(|e| &e.site).collect();
    let copied = check_paths(root, &sites, theme)?;
    let mut errors = Vec::new();
    for edition in editions.iter_mut() {
        if let Err(mut e) = measure_images(root, &mut edition.site, &copied) {
            errors.append(&mut e);
        }
    }
    let versions = crate::asset_versions::of(&copied).map_err(|e| relative(root, e))?;
    for edition in editions.iter_mut() {
        edition.site.asset_versions = versions.clone();
    }
    if errors.is_empty() {
        Ok(copied)
    } else {
        Err(errors)
    }
}

/// The day reviews are checked against: the options' or the system's (`SOURCE_DATE_EPOCH`).
pub fn today(options: &BuildOptions) -> Date {
    options.today.unwrap_or_else(Date::today)
}

/// The model of `sources`, reusing what `cache` holds.
pub fn model(
    options: &BuildOptions,
    config: &Config,
    sources: &Sources,
    cache: &mut site::Cache,
) -> Result<Site, Vec<Diagnostic>> {
    site::build(
        config.clone(),
        sources,
        options.drafts,
        today(options),
        cache,
    )
    .map_err(|e| relative(&options.root, e))
}

/// Every output path of every language checked for clashes; gives the files copied as they
/// are, so that the static folders are walked once.
pub fn check_paths(
    root: &Path,
    sites: &[&Site],
    theme: &Theme,
) -> Result<Vec<Copied>, Vec<Diagnostic>> {
    let copied = copied_files(sites[0], theme).map_err(|e| relative(root, e))?;
    let errors = output_paths::check(sites, root, &copied);
    if errors.is_empty() {
        Ok(copied)
    } else {
        Err(relative(root, errors))
    }
}

/// Reads the size of every published image the pages show (each article's and the site's)
/// from the files the build copies, into `site.image_sizes`. An image path no copied file
/// has is an error at the line that names it.
pub fn measure_images(
    root: &Path,
    site: &mut Site,
    copied: &[Copied],
) -> Result<(), Vec<Diagnostic>> {
    let published = |p: &Option<images::Placed>| match p {
        Some(images::Placed::Published(path)) => Some(path.clone()),
        _ => None,
    };
    let mut wanted: Vec<(String, Option<usize>)> = (site.articles.iter().enumerate())
        .filter_map(|(i, a)| published(&a.image).map(|p| (p, Some(i))))
        .collect();
    wanted.extend(published(&site.image).map(|p| (p, None)));
    let (sizes, problems) = images::measure(wanted.iter().map(|(p, _)| p.as_str()), copied);
    site.image_sizes = sizes;
    let mut errors = Vec::new();
    for (path, message) in problems {
        for (_, owner) in wanted.iter().filter(|(p, _)| *p == path) {
            errors.push(match owner {
                Some(i) => {
                    let a = &site.articles[*i];
                    let src = a.fm.image.as_ref().map(|s| s.src.as_str());
                    let (line, column) = a.locations.find("image", src);
                    let mut d = Diagnostic::error(a.file.clone(), Code::Content, message.clone());
                    (d.line, d.column) = (line, column);
                    d
                }
                None => site::site_yaml_error(site.config.image_at, message.clone()),
            });
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        let mut errors = relative(root, errors);
        crate::diagnostics::quote_sources(&mut errors, root);
        Err(errors)
    }
}

/// Renders `pages` in parallel and hands each page's output path and bytes to `sink`.
/// Returns every error, of rendering and of the sink.
pub fn render<S>(
    site: &Site,
    theme: &Theme,
    pages: &[Page],
    progress: &dyn progress::Progress,
    sink: S,
) -> Vec<Diagnostic>
where
    S: Fn(String, Vec<u8>) -> Result<(), Diagnostic> + Sync,
{
    let summaries = render::context::Summaries::new(site, theme.labels(&site.config.language));
    let results: Vec<Result<(), Diagnostic>> = pages
        .par_iter()
        .map(|&page| {
            let bytes = render::render_page(site, theme, &summaries, page)?;
            let written = sink(page.output_file(site), bytes);
            progress.advance(1);
            written
        })
        .collect();
    results.into_iter().filter_map(Result::err).collect()
}

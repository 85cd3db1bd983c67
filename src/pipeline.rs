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
    pub sources: Sources,
    pub site: Site,
    /// The files copied as they are, checked with the rest (see [`copied_files`]).
    pub copied: Vec<Copied>,
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
    }
    Ok(config)
}

/// Reads the theme and every content file of the site `config` (from [`read_config`])
/// describes, and builds the model with every output path checked. Theme, content and model
/// errors are reported together, so a writer sees them all in one run. `cache` holds what an
/// earlier model of the same site may lend this one.
pub fn load(
    options: &BuildOptions,
    config: Config,
    cache: &mut site::Cache,
    progress: &dyn progress::Progress,
) -> Result<Loaded, Vec<Diagnostic>> {
    let root = &options.root;
    let mut errors = Vec::new();
    let theme = Theme::load(root, &config.theme, &[config.language.as_str()])
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
        .map_err(|mut e| errors.append(&mut e))
        .ok();
    let site = sources.as_ref().and_then(|sources| {
        progress.phase("building the site model", sources.markdown.len());
        model(options, &config, sources, cache)
            .map_err(|mut e| errors.append(&mut e))
            .ok()
    });
    let mut site = site;
    let copied = match (&mut site, &theme) {
        (Some(site), Some(theme)) => check_paths(root, site, theme)
            .and_then(|copied| measure_images(root, site, &copied).map(|()| copied))
            .and_then(|copied| {
                site.asset_versions =
                    crate::asset_versions::of(&copied).map_err(|e| relative(root, e))?;
                Ok(copied)
            })
            .map_err(|mut e| errors.append(&mut e))
            .ok(),
        _ => None,
    };
    match (theme, sources, site, copied) {
        (Some(theme), Some(sources), Some(site), Some(copied)) if errors.is_empty() => Ok(Loaded {
            config,
            theme,
            sources,
            site,
            copied,
        }),
        _ => Err(relative(root, errors)),
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

/// Every output path checked for clashes; gives the files copied as they are, so that the
/// static folders are walked once.
pub fn check_paths(
    root: &Path,
    site: &Site,
    theme: &Theme,
) -> Result<Vec<Copied>, Vec<Diagnostic>> {
    let copied = copied_files(site, theme).map_err(|e| relative(root, e))?;
    let errors = output_paths::check(site, root, &copied);
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

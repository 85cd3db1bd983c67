//! Every file a build writes, with where it comes from, checked for clashes before anything
//! is written: two sources at one path, or a file where another source needs a folder
//! (`style.css` and an alias `/style.css/`). `build`, `check` and `serve` all run it, so a
//! clash is one error naming both sources, never a file silently replaced.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic};
use crate::render::{self, Page};
use crate::site::{self, Site};

/// What puts a file at a path.
#[derive(Debug, Clone)]
enum Origin {
    /// A file or folder the build makes for itself (`atom.xml`, `search/`).
    Build(&'static str),
    Page(Page),
    Alias {
        article: usize,
        alias: String,
    },
    Static(PathBuf),
    Asset(PathBuf),
}

impl Origin {
    fn describe(&self, site: &Site) -> String {
        match self {
            Origin::Build(what) => format!("the build's own {what}"),
            Origin::Page(Page::Article(i)) => {
                format!("the article {}", site.articles[*i].file.display())
            }
            Origin::Page(Page::Section(s, n)) => {
                let path = &site.sections[*s].path;
                format!("page {n} of the list of content/{path}")
            }
            Origin::Page(Page::Cause(c, n)) => {
                format!("page {n} of the cause `{}`", site.causes[*c].name)
            }
            Origin::Page(Page::Tag(t, n)) => {
                format!("page {n} of the topic `{}`", site.tags[*t].name)
            }
            Origin::Page(page) => format!("the build's own {page:?} page"),
            Origin::Alias { article, alias } => format!(
                "alias `{alias}` of {}",
                site.articles[*article].file.display()
            ),
            Origin::Static(path) => format!("the static file {}", path.display()),
            Origin::Asset(path) => format!("the file {}", path.display()),
        }
    }

    /// Which of two origins a clash is reported at: the most precise place a writer can
    /// change comes first.
    fn rank(&self) -> u8 {
        match self {
            Origin::Alias { .. } => 0,
            Origin::Page(Page::Article(_)) => 1,
            Origin::Asset(_) => 2,
            Origin::Static(_) => 3,
            Origin::Page(Page::Section(..)) => 4,
            _ => 5,
        }
    }

    /// Where to report a clash this origin is part of: a place the writer can change.
    fn diagnostic(&self, site: &Site, root: &Path, message: String) -> Option<Diagnostic> {
        let at = |file: &Path| Diagnostic::error(file, Code::PathCollision, message.clone());
        match self {
            Origin::Page(Page::Article(i)) => Some(at(&site.articles[*i].file)),
            Origin::Alias { article, alias } => {
                let a = &site.articles[*article];
                let (line, column) = a.locations.find("aliases", Some(alias));
                Some(Diagnostic {
                    line,
                    column,
                    ..at(&a.file)
                })
            }
            Origin::Static(path) | Origin::Asset(path) => {
                Some(at(path.strip_prefix(root).unwrap_or(path)))
            }
            Origin::Page(Page::Section(s, _)) => {
                Some(at(&Path::new("content").join(&site.sections[*s].path)))
            }
            _ => None,
        }
    }
}

/// Every path of the output with its origin, in the order a clash is reported: the build's
/// own files first, then pages, static files, files beside articles and aliases.
/// A path's source, in the model of the language that writes it.
#[derive(Debug, Clone)]
struct Claim {
    edition: usize,
    origin: Origin,
}

impl Claim {
    fn describe(&self, sites: &[&Site]) -> String {
        self.origin.describe(sites[self.edition])
    }

    fn rank(&self) -> u8 {
        self.origin.rank()
    }

    fn diagnostic(&self, sites: &[&Site], root: &Path, message: String) -> Option<Diagnostic> {
        self.origin.diagnostic(sites[self.edition], root, message)
    }
}

/// Every path each language's model writes, with its source; the static files and robots.txt
/// once, with the default language's.
fn claims(sites: &[&Site], statics: &[crate::Copied]) -> Vec<(String, Claim)> {
    let mut out = Vec::new();
    for (edition, site) in sites.iter().enumerate() {
        let shared = if edition == 0 { statics } else { &[] };
        out.extend(
            edition_claims(site, edition == 0, shared)
                .into_iter()
                .map(|(path, origin)| (path, Claim { edition, origin })),
        );
    }
    out
}

fn edition_claims(site: &Site, default: bool, statics: &[crate::Copied]) -> Vec<(String, Origin)> {
    let own = [
        (crate::INDEX_FILE, "cause index"),
        ("sitemap.xml", "sitemap"),
        ("atom.xml", "feed"),
        ("search/manifest.json", "search index"),
        ("search/a", "search index"),
        ("search/c", "search index"),
        ("search/m", "search index"),
        ("search/t", "search index"),
    ];
    let mut out: Vec<(String, Origin)> = (own.into_iter())
        .map(|(path, what)| (site.output_path(path), Origin::Build(what)))
        .collect();
    if default {
        out.push(("robots.txt".into(), Origin::Build("robots.txt")));
        out.push((crate::output::MARKER.into(), Origin::Build("marker file")));
    }
    out.extend(
        render::plan(site)
            .into_iter()
            .map(|p| (p.output_file(site), Origin::Page(p))),
    );
    for (rel, from, asset) in statics {
        let origin = if *asset {
            Origin::Asset(from.shown())
        } else {
            Origin::Static(from.shown())
        };
        out.push((rel.clone(), origin));
    }
    // The aliases the model kept (it reports those that name a page of its own).
    for (i, a) in site.articles.iter().enumerate() {
        for path in &a.aliases {
            let alias =
                a.fm.aliases
                    .iter()
                    .find(|alias| site::alias_output_path(alias).as_ref() == Ok(path))
                    .cloned()
                    .unwrap_or_default();
            out.push((path.clone(), Origin::Alias { article: i, alias }));
        }
    }
    out
}

/// One error for each path that two sources claim, or that one source needs as a folder
/// while another writes it as a file. `statics` are the copied files: (output path, source,
/// whether it lies beside the articles).
pub(crate) fn check(sites: &[&Site], root: &Path, statics: &[crate::Copied]) -> Vec<Diagnostic> {
    let claims = claims(sites, statics);
    let mut owner: HashMap<&str, usize> = HashMap::with_capacity(claims.len());
    let mut errors = Vec::new();
    let mut clash = |first: &Claim, second: &Claim, message: String| {
        let (a, b) = if first.rank() < second.rank() {
            (first, second)
        } else {
            (second, first)
        };
        let diagnostic = a
            .diagnostic(sites, root, message.clone())
            .or_else(|| b.diagnostic(sites, root, message.clone()))
            .unwrap_or_else(|| Diagnostic::error("content", Code::PathCollision, message));
        errors.push(diagnostic);
    };
    for (i, (path, origin)) in claims.iter().enumerate() {
        match owner.get(path.as_str()) {
            Some(&first) => clash(
                &claims[first].1,
                origin,
                format!(
                    "{} writes {path}, which is also {}",
                    capitalised(&origin.describe(sites)),
                    claims[first].1.describe(sites)
                ),
            ),
            None => {
                owner.insert(path, i);
            }
        }
    }
    // A file where another path needs a folder.
    for (path, origin) in &claims {
        let mut end = path.len();
        while let Some(slash) = path[..end].rfind('/') {
            end = slash;
            if let Some(&first) = owner.get(&path[..end]) {
                clash(
                    &claims[first].1,
                    origin,
                    format!(
                        "{} writes {path}, but {} is {}",
                        capitalised(&origin.describe(sites)),
                        &path[..end],
                        claims[first].1.describe(sites)
                    ),
                );
                break;
            }
        }
    }
    errors
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

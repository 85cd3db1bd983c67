//! Stage 2: every article's URL from its folder and slug, checked for safety and clashes, and
//! the sections: every folder holding an article or an `_index.md`.

use std::collections::{BTreeMap, HashMap, HashSet};

use rustc_hash::FxHashMap;

use super::parse::{Parsed, SectionFile};
use super::paths::{
    RESERVED, folder_path, is_reserved, parent_path, prefixes, reserved_folder, section_folder,
};
use super::{Section, error_at};
use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic};
use crate::slug::{is_valid_slug, slugify};

/// The articles that have a URL of their own, ordered by it, and the sections.
pub(super) struct Placed<'a> {
    /// (URL path, article), sorted by path.
    pub(super) articles: Vec<(String, Parsed<'a>)>,
    /// `sections[0]` is the root.
    pub(super) sections: Vec<Section>,
    /// A section's URL path to its place in `sections`.
    pub(super) section_index: HashMap<String, usize>,
}

/// Gives each article its URL and makes the sections. An article that gets none (a bad slug,
/// a clash) is reported and added to `broken`.
pub(super) fn place<'a>(
    config: &Config,
    articles: Vec<Parsed<'a>>,
    section_files: &[SectionFile],
    broken: &mut HashSet<&'a str>,
    errors: &mut Vec<Diagnostic>,
) -> Placed<'a> {
    let paths: Vec<Option<String>> = articles.iter().map(|a| article_path(a, errors)).collect();
    let section_paths = section_paths(&articles, &paths, section_files, errors);
    let articles = without_clashes(articles, paths, &section_paths, broken, errors);
    let (sections, section_index) = sections(config, &section_paths);
    Placed {
        articles,
        sections,
        section_index,
    }
}

/// An article's URL path from its folder and slug; None (and an error) when it cannot have one.
fn article_path(a: &Parsed, errors: &mut Vec<Diagnostic>) -> Option<String> {
    let folder = a.folder_url.map(str::to_string);
    let slug_ok = is_valid_slug(a.slug);
    if !slug_ok {
        let pos = a.locations.find("slug", a.fm.slug.as_deref());
        let msg = match &a.fm.slug {
            Some(s) => format!(
                "slug `{s}` may only use lower-case letters, digits, `-` and `_`; try `{}`",
                slugify(s, crate::slug::SlugStyle::Unicode)
            ),
            None => "the file name gives an empty slug; set `slug:`".to_string(),
        };
        errors.push(error_at(a.source, pos, msg));
    }
    match folder {
        Some(folder) if !folder.is_empty() && is_reserved(&folder) => {
            errors.push(reserved_folder(&a.source.file, a.folder, &folder));
            None
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
                None
            } else {
                Some(format!("{folder}{}/", a.slug))
            }
        }
        Some(_) => None,
        None => {
            errors.push(Diagnostic::error(
                &a.source.file,
                Code::Content,
                format!(
                    "a folder in `{}` has no letters or digits to make a URL from",
                    a.folder
                ),
            ));
            None
        }
    }
}

/// Every section's URL path, with its `_index.md` where it has one: each folder that holds an
/// article with a URL or an `_index.md`, and the folders above them.
fn section_paths<'s>(
    articles: &[Parsed],
    paths: &[Option<String>],
    section_files: &'s [SectionFile<'s>],
    errors: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Option<&'s SectionFile<'s>>> {
    let mut section_paths: BTreeMap<String, Option<&SectionFile>> = BTreeMap::new();
    section_paths.insert(String::new(), None);
    // Most articles share their folder with the one before: look each folder up once.
    let mut seen_folder: Option<&str> = None;
    for (a, path) in articles.iter().zip(paths) {
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
    for s in section_files {
        let folder = section_folder(&s.source.rel);
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
                Code::Content,
                "this folder's name has no letters or digits to make a URL from",
            )),
        }
    }
    section_paths
}

/// The articles with a URL no other article or section has, ordered by it. The others are
/// reported and added to `broken`.
fn without_clashes<'a>(
    articles: Vec<Parsed<'a>>,
    paths: Vec<Option<String>>,
    section_paths: &BTreeMap<String, Option<&SectionFile>>,
    broken: &mut HashSet<&'a str>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<(String, Parsed<'a>)> {
    // Two articles (or an article and a section) at one URL.
    let mut by_path: FxHashMap<&str, usize> = FxHashMap::default();
    for (i, path) in paths.iter().enumerate() {
        let Some(path) = path else { continue };
        if let Some(&first) = by_path.get(path.as_str()) {
            errors.push(Diagnostic::error(
                &articles[i].source.file,
                Code::DuplicateUrl,
                format!(
                    "the URL /{path} is already used by {}",
                    articles[first].source.file.display()
                ),
            ));
        } else if section_paths.contains_key(path.as_str()) {
            errors.push(Diagnostic::error(
                &articles[i].source.file,
                Code::DuplicateUrl,
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
    articles
}

/// The sections, in path order (the root first), with their parents and subsections, and
/// each one's place by path.
fn sections(
    config: &Config,
    section_paths: &BTreeMap<String, Option<&SectionFile>>,
) -> (Vec<Section>, HashMap<String, usize>) {
    let mut sections: Vec<Section> = Vec::new();
    let mut section_index: HashMap<String, usize> = HashMap::new();
    for (path, file) in section_paths {
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
    (sections, section_index)
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

//! Stage 1: the front matter of each file, and which files are articles, sections, drafts or
//! broken.

use std::collections::HashSet;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::error_at;
use super::paths::folder_path;
use crate::content::frontmatter::{self, FrontMatter};
use crate::content::{Source, Sources, split_front_matter};
use crate::diagnostics::{Code, Diagnostic};
use crate::slug::slugify;
use crate::yaml::Locations;

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

/// An article between parsing and the finished model.
pub(super) struct Parsed<'a> {
    pub(super) source: &'a Source,
    pub(super) fm: Arc<FrontMatter>,
    pub(super) locations: Arc<Locations>,
    pub(super) body: &'a str,
    pub(super) body_line: usize,
    pub(super) folder: &'a str,
    pub(super) folder_url: Option<&'a str>,
    pub(super) slug: &'a str,
}

/// A section's `_index.md`, parsed.
pub(super) struct SectionFile<'a> {
    pub(super) source: &'a Source,
    pub(super) fm: &'a frontmatter::SectionFrontMatter,
    pub(super) body: &'a str,
    pub(super) body_line: usize,
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
                        Code::FrontMatter,
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
            let slug =
                (fm.slug.clone()).unwrap_or_else(|| slugify(stem, crate::slug::SlugStyle::Unicode));
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

/// The files of a build sorted out: articles to publish, sections, drafts left out, and files
/// that failed to parse.
pub(super) struct Gathered<'a> {
    pub(super) articles: Vec<Parsed<'a>>,
    pub(super) sections: Vec<SectionFile<'a>>,
    pub(super) drafts: HashSet<&'a str>,
    /// Articles that could not be parsed or placed: their errors are reported once, and links
    /// or `related` entries that point at them are not reported again.
    pub(super) broken: HashSet<&'a str>,
}

/// Sorts every source into articles, sections, drafts and failures, from the parses in
/// `files` (which holds one for each source).
pub(super) fn gather<'a>(
    sources: &'a Sources,
    files: &'a FxHashMap<String, Arc<FileParse>>,
    include_drafts: bool,
    errors: &mut Vec<Diagnostic>,
) -> Gathered<'a> {
    let mut out = Gathered {
        articles: Vec::new(),
        sections: Vec::new(),
        drafts: HashSet::new(),
        broken: HashSet::new(),
    };
    for source in &sources.markdown {
        match &*files[&source.rel] {
            FileParse::Article { fm, .. } if fm.draft && !include_drafts => {
                out.drafts.insert(&source.rel);
            }
            FileParse::Article {
                fm,
                locations,
                body_start,
                body_line,
                folder,
                folder_url,
                slug,
            } => out.articles.push(Parsed {
                source,
                fm: fm.clone(),
                locations: locations.clone(),
                body: &source.text[*body_start..],
                body_line: *body_line,
                folder,
                folder_url: folder_url.as_deref(),
                slug,
            }),
            FileParse::Section {
                fm,
                body_start,
                body_line,
            } => out.sections.push(SectionFile {
                source,
                fm,
                body: &source.text[*body_start..],
                body_line: *body_line,
            }),
            FileParse::Failed(d) => {
                errors.extend_from_slice(d);
                out.broken.insert(&source.rel);
            }
        }
    }
    out
}

//! Content on disk: finding the files under `content/`, splitting front matter from Markdown,
//! and the typed front matter itself.

pub mod frontmatter;

use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic};

/// A Markdown file read from `content/`.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path shown in diagnostics (relative to the site root, e.g. `content/plants/mint.md`).
    pub file: PathBuf,
    /// Path below `content/` with `/` separators (`plants/mint.md`).
    pub rel: String,
    /// The text, with line endings normalised to `\n`.
    pub text: String,
}

/// Any other file under `content/`, copied beside the pages.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Asset {
    /// Path below `content/` with `/` separators.
    pub rel: String,
    pub path: PathBuf,
}

/// Everything found under `content/`, sorted by path.
#[derive(Debug, Default)]
pub struct Sources {
    pub markdown: Vec<Source>,
    pub assets: Vec<Asset>,
    /// In a language other than the default: the default language's articles and sections
    /// (`_index.md`) by source path, with their paths below the site root, for links to a
    /// page this language has no translation of.
    pub fallback: std::sync::Arc<std::collections::BTreeMap<String, String>>,
}

impl Sources {
    /// Sorts the Markdown files by the language their names give (see [`language_of`]): one
    /// set per language of `languages` (the default first), each holding its files under the
    /// name without the language and every asset, which all languages share. A file in a
    /// language the site does not publish in is an error.
    pub fn by_language(self, languages: &[&str]) -> Result<Vec<Sources>, Vec<Diagnostic>> {
        let mut out: Vec<Sources> = (languages.iter())
            .map(|_| Sources {
                markdown: Vec::new(),
                assets: self.assets.clone(),
                fallback: Default::default(),
            })
            .collect();
        let mut errors = Vec::new();
        for mut source in self.markdown {
            let at = match language_of(&source.rel) {
                None => Some(0),
                Some((lang, _)) => languages.iter().position(|l| *l == lang),
            };
            match (at, language_of(&source.rel)) {
                (Some(i), Some((_, plain))) => {
                    source.rel = plain;
                    out[i].markdown.push(source);
                }
                (Some(i), None) => out[i].markdown.push(source),
                (None, Some((lang, _))) => errors.push(Diagnostic::error(
                    &source.file,
                    Code::Content,
                    format!(
                        "this file is in language `{lang}` (its name ends in `.{lang}.md`), which site.yaml does not list under `languages`{}",
                        if languages.len() == 1 {
                            "; if the dot is part of the name, write a hyphen instead"
                        } else {
                            ""
                        }
                    ),
                )),
                (None, None) => unreachable!("a file without a language is the default's"),
            }
        }
        for sources in &mut out {
            sources.markdown.sort_by(|a, b| a.rel.cmp(&b.rel));
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }
}

/// The language a Markdown file's name gives, and the name without it:
/// `plants/mint.es.md` gives `("es", "plants/mint.md")`. None for a name with no language
/// before `.md` (the default language's files).
pub fn language_of(rel: &str) -> Option<(&str, String)> {
    let stem = rel.strip_suffix(".md")?;
    let (name, lang) = stem.rsplit_once('.')?;
    let folder_ends = name.rfind('/').map_or(0, |i| i + 1);
    (name.len() > folder_ends && crate::language::is_tag(lang) && !lang.contains('/'))
        .then(|| (lang, format!("{name}.md")))
}

/// Walks `content_dir`. Hidden files and folders (names starting with `.`) are skipped;
/// symbolic links are not followed, so nothing outside the folder is read.
pub fn load(root: &Path, content_dir: &Path) -> Result<Sources, Vec<Diagnostic>> {
    let mut sources = Sources::default();
    let mut markdown = Vec::new();
    let mut errors = Vec::new();
    let shown = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
    let walker = walkdir::WalkDir::new(content_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(&shown).unwrap_or_else(|| shown(content_dir));
                errors.push(Diagnostic::error(
                    path,
                    Code::Io,
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let Some(rel) = path
            .strip_prefix(content_dir)
            .ok()
            .and_then(|r| r.to_str())
            .map(|r| r.replace('\\', "/"))
        else {
            errors.push(Diagnostic::error(
                shown(path),
                Code::Io,
                "file name is not valid UTF-8",
            ));
            continue;
        };
        if rel.ends_with(".md") {
            markdown.push((path.to_path_buf(), rel));
        } else {
            sources.assets.push(Asset {
                rel,
                path: path.to_path_buf(),
            });
        }
    }
    // On a cold disk most of the time is waiting for it: keep many reads in flight.
    let read = crate::deep_io::map(&markdown, |(path, rel)| {
        read_source(path, shown(path), rel.clone())
    });
    for source in read {
        match source {
            Ok(source) => sources.markdown.push(source),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(sources)
    } else {
        Err(errors)
    }
}

/// Reads one Markdown file. `file` is the path shown in diagnostics, `rel` its path below
/// `content/`.
pub fn read_source(path: &Path, file: PathBuf, rel: String) -> Result<Source, Diagnostic> {
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(&file, Code::Io, format!("cannot read: {e}")))?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Source {
            file,
            rel,
            text: normalize_newlines(text),
        }),
        Err(e) => Err(Diagnostic::error(
            file,
            Code::Io,
            format!(
                "not valid UTF-8 text (byte {})",
                e.utf8_error().valid_up_to()
            ),
        )),
    }
}

/// Whether a path below `content/` is skipped (hidden files and folders).
pub fn is_hidden(rel: &str) -> bool {
    rel.split('/').any(|part| part.starts_with('.'))
}

fn normalize_newlines(text: String) -> String {
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

/// A Markdown file cut in two: the YAML between the `---` lines, and the body after them.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// File line on which the YAML starts.
    pub yaml_line: usize,
    pub body: &'a str,
    /// File line on which the body starts.
    pub body_line: usize,
}

/// Splits front matter from the body. The file must start with a `---` line, and the front
/// matter ends at the next line that is exactly `---`.
pub fn split_front_matter(text: &str) -> Result<Split<'_>, (usize, String)> {
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| (text.trim_end() == "---").then_some(""))
    else {
        return Err((
            1,
            "the file must start with front matter: a `---` line, `title:` and `description:`, then `---`"
                .into(),
        ));
    };
    let mut offset = 0;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        if line.trim_end() == "---" {
            let body = &rest[offset + line.len()..];
            return Ok(Split {
                yaml: &rest[..offset],
                yaml_line: 2,
                body,
                body_line: i + 3,
            });
        }
        offset += line.len();
    }
    Err((
        1,
        "the front matter is not closed: add a `---` line after it".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_counts_lines() {
        let s = split_front_matter("---\ntitle: T\n---\nBody\n").unwrap();
        assert_eq!(s.yaml, "title: T\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!((s.yaml_line, s.body_line), (2, 4));
        assert!(split_front_matter("title: T\n").is_err());
        assert!(split_front_matter("---\ntitle: T\n").is_err());
    }
}

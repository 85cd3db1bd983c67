//! `causeway new`: a new article from an archetype, never overwriting a file.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::date::Date;
use crate::slug::slugify;

/// Used when neither the site nor its theme has `archetypes/article.md`.
const BUILT_IN: &str = "---\ntitle: {{ title }}\ndescription: One plain sentence on what this article explains.\ndate: {{ date }}\ndraft: true\n---\nWrite the article here.\n";

/// Why a new article could not be written.
#[derive(Debug)]
pub enum NewError {
    EmptySlug(String),
    BadSection(String),
    Exists(PathBuf),
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for NewError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NewError::EmptySlug(t) => write!(
                f,
                "the title `{t}` has no letters or digits to make a file name from"
            ),
            NewError::BadSection(s) => write!(f, "`{s}` is not a folder below content/"),
            NewError::Exists(p) => {
                write!(f, "{} already exists; it was left as it is", p.display())
            }
            NewError::Io(p, e) => write!(f, "{}: {e}", p.display()),
        }
    }
}

impl std::error::Error for NewError {}

/// Quotes text as a YAML double-quoted string.
fn yaml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The archetype text: the site's, else its theme folder's, else the built-in theme's (for
/// theme `default`), else a minimal one.
fn archetype(root: &Path, theme: Option<&str>) -> String {
    let mut candidates = vec![root.join("archetypes/article.md")];
    if let Some(theme) = theme {
        candidates.push(
            root.join("themes")
                .join(theme)
                .join("archetypes/article.md"),
        );
    }
    let carried = (theme == Some(crate::builtin_theme::NAME))
        .then(|| crate::builtin_theme::file("archetypes/article.md"))
        .flatten()
        .map(|b| String::from_utf8_lossy(b).into_owned());
    candidates
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok())
        .or(carried)
        .unwrap_or_else(|| BUILT_IN.to_string())
}

/// Writes `content/[section/]<slug>.md` for `title`; returns its path.
pub fn new_article(
    root: &Path,
    theme: Option<&str>,
    title: &str,
    section: Option<&str>,
    today: Date,
) -> Result<PathBuf, NewError> {
    let slug = slugify(title, crate::slug::SlugStyle::Unicode);
    if slug.is_empty() {
        return Err(NewError::EmptySlug(title.to_string()));
    }
    let mut dir = root.join("content");
    if let Some(section) = section
        .map(|s| s.trim_matches('/'))
        .filter(|s| !s.is_empty())
    {
        for part in section.split('/') {
            if part.is_empty()
                || part == "."
                || part == ".."
                || part.starts_with('.')
                || part.contains(['\\', ':'])
            {
                return Err(NewError::BadSection(section.to_string()));
            }
            dir.push(part);
        }
    }
    let path = dir.join(format!("{slug}.md"));
    let text = archetype(root, theme)
        .replace("{{ title }}", &yaml_string(title))
        .replace("{{ slug }}", &slug)
        .replace("{{ date }}", &today.to_string());
    std::fs::create_dir_all(&dir).map_err(|e| NewError::Io(dir.clone(), e))?;
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(NewError::Exists(path));
        }
        Err(e) => return Err(NewError::Io(path, e)),
    };
    file.write_all(text.as_bytes())
        .map_err(|e| NewError::Io(path.clone(), e))?;
    Ok(path)
}

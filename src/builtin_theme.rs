//! The default theme, carried inside the binary: a site without `themes/default/` builds with
//! it, a site's own `themes/default/` and `templates/` files replace it file by file, and
//! `causeway theme eject` writes it out for editing.

use std::path::{Path, PathBuf};

/// The theme's name in `site.yaml`.
pub const NAME: &str = "default";

/// Every file of the theme: its path below the theme folder (`templates/base.html`,
/// `static/style.css`, `archetypes/article.md`) and its bytes, sorted by path.
pub const FILES: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/builtin_theme.rs"));

/// The files below one of the theme's folders (`templates`, `static`): each one's path below
/// the theme and below that folder.
pub fn files_in(folder: &str) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
    FILES.iter().filter_map(move |(rel, _)| {
        let below = rel.strip_prefix(folder)?.strip_prefix('/')?;
        Some((*rel, below))
    })
}

/// One file of the theme, by its path below the theme folder.
pub fn file(rel: &str) -> Option<&'static [u8]> {
    FILES
        .binary_search_by(|(r, _)| (*r).cmp(rel))
        .ok()
        .map(|i| FILES[i].1)
}

/// How a built-in file is named in messages: as the file it would be once ejected.
pub fn shown_path(rel: &str) -> PathBuf {
    Path::new("(built-in theme)").join(rel)
}

/// Why the theme could not be written out.
#[derive(Debug)]
pub enum EjectError {
    /// Files that already exist: nothing was written.
    Exists(Vec<PathBuf>),
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for EjectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EjectError::Exists(paths) => {
                write!(
                    f,
                    "{} file(s) of the theme already exist, so nothing was written (first: {}); move them away or edit them in place",
                    paths.len(),
                    paths[0].display()
                )
            }
            EjectError::Io(p, e) => write!(f, "{}: {e}", p.display()),
        }
    }
}

impl std::error::Error for EjectError {}

/// Writes every file of the theme below `dir` (`themes/default` of a site), refusing when any
/// of them exists: an edited theme is never overwritten. Returns the files written.
pub fn eject(dir: &Path) -> Result<Vec<PathBuf>, EjectError> {
    let targets: Vec<(PathBuf, &[u8])> = (FILES.iter())
        .map(|(rel, bytes)| (dir.join(rel), *bytes))
        .collect();
    let existing: Vec<PathBuf> = (targets.iter())
        .filter(|(p, _)| p.symlink_metadata().is_ok())
        .map(|(p, _)| p.clone())
        .collect();
    if !existing.is_empty() {
        return Err(EjectError::Exists(existing));
    }
    for (path, bytes) in &targets {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| EjectError::Io(parent.to_path_buf(), e))?;
        }
        write_new(path, bytes).map_err(|e| EjectError::Io(path.clone(), e))?;
    }
    Ok(targets.into_iter().map(|(p, _)| p).collect())
}

/// Writes a file that must not exist yet.
pub fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_binary_carries_every_file_of_the_repository_theme() {
        let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let mut on_disk = Vec::new();
        for e in walkdir::WalkDir::new(&theme).sort_by_file_name() {
            let e = e.unwrap();
            if e.file_type().is_file() {
                let rel = e.path().strip_prefix(&theme).unwrap();
                on_disk.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
        on_disk.sort();
        let carried: Vec<&str> = FILES.iter().map(|(r, _)| *r).collect();
        assert_eq!(carried, on_disk);
        assert_eq!(
            file("templates/base.html").unwrap(),
            std::fs::read(theme.join("templates/base.html")).unwrap()
        );
        assert!(files_in("templates").any(|(_, r)| r == "partials/care-cards.html"));
        assert!(file("templates").is_none());
    }
}

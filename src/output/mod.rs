//! Writing the site: which output folders are safe to build into, and the writer
//! ([`Staged`]) that changes the output only once the whole build succeeded, so a failed
//! build leaves the previous output as it was.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

pub mod manifest;
mod staged;

pub use staged::Staged;

/// Why an output folder or path was refused.
#[derive(Debug)]
pub enum OutputError {
    /// The output folder would overwrite sources (the site root, `content/`, a theme...).
    Unsafe(PathBuf, &'static str),
    /// The build cache would be inside sources or the output, or hold the output.
    UnsafeCache(PathBuf, &'static str),
    /// A path that would land outside the output folder.
    Escapes(String),
    /// The output path is a symbolic link: replacing it would act on what it points to.
    Symlink(PathBuf),
    /// The output path exists and is a file, not a folder.
    NotAFolder(PathBuf),
    /// The output folder holds files and is not the output of an earlier build.
    Foreign(PathBuf),
    Io(PathBuf, io::Error),
    /// A write was skipped because an earlier one had already failed.
    Stopped,
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputError::Unsafe(p, why) => {
                write!(f, "refusing to build into {}: {why}", p.display())
            }
            OutputError::UnsafeCache(p, why) => {
                write!(
                    f,
                    "refusing to keep the build cache in {}: {why}",
                    p.display()
                )
            }
            OutputError::Escapes(p) => write!(
                f,
                "refusing to write `{p}`: it is not a plain path inside the output folder"
            ),
            OutputError::Symlink(p) => write!(
                f,
                "refusing to build into {}: it is a symbolic link; give the folder it points \
                 to as --output instead",
                p.display()
            ),
            OutputError::NotAFolder(p) => write!(
                f,
                "refusing to build into {}: it is a file, not a folder",
                p.display()
            ),
            OutputError::Foreign(p) => write!(
                f,
                "refusing to build into {}: the folder holds files that no build wrote \
                 (there is no {MARKER} in it); empty it or choose another --output",
                p.display()
            ),
            OutputError::Io(p, e) => write!(f, "{}: {e}", p.display()),
            OutputError::Stopped => write!(f, "an earlier write failed"),
        }
    }
}

impl std::error::Error for OutputError {}

/// A file every build writes at the top of its output. A folder that holds files but not
/// this one (nor, from earlier versions, `cause-index.json`) was not made by a build, and a
/// build never replaces it.
pub const MARKER: &str = ".causeway-build";

/// Makes `path` absolute without touching the disk.
pub(crate) fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    }
}

/// The absolute, lexically normal form of an output path, as a build names it.
pub fn normal(path: &Path) -> PathBuf {
    lexical(&absolute(path))
}

/// Lexically normal form of an absolute path: `.` dropped, `..` taken back.
pub(crate) fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// Where `path` really is: its nearest existing ancestor with every symbolic link resolved,
/// and the parts that do not exist yet added lexically. So `link/sub`, with `link` pointing
/// into `content/`, is seen inside `content/` before anything is created.
pub fn resolve(path: &Path) -> PathBuf {
    let path = absolute(path);
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = fs::canonicalize(existing) {
            let mut out = real;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return lexical(&out);
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return lexical(&path),
        }
    }
}

/// Refuses output folders that would destroy sources or other files: the site root or any
/// folder above it; `content/`, `themes/`, `templates/`, `static/`, `archetypes/`, `i18n/`
/// or anything inside them, however the path reaches them; a symbolic link; a path that is
/// a file; and a folder that holds files no build wrote.
pub fn check_target(root: &Path, target: &Path) -> Result<(), OutputError> {
    let (root, real_target) = (resolve(root), resolve(target));
    if root.starts_with(&real_target) {
        return Err(OutputError::Unsafe(
            target.to_path_buf(),
            "it is the site root or a folder above it",
        ));
    }
    for source in SOURCE_FOLDERS {
        if real_target.starts_with(root.join(source)) {
            return Err(OutputError::Unsafe(
                target.to_path_buf(),
                "it is inside a source folder",
            ));
        }
    }
    let Ok(meta) = fs::symlink_metadata(target) else {
        return Ok(());
    };
    if meta.file_type().is_symlink() {
        return Err(OutputError::Symlink(target.to_path_buf()));
    }
    if !meta.is_dir() {
        return Err(OutputError::NotAFolder(target.to_path_buf()));
    }
    let mut entries = fs::read_dir(target).map_err(|e| OutputError::Io(target.to_path_buf(), e))?;
    let built_here = [MARKER, crate::INDEX_FILE]
        .iter()
        .any(|name| fs::symlink_metadata(target.join(name)).is_ok_and(|m| m.is_file()));
    if entries.next().is_some() && !built_here {
        return Err(OutputError::Foreign(target.to_path_buf()));
    }
    Ok(())
}

/// Refuses a build cache folder inside a source folder (its files would be published or
/// read as content), inside the output, or holding it (replacing the output would take the
/// cache with it).
pub fn check_cache(root: &Path, cache: &Path, target: &Path) -> Result<(), OutputError> {
    let (root, cache, target) = (resolve(root), resolve(cache), resolve(target));
    let refuse = |why| Err(OutputError::UnsafeCache(cache.clone(), why));
    if root.starts_with(&cache) {
        return refuse("it is the site root or a folder above it");
    }
    if SOURCE_FOLDERS
        .iter()
        .any(|source| cache.starts_with(root.join(source)))
    {
        return refuse("it is inside a source folder");
    }
    if cache.starts_with(&target) || target.starts_with(&cache) {
        return refuse("it is the output folder, inside it or above it");
    }
    Ok(())
}

/// The folders of a site that hold sources: an output may not be in any of them.
pub const SOURCE_FOLDERS: &[&str] = &[
    "content",
    "themes",
    "templates",
    "static",
    "archetypes",
    "i18n",
];

/// Checks that a `/`-separated path from the site is a plain relative path with no `..`,
/// and gives its place below `base`.
pub fn safe_join(base: &Path, rel: &str) -> Result<PathBuf, OutputError> {
    let mut out = base.to_path_buf();
    let mut any = false;
    for part in rel.split('/') {
        if part.is_empty() || part == "." || part == ".." || part.contains(['\\', ':', '\0']) {
            return Err(OutputError::Escapes(rel.to_string()));
        }
        out.push(part);
        any = true;
    }
    if any {
        Ok(out)
    } else {
        Err(OutputError::Escapes(rel.to_string()))
    }
}

/// Removes a folder and everything in it, with the folder's top-level entries removed in
/// parallel: deleting the previous output of a large site is thousands of unlinks that
/// would otherwise run on one core after the build is done. Symbolic links are removed,
/// never followed, `dir` itself included.
pub fn remove_tree(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    if !fs::symlink_metadata(dir)?.is_dir() {
        return fs::remove_file(dir);
    }
    let entries: Vec<fs::DirEntry> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            fs::remove_dir_all(entry.path())
        } else {
            fs::remove_file(entry.path())
        }
    })?;
    fs::remove_dir(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_only_plain_paths() {
        let base = Path::new("/out");
        assert_eq!(
            safe_join(base, "a/b/index.html").unwrap(),
            Path::new("/out/a/b/index.html")
        );
        for bad in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "a//b",
            "",
            "a\\..\\b",
            "C:x",
        ] {
            assert!(safe_join(base, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn refuses_source_folders() {
        let root = Path::new("/site");
        assert!(check_target(root, Path::new("/site")).is_err());
        assert!(check_target(root, Path::new("/")).is_err());
        assert!(check_target(root, Path::new("/site/content")).is_err());
        assert!(check_target(root, Path::new("/site/themes/default/static")).is_err());
        assert!(check_target(root, Path::new("/site/public")).is_ok());
        assert!(check_target(root, Path::new("/elsewhere/out")).is_ok());
    }
}

//! Writing the site: into a temporary folder beside the output, swapped in only when the
//! whole build succeeded, so a failed build leaves the previous output as it was.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// Why an output folder or path was refused.
#[derive(Debug)]
pub enum OutputError {
    /// The output folder would overwrite sources (the site root, `content/`, a theme...).
    Unsafe(PathBuf, &'static str),
    /// A path that would land outside the output folder.
    Escapes(String),
    Io(PathBuf, io::Error),
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputError::Unsafe(p, why) => {
                write!(f, "refusing to build into {}: {why}", p.display())
            }
            OutputError::Escapes(p) => write!(
                f,
                "refusing to write `{p}`: it is not a plain path inside the output folder"
            ),
            OutputError::Io(p, e) => write!(f, "{}: {e}", p.display()),
        }
    }
}

impl std::error::Error for OutputError {}

/// A build in progress: files go to `staging` until [`Staged::commit`].
#[derive(Debug)]
pub struct Staged {
    target: PathBuf,
    staging: PathBuf,
}

/// Makes `path` absolute and lexically normal without touching the disk.
fn absolute(path: &Path) -> PathBuf {
    let path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
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

/// Refuses output folders that would destroy sources: the site root or any folder above it,
/// and `content/`, `themes/`, `templates/`, `static/` or anything inside them.
pub fn check_target(root: &Path, target: &Path) -> Result<(), OutputError> {
    let (root, target_abs) = (absolute(root), absolute(target));
    // Resolve symbolic links where the paths exist, so a link cannot hide the root.
    let real = |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (root, real_target) = (real(&root), real(&target_abs));
    if root.starts_with(&real_target) {
        return Err(OutputError::Unsafe(
            target.to_path_buf(),
            "it is the site root or a folder above it",
        ));
    }
    for source in ["content", "themes", "templates", "static"] {
        if real_target.starts_with(root.join(source)) {
            return Err(OutputError::Unsafe(
                target.to_path_buf(),
                "it is inside a source folder",
            ));
        }
    }
    Ok(())
}

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

impl Staged {
    /// Creates an empty staging folder beside `target`.
    pub fn begin(target: &Path) -> Result<Staged, OutputError> {
        let target = absolute(target);
        let parent = target
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("/"));
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        fs::create_dir_all(&parent).map_err(|e| OutputError::Io(parent.clone(), e))?;
        let staging = parent.join(format!(".{name}.building-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(|e| OutputError::Io(staging.clone(), e))?;
        }
        fs::create_dir(&staging).map_err(|e| OutputError::Io(staging.clone(), e))?;
        Ok(Staged { target, staging })
    }

    /// Where a site path goes in the staging folder, with its folder made.
    fn place(&self, rel: &str) -> Result<PathBuf, OutputError> {
        let path = safe_join(&self.staging, rel)?;
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| OutputError::Io(dir.to_path_buf(), e))?;
        }
        Ok(path)
    }

    /// Writes a file at a site path such as `foot-spasms/index.html`.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.place(rel)?;
        fs::write(&path, bytes).map_err(|e| OutputError::Io(path.clone(), e))
    }

    /// Writes a file at a site path through `fill`, for files too large to hold in memory
    /// whole.
    pub fn write_with(
        &self,
        rel: &str,
        fill: impl FnOnce(&mut io::BufWriter<fs::File>) -> io::Result<()>,
    ) -> Result<(), OutputError> {
        let path = self.place(rel)?;
        let io_err = |e| OutputError::Io(path.clone(), e);
        let mut out =
            io::BufWriter::with_capacity(1 << 20, fs::File::create(&path).map_err(io_err)?);
        fill(&mut out).map_err(io_err)?;
        io::Write::flush(&mut out).map_err(io_err)
    }

    /// Copies a file to a site path.
    pub fn copy(&self, rel: &str, from: &Path) -> Result<(), OutputError> {
        let path = self.place(rel)?;
        fs::copy(from, &path)
            .map(|_| ())
            .map_err(|e| OutputError::Io(from.to_path_buf(), e))
    }

    /// Whether a file was already written at `rel`.
    pub fn exists(&self, rel: &str) -> bool {
        safe_join(&self.staging, rel).is_ok_and(|p| p.exists())
    }

    /// Puts the new output in place of the old one.
    pub fn commit(self) -> Result<PathBuf, OutputError> {
        let old = self.staging.with_file_name(format!(
            "{}.old",
            self.staging
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
        ));
        let had_old = self.target.exists();
        if had_old {
            fs::rename(&self.target, &old).map_err(|e| OutputError::Io(self.target.clone(), e))?;
        }
        if let Err(e) = fs::rename(&self.staging, &self.target) {
            if had_old {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(OutputError::Io(self.target.clone(), e));
        }
        if had_old {
            let _ = remove_tree(&old);
        }
        Ok(self.target.clone())
    }

    /// Throws the staging folder away; the old output stays untouched.
    pub fn abandon(self) {
        let _ = fs::remove_dir_all(&self.staging);
    }
}

/// `fs::remove_dir_all`, with the folder's top-level entries removed in parallel: deleting
/// the previous output of a large site is thousands of unlinks that would otherwise run on
/// one core after the build is done. Symbolic links are removed, never followed.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
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

//! Writing the site: into a temporary folder beside the output, swapped in only when the
//! whole build succeeded, so a failed build leaves the previous output as it was.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// Why an output folder or path was refused.
#[derive(Debug)]
pub enum OutputError {
    /// The output folder would overwrite sources (the site root, `content/`, a theme...).
    Unsafe(PathBuf, &'static str),
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
fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    }
}

/// Lexically normal form of an absolute path: `.` dropped, `..` taken back.
fn lexical(path: &Path) -> PathBuf {
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

/// A build in progress: files go to `staging` until [`Staged::commit`].
#[derive(Debug)]
pub struct Staged {
    target: PathBuf,
    staging: PathBuf,
    /// Set by the first failed write: later writes are skipped, so a full disk gives one
    /// error rather than one per file.
    failed: AtomicBool,
}

/// The prefix of staging folders beside an output named `name`; the building process's id
/// follows it.
fn staging_prefix(name: &str) -> String {
    format!(".{name}.building-")
}

impl Staged {
    /// Creates an empty staging folder beside `target`, after removing the staging folders
    /// that builds which no longer run left behind.
    pub fn begin(target: &Path) -> Result<Staged, OutputError> {
        let target = lexical(&absolute(target));
        let parent = target
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("/"));
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        fs::create_dir_all(&parent).map_err(|e| OutputError::Io(parent.clone(), e))?;
        remove_stale_staging(&parent, &name);
        let staging = parent.join(format!("{}{}", staging_prefix(&name), std::process::id()));
        if fs::symlink_metadata(&staging).is_ok() {
            remove_tree(&staging).map_err(|e| OutputError::Io(staging.clone(), e))?;
        }
        fs::create_dir(&staging).map_err(|e| OutputError::Io(staging.clone(), e))?;
        crate::interrupt::remove_on_signal(Some(&staging));
        Ok(Staged {
            target,
            staging,
            failed: AtomicBool::new(false),
        })
    }

    /// Where a site path goes in the staging folder, with its folder made.
    fn place(&self, rel: &str) -> Result<PathBuf, OutputError> {
        if self.failed.load(Ordering::Relaxed) {
            return Err(OutputError::Stopped);
        }
        let path = safe_join(&self.staging, rel)?;
        if let Some(dir) = path.parent() {
            create_below(&self.staging, dir).map_err(|e| self.io_error(rel, e))?;
        }
        Ok(path)
    }

    /// An error about a site path, named by where it goes in the output (not the staging
    /// folder, which the writer never sees); later writes are skipped.
    fn io_error(&self, rel: &str, e: io::Error) -> OutputError {
        // Writes that fail at the same moment (a full disk) are one error, not one each.
        if self.failed.swap(true, Ordering::Relaxed) {
            return OutputError::Stopped;
        }
        OutputError::Io(self.target.join(rel), e)
    }

    /// Writes a file at a site path such as `foot-spasms/index.html`. After a write has
    /// failed, the others are skipped: the build fails with that one error.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        skipped_is_fine((|| {
            let path = self.place(rel)?;
            fs::write(&path, bytes).map_err(|e| self.io_error(rel, e))
        })())
    }

    /// Writes a file at a site path through `fill`, for files too large to hold in memory
    /// whole.
    pub fn write_with(
        &self,
        rel: &str,
        fill: impl FnOnce(&mut io::BufWriter<fs::File>) -> io::Result<()>,
    ) -> Result<(), OutputError> {
        skipped_is_fine((|| {
            let path = self.place(rel)?;
            let io_err = |e| self.io_error(rel, e);
            let mut out =
                io::BufWriter::with_capacity(1 << 20, fs::File::create(&path).map_err(io_err)?);
            fill(&mut out).map_err(io_err)?;
            io::Write::flush(&mut out).map_err(io_err)
        })())
    }

    /// Copies a file to a site path.
    pub fn copy(&self, rel: &str, from: &Path) -> Result<(), OutputError> {
        skipped_is_fine((|| {
            let path = self.place(rel)?;
            match fs::copy(from, &path) {
                Ok(_) => Ok(()),
                // A source that cannot be read is about the source, not the output.
                Err(e) if fs::File::open(from).is_err() => {
                    Err(OutputError::Io(from.to_path_buf(), e))
                }
                Err(e) => Err(self.io_error(rel, e)),
            }
        })())
    }

    /// Whether a file was already written at `rel`.
    pub fn exists(&self, rel: &str) -> bool {
        safe_join(&self.staging, rel).is_ok_and(|p| p.exists())
    }

    /// Puts the new output in place of the old one.
    pub fn commit(self) -> Result<PathBuf, OutputError> {
        if self.failed.load(Ordering::Relaxed) {
            return Err(OutputError::Stopped);
        }
        fs::write(
            self.staging.join(MARKER),
            "This folder is the output of `causeway build`, which replaces it whole.\n",
        )
        .map_err(|e| self.io_error(MARKER, e))?;
        let old = self.staging.with_file_name(format!(
            "{}.old",
            self.staging
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
        ));
        // Never through a link: `check_target` refused one, and if one appeared since, the
        // rename below moves the link itself, and removing it removes only the link.
        let had_old = fs::symlink_metadata(&self.target).is_ok();
        if had_old {
            fs::rename(&self.target, &old).map_err(|e| OutputError::Io(self.target.clone(), e))?;
        }
        if let Err(e) = fs::rename(&self.staging, &self.target) {
            if had_old {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(OutputError::Io(self.target.clone(), e));
        }
        crate::interrupt::remove_on_signal(None);
        if had_old {
            let _ = remove_tree(&old);
        }
        Ok(self.target.clone())
    }

    /// Throws the staging folder away; the old output stays untouched.
    pub fn abandon(self) {
        let _ = remove_tree(&self.staging);
        crate::interrupt::remove_on_signal(None);
    }
}

/// A write skipped after an earlier one failed is not an error of its own.
fn skipped_is_fine(result: Result<(), OutputError>) -> Result<(), OutputError> {
    match result {
        Err(OutputError::Stopped) => Ok(()),
        other => other,
    }
}

/// Makes `dir` and the folders above it up to `root`, but never `root` itself: once an
/// interrupted build has removed its staging folder, threads still writing cannot make it
/// again.
fn create_below(root: &Path, dir: &Path) -> io::Result<()> {
    if dir == root {
        return if root.is_dir() {
            Ok(())
        } else {
            Err(io::ErrorKind::NotFound.into())
        };
    }
    match fs::create_dir(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let parent = dir.parent().ok_or(io::ErrorKind::NotFound)?;
            create_below(root, parent)?;
            match fs::create_dir(dir) {
                Err(e) if e.kind() != io::ErrorKind::AlreadyExists => Err(e),
                _ => Ok(()),
            }
        }
        Err(e) if e.kind() != io::ErrorKind::AlreadyExists => Err(e),
        _ => Ok(()),
    }
}

/// Removes the staging folders (and half-replaced old outputs) beside an output named
/// `name` whose building process is gone: killed builds leave them behind.
fn remove_stale_staging(parent: &Path, name: &str) {
    let prefix = staging_prefix(name);
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let pid = rest.strip_suffix(".old").unwrap_or(rest);
        if let Ok(pid) = pid.parse::<u32>()
            && pid != std::process::id()
            && !crate::interrupt::process_is_running(pid)
        {
            let _ = remove_tree(&entry.path());
        }
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

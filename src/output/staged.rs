//! A build in progress. Nothing it writes is seen in the output until [`Staged::commit`],
//! so a failed or interrupted build leaves the previous output as it was.
//!
//! Two ways to put the new output in place:
//! - *Replacing the folder*: every file goes to a staging folder beside the output, which is
//!   renamed over it; the old output is deleted. For a first build, or when no manifest
//!   says what the output holds.
//! - *Updating in place*: with the manifest of the build that made the output, a file that
//!   would get the same bytes, and is still on disk as that build left it, is not written at
//!   all; the others are staged, then moved into the output one by one, and the files the
//!   new build no longer makes are deleted. Rebuilding a large site after an edit then costs
//!   a few writes instead of deleting and writing every file.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use super::manifest::{self, Entry, Manifest};
use super::{MARKER, OutputError, absolute, lexical, remove_tree, safe_join};

/// What every build writes into [`MARKER`].
const MARKER_TEXT: &str =
    "This folder is the output of `causeway build`, which replaces the files it wrote.\n";

/// A build in progress: changed files go to `staging` until [`Staged::commit`].
#[derive(Debug)]
pub struct Staged {
    target: PathBuf,
    staging: PathBuf,
    /// Set by the first failed write: later writes are skipped, so a full disk gives one
    /// error rather than one per file.
    failed: AtomicBool,
    /// Where the manifest of this output is kept; None without a build cache.
    manifest_path: Option<PathBuf>,
    /// What the output holds, when a manifest says so: the output is then updated in place.
    previous: Option<Manifest>,
    /// Every file of the new output: its entry, and whether it was staged (else the output
    /// already holds it).
    written: Mutex<Vec<(String, Entry, bool)>>,
    /// The staging folders made so far, by site path: each is made once, not once per file.
    made: Mutex<FxHashSet<String>>,
}

/// The prefix of staging folders beside an output named `name`; the building process's id
/// follows it.
fn staging_prefix(name: &str) -> String {
    format!(".{name}.building-")
}

impl Staged {
    /// Creates an empty staging folder beside `target`, after removing the staging folders
    /// that builds which no longer run left behind. `manifest_path` is where the output's
    /// manifest is kept (in the build cache); without one the output is replaced whole.
    pub fn begin(target: &Path, manifest_path: Option<PathBuf>) -> Result<Staged, OutputError> {
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
        let is_output = fs::symlink_metadata(&target).is_ok_and(|m| m.is_dir())
            && fs::symlink_metadata(target.join(MARKER)).is_ok_and(|m| m.is_file());
        let previous = (manifest_path.as_deref())
            .filter(|_| is_output)
            .and_then(|path| Manifest::read(path, &target));
        Ok(Staged {
            target,
            staging,
            failed: AtomicBool::new(false),
            manifest_path,
            previous,
            written: Mutex::new(Vec::new()),
            made: Mutex::new(FxHashSet::default()),
        })
    }

    /// Whether the build updates the output in place (else it replaces the folder).
    pub fn updates_in_place(&self) -> bool {
        self.previous.is_some()
    }

    /// Where a site path goes in the staging folder, with its folder made.
    fn place(&self, rel: &str) -> Result<PathBuf, OutputError> {
        if self.failed.load(Ordering::Relaxed) {
            return Err(OutputError::Stopped);
        }
        let path = safe_join(&self.staging, rel)?;
        let folder = rel.rsplit_once('/').map_or("", |(folder, _)| folder);
        let lock = || self.made.lock().unwrap_or_else(|p| p.into_inner());
        if !folder.is_empty() && !lock().contains(folder) {
            if let Some(dir) = path.parent() {
                create_below(&self.staging, dir).map_err(|e| self.io_error(rel, e))?;
            }
            let mut made = lock();
            let mut above = folder;
            while made.insert(above.to_string()) {
                match above.rsplit_once('/') {
                    Some((up, _)) => above = up,
                    None => break,
                }
            }
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

    /// The entry of the last build for `rel`, when the output still holds exactly that file
    /// and it has `hash` and `size`.
    fn unchanged(&self, rel: &str, hash: u64, size: u64) -> Option<Entry> {
        let old = self.previous.as_ref()?.files.get(rel)?;
        (old.hash == hash && old.size == size)
            .then_some(*old)
            .filter(|old| safe_join(&self.target, rel).is_ok_and(|p| old.matches_disk(&p)))
    }

    fn record(&self, rel: &str, entry: Entry, staged: bool) {
        (self.written.lock().unwrap_or_else(|p| p.into_inner())).push((
            rel.to_string(),
            entry,
            staged,
        ));
    }

    /// Writes a file at a site path such as `foot-spasms/index.html`, unless the output
    /// already holds those bytes there. After a write has failed, the others are skipped:
    /// the build fails with that one error.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        skipped_is_fine((|| {
            let (hash, size) = (manifest::hash(bytes), bytes.len() as u64);
            if let Some(old) = self.unchanged(rel, hash, size) {
                self.record(rel, old, false);
                return Ok(());
            }
            let path = self.place(rel)?;
            let io_err = |e| self.io_error(rel, e);
            let mut file = fs::File::create(&path).map_err(io_err)?;
            file.write_all(bytes).map_err(io_err)?;
            let modified = file_modified(&file).map_err(io_err)?;
            self.record(
                rel,
                Entry {
                    hash,
                    size,
                    modified,
                },
                true,
            );
            Ok(())
        })())
    }

    /// Writes a file at a site path through `fill`, for files too large to hold in memory
    /// whole.
    pub fn write_with(
        &self,
        rel: &str,
        fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), OutputError> {
        skipped_is_fine((|| {
            let path = self.place(rel)?;
            let io_err = |e| self.io_error(rel, e);
            let file = fs::File::create(&path).map_err(io_err)?;
            let mut out = Hashed {
                inner: io::BufWriter::with_capacity(1 << 20, file),
                hash: manifest::Hashing::default(),
                size: 0,
            };
            fill(&mut out).map_err(io_err)?;
            out.inner.flush().map_err(io_err)?;
            let (hash, size) = (out.hash.finish(), out.size);
            if let Some(old) = self.unchanged(rel, hash, size) {
                fs::remove_file(&path).map_err(io_err)?;
                self.record(rel, old, false);
                return Ok(());
            }
            let file = out.inner.into_inner().map_err(|e| io_err(e.into_error()))?;
            let modified = file_modified(&file).map_err(io_err)?;
            self.record(
                rel,
                Entry {
                    hash,
                    size,
                    modified,
                },
                true,
            );
            Ok(())
        })())
    }

    /// Copies a file to a site path.
    pub fn copy(&self, rel: &str, from: &Path) -> Result<(), OutputError> {
        if self.failed.load(Ordering::Relaxed) {
            return Ok(());
        }
        // A source that cannot be read is about the source, not the output.
        let bytes = fs::read(from).map_err(|e| OutputError::Io(from.to_path_buf(), e))?;
        self.write(rel, &bytes)
    }

    /// Puts the new output in place of the old one, and records what it holds.
    pub fn commit(self) -> Result<PathBuf, OutputError> {
        if self.failed.load(Ordering::Relaxed) {
            return Err(OutputError::Stopped);
        }
        self.write(MARKER, MARKER_TEXT.as_bytes())?;
        if self.failed.load(Ordering::Relaxed) {
            return Err(OutputError::Stopped);
        }
        let mut written =
            std::mem::take(&mut *self.written.lock().unwrap_or_else(|p| p.into_inner()));
        written.sort_by(|a, b| a.0.cmp(&b.0));
        let files: BTreeMap<String, Entry> = written
            .iter()
            .map(|(rel, e, _)| (rel.clone(), *e))
            .collect();
        let manifest = Manifest {
            output: self.target.clone(),
            files,
        };
        match &self.previous {
            Some(previous) => self.update(previous, &written, &manifest)?,
            None => self.replace()?,
        }
        crate::interrupt::remove_on_signal(None);
        if let Some(path) = &self.manifest_path {
            // Without a manifest the next build replaces the folder: slower, never wrong.
            if manifest.write(path).is_err() {
                let _ = fs::remove_file(path);
            }
        }
        let _ = remove_tree(&self.staging);
        Ok(self.target.clone())
    }

    /// Renames the staging folder over the output, and deletes the old output.
    fn replace(&self) -> Result<(), OutputError> {
        // The manifest of a folder about to go would describe files no longer there.
        if let Some(path) = &self.manifest_path {
            let _ = fs::remove_file(path);
        }
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
        if had_old {
            let _ = remove_tree(&old);
        }
        Ok(())
    }

    /// Moves the staged files into the output and deletes the files the last build wrote and
    /// this one did not. First the manifest is made to name every file that may change as
    /// unknown, so that a build stopped halfway leaves a manifest the next build can trust.
    fn update(
        &self,
        previous: &Manifest,
        written: &[(String, Entry, bool)],
        manifest: &Manifest,
    ) -> Result<(), OutputError> {
        let gone: Vec<&String> = (previous.files.keys())
            .filter(|rel| !manifest.files.contains_key(*rel))
            .collect();
        let staged: Vec<&String> = (written.iter())
            .filter(|(_, _, staged)| *staged)
            .map(|(rel, _, _)| rel)
            .collect();
        if gone.is_empty() && staged.is_empty() {
            return Ok(());
        }
        if let Some(path) = &self.manifest_path {
            let mut journal = manifest.clone();
            for rel in gone.iter().chain(&staged) {
                journal.files.insert((*rel).clone(), Entry::UNKNOWN);
            }
            journal
                .write(path)
                .map_err(|e| OutputError::Io(path.clone(), e))?;
        }
        let folders = Folders::new(&self.target);
        // Deletions first: a file may give way to a folder of the same name, or the reverse.
        gone.par_iter().try_for_each(|rel| {
            let path = safe_join(&self.target, rel)?;
            folders.check_parent(&path)?;
            match fs::remove_file(&path) {
                Err(e)
                    if !matches!(
                        e.kind(),
                        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                    ) =>
                {
                    Err(OutputError::Io(path, e))
                }
                _ => Ok(()),
            }
        })?;
        let mut emptied: BTreeSet<PathBuf> = BTreeSet::new();
        for rel in &gone {
            let mut dir = safe_join(&self.target, rel)?;
            while dir.pop() && dir != self.target && emptied.insert(dir.clone()) {}
        }
        // Deepest first, so a folder is tried once its own folders are gone; a folder that
        // still holds anything stays.
        for dir in emptied.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
        folders.forget();
        let mut parents: Vec<PathBuf> = (staged.iter())
            .filter_map(|rel| {
                safe_join(&self.target, rel)
                    .ok()?
                    .parent()
                    .map(Path::to_path_buf)
            })
            .collect();
        parents.dedup();
        for dir in &parents {
            folders.make(dir)?;
        }
        // In order, so that what a stopped build left is easy to reason about; a rename is
        // quick next to the writes before it.
        for rel in &staged {
            let (from, to) = (
                safe_join(&self.staging, rel)?,
                safe_join(&self.target, rel)?,
            );
            fs::rename(&from, &to).map_err(|e| OutputError::Io(to, e))?;
        }
        Ok(())
    }

    /// Throws the staging folder away; the old output stays untouched.
    pub fn abandon(self) {
        let _ = remove_tree(&self.staging);
        crate::interrupt::remove_on_signal(None);
    }
}

/// The folders of the output a build updates in place, each checked once to be a real
/// folder and not a symbolic link (which would take a write or a deletion elsewhere).
struct Folders<'a> {
    target: &'a Path,
    known: Mutex<BTreeSet<PathBuf>>,
}

impl<'a> Folders<'a> {
    fn new(target: &'a Path) -> Self {
        Folders {
            target,
            known: Mutex::new(BTreeSet::new()),
        }
    }

    fn forget(&self) {
        self.known.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    /// Checks that every folder from the output down to `path`'s is a real folder.
    fn check_parent(&self, path: &Path) -> Result<(), OutputError> {
        let Some(dir) = path.parent() else {
            return Ok(());
        };
        self.walk(dir, false)
    }

    /// Makes `dir` and the folders above it below the output, refusing to go through
    /// anything that is not a real folder.
    fn make(&self, dir: &Path) -> Result<(), OutputError> {
        self.walk(dir, true)
    }

    fn walk(&self, dir: &Path, create: bool) -> Result<(), OutputError> {
        let Ok(below) = dir.strip_prefix(self.target) else {
            return Err(OutputError::Escapes(dir.to_string_lossy().into_owned()));
        };
        let mut at = self.target.to_path_buf();
        for part in below.components() {
            at.push(part);
            if self
                .known
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .contains(&at)
            {
                continue;
            }
            match fs::symlink_metadata(&at) {
                Ok(m) if m.is_dir() => {}
                Ok(m) if m.file_type().is_symlink() => return Err(OutputError::Symlink(at)),
                Ok(_) if create => {
                    // A file the last build did not write stands where a folder goes.
                    return Err(OutputError::Io(
                        at,
                        io::Error::new(io::ErrorKind::AlreadyExists, "a file is in the way"),
                    ));
                }
                Ok(_) => return Ok(()),
                Err(_) if !create => return Ok(()),
                Err(_) => fs::create_dir(&at).map_err(|e| OutputError::Io(at.clone(), e))?,
            }
            (self.known.lock().unwrap_or_else(|p| p.into_inner())).insert(at.clone());
        }
        Ok(())
    }
}

/// A writer that hashes and counts what goes through it.
struct Hashed<W> {
    inner: W,
    hash: manifest::Hashing,
    size: u64,
}

impl<W: Write> Write for Hashed<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The modification time of an open file, as the manifest records it.
fn file_modified(file: &fs::File) -> io::Result<u128> {
    let meta = file.metadata()?;
    manifest::modified_nanos(&meta).ok_or_else(|| io::Error::other("no modification time"))
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

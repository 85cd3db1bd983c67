//! The build cache: a folder where a build leaves what spares the next one work. It holds
//! only what can be made again, so deleting it is always safe (the next build is a full
//! one), and a build never trusts it further than it can check. `docs/deploying.md` says
//! where it is and how a CI keeps it between runs.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::output::manifest;

/// The cache's folder below the site root, unless `--cache-dir` names another.
pub const DEFAULT_DIR: &str = ".causeway-cache";

/// Marks the folder as a cache (https://bford.info/cachedir/), so backup tools skip it.
const TAG: &str = "Signature: 8a477f597d28d172789f06886806bc55\n\
# This folder is Causeway's build cache; deleting it is safe.\n";

/// One site's build cache.
#[derive(Debug, Clone)]
pub struct BuildCache {
    dir: PathBuf,
}

impl BuildCache {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        BuildCache { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Makes the folder, tagged as a cache.
    pub fn prepare(&self) -> io::Result<()> {
        fs::create_dir_all(&self.dir)?;
        let tag = self.dir.join("CACHEDIR.TAG");
        if !tag.is_file() {
            fs::write(tag, TAG)?;
        }
        Ok(())
    }

    /// Where the manifest of the output folder `target` is kept: one per output folder, so
    /// builds into several folders each keep theirs.
    pub fn output_manifest(&self, target: &Path) -> PathBuf {
        let name = manifest::hash(target.as_os_str().as_encoded_bytes());
        self.dir.join("outputs").join(format!("{name:016x}"))
    }
}

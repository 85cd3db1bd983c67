//! Which folders `serve` watches: exactly those `build` reads, found by the same rules, so a
//! symbolic link `build` would not follow is never followed here either (it could lead
//! anywhere on the disk), and a folder that cannot be read is a warning, not a failure.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// The folders to watch, each on its own (not recursively), and those that could not be read.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WatchPlan {
    pub dirs: BTreeSet<PathBuf>,
    /// Folders that could not be listed, with why; edits in them are not seen.
    pub unreadable: Vec<(PathBuf, String)>,
}

/// How `build` walks a folder.
#[derive(Clone, Copy)]
enum Walk {
    /// `content/` and `static/`: names starting with `.` are skipped.
    SkipHidden,
    /// `templates/`: every folder.
    All,
}

/// The folders `build` reads for a site at `root` with theme `theme` (None when `site.yaml`
/// cannot be read yet): the site root (for `site.yaml` and new top folders), `content/`,
/// `static/`, `templates/` and `i18n/`, `themes/`, the theme's folder and its `templates/`,
/// `i18n/` and `static/`. Like `build`, a link that is one of those folders is followed, a link below
/// them never is.
pub fn watch_plan(root: &Path, theme: Option<&str>) -> WatchPlan {
    let mut plan = WatchPlan::default();
    plan.dirs.insert(root.to_path_buf());
    plan.walk(&root.join("content"), Walk::SkipHidden);
    plan.walk(&root.join("static"), Walk::SkipHidden);
    plan.walk(&root.join("templates"), Walk::All);
    plan.walk(&root.join("i18n"), Walk::All);
    let themes = root.join("themes");
    if themes.is_dir() {
        plan.dirs.insert(themes.clone());
        if let Some(theme) = theme {
            let theme_dir = themes.join(theme);
            if theme_dir.is_dir() {
                plan.dirs.insert(theme_dir.clone());
                plan.walk(&theme_dir.join("templates"), Walk::All);
                plan.walk(&theme_dir.join("i18n"), Walk::All);
                plan.walk(&theme_dir.join("static"), Walk::SkipHidden);
            }
        }
    }
    plan
}

impl WatchPlan {
    fn walk(&mut self, dir: &Path, walk: Walk) {
        if !dir.is_dir() {
            return;
        }
        // Links are not followed, but for the folder itself: as `build` walks.
        let walker = walkdir::WalkDir::new(dir).into_iter().filter_entry(|e| {
            matches!(walk, Walk::All)
                || e.depth() == 0
                || !e.file_name().to_string_lossy().starts_with('.')
        });
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_dir() => {
                    self.dirs.insert(e.into_path());
                }
                Ok(_) => {}
                Err(e) => {
                    let path = e.path().unwrap_or(dir).to_path_buf();
                    self.unreadable.push((path, e.to_string()));
                }
            }
        }
    }
}

/// What [`Watches::sync`] did.
#[derive(Debug, Default)]
pub struct Synced {
    /// Folders watched from now on.
    pub added: Vec<PathBuf>,
    /// Folders that cannot be read or watched, each reported once.
    pub warnings: Vec<String>,
}

/// What watches folders: the file watcher, or a stand-in in tests.
pub trait Watch {
    fn watch(&mut self, dir: &Path) -> Result<(), String>;
    /// Errors are ignored: the folder may be gone, and its watch with it.
    fn unwatch(&mut self, dir: &Path);
}

impl<W: notify::Watcher> Watch for W {
    fn watch(&mut self, dir: &Path) -> Result<(), String> {
        notify::Watcher::watch(self, dir, notify::RecursiveMode::NonRecursive)
            .map_err(|e| e.to_string())
    }

    fn unwatch(&mut self, dir: &Path) {
        let _ = notify::Watcher::unwatch(self, dir);
    }
}

/// The watches held, kept in step with a [`WatchPlan`]; each folder that cannot be watched is
/// reported once.
#[derive(Default)]
pub struct Watches {
    watched: BTreeSet<PathBuf>,
    warned: HashSet<PathBuf>,
}

impl Watches {
    /// Watches the folders new in `plan` and stops watching those gone from it. Returns the
    /// folders newly watched, and a warning for each folder that cannot be read or watched
    /// and was not reported before.
    pub fn sync(&mut self, plan: &WatchPlan, watcher: &mut impl Watch) -> Synced {
        let mut warnings = Vec::new();
        let mut added = Vec::new();
        let mut warn = |path: &Path, why: &str| {
            if self.warned.insert(path.to_path_buf()) {
                warnings.push(format!(
                    "cannot watch {}: {why}; edits there are not seen",
                    path.display()
                ));
            }
        };
        for (path, why) in &plan.unreadable {
            warn(path, why);
        }
        let gone: Vec<PathBuf> = self.watched.difference(&plan.dirs).cloned().collect();
        for dir in gone {
            watcher.unwatch(&dir);
            self.watched.remove(&dir);
        }
        for dir in &plan.dirs {
            if self.watched.contains(dir) {
                continue;
            }
            match watcher.watch(dir) {
                Ok(()) => {
                    self.watched.insert(dir.clone());
                    added.push(dir.clone());
                }
                Err(why) => warn(dir, &why),
            }
        }
        Synced { added, warnings }
    }

    /// Whether `path` is a folder watched now.
    pub fn contains(&self, path: &Path) -> bool {
        self.watched.contains(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(dirs: &[&str]) -> WatchPlan {
        WatchPlan {
            dirs: dirs.iter().map(PathBuf::from).collect(),
            unreadable: Vec::new(),
        }
    }

    /// Refuses folders named `locked`, and remembers what it was asked.
    #[derive(Default)]
    struct Fake {
        watched: Vec<PathBuf>,
        unwatched: Vec<PathBuf>,
    }

    impl Watch for Fake {
        fn watch(&mut self, dir: &Path) -> Result<(), String> {
            self.watched.push(dir.to_path_buf());
            if dir.ends_with("locked") {
                Err("Permission denied (os error 13)".to_string())
            } else {
                Ok(())
            }
        }

        fn unwatch(&mut self, dir: &Path) {
            self.unwatched.push(dir.to_path_buf());
        }
    }

    #[test]
    fn a_folder_that_cannot_be_watched_is_a_warning_given_once() {
        let mut watches = Watches::default();
        let mut plan = plan(&["/site", "/site/static", "/site/static/locked"]);
        plan.unreadable
            .push(("/site/content/x".into(), "Permission denied".into()));
        let synced = watches.sync(&plan, &mut Fake::default());
        assert_eq!(
            synced.added,
            [PathBuf::from("/site"), PathBuf::from("/site/static")]
        );
        assert_eq!(
            synced.warnings,
            [
                "cannot watch /site/content/x: Permission denied; edits there are not seen",
                "cannot watch /site/static/locked: Permission denied (os error 13); edits there are not seen",
            ]
        );
        // The others are watched all the same.
        assert!(watches.contains(Path::new("/site/static")));
        assert!(!watches.contains(Path::new("/site/static/locked")));
        // Tried again on the next change, but not reported again.
        let mut fake = Fake::default();
        let synced = watches.sync(&plan, &mut fake);
        assert!(synced.added.is_empty() && synced.warnings.is_empty());
        assert_eq!(fake.watched, [PathBuf::from("/site/static/locked")]);
    }

    #[test]
    fn folders_gone_from_the_plan_are_unwatched() {
        let mut watches = Watches::default();
        watches.sync(&plan(&["/site", "/site/content/a"]), &mut Fake::default());
        let mut fake = Fake::default();
        watches.sync(&plan(&["/site"]), &mut fake);
        assert_eq!(fake.unwatched, [PathBuf::from("/site/content/a")]);
        assert!(fake.watched.is_empty());
        assert!(!watches.contains(Path::new("/site/content/a")));
    }
}

//! Helpers shared by the integration tests: fixture sites copied into temporary folders
//! with the repository's themes, and the `causeway` binary.
#![allow(dead_code)]

pub mod markup;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// A site in a temporary folder, with the repository's themes.
pub struct TestSite {
    pub dir: tempfile::TempDir,
}

impl TestSite {
    /// An empty site with a valid `site.yaml` and the repository's themes.
    pub fn empty() -> TestSite {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&repo().join("themes"), &dir.path().join("themes"));
        let site = TestSite { dir };
        site.write(
            "site.yaml",
            "title: T\ndescription: D\nbase_url: https://example.org/\nlanguage: en\ntheme: default\n",
        );
        fs::create_dir_all(site.root().join("content")).unwrap();
        site
    }

    /// A copy of the sample site (`content/`, `static/` and `site.yaml` of the repository).
    pub fn sample() -> TestSite {
        let site = TestSite::empty();
        copy_dir(&repo().join("content"), &site.root().join("content"));
        copy_dir(&repo().join("static"), &site.root().join("static"));
        fs::copy(repo().join("site.yaml"), site.root().join("site.yaml")).unwrap();
        site
    }

    /// A copy of `tests/fixtures/<name>` with the repository's themes.
    pub fn fixture(name: &str) -> TestSite {
        let site = TestSite::empty();
        copy_dir(&repo().join("tests/fixtures").join(name), site.root());
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    /// Adds text at the end of a file of the site (for example a key to `site.yaml`).
    pub fn append(&self, rel: &str, text: &str) {
        let path = self.root().join(rel);
        let old = fs::read_to_string(&path).unwrap();
        fs::write(path, old + text).unwrap();
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn read(&self, rel: &str) -> String {
        let path = self.public().join(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Build options with a fixed "today", so review dates give the same output every day.
    pub fn options(&self) -> causeway::BuildOptions {
        let mut options = causeway::BuildOptions::new(self.root());
        options.today = Some(causeway::date::Date::parse("2026-11-24").unwrap());
        options
    }

    /// Builds with the library; panics with the rendered diagnostics on failure.
    pub fn build(&self) -> causeway::Report {
        self.build_with(self.options())
    }

    pub fn build_with(&self, options: causeway::BuildOptions) -> causeway::Report {
        causeway::build(&options).unwrap_or_else(|diags| {
            let text: String = diags.iter().map(|d| d.render(false)).collect();
            panic!("build failed:\n{text}")
        })
    }

    /// Builds and expects failure; returns the diagnostics as the terminal shows them.
    pub fn build_err(&self) -> String {
        match causeway::build(&self.options()) {
            Ok(_) => panic!("the build should have failed"),
            Err(diags) => diags.iter().map(|d| d.render(false)).collect(),
        }
    }

    /// Runs the `causeway` binary in the site root.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_causeway"))
            .args(args)
            .current_dir(self.root())
            .env("NO_COLOR", "1")
            .env("SOURCE_DATE_EPOCH", "1795478400")
            .output()
            .unwrap()
    }
}

/// Every file below `dir`, by relative path, with its bytes; not the marker a build leaves
/// in its output folder, which is bookkeeping rather than a file of the site.
pub fn snapshot_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file() && e.file_name() != causeway::output::MARKER)
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Compares `actual` with `tests/snapshots/<name>`; `UPDATE_SNAPSHOTS=1` rewrites it.
pub fn assert_snapshot(name: &str, actual: &str) {
    let path = repo().join("tests/snapshots").join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some()
        || !path.exists() && std::env::var_os("CI").is_none()
    {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "snapshot {name} differs from line {}:\n  expected: {:?}\n  actual:   {:?}\nrun with UPDATE_SNAPSHOTS=1 to accept the new output",
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}

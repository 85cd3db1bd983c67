//! Updating an output in place: a build with a build cache leaves alone the files it would
//! write the same, and the output it finishes is byte for byte the output of a clean build,
//! after every kind of edit, after a failed build and after a build killed halfway.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use common::{TestSite, snapshot_tree};

/// Build options with the site's build cache.
fn cached(site: &TestSite) -> causeway::BuildOptions {
    let mut options = site.options();
    options.cache_dir = Some(site.root().join(causeway::build_cache::DEFAULT_DIR));
    options
}

/// Every folder below `dir`, by relative path.
fn folders(dir: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_dir())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

/// Builds the site in place, then cleanly into a fresh folder without a cache, and asserts
/// the two are the same files with the same bytes and the same folders.
fn assert_same_as_clean(site: &TestSite, after: &str) {
    site.build_with(cached(site));
    let clean_dir = tempfile::tempdir().unwrap();
    let clean = clean_dir.path().join("public");
    let mut options = site.options();
    options.output = Some(clean.clone());
    site.build_with(options);
    assert_same_trees(&site.public(), &clean, after);
}

/// Asserts that two folders hold the same files with the same bytes, and the same folders;
/// names only what differs.
fn assert_same_trees(updated: &Path, clean: &Path, after: &str) {
    let (got, expected) = (snapshot_tree(updated), snapshot_tree(clean));
    let extra: Vec<&String> = got.keys().filter(|k| !expected.contains_key(*k)).collect();
    let missing: Vec<&String> = expected.keys().filter(|k| !got.contains_key(*k)).collect();
    assert!(
        extra.is_empty() && missing.is_empty(),
        "after {after}: files no clean build makes {extra:?}; files missing {missing:?}"
    );
    let differ: Vec<&String> = expected
        .keys()
        .filter(|k| got[*k] != expected[*k])
        .collect();
    assert!(
        differ.is_empty(),
        "after {after}: files that differ {differ:?}"
    );
    let (got, expected) = (folders(updated), folders(clean));
    let extra: Vec<&String> = got.difference(&expected).collect();
    let missing: Vec<&String> = expected.difference(&got).collect();
    assert!(
        extra.is_empty() && missing.is_empty(),
        "after {after}: extra folders {extra:?}; missing folders {missing:?}"
    );
}

fn modified(path: &Path) -> SystemTime {
    fs::metadata(path).unwrap().modified().unwrap()
}

#[test]
fn an_updated_output_equals_a_clean_build_after_every_kind_of_edit() {
    let site = TestSite::sample();
    site.build_with(cached(&site));
    site.append(
        "content/chronic-cough.md",
        "\nOne more sentence about coughs.\n",
    );
    assert_same_as_clean(&site, "a body edit");
    let text = fs::read_to_string(site.root().join("content/night-sweats.md")).unwrap();
    site.write(
        "content/night-sweats.md",
        &text.replacen("title: \"", "title: \"Sweating at night, ", 1),
    );
    assert_same_as_clean(&site, "a title edit");
    site.write(
        "content/sneezing.md",
        "---\ntitle: Sneezing\ndescription: Why we sneeze.\ncauses: [{ name: Dust }]\n---\n\nText.\n",
    );
    assert_same_as_clean(&site, "an article added");
    fs::rename(
        site.root().join("content/sneezing.md"),
        site.root().join("content/nerves-and-muscles/sneezing.md"),
    )
    .unwrap();
    assert_same_as_clean(&site, "a move to another section");
    fs::remove_file(site.root().join("content/nerves-and-muscles/sneezing.md")).unwrap();
    assert_same_as_clean(&site, "a deletion");
    // A whole section goes: its folders must go with it.
    fs::remove_dir_all(site.root().join("content/plants")).unwrap();
    assert_same_as_clean(&site, "a section deleted");
    site.write(
        "content/plants.md",
        "---\ntitle: Plants\ndescription: Where a folder was, now a page.\ncauses: [{ name: Overwatering }]\n---\n\nText.\n",
    );
    assert_same_as_clean(&site, "a page where a folder was");
    let style = site.root().join("static/extra.css");
    fs::write(&style, "body { color: black }\n").unwrap();
    assert_same_as_clean(&site, "a static file added");
    fs::write(&style, "body { color: navy }\n").unwrap();
    assert_same_as_clean(&site, "a static file changed");
    site.append("site.yaml", "\npagination: { per_page: 2 }\n");
    assert_same_as_clean(&site, "a site.yaml change");
}

#[test]
fn files_a_build_would_write_the_same_are_left_alone() {
    let site = TestSite::sample();
    site.build_with(cached(&site));
    let (edited, other) = (
        site.public().join("chronic-cough/index.html"),
        site.public().join("autopsy-process/index.html"),
    );
    let before = (modified(&edited), modified(&other));
    std::thread::sleep(Duration::from_millis(20));
    site.append("content/chronic-cough.md", "\nAnother sentence.\n");
    site.build_with(cached(&site));
    assert_ne!(
        modified(&edited),
        before.0,
        "the edited page was not written"
    );
    assert_eq!(
        modified(&other),
        before.1,
        "an unchanged page was written again"
    );
}

#[test]
fn a_file_changed_in_the_output_by_hand_is_written_again() {
    let site = TestSite::sample();
    site.build_with(cached(&site));
    let page = site.public().join("chronic-cough/index.html");
    let good = fs::read(&page).unwrap();
    fs::write(&page, "defaced").unwrap();
    fs::remove_file(site.public().join("autopsy-process/index.html")).unwrap();
    site.build_with(cached(&site));
    assert!(fs::read(&page).unwrap() == good);
    assert!(site.public().join("autopsy-process/index.html").is_file());
}

#[test]
fn files_no_build_wrote_are_kept() {
    let site = TestSite::sample();
    site.build_with(cached(&site));
    fs::write(site.public().join("googlef00d.html"), "verification").unwrap();
    site.build_with(cached(&site));
    assert_eq!(site.read("googlef00d.html"), "verification");
}

#[test]
fn a_failed_build_leaves_the_output_and_the_next_build_is_right() {
    let site = TestSite::sample();
    site.build_with(cached(&site));
    let before = snapshot_tree(&site.public());
    site.append("content/chronic-cough.md", "\nA new sentence.\n");
    site.write("content/broken.md", "---\ntitle: [unclosed\n---\n\nText.\n");
    assert!(causeway::build(&cached(&site)).is_err());
    assert!(
        snapshot_tree(&site.public()) == before,
        "a failed build changed the output"
    );
    fs::remove_file(site.root().join("content/broken.md")).unwrap();
    assert_same_as_clean(&site, "a failed build");
}

#[test]
fn a_build_that_stops_while_replacing_files_leaves_an_output_the_next_build_mends() {
    let site = TestSite::sample();
    site.build_with(cached(&site));
    // Every page changes; one of them cannot be put in place, for a folder stands there.
    let config = fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &config.replacen(
            "description: ",
            "description: Every page's head changes. ",
            1,
        ),
    );
    // And a new cause page, put in place before the page that cannot be (files are moved
    // in order): the next build no longer makes it, so it must go.
    let autopsy = fs::read_to_string(site.root().join("content/autopsy-process.md")).unwrap();
    site.write(
        "content/autopsy-process.md",
        &autopsy.replacen("causes:\n", "causes:\n  - name: A cause for one build\n", 1),
    );
    let blocked = site.public().join("chronic-cough/index.html");
    fs::remove_file(&blocked).unwrap();
    fs::create_dir_all(blocked.join("in-the-way")).unwrap();
    let errors = causeway::build(&cached(&site)).unwrap_err();
    assert!(
        errors
            .iter()
            .any(|d| d.render(false).contains("chronic-cough/index.html")),
        "{errors:?}"
    );
    assert!(
        site.public()
            .join("causes/a-cause-for-one-build/index.html")
            .is_file()
    );
    fs::remove_dir_all(&blocked).unwrap();
    site.write("content/autopsy-process.md", &autopsy);
    assert_same_as_clean(&site, "a build stopped halfway");
}

/// A site large enough that a build takes a while, so a kill lands in every phase.
fn a_larger_site() -> TestSite {
    let site = TestSite::empty();
    for i in 0..400 {
        site.write(
            &format!("content/s{}/a{i}.md", i % 20),
            &format!(
                "---\ntitle: Article {i}\ndescription: About {i}.\ncauses: [{{ name: Cause {} }}, {{ name: Shared }}]\n---\n\n{}\n",
                i % 50,
                "Words about the cause. ".repeat(100)
            ),
        );
    }
    site
}

#[cfg(unix)]
#[test]
fn a_build_killed_at_any_moment_is_mended_by_the_next() {
    let site = a_larger_site();
    let cache = site.root().join("cache");
    let build = || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_causeway"));
        command
            .args(["build", "--cache-dir"])
            .arg(&cache)
            .current_dir(site.root())
            .env("SOURCE_DATE_EPOCH", "1795478400")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        command
    };
    assert!(build().status().unwrap().success());
    let clean = |site: &TestSite| -> PathBuf {
        let out = site.root().join("../clean");
        let _ = fs::remove_dir_all(&out);
        let status = Command::new(env!("CARGO_BIN_EXE_causeway"))
            .args(["build", "--no-cache", "--output"])
            .arg(&out)
            .current_dir(site.root())
            .env("SOURCE_DATE_EPOCH", "1795478400")
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        out
    };
    // Time a whole build, then kill builds at points spread across it.
    let started = std::time::Instant::now();
    site.append("content/s0/a0.md", "\nFirst edit.\n");
    assert!(build().status().unwrap().success());
    let whole = started.elapsed();
    for step in 1..=8u32 {
        // Each time a change every page shows, so every file is replaced.
        site.write(
            "content/s1/a1.md",
            &format!(
                "---\ntitle: Article 1, version {step}\ndescription: About 1.\ncauses: [{{ name: Cause {step} }}, {{ name: Shared }}]\n---\n\nText {step}.\n"
            ),
        );
        site.append("site.yaml", &format!("\n# edit {step}\n"));
        let mut child = build().spawn().unwrap();
        std::thread::sleep(whole * step / 8);
        let _ = child.kill();
        let _ = child.wait();
        // The next build must not make what the killed one did (its cause page): files
        // the killed build put in place and no build makes any more must go.
        site.write(
            "content/s1/a1.md",
            &format!(
                "---\ntitle: Article 1, after {step}\ndescription: About 1.\ncauses: [{{ name: Shared }}]\n---\n\nText.\n"
            ),
        );
        assert!(build().status().unwrap().success(), "after kill {step}");
        assert_same_trees(&site.public(), &clean(&site), &format!("kill {step}"));
    }
}

#[test]
fn the_cache_is_refused_inside_sources_or_the_output() {
    let site = TestSite::sample();
    for (dir, why) in [
        ("content/.cache", "inside a source folder"),
        ("public/.cache", "the output folder, inside it or above it"),
        (".", "the site root"),
    ] {
        let mut options = cached(&site);
        options.cache_dir = Some(site.root().join(dir));
        let errors = causeway::build(&options).unwrap_err();
        let text: String = errors.iter().map(|d| d.render(false)).collect();
        assert!(
            text.contains("build cache") && text.contains(why),
            "{dir}: {text}"
        );
    }
}

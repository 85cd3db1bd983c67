//! The documentation stays true to the tree: docs/architecture.md lists every source file,
//! and the publishing workflow of docs/deploying.md builds the sample site.

mod common;

use std::path::Path;

#[test]
fn the_architecture_notes_list_every_source_file_and_no_other() {
    let root = common::repo();
    let notes = std::fs::read_to_string(root.join("docs/architecture.md")).unwrap();
    let tree = notes
        .split("## The tree")
        .nth(1)
        .and_then(|t| t.split("```").nth(1))
        .expect("docs/architecture.md has a tree");
    let mut listed: Vec<String> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect();
    listed.sort();
    let mut files: Vec<String> = walkdir::WalkDir::new(root.join("src"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    files.sort();
    assert_eq!(listed, files);
}

/// The GitHub Pages workflow of docs/deploying.md: its build step, run as GitHub would run it
/// on this repository (the sample site) for a project site under a sub-path, gives a site
/// whose links work under that sub-path, in the folder the workflow uploads.
#[test]
fn the_pages_workflow_builds_the_sample_site_under_a_sub_path() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(repo.join("examples/github-pages.yml")).unwrap();
    let workflow: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let steps = workflow["jobs"]["build"]["steps"].as_sequence().unwrap();
    let step = |name: &str| {
        steps
            .iter()
            .find(|s| s["name"].as_str() == Some(name))
            .unwrap_or_else(|| panic!("no step {name}"))
    };
    let build = step("Build");
    let command = build["run"].as_str().unwrap();
    assert_eq!(
        build["env"]["CAUSEWAY_BASE_URL"].as_str(),
        Some("${{ steps.pages.outputs.base_url }}/")
    );
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-pages-artifact"))
        })
        .unwrap();
    let uploaded = upload["with"]["path"].as_str().unwrap();
    // The install step takes this repository's own code.
    assert!(
        step("Install Causeway")["run"]
            .as_str()
            .unwrap()
            .contains("cargo install --locked --force --path .")
    );

    let site = tempfile::tempdir().unwrap();
    for dir in ["content", "static"] {
        copy(&repo.join(dir), &site.path().join(dir));
    }
    std::fs::copy(repo.join("site.yaml"), site.path().join("site.yaml")).unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_causeway")).parent().unwrap();
    let status = std::process::Command::new("sh")
        .args(["-c", command])
        .current_dir(site.path())
        .env(
            "PATH",
            format!(
                "{}:{}",
                bin.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .env("CAUSEWAY_BASE_URL", "https://writer.github.io/health-site/")
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let page =
        std::fs::read_to_string(site.path().join(uploaded).join("foot-spasms/index.html")).unwrap();
    assert!(page.contains(
        r#"<link rel="canonical" href="https://writer.github.io/health-site/foot-spasms/">"#
    ));
    assert!(page.contains(r#"href="/health-site/style.css?v="#));
}

fn copy(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

//! Content and paths from an adversary: no script reaches a page, no output path reaches
//! files the build did not make, and an interrupted or failing build leaves no debris.
//! docs/security.md says which promise each test holds the build to.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{TestSite, markup, snapshot_tree};

fn article(front: &str, body: &str) -> String {
    format!("---\ntitle: A\ndescription: D\n{front}---\n{body}")
}

/// Every HTML file below `dir` with the forbidden markup found in it.
fn forbidden_markup(dir: &Path) -> Vec<String> {
    snapshot_tree(dir)
        .into_iter()
        .filter(|(rel, _)| rel.ends_with(".html"))
        .flat_map(|(rel, bytes)| {
            markup::forbidden(&String::from_utf8_lossy(&bytes))
                .into_iter()
                .map(move |f| format!("{rel}: {f}"))
        })
        .collect()
}

#[test]
fn the_markup_reader_finds_what_it_looks_for() {
    let found = markup::forbidden;
    assert!(found(r#"<p><a href="/a/">x</a><h2 id="x" class="y">T</h2>"#).is_empty());
    assert_eq!(found("<h2 onfocus=alert(1)>x</h2>").len(), 1);
    assert_eq!(found(r#"<a href=" JaVa&#x09;script:x">"#).len(), 1);
    assert_eq!(found(r#"<img src='data:text/html,x'>"#).len(), 1);
    assert_eq!(found("<script>alert(1)</script>").len(), 1);
    assert!(found(r#"<script type="application/ld+json">{"a":1}</script>"#).is_empty());
    assert_eq!(
        found(r#"<script type="application/ld+json">{"a":"</script>"#).len(),
        1
    );
    assert_eq!(found("<p>\u{1b}[31m</p>").len(), 1);
    assert!(found(r#"<script type="module" src="/js/search.js"></script>"#).is_empty());
}

#[test]
fn heading_attributes_other_than_id_and_class_are_dropped_with_a_warning() {
    let site = TestSite::empty();
    site.write(
        "content/a.md",
        &article(
            "",
            "Intro.\n\n## Focus me {tabindex=0 autofocus onfocus=alert(1)}\n\n## Kept {#kept .note}\n\n### Also {.x onclick=\"alert(2)\" style=color:red}\n",
        ),
    );
    let report = site.build();
    let html = site.read("a/index.html");
    assert!(
        html.contains(r#"<h2 id="focus-me">Focus me</h2>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<h2 id="kept" class="note">Kept</h2>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<h3 id="also" class="x">Also</h3>"#),
        "{html}"
    );
    assert_eq!(forbidden_markup(&site.public()), Vec::<String>::new());
    let warnings: Vec<String> = report.warnings.iter().map(|d| d.render(false)).collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].starts_with(
            "content/a.md:7:1: warning[heading-attribute]: heading attribute `tabindex`, `autofocus`, `onfocus` dropped"
        ),
        "{warnings:?}"
    );
    assert!(
        warnings[1].starts_with("content/a.md:11:1:"),
        "{warnings:?}"
    );

    let out = site.run(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("content/a.md:7:1: warning[heading-attribute]"),
        "{stderr}"
    );

    // A site that allows raw HTML trusts its writers with attributes too.
    site.append("site.yaml", "markdown:\n  unsafe_html: true\n");
    site.build();
    assert!(site.read("a/index.html").contains("onfocus=\"alert(1)\""));
}

#[test]
fn urls_that_could_run_script_are_refused_wherever_content_gives_them() {
    let site = TestSite::empty();
    site.write(
        "content/a.md",
        &article(
            "sources:\n  - { title: One, url: \"javascript:alert(1)\" }\n  - { title: Two, url: \"  JaVaScRiPt:alert(1)\" }\n  - { title: Three, url: \"data:text/html,<script>alert(1)</script>\" }\n  - { title: Four, url: \"vbscript:msgbox(1)\" }\n  - { title: Five, url: \"java\\tscript:alert(1)\" }\n  - { title: Fine, url: \"https://www.nhs.uk/\" }\n",
            "[x](<java\tscript:alert(1)>) ![y](data:image/svg+xml,x) [z](ftp://a.b/) [call](tel:111)\n",
        ),
    );
    let out = site.build_err();
    for needle in [
        "content/a.md:5:25: error[content]: sources: `javascript:` URLs are not allowed",
        "content/a.md:6:25: error[content]: sources: `javascript:` URLs are not allowed",
        "content/a.md:7:27: error[content]: sources: `data:` URLs are not allowed",
        "content/a.md:8:26: error[content]: sources: `vbscript:` URLs are not allowed",
        // Written with an escape, the URL is not in the file as it is: the key is named.
        "content/a.md:4:1: error[content]: sources: `javascript:` URLs are not allowed",
        "content/a.md:12:1: error[link]: `javascript:` links are not allowed",
        "content/a.md:12:29: error[link]: `data:` links are not allowed",
        "content/a.md:12:56: error[link]: `ftp:` links are not allowed",
    ] {
        assert!(out.contains(needle), "expected {needle:?} in:\n{out}");
    }
    assert!(!out.contains("`tel:` links"), "{out}");
    assert!(!out.contains("content/a.md:10:"), "{out}");
}

#[test]
fn themes_get_a_filter_that_makes_unsafe_urls_inert() {
    let site = TestSite::empty();
    site.write(
        "templates/article.html",
        "{% extends \"base.html\" %}{% block main %}<a href=\"{{ article.extra.link | checked_url }}\">x</a><a href=\"{{ article.extra.ok | checked_url }}\">y</a>{% endblock %}",
    );
    site.write(
        "content/a.md",
        &article(
            "extra: { link: \" javascript:alert(1)\", ok: \"https://a.example/\" }\n",
            "",
        ),
    );
    site.build();
    let html = site.read("a/index.html");
    assert!(html.contains(r##"<a href="#">x</a>"##), "{html}");
    assert!(
        html.contains(r#"<a href="https:&#x2f;&#x2f;a.example&#x2f;">y</a>"#)
            || html.contains(r#"<a href="https://a.example/">y</a>"#),
        "{html}"
    );
    assert_eq!(forbidden_markup(&site.public()), Vec::<String>::new());
}

fn a_site() -> TestSite {
    let site = TestSite::empty();
    site.write("content/a.md", &article("", "Body.\n"));
    site
}

#[cfg(unix)]
#[test]
fn a_symlinked_output_is_refused_and_what_it_points_to_is_left_alone() {
    let site = a_site();
    let elsewhere = tempfile::tempdir().unwrap();
    fs::write(elsewhere.path().join("precious.txt"), "keep me").unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), site.public()).unwrap();
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("it is a symbolic link"), "{stderr}");
    assert_eq!(
        fs::read_to_string(elsewhere.path().join("precious.txt")).unwrap(),
        "keep me"
    );
    assert!(
        fs::symlink_metadata(site.public())
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read_dir(elsewhere.path()).unwrap().count(), 1);
}

#[test]
fn an_output_that_is_a_file_is_refused() {
    let site = a_site();
    let before = fs::read(site.root().join("site.yaml")).unwrap();
    let out = site.run(&["build", "--output", "site.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("it is a file, not a folder"),
        "{out:?}"
    );
    assert_eq!(fs::read(site.root().join("site.yaml")).unwrap(), before);
}

#[test]
fn a_folder_of_other_files_is_never_replaced() {
    let site = a_site();
    let mine = tempfile::tempdir().unwrap();
    fs::write(mine.path().join("notes.txt"), "mine").unwrap();
    let out = site.run(&["build", "--output", mine.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("holds files that no build wrote"),
        "{out:?}"
    );
    assert_eq!(fs::read_dir(mine.path()).unwrap().count(), 1);

    // An empty folder, or one a build wrote, is fine.
    let empty = tempfile::tempdir().unwrap();
    let target = empty.path().to_str().unwrap();
    assert!(site.run(&["build", "--output", target]).status.success());
    assert!(empty.path().join(".causeway-build").is_file());
    assert!(site.run(&["build", "--output", target]).status.success());
}

#[cfg(unix)]
#[test]
fn an_output_reached_through_a_link_into_the_sources_is_refused() {
    let site = a_site();
    std::os::unix::fs::symlink(site.root().join("content"), site.root().join("clink")).unwrap();
    let before = snapshot_tree(&site.root().join("content"));
    for output in ["clink/sub", "clink", "clink/../content/x"] {
        let out = site.run(&["build", "--output", output]);
        assert_eq!(out.status.code(), Some(1), "{output}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("it is inside a source folder"),
            "{output}: {out:?}"
        );
    }
    assert_eq!(snapshot_tree(&site.root().join("content")), before);
    assert!(!site.root().join("content/sub").exists());
}

fn staging_folders(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public.building-"))
        .collect()
}

#[test]
fn staging_folders_of_builds_that_died_are_removed_and_live_ones_kept() {
    let site = a_site();
    let dead = site.root().join(".public.building-2147483000");
    fs::create_dir_all(dead.join("a")).unwrap();
    fs::write(dead.join("a/index.html"), "half").unwrap();
    fs::create_dir_all(site.root().join(".public.building-2147483001.old/x")).unwrap();
    // Another build, still running: its folder is left alone.
    let mut other = Command::new("sleep").arg("30").spawn().unwrap();
    let live = format!(".public.building-{}", other.id());
    fs::create_dir_all(site.root().join(&live)).unwrap();
    site.build();
    other.kill().unwrap();
    other.wait().unwrap();
    assert_eq!(staging_folders(site.root()), [live]);
}

#[cfg(target_os = "linux")]
#[test]
fn an_interrupted_build_removes_its_staging_folder() {
    let site = TestSite::empty();
    // Enough articles that the build is still writing when the signal comes.
    for i in 0..3000 {
        site.write(
            &format!("content/s{}/a{i}.md", i % 30),
            &article(
                &format!("causes: [{{ name: Cause {i} }}, {{ name: Shared }}]\n"),
                &"Words about the cause. ".repeat(200),
            ),
        );
    }
    site.build();
    let before = snapshot_tree(&site.public());
    for signal in [libc::SIGINT, libc::SIGTERM] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_causeway"))
            .arg("build")
            .current_dir(site.root())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        // Wait until the staging folder holds pages, then interrupt.
        while staging_folders(site.root()).is_empty()
            || fs::read_dir(site.root().join(&staging_folders(site.root())[0]))
                .map_or(0, |d| d.count())
                < 3
        {
            assert!(std::time::Instant::now() < deadline, "no staging folder");
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        // SAFETY: sending a signal to the child this test started.
        unsafe { libc::kill(child.id() as libc::pid_t, signal) };
        let status = child.wait().unwrap();
        if status.success() {
            // The build finished before the signal: nothing to clean, try again slower.
            panic!("the build ended before it could be interrupted; use a larger site");
        }
        assert_eq!(status.code(), Some(128 + signal), "{status:?}");
        assert_eq!(staging_folders(site.root()), Vec::<String>::new());
        assert!(snapshot_tree(&site.public()) == before, "public/ changed");
    }
}

#[cfg(unix)]
#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    let site = TestSite::empty();
    // Thousands of warnings: more than a pipe holds.
    for i in 0..1500 {
        site.write(
            &format!("content/a{i}.md"),
            &article("causes: [{ name: Gout, group: Nowhere }]\n", "Body.\n"),
        );
    }
    let out = Command::new("bash")
        .arg("-c")
        .arg("\"$0\" check 2>&1 | head -c 1 >/dev/null; echo \"${PIPESTATUS[0]}\"")
        .arg(env!("CARGO_BIN_EXE_causeway"))
        .current_dir(site.root())
        .output()
        .unwrap();
    let status = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(
        status == "141" || status == "1",
        "exit status {status}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_one_error_naming_the_real_path() {
    let site = TestSite::empty();
    for i in 0..200 {
        site.write(&format!("content/a{i}.md"), &article("", "Body.\n"));
    }
    let disk = tempfile::tempdir().unwrap();
    // A 256 KB file system of its own, in a mount namespace of its own.
    let out = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-c"])
        .arg("mount -t tmpfs -o size=256k tmpfs \"$1\" || exit 77; exec \"$2\" build --output \"$1/site\"")
        .arg("sh")
        .arg(disk.path())
        .arg(env!("CARGO_BIN_EXE_causeway"))
        .current_dir(site.root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    if out.status.code() == Some(77) || String::from_utf8_lossy(&out.stderr).contains("unshare:") {
        eprintln!("skipped: this machine cannot mount a small file system for the test");
        return;
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains("error[")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    let real = format!("{}/site/", disk.path().display());
    assert!(
        errors[0].starts_with(&real) && errors[0].contains("No space left on device"),
        "{stderr}"
    );
    assert!(!errors[0].contains("building-"), "{stderr}");
}

#[test]
fn deeply_nested_yaml_is_refused_with_a_clear_message() {
    let site = TestSite::empty();
    site.write(
        "content/a.md",
        &format!(
            "---\ntitle: A\ndescription: D\nextra: {}\n---\n",
            "{a: ".repeat(50_000)
        ),
    );
    site.write(
        "content/b.md",
        &format!(
            "---\ntitle: B\ndescription: D\nextra: {}\n---\n",
            "[".repeat(100_000)
        ),
    );
    let out = site.build_err();
    assert!(
        out.contains(
            "content/a.md:4:260: error[front-matter]: the value is nested more than 64 levels deep"
        ),
        "{out}"
    );
    assert!(
        out.contains("content/b.md:4:71: error[front-matter]"),
        "{out}"
    );

    site.append("site.yaml", &format!("search: {}\n", "[".repeat(100_000)));
    let out = site.build_err();
    assert!(
        out.contains("site.yaml:6:72: error[config]: the value is nested more than 64 levels deep"),
        "{out}"
    );
}

#[test]
fn folders_named_like_the_build_s_own_pages_are_refused() {
    let site = a_site();
    site.write("content/Causes/b.md", &article("", ""));
    site.write("content/Tags/_index.md", "---\ntitle: T\n---\n");
    site.write("content/Search/deep/c.md", &article("", ""));
    let out = site.build_err();
    for needle in [
        "content/Causes/b.md: error[content]: the folder content/Causes/ would be published at /causes/",
        "content/Tags/_index.md: error[content]: the folder content/Tags/ would be published at /tags/",
        "content/Search/deep/c.md: error[content]: the folder content/Search/ would be published at /search/",
    ] {
        assert!(out.contains(needle), "expected {needle:?} in:\n{out}");
    }
}

#[test]
fn every_output_path_is_checked_for_clashes_in_build_and_check_alike() {
    let site = a_site();
    site.append("site.yaml", "pagination:\n  per_page: 1\n");
    site.write("content/sec/a.md", &article("", ""));
    site.write("content/sec/b.md", &article("", ""));
    // The second list page of content/sec/ is sec/page/2/.
    site.write("content/sec/page/2.md", &article("", ""));
    site.write(
        "content/c.md",
        &article("aliases: [/style.css/, /js/search.js/x/]\n", ""),
    );
    site.write("static/404.html", "mine");
    site.write("content/robots.txt", "User-agent: *");
    let expected = [
        "content/sec/page/2.md: error[path-collision]: Page 2 of the list of content/sec/ writes sec/page/2/index.html, which is also the article content/sec/page/2.md",
        "content/c.md:4:11: error[path-collision]: Alias `/style.css/` of content/c.md writes style.css/index.html, but style.css is the static file",
        "content/c.md:4:24: error[path-collision]: Alias `/js/search.js/x/` of content/c.md writes js/search.js/x/index.html, but js/search.js is the static file",
        "static/404.html: error[path-collision]: The static file",
        "content/robots.txt: error[path-collision]: The file",
    ];
    let out = site.build_err();
    for needle in expected {
        assert!(out.contains(needle), "expected {needle:?} in:\n{out}");
    }
    let check = site.run(&["check"]);
    assert_eq!(check.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&check.stderr);
    for needle in expected {
        assert!(stderr.contains(needle), "expected {needle:?} in:\n{stderr}");
    }
}

#[test]
fn files_beside_articles_in_folders_with_spaces_are_linked_where_they_are_copied() {
    let site = TestSite::empty();
    site.write(
        "content/Skin Care/a.md",
        &article("", "![A rash](photo.svg) [sheet](Fact%20Sheet.svg)\n"),
    );
    site.write("content/Skin Care/photo.svg", "<svg/>");
    site.write("content/Skin Care/Fact Sheet.svg", "<svg/>");
    site.build();
    let html = site.read("skin-care/a/index.html");
    assert!(html.contains(r#"src="/skin-care/photo.svg""#), "{html}");
    assert!(
        html.contains(r#"href="/skin-care/Fact%20Sheet.svg""#),
        "{html}"
    );
    assert!(site.public().join("skin-care/photo.svg").is_file());
    assert!(site.public().join("skin-care/Fact Sheet.svg").is_file());
}

#[test]
fn control_characters_are_refused_and_never_reach_the_terminal_or_xml() {
    let site = a_site();
    site.write(
        "content/b.md",
        &article("condition: \"Cramp\\x01\"\nsymptoms: [\"ok\\e[2J\"]\n", ""),
    );
    site.write(
        "content/c.md",
        &article("", "Body \x1b]0;owned\x07 text.\n"),
    );
    site.write(
        "content/d.md",
        "---\ntitle: \"D\\u009b\"\ndescription: D\n---\n",
    );
    let out = site.run(&["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for needle in [
        "content/b.md:4:18: error[front-matter]: `\\x` writes the control character U+0001",
        "content/c.md:5:6: error[content]: the file holds the control character U+001B",
        "content/d.md:2:10: error[front-matter]: `\\u` writes the control character U+009B",
    ] {
        assert!(stderr.contains(needle), "expected {needle:?} in:\n{stderr}");
    }
    assert!(
        !stderr.chars().any(|c| c == '\x1b' || c == '\x07'),
        "{stderr:?}"
    );
}

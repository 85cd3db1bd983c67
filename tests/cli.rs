//! The binary as a new user meets it, outside this repository: `init` in an empty folder,
//! the built-in theme, `theme eject`, and the command line's conventions.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::snapshot_tree;

fn causeway(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_causeway"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "1795478400")
        .env_remove("CAUSEWAY_BASE_URL")
        .output()
        .unwrap()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "status {:?}\n{}{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn init_then_build_works_in_an_empty_folder_with_the_built_in_theme() {
    let tmp = tempfile::tempdir().unwrap();
    let said = ok(&causeway(tmp.path(), &["init", "my-health-site"]));
    assert!(
        said.contains("cd my-health-site && causeway serve --open"),
        "{said}"
    );
    let site = tmp.path().join("my-health-site");
    for f in [
        "site.yaml",
        ".gitignore",
        "content/conditions/hiccups.md",
        "archetypes/article.md",
    ] {
        assert!(site.join(f).is_file(), "{f}");
    }
    assert!(!site.join("themes").exists());
    let said = ok(&causeway(&site, &["build"]));
    assert!(
        said.starts_with("Built 12 pages (1 article, 3 causes;"),
        "{said}"
    );
    let page = std::fs::read_to_string(site.join("public/conditions/hiccups/index.html")).unwrap();
    assert!(
        page.contains(
            "<title>What Causes Hiccups, and When to See a Doctor · My Health Site</title>"
        )
    );
    assert!(site.join("public/style.css").is_file() && site.join("public/js/search.js").is_file());
    // Every front-matter key is used by the sample article, and `check` has nothing to say.
    let fm = std::fs::read_to_string(site.join("content/conditions/hiccups.md")).unwrap();
    // (The two that need a file or a reason are shown commented out.)
    for key in causeway::content::frontmatter::ARTICLE_KEYS {
        let shown = if matches!(*key, "image" | "reading") {
            format!("\n# {key}:")
        } else {
            format!("\n{key}:")
        };
        assert!(fm.contains(&shown), "{key}");
    }
    // The two that need a file or a reason are shown, commented out.
    assert!(fm.contains("\n# image: {") && fm.contains("\n# reading: {"));
    let out = causeway(&site, &["check", "--deny-warnings"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // `new` uses the archetype init wrote.
    ok(&causeway(
        &site,
        &["new", "Why do knees ache", "-s", "conditions"],
    ));
    let new =
        std::fs::read_to_string(site.join("content/conditions/why-do-knees-ache.md")).unwrap();
    assert!(
        new.contains("see_a_doctor:") && new.contains("draft: true"),
        "{new}"
    );
}

#[test]
fn init_refuses_a_folder_with_files_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.md"), "mine").unwrap();
    let before = snapshot_tree(tmp.path());
    let out = causeway(tmp.path(), &["init"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("is not empty (it holds notes.md)"),
        "{}",
        stderr(&out)
    );
    assert_eq!(snapshot_tree(tmp.path()), before);
}

#[test]
fn the_built_in_theme_builds_the_same_bytes_as_the_theme_folder_and_ejects_once() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("s");
    ok(&causeway(tmp.path(), &["init", "s"]));
    ok(&causeway(&site, &["build", "-o", "../builtin"]));
    ok(&causeway(&site, &["theme", "eject"]));
    assert!(site.join("themes/default/templates/base.html").is_file());
    ok(&causeway(&site, &["build", "-o", "../ejected"]));
    assert_eq!(
        snapshot_tree(&tmp.path().join("builtin")),
        snapshot_tree(&tmp.path().join("ejected"))
    );
    // An edited theme is never overwritten.
    std::fs::write(
        site.join("themes/default/templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}Edited{% endblock content %}",
    )
    .unwrap();
    let out = causeway(&site, &["theme", "eject"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("already exist, so nothing was written"),
        "{}",
        stderr(&out)
    );
    ok(&causeway(&site, &["build"]));
    assert!(
        std::fs::read_to_string(site.join("public/404.html"))
            .unwrap()
            .contains("Edited")
    );
}

#[test]
fn a_site_overrides_the_built_in_theme_file_by_file() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("s");
    ok(&causeway(tmp.path(), &["init", "s"]));
    std::fs::create_dir_all(site.join("templates/partials")).unwrap();
    std::fs::write(
        site.join("templates/partials/breadcrumbs.html"),
        "<p class=\"mine\">crumbs</p>",
    )
    .unwrap();
    std::fs::create_dir_all(site.join("themes/default/static")).unwrap();
    std::fs::write(
        site.join("themes/default/static/style.css"),
        "body{color:red}",
    )
    .unwrap();
    std::fs::create_dir_all(site.join("static")).unwrap();
    std::fs::write(site.join("static/favicon.svg"), "<svg/>").unwrap();
    ok(&causeway(&site, &["build"]));
    let public = site.join("public");
    let page = std::fs::read_to_string(public.join("conditions/hiccups/index.html")).unwrap();
    assert!(page.contains("<p class=\"mine\">crumbs</p>"));
    assert!(
        page.contains("class=\"help-now\""),
        "the other templates are the built-in ones"
    );
    assert_eq!(
        std::fs::read_to_string(public.join("style.css")).unwrap(),
        "body{color:red}"
    );
    assert_eq!(
        std::fs::read_to_string(public.join("favicon.svg")).unwrap(),
        "<svg/>"
    );
    assert!(public.join("js/search-core.js").is_file());
}

#[test]
fn commands_that_need_a_site_say_so_outside_one() {
    let tmp = tempfile::tempdir().unwrap();
    for args in [&["new", "A title"][..], &["theme", "eject"]] {
        let out = causeway(tmp.path(), args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&out).contains("is not a Causeway site: it has no site.yaml"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "nothing was created"
    );
    let out = causeway(tmp.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("is this a Causeway site?"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn short_flags_quiet_verbose_version_environment_and_output_dir() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("s");
    ok(&causeway(tmp.path(), &["init", "-q", "s"]));
    assert_eq!(ok(&causeway(tmp.path(), &["-q", "build", "-r", "s"])), "");
    assert!(ok(&causeway(tmp.path(), &["--version"])).starts_with("causeway "));
    // -v prints each phase's time; the summary line stays.
    let out = causeway(&site, &["build", "-v"]);
    assert!(ok(&out).starts_with("Built "));
    assert!(stderr(&out).contains(" s  in all"), "{}", stderr(&out));
    // A CI sets the base URL in the environment.
    let out = Command::new(env!("CARGO_BIN_EXE_causeway"))
        .args(["build", "-o", "../env"])
        .current_dir(&site)
        .env("CAUSEWAY_BASE_URL", "https://ci.example.net/preview/")
        .output()
        .unwrap();
    ok(&out);
    let page = std::fs::read_to_string(tmp.path().join("env/index.html")).unwrap();
    assert!(
        page.contains("href=\"https://ci.example.net/preview/\""),
        "canonical from the environment"
    );
    // output_dir in site.yaml, checked like the rest of the file.
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    std::fs::write(
        site.join("site.yaml"),
        format!("{yaml}output_dir: dist/site\n"),
    )
    .unwrap();
    ok(&causeway(&site, &["build"]));
    assert!(site.join("dist/site/index.html").is_file());
    std::fs::write(
        site.join("site.yaml"),
        format!("{yaml}output_dir: ../outside\n"),
    )
    .unwrap();
    let out = causeway(&site, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("output_dir `../outside` must be a folder below the site root"),
        "{}",
        stderr(&out)
    );
    assert!(!tmp.path().join("outside").exists());
    // A mistake in the command line is status 2.
    assert_eq!(
        causeway(&site, &["build", "--no-such-flag"]).status.code(),
        Some(2)
    );
}

#[test]
fn completions_and_the_manual_page_are_printed() {
    let tmp = tempfile::tempdir().unwrap();
    let bash = ok(&causeway(tmp.path(), &["completions", "bash"]));
    assert!(
        bash.contains("complete -F _causeway") && bash.contains("eject"),
        "{bash}"
    );
    let zsh = ok(&causeway(tmp.path(), &["completions", "zsh"]));
    assert!(zsh.starts_with("#compdef causeway"));
    let man = ok(&causeway(tmp.path(), &["man"]));
    assert!(
        man.contains(".TH causeway 1") && man.contains("Exit status"),
        "{man}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn serve_open_serves_an_initialised_site_and_opens_its_address() {
    use std::io::{BufRead, BufReader, Read, Write};
    let tmp = tempfile::tempdir().unwrap();
    ok(&causeway(tmp.path(), &["init", "s"]));
    let site = tmp.path().join("s");
    // A stand-in for the desktop's opener, which records the address it was given.
    let bin = tmp.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let opener = bin.join("xdg-open");
    let opened = tmp.path().join("opened.txt");
    std::fs::write(
        &opener,
        format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", opened.display()),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_causeway"))
        .args(["serve", "--open", "-p", "0"])
        .current_dir(&site)
        .env("PATH", path)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .nth(1)
        .unwrap_or_else(|| panic!("{line}"))
        .to_string();
    let started = std::time::Instant::now();
    while !opened.exists() && started.elapsed() < std::time::Duration::from_secs(10) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let got = std::fs::read_to_string(&opened).unwrap_or_default();
    // The page the browser is sent to is served, with the built-in theme's stylesheet.
    let port: u16 = url
        .trim_end_matches('/')
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET /conditions/hiccups/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut page = String::new();
    stream.read_to_string(&mut page).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(got, url, "the browser is sent to the address served");
    assert!(
        page.starts_with("HTTP/1.1 200") && page.contains("What Causes Hiccups"),
        "{page}"
    );
    assert!(page.contains("/style.css?v="), "{page}");
}

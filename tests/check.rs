//! `causeway check` and `causeway new` on fixture sites.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;

use common::TestSite;

/// A site with one of every editorial problem.
fn flawed_site() -> TestSite {
    let site = TestSite::empty();
    site.write(
        "content/a.md",
        "---\ntitle: A\ndescription: D\nreviewed: { by: Dr X, date: 2025-01-01, next: 2026-01-01 }\ncauses:\n  - name: Gout\n    group: Nowhere\n  - name: Dehydration\nrelated: [b]\n---\n## Dehydration\n\nFluids. ![](chart.svg)\n",
    );
    site.write(
        "content/b.md",
        "---\ntitle: B\ndescription: D\nsee_a_doctor: [Soon.]\n---\nSee [a](a.md).\n",
    );
    site.write(
        "content/c.md",
        "---\ntitle: C\ndescription: D\n---\nNobody links here.\n",
    );
    site.write(
        "content/chart.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site
}

#[test]
fn check_finds_every_editorial_problem_and_writes_nothing() {
    let site = flawed_site();
    let out = site.run(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    for needle in [
        "content/a.md:4:47: warning[review-overdue]",
        "content/a.md:5:1: warning[no-red-flags]",
        "content/a.md:6:11: warning[cause-unanchored]: cause `Gout` links to the top of the article",
        "content/a.md:13:9: warning[image-alt]",
        "content/c.md: warning[orphan]",
        "0 errors, 5 warnings in 2 files.",
    ] {
        assert!(stderr.contains(needle), "expected {needle:?} in:\n{stderr}");
    }
    // Dehydration is named under its heading; b is linked from a.
    assert!(!stderr.contains("Dehydration` links"));
    assert!(!stderr.contains("content/b.md"));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        site.run(&["check", "--deny-warnings"]).status.code(),
        Some(1)
    );
    assert!(!site.public().exists());
}

#[test]
fn check_warns_when_the_writers_help_section_and_the_red_flags_disagree() {
    let site = TestSite::empty();
    let flags = "see_a_doctor:\n  - It lasts a week.\n  - { text: It spreads., urgency: urgent }\n  - { text: You cannot breathe., urgency: emergency }\n";
    let article = |list: &str| {
        format!(
            "---\ntitle: T\ndescription: D\n{flags}---\nText.\n\n## When to see a GP\n\n{list}\n### Until then\n\n- Rest.\n- Drink water.\n- Sleep.\n- Wait.\n\n## Outlook\n\n- Good.\n"
        )
    };
    site.write(
        "content/two.md",
        &article("- It lasts a week.\n- It spreads.\n"),
    );
    site.write(
        "content/three.md",
        &article(
            "1. It lasts a week.\n2. It spreads:\n   - fast\n   - far\n3. You cannot breathe.\n",
        ),
    );
    site.write("content/prose.md", &article("See a GP if it lasts.\n"));
    let out = site.run(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("content/two.md:4:1: warning[red-flag-count]: the section \"When to see a GP\" lists 2 signs but `see_a_doctor` has 3"),
        "{stderr}"
    );
    // Three signs, the same count; a section in prose has nothing to count; lists under its
    // subheadings and in the next section are about something else.
    assert_eq!(stderr.matches("red-flag-count").count(), 1, "{stderr}");
}

#[test]
fn check_reports_build_errors_with_status_1_and_json_lines() {
    let site = flawed_site();
    site.write("content/d.md", "---\ntitle: D\n---\n");
    site.write("templates/tag.html", "{{ tag.nope }}");
    let out = site.run(&["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let d = lines
        .iter()
        .find(|d| d["file"] == "content/d.md")
        .expect("the front matter error");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["code"], "front-matter");
    assert_eq!(d["line"], 2);
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("`description` is required")
    );
}

#[test]
fn check_catches_template_errors_that_only_rendering_shows() {
    let site = flawed_site();
    site.write("templates/causes.html", "{{ letters.nope }}");
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("templates/causes.html:1:"));
}

/// A local server: `/ok` answers 200, `/gone` 404, `/slow` never answers.
fn link_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten().take(64) {
            std::thread::spawn(move || {
                let mut stream = stream;
                let mut buf = [0u8; 2048];
                let n = stream.read(&mut buf).unwrap_or(0);
                let request = String::from_utf8_lossy(&buf[..n]);
                let status = if request.contains(" /ok ") {
                    "200 OK"
                } else if request.contains(" /gone ") {
                    "404 Not Found"
                } else {
                    std::thread::sleep(std::time::Duration::from_secs(30));
                    return;
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
            });
        }
    });
    port
}

#[test]
fn external_links_are_checked_with_a_time_limit() {
    let port = link_server();
    let site = TestSite::empty();
    site.write(
        "content/a.md",
        &format!(
            "---\ntitle: A\ndescription: D\nsources:\n  - {{ title: Gone, url: \"http://127.0.0.1:{port}/gone\" }}\n---\n[ok](http://127.0.0.1:{port}/ok) and [slow](http://127.0.0.1:{port}/slow)\n"
        ),
    );
    // Without --external, no request is made.
    let quiet = site.run(&["check"]);
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("external-link"));

    let started = std::time::Instant::now();
    let out = site.run(&["check", "--external", "--timeout", "1"]);
    assert!(started.elapsed().as_secs() < 10, "check must not hang");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "content/a.md:5:26: warning[external-link]: http://127.0.0.1:{port}/gone: answered 404"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "warning[external-link]: http://127.0.0.1:{port}/slow: no answer within 1 s"
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("/ok:"), "{stderr}");
}

#[test]
fn new_writes_an_article_from_the_archetype_and_never_overwrites() {
    let site = TestSite::empty();
    let out = site.run(&[
        "new",
        "Basil Wilt: \"Why\" It Happens",
        "--section",
        "plants",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = site
        .root()
        .join("content/plants/basil-wilt-why-it-happens.md");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with("---\ntitle: \"Basil Wilt: \\\"Why\\\" It Happens\"\n"),
        "{text}"
    );
    assert!(text.contains("date: 20"));
    // The skeleton is a valid draft that builds with --drafts.
    let mut options = site.options();
    options.drafts = true;
    site.build_with(options);

    std::fs::write(&path, "my edits").unwrap();
    let again = site.run(&[
        "new",
        "Basil Wilt: \"Why\" It Happens",
        "--section",
        "plants",
    ]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "my edits");

    // The site's own archetype wins over the theme's.
    site.write(
        "archetypes/article.md",
        "---\ntitle: {{ title }}\ndescription: Mine.\ndate: {{ date }}\n---\n",
    );
    site.run(&["new", "Other"]);
    assert!(
        std::fs::read_to_string(site.root().join("content/other.md"))
            .unwrap()
            .contains("description: Mine.")
    );
    assert_eq!(
        site.run(&["new", "x", "--section", "../outside"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn check_warns_about_hard_reading_and_reports_the_editorial_state() {
    let site = TestSite::empty();
    let dense = "Peripheral neuropathy, a consequence of prolonged hyperglycaemia, frequently manifests as paraesthesia accompanied by nocturnal musculoskeletal discomfort and considerable functional impairment.";
    site.write(
        "content/dense.md",
        &format!("---\ntitle: Dense\ndescription: D\nreviewed: {{ by: Dr X, date: 2026-01-01, next: 2026-12-10 }}\nsources:\n  - {{ title: S }}\nrelated: [plain]\n---\n{dense}\n"),
    );
    site.write(
        "content/excused.md",
        "---\ntitle: Excused\ndescription: D\nreading: { max_grade: 16, reason: Terms are explained in the text. }\nrelated: [dense]\n---\nYour doctor will examine your feet and may arrange blood tests to check your kidneys, your thyroid gland and the minerals circulating in your bloodstream.\n",
    );
    site.write(
        "content/plain.md",
        "---\ntitle: Plain\ndescription: D\nreviewed: { by: Dr X, date: 2026-01-01, next: 2026-10-01 }\nrelated: [excused]\n---\nCramps hurt. They stop soon. Drink water. Stretch your leg.\n",
    );
    let out = site.run(&["check", "--report"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("content/dense.md:2:1: warning[reading-level]: reads at grade")
            && stderr
                .contains("“Peripheral neuropathy, a consequence of prolonged hyperglycaemia,")
            && stderr.contains("(20 words)"),
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("reading-level").count(),
        1,
        "the excused article is not warned about: {stderr}"
    );
    let table = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = table.lines().collect();
    // Overdue first, then due soon, then never reviewed.
    assert!(
        lines[1].starts_with("content/plain.md") && lines[1].contains("OVERDUE"),
        "{table}"
    );
    assert!(
        lines[2].starts_with("content/dense.md")
            && lines[2].contains("due ≤30 d")
            && lines[2].ends_with('!'),
        "{table}"
    );
    assert!(
        lines[3].starts_with("content/excused.md") && lines[3].contains("never"),
        "{table}"
    );
    assert!(table.contains("3 articles on 2026-11-24: 1 overdue for review, 1 due within 30 days, 0 within 90, 1 never reviewed, 2 without sources, 1 above their reading grade"), "{table}");
    // The same as JSON, with the diagnostics.
    let out = site.run(&["check", "--report", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["articles"][1]["file"], "content/dense.md");
    assert_eq!(v["articles"][1]["review"], "due30");
    assert_eq!(v["articles"][1]["days_left"], 16);
    assert!(v["articles"][1]["reading_grade"].as_f64().unwrap() > 8.0);
    assert_eq!(v["articles"][2]["max_grade"], 16.0);
    assert_eq!(v["overdue"], 1);
    assert!(
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "reading-level")
    );
    // A raised grade needs its reason.
    site.write("content/excused.md", "---\ntitle: Excused\ndescription: D\nreading: { max_grade: 12, reason: \"\" }\n---\nText.\n");
    let out = site.run(&["check"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("content/excused.md:4:1: error[front-matter]: `reading` needs a `max_grade` from 1 to 20 and a `reason`"));
}

#[test]
fn the_writers_help_section_is_found_in_other_languages_too() {
    for (lang, heading) in [
        ("es", "Cuándo ir al médico"),
        ("fr", "Quand consulter un médecin"),
        ("de", "Wann zum Arzt?"),
        ("ar", "متى تراجع الطبيب"),
    ] {
        let site = TestSite::empty();
        site.write(
            "site.yaml",
            &format!("title: T\ndescription: D\nbase_url: https://example.org/\nlanguage: {lang}\ntheme: default\n"),
        );
        site.write(
            "content/a.md",
            &format!("---\ntitle: T\ndescription: D\nsee_a_doctor:\n  - Uno.\n  - Dos.\n  - Tres.\n---\nTexto.\n\n## {heading}\n\n- Uno.\n- Dos.\n"),
        );
        let out = site.run(&["check"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!(
                "the section \"{heading}\" lists 2 signs but `see_a_doctor` has 3"
            )),
            "{lang}: {stderr}"
        );
    }
}

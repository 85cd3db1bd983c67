//! Builds the fixture site (every rule of the content model, under a sub-path) and checks
//! the files it writes.

mod common;

use std::collections::BTreeSet;

use common::{TestSite, assert_snapshot, snapshot_tree};
use serde_json::Value;

fn built() -> TestSite {
    let site = TestSite::fixture("site");
    site.build();
    site
}

fn index(site: &TestSite) -> Value {
    serde_json::from_str(&site.read("cause-index.json")).unwrap()
}

#[test]
fn writes_every_page_the_content_model_lists() {
    let site = built();
    for file in [
        "index.html",
        "feet/index.html",
        "lungs/index.html",
        "feet/foot-spasms/index.html",
        "lungs/tuberculosis-risk/index.html",
        "causes/index.html",
        "causes/dehydration/index.html",
        "causes/gout/index.html",
        "tags/index.html",
        "tags/feet/index.html",
        "search/index.html",
        "404.html",
        "sitemap.xml",
        "atom.xml",
        "robots.txt",
        "cause-index.json",
        "old/foot-cramps/index.html",
        "feet/arch.svg",
        "style.css",
        "extra.txt",
    ] {
        assert!(site.public().join(file).is_file(), "missing {file}");
    }
    // Drafts are left out, and so is every trace of them.
    assert!(!site.public().join("hiccups").exists());
    assert!(!site.read("cause-index.json").contains("Hiccups"));
}

#[test]
fn drafts_are_included_when_asked() {
    let site = TestSite::fixture("site");
    let mut options = site.options();
    options.drafts = true;
    site.build_with(options);
    assert!(site.public().join("draft/index.html").is_file());
}

#[test]
fn causes_link_to_sections_by_the_content_model_rules() {
    let site = built();
    let index = index(&site);
    let articles = index["articles"].as_array().unwrap();
    let feet = articles
        .iter()
        .position(|a| a["url"] == "feet/foot-spasms/")
        .unwrap();
    let anchor = |slug: &str| {
        let cause = index["causes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["slug"] == slug)
            .unwrap();
        let m = cause["mentions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["article"] == feet)
            .unwrap();
        m["anchor"].clone()
    };
    // Named in a section's text.
    assert_eq!(anchor("dehydration"), "physiological-triggers");
    // Found through one of its other names, in a subsection.
    assert_eq!(anchor("low-magnesium"), "minerals");
    // An explicit `section`, pointing at a custom heading id.
    assert_eq!(anchor("tight-shoes"), "shoes");
    // Not named anywhere: the heading that matches its group.
    assert_eq!(
        anchor("peripheral-neuropathy"),
        "nerve-and-blood-flow-impairments"
    );
    // Nothing matches: the article itself.
    assert_eq!(anchor("gout"), Value::Null);

    // The cause page links to the exact section, under the sub-path.
    let page = site.read("causes/dehydration/index.html");
    assert!(
        page.contains(r#"href="/health/feet/foot-spasms/#physiological-triggers""#),
        "{page}"
    );
    assert!(page.contains(r#"href="/health/lungs/tuberculosis-risk/#who-is-at-risk""#));
}

#[test]
fn causes_are_unified_by_slug_across_articles() {
    let site = built();
    let index = index(&site);
    let causes = index["causes"].as_array().unwrap();
    let dehydration: Vec<_> = causes
        .iter()
        .filter(|c| c["slug"] == "dehydration")
        .collect();
    assert_eq!(dehydration.len(), 1);
    assert_eq!(dehydration[0]["mentions"].as_array().unwrap().len(), 2);
    assert_eq!(dehydration[0]["url"], "causes/dehydration/");
    let slugs: Vec<&str> = causes.iter().map(|c| c["slug"].as_str().unwrap()).collect();
    let mut sorted = slugs.clone();
    sorted.sort();
    assert_eq!(slugs, sorted, "causes are sorted by slug");
}

#[test]
fn cause_index_follows_version_1() {
    let site = built();
    let index = index(&site);
    assert_eq!(index["version"], 1);
    assert_eq!(
        index["synonyms"],
        serde_json::json!([["cramp", "spasm", "charley horse"]])
    );
    let a = &index["articles"][0];
    let keys: BTreeSet<&str> = a.as_object().unwrap().keys().map(String::as_str).collect();
    let expected: BTreeSet<&str> = [
        "url",
        "title",
        "condition",
        "also_known_as",
        "description",
        "tags",
        "symptoms",
        "updated",
        "see_a_doctor",
    ]
    .into();
    assert_eq!(keys, expected);
    assert_eq!(a["url"], "feet/foot-spasms/");
    assert_eq!(a["updated"], "2026-11-22");
    assert_eq!(a["see_a_doctor"][0]["urgency"], "routine");
    assert_eq!(a["see_a_doctor"][2]["urgency"], "emergency");
    // Plain text, never HTML.
    assert!(a["title"].as_str().unwrap().contains("<script>"));
    assert_snapshot("cause-index.json", &site.read("cause-index.json"));
}

#[test]
fn markdown_links_become_urls_under_the_sub_path() {
    let site = built();
    let page = site.read("feet/foot-spasms/index.html");
    assert!(page.contains(r#"href="/health/lungs/tuberculosis-risk/#who-is-at-risk""#));
    assert!(page.contains(r#"href="/health/feet/""#));
    assert!(page.contains(r#"src="/health/feet/arch.svg""#));
    assert!(page.contains(r##"href="#physiological-triggers""##));
    // Duplicate headings get distinct ids.
    assert!(page.contains(r#"id="nerve-and-blood-flow-impairments-1""#));
    // Tables, footnotes and task lists are on.
    assert!(
        page.contains("<table>")
            && page.contains("footnote-definition")
            && page.contains("checkbox")
    );
}

/// Every internal link and asset of every page resolves to a file that was written, and
/// every `#fragment` to an id on the target page. This is what "works under a sub-path" means.
#[test]
fn every_internal_link_resolves() {
    assert_links_resolve(&built(), "/health/");
}

/// Every internal link and asset of every page resolves to a written file, and every
/// `#fragment` to an id on the target page; every link starts with `base`.
fn assert_links_resolve(site: &TestSite, base: &str) {
    let files = snapshot_tree(&site.public());
    let attr = regex_lite_links();
    let mut checked = 0;
    for (rel, bytes) in &files {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        for url in attr(&html) {
            if url.starts_with("http") || url.starts_with("mailto:") || url.starts_with("data:") {
                continue;
            }
            let (path, fragment) = url
                .split_once('#')
                .map_or((url.as_str(), None), |(p, f)| (p, Some(f)));
            let target = if path.is_empty() {
                rel.clone()
            } else {
                let inner = path.strip_prefix(base).unwrap_or_else(|| {
                    panic!("{rel}: link {url} does not start with the sub-path")
                });
                let inner = inner.split('?').next().unwrap().replace("%20", " ");
                if inner.is_empty() || inner.ends_with('/') {
                    format!("{inner}index.html")
                } else {
                    inner.to_string()
                }
            };
            let body = files
                .get(&target)
                .unwrap_or_else(|| panic!("{rel}: link {url} has no file {target}"));
            if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                let text = String::from_utf8_lossy(body);
                assert!(
                    text.contains(&format!("id=\"{f}\"")),
                    "{rel}: link {url}: no id {f} in {target}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
}

/// `href="..."` and `src="..."` values of a page, unescaped.
fn regex_lite_links() -> impl Fn(&str) -> Vec<String> {
    |html: &str| {
        let mut out = Vec::new();
        for attr in ["href=\"", "src=\""] {
            let mut rest = html;
            while let Some(i) = rest.find(attr) {
                rest = &rest[i + attr.len()..];
                if let Some(end) = rest.find('"') {
                    out.push(rest[..end].replace("&amp;", "&").replace("&#x2F;", "/"));
                }
            }
        }
        out
    }
}

#[test]
fn text_from_content_is_escaped_everywhere() {
    let site = built();
    let page = site.read("feet/foot-spasms/index.html");
    assert!(
        !page.contains("<script>alert"),
        "title must be escaped in HTML"
    );
    assert!(page.contains("&lt;script&gt;") || page.contains("&lt;script&gt;alert"));
    // Raw HTML in Markdown is text when unsafe_html is off.
    assert!(
        page.contains("&lt;b&gt;html&lt;/b&gt;") || page.contains("&lt;b&gt;html&lt;&#x2F;b&gt;"),
        "raw HTML must be escaped"
    );
    // JSON-LD cannot be closed from content.
    let start = page.find("application/ld+json").unwrap();
    let script = &page[start..page[start..].find("</script>").unwrap() + start];
    assert!(script.contains("\\u003cscript\\u003e"), "{script}");
    // XML files.
    for file in ["atom.xml", "sitemap.xml"] {
        let xml = site.read(file);
        assert!(
            !xml.contains("<script>") && !xml.contains("<Test>"),
            "{file}"
        );
    }
    assert!(
        site.read("atom.xml")
            .contains("Fixture Health &lt;Test&gt;")
    );
    // The disclaimer is text.
    assert!(!site.read("index.html").contains("<b>really</b>"));
}

#[test]
fn article_page_shows_the_health_publisher_features() {
    let site = built();
    let page = site.read("feet/foot-spasms/index.html");
    assert_eq!(page.matches("<h1").count(), 1, "one h1");
    for needle in [
        "Reviewed by",
        "A. Reviewer, MD",
        "datetime=\"2027-11-21\"",
        "See a GP or doctor if",
        "Get urgent medical help if",
        "Call an emergency number now if",
        "Muscle cramp",
        "Who Is at Risk for Tuberculosis?",
        r#"rel="canonical" href="https://example.org/health/feet/foot-spasms/""#,
        r#"property="og:title""#,
        "\"@type\":\"MedicalWebPage\"",
        "\"@type\":\"MedicalCause\"",
        "\"lastReviewed\":\"2026-11-21\"",
        "\"signOrSymptom\"",
        "\"alternateName\":[\"foot cramps\"]",
        "Not medical advice",
        r#"href="/health/feet/""#,
    ] {
        assert!(page.contains(needle), "article page lacks {needle}");
    }
    assert_snapshot("foot-spasms.html", &page);
}

#[test]
fn host_files_use_absolute_urls() {
    let site = built();
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains(
        "<loc>https://example.org/health/feet/foot-spasms/</loc><lastmod>2026-11-22</lastmod>"
    ));
    assert!(!sitemap.contains("404"));
    assert_eq!(
        site.read("robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.org/health/sitemap.xml\n"
    );
    let atom = site.read("atom.xml");
    assert!(atom.contains("<id>https://example.org/health/feet/foot-spasms/</id>"));
    assert!(atom.contains("<updated>2026-11-22T00:00:00Z</updated>"));
    let alias = site.read("old/foot-cramps/index.html");
    assert!(alias.contains(r#"content="0; url=/health/feet/foot-spasms/""#));
    assert!(
        alias.contains(r#"rel="canonical" href="https://example.org/health/feet/foot-spasms/""#)
    );
}

#[test]
fn site_templates_and_static_files_override_the_theme() {
    let site = built();
    assert!(site.read("404.html").contains("Lost? (site override)"));
    assert_eq!(site.read("extra.txt"), "site static file\n");
}

#[test]
fn base_url_can_be_overridden_for_previews() {
    let site = TestSite::fixture("site");
    let mut options = site.options();
    options.base_url = Some("http://127.0.0.1:8000/preview".into());
    site.build_with(options);
    let page = site.read("feet/foot-spasms/index.html");
    assert!(page.contains(r#"href="/preview/feet/""#));
    assert!(
        site.read("robots.txt")
            .contains("http://127.0.0.1:8000/preview/sitemap.xml")
    );
}

#[test]
fn same_input_gives_the_same_bytes() {
    let first = built();
    let second = built();
    let a = snapshot_tree(&first.public());
    let b = snapshot_tree(&second.public());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{name} differs between two builds");
    }
}

#[test]
fn the_binary_prints_one_summary_line() {
    let site = TestSite::fixture("site");
    let out = site.run(&["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    // Not a terminal: no progress lines, nothing on stderr for a clean build.
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.starts_with("Built ") && stdout.contains(" pages (2 articles, 6 causes;"),
        "{stdout}"
    );
}

#[test]
fn a_rebuild_replaces_the_old_output_entirely() {
    let site = built();
    std::fs::write(site.public().join("stale.html"), "old").unwrap();
    site.build();
    assert!(!site.public().join("stale.html").exists());
    // No staging folders are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn an_overdue_review_is_a_warning_that_does_not_stop_the_build() {
    let site = TestSite::empty();
    site.write(
        "content/a.md",
        "---\ntitle: A\ndescription: D\nreviewed: { by: Dr X, date: 2025-01-01, next: 2026-01-01 }\n---\n",
    );
    let report = site.build();
    assert_eq!(report.warnings.len(), 1);
    let w = report.warnings[0].render(false);
    assert!(w.starts_with("content/a.md:4:47: warning[review-overdue]: the medical review was due on 1 January 2026"), "{w}");
    assert!(
        site.read("a/index.html").contains("overdue")
            || site.read("a/index.html").contains("Overdue")
    );
}

#[test]
fn long_lists_are_paginated_and_every_page_links_resolve() {
    let site = TestSite::fixture("site");
    site.append("site.yaml", "pagination:\n  per_page: 1\n");
    site.build();
    // Dehydration is explained in two articles: one per page.
    let first = site.read("causes/dehydration/index.html");
    let second = site.read("causes/dehydration/page/2/index.html");
    assert!(first.contains("Page 1 of 2") && second.contains("Page 2 of 2"));
    assert!(
        first.contains(r#"href="/health/causes/dehydration/page/2/" rel="next""#),
        "{first}"
    );
    assert!(second.contains(r#"href="/health/causes/dehydration/" rel="prev""#));
    assert!(first.contains("explained in 2 articles"));
    assert!(second.contains("<title>Dehydration (page 2)"));
    assert!(!site.public().join("causes/dehydration/page/3").exists());
    // Each page shows one of the two articles.
    let feet = "/health/feet/foot-spasms/#physiological-triggers";
    assert!(first.contains(feet) != second.contains(feet));
    assert!(
        site.read("sitemap.xml")
            .contains("https://example.org/health/causes/dehydration/page/2/")
    );
    // A list that fits on one page has no page links.
    assert!(!site.read("feet/index.html").contains("Page 1 of"));
    assert_links_resolve(&site, "/health/");
}

#[test]
fn a_zero_page_size_is_an_error() {
    let site = TestSite::fixture("site");
    site.append("site.yaml", "pagination:\n  per_page: 0\n");
    let out = site.build_err();
    assert!(
        out.contains("site.yaml:16:1: error[config]: pagination.per_page must be 1 or more"),
        "{out}"
    );
}

/// A site at the domain root with unusual but valid content: nested folders with spaces,
/// accents, an article with only the required keys, causes without groups, a `related` slug,
/// an alias ending in `.html`, fragments written as heading text.
#[test]
fn an_unusual_site_at_the_domain_root_builds_with_working_links() {
    let site = TestSite::fixture("edge");
    site.build();
    for file in [
        "ear/inner-ear/rare/menieres/index.html",
        "ear/inner-ear/index.html",
        "ear/ear diagram.svg",
        "bare/index.html",
        "old/menieres.html",
        "causes/menieres-family-history/index.html",
    ] {
        assert!(site.public().join(file).is_file(), "missing {file}");
    }
    let page = site.read("ear/inner-ear/rare/menieres/index.html");
    assert!(page.contains(r##"href="#heredite""##));
    assert!(page.contains(r#"src="/ear/ear%20diagram.svg""#));
    assert!(page.contains("<html lang=\"fr\""));
    assert!(
        site.read("bare/index.html")
            .contains(r#"href="/ear/inner-ear/rare/menieres/#fluid-pressure""#)
    );
    let index: Value = serde_json::from_str(&site.read("cause-index.json")).unwrap();
    let fluid = index["causes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["slug"] == "fluid-build-up-in-the-inner-ear")
        .unwrap();
    assert_eq!(fluid["mentions"][0]["anchor"], "fluid-pressure");
    assert_eq!(fluid["mentions"][0]["group"], Value::Null);
    assert_links_resolve(&site, "/");
}

#[test]
fn build_timings_name_each_phase() {
    let site = TestSite::fixture("site");
    let out = site.root().join("out");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_causeway"))
        .args(["build", "--timings", "--root"])
        .arg(site.root())
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    for phase in [
        "reading content",
        "building the site model",
        "rendering pages",
        "replacing the old output",
        "in all",
    ] {
        assert!(
            stderr
                .lines()
                .any(|l| l.contains(" s  ") && l.contains(phase)),
            "no {phase:?} in\n{stderr}"
        );
    }
    assert!(out.join("index.html").is_file());
}

#[test]
fn static_files_are_linked_with_a_version_that_follows_their_bytes() {
    let site = TestSite::fixture("site");
    site.build();
    let link = |page: &str| {
        let at = page
            .find("style.css?v=")
            .expect("a versioned stylesheet link");
        page[at..at + 22].to_string()
    };
    let first = link(&site.read("index.html"));
    assert_eq!(first.len(), "style.css?v=".len() + 10, "{first}");
    // Every page links the same version, and module imports get it through the import map.
    let article = site.read("feet/foot-spasms/index.html");
    assert_eq!(link(&article), first);
    assert!(article.contains(r#""/health/js/search-core.js":"/health/js/search-core.js?v="#));
    site.build();
    assert_eq!(
        link(&site.read("index.html")),
        first,
        "same bytes, same version"
    );
    site.write("static/style.css", "body { color: black }\n");
    site.build();
    let changed = link(&site.read("index.html"));
    assert_ne!(changed, first);
    assert_eq!(site.read("style.css"), "body { color: black }\n");
}

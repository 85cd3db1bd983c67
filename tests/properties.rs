//! Properties of whole builds over generated content: an article body or a front-matter
//! value of any text never panics a build, a build that succeeds has no script-capable
//! markup in any page and writes nothing outside its output folder, a build that fails says
//! where, and a title written as YAML data comes out in the page as the same text, escaped.
//!
//! Each case is a real build in a temporary site. `PROPTEST_CASES` sets how many cases each
//! property runs (48 by default, to keep the suite fast).

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use common::{TestSite, markup, snapshot_tree};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};

const ARTICLE: &str = "content/a.md";

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(48)
}

/// Runs `test` on `cases()` values of `strategy`; on failure, panics with the smallest
/// failing value proptest found. Returns how many cases built.
fn check<S: Strategy>(
    name: &str,
    strategy: S,
    test: impl Fn(S::Value) -> Result<bool, TestCaseError>,
) -> u32
where
    S::Value: std::fmt::Debug,
{
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    let built = std::cell::Cell::new(0);
    let result = runner.run(&strategy, |value| {
        if test(value)? {
            built.set(built.get() + 1);
        }
        Ok(())
    });
    match result {
        Ok(()) => {
            eprintln!("{name}: {} of {} cases built", built.get(), cases());
            built.get()
        }
        Err(TestError::Fail(why, value)) => {
            panic!("{name}: {why}\nsmallest failing input: {value:#?}")
        }
        Err(TestError::Abort(why)) => panic!("{name}: aborted: {why}"),
    }
}

/// Every file of the site outside `public/`, with its bytes.
fn outside_output(site: &TestSite) -> BTreeMap<String, Vec<u8>> {
    snapshot_tree(site.root())
        .into_iter()
        .filter(|(rel, _)| rel != "public" && !rel.starts_with("public/"))
        .collect()
}

/// Builds `site` with `text` as `content/a.md`. On success every HTML page must be free of
/// forbidden markup; either way nothing outside `public/` may change and nothing in it may
/// be a link. Returns the build's result.
fn build_article(
    site: &TestSite,
    text: &str,
) -> Result<Result<causeway::Report, Vec<causeway::diagnostics::Diagnostic>>, TestCaseError> {
    site.write(ARTICLE, text);
    let before = outside_output(site);
    let result = causeway::build(&site.options());
    let after = outside_output(site);
    prop_assert!(
        before == after,
        "the build changed files outside public/: {:?}",
        before
            .keys()
            .chain(after.keys())
            .filter(|k| before.get(*k) != after.get(*k))
            .collect::<Vec<_>>()
    );
    if result.is_ok() {
        for entry in walkdir::WalkDir::new(site.public()) {
            let entry = entry.map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(
                !entry.path_is_symlink(),
                "a link in the output: {}",
                entry.path().display()
            );
        }
        let mut found = Vec::new();
        for (rel, bytes) in snapshot_tree(&site.public()) {
            if rel.ends_with(".html") {
                let html = String::from_utf8(bytes)
                    .map_err(|_| TestCaseError::fail(format!("{rel} is not UTF-8")))?;
                found.extend(
                    markup::forbidden(&html)
                        .into_iter()
                        .map(|f| format!("{rel}: {f}")),
                );
            }
        }
        prop_assert!(found.is_empty(), "forbidden markup: {found:#?}");
    }
    Ok(result)
}

/// A failed build's diagnostics must each name the article and a line in it.
fn positioned(
    text: &str,
    diagnostics: &[causeway::diagnostics::Diagnostic],
) -> Result<(), TestCaseError> {
    prop_assert!(!diagnostics.is_empty(), "a failed build with no diagnostic");
    let lines = text.lines().count().max(1);
    for d in diagnostics {
        prop_assert!(
            d.file == Path::new(ARTICLE) && d.line >= 1 && d.line <= lines,
            "a diagnostic not placed in {ARTICLE} ({lines} lines): {}",
            d.render(false)
        );
    }
    Ok(())
}

/// URLs a browser would run as script, spelt the ways a browser still reads them.
fn hostile_url() -> impl Strategy<Value = String> {
    let scheme = prop_oneof![
        Just("javascript"),
        Just("JaVaScRiPt"),
        Just("java\tscript"),
        Just("java\nscript"),
        Just("vbscript"),
        Just("data"),
        Just("DATA"),
    ];
    // A control character makes the whole file refused, so it leads only now and then.
    let lead = prop_oneof![
        4 => Just(""),
        2 => Just(" "),
        1 => Just("\t"),
        1 => Just("\u{1}"),
    ];
    let colon = prop_oneof![Just(":"), Just("&#58;"), Just("&colon;"), Just("%3A")];
    (lead, scheme, colon, "[a-z()0-9,/<>\"']{0,12}")
        .prop_map(|(l, s, c, rest)| format!("{l}{s}{c}{rest}"))
}

/// URLs for links and images, hostile one time in five: a hostile link fails the build, and
/// enough bodies must build for their pages to be checked.
fn any_url() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => hostile_url(),
        1 => Just("https://www.nhs.uk/conditions/".to_string()),
        1 => Just("mailto:clinic@example.org".to_string()),
        1 => Just("tel:111".to_string()),
        1 => Just("other.md#too-little-water".to_string()),
        1 => Just("#intro".to_string()),
        1 => Just("&#106;avascript:alert(1)".to_string()),
        2 => "\\PC{0,12}",
        1 => Just("https://example.org/a?b=1&c=<d>\"e'".to_string()),
    ]
}

/// Pieces of article bodies: Markdown syntax, raw HTML, heading attribute blocks, links
/// and images with hostile URLs, entities, control characters and any text at all.
fn body_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "\\PC{0,16}",
        1 => any::<String>().prop_map(|s| s.chars().take(12).collect()),
        2 => Just("\n".to_string()),
        1 => Just("\n\n".to_string()),
        2 => prop_oneof![
            Just("# "), Just("## "), Just("### "), Just("\n===\n"), Just("> "), Just("- "),
            Just("1. "), Just("- [ ] "), Just("- [x] "), Just("```\n"), Just("    "),
            Just("| a | b |\n|---|---|\n"), Just("[^1]"), Just("\n[^1]: "), Just("***"),
            Just("`"), Just("*"), Just("_"), Just("~~"), Just("\\"),
        ].prop_map(str::to_string),
        2 => prop_oneof![
            Just("{#id}"), Just("{.class}"), Just("{onclick=alert(1)}"),
            Just("{#x onfocus=alert(1) autofocus tabindex=0}"), Just("{ style=\"x\" }"),
            Just("{#}"), Just("{"), Just("}"),
        ].prop_map(str::to_string),
        3 => (any_url(), "\\PC{0,6}").prop_map(|(u, t)| format!("[{t}]({u})")),
        1 => (any_url(), "\\PC{0,6}").prop_map(|(u, t)| format!("[{t}](<{u}>)")),
        2 => (any_url(), "\\PC{0,6}").prop_map(|(u, t)| format!("![{t}]({u})")),
        1 => any_url().prop_map(|u| format!("<{u}>")),
        1 => any_url().prop_map(|u| format!("\n[r]: {u}\n[x][r]")),
        2 => any_url().prop_map(|u| format!("<a href=\"{u}\" onclick=\"x\">a</a>")),
        1 => any_url().prop_map(|u| format!("<img src='{u}' onerror=alert(1)>")),
        1 => prop_oneof![
            Just("<script>alert(1)</script>"), Just("<div onmouseover=\"x\">\n*md*\n</div>\n"),
            Just("<!-- c -->"), Just("<svg onload=alert(1)>"), Just("</p><p>"),
            Just("<style>*{}</style>"), Just("<iframe srcdoc=\"<script>x</script>\">"),
        ].prop_map(str::to_string),
        2 => prop_oneof![
            Just("&amp;"), Just("&#0;"), Just("&#x110000;"), Just("&#106;"), Just("&nbsp;"),
            Just("&lt;script&gt;"), Just("&Tab;"), Just("&NewLine;"), Just("&NotAnEntity;"),
            Just("&#x1b;"), Just("&#1;"), Just("&#127;"), Just("&#x85;"), Just("&#x9b;"),
        ].prop_map(str::to_string),
        // Control characters make the file refused, so they come less often than the rest.
        1 => prop_oneof![
            Just("\u{1}"), Just("\u{1b}[31m"), Just("\u{7f}"), Just("\u{85}"), Just("\u{0}"),
        ].prop_map(str::to_string),
        2 => prop_oneof![
            Just("\r"), Just("\r\n"), Just("\t"), Just("\u{202e}"), Just("\u{feff}"),
            Just("\u{200b}"), Just("\u{2028}"), Just("e\u{301}"), Just("\u{1f600}"),
            Just("\u{fffd}"), Just("ﬀ"), Just("İ"),
        ].prop_map(str::to_string),
    ]
}

fn body() -> impl Strategy<Value = String> {
    prop::collection::vec(body_piece(), 0..20).prop_map(|pieces| pieces.concat())
}

/// Another article, so that links between articles and causes have something to reach.
const OTHER: &str = "---\ntitle: Leg cramps\ndescription: Sudden tight muscles.\ncauses:\n  - name: Dehydration\n---\n## Too little water\n\nDehydration makes cramps likelier.\n";

fn site_with_other() -> TestSite {
    let site = TestSite::empty();
    site.write("content/other.md", OTHER);
    site
}

#[test]
fn any_body_builds_clean_pages_or_fails_with_positioned_errors() {
    let site = site_with_other();
    let front = "---\ntitle: A\ndescription: D\n---\n";
    let built = check("any body", body(), |body| {
        let text = format!("{front}{body}");
        match build_article(&site, &text)? {
            Ok(_) => Ok(true),
            Err(diagnostics) => {
                // Errors are about the body; a body that starts with `---` still has its own
                // front matter closed before it.
                positioned(&text.replace('\r', "\n"), &diagnostics)?;
                Ok(false)
            }
        }
    });
    // Hostile links make some bodies fail; enough must build for the page checks to count.
    assert!(
        built >= cases() / 8,
        "only {built} of {} bodies built",
        cases()
    );
}

/// Text for one front-matter value: any text, YAML's own syntax, markup and hostile URLs.
fn value_text() -> impl Strategy<Value = String> {
    let short = |s: String| -> String { s.chars().take(16).collect() };
    prop_oneof![
        3 => "\\PC{0,24}",
        2 => any::<String>().prop_map(short),
        2 => prop::collection::vec(
            prop_oneof![
                Just(": "), Just("- "), Just("#"), Just("&a "), Just("*a"), Just("!!str "),
                Just("'"), Just("\""), Just("["), Just("]"), Just("{"), Just("}"), Just(","),
                Just("|"), Just(">-"), Just("\n"), Just("\n  "), Just("\t"), Just("\\"),
                Just("---"), Just("..."), Just("null"), Just("~"), Just("yes"), Just("1e9"),
                Just("<script>x</script>"), Just("<img src=x onerror=y>"), Just("\u{1}"),
                Just("\u{85}"), Just("\u{202e}"), Just("/"), Just("../"), Just("%2e%2e/"),
                Just("index.html"), Just("a b"), Just("É"),
            ],
            0..10,
        )
        .prop_map(|p| p.concat()),
        2 => hostile_url(),
    ]
}

#[derive(Debug, Clone, Copy)]
enum Field {
    Title,
    Description,
    CauseName,
    SourceUrl,
    Tag,
    Alias,
}

/// The front matter with `value` in `field`, the value either written as YAML data
/// (escaped) or spliced in as written (which may break the YAML).
fn front_matter(field: Field, value: &str, as_data: bool) -> String {
    let v = if as_data {
        serde_json::to_string(value).expect("a string")
    } else {
        value.to_string()
    };
    let mut title = "\"A\"".to_string();
    let mut description = "\"D\"".to_string();
    let mut rest = String::new();
    match field {
        Field::Title => title = v,
        Field::Description => description = v,
        Field::CauseName => rest = format!("causes:\n  - name: {v}\n"),
        Field::SourceUrl => rest = format!("sources:\n  - title: S\n    url: {v}\n"),
        Field::Tag => rest = format!("tags: [{v}]\n"),
        Field::Alias => rest = format!("aliases:\n  - {v}\n"),
    }
    format!("---\ntitle: {title}\ndescription: {description}\n{rest}---\n## Intro\n\nText.\n")
}

#[test]
fn any_front_matter_value_builds_clean_pages_or_fails_with_positioned_errors() {
    let site = site_with_other();
    let field = prop_oneof![
        Just(Field::Title),
        Just(Field::Description),
        Just(Field::CauseName),
        Just(Field::SourceUrl),
        Just(Field::Tag),
        Just(Field::Alias),
    ];
    let built = check(
        "any front-matter value",
        (field, value_text(), any::<bool>()),
        |(field, value, as_data)| {
            let text = front_matter(field, &value, as_data);
            match build_article(&site, &text)? {
                Ok(_) => Ok(true),
                Err(diagnostics) => {
                    positioned(&text.replace('\r', "\n"), &diagnostics)?;
                    Ok(false)
                }
            }
        },
    );
    assert!(
        built >= cases() / 8,
        "only {built} of {} front matters built",
        cases()
    );
}

/// Decodes the character references an escaped title can hold.
fn unescape(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let semi = rest.find(';').expect("a character reference ends with `;`");
        let entity = &rest[1..semi];
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32)
                .unwrap_or_else(|| panic!("unknown character reference &{entity};")),
        };
        out.push(c);
        rest = &rest[semi + 1..];
    }
    out.push_str(rest);
    out
}

/// Titles: printable text of any script, with the characters HTML and YAML treat specially.
fn title() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => "[\\PC&&[^\u{85}\u{2028}\u{2029}]]{1,10}",
        1 => prop_oneof![
            Just("<"), Just(">"), Just("&"), Just("\""), Just("'"), Just("&amp;"), Just("&#106;"),
            Just("<script>alert(1)</script>"), Just("</h1>"), Just("{{ site.title }}"),
            Just("{% raw %}"), Just(": "), Just("# "), Just("- "), Just("*"), Just("`"),
            Just("null"), Just("true"), Just("1.0"), Just("~"), Just("É"), Just("ﬀ"),
        ]
        .prop_map(str::to_string),
    ];
    prop::collection::vec(piece, 1..6)
        .prop_map(|p| p.concat())
        // A title of spaces is refused (`title` must not be empty); that is checked elsewhere.
        .prop_filter("a title with a word", |t| !t.trim().is_empty())
}

#[test]
fn a_title_written_as_yaml_data_is_the_page_heading_escaped() {
    let site = TestSite::empty();
    check("title round trip", title(), |title| {
        let mut front = BTreeMap::new();
        front.insert("title", title.as_str());
        front.insert("description", "D");
        let yaml = serde_yaml::to_string(&front).expect("YAML");
        let text = format!("---\n{yaml}---\nText.\n");
        let report = match build_article(&site, &text)? {
            Ok(report) => report,
            Err(diagnostics) => {
                let text: String = diagnostics.iter().map(|d| d.render(false)).collect();
                return Err(TestCaseError::fail(format!(
                    "the build refused {yaml:?}:\n{text}"
                )));
            }
        };
        prop_assert_eq!(report.articles, 1);
        let html = fs::read_to_string(site.public().join("a/index.html"))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let start = html
            .find("<h1>")
            .ok_or_else(|| TestCaseError::fail("no <h1> in the page"))?
            + "<h1>".len();
        let end = start + html[start..].find("</h1>").expect("the heading is closed");
        let heading = &html[start..end];
        prop_assert!(
            !heading.contains(['<', '>', '"']),
            "the heading is not escaped: {heading:?}"
        );
        prop_assert_eq!(unescape(heading), title);
        Ok(true)
    });
}

/// A numeric character reference in Markdown decodes to the character it names: `&#x1b;`
/// must not put a raw ESC in the page, since a control character written in the file is
/// refused. Found by `any_body_builds_clean_pages_or_fails_with_positioned_errors`.
#[test]
fn numeric_references_to_control_characters_never_reach_a_page() {
    let site = TestSite::empty();
    let mut failed = Vec::new();
    for reference in ["&#x1b;", "&#1;", "&#127;", "&#x85;", "&#x9b;"] {
        let text = format!("---\ntitle: A\ndescription: D\n---\nText {reference} here.\n");
        let outcome = build_article(&site, &text)
            .and_then(|result| result.map_or_else(|d| positioned(&text, &d), |_| Ok(())));
        if let Err(e) = outcome {
            failed.push(format!("{reference}: {e}"));
        }
    }
    assert!(failed.is_empty(), "{failed:#?}");
}

/// The YAML parser ends a line at U+2028 and U+2029 as well as at `\n`; a front-matter
/// mistake after such a character must still be reported on its own line.
#[test]
fn line_separators_in_front_matter_keep_its_line_numbers() {
    let site = TestSite::empty();
    let text = "---\ntitle: \"A\u{2028}\u{2028}\u{2029}\"\ndescription: [\n---\nText.\n";
    let diagnostics = build_article(&site, text)
        .unwrap_or_else(|e| panic!("{e}"))
        .expect_err("the front matter is broken");
    let lines: Vec<usize> = diagnostics.iter().map(|d| d.line).collect();
    assert!(
        lines.iter().all(|&l| (3..=4).contains(&l)),
        "{lines:?}: {diagnostics:#?}"
    );
}

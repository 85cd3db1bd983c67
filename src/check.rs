//! `causeway check`: every check of the build without writing anything, plus the warnings a
//! health editor needs before publishing.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use crate::diagnostics::{self, Code, Diagnostic, Severity};
use crate::site::{Article, Site};
use crate::{BuildOptions, load};
use crate::{readability, render, report};

/// What to check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub build: BuildOptions,
    /// Also request every outside link.
    pub external: bool,
    /// How long one outside link may take.
    pub timeout: Duration,
    /// How many outside links are checked at once.
    pub concurrency: usize,
}

impl CheckOptions {
    pub fn new(build: BuildOptions) -> Self {
        CheckOptions {
            build,
            external: false,
            timeout: Duration::from_secs(10),
            concurrency: 8,
        }
    }
}

/// Runs every check; the result holds errors and warnings, sorted by file and position.
pub fn check(options: &CheckOptions) -> Vec<Diagnostic> {
    check_and_report(options).0
}

/// Runs every check, and makes the editorial report of the site when it loads (file paths
/// relative to the site root).
pub fn check_and_report(options: &CheckOptions) -> (Vec<Diagnostic>, Option<report::Report>) {
    let root = &options.build.root;
    let (sites, mut theme) = match load(&options.build) {
        Ok(loaded) => loaded,
        Err(errors) => return (errors, None),
    };
    let mut found = Vec::new();
    for site in &sites {
        theme.set_site(site);
        // Templates fail only when rendered: render every page, with nothing as the sink.
        let pages = render::plan(site);
        found.extend(crate::pipeline::render(
            site,
            &theme,
            &pages,
            &crate::progress::Silent,
            |_, _| Ok(()),
        ));
        found.extend(site.warnings.iter().cloned());
        found.extend(editorial_warnings(site));
        if options.external {
            found.extend(external_links(site, options));
        }
    }
    diagnostics::quote_sources(&mut found, root);
    let mut report = report::report(&sites);
    for row in &mut report.articles {
        let file = std::path::Path::new(&row.file);
        if let Ok(rel) = file.strip_prefix(root) {
            row.file = rel.to_string_lossy().replace('\\', "/");
        }
    }
    let found = diagnostics::tidy(found.into_iter().map(|d| d.relative_to(root)).collect());
    (found, Some(report))
}

/// A warning at a position of an article's file; its source line is added at the end, when
/// each file is read once (see [`diagnostics::quote_sources`]).
fn warn(a: &Article, (line, column): (usize, usize), code: Code, message: String) -> Diagnostic {
    Diagnostic {
        line,
        column,
        ..Diagnostic::error(&a.file, code, message).warning()
    }
}

/// Warnings about content that builds but should not be published as it is.
pub fn editorial_warnings(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut linked = vec![false; site.articles.len()];
    for (i, a) in site.articles.iter().enumerate() {
        for &j in a.related.iter().chain(&a.body.links) {
            if j != i {
                linked[j] = true;
            }
        }
    }
    for (i, a) in site.articles.iter().enumerate() {
        if !a.fm.causes.is_empty() && a.fm.see_a_doctor.is_empty() {
            out.push(warn(
                a,
                a.locations.find("causes", None),
                Code::NoRedFlags,
                "this article lists causes but no `see_a_doctor` signs: say when a reader should get help".into(),
            ));
        }
        for (entry, anchor) in a.fm.causes.iter().zip(a.cause_anchors()) {
            if anchor.is_none() {
                out.push(warn(
                    a,
                    a.locations.find("causes", Some(&entry.name)),
                    Code::CauseUnanchored,
                    format!(
                        "cause `{}` links to the top of the article: no heading's section names it, and no heading matches its group; name it in the text or set `section`",
                        entry.name
                    ),
                ));
            }
        }
        if site.articles.len() > 1 && !linked[i] {
            out.push(warn(
                a,
                (0, 0),
                Code::Orphan,
                "no other article links to this one, through `related` or a link in the text"
                    .into(),
            ));
        }
        if let Some(help) = a.help_section().filter(|_| !a.fm.see_a_doctor.is_empty()) {
            // The section's own text: lists under its subheadings ("Until your
            // appointment") are about something else.
            let section = &a.body.html[help.start..help.end];
            let own = (section.get(3..).and_then(|t| t.find("<h")))
                .map_or(section, |i| &section[..i + 3]);
            let listed = top_level_items(own);
            let flags = a.fm.see_a_doctor.len();
            if listed > 0 && listed != flags {
                out.push(warn(
                    a,
                    a.locations.find("see_a_doctor", None),
                    Code::RedFlagCount,
                    format!(
                        "the section \"{}\" lists {listed} sign{} but `see_a_doctor` has {flags}: the care cards shown under it should give the same advice as the text",
                        help.title,
                        if listed == 1 { "" } else { "s" },
                    ),
                ));
            }
        }
        if let Some(w) = reading_warning(site, a) {
            out.push(w);
        }
        for &(line, column) in &a.body.missing_alt {
            out.push(warn(
                a,
                (line, column),
                Code::ImageAlt,
                "this image has no alternative text: describe it between the brackets, ![like this](file.svg)".into(),
            ));
        }
    }
    out
}

/// The grade an article may read at: its own `reading.max_grade`, else the site's.
pub fn max_grade(site: &Site, a: &Article) -> f64 {
    (a.fm.reading.as_ref()).map_or(site.config.reading.max_grade, |r| r.max_grade)
}

/// A warning when an English article reads above its grade, quoting its longest sentences.
fn reading_warning(site: &Site, a: &Article) -> Option<Diagnostic> {
    if !readability::applies_to(&site.config.language) {
        return None;
    }
    let reading = readability::measure(&a.body.html)?;
    let limit = max_grade(site, a);
    if reading.grade <= limit {
        return None;
    }
    let quoted: Vec<String> = (reading.longest.iter().take(2))
        .map(|(n, text)| format!("“{}” ({n} words)", shorten(text, 70)))
        .collect();
    let whose = if a.fm.reading.is_some() {
        "its `reading.max_grade`"
    } else {
        "the site's `reading.max_grade`"
    };
    Some(warn(
        a,
        a.locations.find("title", None),
        Code::ReadingLevel,
        format!(
            "reads at grade {:.1} (Flesch–Kincaid), above {limit} ({whose}): shorter sentences and everyday words help; the longest: {}",
            reading.grade,
            quoted.join("; ")
        ),
    ))
}

/// The first `max` characters of `text`, cut at a word, with `…` when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

/// How many items the outermost lists of a stretch of rendered HTML hold (items of lists
/// inside them are not counted).
fn top_level_items(html: &str) -> usize {
    let (mut depth, mut items) = (0usize, 0);
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let tag_is = |name: &str| {
            rest.strip_prefix(name)
                .is_some_and(|r| r.starts_with(['>', ' ']))
        };
        if tag_is("ul") || tag_is("ol") {
            depth += 1;
        } else if tag_is("/ul") || tag_is("/ol") {
            depth = depth.saturating_sub(1);
        } else if tag_is("li") && depth == 1 {
            items += 1;
        }
    }
    items
}

/// Where a link stands: the article's index and the line and column in its file.
type Place = (usize, (usize, usize));

/// Requests every outside link once, a few at a time, each with a time limit, and warns
/// about those that fail.
fn external_links(site: &Site, options: &CheckOptions) -> Vec<Diagnostic> {
    // Each URL once, with every place that uses it.
    let mut places: BTreeMap<String, Vec<Place>> = BTreeMap::new();
    for (i, a) in site.articles.iter().enumerate() {
        for (line, column, url) in &a.body.external {
            places
                .entry(url.clone())
                .or_default()
                .push((i, (*line, *column)));
        }
        for source in &a.fm.sources {
            if let Some(url) = source.url.as_ref().filter(|u| u.starts_with("http")) {
                places
                    .entry(url.clone())
                    .or_default()
                    .push((i, a.locations.find("sources", Some(url))));
            }
        }
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .http_status_as_error(false)
        .user_agent("causeway-link-check")
        .build()
        .into();
    let queue: Mutex<Vec<&String>> = Mutex::new(places.keys().rev().collect());
    let failures: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..options.concurrency.max(1) {
            scope.spawn(|| {
                loop {
                    let Some(url) = queue.lock().unwrap_or_else(|e| e.into_inner()).pop() else {
                        break;
                    };
                    if let Err(why) = request(&agent, url, options.timeout) {
                        failures
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push((url.clone(), why));
                    }
                }
            });
        }
    });
    let mut out = Vec::new();
    for (url, why) in failures.into_inner().unwrap_or_default() {
        for &(i, pos) in &places[&url] {
            out.push(warn(
                &site.articles[i],
                pos,
                Code::ExternalLink,
                format!("{url}: {why}"),
            ));
        }
    }
    out
}

/// HEAD, then GET for servers that refuse HEAD. Ok for 2xx and 3xx answers.
fn request(agent: &ureq::Agent, url: &str, timeout: Duration) -> Result<(), String> {
    let status = match agent.head(url).call() {
        Ok(r) if matches!(r.status().as_u16(), 403 | 405 | 501) => {
            agent.get(url).call().map(|r| r.status())
        }
        Ok(r) => Ok(r.status()),
        Err(e) => Err(e),
    }
    .map_err(|e| match e {
        ureq::Error::Timeout(_) => format!("no answer within {} s", timeout.as_secs_f64()),
        e => e.to_string(),
    })?;
    if status.as_u16() < 400 {
        Ok(())
    } else {
        Err(format!("answered {status}"))
    }
}

/// The exit status for a set of diagnostics: 1 on errors, or on warnings when they are denied.
pub fn exit_code(diagnostics: &[Diagnostic], deny_warnings: bool) -> u8 {
    let errors = diagnostics.iter().any(|d| d.severity == Severity::Error);
    let warnings = diagnostics.iter().any(|d| d.severity == Severity::Warning);
    u8::from(errors || (deny_warnings && warnings))
}

/// One diagnostic per line as JSON, for editors and CI.
pub fn to_json_line(d: &Diagnostic) -> String {
    serde_json::json!({
        "file": d.file.to_string_lossy().replace('\\', "/"),
        "line": d.line,
        "column": d.column,
        "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
        "code": d.code.as_str(),
        "message": d.message,
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_outermost_list_items_are_counted() {
        assert_eq!(top_level_items("<p>No list.</p>"), 0);
        assert_eq!(
            top_level_items(
                "<ul>\n<li>a</li>\n<li>b<ol start=\"2\"><li>x</li><li>y</li></ol></li>\n</ul><p>then</p><ol><li>c</li></ol>"
            ),
            3
        );
        assert_eq!(
            top_level_items("<link><lix><ul><li class=\"k\">a</li></ul>"),
            1
        );
    }
}

//! Small sites built in memory for unit tests.

use std::path::Path;

use crate::config::Config;
use crate::date::Date;
use crate::site::Site;

/// A site from front matter and Markdown, without a theme.
pub(crate) fn site(articles: &[(impl AsRef<str>, impl AsRef<str>)], yaml: &str) -> Site {
    let dir = tempfile::tempdir().unwrap();
    let config = format!(
        "title: T\ndescription: D\nbase_url: https://example.org/\nlanguage: en\ntheme: default\n{yaml}"
    );
    std::fs::write(dir.path().join("site.yaml"), &config).unwrap();
    for (rel, text) in articles {
        let path = dir.path().join("content").join(rel.as_ref());
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text.as_ref()).unwrap();
    }
    let config = Config::parse(&config, Path::new("site.yaml")).unwrap();
    let sources = crate::content::load(dir.path(), &dir.path().join("content")).unwrap();
    let today = Date::parse("2026-11-24").unwrap();
    crate::site::build(config, &sources, false, today, &mut Default::default()).unwrap()
}

/// An article with the given causes, each with a one-line summary.
pub(crate) fn article(title: &str, updated: &str, causes: &[&str], extra: &str) -> String {
    let mut s = format!(
        "---\ntitle: {title}\ndescription: About {title}.\nupdated: {updated}\n{extra}causes:\n"
    );
    for c in causes {
        s.push_str(&format!("  - name: {c}\n    summary: {c} can do it.\n"));
    }
    s + "---\nText.\n"
}

//! Every URL rule in one place: the paths the build keeps for itself, folder and asset paths,
//! cause and topic pages, list pages, and the file an alias writes.

use std::path::Path;

use super::{Cause, Tag};
use crate::diagnostics::{Code, Diagnostic};
use crate::slug::{SlugStyle, slugify};

/// The causes A–Z page.
pub const CAUSES_PAGE: &str = "causes/";
/// The topics (tags) page.
pub const TAGS_PAGE: &str = "tags/";
/// The search page; the sharded index lives below it.
pub const SEARCH_PAGE: &str = "search/";
/// The page a host shows for a missing URL.
pub const NOT_FOUND_PAGE: &str = "404.html";

/// URL paths (below the site root) that the build writes itself.
pub const RESERVED: &[&str] = &[
    "causes",
    "tags",
    "search",
    "404.html",
    "sitemap.xml",
    "atom.xml",
    "robots.txt",
    "cause-index.json",
];

/// The URL path of a content folder (`Nerves and Muscles/Feet` gives `nerves-and-muscles/feet/`),
/// or None when a folder name has nothing to make a slug from.
pub(super) fn folder_path(folder: &str) -> Option<String> {
    let mut out = String::new();
    for part in folder.split('/').filter(|p| !p.is_empty()) {
        let s = slugify(part, SlugStyle::Unicode);
        if s.is_empty() {
            return None;
        }
        out.push_str(&s);
        out.push('/');
    }
    Some(out)
}

/// The folder below `content/` whose section an `_index.md` describes (`plants/_index.md`
/// gives `plants`, the root's gives ``).
pub(super) fn section_folder(index_rel: &str) -> &str {
    index_rel
        .trim_end_matches("_index.md")
        .trim_end_matches('/')
}

/// `a/b/` gives `a/` and `a/b/`.
pub(super) fn prefixes(path: &str) -> Vec<String> {
    path.match_indices('/')
        .map(|(i, _)| path[..=i].to_string())
        .collect()
}

pub(super) fn parent_path(path: &str) -> Option<String> {
    if path.is_empty() {
        return None;
    }
    let trimmed = path.trim_end_matches('/');
    Some(
        trimmed
            .rfind('/')
            .map_or(String::new(), |i| trimmed[..=i].to_string()),
    )
}

/// A folder whose URL the build uses for pages of its own (`Causes/` gives /causes/).
pub(super) fn reserved_folder(file: &Path, folder: &str, url: &str) -> Diagnostic {
    let top = folder.split('/').next().unwrap_or(folder);
    let first = url.split('/').next().unwrap_or(url);
    Diagnostic::error(
        file,
        Code::Content,
        format!(
            "the folder content/{top}/ would be published at /{first}/, which the build uses \
             itself; rename the folder"
        ),
    )
}

pub(super) fn is_reserved(out: &str) -> bool {
    let first = out.split('/').next().unwrap_or("");
    // `sitemap-N.xml`: the parts of a sitemap too large for one file.
    let sitemap_part = first
        .strip_prefix("sitemap-")
        .and_then(|r| r.strip_suffix(".xml"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    RESERVED.contains(&first) || sitemap_part
}

/// Where a file placed beside articles is copied, below the output folder: under its
/// folder's URL (`Skin Care/photo.svg` gives `skin-care/photo.svg`), so that a link written
/// beside an article works on the site. Links to it are rewritten to the same path.
pub fn asset_output_path(rel: &str) -> String {
    let (folder, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let mut out: Vec<String> = folder
        .split('/')
        .map(|p| slugify(p, SlugStyle::Unicode))
        .filter(|p| !p.is_empty())
        .collect();
    out.push(name.to_string());
    out.join("/")
}

/// The file an alias writes, below the output folder: `/old/page/` gives
/// `old/page/index.html`, `/old.html` gives `old.html`. Anything that could leave the output
/// folder is refused.
pub fn alias_output_path(alias: &str) -> Result<String, String> {
    let a = alias.trim();
    if a.contains("://") || a.starts_with("//") {
        return Err("write a path on this site, like /old/page/, not a full URL".into());
    }
    if a.contains(['\\', '?', '#', '\0', '%', '"', '<', '>']) {
        return Err("a path may not contain \\ ? # % \" < > characters".into());
    }
    let segments: Vec<&str> = a.split('/').filter(|s| !s.is_empty()).collect();
    if segments.is_empty() {
        return Err("the site root cannot be an alias".into());
    }
    if segments
        .iter()
        .any(|s| *s == "." || *s == ".." || s.starts_with('.') || s.contains(':'))
    {
        return Err("a path may not contain `.` or `..` segments, hidden names or `:`".into());
    }
    let joined = segments.join("/");
    Ok(if joined.ends_with(".html") || joined.ends_with(".htm") {
        joined
    } else {
        format!("{joined}/index.html")
    })
}

/// Encodes the characters of a file path that cannot stand in a URL as they are.
pub fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A topic's page: `tags/<slug>/`.
pub fn tag_path(tag: &Tag) -> String {
    format!("tags/{}/", tag.slug)
}

/// A cause's page: `causes/<slug>/`.
pub fn cause_path(cause: &Cause) -> String {
    format!("causes/{}/", cause.slug)
}

/// Page 1 of a list is at its own path; page n at `page/n/` below it.
pub fn paged(path: String, page: usize) -> String {
    if page <= 1 {
        path
    } else {
        format!("{path}page/{page}/")
    }
}

/// Resolves `.` and `..` in a `/`-separated path; None when it climbs above the start.
pub fn normalize_path(path: &str) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            p => out.push(p),
        }
    }
    Some(out.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_build_s_own_files_are_reserved() {
        for out in [
            "sitemap.xml",
            "sitemap-1.xml",
            "sitemap-12.xml",
            "causes/x/index.html",
        ] {
            assert!(is_reserved(out), "{out}");
        }
        for out in [
            "sitemap-.xml",
            "sitemap-a.xml",
            "sitemaps/index.html",
            "old/sitemap-1.xml",
        ] {
            assert!(!is_reserved(out), "{out}");
        }
    }

    #[test]
    fn aliases_stay_inside_the_output() {
        assert_eq!(
            alias_output_path("/old/foot-cramps/").unwrap(),
            "old/foot-cramps/index.html"
        );
        assert_eq!(alias_output_path("old.html").unwrap(), "old.html");
        for bad in [
            "/../etc/passwd",
            "/a/../../b",
            "https://evil.example/",
            "//evil",
            "/",
            "/a/.hidden",
            "C:/x",
            "/a\\..\\b",
        ] {
            assert!(alias_output_path(bad).is_err(), "{bad}");
        }
    }
}

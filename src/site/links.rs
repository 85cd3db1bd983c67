//! Where a link written in Markdown points: an article, a section, a file beside the
//! articles, a path on the site, or nowhere (an error).

use std::collections::{HashMap, HashSet};

use super::paths::{asset_output_path, normalize_path, percent_encode_path};
use crate::markdown::{self, Resolution};

/// What links in Markdown can point at.
#[derive(Debug)]
pub(super) struct LinkTargets {
    pub(super) base_path: String,
    /// The site root's path, for files every language shares and paths written from the
    /// root (`/causes/dehydration/`).
    pub(super) root_path: String,
    /// Source path below `content/` to (article index, URL path).
    pub(super) articles: HashMap<String, (usize, String)>,
    /// `_index.md` source paths to section URL paths.
    pub(super) sections: HashMap<String, String>,
    pub(super) assets: HashSet<String>,
    /// Pages of the default language, for links from a translation to a page with none.
    pub(super) fallback: std::sync::Arc<std::collections::BTreeMap<String, String>>,
    pub(super) drafts: HashSet<String>,
    /// How heading ids are made, for `#fragments` written as heading text.
    pub(super) slugs: crate::slug::SlugStyle,
    /// Articles with errors of their own: links to them are not reported a second time.
    pub(super) broken: HashSet<String>,
}

impl LinkTargets {
    /// Resolves a link written in a file of folder `dir` (below `content/`).
    pub(super) fn resolve(&self, dir: &str, dest: &str) -> Resolution {
        if dest.is_empty() || dest.starts_with("//") || has_scheme(dest) {
            return Resolution::Keep;
        }
        let (rest, fragment) = dest
            .split_once('#')
            .map_or((dest, None), |(p, f)| (p, Some(f)));
        let fragment = fragment.map(|f| {
            if f.is_empty() {
                String::new()
            } else {
                markdown::fragment_id(f, self.slugs)
            }
        });
        let fragment = fragment.as_deref();
        let (path, query) = rest
            .split_once('?')
            .map_or((rest, None), |(p, q)| (p, Some(q)));
        let suffix = format!(
            "{}{}",
            query.map(|q| format!("?{q}")).unwrap_or_default(),
            fragment.map(|f| format!("#{f}")).unwrap_or_default()
        );
        if path.is_empty() {
            return Resolution::Keep;
        }
        let decoded = markdown::percent_decode(path);
        let joined = if let Some(abs) = decoded.strip_prefix('/') {
            normalize_path(abs)
        } else {
            normalize_path(&format!("{dir}/{decoded}"))
        };
        let Some(joined) = joined else {
            return Resolution::Error(format!("link `{dest}` points outside content/"));
        };
        if joined.ends_with(".md") {
            if let Some((i, url)) = self.articles.get(&joined) {
                return Resolution::Rewrite {
                    url: format!("{}{url}{suffix}", self.base_path),
                    article: Some(*i),
                    fragment: fragment.map(str::to_string),
                };
            }
            if let Some(url) = self.sections.get(&joined) {
                return Resolution::Rewrite {
                    url: format!("{}{url}{suffix}", self.base_path),
                    article: None,
                    fragment: None,
                };
            }
            if let Some(path) = self.fallback.get(&joined) {
                return Resolution::Rewrite {
                    url: format!("{}{path}{suffix}", self.root_path),
                    article: None,
                    fragment: None,
                };
            }
            if self.broken.contains(joined.as_str()) {
                return Resolution::Keep;
            }
            if self.drafts.contains(joined.as_str()) {
                return Resolution::Error(format!(
                    "link `{dest}` points to a draft, which is not published"
                ));
            }
            return Resolution::Error(format!(
                "link `{dest}`: there is no content/{joined}{}",
                self.nearest_article(&joined)
            ));
        }
        if self.assets.contains(&joined) {
            return Resolution::Rewrite {
                url: format!(
                    "{}{}{suffix}",
                    self.root_path,
                    percent_encode_path(&asset_output_path(&joined))
                ),
                article: None,
                fragment: None,
            };
        }
        if path.starts_with('/') {
            // A path on this site, such as /causes/dehydration/: keep it working under a sub-path.
            return Resolution::Rewrite {
                url: format!("{}{}{suffix}", self.root_path, path.trim_start_matches('/')),
                article: None,
                fragment: None,
            };
        }
        let last = joined.rsplit('/').next().unwrap_or("");
        if last.contains('.') {
            return Resolution::Error(format!("link `{dest}`: there is no content/{joined}"));
        }
        Resolution::Keep
    }
}

impl LinkTargets {
    /// " (did you mean `content/feet/foot-spasms.md`?)" from the articles of the same folder.
    fn nearest_article(&self, joined: &str) -> String {
        let folder = |p: &str| p.rsplit_once('/').map_or("", |(f, _)| f).to_string();
        let wanted = folder(joined);
        let mut same_folder: Vec<&str> = (self.articles.keys().chain(self.drafts.iter()))
            .filter(|p| folder(p) == wanted)
            .map(String::as_str)
            .collect();
        same_folder.sort_unstable();
        crate::suggest::closest(joined, same_folder)
            .map(|p| format!(" (did you mean `content/{p}`?)"))
            .unwrap_or_default()
    }
}

fn has_scheme(dest: &str) -> bool {
    dest.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_relative_and_from_the_root() {
        let targets = LinkTargets {
            base_path: "/health/".into(),
            root_path: "/health/".into(),
            articles: [(
                "plants/mint.md".to_string(),
                (4, "plants/mint/".to_string()),
            )]
            .into(),
            sections: [("plants/_index.md".to_string(), "plants/".to_string())].into(),
            assets: ["plants/root rot.svg".to_string()].into(),
            drafts: ["plants/draft.md".to_string()].into(),
            broken: HashSet::new(),
            fallback: Default::default(),
            slugs: crate::slug::SlugStyle::Unicode,
        };
        let rw = |url: &str, article: Option<usize>, fragment: Option<&str>| Resolution::Rewrite {
            url: url.into(),
            article,
            fragment: fragment.map(str::to_string),
        };
        assert_eq!(
            targets.resolve("", "plants/mint.md#roots"),
            rw("/health/plants/mint/#roots", Some(4), Some("roots"))
        );
        assert_eq!(
            targets.resolve("feet", "/plants/mint.md"),
            rw("/health/plants/mint/", Some(4), None)
        );
        assert_eq!(
            targets.resolve("feet", "../plants/_index.md"),
            rw("/health/plants/", None, None)
        );
        assert_eq!(
            targets.resolve("plants", "root%20rot.svg"),
            rw("/health/plants/root%20rot.svg", None, None)
        );
        assert_eq!(
            targets.resolve("", "/causes/dehydration/"),
            rw("/health/causes/dehydration/", None, None)
        );
        assert_eq!(targets.resolve("", "https://nhs.uk/x.md"), Resolution::Keep);
        assert_eq!(targets.resolve("", "mailto:a@b.c"), Resolution::Keep);
        assert!(
            matches!(targets.resolve("", "gone.md"), Resolution::Error(m) if m.contains("no content/gone.md"))
        );
        assert!(
            matches!(targets.resolve("plants", "draft.md"), Resolution::Error(m) if m.contains("draft"))
        );
        assert!(
            matches!(targets.resolve("", "../../secret.md"), Resolution::Error(m) if m.contains("outside"))
        );
        assert!(matches!(
            targets.resolve("", "photo.png"),
            Resolution::Error(_)
        ));
    }
}

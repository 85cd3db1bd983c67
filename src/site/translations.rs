//! Which pages of a site in several languages translate each other: an article and its
//! sibling file (`foot-spasms.md`, `foot-spasms.es.md`), a section and its `_index.es.md`,
//! and a cause and the default language's cause it names as its `counterpart`.

use std::collections::HashMap;

use super::Site;

/// Where each translated page is, in every language that has it. Made once every language's
/// model is built, and shared by all of them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Translations {
    /// Each language with its root below the site root (`""`, `es/`), the default first.
    pub languages: Vec<(String, String)>,
    /// By article source path without the language: (language, path below its root).
    articles: HashMap<String, Vec<(usize, String)>>,
    /// By section path.
    sections: HashMap<String, Vec<(usize, String)>>,
    /// By the default language's cause slug.
    causes: HashMap<String, Vec<(usize, String)>>,
}

/// The same page in one language: the language's index in [`Translations::languages`] and
/// the page's path below the site root.
pub type Counterpart = (usize, String);

impl Translations {
    /// The translations among `sites`, one per language, the default first.
    pub fn of(sites: &[&Site]) -> Translations {
        let mut t = Translations {
            languages: (sites.iter())
                .map(|s| {
                    let c = &s.config;
                    (c.language.clone(), c.output_prefix().to_string())
                })
                .collect(),
            ..Translations::default()
        };
        if sites.len() < 2 {
            return t;
        }
        for (lang, site) in sites.iter().enumerate() {
            let prefix = site.config.output_prefix();
            for a in &site.articles {
                (t.articles.entry(a.rel.clone()).or_default())
                    .push((lang, format!("{prefix}{}", a.path)));
            }
            for s in site.sections.iter().skip(1) {
                (t.sections.entry(s.path.clone()).or_default())
                    .push((lang, format!("{prefix}{}", s.path)));
            }
            for (c, cause) in site.causes.iter().enumerate() {
                if let Some(key) = cause_key(site, lang, c) {
                    let path = format!("{prefix}{}", super::paths::cause_path(cause));
                    let list = t.causes.entry(key.to_string()).or_default();
                    // Two causes of one language naming the same counterpart: the first.
                    if !list.iter().any(|(l, _)| *l == lang) {
                        list.push((lang, path));
                    }
                }
            }
        }
        t
    }

    /// The translations of article `rel` (its source path without the language).
    pub fn article(&self, rel: &str) -> &[Counterpart] {
        self.articles.get(rel).map_or(&[], Vec::as_slice)
    }

    /// The translations of the section at `path`.
    pub fn section(&self, path: &str) -> &[Counterpart] {
        self.sections.get(path).map_or(&[], Vec::as_slice)
    }

    /// The translations of cause `c` of `site`, the model of language `lang`.
    pub fn cause(&self, site: &Site, lang: usize, c: usize) -> &[Counterpart] {
        cause_key(site, lang, c)
            .and_then(|k| self.causes.get(k))
            .map_or(&[], Vec::as_slice)
    }

    /// The page every language has at `path` below its root (home, causes A–Z, topics,
    /// search): one per language.
    pub fn everywhere(&self, path: &str) -> Vec<Counterpart> {
        if self.languages.len() < 2 {
            return Vec::new();
        }
        (self.languages.iter().enumerate())
            .map(|(i, (_, prefix))| (i, format!("{prefix}{path}")))
            .collect()
    }

    /// The index of `language` among the site's languages.
    pub fn index_of(&self, language: &str) -> usize {
        (self.languages.iter())
            .position(|(l, _)| l == language)
            .unwrap_or(0)
    }
}

/// What identifies cause `c` across languages: its own slug in the default language (`lang`
/// 0), else the `counterpart` one of its entries names.
fn cause_key(site: &Site, lang: usize, c: usize) -> Option<&str> {
    let cause = &site.causes[c];
    if lang == 0 {
        return Some(&cause.slug);
    }
    (cause.mentions.iter())
        .find_map(|&(a, entry)| site.articles[a].fm.causes[entry].counterpart.as_deref())
}

/// Every `counterpart` of a cause in `other`, a translation's model, must name a cause of
/// `default`, the default language's.
pub fn check_counterparts(default: &Site, other: &Site) -> Vec<crate::diagnostics::Diagnostic> {
    let known: Vec<&str> = default.causes.iter().map(|c| c.slug.as_str()).collect();
    let mut errors = Vec::new();
    for a in &other.articles {
        for entry in &a.fm.causes {
            let Some(counterpart) = entry.counterpart.as_deref() else {
                continue;
            };
            if known.binary_search(&counterpart).is_ok() {
                continue;
            }
            let hint = crate::suggest::closest(counterpart, known.iter().copied())
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            let (line, column) = a.locations.find("causes", Some(counterpart));
            let mut d = crate::diagnostics::Diagnostic::error(
                a.file.clone(),
                crate::diagnostics::Code::Content,
                format!(
                    "cause `{}`: counterpart `{counterpart}` is not a cause of any article in the default language (`{}`){hint}",
                    entry.name, default.config.language
                ),
            );
            (d.line, d.column) = (line, column);
            errors.push(d);
        }
    }
    errors
}

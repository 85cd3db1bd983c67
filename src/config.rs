//! `site.yaml`: the site's configuration.

use std::path::Path;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Code, Diagnostic};
use crate::images::ImageSpec;
use crate::yaml::Mapping;

/// The site configuration, as `site.yaml` gives it.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Absolute, always ending in `/`.
    pub base_url: String,
    pub language: String,
    pub theme: String,
    pub disclaimer: Option<String>,
    pub search: SearchConfig,
    pub markdown: MarkdownConfig,
    pub pagination: PaginationConfig,
    /// The people who write articles, by the id front matter names them with.
    pub authors: BTreeMap<String, Author>,
    /// The picture link previews show for pages without their own.
    pub image: Option<ImageSpec>,
    /// Where `image` is written in `site.yaml` (line, column), for errors found later.
    pub image_at: (usize, usize),
    /// The output folder, below the site root, when it is not `public/`.
    pub output_dir: Option<String>,
    pub reading: ReadingConfig,
    /// The site's other languages, by language tag, each published under `/<lang>/`.
    pub languages: BTreeMap<String, LanguageConfig>,
    /// The site root, absolute, ending in `/`: `base_url` of the default language. Static
    /// files, images and the files beside articles are published once, below it.
    pub root_url: String,
    /// How names (of causes and tags) and headings become slugs.
    pub slugs: crate::slug::SlugStyle,
}

/// What one of the site's other languages says in place of the default language's words.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LanguageConfig {
    pub title: String,
    pub description: String,
    /// The disclaimer in this language; the default language's when not given.
    #[serde(default)]
    pub disclaimer: Option<String>,
    /// Synonyms for this language's search; none when not given.
    #[serde(default)]
    pub search: Option<SearchConfig>,
}

/// How plain the text must be: `check` warns about articles above `max_grade`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadingConfig {
    /// The highest Flesch–Kincaid grade an article may have without a warning.
    #[serde(default = "default_max_grade")]
    pub max_grade: f64,
}

fn default_max_grade() -> f64 {
    8.0
}

impl Default for ReadingConfig {
    fn default() -> Self {
        ReadingConfig {
            max_grade: default_max_grade(),
        }
    }
}

/// A writer of articles, as `site.yaml` lists them under `authors`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Author {
    pub name: String,
    /// Qualifications written after the name: "RN", "MBBS, MRCP".
    #[serde(default)]
    pub credentials: Option<String>,
    /// What they do: "Nurse specialist in wound care".
    #[serde(default)]
    pub job_title: Option<String>,
    /// Their page: a path on the site (`/about/ana-ruiz/`) or an https:// URL.
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    /// Groups of words a reader may use for the same thing.
    #[serde(default)]
    pub synonyms: Vec<Vec<String>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Pass raw HTML in Markdown through instead of escaping it.
    #[serde(default)]
    pub unsafe_html: bool,
}

/// How long lists grow before they are split into pages.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaginationConfig {
    /// Items per page of a section, topic or cause list.
    #[serde(default = "default_per_page")]
    pub per_page: usize,
}

fn default_per_page() -> usize {
    100
}

impl Default for PaginationConfig {
    fn default() -> Self {
        PaginationConfig {
            per_page: default_per_page(),
        }
    }
}

const KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "disclaimer",
    "search",
    "markdown",
    "pagination",
    "authors",
    "image",
    "output_dir",
    "reading",
    "languages",
    "slugs",
];

impl Config {
    /// The path part of `base_url`: `/` or `/health/`. Every link the site emits starts with it.
    pub fn base_path(&self) -> &str {
        url_path(&self.base_url)
    }

    /// The path part of `root_url`: where static files and images are published.
    pub fn root_path(&self) -> &str {
        url_path(&self.root_url)
    }

    /// Where this language's files go below the output folder: `""` for the default
    /// language, `es/` for another.
    pub fn output_prefix(&self) -> &str {
        &self.base_path()[self.root_path().len()..]
    }

    /// Every language the site publishes in, the default first.
    pub fn all_languages(&self) -> Vec<&str> {
        let mut all = vec![self.language.as_str()];
        all.extend(self.languages.keys().map(String::as_str));
        all
    }

    /// The configuration of one of the site's languages: the default language's own, or
    /// another's, with its title, description, disclaimer and synonyms, and `base_url` at
    /// `/<lang>/` below the root.
    pub fn edition(&self, language: &str) -> Config {
        let mut config = self.clone();
        if let Some(other) = self.languages.get(language) {
            config.language = language.to_string();
            config.title = other.title.clone();
            config.description = other.description.clone();
            if other.disclaimer.is_some() {
                config.disclaimer = other.disclaimer.clone();
            }
            config.search = other.search.clone().unwrap_or_default();
            config.base_url = format!("{}{language}/", self.root_url);
        }
        config
    }

    /// Parses `site.yaml`; `file` is the name used in diagnostics.
    pub fn parse(text: &str, file: &Path) -> Result<Config, Vec<Diagnostic>> {
        let diag = |line, column, message: String| {
            Diagnostic::error_at(file, text, line, column, Code::Config, message)
        };
        let mut map =
            Mapping::parse(text, 1).map_err(|e| vec![diag(e.line, e.column, e.message)])?;
        let title: Option<String> = map.take("title");
        let description: Option<String> = map.take("description");
        let base_url: Option<String> = map.take("base_url");
        let language: Option<String> = map.take("language");
        let theme: Option<String> = map.take("theme");
        let disclaimer: Option<String> = map.take("disclaimer");
        let search: Option<SearchConfig> = map.take("search");
        let markdown: Option<MarkdownConfig> = map.take("markdown");
        let pagination: Option<PaginationConfig> = map.take("pagination");
        let authors: Option<BTreeMap<String, Author>> = map.take("authors");
        for (id, author) in authors.iter().flatten() {
            if !crate::slug::is_valid_slug(id) {
                map.error_at(
                    Some("authors"),
                    format!("author id `{id}` must be a slug: lower-case letters, digits and -"),
                );
            }
            if author.name.trim().is_empty() {
                map.error_at(
                    Some("authors"),
                    format!("author `{id}` has an empty `name`"),
                );
            }
            let url_ok = |u: &str| match crate::url_scheme::scheme(u) {
                Some(scheme) => matches!(scheme.as_str(), "http" | "https"),
                None => u.starts_with('/') && !u.starts_with("//"),
            };
            if !author.url.as_deref().is_none_or(url_ok) {
                map.error_at(
                    Some("authors"),
                    format!("author `{id}`: `url` must be a path on the site or an https:// URL"),
                );
            }
        }
        let reading: Option<ReadingConfig> = map.take("reading");
        if reading
            .as_ref()
            .is_some_and(|r| !(1.0..=20.0).contains(&r.max_grade))
        {
            map.error_at(
                Some("reading"),
                "reading.max_grade must be a grade from 1 to 20",
            );
        }
        let languages: Option<BTreeMap<String, LanguageConfig>> = map.take("languages");
        for (tag, lang) in languages.iter().flatten() {
            if !crate::language::is_tag(tag) {
                map.error_at(
                    Some("languages"),
                    format!("`{tag}` is not a language tag: write it like es, pt-BR or zh-Hans"),
                );
            } else if Some(tag) == language.as_ref() {
                map.error_at(
                    Some("languages"),
                    format!(
                        "`{tag}` is the default language (`language`); `languages` lists the others"
                    ),
                );
            }
            if lang.title.trim().is_empty() || lang.description.trim().is_empty() {
                map.error_at(
                    Some("languages"),
                    format!("language `{tag}` needs a `title` and a `description`"),
                );
            }
        }
        if let Some(tag) = &language
            && !crate::language::is_tag(tag)
        {
            map.error_at(
                Some("language"),
                format!("`{tag}` is not a language tag: write it like en, en-GB or zh-Hans"),
            );
        }
        let slugs: Option<crate::slug::SlugStyle> = map.take("slugs");
        let output_dir: Option<String> = map.take("output_dir");
        if let Some(dir) = &output_dir {
            let parts: Vec<&str> = dir.split(['/', '\\']).collect();
            if dir.trim().is_empty()
                || dir.starts_with(['/', '\\'])
                || dir.contains(':')
                || parts.iter().any(|p| *p == ".." || *p == ".")
            {
                map.error_at(
                    Some("output_dir"),
                    format!("output_dir `{dir}` must be a folder below the site root, such as `public` or `dist/site`"),
                );
            }
        }
        let image: Option<ImageSpec> = map.take("image");
        if image.as_ref().is_some_and(|i| i.alt.trim().is_empty()) {
            map.error_at(
                Some("image"),
                "`image.alt` must say what the picture shows, for readers who cannot see it",
            );
        }
        if pagination.as_ref().is_some_and(|p| p.per_page == 0) {
            map.error_at(Some("pagination"), "pagination.per_page must be 1 or more");
        }
        for (key, present) in [
            ("title", map.has("title")),
            ("description", map.has("description")),
            ("base_url", map.has("base_url")),
            ("language", map.has("language")),
            ("theme", map.has("theme")),
        ] {
            if !present {
                map.error_at(None, format!("`{key}` is required"));
            }
        }
        let base_url = base_url.map(|u| normalize_base_url(&u).map_err(|m| (u, m)));
        if let Some(Err((_, message))) = &base_url {
            map.error_at(Some("base_url"), message.clone());
        }
        if let Some(t) = &theme
            && !crate::slug::is_valid_slug(t)
        {
            map.error_at(Some("theme"), format!("`{t}` is not a theme folder name"));
        }
        let (locations, errors) = map.finish(KEYS);
        if !errors.is_empty() {
            return Err(errors
                .into_iter()
                .map(|e| diag(e.line, e.column, e.message))
                .collect());
        }
        let base_url = base_url.and_then(Result::ok).unwrap_or_default();
        Ok(Config {
            root_url: base_url.clone(),
            languages: languages.unwrap_or_default(),
            title: title.unwrap_or_default(),
            description: description.unwrap_or_default(),
            base_url,
            language: language.unwrap_or_default(),
            theme: theme.unwrap_or_default(),
            disclaimer,
            search: search.unwrap_or_default(),
            markdown: markdown.unwrap_or_default(),
            pagination: pagination.unwrap_or_default(),
            authors: authors.unwrap_or_default(),
            image_at: locations.find("image", image.as_ref().map(|i| i.src.as_str())),
            image,
            output_dir,
            reading: reading.unwrap_or_default(),
            slugs: slugs.unwrap_or_default(),
        })
    }
}

/// The path part of an absolute URL: `/` or `/health/`.
fn url_path(url: &str) -> &str {
    let after_scheme = url.split_once("://").map_or("", |(_, r)| r);
    after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
}

/// Checks that a base URL is absolute (`https://host/path/`) and gives it a trailing slash.
pub fn normalize_base_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(format!(
            "`{url}` is not an absolute URL; write it like https://example.org/ or https://example.org/health/"
        ));
    };
    let host = rest.split('/').next().unwrap_or("");
    if !matches!(scheme, "http" | "https") || host.is_empty() {
        return Err(format!(
            "`{url}` must start with http:// or https:// and name a host"
        ));
    }
    if url.contains(['?', '#', ' ', '"', '<', '>']) {
        return Err(format!(
            "`{url}` must not contain a query, fragment, spaces or quotes"
        ));
    }
    let mut out = url.to_string();
    if !out.ends_with('/') {
        out.push('/');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths() {
        let mut c = Config::parse(
            "title: T\ndescription: D\nbase_url: https://example.org/health\nlanguage: en\ntheme: default\n",
            Path::new("site.yaml"),
        )
        .unwrap();
        assert_eq!(c.base_url, "https://example.org/health/");
        assert_eq!(c.base_path(), "/health/");
        c.base_url = "https://example.org/".into();
        assert_eq!(c.base_path(), "/");
    }

    #[test]
    fn a_required_key_written_oddly_is_refused_not_left_empty() {
        let errs = Config::parse(
            "title: T\ndescription: D\nbase_url\": https://example.org/\nlanguage: en\ntheme: default\n",
            Path::new("site.yaml"),
        )
        .unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:#?}");
        assert_eq!((errs[0].line, errs[0].column), (3, 1));
        assert!(
            errs[0].message.contains("reads as `base_url\"`"),
            "{errs:#?}"
        );
    }

    #[test]
    fn reports_every_problem_with_lines() {
        let errs = Config::parse(
            "title: T\nbase_url: example.org\nlanguage: en\ntheme: default\ncolour: red\nsearch:\n  synonym: []\n",
            Path::new("site.yaml"),
        )
        .unwrap_err();
        let lines: Vec<_> = errs.iter().map(|d| d.line).collect();
        assert_eq!(lines, vec![1, 2, 5, 7], "{errs:#?}");
        assert!(errs[0].message.contains("`description` is required"));
    }
}

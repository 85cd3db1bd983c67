//! Translation catalogues: every label a reader sees, per language. The theme ships
//! `i18n/<lang>.yaml` (the built-in theme carries English, Spanish, French, German and
//! Arabic); a site's own `i18n/<lang>.yaml` replaces any of its keys. Templates read them
//! through one function, `t(key="...")`; text made in Rust reads the same catalogues.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::{Code, Diagnostic};
use crate::yaml::Mapping;

/// One entry: a text, or a text per plural category (`one`, `other`; Arabic also has
/// `zero`, `two`, `few` and `many`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Entry {
    Text(String),
    Plural(BTreeMap<String, String>),
}

/// The labels of one language.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    /// The language tag it serves (`en-GB`).
    pub language: String,
    entries: BTreeMap<String, Entry>,
}

impl Catalogue {
    /// The text of `key` with each `{name}` replaced by its value; `count` picks the plural
    /// form and fills `{count}`. None when the key is missing.
    pub fn text(&self, key: &str, count: Option<i64>, args: &[(&str, &str)]) -> Option<String> {
        let template = match self.entries.get(key)? {
            Entry::Text(t) => t.as_str(),
            Entry::Plural(forms) => {
                let category = plural_category(&self.language, count.unwrap_or(0));
                forms.get(category).or_else(|| forms.get("other"))?.as_str()
            }
        };
        let count_text = count.map(|n| n.to_string());
        let mut all: Vec<(&str, &str)> = args.to_vec();
        if let Some(c) = &count_text {
            all.push(("count", c));
        }
        Some(fill(template, &all))
    }

    /// `key` without placeholders, or the key itself when missing (every key the build uses
    /// is checked to be present before anything renders).
    pub fn get(&self, key: &str) -> String {
        self.text(key, None, &[]).unwrap_or_else(|| key.to_string())
    }

    pub fn has(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }

    /// The texts that need nothing filled in (no plural forms, no placeholder), by key.
    pub fn fixed_texts(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().filter_map(|(k, v)| match v {
            Entry::Text(t) if !t.contains('{') => Some((k.as_str(), t.as_str())),
            _ => None,
        })
    }

    /// The entries whose keys start with `prefix`, the prefix taken off, as a JSON object
    /// (plural entries as objects of their forms): the labels a script of the theme shows.
    pub fn json_with_prefix(&self, prefix: &str) -> String {
        let map: serde_json::Map<String, serde_json::Value> = (self.entries.iter())
            .filter_map(|(k, v)| {
                let name = k.strip_prefix(prefix)?;
                let value = match v {
                    Entry::Text(t) => serde_json::Value::from(t.as_str()),
                    Entry::Plural(forms) => serde_json::json!(forms),
                };
                Some((name.to_string(), value))
            })
            .collect();
        serde_json::Value::Object(map).to_string()
    }
}

/// `{name}` replaced by each value, in one pass (a value holding `{x}` stays as it is).
fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if args.iter().any(|(k, _)| *k == &after[..close]) => {
                let name = &after[..close];
                let value = args
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map_or("", |(_, v)| *v);
                out.push_str(value);
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The CLDR plural category of `n` in a language (integers only).
pub fn plural_category(language: &str, n: i64) -> &'static str {
    let primary = language
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let n = n.unsigned_abs();
    match primary.as_str() {
        "ar" => match (n, n % 100) {
            (0, _) => "zero",
            (1, _) => "one",
            (2, _) => "two",
            (_, 3..=10) => "few",
            (_, 11..=99) => "many",
            _ => "other",
        },
        "fr" | "pt" if n <= 1 => "one",
        "fr" | "pt" => "other",
        "ja" | "zh" | "ko" | "vi" | "th" | "id" | "ms" => "other",
        _ if n == 1 => "one",
        _ => "other",
    }
}

/// Where catalogue files come from, lowest first: the built-in theme, the theme's folder,
/// the site's `i18n/`.
pub struct Sources {
    /// (file shown in messages, text), by language file name (`en`, `en-GB`).
    layers: Vec<BTreeMap<String, (PathBuf, String)>>,
}

impl Sources {
    /// Reads every `i18n/*.yaml` of the built-in theme (for theme `default`), of
    /// `themes/<name>/` and of the site.
    pub fn read(root: &Path, theme: &str, builtin: bool) -> Result<Sources, Vec<Diagnostic>> {
        let mut layers = Vec::new();
        if builtin {
            let mut layer = BTreeMap::new();
            for (full, below) in crate::builtin_theme::files_in("i18n") {
                if let Some(lang) = below.strip_suffix(".yaml") {
                    let text = crate::builtin_theme::file(full).unwrap_or_default();
                    let text = String::from_utf8_lossy(text).into_owned();
                    layer.insert(
                        lang.to_string(),
                        (crate::builtin_theme::shown_path(full), text),
                    );
                }
            }
            layers.push(layer);
        }
        let mut errors = Vec::new();
        for dir in [
            root.join("themes").join(theme).join("i18n"),
            root.join("i18n"),
        ] {
            let mut layer = BTreeMap::new();
            if let Ok(entries) = std::fs::read_dir(&dir) {
                let mut paths: Vec<PathBuf> =
                    entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
                paths.sort();
                for path in paths {
                    let Some(lang) = path
                        .file_name()
                        .and_then(|n| n.to_str())
                        .and_then(|n| n.strip_suffix(".yaml"))
                        .map(str::to_string)
                    else {
                        continue;
                    };
                    match std::fs::read_to_string(&path) {
                        Ok(text) => _ = layer.insert(lang, (path, text)),
                        Err(e) => errors.push(Diagnostic::error(
                            path,
                            Code::Io,
                            format!("cannot read: {e}"),
                        )),
                    }
                }
            }
            layers.push(layer);
        }
        if errors.is_empty() {
            Ok(Sources { layers })
        } else {
            Err(errors)
        }
    }

    /// The catalogue of `language`: for `en-GB`, `en.yaml` then `en-GB.yaml` of each layer,
    /// key by key. Every key of the theme's English catalogue must be present; each missing
    /// key, and each file that does not parse, is an error.
    pub fn catalogue(&self, language: &str) -> Result<Catalogue, Vec<Diagnostic>> {
        let primary = language.split(['-', '_']).next().unwrap_or(language);
        let mut names = vec![primary.to_string()];
        if language != primary {
            names.push(language.to_string());
        }
        let mut entries = BTreeMap::new();
        let mut errors = Vec::new();
        let mut found = false;
        for layer in &self.layers {
            for name in &names {
                if let Some((file, text)) = layer.get(name) {
                    found = true;
                    match parse(file, text) {
                        Ok(parsed) => entries.extend(parsed),
                        Err(mut e) => errors.append(&mut e),
                    }
                }
            }
        }
        if !found {
            return Err(vec![Diagnostic::error(
                "site.yaml",
                Code::Config,
                format!(
                    "there is no translation catalogue for language `{language}`: add i18n/{primary}.yaml to the site (the theme has {})",
                    self.languages().into_iter().collect::<Vec<_>>().join(", ")
                ),
            )]);
        }
        // The keys the theme uses: those of its English catalogue.
        let reference = self.reference_keys();
        let missing: Vec<&String> = reference
            .iter()
            .filter(|k| !entries.contains_key(*k))
            .collect();
        for key in missing {
            errors.push(Diagnostic::error(
                format!("i18n/{primary}.yaml"),
                Code::Config,
                format!("no translation of `{key}` for language `{language}`: add it to the site's i18n/{primary}.yaml"),
            ));
        }
        if errors.is_empty() {
            Ok(Catalogue {
                language: language.to_string(),
                entries,
            })
        } else {
            Err(errors)
        }
    }

    /// The languages that have a catalogue in some layer.
    pub fn languages(&self) -> BTreeSet<String> {
        self.layers.iter().flat_map(|l| l.keys().cloned()).collect()
    }

    fn reference_keys(&self) -> BTreeSet<String> {
        let mut keys = BTreeSet::new();
        // The theme's layers: all but the site's own, which is last.
        for layer in &self.layers[..self.layers.len().saturating_sub(1)] {
            if let Some((file, text)) = layer.get("en")
                && let Ok(parsed) = parse(file, text)
            {
                keys.extend(parsed.into_keys());
            }
        }
        keys
    }
}

/// One catalogue file: a mapping of keys to texts or plural forms, each mistake positioned.
fn parse(file: &Path, text: &str) -> Result<BTreeMap<String, Entry>, Vec<Diagnostic>> {
    let diag = |line, column, message: String| {
        Diagnostic::error_at(file, text, line, column, Code::Config, message)
    };
    let mut map = Mapping::parse(text, 1).map_err(|e| vec![diag(e.line, e.column, e.message)])?;
    let keys = map.keys();
    let mut entries = BTreeMap::new();
    for key in &keys {
        if let Some(entry) = map.take::<Entry>(key) {
            entries.insert(key.clone(), entry);
        }
    }
    let allowed: Vec<&str> = keys.iter().map(String::as_str).collect();
    let (_, errors) = map.finish(&allowed);
    if errors.is_empty() {
        Ok(entries)
    } else {
        Err(errors
            .into_iter()
            .map(|e| diag(e.line, e.column, e.message))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plural_categories_follow_cldr() {
        let cats = |lang: &str| -> Vec<&str> {
            [0, 1, 2, 3, 11, 100, 102]
                .iter()
                .map(|&n| plural_category(lang, n))
                .collect()
        };
        assert_eq!(
            cats("en"),
            ["other", "one", "other", "other", "other", "other", "other"]
        );
        assert_eq!(
            cats("fr"),
            ["one", "one", "other", "other", "other", "other", "other"]
        );
        assert_eq!(
            cats("ar"),
            ["zero", "one", "two", "few", "many", "other", "other"]
        );
    }

    #[test]
    fn placeholders_and_plurals_are_filled() {
        let c = Catalogue {
            language: "es".into(),
            entries: [
                (
                    "search_site".to_string(),
                    Entry::Text("Buscar en {site}".into()),
                ),
                (
                    "articles".to_string(),
                    Entry::Plural(
                        [
                            ("one".to_string(), "{count} artículo".to_string()),
                            ("other".to_string(), "{count} artículos".to_string()),
                        ]
                        .into(),
                    ),
                ),
            ]
            .into(),
        };
        assert_eq!(
            c.text("search_site", None, &[("site", "Salud {count}")])
                .unwrap(),
            "Buscar en Salud {count}"
        );
        assert_eq!(c.text("articles", Some(1), &[]).unwrap(), "1 artículo");
        assert_eq!(c.text("articles", Some(3), &[]).unwrap(), "3 artículos");
        assert_eq!(c.text("nope", None, &[]), None);
        assert_eq!(fill("{a} {b} {", &[("a", "1")]), "1 {b} {");
    }
}

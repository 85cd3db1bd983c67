//! The label functions templates call: `t(key="...")` and `labels_json(prefix="...")`, over
//! the catalogues of the site's languages. A label that needs nothing filled in is escaped
//! once per language, so each of the hundred or so labels of a page costs one lookup.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;
use tera::{Kwargs, State, Tera, Value};

use crate::i18n::Catalogue;

/// One language's labels, as the functions use them.
struct Prepared {
    catalogue: Arc<Catalogue>,
    /// The fixed labels, escaped for HTML, by key.
    fixed: FxHashMap<String, Value>,
    /// `labels_json` by prefix, made on first use.
    json: Mutex<FxHashMap<String, Value>>,
}

struct Labels {
    by_language: FxHashMap<String, Prepared>,
    default: String,
}

impl Labels {
    /// The labels of the page being rendered: its `lang` when the site has several
    /// languages, else the site's.
    fn of(&self, state: &State) -> Option<&Prepared> {
        if self.by_language.len() > 1
            && let Some(lang) = state.get::<String>("lang").ok().flatten()
            && let Some(p) = self.by_language.get(&lang)
        {
            return Some(p);
        }
        (self.by_language.get(&self.default)).or_else(|| self.by_language.values().next())
    }
}

/// `text`, a template, with each `{{ t(key="...") }}` of a label that needs nothing filled in
/// replaced by the label, escaped as the call would give it: a site in one language pays
/// nothing for those labels when its pages render. Any other call is left to run.
pub(super) fn inline_fixed(text: &str, catalogue: &Catalogue) -> String {
    const OPEN: &str = "{{ t(key=\"";
    const CLOSE: &str = "\") }}";
    let fixed: FxHashMap<&str, &str> = catalogue.fixed_texts().collect();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + OPEN.len()..];
        let key_end = after.find(CLOSE).filter(|&e| {
            after[..e]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        });
        match key_end.and_then(|e| fixed.get(&after[..e]).map(|t| (e, t))) {
            Some((e, label)) if !label.contains(['\n', '{', '%', '#']) => {
                out.push_str(&escaped(label));
                rest = &after[e + CLOSE.len()..];
            }
            _ => {
                out.push_str(OPEN);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn escaped(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len() + 8);
    tera::escape_html(text, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("escaping keeps UTF-8")
}

/// Registers `t` and `labels_json` for `catalogues`; `default` is the site's language.
pub(super) fn register(
    tera: &mut Tera,
    catalogues: &BTreeMap<String, Arc<Catalogue>>,
    default: &str,
) {
    let by_language = (catalogues.iter())
        .map(|(lang, c)| {
            let fixed = (c.fixed_texts())
                .map(|(k, t)| (k.to_string(), Value::safe_string(&escaped(t))))
                .collect();
            let prepared = Prepared {
                catalogue: c.clone(),
                fixed,
                json: Mutex::default(),
            };
            (lang.clone(), prepared)
        })
        .collect();
    let labels = Arc::new(Labels {
        by_language,
        default: default.to_string(),
    });

    // `t(key="...", name=value, count=n)`: the label in the page's language, `{name}`
    // filled in, `count` choosing the plural form. An unknown key is an error naming it.
    let t = labels.clone();
    tera.register_function(
        "t",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<Value> {
            let key: &str = kwargs.must_get("key")?;
            let Some(p) = t.of(state) else {
                return Err(tera::Error::message("no translation catalogue is loaded"));
            };
            if let Some(v) = p.fixed.get(key)
                && kwargs.iter().count() == 1
            {
                return Ok(v.clone());
            }
            let count = kwargs.get::<i64>("count")?;
            let values: Vec<(String, String)> = (kwargs.iter())
                .filter(|(k, _)| !matches!(k.as_str(), Some("key" | "count")))
                .map(|(k, v)| {
                    (
                        k.to_string(),
                        v.as_str().map_or_else(|| v.to_string(), str::to_string),
                    )
                })
                .collect();
            let args: Vec<(&str, &str)> = values
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let text = p.catalogue.text(key, count, &args).ok_or_else(|| {
                tera::Error::message(format!(
                    "no translation of `{key}` for language `{}`",
                    p.catalogue.language
                ))
            })?;
            Ok(Value::safe_string(&escaped(&text)))
        },
    );

    // `labels_json(prefix="search_js_")`: those labels as one JSON object, for a script
    // (escaped for an attribute).
    let j = labels;
    tera.register_function(
        "labels_json",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<Value> {
            let prefix: &str = kwargs.must_get("prefix")?;
            let Some(p) = j.of(state) else {
                return Ok(Value::from("{}"));
            };
            let mut cache = p.json.lock().unwrap_or_else(|e| e.into_inner());
            let v = cache.entry(prefix.to_string()).or_insert_with(|| {
                Value::safe_string(&escaped(&p.catalogue.json_with_prefix(prefix)))
            });
            Ok(v.clone())
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_labels_are_written_in_and_the_rest_left_to_run() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("i18n")).unwrap();
        std::fs::write(
            dir.path().join("i18n/en.yaml"),
            "a: \"Fish & <chips>\"\nb: \"Hi {name}\"\nc: \"100% {sure\"\n",
        )
        .unwrap();
        let sources = crate::i18n::Sources::read(dir.path(), "none", false).unwrap();
        let en = sources.catalogue("en").unwrap();
        let template = r#"<p>{{ t(key="a") }}</p>{{ t(key="b", name=x) }}{{ t(key="b") }}{{ t(key="zz") }}{{ t(key="a"#;
        assert_eq!(
            inline_fixed(template, &en),
            r#"<p>Fish &amp; &lt;chips&gt;</p>{{ t(key="b", name=x) }}{{ t(key="b") }}{{ t(key="zz") }}{{ t(key="a"#
        );
    }
}

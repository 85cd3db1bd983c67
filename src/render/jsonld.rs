//! schema.org JSON-LD for search engines, escaped for a `<script>` element.

use serde_json::{Value, json};

use crate::site::{Article, Site};

/// Serialises JSON so it can stand inside `<script type="application/ld+json">`: `<`, `>`
/// and `&` are written as `\u003c`-style escapes, so content can never close the element.
pub fn to_script_json(value: &Value) -> String {
    let text = serde_json::to_string(value).expect("JSON values always serialise");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// A MedicalWebPage about a MedicalCondition with its causes, symptoms and other names.
pub fn article(site: &Site, a: &Article) -> String {
    let fm = &a.fm;
    let mut page = json!({
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": fm.title,
        "headline": fm.title,
        "description": fm.description,
        "url": site.permalink(&a.path),
        "inLanguage": site.config.language,
        "isPartOf": { "@type": "WebSite", "name": site.config.title, "url": site.config.base_url },
    });
    if let Some(d) = fm.date {
        page["datePublished"] = json!(d.to_string());
    }
    if let Some(d) = a.last_change() {
        page["dateModified"] = json!(d.to_string());
    }
    if let Some(r) = &fm.reviewed {
        page["lastReviewed"] = json!(r.date.to_string());
        page["reviewedBy"] = json!({ "@type": "Person", "name": r.by });
    }
    if fm.condition.is_some() || !fm.causes.is_empty() {
        let mut condition = json!({
            "@type": "MedicalCondition",
            "name": fm.condition.as_deref().unwrap_or(&fm.title),
        });
        if !fm.also_known_as.is_empty() {
            condition["alternateName"] = json!(fm.also_known_as);
        }
        if !fm.causes.is_empty() {
            condition["cause"] = fm
                .causes
                .iter()
                .map(|c| {
                    let mut cause = json!({ "@type": "MedicalCause", "name": c.name });
                    if !c.also_known_as.is_empty() {
                        cause["alternateName"] = json!(c.also_known_as);
                    }
                    cause
                })
                .collect();
        }
        if !fm.symptoms.is_empty() {
            condition["signOrSymptom"] = fm
                .symptoms
                .iter()
                .map(|s| json!({ "@type": "MedicalSignOrSymptom", "name": s }))
                .collect();
        }
        page["about"] = condition;
    }
    to_script_json(&page)
}

/// The home page: the WebSite and how to search it.
pub fn website(site: &Site) -> String {
    to_script_json(&json!({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": site.config.title,
        "description": site.config.description,
        "url": site.config.base_url,
        "inLanguage": site.config.language,
        "potentialAction": {
            "@type": "SearchAction",
            "target": format!("{}search/?q={{search_term_string}}", site.config.base_url),
            "query-input": "required name=search_term_string",
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_element() {
        let s = to_script_json(&json!({ "name": "</script><script>alert(1)</script> & more" }));
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["name"], "</script><script>alert(1)</script> & more");
    }
}

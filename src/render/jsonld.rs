//! schema.org JSON-LD for search engines, escaped for a `<script>` element.

use serde_json::{Value, json};

use crate::content::frontmatter::{Kind, Source};
use crate::render::context::Link;
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

/// An article's page, as its `kind` says: a `MedicalWebPage` about a `MedicalCondition`, a
/// `MedicalSignOrSymptom`, the condition whose risk factors it lists, or a
/// `MedicalProcedure`; a plant problem is a plain `Article` that makes no medical claim.
pub fn article(site: &Site, a: &Article) -> Value {
    let fm = &a.fm;
    let mut page = json!({
        "@type": if fm.kind.is_medical() { "MedicalWebPage" } else { "Article" },
        "name": fm.title,
        "headline": fm.title,
        "description": fm.description,
        "url": site.permalink(&a.path),
        "inLanguage": site.config.language,
        "isPartOf": { "@type": "WebSite", "name": site.config.title, "url": site.config.base_url },
        "publisher": publisher(site),
    });
    if let Some(d) = fm.date {
        page["datePublished"] = json!(d.to_string());
    }
    if let Some(d) = a.last_change() {
        page["dateModified"] = json!(d.to_string());
    }
    if let Some(r) = &fm.reviewed {
        // A review is a claim of medical accuracy: a web page's, not a plant article's.
        if fm.kind.is_medical() {
            page["lastReviewed"] = json!(r.date.to_string());
            page["reviewedBy"] = person(&r.by);
        }
    }
    if !fm.sources.is_empty() {
        page["citation"] = fm.sources.iter().map(citation).collect();
    }
    page["about"] = subject(a);
    page
}

/// The site as the publisher of its pages.
fn publisher(site: &Site) -> Value {
    json!({ "@type": "Organization", "name": site.config.title, "url": site.config.base_url })
}

/// A source as a cited work.
fn citation(s: &Source) -> Value {
    let mut work = json!({ "@type": "CreativeWork", "name": s.title });
    if let Some(url) = &s.url {
        work["url"] = json!(url);
    }
    if let Some(p) = &s.publisher {
        work["publisher"] = json!({ "@type": "Organization", "name": p });
    }
    work
}

/// A reviewer written as the content model shows it, "Dr. Grace Okafor, MBBS, MRCP
/// (respiratory medicine)": a title before the name, qualifications after the first comma
/// and a specialty in brackets, each part optional.
fn person(by: &str) -> Value {
    let by = by.trim();
    let bracket = (by.strip_suffix(')')).and_then(|t| t.rfind('(').map(|i| (&t[..i], &t[i + 1..])));
    let (text, specialty) = match bracket {
        Some((text, specialty)) => (text, Some(specialty.trim())),
        None => (by, None),
    };
    let (name, suffix) = match text.split_once(',') {
        Some((name, rest)) => (name.trim(), Some(rest.trim())),
        None => (text.trim(), None),
    };
    const PREFIXES: [&str; 6] = ["Dr.", "Dr", "Prof.", "Prof", "Professor", "Doctor"];
    let (prefix, name) = match name.split_once(' ') {
        Some((first, rest)) if PREFIXES.contains(&first) && !rest.trim().is_empty() => {
            (Some(first), rest.trim())
        }
        _ => (None, name),
    };
    let mut p = json!({ "@type": "Person", "name": if name.is_empty() { by } else { name } });
    if let Some(x) = prefix {
        p["honorificPrefix"] = json!(x);
    }
    if let Some(x) = suffix.filter(|x| !x.is_empty()) {
        p["honorificSuffix"] = json!(x);
    }
    if let Some(x) = specialty.filter(|x| !x.is_empty()) {
        p["jobTitle"] = json!(x);
    }
    p
}

/// What the page is about, by the article's kind.
fn subject(a: &Article) -> Value {
    let fm = &a.fm;
    let name = fm.condition.as_deref().unwrap_or(&fm.title);
    let named = |ty: &str, name: &str, aka: &[String]| {
        let mut v = json!({ "@type": ty, "name": name });
        if !aka.is_empty() {
            v["alternateName"] = json!(aka);
        }
        v
    };
    let causes = |ty: &str| -> Value {
        (fm.causes.iter())
            .map(|c| named(ty, &c.name, &c.also_known_as))
            .collect()
    };
    let symptoms = || -> Value {
        (fm.symptoms.iter())
            .map(|s| json!({ "@type": "MedicalSignOrSymptom", "name": s }))
            .collect()
    };
    let (ty, causes_as) = match fm.kind {
        Kind::Condition => ("MedicalCondition", Some(("cause", "MedicalCause"))),
        Kind::Symptom => ("MedicalSignOrSymptom", Some(("cause", "MedicalCause"))),
        Kind::Risk => (
            "MedicalCondition",
            Some(("riskFactor", "MedicalRiskFactor")),
        ),
        // Its "causes" are the reasons it is done, which schema.org has no property for.
        Kind::Procedure => ("MedicalProcedure", None),
        Kind::Plant => ("Thing", None),
    };
    let mut about = named(ty, name, &fm.also_known_as);
    if let Some((property, of)) = causes_as.filter(|_| !fm.causes.is_empty()) {
        about[property] = causes(of);
    }
    if matches!(fm.kind, Kind::Condition | Kind::Symptom | Kind::Risk) && !fm.symptoms.is_empty() {
        about["signOrSymptom"] = symptoms();
    }
    about
}

/// The home page: the WebSite and how to search it.
pub fn website(site: &Site) -> Value {
    json!({
        "@type": "WebSite",
        "name": site.config.title,
        "description": site.config.description,
        "url": site.config.base_url,
        "inLanguage": site.config.language,
        "publisher": publisher(site),
        "potentialAction": {
            "@type": "SearchAction",
            "target": format!("{}search/?q={{search_term_string}}", site.config.base_url),
            "query-input": "required name=search_term_string",
        },
    })
}

/// A page that lists pages (a section, a cause, a topic, the A–Z lists) as `ty`, a
/// `CollectionPage` or the like, with the pages it lists, as (title, link), in its order.
/// The page's `url` is added when it is rendered.
pub fn collection(
    site: &Site,
    ty: &str,
    title: &str,
    description: &str,
    items: &[(String, String)],
) -> Value {
    let mut page = json!({
        "@type": ty,
        "name": title,
        "description": description,
        "inLanguage": site.config.language,
        "isPartOf": { "@type": "WebSite", "name": site.config.title, "url": site.config.base_url },
    });
    if !items.is_empty() {
        page["mainEntity"] = json!({
            "@type": "ItemList",
            "numberOfItems": items.len(),
            "itemListElement": items
                .iter()
                .enumerate()
                .map(|(i, (name, url))| json!({
                    "@type": "ListItem",
                    "position": i + 1,
                    "name": name,
                    "url": absolute(site, url),
                }))
                .collect::<Vec<_>>(),
        });
    }
    page
}

/// The breadcrumbs a page shows, then the page itself, as a `BreadcrumbList`.
pub fn breadcrumbs(site: &Site, trail: &[Link], title: &str, path: &str) -> Value {
    let steps = (trail.iter())
        .map(|l| (l.title.as_str(), absolute(site, &l.url)))
        .chain([(title, site.permalink(path))]);
    json!({
        "@type": "BreadcrumbList",
        "itemListElement": steps
            .enumerate()
            .map(|(i, (name, item))| json!({
                "@type": "ListItem",
                "position": i + 1,
                "name": name,
                "item": item,
            }))
            .collect::<Vec<_>>(),
    })
}

/// A page's nodes as one script: the node itself, or a `@graph` of several.
pub fn script(nodes: Vec<Value>) -> Option<String> {
    let mut doc = match nodes.len() {
        0 => return None,
        1 => nodes.into_iter().next().expect("one node"),
        _ => json!({ "@graph": nodes }),
    };
    doc["@context"] = json!("https://schema.org");
    Some(to_script_json(&doc))
}

/// The (title, link) of each article summary a list page shows.
pub fn listed(summaries: &[tera::Value]) -> Vec<(String, String)> {
    let field = |v: &tera::Value, k: &str| {
        (v.get_from_path(k))
            .and_then(|x| x.as_str())
            .unwrap_or("")
            .to_string()
    };
    summaries
        .iter()
        .map(|v| (field(v, "title"), field(v, "url")))
        .collect()
}

/// An absolute URL from a link as pages write it (under the site's base path).
fn absolute(site: &Site, url: &str) -> String {
    let below = url
        .strip_prefix(site.base_path())
        .unwrap_or(url.trim_start_matches('/'));
    site.permalink(below)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reviewer_is_read_as_title_name_qualifications_and_specialty() {
        assert_eq!(
            person("Dr. Grace Okafor, MBBS, MRCP (respiratory medicine)"),
            json!({ "@type": "Person", "honorificPrefix": "Dr.", "name": "Grace Okafor",
                    "honorificSuffix": "MBBS, MRCP", "jobTitle": "respiratory medicine" })
        );
        assert_eq!(
            person("Sam Lee"),
            json!({ "@type": "Person", "name": "Sam Lee" })
        );
        assert_eq!(
            person("Nurse Ana Ruiz (wound care)"),
            json!({ "@type": "Person", "name": "Nurse Ana Ruiz", "jobTitle": "wound care" })
        );
        // Odd writing never loses the name.
        assert_eq!(person(" Dr. "), json!({ "@type": "Person", "name": "Dr." }));
        assert_eq!(
            person("(x)"),
            json!({ "@type": "Person", "name": "(x)", "jobTitle": "x" })
        );
    }

    #[test]
    fn script_json_cannot_close_the_element() {
        let s = to_script_json(&json!({ "name": "</script><script>alert(1)</script> & more" }));
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["name"], "</script><script>alert(1)</script> & more");
    }
}

//! schema.org JSON-LD for search engines, escaped for a `<script>` element.

use serde::Serialize;
use serde_json::{Value, json};

use crate::content::frontmatter::{Kind, Source};
use crate::render::context::{AuthorValue, ImageValue, Link};
use crate::site::{Article, Site};

/// JSON text made safe inside `<script type="application/ld+json">`: `<`, `>`, `&` and the
/// line separators are written as `\u003c`-style escapes, so content can never close the
/// element.
pub(crate) fn escape_for_script(text: &str) -> String {
    // Most text holds none of them: runs between them are copied whole.
    let mut out = String::with_capacity(text.len() + 64);
    let mut from = 0;
    for (i, c) in text.match_indices(['<', '>', '&', '\u{2028}', '\u{2029}']) {
        out.push_str(&text[from..i]);
        out.push_str(match c {
            "<" => "\\u003c",
            ">" => "\\u003e",
            "&" => "\\u0026",
            "\u{2028}" => "\\u2028",
            _ => "\\u2029",
        });
        from = i + c.len();
    }
    out.push_str(&text[from..]);
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
    let authors = crate::render::context::authors(site, a);
    page["author"] = if authors.is_empty() {
        publisher(site)
    } else {
        authors.iter().map(|au| author(site, au)).collect()
    };
    if let Some(image) = crate::render::context::article_image(site, a) {
        page["image"] = image_object(&image);
    }
    page["about"] = subject(a);
    page
}

/// A writer of the site's, as a `Person`.
fn author(site: &Site, au: &AuthorValue) -> Value {
    let mut p = json!({ "@type": "Person", "name": au.name });
    if let Some(x) = &au.credentials {
        p["honorificSuffix"] = json!(x);
    }
    if let Some(x) = &au.job_title {
        p["jobTitle"] = json!(x);
    }
    if let Some(url) = &au.url {
        p["url"] = json!(absolute(site, url));
    }
    p
}

/// An image with its size, when known.
fn image_object(image: &ImageValue) -> Value {
    let mut v = json!({ "@type": "ImageObject", "url": image.permalink });
    if let (Some(w), Some(h)) = (image.width, image.height) {
        v["width"] = json!(w);
        v["height"] = json!(h);
    }
    v
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
    const PREFIXES: [&str; 9] = [
        "Dr.",
        "Dr",
        "Dra.",
        "Dra",
        "Prof.",
        "Prof",
        "Pr",
        "Professor",
        "Doctor",
    ];
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
/// `CollectionPage` or the like, with the links of the pages it lists, in its order (a list
/// of links is what search engines read of a summary page).
/// The page's `url` is added when it is rendered.
pub fn collection(
    site: &Site,
    ty: &str,
    title: &str,
    description: &str,
    items: &[String],
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
                .map(|(i, url)| json!({
                    "@type": "ListItem",
                    "position": i + 1,
                    "url": absolute(site, url),
                }))
                .collect::<Vec<_>>(),
        });
    }
    page
}

/// One step of a `BreadcrumbList`.
#[derive(Serialize)]
struct Crumb<'a> {
    #[serde(rename = "@type")]
    ty: &'static str,
    item: String,
    name: &'a str,
    position: usize,
}

/// The breadcrumbs a page shows, then the page itself, as a `BreadcrumbList` (written
/// without building a JSON value: every page has one).
pub fn breadcrumbs(site: &Site, trail: &[Link], title: &str, path: &str) -> String {
    #[derive(Serialize)]
    struct List<'a> {
        #[serde(rename = "@type")]
        ty: &'static str,
        #[serde(rename = "itemListElement")]
        items: Vec<Crumb<'a>>,
    }
    let steps = (trail.iter())
        .map(|l| (l.title.as_str(), absolute(site, &l.url)))
        .chain([(title, site.permalink(path))]);
    let items = steps
        .enumerate()
        .map(|(i, (name, item))| Crumb {
            ty: "ListItem",
            item,
            name,
            position: i + 1,
        })
        .collect();
    serde_json::to_string(&List {
        ty: "BreadcrumbList",
        items,
    })
    .expect("strings serialise")
}

/// A page's nodes (each a JSON object) as one script: the node itself, or a `@graph` of
/// several, escaped for a `<script>` element.
pub fn script(nodes: &[String]) -> Option<String> {
    const CONTEXT: &str = r#""@context":"https://schema.org""#;
    let doc = match nodes {
        [] => return None,
        [node] => match node.strip_prefix('{') {
            Some(rest) if rest.starts_with('}') => format!("{{{CONTEXT}}}"),
            Some(rest) => format!("{{{CONTEXT},{rest}"),
            None => node.clone(),
        },
        _ => format!("{{{CONTEXT},\"@graph\":[{}]}}", nodes.join(",")),
    };
    Some(escape_for_script(&doc))
}

/// The link of each article summary a list page shows.
pub fn listed<'a>(summaries: impl IntoIterator<Item = &'a tera::Value>) -> Vec<String> {
    (summaries.into_iter())
        .map(|v| {
            (v.get_from_path("url"))
                .and_then(|x| x.as_str())
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

/// An absolute URL from a link as pages write it (under the site's base path); an
/// absolute URL stays as it is.
fn absolute(site: &Site, url: &str) -> String {
    if url.starts_with("https://") || url.starts_with("http://") {
        return url.to_string();
    }
    let below = url
        .strip_prefix(site.config.root_path())
        .unwrap_or(url.trim_start_matches('/'));
    site.file_permalink(below)
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
        let text = "</script><script>alert(1)</script> & more\u{2028}line\u{2029}é";
        let s = escape_for_script(&json!({ "name": text }).to_string());
        assert!(!s.contains(['<', '>', '&', '\u{2028}', '\u{2029}']), "{s}");
        assert!(
            s.contains("\\u003c/script\\u003e") && s.contains("é"),
            "{s}"
        );
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["name"], text);
    }
}

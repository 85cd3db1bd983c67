//! The schema.org JSON-LD of every page, checked against the schema.org vocabulary: every
//! type exists, and every property belongs to its object's type or one of its supertypes.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;

use common::{TestSite, repo};
use serde_json::Value;

struct Vocabulary {
    supertypes: BTreeMap<String, Vec<String>>,
    domains: BTreeMap<String, Vec<String>>,
}

impl Vocabulary {
    fn load() -> Vocabulary {
        let text =
            fs::read_to_string(repo().join("tests/fixtures/schema-org/vocabulary.json")).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        let map = |key: &str| -> BTreeMap<String, Vec<String>> {
            (v[key].as_object().unwrap().iter())
                .map(|(k, list)| {
                    let list = list
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|x| x.as_str().unwrap().to_string());
                    (k.clone(), list.collect())
                })
                .collect()
        };
        Vocabulary {
            supertypes: map("types"),
            domains: map("properties"),
        }
    }

    /// A type and all its supertypes.
    fn lineage(&self, ty: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut todo = vec![ty.to_string()];
        while let Some(t) = todo.pop() {
            if out.insert(t.clone()) {
                todo.extend(self.supertypes.get(&t).cloned().unwrap_or_default());
            }
        }
        out
    }

    /// What is wrong with a JSON-LD value, each problem with its path.
    fn check(&self, v: &Value, path: &str, problems: &mut Vec<String>) {
        match v {
            Value::Array(items) => {
                for (i, x) in items.iter().enumerate() {
                    self.check(x, &format!("{path}[{i}]"), problems);
                }
            }
            Value::Object(map) if map.contains_key("@graph") => {
                self.check(&map["@graph"], &format!("{path}.@graph"), problems);
            }
            Value::Object(map) => {
                let types: Vec<&str> = match map.get("@type") {
                    Some(Value::String(t)) => vec![t.as_str()],
                    Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
                    _ => {
                        problems.push(format!("{path}: an object without @type"));
                        return;
                    }
                };
                let mut lineage = BTreeSet::new();
                for t in &types {
                    if !self.supertypes.contains_key(*t) {
                        problems.push(format!("{path}: unknown type {t}"));
                        return;
                    }
                    lineage.extend(self.lineage(t));
                }
                for (key, value) in map {
                    if key.starts_with('@') {
                        continue;
                    }
                    // An action's `<property>-input` describes what it takes for the property.
                    let property = key.strip_suffix("-input").unwrap_or(key);
                    match self.domains.get(property) {
                        None => problems.push(format!("{path}.{key}: unknown property")),
                        Some(domains) if !domains.iter().any(|d| lineage.contains(d)) => problems
                            .push(format!(
                                "{path}.{key}: not a property of {}",
                                types.join("/")
                            )),
                        Some(_) => {}
                    }
                    self.check(value, &format!("{path}.{key}"), problems);
                }
            }
            _ => {}
        }
    }
}

/// Every JSON-LD script of every page of a built site, by page.
fn scripts(site: &TestSite) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(site.public()).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = fs::read_to_string(entry.path()).unwrap();
        let rel = entry
            .path()
            .strip_prefix(site.public())
            .unwrap()
            .display()
            .to_string();
        let open = r#"<script type="application/ld+json">"#;
        for part in html.split(open).skip(1) {
            let json = part.split("</script>").next().unwrap();
            let value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{rel}: {e}"));
            out.push((rel.clone(), value));
        }
    }
    out
}

#[test]
fn every_page_claims_only_types_and_properties_schema_org_defines() {
    let vocabulary = Vocabulary::load();
    let mut problems = Vec::new();
    let mut pages = 0;
    for site in [
        TestSite::sample(),
        TestSite::fixture("site"),
        TestSite::fixture("search-site"),
    ] {
        site.build();
        for (page, value) in scripts(&site) {
            pages += 1;
            vocabulary.check(&value, &page, &mut problems);
        }
    }
    assert!(pages > 20, "{pages} scripts");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_check_catches_a_wrong_type_and_a_property_of_another_type() {
    let vocabulary = Vocabulary::load();
    let mut problems = Vec::new();
    let bad = serde_json::json!({
        "@type": "MedicalWebPage",
        "lastReviewed": "2026-01-01",
        "about": { "@type": "MedicalConditon", "name": "x" },
        "about2": 1,
        "riskFactor": [{ "@type": "MedicalRiskFactor", "name": "y" }],
    });
    vocabulary.check(&bad, "page", &mut problems);
    assert_eq!(
        problems,
        [
            "page.about: unknown type MedicalConditon",
            "page.about2: unknown property",
            "page.riskFactor: not a property of MedicalWebPage",
        ]
    );
}

/// A page's nodes: the one node, or those of its `@graph`.
fn nodes(v: &Value) -> Vec<Value> {
    match v.get("@graph") {
        Some(Value::Array(nodes)) => nodes.clone(),
        _ => vec![v.clone()],
    }
}

/// What each kind of article claims to be about.
#[test]
fn the_subject_follows_the_articles_kind() {
    let site = TestSite::sample();
    site.build();
    let all = scripts(&site);
    let about = |page: &str| -> (String, Value) {
        let (_, v) = all.iter().find(|(p, _)| p == page).unwrap();
        let main = nodes(v)
            .into_iter()
            .find(|n| n["@type"] != "BreadcrumbList")
            .unwrap();
        (
            main["@type"].as_str().unwrap().to_string(),
            main["about"].clone(),
        )
    };
    let (page, a) = about("autopsy-process/index.html");
    assert_eq!(
        (page.as_str(), a["@type"].as_str()),
        ("MedicalWebPage", Some("MedicalProcedure"))
    );
    assert!(
        a.get("cause").is_none(),
        "reasons for a procedure are no causes of it"
    );
    let (page, a) = about("plants/mint-root-rot/index.html");
    assert_eq!(
        (page.as_str(), a["@type"].as_str()),
        ("Article", Some("Thing"))
    );
    let (_, a) = about("tuberculosis-risk/index.html");
    assert_eq!(a["@type"], "MedicalCondition");
    assert!(a["riskFactor"].as_array().is_some_and(|r| !r.is_empty()));
    let (_, a) = about("chronic-cough/index.html");
    assert_eq!(a["@type"], "MedicalSignOrSymptom");
    let (_, a) = about("tension-headaches/index.html");
    assert_eq!(a["@type"], "MedicalCondition");
}

/// The breadcrumbs a page shows are its `BreadcrumbList`; a list page names what it lists.
#[test]
fn breadcrumbs_and_lists_are_structured_data_too() {
    let site = TestSite::fixture("site");
    site.build();
    let all = scripts(&site);
    let page = |p: &str| nodes(&all.iter().find(|(q, _)| q == p).unwrap().1);
    let article = page("feet/foot-spasms/index.html");
    let crumbs = article
        .iter()
        .find(|n| n["@type"] == "BreadcrumbList")
        .unwrap();
    let names: Vec<&str> = (crumbs["itemListElement"].as_array().unwrap().iter())
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.first(), Some(&"Home"));
    assert_eq!(names.len(), 3, "{names:?}");
    let last = crumbs["itemListElement"]
        .as_array()
        .unwrap()
        .last()
        .unwrap();
    assert_eq!(last["item"], "https://example.org/health/feet/foot-spasms/");
    let cause = page("causes/dehydration/index.html");
    let list = cause
        .iter()
        .find(|n| n["@type"] == "CollectionPage")
        .unwrap();
    assert_eq!(
        list["url"],
        "https://example.org/health/causes/dehydration/"
    );
    let items = list["mainEntity"]["itemListElement"].as_array().unwrap();
    assert!(
        items
            .iter()
            .any(|i| i["url"] == "https://example.org/health/feet/foot-spasms/"),
        "{items:?}"
    );
}

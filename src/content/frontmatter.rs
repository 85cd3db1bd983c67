//! The typed front matter of articles and section index files.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::date::Date;
pub use crate::images::ImageSpec;
use crate::yaml::{Locations, Mapping, YamlError};

/// Front matter of an article, as the content model defines it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    pub title: String,
    pub description: String,
    pub condition: Option<String>,
    pub kind: Kind,
    pub also_known_as: Vec<String>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub reviewed: Option<Review>,
    pub slug: Option<String>,
    pub tags: Vec<String>,
    pub symptoms: Vec<String>,
    pub causes: Vec<CauseEntry>,
    pub see_a_doctor: Vec<RedFlag>,
    pub related: Vec<String>,
    pub sources: Vec<Source>,
    /// Who wrote it: ids of `authors` in `site.yaml`.
    pub authors: Vec<String>,
    /// The picture the page shows and link previews use.
    pub image: Option<ImageSpec>,
    /// A reading grade this article may reach, above the site's, and why.
    pub reading: Option<ReadingOverride>,
    pub aliases: Vec<String>,
    pub draft: bool,
    pub extra: serde_json::Value,
}

/// `reading: { max_grade: 10, reason: "..." }`: the article may be harder to read than the
/// site allows, for a reason an editor can see.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ReadingOverride {
    pub max_grade: f64,
    pub reason: String,
}

/// A medical review: who reviewed it, when, and when the next review is due.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Review {
    pub by: String,
    pub date: Date,
    #[serde(default)]
    pub next: Option<Date>,
}

/// One cause an article explains.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CauseEntry {
    pub name: String,
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub also_known_as: Vec<String>,
    #[serde(default)]
    pub section: Option<String>,
    /// In a translation: the slug of the same cause in the default language, so the two
    /// causes' pages and index entries name each other.
    #[serde(default)]
    pub counterpart: Option<String>,
}

/// What an article is about, which decides what its page claims in structured data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A medical condition (the default).
    #[default]
    Condition,
    /// A symptom, explained by the conditions that cause it.
    Symptom,
    /// The risk factors of a condition.
    Risk,
    /// A medical procedure, such as an autopsy.
    Procedure,
    /// A plant problem: no medical claim.
    Plant,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Condition => "condition",
            Kind::Symptom => "symptom",
            Kind::Risk => "risk",
            Kind::Procedure => "procedure",
            Kind::Plant => "plant",
        }
    }

    /// Whether pages of this kind are medical pages.
    pub fn is_medical(self) -> bool {
        self != Kind::Plant
    }
}

/// How soon a reader should get help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Urgency {
    Routine,
    Urgent,
    Emergency,
}

impl Urgency {
    pub const ALL: [Urgency; 3] = [Urgency::Routine, Urgency::Urgent, Urgency::Emergency];

    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::Routine => "routine",
            Urgency::Urgent => "urgent",
            Urgency::Emergency => "emergency",
        }
    }

    /// The words that announce a group of red flags, so urgency is never told by colour alone.
    pub fn label(self) -> &'static str {
        match self {
            Urgency::Routine => "See a GP or doctor if",
            Urgency::Urgent => "Get urgent medical help if",
            Urgency::Emergency => "Call an emergency number now if",
        }
    }
}

/// A "when to see a doctor" sign: a plain sentence (routine) or `{ text, urgency }`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RedFlag {
    pub text: String,
    pub urgency: Urgency,
}

impl<'de> Deserialize<'de> for RedFlag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RedFlag, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RedFlag;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a sentence, or { text: \"...\", urgency: routine | urgent | emergency }",
                )
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<RedFlag, E> {
                Ok(RedFlag {
                    text: s.to_string(),
                    urgency: Urgency::Routine,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RedFlag, A::Error> {
                let (mut text, mut urgency) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "text" => text = Some(map.next_value::<String>()?),
                        "urgency" => urgency = Some(map.next_value::<Urgency>()?),
                        other => return Err(de::Error::unknown_field(other, &["text", "urgency"])),
                    }
                }
                Ok(RedFlag {
                    text: text.ok_or_else(|| de::Error::missing_field("text"))?,
                    urgency: urgency.unwrap_or(Urgency::Routine),
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// A source the article draws on.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub title: String,
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

/// Front matter of a section's `_index.md`.
#[derive(Debug, Clone, Default)]
pub struct SectionFrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub extra: serde_json::Value,
}

pub const ARTICLE_KEYS: &[&str] = &[
    "title",
    "description",
    "condition",
    "kind",
    "also_known_as",
    "date",
    "updated",
    "reviewed",
    "slug",
    "tags",
    "symptoms",
    "causes",
    "see_a_doctor",
    "related",
    "sources",
    "authors",
    "image",
    "reading",
    "aliases",
    "draft",
    "extra",
];

pub const SECTION_KEYS: &[&str] = &["title", "description", "extra"];

/// The front matter read in one pass. Optional fields refuse an explicit null, like the
/// key-by-key path does, so both paths accept exactly the same documents.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Whole {
    #[serde(default, deserialize_with = "present")]
    title: Option<String>,
    #[serde(default, deserialize_with = "present")]
    description: Option<String>,
    #[serde(default, deserialize_with = "present")]
    condition: Option<String>,
    #[serde(default, deserialize_with = "present")]
    kind: Option<Kind>,
    #[serde(default)]
    also_known_as: Vec<String>,
    #[serde(default, deserialize_with = "present")]
    date: Option<Date>,
    #[serde(default, deserialize_with = "present")]
    updated: Option<Date>,
    #[serde(default, deserialize_with = "present")]
    reviewed: Option<Review>,
    #[serde(default, deserialize_with = "present")]
    slug: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    symptoms: Vec<String>,
    #[serde(default)]
    causes: Vec<CauseEntry>,
    #[serde(default)]
    see_a_doctor: Vec<RedFlag>,
    #[serde(default)]
    related: Vec<String>,
    #[serde(default)]
    sources: Vec<Source>,
    #[serde(default)]
    authors: Vec<String>,
    #[serde(default, deserialize_with = "present")]
    image: Option<ImageSpec>,
    #[serde(default, deserialize_with = "present")]
    reading: Option<ReadingOverride>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    draft: bool,
    #[serde(default = "null")]
    extra: serde_json::Value,
}

fn reading_ok(r: &ReadingOverride) -> bool {
    (1.0..=20.0).contains(&r.max_grade) && !r.reason.trim().is_empty()
}

fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

fn null() -> serde_json::Value {
    serde_json::Value::Null
}

/// The one-pass reading of a valid file; None sends the file to the key-by-key path.
fn parse_article_fast(yaml: &str, first_line: usize) -> Option<(FrontMatter, Locations)> {
    let (w, locations) = crate::yaml::parse_whole::<Whole>(yaml, first_line)?;
    let filled = |s: &Option<String>| s.as_deref().is_some_and(|t| !t.trim().is_empty());
    let names_ok = w.causes.iter().all(|c| crate::slug::has_slug(&c.name));
    let alt_ok = w.image.as_ref().is_none_or(|i| !i.alt.trim().is_empty());
    let quotes_ok = [&w.title, &w.description, &w.condition].iter().all(|v| {
        v.as_deref()
            .is_none_or(|t| crate::yaml::curly_quoted(t).is_none())
    });
    let reading_ok = w.reading.as_ref().is_none_or(reading_ok);
    if !filled(&w.title)
        || !filled(&w.description)
        || !names_ok
        || !alt_ok
        || !quotes_ok
        || !reading_ok
    {
        return None;
    }
    let fm = FrontMatter {
        title: w.title.unwrap_or_default(),
        description: w.description.unwrap_or_default(),
        condition: w.condition,
        kind: w.kind.unwrap_or_default(),
        also_known_as: w.also_known_as,
        date: w.date,
        updated: w.updated,
        reviewed: w.reviewed,
        slug: w.slug,
        tags: w.tags,
        symptoms: w.symptoms,
        causes: w.causes,
        see_a_doctor: w.see_a_doctor,
        related: w.related,
        sources: w.sources,
        authors: w.authors,
        image: w.image,
        reading: w.reading,
        aliases: w.aliases,
        draft: w.draft,
        extra: w.extra,
    };
    Some((fm, locations))
}

/// Parses an article's front matter, collecting every error. `first_line` is the file line
/// the YAML starts on. Valid files are read in one pass; a file with mistakes is read key by
/// key, so that each mistake is reported with its own position.
pub fn parse_article(
    yaml: &str,
    first_line: usize,
) -> Result<(FrontMatter, Locations), Vec<YamlError>> {
    if let Some(parsed) = parse_article_fast(yaml, first_line) {
        return Ok(parsed);
    }
    parse_article_by_key(yaml, first_line)
}

fn parse_article_by_key(
    yaml: &str,
    first_line: usize,
) -> Result<(FrontMatter, Locations), Vec<YamlError>> {
    let mut m = Mapping::parse(yaml, first_line).map_err(|e| vec![e])?;
    let required = |m: &mut Mapping, key: &str| -> String {
        let value: Option<String> = m.take(key);
        match value {
            Some(v) if !v.trim().is_empty() => v,
            Some(_) => {
                m.error_at(Some(key), format!("`{key}` must not be empty"));
                String::new()
            }
            None => {
                if !m.has(key) {
                    m.error_at(None, format!("`{key}` is required"));
                }
                String::new()
            }
        }
    };
    let fm = FrontMatter {
        title: required(&mut m, "title"),
        description: required(&mut m, "description"),
        condition: m.take("condition"),
        kind: m.take("kind").unwrap_or_default(),
        also_known_as: m.take("also_known_as").unwrap_or_default(),
        date: m.take("date"),
        updated: m.take("updated"),
        reviewed: m.take("reviewed"),
        slug: m.take("slug"),
        tags: m.take("tags").unwrap_or_default(),
        symptoms: m.take("symptoms").unwrap_or_default(),
        causes: m.take("causes").unwrap_or_default(),
        see_a_doctor: m.take("see_a_doctor").unwrap_or_default(),
        related: m.take("related").unwrap_or_default(),
        sources: m.take("sources").unwrap_or_default(),
        authors: m.take("authors").unwrap_or_default(),
        image: m.take("image"),
        reading: m.take("reading"),
        aliases: m.take("aliases").unwrap_or_default(),
        draft: m.take("draft").unwrap_or(false),
        extra: m.take("extra").unwrap_or(serde_json::Value::Null),
    };
    for (i, cause) in fm.causes.iter().enumerate() {
        if !crate::slug::has_slug(&cause.name) {
            m.error_at(
                Some("causes"),
                format!(
                    "causes[{i}]: the name `{}` has no letters or digits",
                    cause.name
                ),
            );
        }
    }
    for (key, value) in [
        ("title", Some(&fm.title)),
        ("description", Some(&fm.description)),
        ("condition", fm.condition.as_ref()),
    ] {
        if let Some(inner) = value.and_then(|v| crate::yaml::curly_quoted(v)) {
            m.error_at(
                Some(key),
                format!(
                    "the value is wrapped in curly quotes, which YAML keeps as part of the text (readers would see them): write straight quotes, `{key}: \"{}\"`, or none",
                    inner.replace('\\', "\\\\").replace('"', "\\\"")
                ),
            );
        }
    }
    if fm.reading.as_ref().is_some_and(|r| !reading_ok(r)) {
        m.error_at(
            Some("reading"),
            "`reading` needs a `max_grade` from 1 to 20 and a `reason` an editor can read",
        );
    }
    if fm.image.as_ref().is_some_and(|i| i.alt.trim().is_empty()) {
        m.error_at(
            Some("image"),
            "`image.alt` must say what the picture shows, for readers who cannot see it",
        );
    }
    let (locations, errors) = m.finish(ARTICLE_KEYS);
    if errors.is_empty() {
        Ok((fm, locations))
    } else {
        Err(errors)
    }
}

/// Parses the front matter of a section's `_index.md`.
pub fn parse_section(yaml: &str, first_line: usize) -> Result<SectionFrontMatter, Vec<YamlError>> {
    let mut m = Mapping::parse(yaml, first_line).map_err(|e| vec![e])?;
    let fm = SectionFrontMatter {
        title: m.take("title"),
        description: m.take("description"),
        extra: m.take("extra").unwrap_or(serde_json::Value::Null),
    };
    let (_, errors) = m.finish(SECTION_KEYS);
    if errors.is_empty() {
        Ok(fm)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_front_matter() {
        let yaml = r#"title: T
description: D
date: 2026-11-20
reviewed: { by: "A. Reviewer, MD", date: 2026-11-21, next: 2027-11-21 }
causes:
  - name: Dehydration
    group: Physiological Triggers
see_a_doctor:
  - Plain sentence.
  - { text: "Blue foot.", urgency: emergency }
extra: { anything: [1, 2] }
"#;
        let (fm, _) = parse_article(yaml, 2).unwrap();
        assert_eq!(fm.causes[0].name, "Dehydration");
        assert_eq!(fm.see_a_doctor[0].urgency, Urgency::Routine);
        assert_eq!(fm.see_a_doctor[1].urgency, Urgency::Emergency);
        assert_eq!(fm.reviewed.unwrap().next.unwrap().to_string(), "2027-11-21");
        assert_eq!(fm.extra["anything"][1], 2);
    }

    #[test]
    fn both_paths_read_valid_files_alike() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut seen = 0;
        for dir in ["content", "tests/fixtures/site/content"] {
            for entry in walkdir::WalkDir::new(root.join(dir)) {
                let entry = entry.unwrap();
                let name = entry.file_name().to_string_lossy();
                if !name.ends_with(".md") || name == "_index.md" {
                    continue;
                }
                let text = std::fs::read_to_string(entry.path()).unwrap();
                let split = crate::content::split_front_matter(&text).unwrap();
                let fast = parse_article_fast(split.yaml, split.yaml_line)
                    .expect("valid files take the fast path");
                let slow = parse_article_by_key(split.yaml, split.yaml_line).unwrap();
                assert_eq!(
                    format!("{:?}", fast.0),
                    format!("{:?}", slow.0),
                    "{}",
                    entry.path().display()
                );
                assert_eq!(
                    fast.1.find("causes", Some("name:")),
                    slow.1.find("causes", Some("name:")),
                    "{}",
                    entry.path().display()
                );
                seen += 1;
            }
        }
        assert!(seen >= 14, "{seen}");
    }

    #[test]
    fn empty_and_null_values_read_alike_on_both_paths() {
        for yaml in [
            "title: T\ndescription: D\ncondition:\n",
            "title: T\ndescription: D\ndate:\n",
            "title: T\ndescription: D\ntags:\n",
            "title: T\ndescription: D\ndraft: ~\n",
        ] {
            let fast = parse_article_fast(yaml, 2).map(|(fm, _)| format!("{fm:?}"));
            let slow = parse_article_by_key(yaml, 2).map(|(fm, _)| format!("{fm:?}"));
            match (fast, slow) {
                (Some(f), Ok(s)) => assert_eq!(f, s, "{yaml}"),
                (None, _) => {}
                (Some(f), Err(e)) => {
                    panic!("{yaml}: fast path accepted {f} but the key path says {e:?}")
                }
            }
        }
    }

    #[test]
    fn every_error_is_positioned() {
        let yaml = "description: D\ndate: 2026-02-30\ncauses:\n  - group: G\nsee_a_doctor:\n  - { text: x, urgency: soon }\nauthor: me\n";
        let errs = parse_article(yaml, 2).unwrap_err();
        let got: Vec<(usize, &str)> = errs.iter().map(|e| (e.line, e.message.as_str())).collect();
        assert_eq!(got.len(), 5, "{got:#?}");
        assert!(got[0].1.contains("`title` is required"));
        assert_eq!(got[1].0, 3);
        assert!(got[1].1.contains("February 2026 has 28 days"), "{got:?}");
        assert!(got[2].1.contains("missing field `name`"), "{got:?}");
        assert_eq!(got[3].0, 7);
        assert!(got[3].1.contains("unknown variant `soon`"), "{got:?}");
        assert_eq!(got[4].0, 8);
    }
}

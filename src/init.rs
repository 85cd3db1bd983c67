//! `causeway init`: a new site in an empty folder, ready to build with the built-in theme.

use std::path::{Path, PathBuf};

use crate::builtin_theme::write_new;

/// Why a site could not be started.
#[derive(Debug)]
pub enum InitError {
    /// The folder already holds a site (or other files the new site would mix with).
    NotEmpty(PathBuf, Vec<String>),
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for InitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InitError::NotEmpty(dir, names) => write!(
                f,
                "{} is not empty (it holds {}); start a site in a new or empty folder",
                dir.display(),
                names.join(", ")
            ),
            InitError::Io(p, e) => write!(f, "{}: {e}", p.display()),
        }
    }
}

impl std::error::Error for InitError {}

/// The files of a new site, by path. `{{ title }}` is replaced with the site's title.
const FILES: &[(&str, &str)] = &[
    ("site.yaml", SITE_YAML),
    (
        ".gitignore",
        "/public/\n/.public.building-*/\n/.causeway-cache/\n",
    ),
    ("content/_index.md", HOME),
    ("content/conditions/_index.md", SECTION),
    ("content/conditions/hiccups.md", ARTICLE),
    ("archetypes/article.md", ARCHETYPE),
];

const SITE_YAML: &str = r#"# Site configuration: docs/content.md lists every key.
title: "{{ title }}"
description: Plain-language guides to what causes common symptoms, and when to see a doctor.
# The address the site is published at; a sub-path such as https://example.org/health/ works.
base_url: https://example.org/
language: en
# The built-in theme. Copy it out to edit with `causeway theme eject`, or override single
# files in templates/ and static/.
theme: default
disclaimer: >-
  This site explains health topics in general terms. It does not replace advice from a
  doctor, nurse or pharmacist who knows you. In an emergency, call your local emergency number.
search:
  synonyms:
    - [hiccups, hiccoughs, singultus]
authors:
  editorial: { name: "{{ title }} editorial team" }
# A picture for link previews (1200 × 630 pixels, PNG or JPEG), e.g. in static/images/:
# image: { src: /images/share-card.png, alt: "What the picture shows" }
"#;

const HOME: &str = "---\ntitle: Home\ndescription: Plain-language guides to what causes common symptoms.\n---\nEach guide explains what usually causes a symptom, what you can do about it yourself, and the\nsigns that mean you should see a doctor.\n";

const SECTION: &str = "---\ntitle: Conditions\ndescription: Common conditions and symptoms, and what causes them.\n---\nGuides to everyday conditions and what lies behind them.\n";

/// An article that uses every front-matter key, so a writer can see each one at work.
const ARTICLE: &str = r#"---
title: What Causes Hiccups, and When to See a Doctor
description: Why the diaphragm twitches, what usually sets hiccups off, and when they need a doctor.
condition: Hiccups
kind: symptom
also_known_as: [hiccoughs]
date: 2026-01-15
updated: 2026-01-15
# A medical review: who checked the article, when, and when it is due again.
reviewed: { by: "A. Reviewer, MD", date: 2026-01-15, next: 2027-01-15 }
authors: [editorial]
# image: { src: hiccups.jpg, alt: "What the picture shows" }   # a file beside this one
# reading: { max_grade: 10, reason: "Why this article may be harder to read than the site allows" }
slug: hiccups
tags: [breathing, digestion]
symptoms: [a sudden jerk in the chest or throat, a short "hic" sound]
causes:
  - name: Eating or drinking quickly
    group: Everyday triggers
    summary: A full stomach presses on the diaphragm and can set off the reflex.
    also_known_as: [eating fast]
  - name: Fizzy drinks
    group: Everyday triggers
    summary: Gas stretches the stomach in the same way.
  - name: Some medicines
    group: Medical causes
    summary: Steroids and some sedatives can trigger long bouts.
    section: medical-causes
see_a_doctor:
  - Hiccups last longer than 48 hours.
  - { text: "Hiccups stop you eating, drinking or sleeping.", urgency: urgent }
  - { text: "You have chest pain or find it hard to breathe.", urgency: emergency }
related: []
sources:
  - { title: "Hiccups", publisher: "A national health service", url: "https://example.org/hiccups" }
aliases: [/hiccoughs/]
draft: false
extra: {}
---
Hiccups are sudden, repeated tightenings of the diaphragm, the muscle under the lungs. Each
one snaps the vocal cords shut, which makes the sound. Most bouts stop on their own within
minutes.

## Everyday triggers

Eating or drinking quickly, fizzy drinks, alcohol and sudden excitement are the usual causes.
They stretch the stomach or stir the nerves that control the diaphragm.

## Medical causes

Bouts that last for days are rare. Some medicines, such as steroids, can cause them, and so can
conditions that irritate the nerves of the chest or the stomach.

## When to see a doctor

See a GP if hiccups last longer than two days. Get help the same day if they stop you eating,
drinking or sleeping.
"#;

const ARCHETYPE: &str = include_str!("../themes/default/archetypes/article.md");

/// Writes a new site into `dir` (made when missing), titled after the folder's name. Refuses
/// a folder that holds anything but hidden files (`.git`), so nothing is overwritten or mixed.
/// Returns the files written, relative to `dir`.
pub fn init(dir: &Path) -> Result<Vec<String>, InitError> {
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |e| InitError::Io(p, e)
    };
    if dir.exists() {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map_err(io(dir))?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect();
        if !names.is_empty() {
            names.sort();
            names.truncate(5);
            return Err(InitError::NotEmpty(dir.to_path_buf(), names));
        }
    }
    let title = title_from(dir);
    let mut written = Vec::new();
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        let text = text.replace("{{ title }}", &title);
        write_new(&path, text.as_bytes()).map_err(io(&path))?;
        written.push(rel.to_string());
    }
    Ok(written)
}

/// "my-health-site" gives "My Health Site"; a folder with no usable name gives "Health Guide".
fn title_from(dir: &Path) -> String {
    let name = std::path::absolute(dir)
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let words: Vec<String> = name
        .split(|c: char| c == '-' || c == '_' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            let first = chars
                .next()
                .map(|c| c.to_uppercase().to_string())
                .unwrap_or_default();
            first + chars.as_str()
        })
        .collect();
    let title = words.join(" ");
    // The title goes into double quotes in site.yaml: keep it to plain text.
    if title.is_empty() || title.contains(['"', '\\']) || title.chars().any(char::is_control) {
        "Health Guide".to_string()
    } else {
        title
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_the_folder_name() {
        assert_eq!(title_from(Path::new("/x/my-health_site")), "My Health Site");
        assert_eq!(title_from(Path::new("/x/a\"b")), "Health Guide");
    }

    #[test]
    fn a_folder_with_files_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        assert!(matches!(init(dir.path()), Err(InitError::NotEmpty(..))));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}

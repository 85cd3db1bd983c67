//! Sites in other languages: every label the theme writes comes from the catalogue of the
//! site's language, and a missing translation is an error naming the key and the language.

mod common;

use common::{TestSite, snapshot_tree};

/// The texts of a catalogue file by key (plural forms as `key.one`, `key.other`...).
fn catalogue(lang: &str) -> Vec<(String, String)> {
    let path = common::repo().join(format!("themes/default/i18n/{lang}.yaml"));
    let value: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut out = Vec::new();
    for (k, v) in value.as_mapping().unwrap() {
        let k = k.as_str().unwrap();
        match v {
            serde_yaml::Value::String(s) => out.push((k.to_string(), s.clone())),
            serde_yaml::Value::Mapping(forms) => {
                for (f, s) in forms {
                    out.push((
                        format!("{k}.{}", f.as_str().unwrap()),
                        s.as_str().unwrap().to_string(),
                    ));
                }
            }
            other => panic!("{k}: {other:?}"),
        }
    }
    out
}

/// Each English label's fixed parts of two words or more (but those `same` says the other
/// language writes alike): none of them may appear on any page of a site in that language,
/// even when its catalogue holds them.
fn assert_no_english_labels(site: &TestSite, lang: &str, same: &[&str]) {
    assert_no_english_labels_below(site, "", lang, same);
}

/// [`assert_no_english_labels`] for the pages below folder `below` of the output.
fn assert_no_english_labels_below(site: &TestSite, below: &str, lang: &str, same: &[&str]) {
    let theirs: std::collections::HashMap<String, String> = catalogue(lang).into_iter().collect();
    let pages: Vec<(String, String)> = snapshot_tree(&site.public())
        .into_iter()
        .filter(|(rel, _)| rel.ends_with(".html") && rel.starts_with(below))
        .map(|(rel, bytes)| (rel, String::from_utf8(bytes).unwrap()))
        .collect();
    assert!(pages.len() >= 5);
    let mut checked = 0;
    for (key, english) in catalogue("en") {
        let translated = theirs
            .get(&key)
            .unwrap_or_else(|| panic!("{lang}.yaml has no {key}"));
        for part in english.split(['{', '}']).step_by(2) {
            let part =
                part.trim_matches(|c: char| c.is_whitespace() || c == '.' || c == ',' || c == ':');
            if part.split_whitespace().count() < 2 || same.contains(&part) {
                assert!(
                    !same.contains(&part) || translated.contains(part),
                    "{part:?} is not shared by {lang}"
                );
                continue;
            }
            checked += 1;
            let escaped = part
                .replace('&', "&amp;")
                .replace('\'', "&#39;")
                .replace('"', "&quot;");
            for (rel, html) in &pages {
                assert!(
                    !html.contains(part) && !html.contains(&escaped),
                    "{rel} ({lang}) holds the English label {key}: {part:?}"
                );
            }
        }
    }
    assert!(checked > 80, "{checked} English label parts checked");
}

#[test]
fn a_spanish_site_has_every_label_in_spanish() {
    let site = TestSite::fixture("es-site");
    site.build();
    assert_no_english_labels(&site, "es", &["Error 404"]);
    let page = site.read("piernas/calambres-nocturnos/index.html");
    for spanish in [
        "<html lang=\"es\" dir=\"ltr\">",
        "Actualizado <time datetime=\"2026-11-02\">2 de noviembre de 2026</time>",
        "Busque atención médica urgente si",
        "Posibles causas de un vistazo",
        "<meta property=\"og:locale\" content=\"es_ES\">",
    ] {
        assert!(page.contains(spanish), "{spanish}");
    }
    // The search script gets its labels from the page.
    assert!(page.contains("data-labels=\"{&quot;all_about&quot;:{&quot;one&quot;:&quot;El artículo sobre {cause}&quot;"));
}

#[test]
fn an_arabic_site_has_every_label_in_arabic() {
    let site = TestSite::fixture("rtl-site");
    site.build();
    assert_no_english_labels(&site, "ar", &[]);
    let page = site.read("foot-cramps/index.html");
    assert!(page.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(page.contains("اتصل برقم الطوارئ الآن إذا"));
    assert!(page.contains("20 نوفمبر 2026"));
}

#[test]
fn a_site_overrides_labels_and_a_missing_translation_names_key_and_language() {
    let site = TestSite::fixture("es-site");
    site.write("i18n/es.yaml", "help_now: \"¿Necesita ayuda ya?\"\n");
    site.build();
    assert!(
        site.read("piernas/calambres-nocturnos/index.html")
            .contains("¿Necesita ayuda ya?")
    );
    // Italian: no catalogue in the theme.
    site.write(
        "site.yaml",
        "title: T\ndescription: D\nbase_url: https://example.org/\nlanguage: it\ntheme: default\n",
    );
    let out = site.build_err();
    assert!(
        out.contains(
            "there is no translation catalogue for language `it`: add i18n/it.yaml to the site"
        ),
        "{out}"
    );
    // A catalogue of the site's own that lacks keys: each is named, in one run.
    site.write("i18n/it.yaml", "help_now: Chiedi aiuto ora\nhome: Inizio\n");
    let out = site.build_err();
    assert!(
        out.contains(
            "i18n/it.yaml: error[config]: no translation of `search_button` for language `it`"
        ),
        "{out}"
    );
    assert!(
        out.contains("no translation of `month_12` for language `it`"),
        "{out}"
    );
    assert!(!out.contains("`help_now` for"), "{out}");
}

#[test]
fn a_site_in_three_languages_translates_every_label_and_links_its_translations() {
    let site = TestSite::fixture("multilingual");
    site.build();
    assert_no_english_labels_below(&site, "es/", "es", &["Error 404"]);
    assert_no_english_labels_below(&site, "ar/", "ar", &[]);

    let en = site.read("legs/night-cramps/index.html");
    let es = site.read("es/legs/calambres-nocturnos/index.html");
    let ar = site.read("ar/legs/night-cramps/index.html");
    assert!(es.contains("<html lang=\"es\" dir=\"ltr\">"));
    assert!(ar.contains("<html lang=\"ar\" dir=\"rtl\">"));
    // Each names every translation, itself included, and the default language as x-default.
    let links = "<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/guide/legs/night-cramps/\">
<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://example.org/guide/legs/night-cramps/\">
<link rel=\"alternate\" hreflang=\"ar\" href=\"https://example.org/guide/ar/legs/night-cramps/\">
<link rel=\"alternate\" hreflang=\"es\" href=\"https://example.org/guide/es/legs/calambres-nocturnos/\">";
    for (lang, page) in [("en", &en), ("es", &es), ("ar", &ar)] {
        assert!(page.contains(links), "{lang}: {page}");
        // The switcher names each language in its own words, marking the page's own.
        for (tag, name) in [("en", "English"), ("es", "Español"), ("ar", "العربية")] {
            let current = if tag == lang {
                " aria-current=\"page\""
            } else {
                ""
            };
            let dir = if tag == "ar" { "rtl" } else { "ltr" };
            assert!(
                page.contains(&format!(
                    "hreflang=\"{tag}\" lang=\"{tag}\" dir=\"{dir}\"{current}>{name}</a>"
                )),
                "{lang} switcher names {tag}"
            );
        }
    }
    assert!(es.contains("<nav class=\"language-switcher\" aria-label=\"Idiomas\">"));
    // An article with no translation has neither.
    let hiccups = site.read("hiccups/index.html");
    assert!(!hiccups.contains("hreflang") && !hiccups.contains("language-switcher"));
    // A link to an article with no translation goes to the default language's page.
    assert!(es.contains("<a href=\"/guide/hiccups/\">el hipo</a>"));
    // Causes linked by counterpart are translations of each other.
    let cause = site.read("es/causes/deshidratacion/index.html");
    assert!(
        cause.contains("hreflang=\"en\" href=\"https://example.org/guide/causes/dehydration/\"")
    );
    // Every language has its own home, search page, feed and search files.
    for lang in ["es/", "ar/"] {
        for file in [
            "index.html",
            "search/index.html",
            "atom.xml",
            "sitemap.xml",
            "cause-index.json",
        ] {
            assert!(
                site.public().join(lang).join(file).is_file(),
                "{lang}{file}"
            );
        }
    }
    // The cause index links each cause to its counterparts, relative to its own root.
    let index: serde_json::Value = serde_json::from_str(&site.read("es/cause-index.json")).unwrap();
    let cause = (index["causes"].as_array().unwrap().iter())
        .find(|c| c["slug"] == "deshidratacion")
        .unwrap();
    assert_eq!(
        cause["translations"],
        serde_json::json!([
            { "language": "en", "url": "../causes/dehydration/" },
            { "language": "ar", "url": "../ar/causes/الجفاف/" }
        ])
    );
    let index: serde_json::Value = serde_json::from_str(&site.read("cause-index.json")).unwrap();
    let eating = (index["causes"].as_array().unwrap().iter())
        .find(|c| c["slug"] == "eating-fast")
        .unwrap();
    assert!(eating.get("translations").is_none(), "{eating}");
    let robots = site.read("robots.txt");
    assert!(
        robots.contains("Sitemap: https://example.org/guide/es/sitemap.xml"),
        "{robots}"
    );
}

#[test]
fn slugs_and_heading_ids_keep_their_script_unless_the_site_transliterates() {
    let site = TestSite::fixture("multilingual");
    site.build();
    let article = site.read("ar/legs/night-cramps/index.html");
    // Cause and topic pages, and heading ids, in Arabic letters; links as IRIs.
    assert!(
        article.contains("href=\"/guide/ar/causes/الجفاف/\""),
        "{article}"
    );
    assert!(article.contains("id=\"أسباب-في-الجسم\""));
    assert!(site.public().join("ar/tags/العضلات/index.html").is_file());
    // Latin letters lose their accents, as before.
    assert!(
        site.public()
            .join("es/causes/deshidratacion/index.html")
            .is_file()
    );
    // A sitemap takes URLs: percent-encoded.
    let sitemap = site.read("ar/sitemap.xml");
    assert!(
        sitemap.contains(
            "<loc>https://example.org/guide/ar/causes/%D8%A7%D9%84%D8%AC%D9%81%D8%A7%D9%81/</loc>"
        ),
        "{sitemap}"
    );

    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{yaml}slugs: ascii\n"));
    site.build();
    assert!(site.public().join("ar/causes/ljff/index.html").is_file());
    assert!(!site.public().join("ar/causes/الجفاف").exists());
    let article = site.read("ar/legs/night-cramps/index.html");
    assert!(article.contains("id=\"sbb-fy-ljsm\""), "{article}");

    site.write("site.yaml", &format!("{yaml}slugs: latin\n"));
    let out = site.build_err();
    assert!(out.contains("site.yaml:"), "{out}");
    assert!(out.contains("slugs"), "{out}");
}

#[test]
fn related_in_a_translation_names_articles_as_the_article_it_translates_does() {
    let site = TestSite::fixture("multilingual");
    // Copied from the English: `night-cramps` is the Spanish translation's source name (its
    // own slug differs); `hiccups` has no Spanish translation yet.
    let path = "content/legs/night-cramps.es.md";
    let text = std::fs::read_to_string(site.root().join(path)).unwrap();
    site.write(
        "content/legs/more-cramps.es.md",
        &text.replace(
            "slug: calambres-nocturnos",
            "slug: mas-calambres\nrelated: [night-cramps, hiccups]",
        ),
    );
    site.write(
        "content/legs/more-cramps.md",
        &std::fs::read_to_string(site.root().join("content/legs/night-cramps.md")).unwrap(),
    );
    let report = site.build();
    let out: String = report.warnings.iter().map(|d| d.render(false)).collect();
    assert!(
        out.contains(
            "related article `hiccups` has no translation in this language yet; it is left out"
        ),
        "{out}"
    );
    assert_eq!(report.warnings.len(), 1, "{out}");
    let page = site.read("es/legs/mas-calambres/index.html");
    assert!(page.contains("href=\"/guide/es/legs/calambres-nocturnos/\""));
    // Only the body's link goes to the English page; the related list leaves it out.
    assert_eq!(page.matches("href=\"/guide/hiccups/\"").count(), 1);
}

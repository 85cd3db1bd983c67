//! Incremental rebuilds: after every kind of edit, the site held by `serve` is byte for byte
//! the site a full build of the same files writes.

mod common;

use causeway::serve::workspace::Workspace;
use common::{TestSite, snapshot_tree};

/// Asserts the workspace's files equal those of a fresh full build of the site as it is now.
fn assert_same_as_full_build(site: &TestSite, ws: &Workspace) {
    let from_ws = tempfile::tempdir().unwrap();
    ws.write_to(from_ws.path()).unwrap();
    let full = tempfile::tempdir().unwrap();
    let mut options = site.options();
    options.output = Some(full.path().join("out"));
    causeway::build(&options).unwrap_or_else(|d| panic!("{d:?}"));
    let a = snapshot_tree(from_ws.path());
    let b = snapshot_tree(&full.path().join("out"));
    let only_ws: Vec<_> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    let only_full: Vec<_> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    assert!(
        only_ws.is_empty() && only_full.is_empty(),
        "only in serve: {only_ws:?}; only in build: {only_full:?}"
    );
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{name} differs from a full build");
    }
}

fn edit(site: &TestSite, rel: &str, from: &str, to: &str) -> std::path::PathBuf {
    let path = site.root().join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    path
}

#[test]
fn an_edited_article_rerenders_only_the_pages_that_show_it() {
    let site = TestSite::fixture("site");
    let mut ws = Workspace::open(site.options()).unwrap();
    let total = ws.paths().len();

    let path = edit(
        &site,
        "content/feet/foot-spasms.md",
        "Dehydration is the usual suspect.",
        "Dehydration is common.",
    );
    let r = ws.apply(&[path]).unwrap();
    assert!(!r.full);
    assert!(
        r.pages < total / 2,
        "{} of {total} pages re-rendered",
        r.pages
    );
    assert!(
        String::from_utf8_lossy(&served(&ws, "feet/foot-spasms/index.html"))
            .contains("Dehydration is common.")
    );
    assert_same_as_full_build(&site, &ws);

    // A title shows on other pages: the related article, the cause pages, the tag pages.
    let path = edit(
        &site,
        "content/feet/foot-spasms.md",
        "title: What Causes Spasms",
        "title: Why Do We Get Spasms",
    );
    let r = ws.apply(&[path]).unwrap();
    assert!(!r.full);
    assert!(
        String::from_utf8_lossy(&served(&ws, "causes/dehydration/index.html"))
            .contains("Why Do We Get Spasms")
    );
    assert!(
        String::from_utf8_lossy(&served(&ws, "lungs/tuberculosis-risk/index.html"))
            .contains("Why Do We Get Spasms")
    );
    assert_same_as_full_build(&site, &ws);

    // A cause summary and a new tag.
    let path = edit(
        &site,
        "content/feet/foot-spasms.md",
        "tags: [Feet, muscles]",
        "tags: [Feet, muscles, sleep]",
    );
    ws.apply(&[path]).unwrap();
    assert_same_as_full_build(&site, &ws);
}

fn served(ws: &Workspace, rel: &str) -> Vec<u8> {
    match ws.get(rel).unwrap_or_else(|| panic!("{rel} not served")) {
        causeway::serve::workspace::Served::Bytes(b) => b.to_vec(),
        causeway::serve::workspace::Served::File(p) => std::fs::read(p).unwrap(),
        causeway::serve::workspace::Served::Builtin(b) => b.to_vec(),
    }
}

#[test]
fn new_renamed_and_deleted_files_are_handled() {
    let site = TestSite::fixture("site");
    let mut ws = Workspace::open(site.options()).unwrap();

    site.write("content/feet/heel-pain.md", "---\ntitle: Heel pain\ndescription: D\ncauses:\n  - name: Plantar fasciitis\n---\n## Plantar fasciitis\n");
    let new = site.root().join("content/feet/heel-pain.md");
    let r = ws.apply(std::slice::from_ref(&new)).unwrap();
    // Only the pages that can show the new article are rendered.
    assert!(!r.full, "a new article rendered every page");
    assert!(ws.get("feet/heel-pain/index.html").is_some());
    assert!(ws.get("causes/plantar-fasciitis/index.html").is_some());
    assert_same_as_full_build(&site, &ws);

    let renamed = site.root().join("content/feet/heel-ache.md");
    std::fs::rename(&new, &renamed).unwrap();
    assert!(!ws.apply(&[new.clone(), renamed.clone()]).unwrap().full);
    assert!(ws.get("feet/heel-pain/index.html").is_none());
    assert!(ws.get("feet/heel-ache/index.html").is_some());
    assert_same_as_full_build(&site, &ws);

    std::fs::remove_file(&renamed).unwrap();
    assert!(!ws.apply(&[renamed]).unwrap().full);
    assert!(ws.get("feet/heel-ache/index.html").is_none());
    assert!(ws.get("causes/plantar-fasciitis/index.html").is_none());
    assert_same_as_full_build(&site, &ws);

    // A new image beside an article, then a link to it.
    site.write(
        "content/feet/heel.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let path = edit(
        &site,
        "content/feet/foot-spasms.md",
        "Shoes that pinch.",
        "Shoes that pinch. ![Heel](heel.svg)",
    );
    ws.apply(&[site.root().join("content/feet/heel.svg"), path])
        .unwrap();
    assert!(ws.get("feet/heel.svg").is_some());
    assert_same_as_full_build(&site, &ws);
}

#[test]
fn template_and_configuration_changes_rebuild_everything() {
    let site = TestSite::fixture("site");
    let mut ws = Workspace::open(site.options()).unwrap();

    site.write("templates/tag.html", "{% extends \"base.html\" %}\n{% block content %}<h1>Tag {{ tag.name }}</h1>{% endblock content %}\n");
    let r = ws.apply(&[site.root().join("templates/tag.html")]).unwrap();
    assert!(r.full);
    assert!(
        String::from_utf8_lossy(&served(&ws, "tags/feet/index.html")).contains("<h1>Tag Feet</h1>")
    );
    assert_same_as_full_build(&site, &ws);

    let path = edit(
        &site,
        "site.yaml",
        "title: Fixture Health <Test>",
        "title: Renamed Health",
    );
    assert!(ws.apply(&[path]).unwrap().full);
    assert!(String::from_utf8_lossy(&served(&ws, "index.html")).contains("Renamed Health"));
    assert_same_as_full_build(&site, &ws);

    let path = edit(
        &site,
        "content/feet/_index.md",
        "title: Feet & Legs",
        "title: Feet",
    );
    assert!(ws.apply(&[path]).unwrap().full);
    assert_same_as_full_build(&site, &ws);

    // Every page links the static files with their versions.
    site.write("static/style.css", "body { color: #222; }\n");
    let r = ws.apply(&[site.root().join("static/style.css")]).unwrap();
    assert!(
        r.full,
        "a static file's new version left pages as they were"
    );
    assert_same_as_full_build(&site, &ws);
}

#[test]
fn a_broken_edit_keeps_the_last_good_site_until_it_is_fixed() {
    let site = TestSite::fixture("site");
    let mut ws = Workspace::open(site.options()).unwrap();
    let before = served(&ws, "feet/foot-spasms/index.html");

    let path = edit(
        &site,
        "content/feet/foot-spasms.md",
        "condition: Foot spasms",
        "condition: [unclosed",
    );
    let errors = ws.apply(std::slice::from_ref(&path)).unwrap_err();
    assert_eq!(
        errors[0].file,
        std::path::Path::new("content/feet/foot-spasms.md")
    );
    assert!(errors[0].line > 0);
    assert_eq!(served(&ws, "feet/foot-spasms/index.html"), before);

    edit(
        &site,
        "content/feet/foot-spasms.md",
        "condition: [unclosed",
        "condition: Foot spasms",
    );
    ws.apply(&[path]).unwrap();
    assert_eq!(served(&ws, "feet/foot-spasms/index.html"), before);
    assert_same_as_full_build(&site, &ws);
}

#[test]
fn lists_that_gain_or_lose_a_page_stay_identical_to_a_full_build() {
    let site = TestSite::fixture("site");
    site.append("site.yaml", "pagination:\n  per_page: 1\n");
    let mut ws = Workspace::open(site.options()).unwrap();
    // The tuberculosis article takes the `feet` topic: the topic list gains a page.
    let path = edit(
        &site,
        "content/lungs/tb.md",
        "tags: [lungs, infection]",
        "tags: [lungs, infection, feet]",
    );
    ws.apply(std::slice::from_ref(&path)).unwrap();
    assert!(ws.get("tags/feet/page/2/index.html").is_some());
    assert_same_as_full_build(&site, &ws);
    // An edit that keeps the article's place renders only the list pages that show it.
    // (The tuberculosis article is second by title: page 2 of the dehydration list.)
    let tb = edit(
        &site,
        "content/lungs/tb.md",
        "description: A detailed look at causes.",
        "description: A close look at causes.",
    );
    let r = ws.apply(std::slice::from_ref(&tb)).unwrap();
    assert!(!r.full);
    assert_same_as_full_build(&site, &ws);
    // And loses it again.
    edit(
        &site,
        "content/lungs/tb.md",
        "tags: [lungs, infection, feet]",
        "tags: [lungs, infection]",
    );
    ws.apply(&[path]).unwrap();
    assert!(ws.get("tags/feet/page/2/index.html").is_none());
    assert_same_as_full_build(&site, &ws);
}

#[test]
fn search_shards_follow_an_edit_that_adds_and_removes_a_word() {
    let site = TestSite::fixture("site");
    let mut ws = Workspace::open(site.options()).unwrap();
    let path = edit(
        &site,
        "content/lungs/tb.md",
        "description: A detailed look at causes.",
        "description: A zygote-level look at causes.",
    );
    assert!(!ws.apply(std::slice::from_ref(&path)).unwrap().full);
    assert!(
        ws.get("search/t/zy.json").is_some(),
        "{:?}",
        ws.paths()
            .iter()
            .filter(|p| p.starts_with("search/"))
            .collect::<Vec<_>>()
    );
    assert_same_as_full_build(&site, &ws);
    edit(
        &site,
        "content/lungs/tb.md",
        "description: A zygote-level look at causes.",
        "description: A detailed look at causes.",
    );
    assert!(!ws.apply(&[path]).unwrap().full);
    assert!(ws.get("search/t/zy.json").is_none());
    assert_same_as_full_build(&site, &ws);
}

#[test]
fn a_body_edit_that_no_other_page_shows_renders_one_page() {
    let site = TestSite::fixture("site");
    let mut ws = Workspace::open(site.options()).unwrap();

    // New words in a paragraph: only the article's own page shows them.
    let path = edit(
        &site,
        "content/feet/foot-spasms.md",
        "Shoes that pinch.",
        "Shoes that pinch, and high heels.",
    );
    let r = ws.apply(std::slice::from_ref(&path)).unwrap();
    assert_eq!(r.pages, 1);
    assert!(
        String::from_utf8_lossy(&served(&ws, "feet/foot-spasms/index.html"))
            .contains("and high heels.")
    );
    assert_same_as_full_build(&site, &ws);

    // Naming a cause in an earlier section moves its anchor, which its cause page links to.
    let path = edit(
        &site,
        "content/feet/foot-spasms.md",
        "Dehydration is the usual suspect.",
        "Dehydration is the usual suspect, peripheral neuropathy another.",
    );
    let r = ws.apply(std::slice::from_ref(&path)).unwrap();
    assert!(r.pages > 1, "only {} page", r.pages);
    assert_same_as_full_build(&site, &ws);

    // A renamed heading: another article links to this one, so the model is built again.
    let path = edit(
        &site,
        "content/feet/foot-spasms.md",
        "### Minerals",
        "### Salts",
    );
    let r = ws.apply(std::slice::from_ref(&path)).unwrap();
    assert!(r.pages > 1, "only {} page", r.pages);
    assert_same_as_full_build(&site, &ws);

    // Another article links to a heading; renaming that heading breaks the link: an error.
    let tb = edit(
        &site,
        "content/lungs/tb.md",
        "[Feet](../feet/foot-spasms.md)",
        "[Feet](../feet/foot-spasms.md#nerve-and-blood-flow-impairments-1)",
    );
    ws.apply(std::slice::from_ref(&tb)).unwrap();
    assert_same_as_full_build(&site, &ws);
    let path = edit(
        &site,
        "content/feet/foot-spasms.md",
        "## Nerve and Blood Flow Impairments\n\nA duplicate heading",
        "## Circulation\n\nA duplicate heading",
    );
    let errors = ws.apply(std::slice::from_ref(&path)).unwrap_err();
    assert!(
        errors[0]
            .message
            .contains("nerve-and-blood-flow-impairments-1"),
        "{errors:?}"
    );
    edit(
        &site,
        "content/feet/foot-spasms.md",
        "## Circulation\n\nA duplicate heading",
        "## Nerve and Blood Flow Impairments\n\nA duplicate heading",
    );
    ws.apply(std::slice::from_ref(&path)).unwrap();
    assert_same_as_full_build(&site, &ws);

    // A link to a heading that does not exist is an error, as in a full build.
    let path = edit(
        &site,
        "content/feet/foot-spasms.md",
        "Shoes that pinch, and high heels.",
        "Shoes that pinch, see [TB](../lungs/tb.md#nowhere).",
    );
    assert!(ws.apply(std::slice::from_ref(&path)).is_err());
    edit(
        &site,
        "content/feet/foot-spasms.md",
        "see [TB](../lungs/tb.md#nowhere).",
        "and flat soles.",
    );
    // The fix is built in full (the failed build left its mark in the caches)...
    ws.apply(std::slice::from_ref(&path)).unwrap();
    assert_same_as_full_build(&site, &ws);
    // ...and the next body edit is quick again.
    let path = edit(
        &site,
        "content/feet/foot-spasms.md",
        "and flat soles.",
        "and flat feet.",
    );
    assert_eq!(ws.apply(std::slice::from_ref(&path)).unwrap().pages, 1);
    assert_same_as_full_build(&site, &ws);
}

#[test]
fn a_body_edit_does_not_hide_another_file_s_error() {
    let site = TestSite::fixture("site");
    let mut ws = Workspace::open(site.options()).unwrap();
    let spasms = edit(
        &site,
        "content/feet/foot-spasms.md",
        "condition: Foot spasms",
        "condition: [unclosed",
    );
    assert!(ws.apply(std::slice::from_ref(&spasms)).is_err());
    // Another article's body changes while the first is still broken: still an error.
    let tb = edit(
        &site,
        "content/lungs/tb.md",
        "People who smoke.",
        "People who smoke a lot.",
    );
    assert!(ws.apply(std::slice::from_ref(&tb)).is_err());
    edit(
        &site,
        "content/feet/foot-spasms.md",
        "condition: [unclosed",
        "condition: Foot spasms",
    );
    ws.apply(&[spasms]).unwrap();
    assert_same_as_full_build(&site, &ws);
}

#[test]
fn a_label_edited_in_the_sites_catalogue_shows_on_every_page() {
    let site = TestSite::fixture("es-site");
    let mut ws = Workspace::open(site.options()).unwrap();
    site.write("i18n/es.yaml", "help_now: \"¿Necesita ayuda ya?\"\n");
    ws.apply(&[site.root().join("i18n/es.yaml")]).unwrap();
    let page = String::from_utf8(
        match ws.get("piernas/calambres-nocturnos/index.html").unwrap() {
            causeway::serve::workspace::Served::Bytes(b) => b.to_vec(),
            _ => unreachable!("pages are rendered"),
        },
    )
    .unwrap();
    assert!(page.contains("¿Necesita ayuda ya?"));
    assert_same_as_full_build(&site, &ws);
}

#[test]
fn a_site_in_several_languages_rebuilds_its_translations_incrementally() {
    let site = TestSite::fixture("multilingual");
    let mut ws = Workspace::open(site.options()).unwrap();
    assert!(ws.get("es/legs/calambres-nocturnos/index.html").is_some());
    assert_same_as_full_build(&site, &ws);

    // A body edit to a translation: only its page and its language's search files.
    let path = edit(
        &site,
        "content/legs/night-cramps.es.md",
        "Estirar la\npierna suele aliviarlos.",
        "Estirar la pierna y caminar un poco suele aliviarlos.",
    );
    let r = ws.apply(&[path]).unwrap();
    assert!(!r.full);
    assert_eq!(r.pages, 1);
    assert!(
        String::from_utf8_lossy(&served(&ws, "es/legs/calambres-nocturnos/index.html"))
            .contains("caminar un poco")
    );
    assert_same_as_full_build(&site, &ws);

    // What a translation's pages show of its front matter: patched into its language's model.
    let path = edit(
        &site,
        "content/legs/night-cramps.es.md",
        "also_known_as: [rampas]",
        "also_known_as: [rampas, calambres de noche]",
    );
    let r = ws.apply(&[path]).unwrap();
    assert!(r.model_patched && !r.full);
    assert!(
        String::from_utf8_lossy(&served(&ws, "es/legs/calambres-nocturnos/index.html"))
            .contains("calambres de noche")
    );
    assert_same_as_full_build(&site, &ws);

    // Front matter of a translation: its own language's pages, no other.
    let path = edit(
        &site,
        "content/legs/night-cramps.ar.md",
        "title: ما الذي يسبب تشنجات الساق ليلًا؟",
        "title: لماذا تتشنج الساق ليلًا؟",
    );
    let r = ws.apply(&[path]).unwrap();
    assert!(!r.full);
    assert!(
        String::from_utf8_lossy(&served(&ws, "ar/causes/الجفاف/index.html"))
            .contains("لماذا تتشنج الساق ليلًا؟")
    );
    assert_same_as_full_build(&site, &ws);

    // A new slug moves the page: every translation's links change with it.
    let path = edit(
        &site,
        "content/legs/night-cramps.es.md",
        "slug: calambres-nocturnos",
        "slug: calambres-de-noche",
    );
    let r = ws.apply(&[path]).unwrap();
    assert!(r.full);
    assert!(
        String::from_utf8_lossy(&served(&ws, "legs/night-cramps/index.html"))
            .contains("/es/legs/calambres-de-noche/")
    );
    assert_same_as_full_build(&site, &ws);

    // A new translation, then its removal.
    site.write(
        "content/hiccups.es.md",
        "---\ntitle: ¿Qué causa el hipo?\ndescription: Por qué se contrae el diafragma.\ncauses:\n  - name: Comer deprisa\n    group: Desencadenantes\n---\n## Desencadenantes\n\nComer deprisa.\n",
    );
    let new = site.root().join("content/hiccups.es.md");
    ws.apply(std::slice::from_ref(&new)).unwrap();
    assert!(ws.get("es/hiccups/index.html").is_some());
    assert!(
        String::from_utf8_lossy(&served(&ws, "hiccups/index.html")).contains("hreflang=\"es\"")
    );
    assert_same_as_full_build(&site, &ws);
    std::fs::remove_file(&new).unwrap();
    ws.apply(&[new]).unwrap();
    assert!(ws.get("es/hiccups/index.html").is_none());
    assert_same_as_full_build(&site, &ws);

    // A file in a language the site does not publish in is an error; the site stays served.
    site.write(
        "content/hiccups.it.md",
        "---\ntitle: Singhiozzo\ndescription: D\n---\n",
    );
    let err = ws
        .apply(&[site.root().join("content/hiccups.it.md")])
        .unwrap_err();
    assert!(format!("{err:?}").contains("`it`"), "{err:?}");
    assert!(ws.get("es/legs/calambres-de-noche/index.html").is_some());
}

#[test]
fn an_edit_to_what_pages_show_of_front_matter_patches_the_model() {
    let site = TestSite::fixture("site");
    let mut ws = Workspace::open(site.options()).unwrap();
    let article = "content/feet/foot-spasms.md";
    let page = "feet/foot-spasms/index.html";

    // Each of these shows on the article's page, in lists, feeds and the search files, and
    // decides nothing else: the model is patched, and the site is still a full build's.
    for (from, to, shown) in [
        (
            "description: Why foot muscles cramp & when to see a doctor.",
            "description: Why the muscles of the foot cramp, and when to get help.",
            "Why the muscles of the foot cramp, and when to get help.",
        ),
        (
            "symptoms: [sudden tightening in the arch, toes curling]",
            "symptoms: [sudden tightening in the arch, toes curling, a hard knot]",
            "a hard knot",
        ),
        (
            "also_known_as: [foot cramps]",
            "also_known_as: [foot cramps, charley horse of the foot]",
            "charley horse of the foot",
        ),
        (
            "Numbness comes with them.",
            "Numbness or tingling comes with them.",
            "Numbness or tingling comes with them.",
        ),
        (
            "condition: Foot spasms",
            "condition: Foot muscle spasms",
            "Foot muscle spasms",
        ),
        (
            "summary: Low fluid upsets the electrolytes that let muscles relax.",
            "summary: Too little fluid upsets the salts that let muscles relax.",
            "Too little fluid upsets the salts that let muscles relax.",
        ),
    ] {
        let path = edit(&site, article, from, to);
        let r = ws.apply(&[path]).unwrap();
        assert!(r.model_patched && !r.full, "{to}: the model was made again");
        assert!(r.pages > 1, "{to}: only {} page rendered", r.pages);
        assert!(
            String::from_utf8_lossy(&served(&ws, page)).contains(shown),
            "{to}: not on the page"
        );
        assert_same_as_full_build(&site, &ws);
    }

    // A tag places the article in lists, a title in their order, a description spread over
    // more lines moves the body: the model is made again, and the site is still a full
    // build's.
    for (from, to) in [
        ("tags: [Feet, muscles]", "tags: [Feet, muscles, cramps]"),
        (
            "title: What Causes Spasms in Your Feet",
            "title: Why Your Feet Spasm",
        ),
        (
            "description: Why the muscles of the foot cramp, and when to get help.",
            "description: >-\n  Why the muscles of the foot cramp,\n  and when to see a doctor.",
        ),
    ] {
        let path = edit(&site, article, from, to);
        let r = ws.apply(&[path]).unwrap();
        assert!(!r.model_patched, "{to}: patched");
        assert_same_as_full_build(&site, &ws);
    }
}

#[test]
fn a_tag_edit_among_the_sites_tags_patches_the_model() {
    let site = TestSite::fixture("site");
    let mut ws = Workspace::open(site.options()).unwrap();
    let article = "content/feet/foot-spasms.md";

    // Joining a tag another article has moves the article between lists that stay: patched,
    // with every page of the tag it joined rendered again.
    let path = edit(
        &site,
        article,
        "tags: [Feet, muscles]",
        "tags: [Feet, muscles, lungs]",
    );
    let r = ws.apply(&[path]).unwrap();
    assert!(
        r.model_patched && !r.full,
        "joining a tag made the model again"
    );
    assert!(
        String::from_utf8_lossy(&served(&ws, "tags/lungs/index.html")).contains("foot-spasms/"),
        "the tag's page does not list the article"
    );
    assert_same_as_full_build(&site, &ws);

    // Leaving it again: patched too.
    let path = edit(
        &site,
        article,
        "tags: [Feet, muscles, lungs]",
        "tags: [muscles, Feet]",
    );
    let r = ws.apply(&[path]).unwrap();
    assert!(r.model_patched, "leaving a tag made the model again");
    assert!(
        !String::from_utf8_lossy(&served(&ws, "tags/lungs/index.html")).contains("foot-spasms/")
    );
    assert_same_as_full_build(&site, &ws);

    // A tag's page that goes, a new tag, a tag's name spelt anew by the article that names
    // it first: the model is made again, and the site is still a full build's.
    for (from, to) in [
        ("tags: [muscles, Feet]", "tags: [Feet]"),
        ("tags: [Feet]", "tags: [Feet, muscles, cramps]"),
        (
            "tags: [Feet, muscles, cramps]",
            "tags: [Feet, muscles, Lungs]",
        ),
    ] {
        let path = edit(&site, article, from, to);
        let r = ws.apply(&[path]).unwrap();
        assert!(!r.model_patched, "{to}: patched");
        assert_same_as_full_build(&site, &ws);
    }
}

#[test]
fn bodies_are_kept_while_their_links_resolve_as_before() {
    let site = TestSite::fixture("site");
    site.write(
        "content/feet/heel-pain.md",
        "---\ntitle: Heel pain\ndescription: D\n---\nSee [TB](../lungs/tb.md#who-is-at-risk) and [the ankle](ankle.md).\n",
    );
    site.write(
        "content/feet/ankle.md",
        "---\ntitle: Ankle pain\ndescription: D\nslug: ankle-pain\n---\nText.\n",
    );
    let mut ws = Workspace::open(site.options()).unwrap();

    // The ankle's page moves: the body that links to it is made again.
    let path = edit(
        &site,
        "content/feet/ankle.md",
        "slug: ankle-pain",
        "slug: ankle-ache",
    );
    ws.apply(&[path]).unwrap();
    let heel = String::from_utf8_lossy(&served(&ws, "feet/heel-pain/index.html")).into_owned();
    assert!(heel.contains("/feet/ankle-ache/"), "{heel}");
    assert_same_as_full_build(&site, &ws);

    // An article that comes first renumbers every other: the kept bodies' links to
    // articles, and the headings their fragments must name, follow.
    let body_of = |ws: &Workspace, rel: &str| {
        let site = ws.site();
        let a = site.articles.iter().find(|a| a.rel == rel).unwrap();
        std::sync::Arc::clone(&a.body)
    };
    let ankle = body_of(&ws, "feet/ankle.md");
    site.write(
        "content/anemia.md",
        "---\ntitle: Anemia\ndescription: D\n---\nSee [the heel](feet/heel-pain.md).\n",
    );
    ws.apply(&[site.root().join("content/anemia.md")]).unwrap();
    assert!(
        std::sync::Arc::ptr_eq(&ankle, &body_of(&ws, "feet/ankle.md")),
        "a body with no links to articles was rendered again"
    );
    assert_same_as_full_build(&site, &ws);

    // A fragment that no longer names a heading is an error again.
    let path = edit(
        &site,
        "content/lungs/tb.md",
        "## Who is at risk",
        "## Who gets it",
    );
    let err = ws.apply(&[path]).unwrap_err();
    assert!(format!("{err:?}").contains("who-is-at-risk"), "{err:?}");
}

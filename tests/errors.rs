//! Broken sites: every error is reported with file, line and column, all in one run, with a
//! non-zero exit and the previous output left as it was.

mod common;

use common::{TestSite, snapshot_tree};

const OK: &str = "---\ntitle: Fine\ndescription: A fine article.\n---\nBody.\n";

fn site_with(files: &[(&str, &str)]) -> TestSite {
    let site = TestSite::empty();
    for (path, text) in files {
        site.write(path, text);
    }
    site
}

fn assert_has(output: &str, needles: &[&str]) {
    for n in needles {
        assert!(output.contains(n), "expected {n:?} in:\n{output}");
    }
}

#[test]
fn every_broken_file_is_reported_in_one_run_and_public_is_untouched() {
    let site = site_with(&[
        ("content/good.md", OK),
        (
            "content/a.md",
            "---\ntitle: A\ndescription: D\ntitel: typo\n---\n",
        ),
        (
            "content/b.md",
            "---\ntitle: B\ndescription: D\ndate: 2026-02-30\n---\n",
        ),
        (
            "content/sub/c.md",
            "---\ndescription: no title\ntags: notalist\n---\n",
        ),
        ("content/d.md", "no front matter at all\n"),
    ]);
    // A previous good build.
    std::fs::create_dir_all(site.public()).unwrap();
    std::fs::write(site.public().join("index.html"), "previous build").unwrap();
    std::fs::write(site.public().join(".causeway-build"), "").unwrap();
    let before = snapshot_tree(&site.public());

    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_has(
        &stderr,
        &[
            "content/a.md:4:1: error[front-matter]: unknown key `titel` (did you mean `title`?)",
            "4 | titel: typo",
            "content/b.md:4:7: error[front-matter]: date: `2026-02-30` is not a real date: February 2026 has 28 days",
            "content/sub/c.md:2:1: error[front-matter]: `title` is required",
            "content/sub/c.md:3:7: error[front-matter]: tags: invalid type: string \"notalist\", expected a sequence",
            "content/d.md:1:1: error[content]: the file must start with front matter",
            "5 errors, 0 warnings in 4 files; nothing was written.",
        ],
    );
    assert!(!stderr.contains("good.md"));
    assert_eq!(
        snapshot_tree(&site.public()),
        before,
        "public/ must be left as it was"
    );
    // No staging folder is left behind.
    assert!(std::fs::read_dir(site.root()).unwrap().all(|e| {
        !e.unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with(".public")
    }));
}

#[test]
fn wrong_types_and_values_in_nested_front_matter() {
    let site = site_with(&[(
        "content/a.md",
        r#"---
title: A
description: D
reviewed: { by: "Dr X", date: 2026-13-01 }
causes:
  - group: No name
see_a_doctor:
  - { text: "Soon", urgency: soonish }
draft: maybe
---
"#,
    )]);
    let out = site.build_err();
    assert_has(
        &out,
        &[
            "content/a.md:4:",
            "has no month 13",
            "content/a.md:6:5: error[front-matter]: causes[0]: missing field `name`",
            "content/a.md:8:",
            "unknown variant `soonish`, expected one of `routine`, `urgent`, `emergency`",
            "content/a.md:9:8: error[front-matter]: draft: invalid type",
        ],
    );
}

#[test]
fn a_yaml_syntax_error_is_positioned_in_the_markdown_file() {
    let site = site_with(&[(
        "content/a.md",
        "---\ntitle: A\ndescription: [unclosed\n---\nBody\n",
    )]);
    let out = site.build_err();
    assert!(out.starts_with("content/a.md:"), "{out}");
    let line: usize = out.split(':').nth(1).unwrap().parse().unwrap();
    assert!((3..=4).contains(&line), "{out}");
}

#[test]
fn links_to_missing_files_and_headings_are_errors_with_lines() {
    let site = site_with(&[
        (
            "content/b.md",
            "---\ntitle: B\ndescription: D\n---\n## Real heading\n",
        ),
        (
            "content/a.md",
            "---\ntitle: A\ndescription: D\n---\nIntro.\n\nSee [gone](gone.md), [b](b.md#fake), [me](#nope)\nand ![pic](missing.png).\n",
        ),
    ]);
    let out = site.build_err();
    assert_has(
        &out,
        &[
            "content/a.md:7:5: error[link]: link `gone.md`: there is no content/gone.md",
            "content/a.md:7:22: error[link]: content/b.md has no heading with id `fake`",
            "content/a.md:7:38: error[link]: no heading with id `nope` in this article",
            "content/a.md:8:5: error[link]: link `missing.png`: there is no content/missing.png",
        ],
    );
}

#[test]
fn unknown_related_articles_and_cause_sections_are_errors() {
    let site = site_with(&[(
        "content/a.md",
        "---\ntitle: A\ndescription: D\ncauses:\n  - name: Dehydration\n    section: nowhere\nrelated:\n  - ghost\n---\n## Here\n",
    )]);
    let out = site.build_err();
    assert_has(
        &out,
        &[
            "content/a.md:6:5: error[content]: cause `Dehydration`: no heading with id `nowhere` in this article (heading ids: here)",
            "content/a.md:8:5: error[content]: related article `ghost` does not exist",
        ],
    );
}

#[test]
fn two_articles_with_one_url_name_both_files() {
    let site = site_with(&[
        (
            "content/a.md",
            "---\ntitle: A\ndescription: D\nslug: same\n---\n",
        ),
        ("content/same.md", OK),
    ]);
    let out = site.build_err();
    assert_has(
        &out,
        &["content/same.md: error[duplicate-url]: the URL /same/ is already used by content/a.md"],
    );
}

#[test]
fn slugs_and_aliases_cannot_leave_the_output_folder() {
    let site = site_with(&[
        (
            "content/a.md",
            "---\ntitle: A\ndescription: D\nslug: ../../etc\n---\n",
        ),
        (
            "content/b.md",
            "---\ntitle: B\ndescription: D\naliases: [/../../escaped/, \"https://evil.example/\", /ok/]\n---\n",
        ),
        ("content/causes.md", "---\ntitle: C\ndescription: D\n---\n"),
    ]);
    let out = site.build_err();
    assert_has(
        &out,
        &[
            "content/a.md:4:7: error[content]: slug `../../etc` may only use lower-case letters",
            "content/b.md:4:",
            "alias `/../../escaped/`: a path may not contain `.` or `..` segments",
            "alias `https://evil.example/`: write a path on this site",
            "content/causes.md:2:1: error[content]: the URL /causes/ is used by the build itself",
        ],
    );
    assert!(!site.root().parent().unwrap().join("escaped").exists());
    assert!(!site.public().exists());
}

#[test]
fn site_yaml_problems_name_their_lines() {
    let site = TestSite::empty();
    site.write(
        "site.yaml",
        "title: T\ndescription: D\nbase_url: not-a-url\nlanguage: en\ntheme: default\ncolour: blue\nmarkdown:\n  unsafe_html: sometimes\n",
    );
    site.write("content/a.md", OK);
    let out = site.build_err();
    assert_has(
        &out,
        &[
            "site.yaml:3:1: error[config]: `not-a-url` is not an absolute URL",
            "site.yaml:6:1: error[config]: unknown key `colour`",
            "site.yaml:8:16: error[config]: markdown.unsafe_html: invalid type",
        ],
    );
}

#[test]
fn template_errors_name_the_template_file_and_line() {
    let site = TestSite::empty();
    site.write("content/a.md", OK);
    site.write("templates/tag.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ tag.name | nosuchfilter }\n{% endblock content %}\n");
    let out = site.build_err();
    assert!(out.starts_with("templates/tag.html:3:"), "{out}");

    let site = TestSite::empty();
    site.write("content/a.md", OK);
    site.write("templates/article.html", "{% extends \"base.html\" %}\n{% block content %}\n\n{{ article.no_such_field }}\n{% endblock content %}\n");
    let out = site.build_err();
    assert!(out.starts_with("templates/article.html:4:"), "{out}");
}

#[test]
fn a_missing_theme_or_template_is_reported() {
    let site = TestSite::empty();
    site.write(
        "site.yaml",
        "title: T\ndescription: D\nbase_url: https://e.org/\nlanguage: en\ntheme: nope\n",
    );
    site.write("content/a.md", OK);
    assert_has(&site.build_err(), &["theme `nope` not found"]);
}

#[test]
fn the_output_folder_cannot_be_a_source_folder() {
    let site = site_with(&[("content/a.md", OK)]);
    for bad in [".", "content", "themes/default"] {
        let out = site.run(&["build", "--output", bad]);
        assert_eq!(out.status.code(), Some(1), "{bad}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("refusing to build into"),
            "{bad}"
        );
    }
    assert!(site.root().join("content/a.md").is_file());
    assert!(
        site.root()
            .join("themes/default/templates/base.html")
            .is_file()
    );
}

#[test]
fn a_link_to_a_draft_is_an_error_unless_drafts_are_built() {
    let site = site_with(&[
        (
            "content/draft.md",
            "---\ntitle: D\ndescription: D\ndraft: true\n---\n",
        ),
        (
            "content/a.md",
            "---\ntitle: A\ndescription: D\n---\nSee [draft](draft.md).\n",
        ),
    ]);
    assert_has(
        &site.build_err(),
        &["content/a.md:5:5: error[link]: link `draft.md` points to a draft"],
    );
    let mut options = site.options();
    options.drafts = true;
    site.build_with(options);
}

#[test]
fn strange_input_never_panics() {
    let cases = [
        "",
        "---",
        "---\n---\n",
        "---\n- a list\n---\n",
        "---\njust a scalar\n---\n",
        "---\n{title: flow, description: mapping}\n---\n",
        "---\ntitle: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n---\n",
        "---\ntitle: \"unterminated\n---\n",
        "---\ntitle: T\ndescription: D\nextra: &a [*a]\n---\n",
        "---\ntitle: T\ndescription: D\n---\n[x](javascript:alert(1)) <script>x</script> [y](%)\n",
        "---\ntitle: T\ndescription: D\n\ttabbed: 1\n---\n",
        "\u{feff}---\r\ntitle: T\r\ndescription: D\r\n---\r\nWindows line endings\r\n",
    ];
    for (i, text) in cases.iter().enumerate() {
        let site = site_with(&[("content/a.md", text)]);
        let result = std::panic::catch_unwind(|| causeway::build(&site.options()));
        assert!(result.is_ok(), "case {i} panicked: {text:?}");
    }
}

/// The YAML mistakes writers make most come with what to write instead.
#[test]
fn common_yaml_mistakes_say_how_to_write_the_line() {
    let site = site_with(&[
        (
            "content/colon.md",
            "---\ntitle: Mint Root Rot: Causes, Symptoms, and Treatment\ndescription: D\n---\n",
        ),
        ("content/tab.md", "---\ntitle: T\n\tdescription: D\n---\n"),
        (
            "content/nested-tab.md",
            "---\ntitle: T\ndescription: D\nreviewed:\n\tby: X\n---\n",
        ),
        (
            "content/string.md",
            "---\ntitle: T\ndescription: D\nsee_a_doctor: Call if it hurts\n---\n",
        ),
        (
            "content/dash.md",
            "---\ntitle: T\ndescription: D\ntags:\n  -feet\n---\n",
        ),
        (
            "content/no-space.md",
            "---\ntitle:Foot spasms\ndescription: D\n---\n",
        ),
        (
            "content/twice.md",
            "---\ntitle: T\ndescription: D\ntitle: U\n---\n",
        ),
        (
            "content/curly.md",
            "---\ntitle: “Hiccups”\ndescription: D\n---\n",
        ),
        (
            "content/curly-colon.md",
            "---\ntitle: “Mint Root Rot: Causes”\ndescription: D\n---\n",
        ),
        (
            "content/ids.md",
            "---\ntitle: T\ndescription: D\n---\n## Shoes\n\nText.\n\n## Footwear {#shoes}\n\n## Shoes again {#own}\n\n## Other {#own}\n",
        ),
    ]);
    let out = site.build_err();
    assert_has(
        &out,
        &[
            "content/colon.md:2:21: error[front-matter]: mapping values are not allowed in this context; a value with `: ` in it must be in quotes: `title: \"Mint Root Rot: Causes, Symptoms, and Treatment\"`",
            "content/tab.md:3:1: error[front-matter]: found a tab character that violates indentation, while scanning a plain scalar; indent with spaces, never tabs: `description: D`",
            "content/nested-tab.md:5:1: error[front-matter]: found character that cannot start any token, while scanning for the next token; indent with spaces, never tabs: `  by: X`",
            "content/string.md:4:15: error[front-matter]: see_a_doctor: invalid type: string \"Call if it hurts\", expected a sequence; this is a list: write each item on its own line after `see_a_doctor:`, starting with `  - `, or in brackets: `see_a_doctor: [\"Call if it hurts\"]`",
            "content/dash.md:5:3: error[front-matter]: tags: invalid type: string \"-feet\", expected a sequence; put a space after `-`: `  - feet`",
            "content/no-space.md:2:7: error[front-matter]: `title:` needs a space after the colon, or YAML reads the line as text: `title: Foot spasms`",
            "content/twice.md:4:1: error[front-matter]: `title` is given twice (first on line 2); keep one",
            "content/curly.md:2:1: error[front-matter]: the value is wrapped in curly quotes, which YAML keeps as part of the text (readers would see them): write straight quotes, `title: \"Hiccups\"`, or none",
            "content/curly-colon.md:2:",
            "curly quotes (“ ” ‘ ’) do not quote a value in YAML; write straight ones: `title: \"Mint Root Rot: Causes\"`",
            "content/ids.md:9:1: error[link]: heading id `shoes` is already the id of the heading on line 5 (\"Shoes\"): links to #shoes would go there; give this heading another {#id}",
            "content/ids.md:13:1: error[link]: heading id `own` is already the id of the heading on line 11 (\"Shoes again\")",
        ],
    );
}

#[test]
fn images_and_authors_that_name_nothing_are_errors_with_lines() {
    let site = site_with(&[
        (
            "content/skin/rash.md",
            "---\ntitle: Rash\ndescription: D\nauthors: [ana, bob]\nimage: { src: missing.png, alt: A rash }\n---\nBody.\n",
        ),
        (
            "content/skin/burn.md",
            "---\ntitle: Burn\ndescription: D\nimage: { src: /images/none.jpg, alt: A burn }\n---\n",
        ),
        (
            "content/skin/itch.md",
            "---\ntitle: Itch\ndescription: D\nimage: { src: diagram.svg, alt: \" \" }\n---\n",
        ),
        (
            "content/skin/sting.md",
            "---\ntitle: Sting\ndescription: D\nimage: { src: \"javascript:alert(1)//x.png\", alt: A sting }\n---\n",
        ),
        ("content/skin/fake.png", "not a png"),
        (
            "content/skin/fake.md",
            "---\ntitle: Fake\ndescription: D\nimage: { src: fake.png, alt: Not really }\n---\n",
        ),
    ]);
    site.append(
        "site.yaml",
        "authors:\n  ana: { name: Ana Ruiz, url: \"javascript:alert(1)\" }\nimage: { src: /images/card.png, alt: Logo }\n",
    );
    let out = site.build_err();
    assert_has(
        &out,
        &[
            "site.yaml:6:1: error[config]: author `ana`: `url` must be a path on the site or an https:// URL",
        ],
    );
    site.write(
        "site.yaml",
        "title: T\ndescription: D\nbase_url: https://example.org/\nlanguage: en\ntheme: default\nauthors:\n  ana: { name: Ana Ruiz }\nimage: { src: /images/card.png, alt: Logo }\n",
    );
    let out = site.build_err();
    assert_has(
        &out,
        &[
            "content/skin/itch.md:4:1: error[front-matter]: `image.alt` must say what the picture shows",
        ],
    );
    // Once the front matter reads, the model's own checks.
    site.write(
        "content/skin/itch.md",
        "---\ntitle: Itch\ndescription: D\nimage: { src: diagram.svg, alt: An itch }\n---\n",
    );
    let out = site.build_err();
    assert_has(
        &out,
        &[
            "content/skin/rash.md:4:16: error[content]: author `bob` is not listed under `authors` in site.yaml (listed: ana)",
            "content/skin/rash.md:5:15: error[content]: image `missing.png`: there is no content/skin/missing.png",
            "content/skin/itch.md:4:15: error[content]: image `diagram.svg`: link previews show PNG, JPEG, WebP, GIF or AVIF images",
            "content/skin/sting.md:4:16: error[content]: image `javascript:alert(1)//x.png`: an image is a file of the site or an https:// URL, not a javascript: link",
        ],
    );
    // Then what only the published files tell: a path no file has, a file that is no image.
    site.write(
        "content/skin/rash.md",
        "---\ntitle: Rash\ndescription: D\nauthors: [ana]\n---\n",
    );
    for f in ["itch", "sting"] {
        site.write(
            &format!("content/skin/{f}.md"),
            "---\ntitle: X\ndescription: D\n---\n",
        );
    }
    let out = site.build_err();
    assert_has(
        &out,
        &[
            "content/skin/burn.md:4:15: error[content]: image `/images/none.jpg`: no file in content/ or static/ is published there",
            "content/skin/fake.md:4:15: error[content]: image `/skin/fake.png`: cannot read its size",
            "site.yaml:8:15: error[config]: image `/images/card.png`: no file in content/ or static/ is published there",
            "8 | image: { src: /images/card.png, alt: Logo }",
        ],
    );
    assert!(!site.public().exists());
}

#[test]
fn names_that_point_nowhere_get_the_nearest_name_that_exists() {
    let site = site_with(&[
        (
            "content/feet/foot-spasms.md",
            "---\ntitle: Foot spasms\ndescription: D\ncauses:\n  - name: Shoes\n    section: tight-shoe\nrelated: [tuberculosis-risks, lungs/tuberculosis-rsk]\n---\nSee [tb](../lungs/tuberculosis-rsk.md#who-is-at-rsk), [here](#tight-shoes) and [far](../lungs/zzz.md).\n\n## Tight shoes\n",
        ),
        (
            "content/lungs/tuberculosis-risk.md",
            "---\ntitle: TB risk\ndescription: D\n---\n## Who is at risk\n\nSee [feet](../feet/foot-spasms.md#tight-shoez).\n",
        ),
    ]);
    let out = site.build_err();
    assert_has(
        &out,
        &[
            "cause `Shoes`: no heading with id `tight-shoe` in this article (did you mean `tight-shoes`?)",
            "related article `tuberculosis-risks` does not exist (did you mean `tuberculosis-risk`?)",
            "related article `lungs/tuberculosis-rsk` does not exist (did you mean `lungs/tuberculosis-risk`?)",
            "link `../lungs/tuberculosis-rsk.md#who-is-at-rsk`: there is no content/lungs/tuberculosis-rsk.md (did you mean `content/lungs/tuberculosis-risk.md`?)",
            "content/feet/foot-spasms.md has no heading with id `tight-shoez` (did you mean `tight-shoes`?)",
        ],
    );
    // Nothing close: no guess.
    assert!(out.contains("there is no content/lungs/zzz.md\n"), "{out}");
}

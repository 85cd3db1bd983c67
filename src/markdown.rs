//! Markdown to HTML with pulldown-cmark: stable heading ids, the text of each heading's
//! section (for linking causes), link rewriting through a resolver, and raw HTML escaped
//! unless the site allows it.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::slug::{fold_words, slugify};
use crate::{control_chars, url_scheme};

/// A heading of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    /// Plain text of the heading.
    pub title: String,
    /// The heading and the text up to the next heading, folded for whole-word matching.
    pub section_words: String,
}

/// What the site does with a link found in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// Leave the destination as written (external links, mail addresses).
    Keep,
    /// Write `url` instead. `article` is the article linked to, if any; its `fragment` must
    /// then be one of that article's heading ids (checked once every article is parsed).
    Rewrite {
        url: String,
        article: Option<usize>,
        fragment: Option<String>,
    },
    /// The link is broken; the message says why.
    Error(String),
}

/// A fragment that must name a heading of another article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorCheck {
    pub line: usize,
    pub column: usize,
    pub target: usize,
    pub fragment: String,
}

/// A problem in the body, positioned in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// A rendered body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub anchor_checks: Vec<AnchorCheck>,
    /// Articles this body links to.
    pub links: Vec<usize>,
    /// `http(s)` links: line, column and URL.
    pub external: Vec<(usize, usize, String)>,
    /// Images with no alternative text: line and column.
    pub missing_alt: Vec<(usize, usize)>,
    pub errors: Vec<BodyError>,
    /// Problems that do not stop the build, such as heading attributes that were dropped.
    pub warnings: Vec<BodyError>,
    pub word_count: usize,
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Maps byte offsets of the body to file lines and columns.
struct LineIndex {
    starts: Vec<usize>,
    first_line: usize,
}

impl LineIndex {
    fn new(text: &str, first_line: usize) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts, first_line }
    }

    fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let col = text[self.starts[line]..offset].chars().count() + 1;
        (self.first_line + line, col)
    }
}

/// Renders `body`, which starts on file line `first_line`. Every link and image destination
/// that is not a bare `#fragment` goes through `resolve`.
pub fn render(
    body: &str,
    first_line: usize,
    unsafe_html: bool,
    resolve: &dyn Fn(&str) -> Resolution,
) -> Rendered {
    let lines = LineIndex::new(body, first_line);
    let mut out = Rendered::default();
    let mut events: Vec<Event> = Vec::new();
    let mut used_ids = UsedIds::default();
    let mut local_fragments: Vec<(usize, usize, String)> = Vec::new();
    // Index in `events` of the heading being read, and its text so far.
    let mut open_heading: Option<(usize, String)> = None;
    let mut section_text = String::new();
    let mut in_code_block = false;
    // Position and alternative text of the image being read.
    let mut open_image: Option<(usize, usize, String)> = None;

    let parser = Parser::new_ext(body, parser_options()).into_offset_iter();
    for (event, range) in parser {
        let event = match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                mut attrs,
            }) => {
                finish_section(&mut out.headings, &mut section_text);
                open_heading = Some((events.len(), String::new()));
                if !unsafe_html && !attrs.is_empty() {
                    // `{onfocus=...}` would become an event handler: only `{#id}` and
                    // `{.class}` pass from Markdown into attributes.
                    let (line, column) = lines.position(body, range.start);
                    let names: Vec<String> =
                        attrs.drain(..).map(|(k, _)| format!("`{k}`")).collect();
                    out.warnings.push(BodyError {
                        line,
                        column,
                        message: format!(
                            "heading attribute {} dropped: only {{#id}} and {{.class}} are allowed \
                             (set markdown.unsafe_html to allow others)",
                            names.join(", ")
                        ),
                    });
                }
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                })
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((at, title)) = open_heading.take() {
                    let title = title.trim().to_string();
                    let Event::Start(Tag::Heading { id, .. }) = &mut events[at] else {
                        unreachable!("heading start was recorded at this index");
                    };
                    let wanted = id.as_deref().map(str::to_string).unwrap_or_else(|| {
                        let s = slugify(&title);
                        if s.is_empty() {
                            "section".to_string()
                        } else {
                            s
                        }
                    });
                    let unique = used_ids.unique(&wanted);
                    *id = Some(CowStr::from(unique.clone()));
                    section_text.push_str(&title);
                    section_text.push(' ');
                    out.headings.push(Heading {
                        level: heading_level(level),
                        id: unique,
                        title,
                        section_words: String::new(),
                    });
                }
                Event::End(TagEnd::Heading(level))
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = rewrite(
                    dest_url,
                    body,
                    &lines,
                    range.start,
                    unsafe_html,
                    resolve,
                    &mut out,
                    &mut local_fragments,
                );
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::End(TagEnd::Image) => {
                if let Some((line, column, alt)) = open_image.take()
                    && alt.trim().is_empty()
                {
                    out.missing_alt.push((line, column));
                }
                Event::End(TagEnd::Image)
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = rewrite(
                    dest_url,
                    body,
                    &lines,
                    range.start,
                    unsafe_html,
                    resolve,
                    &mut out,
                    &mut local_fragments,
                );
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                in_code_block = true;
                Event::Start(Tag::CodeBlock(kind))
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code_block = false;
                Event::End(TagEnd::CodeBlock)
            }
            Event::Start(Tag::HtmlBlock) if !unsafe_html => Event::Start(Tag::Paragraph),
            Event::End(TagEnd::HtmlBlock) if !unsafe_html => Event::End(TagEnd::Paragraph),
            Event::Html(html) | Event::InlineHtml(html) if !unsafe_html => Event::Text(html),
            // pulldown-cmark's checkbox has no accessible name; give it one.
            Event::TaskListMarker(done) => Event::InlineHtml(CowStr::from(if done {
                r#"<input type="checkbox" disabled checked aria-label="Done"> "#
            } else {
                r#"<input type="checkbox" disabled aria-label="Not done"> "#
            })),
            other => other,
        };
        let event = without_controls(event);
        if let Event::Start(Tag::Image { .. }) = &event {
            let (line, column) = lines.position(body, range.start);
            open_image = Some((line, column, String::new()));
        }
        if let Event::Text(text) | Event::Code(text) = &event {
            if let Some((_, _, alt)) = open_image.as_mut() {
                alt.push_str(text);
            }
            if let Some((_, title)) = open_heading.as_mut() {
                title.push_str(text);
            } else {
                section_text.push_str(text);
                section_text.push(' ');
            }
            if !in_code_block {
                out.word_count += text.split_whitespace().count();
            }
        }
        events.push(event);
    }
    finish_section(&mut out.headings, &mut section_text);

    for (line, column, fragment) in local_fragments {
        if !used_ids.used.contains(&fragment) {
            out.errors.push(BodyError {
                line,
                column,
                message: format!("no heading with id `{fragment}` in this article"),
            });
        }
    }
    pulldown_cmark::html::push_html(&mut out.html, events.into_iter());
    out
}

/// Text with each control character that content may not hold replaced by U+FFFD. The
/// file itself cannot hold one, but a character reference can write one (`&#x1b;`), and
/// Markdown decodes references in text, link destinations and titles, code-block info
/// strings and footnote labels.
fn clean(text: CowStr<'_>) -> CowStr<'_> {
    if control_chars::first_forbidden(&text).is_none() {
        return text;
    }
    let cleaned: String = text
        .chars()
        .map(|c| {
            if control_chars::is_forbidden(c) {
                char::REPLACEMENT_CHARACTER
            } else {
                c
            }
        })
        .collect();
    CowStr::from(cleaned)
}

/// [`clean`] applied to every text an event carries.
fn without_controls(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Text(t) => Event::Text(clean(t)),
        Event::Code(t) => Event::Code(clean(t)),
        Event::FootnoteReference(t) => Event::FootnoteReference(clean(t)),
        Event::Start(Tag::FootnoteDefinition(t)) => Event::Start(Tag::FootnoteDefinition(clean(t))),
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(clean(info))))
        }
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: clean(dest_url),
            title: clean(title),
            id: clean(id),
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: clean(dest_url),
            title: clean(title),
            id: clean(id),
        }),
        other => other,
    }
}

/// The heading id a `#fragment` names. Fragments made only of ASCII letters, digits, `-`
/// and `_` are ids as they are (custom `{#Ids}` included); anything else (`#hérédité`,
/// `#Fluid%20pressure`, the way other renderers write them) is slugified like headings are.
pub fn fragment_id(fragment: &str) -> String {
    if fragment
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return fragment.to_string();
    }
    let decoded = percent_decode(fragment);
    slugify(&decoded)
}

/// Decodes `%XX` escapes (invalid ones are left as they are).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Gives the text gathered since the last heading to that heading.
fn finish_section(headings: &mut [Heading], text: &mut String) {
    if let Some(last) = headings.last_mut() {
        last.section_words = fold_words(text);
    }
    text.clear();
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Ids handed out so far, and for each wanted id the next suffix to try, so that many
/// headings with the same text cost linear time rather than quadratic.
#[derive(Default)]
struct UsedIds {
    used: HashSet<String>,
    next_suffix: HashMap<String, usize>,
    /// Candidates tried, for the tests that hold this to linear time.
    probes: usize,
}

impl UsedIds {
    /// `wanted`, or `wanted-1`, `wanted-2`... whichever is free first.
    fn unique(&mut self, wanted: &str) -> String {
        self.probes += 1;
        if self.used.insert(wanted.to_string()) {
            return wanted.to_string();
        }
        let n = self.next_suffix.entry(wanted.to_string()).or_insert(0);
        loop {
            self.probes += 1;
            *n += 1;
            let candidate = format!("{wanted}-{n}");
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn rewrite<'a>(
    dest: CowStr<'a>,
    body: &str,
    lines: &LineIndex,
    offset: usize,
    unsafe_html: bool,
    resolve: &dyn Fn(&str) -> Resolution,
    out: &mut Rendered,
    local_fragments: &mut Vec<(usize, usize, String)>,
) -> CowStr<'a> {
    let (line, column) = lines.position(body, offset);
    if let Some(fragment) = dest.strip_prefix('#') {
        if fragment.is_empty() {
            return dest;
        }
        let id = fragment_id(fragment);
        local_fragments.push((line, column, id.clone()));
        return CowStr::from(format!("#{id}"));
    }
    let scheme = url_scheme::scheme(&dest);
    if !unsafe_html && let Some(refused) = url_scheme::refused(&dest) {
        out.errors.push(BodyError {
            line,
            column,
            message: format!(
                "`{refused}:` links are not allowed: use http, https, mailto, tel or a path \
                 (set markdown.unsafe_html to allow others)"
            ),
        });
        return CowStr::from("#");
    }
    if matches!(scheme.as_deref(), Some("http" | "https")) {
        out.external.push((line, column, dest.to_string()));
    }
    match resolve(&dest) {
        Resolution::Keep => dest,
        Resolution::Rewrite {
            url,
            article,
            fragment,
        } => {
            if let Some(target) = article {
                out.links.push(target);
                if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                    out.anchor_checks.push(AnchorCheck {
                        line,
                        column,
                        target,
                        fragment,
                    });
                }
            }
            CowStr::from(url)
        }
        Resolution::Error(message) => {
            out.errors.push(BodyError {
                line,
                column,
                message,
            });
            dest
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keep(_: &str) -> Resolution {
        Resolution::Keep
    }

    #[test]
    fn heading_ids_are_stable_and_unique() {
        let r = render(
            "# Causes\n\n## Causes\n\n## Own {#custom}\n\n## Who’s at risk?\n",
            1,
            false,
            &keep,
        );
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["causes", "causes-1", "custom", "whos-at-risk"]);
        assert!(r.html.contains(r#"<h2 id="custom">Own</h2>"#), "{}", r.html);
    }

    #[test]
    fn many_identical_headings_take_linear_time() {
        let mut ids = UsedIds::default();
        let mut got = vec![ids.unique("causes-3"), ids.unique("causes-1")];
        got.extend((0..20_000).map(|_| ids.unique("causes")));
        assert_eq!(
            got[..6],
            [
                "causes-3", "causes-1", "causes", "causes-2", "causes-4", "causes-5"
            ]
        );
        assert_eq!(got.last().unwrap(), "causes-20001");
        assert!(ids.probes <= 2 * got.len(), "{} probes", ids.probes);

        let md = "## Causes\n\n".repeat(5_000);
        let r = render(&md, 1, false, &keep);
        assert_eq!(r.headings.len(), 5_000);
        assert_eq!(r.headings[4_999].id, "causes-4999");
    }

    #[test]
    fn heading_attributes_pass_only_as_id_and_class_unless_raw_html_is_on() {
        let md = "## A {#a .b onclick=x data-y=z}\n";
        let r = render(md, 3, false, &keep);
        assert_eq!(r.html, "<h2 id=\"a\" class=\"b\">A</h2>\n");
        assert_eq!((r.warnings[0].line, r.warnings[0].column), (3, 1));
        assert!(r.warnings[0].message.contains("`onclick`, `data-y`"));
        let raw = render(md, 3, true, &keep);
        assert!(raw.html.contains("onclick=\"x\""), "{}", raw.html);
        assert!(raw.warnings.is_empty());
    }

    #[test]
    fn character_references_cannot_write_control_characters() {
        let md = "&#x1b;[2J &#1; `&#x9b;` [a](x&#7;y \"t&#x1b;\") ![b](c.png \"&#8;\")[^&#1;]\n\n```&#27;\ncode\n```\n\n[^&#1;]: note\n";
        let r = render(md, 1, false, &keep);
        assert!(
            !r.html.chars().any(control_chars::is_forbidden),
            "{:?}",
            r.html
        );
        assert!(r.html.contains("\u{fffd}[2J"), "{}", r.html);
    }

    #[test]
    fn sections_hold_text_up_to_the_next_heading() {
        let r = render(
            "Intro about cramps.\n\n## Triggers\n\nLow fluid: dehydration.\n\n## Other\n\nNone.\n",
            1,
            false,
            &keep,
        );
        assert!(r.headings[0].section_words.contains(" dehydration "));
        assert!(!r.headings[1].section_words.contains("dehydration"));
        assert!(!r.headings[0].section_words.contains("cramps"));
    }

    #[test]
    fn raw_html_is_escaped_unless_allowed() {
        let md = "<script>alert(1)</script>\n\nHi <b>x</b>\n";
        let safe = render(md, 1, false, &keep).html;
        assert!(
            !safe.contains("<script>") && !safe.contains("<b>"),
            "{safe}"
        );
        assert!(safe.contains("&lt;script&gt;"));
        let raw = render(md, 1, true, &keep).html;
        assert!(raw.contains("<script>") && raw.contains("<b>"));
    }

    #[test]
    fn links_go_through_the_resolver_with_positions() {
        let resolve = |d: &str| match d {
            "a.md#x" => Resolution::Rewrite {
                url: "/a/#x".into(),
                article: Some(3),
                fragment: Some("x".into()),
            },
            "gone.md" => Resolution::Error("no such article".into()),
            _ => Resolution::Keep,
        };
        let r = render(
            "See [a](a.md#x),\nthen [b](gone.md) and [c](#nowhere) [d](javascript:alert(1)).\n",
            10,
            false,
            &resolve,
        );
        assert!(r.html.contains(r#"href="/a/#x""#));
        assert_eq!(r.anchor_checks[0].target, 3);
        let errs: Vec<_> = r.errors.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(errs, [(11, 6), (11, 37), (11, 23)], "{:?}", r.errors);
        assert!(r.html.contains(r##"href="#""##));
        assert_eq!(r.links, [3]);
    }

    #[test]
    fn fragments_written_as_text_name_slugified_ids() {
        assert_eq!(
            fragment_id("physiological-triggers"),
            "physiological-triggers"
        );
        assert_eq!(fragment_id("MyId_2"), "MyId_2");
        assert_eq!(fragment_id("hérédité"), "heredite");
        assert_eq!(fragment_id("Fluid%20%26%20pressure"), "fluid-pressure");
        let r = render("## Hérédité\n\n[up](#hérédité)\n", 1, false, &keep);
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert!(r.html.contains(r##"href="#heredite""##), "{}", r.html);
    }

    #[test]
    fn images_without_alt_text_and_external_links_are_recorded() {
        let r = render(
            "![](a.png) ![A chart](b.png)\n\n[NHS](https://www.nhs.uk/) [x](mailto:a@b.c)\n",
            5,
            false,
            &keep,
        );
        assert_eq!(r.missing_alt, [(5, 1)]);
        assert_eq!(r.external, [(7, 1, "https://www.nhs.uk/".to_string())]);
    }
}

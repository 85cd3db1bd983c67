//! Markdown to HTML with pulldown-cmark: stable heading ids, the text of each heading's
//! section (for linking causes), link rewriting through a resolver, and raw HTML escaped
//! unless the site allows it.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::slug::{SlugStyle, fold_words, slugify};
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

/// A part of the body as search shows it: the text under a heading, up to the next heading
/// (or, for the part before the first heading, with no heading).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading's id; None for the text before the first heading.
    pub id: Option<String>,
    /// The heading's plain text; empty for the text before the first heading.
    pub heading: String,
    /// The plain text under the heading, spaces collapsed, code blocks left out.
    pub text: String,
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
    /// The text of the body, section by section, for search.
    pub sections: Vec<Section>,
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
    slugs: SlugStyle,
    resolve: &dyn Fn(&str) -> Resolution,
) -> Rendered {
    let mut r = Renderer {
        body,
        lines: LineIndex::new(body, first_line),
        unsafe_html,
        slugs,
        resolve,
        out: Rendered::default(),
        used_ids: UsedIds::default(),
        local_fragments: Vec::new(),
        open_heading: None,
        heading_at: HashMap::new(),
        section_text: String::new(),
        plain: Section {
            id: None,
            heading: String::new(),
            text: String::new(),
        },
        in_code_block: false,
        open_image: None,
    };
    let mut events: Vec<Event> = Vec::new();
    for (event, range) in Parser::new_ext(body, parser_options()).into_offset_iter() {
        let event = without_controls(r.rewrite_event(event, range.start, events.len()));
        r.take_in(&event, range.start);
        if let Event::End(TagEnd::Heading(_)) = event {
            r.name_heading(&mut events);
        }
        events.push(event);
    }
    r.finish(events)
}

/// What [`render`] keeps track of while it reads the events of one body.
struct Renderer<'b> {
    body: &'b str,
    lines: LineIndex,
    unsafe_html: bool,
    /// How heading ids are made from their text.
    slugs: SlugStyle,
    resolve: &'b dyn Fn(&str) -> Resolution,
    out: Rendered,
    used_ids: UsedIds,
    /// `#fragment` links within the body, checked against its heading ids at the end.
    local_fragments: Vec<(usize, usize, String)>,
    /// Index in the events of the heading being read, its text so far, and its offset in
    /// the body.
    open_heading: Option<(usize, String, usize)>,
    /// The line and text of the heading each id was given to, for the error when a `{#id}`
    /// asks for an id another heading has.
    heading_at: HashMap<String, (usize, String)>,
    /// The text of the section being read, from its heading on.
    section_text: String,
    /// The section being read, as search shows it.
    plain: Section,
    in_code_block: bool,
    /// Position and alternative text of the image being read.
    open_image: Option<(usize, usize, String)>,
}

impl<'b> Renderer<'b> {
    /// The event as it goes into the page: attributes checked, destinations resolved, raw
    /// HTML made text unless the site allows it. `index` is where it will stand in the events.
    fn rewrite_event<'a>(&mut self, event: Event<'a>, offset: usize, index: usize) -> Event<'a> {
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                mut attrs,
            }) => {
                finish_section(&mut self.out.headings, &mut self.section_text);
                self.close_plain();
                self.open_heading = Some((index, String::new(), offset));
                if !self.unsafe_html && !attrs.is_empty() {
                    // `{onfocus=...}` would become an event handler: only `{#id}` and
                    // `{.class}` pass from Markdown into attributes.
                    let names: Vec<String> =
                        attrs.drain(..).map(|(k, _)| format!("`{k}`")).collect();
                    self.warn(
                        offset,
                        format!(
                            "heading attribute {} dropped: only {{#id}} and {{.class}} are allowed \
                             (set markdown.unsafe_html to allow others)",
                            names.join(", ")
                        ),
                    );
                }
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                })
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: self.destination(dest_url, offset),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: self.destination(dest_url, offset),
                title,
                id,
            }),
            Event::Start(Tag::HtmlBlock) if !self.unsafe_html => Event::Start(Tag::Paragraph),
            Event::End(TagEnd::HtmlBlock) if !self.unsafe_html => Event::End(TagEnd::Paragraph),
            Event::Html(html) | Event::InlineHtml(html) if !self.unsafe_html => Event::Text(html),
            // pulldown-cmark's checkbox has no accessible name; give it one.
            Event::TaskListMarker(done) => Event::InlineHtml(CowStr::from(if done {
                r#"<input type="checkbox" disabled checked aria-label="Done"> "#
            } else {
                r#"<input type="checkbox" disabled aria-label="Not done"> "#
            })),
            other => other,
        }
    }

    /// Notes what the event adds to the text of headings, sections and image descriptions,
    /// and to the word count.
    fn take_in(&mut self, event: &Event, offset: usize) {
        match event {
            Event::Start(Tag::Image { .. }) => {
                let (line, column) = self.lines.position(self.body, offset);
                self.open_image = Some((line, column, String::new()));
            }
            Event::End(TagEnd::Image) => {
                if let Some((line, column, alt)) = self.open_image.take()
                    && alt.trim().is_empty()
                {
                    self.out.missing_alt.push((line, column));
                }
            }
            Event::Start(Tag::CodeBlock(_)) => self.in_code_block = true,
            Event::End(TagEnd::CodeBlock) => self.in_code_block = false,
            // Where a block or a line ends, words must not run together.
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::BlockQuote(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::FootnoteDefinition
                | TagEnd::HtmlBlock,
            ) => push_collapsed(&mut self.plain.text, " "),
            Event::Text(text) | Event::Code(text) => {
                if self.open_heading.is_none() && !self.in_code_block {
                    push_collapsed(&mut self.plain.text, text);
                }
                if let Some((_, _, alt)) = self.open_image.as_mut() {
                    alt.push_str(text);
                }
                if let Some((_, title, _)) = self.open_heading.as_mut() {
                    title.push_str(text);
                } else {
                    self.section_text.push_str(text);
                    self.section_text.push(' ');
                }
                if !self.in_code_block {
                    self.out.word_count += text.split_whitespace().count();
                }
            }
            _ => {}
        }
    }

    /// At the end of a heading: gives its start event a unique id (its own `{#id}`, else
    /// one made from its text) and records the heading.
    fn name_heading(&mut self, events: &mut [Event]) {
        let Some((at, title, offset)) = self.open_heading.take() else {
            return;
        };
        let title = title.trim().to_string();
        let Event::Start(Tag::Heading { id, level, .. }) = &mut events[at] else {
            unreachable!("heading start was recorded at this index");
        };
        let given = id.is_some();
        let wanted = id.as_deref().map(str::to_string).unwrap_or_else(|| {
            let s = slugify(&title, self.slugs);
            if s.is_empty() {
                "section".to_string()
            } else {
                s
            }
        });
        let (line, column) = self.lines.position(self.body, offset);
        // A `{#id}` is a promise that links to it reach this heading: another heading
        // holding the id already would take them.
        if given && let Some((other, other_title)) = self.heading_at.get(&wanted) {
            let message = format!(
                "heading id `{wanted}` is already the id of the heading on line {other} (\"{other_title}\"): links to #{wanted} would go there; give this heading another {{#id}}"
            );
            self.out.errors.push(BodyError {
                line,
                column,
                message,
            });
        }
        let unique = self.used_ids.unique(&wanted);
        self.heading_at
            .entry(unique.clone())
            .or_insert_with(|| (line, title.clone()));
        *id = Some(CowStr::from(unique.clone()));
        self.section_text.push_str(&title);
        self.section_text.push(' ');
        self.plain.id = Some(unique.clone());
        self.plain.heading = title.clone();
        self.out.headings.push(Heading {
            level: heading_level(*level),
            id: unique,
            title,
            section_words: String::new(),
        });
    }

    /// Ends the section being read (the text before the first heading only if it has any).
    fn close_plain(&mut self) {
        let text = self.plain.text.trim().to_string();
        let section = std::mem::replace(
            &mut self.plain,
            Section {
                id: None,
                heading: String::new(),
                text: String::new(),
            },
        );
        if section.id.is_some() || !text.is_empty() {
            self.out.sections.push(Section { text, ..section });
        }
    }

    fn destination<'a>(&mut self, dest: CowStr<'a>, offset: usize) -> CowStr<'a> {
        rewrite(
            dest,
            self.body,
            &self.lines,
            offset,
            self.unsafe_html,
            self.slugs,
            self.resolve,
            &mut self.out,
            &mut self.local_fragments,
        )
    }

    fn warn(&mut self, offset: usize, message: String) {
        let (line, column) = self.lines.position(self.body, offset);
        self.out.warnings.push(BodyError {
            line,
            column,
            message,
        });
    }

    /// Closes the last section, checks `#fragment` links and writes the HTML.
    fn finish(mut self, events: Vec<Event>) -> Rendered {
        finish_section(&mut self.out.headings, &mut self.section_text);
        self.close_plain();
        for (line, column, fragment) in self.local_fragments {
            if !self.used_ids.used.contains(&fragment) {
                let hint = crate::suggest::hint(
                    &fragment,
                    self.out.headings.iter().map(|h| h.id.as_str()),
                );
                self.out.errors.push(BodyError {
                    line,
                    column,
                    message: format!("no heading with id `{fragment}` in this article{hint}"),
                });
            }
        }
        pulldown_cmark::html::push_html(&mut self.out.html, events.into_iter());
        self.out
    }
}

/// Appends `text` to `out` with each run of white space, across calls too, as one space.
/// (Bodies are long and mostly ASCII with single spaces: those are copied with the words
/// around them, and a byte below 0x80 is taken as its character.)
fn push_collapsed(out: &mut String, text: &str) {
    let b = text.as_bytes();
    // Whether what is written so far ends in a space, or is empty: a space then is dropped.
    let mut after_space = out.is_empty() || out.ends_with(' ');
    let mut from = 0;
    let mut i = 0;
    while i < b.len() {
        let (space, len) = if b[i] < 0x80 {
            if b[i] == b' ' && !after_space {
                after_space = true;
                i += 1;
                continue;
            }
            (b[i].is_ascii_whitespace() || b[i] == 0x0b, 1)
        } else {
            let c = text[i..].chars().next().unwrap_or('\0');
            (c.is_whitespace(), c.len_utf8())
        };
        if space {
            out.push_str(&text[from..i]);
            if !after_space {
                out.push(' ');
                after_space = true;
            }
            from = i + len;
        } else {
            after_space = false;
        }
        i += len;
    }
    out.push_str(&text[from..]);
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
pub fn fragment_id(fragment: &str, slugs: SlugStyle) -> String {
    if fragment
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return fragment.to_string();
    }
    let decoded = percent_decode(fragment);
    slugify(&decoded, slugs)
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
    slugs: SlugStyle,
    resolve: &dyn Fn(&str) -> Resolution,
    out: &mut Rendered,
    local_fragments: &mut Vec<(usize, usize, String)>,
) -> CowStr<'a> {
    let (line, column) = lines.position(body, offset);
    if let Some(fragment) = dest.strip_prefix('#') {
        if fragment.is_empty() {
            return dest;
        }
        let id = fragment_id(fragment, slugs);
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
    fn white_space_of_any_kind_collapses_to_one_space_across_calls() {
        // What `push_collapsed` must equal: split at every white-space character.
        fn reference(out: &mut String, text: &str) {
            for (i, part) in text.split(char::is_whitespace).enumerate() {
                if i > 0 && !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
                out.push_str(part);
            }
        }
        let texts = [
            "",
            " ",
            "plain",
            "  lead",
            "trail  ",
            "a\tb\nc\rd\x0be\x0cf",
            "nbsp\u{a0}here",
            "line\u{2028}sep\u{3000}wide\u{85}next",
            "Ménière’s  \u{1680}x",
            "\u{1c}\u{1f}",
            "é ",
            " ü",
        ];
        for a in texts {
            for b in texts {
                let (mut want, mut got) = (String::new(), String::new());
                for t in [a, b] {
                    reference(&mut want, t);
                    push_collapsed(&mut got, t);
                }
                assert_eq!(got, want, "{a:?} then {b:?}");
            }
        }
    }

    #[test]
    fn the_text_of_each_section_is_kept_plain_for_search() {
        let r = render(
            "Most cramps\nare *harmless*.\n\n## Medicines {#meds}\n\n- Statins,\n- **diuretics**\n\n```\ncode\n```\n\n## Empty\n",
            1,
            false,
            SlugStyle::Unicode,
            &keep,
        );
        let got: Vec<(Option<&str>, &str, &str)> = r
            .sections
            .iter()
            .map(|s| (s.id.as_deref(), s.heading.as_str(), s.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (None, "", "Most cramps are harmless."),
                (Some("meds"), "Medicines", "Statins, diuretics"),
                (Some("empty"), "Empty", ""),
            ]
        );
        assert!(
            render("## Only\n", 1, false, SlugStyle::Unicode, &keep)
                .sections
                .len()
                == 1
        );
    }

    #[test]
    fn heading_ids_are_stable_and_unique() {
        let r = render(
            "# Causes\n\n## Causes\n\n## Own {#custom}\n\n## Who’s at risk?\n",
            1,
            false,
            SlugStyle::Unicode,
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
        let r = render(&md, 1, false, SlugStyle::Unicode, &keep);
        assert_eq!(r.headings.len(), 5_000);
        assert_eq!(r.headings[4_999].id, "causes-4999");
    }

    #[test]
    fn heading_attributes_pass_only_as_id_and_class_unless_raw_html_is_on() {
        let md = "## A {#a .b onclick=x data-y=z}\n";
        let r = render(md, 3, false, SlugStyle::Unicode, &keep);
        assert_eq!(r.html, "<h2 id=\"a\" class=\"b\">A</h2>\n");
        assert_eq!((r.warnings[0].line, r.warnings[0].column), (3, 1));
        assert!(r.warnings[0].message.contains("`onclick`, `data-y`"));
        let raw = render(md, 3, true, SlugStyle::Unicode, &keep);
        assert!(raw.html.contains("onclick=\"x\""), "{}", raw.html);
        assert!(raw.warnings.is_empty());
    }

    #[test]
    fn character_references_cannot_write_control_characters() {
        let md = "&#x1b;[2J &#1; `&#x9b;` [a](x&#7;y \"t&#x1b;\") ![b](c.png \"&#8;\")[^&#1;]\n\n```&#27;\ncode\n```\n\n[^&#1;]: note\n";
        let r = render(md, 1, false, SlugStyle::Unicode, &keep);
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
            SlugStyle::Unicode,
            &keep,
        );
        assert!(r.headings[0].section_words.contains(" dehydration "));
        assert!(!r.headings[1].section_words.contains("dehydration"));
        assert!(!r.headings[0].section_words.contains("cramps"));
    }

    #[test]
    fn raw_html_is_escaped_unless_allowed() {
        let md = "<script>alert(1)</script>\n\nHi <b>x</b>\n";
        let safe = render(md, 1, false, SlugStyle::Unicode, &keep).html;
        assert!(
            !safe.contains("<script>") && !safe.contains("<b>"),
            "{safe}"
        );
        assert!(safe.contains("&lt;script&gt;"));
        let raw = render(md, 1, true, SlugStyle::Unicode, &keep).html;
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
            SlugStyle::Unicode,
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
            fragment_id("physiological-triggers", SlugStyle::Unicode),
            "physiological-triggers"
        );
        assert_eq!(fragment_id("MyId_2", SlugStyle::Unicode), "MyId_2");
        assert_eq!(fragment_id("hérédité", SlugStyle::Unicode), "heredite");
        assert_eq!(
            fragment_id("Fluid%20%26%20pressure", SlugStyle::Unicode),
            "fluid-pressure"
        );
        let r = render(
            "## Hérédité\n\n[up](#hérédité)\n",
            1,
            false,
            SlugStyle::Unicode,
            &keep,
        );
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert!(r.html.contains(r##"href="#heredite""##), "{}", r.html);
    }

    #[test]
    fn images_without_alt_text_and_external_links_are_recorded() {
        let r = render(
            "![](a.png) ![A chart](b.png)\n\n[NHS](https://www.nhs.uk/) [x](mailto:a@b.c)\n",
            5,
            false,
            SlugStyle::Unicode,
            &keep,
        );
        assert_eq!(r.missing_alt, [(5, 1)]);
        assert_eq!(r.external, [(7, 1, "https://www.nhs.uk/".to_string())]);
    }
}

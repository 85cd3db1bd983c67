//! Diagnostics: every problem a build finds, with the file, line and column it comes from.
//!
//! Stages never print; they return diagnostics, and the binary decides how to show them.

use std::fmt::Write as _;

use crate::control_chars::{self, printable};
use std::path::{Path, PathBuf};

/// How bad a problem is. Errors stop the build; warnings are reported and let it go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// The kind of a problem: a short stable name, shown as `error[front-matter]` and given as
/// `code` by `check --format json`, whose consumers match on it. docs/diagnostics.md lists
/// them; [`Code::ALL`] is that list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// `site.yaml` or a command-line setting is missing, mistyped or invalid.
    Config,
    /// A content file or folder cannot become a page: no front matter, a bad slug or folder name, a control character, a `related` entry or alias that names nothing.
    Content,
    /// A front-matter key is unknown, missing or of the wrong type, or a value is invalid.
    FrontMatter,
    /// A link or image in Markdown points at nothing, at a draft, outside `content/`, or uses a scheme that is not allowed.
    Link,
    /// Two articles, or an article and a folder, would have the same URL.
    DuplicateUrl,
    /// Two sources would write the same output file, or one needs as a folder a path another writes as a file.
    PathCollision,
    /// A template does not parse or fails to render.
    Template,
    /// The theme named in `site.yaml` is missing or incomplete.
    Theme,
    /// A file or folder could not be read.
    Io,
    /// The output folder is refused, or a file could not be written.
    Output,
    /// Warning: a heading attribute other than `{#id}` and `{.class}` was dropped.
    HeadingAttribute,
    /// Warning: the medical review's `next` date has passed.
    ReviewOverdue,
    /// Warning (`check`): an article lists causes but no `see_a_doctor` signs.
    NoRedFlags,
    /// Warning (`check`): the writer's own "when to get help" section lists a different
    /// number of signs than `see_a_doctor`.
    RedFlagCount,
    /// Warning (`check`): a cause links to the top of its article, not to a section.
    CauseUnanchored,
    /// Warning (`check`): no other article links to this one.
    Orphan,
    /// Warning (`check`): an image has no alternative text.
    ImageAlt,
    /// Warning (`check`): the article reads above the site's reading grade.
    ReadingLevel,
    /// Warning (`check --external`): an outside link did not answer with success.
    ExternalLink,
}

impl Code {
    /// Every code, in the order docs/diagnostics.md lists them.
    pub const ALL: &[Code] = &[
        Code::Config,
        Code::Content,
        Code::FrontMatter,
        Code::Link,
        Code::DuplicateUrl,
        Code::PathCollision,
        Code::Template,
        Code::Theme,
        Code::Io,
        Code::Output,
        Code::HeadingAttribute,
        Code::ReviewOverdue,
        Code::NoRedFlags,
        Code::RedFlagCount,
        Code::CauseUnanchored,
        Code::Orphan,
        Code::ImageAlt,
        Code::ReadingLevel,
        Code::ExternalLink,
    ];

    /// The name shown and matched on.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Config => "config",
            Code::Content => "content",
            Code::FrontMatter => "front-matter",
            Code::Link => "link",
            Code::DuplicateUrl => "duplicate-url",
            Code::PathCollision => "path-collision",
            Code::Template => "template",
            Code::Theme => "theme",
            Code::Io => "io",
            Code::Output => "output",
            Code::HeadingAttribute => "heading-attribute",
            Code::ReviewOverdue => "review-overdue",
            Code::NoRedFlags => "no-red-flags",
            Code::RedFlagCount => "red-flag-count",
            Code::CauseUnanchored => "cause-unanchored",
            Code::Orphan => "orphan",
            Code::ImageAlt => "image-alt",
            Code::ReadingLevel => "reading-level",
            Code::ExternalLink => "external-link",
        }
    }

    /// What the code means, in a line.
    pub fn meaning(self) -> &'static str {
        match self {
            Code::Config => "`site.yaml` or a command-line setting is missing, mistyped or invalid",
            Code::Content => {
                "a content file or folder cannot become a page: no front matter, a bad slug or folder name, a control character, a `related` entry or alias that names nothing"
            }
            Code::FrontMatter => {
                "a front-matter key is unknown, missing or of the wrong type, or a value is invalid"
            }
            Code::Link => {
                "a link or image in Markdown points at nothing, at a draft, outside `content/`, or uses a scheme that is not allowed"
            }
            Code::DuplicateUrl => {
                "two articles, or an article and a folder, would have the same URL"
            }
            Code::PathCollision => {
                "two sources would write the same output file, or one needs as a folder a path another writes as a file"
            }
            Code::Template => "a template does not parse or fails to render",
            Code::Theme => "the theme named in `site.yaml` is missing or incomplete",
            Code::Io => "a file or folder could not be read",
            Code::Output => "the output folder is refused, or a file could not be written",
            Code::HeadingAttribute => {
                "warning: a heading attribute other than `{#id}` and `{.class}` was dropped"
            }
            Code::ReviewOverdue => "warning: the medical review's `next` date has passed",
            Code::NoRedFlags => {
                "warning (`check`): an article lists causes but no `see_a_doctor` signs"
            }
            Code::RedFlagCount => {
                "warning (`check`): an article's own \"when to see a doctor\" section lists more or fewer signs than `see_a_doctor`"
            }
            Code::CauseUnanchored => {
                "warning (`check`): a cause links to the top of its article, not to a section"
            }
            Code::Orphan => "warning (`check`): no other article links to this one",
            Code::ImageAlt => "warning (`check`): an image has no alternative text",
            Code::ReadingLevel => {
                "warning (`check`): an English article reads above the site's reading grade (`reading.max_grade`, default 8)"
            }
            Code::ExternalLink => {
                "warning (`check --external`): an outside link did not answer with success"
            }
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem at one place.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    /// File the problem is in, relative to the site root where possible.
    pub file: PathBuf,
    /// 1-based line, 0 when the problem is about the file as a whole.
    pub line: usize,
    /// 1-based column, 0 when unknown.
    pub column: usize,
    pub severity: Severity,
    /// The kind of problem.
    pub code: Code,
    pub message: String,
    /// The offending source line, shown under the message.
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// An error about a whole file, or one whose position is not known.
    pub fn error(file: impl Into<PathBuf>, code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            line: 0,
            column: 0,
            severity: Severity::Error,
            code,
            message: message.into(),
            source_line: None,
        }
    }

    /// An error at a position of `source`, the text of `file`; the line is quoted under it.
    pub fn error_at(
        file: impl Into<PathBuf>,
        source: &str,
        line: usize,
        column: usize,
        code: Code,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            line,
            column,
            source_line: source
                .lines()
                .nth(line.wrapping_sub(1))
                .map(|l| l.trim_end().to_string()),
            ..Diagnostic::error(file, code, message)
        }
    }

    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// `file:line:col` (parts that are unknown are left out).
    pub fn location(&self) -> String {
        let file = self.file.display();
        match (self.line, self.column) {
            (0, _) => format!("{file}"),
            (l, 0) => format!("{file}:{l}"),
            (l, c) => format!("{file}:{l}:{c}"),
        }
    }

    /// The form shown on a terminal: `file:line:col: error: message`, the source line and a
    /// caret under the column. `color` adds ANSI colours.
    pub fn render(&self, color: bool) -> String {
        let (label, paint) = match self.severity {
            Severity::Error => ("error", "\x1b[1;31m"),
            Severity::Warning => ("warning", "\x1b[1;33m"),
        };
        let (bold, reset, blue) = if color {
            ("\x1b[1m", "\x1b[0m", "\x1b[1;34m")
        } else {
            ("", "", "")
        };
        let paint = if color { paint } else { "" };
        // Text from content never reaches the terminal as control characters.
        let mut out = format!(
            "{bold}{}{reset}: {paint}{label}[{}]{reset}: {}\n",
            printable(&self.location()),
            self.code,
            printable(&self.message)
        );
        if let Some(src) = &self.source_line {
            let (src, column) = clip(src, self.column);
            let gutter = self.line.to_string();
            let pad = " ".repeat(gutter.len());
            let _ = writeln!(out, "{blue}{gutter} |{reset} {}", printable(&src));
            if column > 0 {
                // Tabs stay tabs so the caret lines up in the terminal.
                let lead: String = src
                    .chars()
                    .take(column - 1)
                    .map(|c| match c {
                        '\t' => "\t".to_string(),
                        c => " ".repeat(control_chars::shown(c).chars().count()),
                    })
                    .collect();
                let _ = writeln!(out, "{blue}{pad} |{reset} {lead}{paint}^{reset}");
            }
        }
        out
    }

    /// Makes the file path relative to `root` when it lies below it.
    pub fn relative_to(mut self, root: &Path) -> Self {
        if let Ok(rel) = self.file.strip_prefix(root) {
            self.file = rel.to_path_buf();
        }
        self
    }
}

/// Shows at most about 100 characters of a long line, around the column: returns the
/// shown text and the column within it.
fn clip(line: &str, column: usize) -> (String, usize) {
    const WIDTH: usize = 100;
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= WIDTH {
        return (line.to_string(), column);
    }
    let start = column.saturating_sub(WIDTH / 3).min(chars.len() - WIDTH);
    let end = start + WIDTH;
    let mut out = String::new();
    let mut col = column.saturating_sub(start);
    if start > 0 {
        out.push('…');
        col += 1;
    }
    out.extend(&chars[start..end]);
    if end < chars.len() {
        out.push('…');
    }
    (out, if column == 0 { 0 } else { col })
}

/// Adds the source line to diagnostics that have a position but no line quoted yet, reading
/// each file (relative to `root`) once.
pub fn quote_sources(diagnostics: &mut [Diagnostic], root: &Path) {
    let mut texts: std::collections::HashMap<PathBuf, String> = std::collections::HashMap::new();
    for d in diagnostics
        .iter_mut()
        .filter(|d| d.line > 0 && d.source_line.is_none())
    {
        let text = texts
            .entry(d.file.clone())
            .or_insert_with(|| std::fs::read_to_string(root.join(&d.file)).unwrap_or_default());
        d.source_line = text
            .lines()
            .nth(d.line - 1)
            .map(|l| l.trim_end().to_string());
    }
}

/// Sorts diagnostics by file and position and drops exact repeats (a broken template
/// fails the same way on every page that uses it).
pub fn tidy(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics.sort();
    diagnostics.dedup();
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_listed_in_the_docs_and_no_other() {
        let doc = include_str!("../docs/diagnostics.md");
        let listed: Vec<&str> = doc
            .lines()
            .filter_map(|l| l.strip_prefix("| `"))
            .filter_map(|l| l.split('`').next())
            .collect();
        let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(listed, codes);
    }

    #[test]
    fn long_lines_are_clipped_around_the_column() {
        let line = format!("{}X{}", "a".repeat(300), "b".repeat(300));
        let d = Diagnostic::error_at("f.md", &line, 1, 301, Code::Link, "here");
        let shown = d.render(false);
        let lines: Vec<&str> = shown.lines().collect();
        assert!(lines[1].chars().count() < 110, "{shown}");
        let caret = lines[2].chars().position(|c| c == '^').unwrap();
        assert_eq!(lines[1].chars().nth(caret), Some('X'));
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let d = Diagnostic::error_at(
            "content/\x1b]0;x\x07.md",
            "a: \x1b[2J\u{9b}1mb\n",
            1,
            11,
            Code::FrontMatter,
            "bad \x1b[31m",
        );
        let shown = d.render(false);
        assert!(!shown.chars().any(control_chars::is_forbidden), "{shown:?}");
        assert!(shown.contains("a: \\u{1b}[2J\\u{9b}1mb"), "{shown}");
        // The caret still stands under the column's character, `b`.
        let lines: Vec<&str> = shown.lines().collect();
        let caret = lines[2].find('^').unwrap();
        assert_eq!(&lines[1][caret..caret + 1], "b", "{shown}");
    }

    #[test]
    fn renders_location_source_and_caret() {
        let d = Diagnostic::error_at(
            "content/a.md",
            "one\n  two: x\n",
            2,
            3,
            Code::FrontMatter,
            "bad",
        );
        assert_eq!(
            d.render(false),
            "content/a.md:2:3: error[front-matter]: bad\n2 |   two: x\n  |   ^\n"
        );
    }
}

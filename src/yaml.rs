//! The one place that knows serde_yaml.
//!
//! `serde_yaml` stops at the first error of a document, but a writer wants to see every mistake
//! in one run. Front matter and `site.yaml` are block mappings with one top-level key per line,
//! so each top-level entry is deserialized on its own, from its own slice of the source: one
//! error per key, each with an exact line and column, plus one error per unknown key.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use serde::de::DeserializeOwned;

/// A problem in a YAML document, positioned in the file that holds it (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// One top-level `key: value` entry and where it stands.
#[derive(Debug, Clone)]
struct Entry {
    key: String,
    /// 1-based line of the key in the file.
    line: usize,
    /// Byte range of the entry (key line and its indented continuation) in the YAML text.
    range: Range<usize>,
    taken: bool,
}

/// A top-level YAML mapping whose values are deserialized key by key.
#[derive(Debug, Clone)]
pub(crate) struct Mapping {
    text: String,
    /// Line of the file on which the YAML text starts (1-based).
    first_line: usize,
    entries: Vec<Entry>,
    errors: Vec<YamlError>,
}

/// Where the keys of a mapping stand, kept after parsing so later checks (an unknown
/// `related` entry, a missing heading id) can point at the right line.
#[derive(Debug, Clone, Default)]
pub struct Locations {
    text: String,
    first_line: usize,
    keys: Vec<(String, usize, Range<usize>)>,
}

impl Mapping {
    /// Checks the whole document's syntax, then finds its top-level keys. `first_line` is the
    /// line of the file where `text` begins, so every position reported is a file position.
    pub(crate) fn parse(text: &str, first_line: usize) -> Result<Mapping, YamlError> {
        check_text(text, first_line)?;
        let mut entries = scan_entries(text, first_line);
        // A key given twice: report the second at its own line, and read the rest key by key
        // as usual (serde_yaml would stop at the first duplicate, hiding every other mistake).
        let mut errors = Vec::new();
        let mut first_lines: HashMap<String, usize> = HashMap::new();
        for entry in &mut entries {
            if entry.key.is_empty() {
                continue;
            }
            if let Some(&first) = first_lines.get(&entry.key) {
                errors.push(YamlError {
                    line: entry.line,
                    column: 1,
                    message: format!(
                        "`{}` is given twice (first on line {first}); keep one",
                        entry.key
                    ),
                });
                entry.taken = true;
            } else {
                first_lines.insert(entry.key.clone(), entry.line);
            }
        }
        if errors.is_empty() {
            let doc: serde_yaml::Value = if text.trim().is_empty() {
                serde_yaml::Value::Mapping(Default::default())
            } else {
                serde_yaml::from_str(text).map_err(|e| to_error(&e, text, first_line))?
            };
            let serde_yaml::Value::Mapping(map) = doc else {
                return Err(YamlError {
                    line: first_line,
                    column: 1,
                    message: "expected `key: value` lines here".into(),
                });
            };
            if entries.len() != map.len() {
                return Err(YamlError {
                    line: first_line,
                    column: 1,
                    message: "write one `key: value` per line, each key at the start of its line"
                        .into(),
                });
            }
            // The line scanner and the parser must agree on every key, or a value would be
            // read under a name the parser never gave it (`title": x`) and silently dropped.
            for (entry, key) in entries.iter().zip(map.keys()) {
                if key.as_str() != Some(entry.key.as_str()) {
                    let read_as = match key {
                        serde_yaml::Value::String(s) => format!("`{s}`"),
                        _ => "something other than a name".to_string(),
                    };
                    return Err(YamlError {
                        line: entry.line,
                        column: 1,
                        message: format!(
                            "this key reads as {read_as}; write a key as a plain name followed by `:`, like `title: ...`"
                        ),
                    });
                }
            }
        }
        Ok(Mapping {
            text: text.to_string(),
            first_line,
            entries,
            errors,
        })
    }

    /// Deserializes the value of `key`, if present. A value of the wrong shape is recorded
    /// as an error (see [`Mapping::finish`]) and gives `None`.
    pub(crate) fn take<T: DeserializeOwned>(&mut self, key: &str) -> Option<T> {
        let entry = self.entries.iter_mut().find(|e| e.key == key)?;
        entry.taken = true;
        let slice = &self.text[entry.range.clone()];
        match serde_yaml::from_str::<BTreeMap<String, T>>(slice) {
            Ok(mut one) => {
                let value = one.remove(key);
                if value.is_none() {
                    self.errors.push(YamlError {
                        line: entry.line,
                        column: 1,
                        message: format!("`{key}` could not be read; write it as `{key}: value`"),
                    });
                }
                value
            }
            Err(e) => {
                let mut error = to_error(&e, slice, entry.line);
                // Errors raised by a value's own checks (an impossible date) come back at the
                // key with no path: point at the value and name the key.
                if (error.line, error.column) == (entry.line, 1) {
                    let first = slice.lines().next().unwrap_or("");
                    if let Some((k, v)) = first.split_once(':')
                        && !v.trim().is_empty()
                    {
                        error.column = k.len() + 2 + (v.len() - v.trim_start().len());
                    }
                }
                if !error.message.starts_with(key) {
                    error.message = format!("{key}: {}", error.message);
                }
                self.errors.push(error);
                None
            }
        }
    }

    /// The keys, in the order written.
    pub(crate) fn keys(&self) -> Vec<String> {
        self.entries.iter().map(|e| e.key.clone()).collect()
    }

    /// Whether the mapping has `key`.
    pub(crate) fn has(&self, key: &str) -> bool {
        self.entries.iter().any(|e| e.key == key)
    }

    /// Records an error at the given key's line (or the start of the document).
    pub(crate) fn error_at(&mut self, key: Option<&str>, message: impl Into<String>) {
        let (line, column) = key
            .and_then(|k| self.entries.iter().find(|e| e.key == k))
            .map(|e| (e.line, 1))
            .unwrap_or((self.first_line, 1));
        self.errors.push(YamlError {
            line,
            column,
            message: message.into(),
        });
    }

    /// Ends parsing: every key not asked for is an error, listing the keys that are allowed.
    pub(crate) fn finish(mut self, allowed: &[&str]) -> (Locations, Vec<YamlError>) {
        for entry in self.entries.iter().filter(|e| !e.taken) {
            let hint = crate::suggest::hint(&entry.key, allowed.iter().copied());
            self.errors.push(YamlError {
                line: entry.line,
                column: 1,
                message: format!(
                    "unknown key `{}`{hint}; allowed keys are {}",
                    entry.key,
                    allowed
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
        self.errors.sort_by_key(|e| (e.line, e.column));
        let locations = Locations {
            keys: self
                .entries
                .iter()
                .map(|e| (e.key.clone(), e.line, e.range.clone()))
                .collect(),
            text: self.text,
            first_line: self.first_line,
        };
        (locations, self.errors)
    }
}

/// Deserializes a whole document in one pass, for the common case of a file without
/// mistakes. None when anything is wrong, or when the document is not written one top-level
/// `key: value` per line: the caller then parses it key by key to report every problem.
pub(crate) fn parse_whole<T: DeserializeOwned>(
    text: &str,
    first_line: usize,
) -> Option<(T, Locations)> {
    check_text(text, first_line).ok()?;
    let entries = scan_entries(text, first_line);
    // Every line that starts an entry starts with its own key, as written (not quoted).
    let block_style = text.lines().all(|line| {
        let first = line.chars().next();
        first.is_none_or(|c| c.is_whitespace() || c == '#' || c == '-')
            || line
                .split_once(':')
                .map(|(k, _)| k.trim().trim_matches(['"', '\'']))
                .is_some_and(|key| !key.is_empty() && line.starts_with(key))
    });
    if !block_style || entries.iter().any(|e| e.key.is_empty()) {
        return None;
    }
    let value = if text.trim().is_empty() {
        serde_yaml::from_str("{}").ok()?
    } else {
        serde_yaml::from_str(text).ok()?
    };
    let locations = Locations {
        keys: entries
            .iter()
            .map(|e| (e.key.clone(), e.line, e.range.clone()))
            .collect(),
        text: text.to_string(),
        first_line,
    };
    Some((value, locations))
}

impl Locations {
    /// The position of `needle` inside the entry of `key`, or of the key itself when the
    /// needle is not found; the document's first line when the key is absent.
    pub fn find(&self, key: &str, needle: Option<&str>) -> (usize, usize) {
        let Some((_, line, range)) = self.keys.iter().find(|(k, _, _)| k == key) else {
            return (self.first_line, 1);
        };
        let block = &self.text[range.clone()];
        if let Some(needle) = needle.filter(|n| !n.is_empty()) {
            // Skip the key itself so that `slug: slug` points at the value.
            let skip = key.len() + 1;
            if let Some(pos) = block.get(skip..).and_then(|b| b.find(needle)) {
                let pos = pos + skip;
                let before = &block[..pos];
                let l = before.matches('\n').count();
                let col = before.rfind('\n').map_or(pos, |nl| pos - nl - 1);
                return (line + l, col + 1);
            }
        }
        (*line, 1)
    }
}

/// How deeply values may nest. Front matter needs a few levels; the YAML parser takes time
/// that grows faster than the depth, so deeper documents are refused before it runs.
pub(crate) const MAX_DEPTH: usize = 64;

/// Refuses, in one linear pass before the parser runs, a document nested deeper than
/// [`MAX_DEPTH`] and escapes that write control characters (`"\x01"`). Levels are counted
/// by indentation, `- ` entries that open a level on the same line, and flow collections
/// (`[`, `{`) outside quoted scalars and comments; odd plain text may count a level too
/// many, never one too few.
fn check_text(text: &str, first_line: usize) -> Result<(), YamlError> {
    let too_deep = |line: usize, column: usize| YamlError {
        line: first_line + line,
        column,
        message: format!(
            "the value is nested more than {MAX_DEPTH} levels deep; front matter and \
             site.yaml need only a few"
        ),
    };
    let mut indents: Vec<usize> = Vec::new();
    let mut flow = 0usize;
    let mut quote: Option<char> = None;
    for (n, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        if !rest.is_empty() && !rest.starts_with('#') {
            while indents.last().is_some_and(|&top| top >= indent) {
                indents.pop();
            }
            indents.push(indent);
            let dashes = rest
                .split_inclusive(' ')
                .take_while(|part| *part == "- " || *part == "-")
                .count();
            if indents.len() + dashes + flow > MAX_DEPTH {
                return Err(too_deep(n, indent + 1));
            }
        }
        let mut escaped = false;
        let mut previous = ' ';
        // The last character on this line that is not a space, None at its start.
        let mut significant: Option<char> = None;
        for (col, c) in line.char_indices() {
            match quote {
                Some('"') if escaped => {
                    escaped = false;
                    if let Some(control) = escaped_control(c, &line[col + c.len_utf8()..]) {
                        return Err(YamlError {
                            line: first_line + n,
                            column: line[..col].chars().count(),
                            message: format!(
                                "`\\{c}` writes the control character {}, which text may not \
                                 hold; remove it",
                                crate::control_chars::name(control)
                            ),
                        });
                    }
                }
                Some('"') if c == '\\' => escaped = true,
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => match c {
                    '#' if previous.is_whitespace() => break,
                    // A quote opens a quoted scalar only where a scalar may start.
                    '"' | '\''
                        if match significant {
                            None => true,
                            Some(':' | '-' | '?') => previous.is_whitespace(),
                            Some(',' | '[' | '{') => flow > 0,
                            Some(_) => false,
                        } =>
                    {
                        quote = Some(c)
                    }
                    '[' | '{' => {
                        flow += 1;
                        if indents.len() + flow > MAX_DEPTH {
                            return Err(too_deep(n, col + 1));
                        }
                    }
                    ']' | '}' => flow = flow.saturating_sub(1),
                    _ => {}
                },
            }
            previous = c;
            if !c.is_whitespace() {
                significant = Some(c);
            }
        }
    }
    Ok(())
}

/// The control character a double-quoted escape writes (`\e`, `\x01`, `\u009b`...), when
/// it is one text may not hold. `rest` is what follows the escape's letter.
fn escaped_control(letter: char, rest: &str) -> Option<char> {
    let hex = |len: usize| {
        rest.get(..len)
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32)
    };
    let c = match letter {
        '0' => '\0',
        'a' => '\x07',
        'b' => '\x08',
        'e' => '\x1b',
        'v' => '\x0b',
        'f' => '\x0c',
        'N' => '\u{85}',
        'x' => hex(2)?,
        'u' => hex(4)?,
        'U' => hex(8)?,
        _ => return None,
    };
    crate::control_chars::is_forbidden(c).then_some(c)
}

/// Finds the top-level entries: lines starting in column 0 with `key:`; indented lines,
/// blank lines and comments belong to the entry above.
fn scan_entries(text: &str, first_line: usize) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let starts_entry = line
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace() && c != '#' && c != '-');
        if starts_entry {
            if let Some(last) = entries.last_mut() {
                last.range.end = offset;
            }
            let key = line
                .split_once(':')
                .map(|(k, _)| k.trim().trim_matches(['"', '\'']).to_string())
                .unwrap_or_default();
            entries.push(Entry {
                key,
                line: first_line + i,
                range: offset..text.len(),
                taken: false,
            });
        }
        offset += line.len();
    }
    entries
}

/// A parser error positioned in the file. The position is worked out from the parser's byte
/// offset into `text`, counting lines at `\n` only: the parser also ends lines at a lone
/// `\r` and at U+2028 and U+2029, which would give lines the file does not have.
fn to_error(e: &serde_yaml::Error, text: &str, first_line: usize) -> YamlError {
    let (line, column) = e
        .location()
        .map(|l| {
            let mut at = l.index().min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let before = &text[..at];
            let line = before.matches('\n').count();
            let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            (first_line + line, column)
        })
        .unwrap_or((first_line, 1));
    // The message's own "at line N column M" counts lines of the YAML block, not of the
    // file: drop it, the diagnostic carries the file position.
    let mut message = e.to_string();
    while let Some(at) = message.find(" at line ") {
        let rest = &message[at + " at line ".len()..];
        let skip = rest
            .find(" column ")
            .map(|c| {
                let after = &rest[c + " column ".len()..];
                c + " column ".len()
                    + after
                        .find(|ch: char| !ch.is_ascii_digit())
                        .unwrap_or(after.len())
            })
            .unwrap_or(rest.len());
        message.replace_range(at..at + " at line ".len() + skip, "");
    }
    let lines: Vec<&str> = text.lines().collect();
    let at = line.saturating_sub(first_line);
    // `title:Foot spasms` reads as text, not as a key, and the parser stumbles a line or more
    // later: point at the line that lacks its space.
    if let Some((i, key, value)) = (lines.iter().take(at + 1).enumerate())
        .find_map(|(i, l)| missing_space_after_colon(l).map(|(k, v)| (i, k, v)))
    {
        let indent = &lines[i][..lines[i].len() - lines[i].trim_start().len()];
        return YamlError {
            line: first_line + i,
            column: indent.chars().count() + key.chars().count() + 2,
            message: format!(
                "`{key}:` needs a space after the colon, or YAML reads the line as text: `{indent}{key}: {value}`"
            ),
        };
    }
    let source = lines.get(at).copied().unwrap_or("");
    // Whether the line before opens a nested value (`reviewed:`), for the indent a tab stood for.
    let nested = (lines[..at.min(lines.len())].iter())
        .rev()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| l.trim_end().ends_with(':'));
    if let Some(advice) = advice(&message, source, nested) {
        message = format!("{message}; {advice}");
    }
    YamlError {
        line,
        column,
        message,
    }
}

/// `key:value` (a key of letters, digits and `_`, or a list item `- key:value`) with no space
/// after the colon: the key and the value as they should be written.
fn missing_space_after_colon(line: &str) -> Option<(&str, &str)> {
    let body = line.trim_start();
    let body = body.strip_prefix("- ").unwrap_or(body);
    let (key, value) = body.split_once(':')?;
    let plain_key = !key.is_empty()
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && key.starts_with(|c: char| c.is_ascii_alphabetic());
    let url = value.starts_with("//");
    (plain_key && !url && !value.is_empty() && !value.starts_with([' ', '\t', ':']))
        .then_some((key, value))
}

/// What to do about the mistakes writers make most, given the parser's message and the line
/// it points at, with the line as it should be written.
fn advice(message: &str, line: &str, nested: bool) -> Option<String> {
    let quoted = |v: &str| format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""));
    if message.starts_with("mapping values are not allowed") {
        let (key, value) = line.split_once(": ")?;
        let value = value.trim();
        if let Some(inner) = curly_quoted(value) {
            return Some(format!(
                "curly quotes (“ ” ‘ ’) do not quote a value in YAML; write straight ones: `{key}: {}`",
                quoted(inner)
            ));
        }
        return (!key.trim().is_empty() && value.contains(": ") && !value.starts_with(['"', '\'']))
            .then(|| {
                format!(
                    "a value with `: ` in it must be in quotes: `{key}: {}`",
                    quoted(value)
                )
            });
    }
    if message.contains("tab character")
        || (line.trim_start_matches(' ').starts_with('\t')
            && message.contains("cannot start any token"))
    {
        let rest = line.trim_start_matches([' ', '\t']);
        let indent = if nested { "  " } else { "" };
        return Some(format!("indent with spaces, never tabs: `{indent}{rest}`"));
    }
    if message.contains("invalid type: string ") && message.ends_with("expected a sequence") {
        let item = line.trim();
        if let Some(word) = item
            .strip_prefix('-')
            .filter(|w| !w.starts_with(' ') && !w.is_empty())
        {
            let indent = &line[..line.len() - line.trim_start().len()];
            return Some(format!("put a space after `-`: `{indent}- {word}`"));
        }
        let (key, value) = line.split_once(':')?;
        let value = value.trim();
        return (!value.is_empty()).then(|| {
            format!(
                "this is a list: write each item on its own line after `{key}:`, starting with `  - `, or in brackets: `{key}: [{}]`",
                quoted(value)
            )
        });
    }
    None
}

/// The text inside curly quotes that wrap a whole value (“...” or ‘...’), as word processors
/// write them; None when the value is not wrapped so.
pub(crate) fn curly_quoted(value: &str) -> Option<&str> {
    let v = value.trim();
    (v.strip_prefix('“').and_then(|r| r.strip_suffix('”')))
        .or_else(|| v.strip_prefix('‘').and_then(|r| r.strip_suffix('’')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advice_quotes_what_it_puts_in_quotes_and_stays_silent_when_unsure() {
        let colon = "mapping values are not allowed in this context";
        assert_eq!(
            advice(colon, r#"title: He said "hi": yes \ no"#, false).as_deref(),
            Some(
                r#"a value with `: ` in it must be in quotes: `title: "He said \"hi\": yes \\ no"`"#
            )
        );
        assert_eq!(
            advice(colon, "title: “Mint Root Rot: Causes”", false).as_deref(),
            Some(
                "curly quotes (“ ” ‘ ’) do not quote a value in YAML; write straight ones: `title: \"Mint Root Rot: Causes\"`"
            )
        );
        // Already quoted, or no `: ` in the value: no advice rather than a wrong one.
        assert_eq!(advice(colon, r#"title: "a: b"#, false), None);
        assert_eq!(advice(colon, "title: a", false), None);
        assert_eq!(
            advice("did not find expected key", "title: a: b", false),
            None
        );
    }

    #[test]
    fn a_key_without_a_space_after_its_colon_is_found() {
        assert_eq!(
            missing_space_after_colon("title:Foot"),
            Some(("title", "Foot"))
        );
        assert_eq!(
            missing_space_after_colon("  - name:Gout"),
            Some(("name", "Gout"))
        );
        for fine in [
            "title: Foot",
            "url: https://a.b",
            "https://a.b",
            "\"a:b\": c",
            "- a",
            "title:",
            "1x:y",
        ] {
            assert_eq!(missing_space_after_colon(fine), None, "{fine}");
        }
    }

    #[test]
    fn every_bad_key_is_reported_with_its_line() {
        let text = "title: A\ncount: nope\ntitel: B\nlist:\n  - 1\n  - x\n";
        let mut m = Mapping::parse(text, 2).unwrap();
        let _: Option<String> = m.take("title");
        let _: Option<u32> = m.take("count");
        let _: Option<Vec<u32>> = m.take("list");
        let (_, errors) = m.finish(&["title", "count", "list"]);
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert_eq!((errors[0].line, errors[0].column), (3, 8));
        assert!(errors[0].message.starts_with("count: invalid type"));
        assert_eq!(errors[1].line, 4);
        assert!(errors[1].message.contains("did you mean `title`"));
        assert_eq!((errors[2].line, errors[2].column), (7, 5));
    }

    #[test]
    fn a_repeated_key_is_reported_at_its_line_and_the_rest_still_checked() {
        let mut m = Mapping::parse("title: T\ncount: x\ntitle: U\n", 2).unwrap();
        let title: Option<String> = m.take("title");
        let _: Option<u32> = m.take("count");
        let (_, errors) = m.finish(&["title", "count"]);
        assert_eq!(title.as_deref(), Some("T"));
        let got: Vec<(usize, &str)> = errors
            .iter()
            .map(|e| (e.line, e.message.as_str()))
            .collect();
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].0 == 3 && got[0].1.starts_with("count: invalid type"));
        assert_eq!(
            got[1],
            (4, "`title` is given twice (first on line 2); keep one")
        );
    }

    #[test]
    fn a_key_the_parser_reads_differently_is_refused_not_dropped() {
        // The parser reads `title"` and `!!str base`; taking `title` must not come back empty.
        for (text, line) in [
            ("base: b\ntitle\": T\n", 3),
            ("!!str base: b\n", 2),
            ("'a''b': x\n", 2),
        ] {
            let err = Mapping::parse(text, 2).unwrap_err();
            assert_eq!(err.line, line, "{text:?}: {err:?}");
            assert!(err.message.starts_with("this key reads as"), "{err:?}");
        }
        let mut m = Mapping::parse("'title': T\n\"base\": b\n", 1).unwrap();
        assert_eq!(m.take::<String>("title").as_deref(), Some("T"));
        assert_eq!(m.take::<String>("base").as_deref(), Some("b"));
        assert!(m.finish(&["title", "base"]).1.is_empty());
    }

    #[test]
    fn deep_nesting_is_refused_in_one_pass_with_its_position() {
        for text in [
            format!("extra: {}\n", "[".repeat(100_000)),
            format!("extra: {}\n", "{a: ".repeat(20_000)),
            format!("extra:\n{}", "- ".repeat(100) + "x\n"),
            (0..100).fold(String::from("extra:\n"), |t, i| {
                t + &" ".repeat(i + 1) + &format!("k{i}:\n")
            }),
        ] {
            let e = Mapping::parse(&text, 5).unwrap_err();
            assert!(e.message.contains("nested more than 64 levels"), "{e:?}");
            assert!(e.line >= 5, "{e:?}");
            assert!(parse_whole::<serde_yaml::Value>(&text, 5).is_none());
        }
        let e = Mapping::parse(&format!("a: 1\nextra: {}\n", "[".repeat(200)), 2).unwrap_err();
        assert_eq!((e.line, e.column), (3, 71));
        // Brackets inside quoted text, and quotes inside plain text, are not levels.
        let fine = format!(
            "title: Who's at risk?\ndescription: \"{}\"\nextra: {{ a: [1, {{ b: 'x[' }}] }}\n",
            "[".repeat(200)
        );
        assert!(Mapping::parse(&fine, 1).is_ok());
        // Deep plain text after an apostrophe is still counted.
        let sneaky = format!("title: it's\nextra: {}\n", "[".repeat(200));
        assert!(Mapping::parse(&sneaky, 1).is_err());
    }

    #[test]
    fn many_keys_take_linear_time_to_check() {
        let text: String = (0..50_000).map(|i| format!("k{i}: {i}\n")).collect();
        let mut m = Mapping::parse(&text, 1).unwrap();
        assert_eq!(m.take::<u32>("k49999"), Some(49_999));
        let twice = format!("{text}k7: again\n");
        let m = Mapping::parse(&twice, 1).unwrap();
        assert_eq!(m.errors.len(), 1);
        assert!(m.errors[0].message.contains("first on line 8"));
    }

    #[test]
    fn syntax_errors_are_positioned_in_the_file() {
        let err = Mapping::parse("title: A\ntags: [a, b\n", 5).unwrap_err();
        assert!(err.line >= 6, "{err:?}");
    }

    #[test]
    fn locations_point_at_values() {
        let text = "title: A\nrelated:\n  - one\n  - two\n";
        let mut m = Mapping::parse(text, 2).unwrap();
        let _: Option<String> = m.take("title");
        let _: Option<Vec<String>> = m.take("related");
        let (loc, errors) = m.finish(&["title", "related"]);
        assert!(errors.is_empty());
        assert_eq!(loc.find("related", Some("two")), (5, 5));
        assert_eq!(loc.find("missing", None), (2, 1));
    }
}

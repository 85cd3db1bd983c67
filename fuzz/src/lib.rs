//! Helpers shared by the fuzz targets: reading a file the way a build reads it, and a check
//! of rendered HTML for markup that could run script.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use causeway::content::Source;

/// Runs rayon on one thread, so a fuzzer started with `-jobs=1` uses one core.
pub fn one_thread() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build_global();
    });
}

/// The number of lines of `text` a diagnostic may point into: lines as an editor counts
/// them, at `\n`.
pub fn lines_of(text: &str) -> usize {
    text.lines().count().max(1)
}

/// A scratch file of this process, for inputs that must go through `read_source`.
fn scratch_file() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("causeway-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("cannot create a scratch folder");
        dir.join("input.md")
    })
}

/// `bytes` as the build reads a Markdown file named `rel` below `content/`: through
/// [`causeway::content::read_source`] (UTF-8 check, byte order mark, line endings).
/// None when the build would refuse the file as unreadable.
pub fn read_as_source(bytes: &[u8], rel: &str) -> Option<Source> {
    let path = scratch_file();
    std::fs::write(path, bytes).expect("cannot write the scratch file");
    causeway::content::read_source(path, PathBuf::from("content").join(rel), rel.to_string()).ok()
}

/// The first markup in `html` that could run script in a browser: an event-handler
/// attribute (`on...=`) on any tag, or an `href` or `src` whose scheme, read as a browser
/// reads it (entities decoded), is not one content may link to. None when the HTML is clean.
pub fn script_capable_markup(html: &str) -> Option<String> {
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<').map(|p| p + i) {
        i = lt + 1;
        if !b.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'/' | b'>') {
            i += 1;
        }
        let tag = &html[lt..i];
        // Attributes, as the HTML tokenizer reads them.
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                break;
            }
            let start = i;
            // A name may start with `=`; it ends at space, `/`, `>` or a later `=`.
            i += 1;
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'/' | b'>' | b'=')
            {
                i += 1;
            }
            let name = html[start..i].to_ascii_lowercase();
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let mut value = String::new();
            if i < b.len() && b[i] == b'=' {
                i += 1;
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                if i < b.len() && matches!(b[i], b'"' | b'\'') {
                    let quote = b[i] as char;
                    let end = html[i + 1..].find(quote).map_or(html.len(), |p| p + i + 1);
                    value = html[i + 1..end].to_string();
                    i = (end + 1).min(b.len());
                } else {
                    let start = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    value = html[start..i].to_string();
                }
            }
            if name.starts_with("on") {
                return Some(format!("{tag} {name}=\"{value}\""));
            }
            if matches!(name.as_str(), "href" | "src")
                && let Some(scheme) = causeway::url_scheme::refused(&decode_entities(&value))
            {
                return Some(format!("{tag} {name}=\"{value}\" (scheme `{scheme}`)"));
            }
        }
    }
    None
}

/// Decodes the character references a browser decodes in an attribute value (numeric ones,
/// and the named ones that matter for reading a scheme).
fn decode_entities(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').filter(|&s| s < 40).and_then(|semi| {
            let entity = &rest[1..semi];
            let c = match entity {
                "amp" => Some('&'),
                "colon" => Some(':'),
                "Tab" => Some('\t'),
                "NewLine" => Some('\n'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "nbsp" => Some('\u{a0}'),
                _ => entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, semi))
        });
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Panics when `text`, a file of the output, holds a control character other than a tab or
/// a line ending: the build refuses them in content and drops any that reach XML.
pub fn assert_no_control_characters(what: &str, text: &str) {
    if let Some(c) = text
        .chars()
        .find(|&c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
    {
        panic!("{what}: control character U+{:04X} in:\n{text}", c as u32);
    }
}

/// Panics with the input's HTML when it holds script-capable markup, so libFuzzer keeps the
/// input as a crash.
pub fn assert_clean(what: &str, html: &str) {
    if let Some(found) = script_capable_markup(html) {
        panic!("{what}: script-capable markup {found}\nin:\n{html}");
    }
}

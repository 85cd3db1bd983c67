//! Helpers shared by the fuzz targets: reading a file the way a build reads it, and the check
//! of rendered HTML the integration tests use.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use causeway::content::Source;

/// The reader of built HTML that the integration tests use, shared so both hold pages to the
/// same rules.
#[path = "../../tests/common/markup.rs"]
mod markup;

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

/// Panics with the input's HTML when it holds markup content must never produce (the
/// reader the integration tests use), so libFuzzer keeps the input as a crash.
pub fn assert_clean(what: &str, html: &str) {
    let found = markup::forbidden(html);
    if !found.is_empty() {
        panic!("{what}: {found:?}\nin:\n{html}");
    }
}

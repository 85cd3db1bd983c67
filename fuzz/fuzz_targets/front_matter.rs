//! Any bytes as a whole Markdown file, through the path the build takes for one file: read
//! (UTF-8, byte order mark, line endings), split into front matter and body, and the front
//! matter parsed as an article's and as a section's. Also the raw text straight into the
//! article parser. Every diagnostic must point into the file.
#![no_main]

use causeway::content::{self, frontmatter};
use causeway::site::{FileParse, parse_file};
use libfuzzer_sys::fuzz_target;

fn check(parse: &FileParse, text: &str) {
    let lines = causeway_fuzz::lines_of(text);
    match parse {
        FileParse::Article {
            body_start,
            body_line,
            ..
        }
        | FileParse::Section {
            body_start,
            body_line,
            ..
        } => {
            // The build slices the body out of the text at this offset.
            assert!(
                text.is_char_boundary(*body_start),
                "body_start {body_start}"
            );
            assert!(*body_line >= 1);
        }
        FileParse::Failed(diagnostics) => {
            assert!(!diagnostics.is_empty(), "a failed parse with no diagnostic");
            for d in diagnostics {
                assert!(
                    d.line >= 1 && d.line <= lines + 1,
                    "diagnostic outside the file ({lines} lines): {d:?}"
                );
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    causeway_fuzz::one_thread();
    let Some(source) = causeway_fuzz::read_as_source(data, "topic/article.md") else {
        return;
    };
    check(&parse_file(&source), &source.text);

    let mut section = source.clone();
    section.rel = "topic/_index.md".into();
    check(&parse_file(&section), &section.text);

    if let Ok(split) = content::split_front_matter(&source.text) {
        let _ = frontmatter::parse_article(split.yaml, split.yaml_line);
    }
    // The whole text as YAML reaches the parser's corners a well-formed file does not.
    if let Err(errors) = frontmatter::parse_article(&source.text, 1) {
        assert!(!errors.is_empty());
    }
});

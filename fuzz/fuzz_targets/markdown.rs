//! Any text through the Markdown renderer, with raw HTML allowed and then refused. With raw
//! HTML refused, the HTML must have no event-handler attribute and no `href` or `src` whose
//! scheme could run script, no control character (of text the build would render), and
//! every reported problem must point into the body.
#![no_main]

use causeway::SlugStyle;
use causeway::markdown::{Resolution, render};
use libfuzzer_sys::fuzz_target;

const FIRST_LINE: usize = 7;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let keep = |_: &str| Resolution::Keep;
    let _ = render(body, FIRST_LINE, true, SlugStyle::Ascii, &keep);
    // The build refuses a file holding a control character before Markdown sees it, so
    // such text is only run through the renderer, not held to the page rules.
    if causeway::control_chars::first_forbidden(body).is_some() {
        return;
    }

    let rendered = render(body, FIRST_LINE, false, SlugStyle::Unicode, &keep);
    causeway_fuzz::assert_clean("markdown with raw HTML refused", &rendered.html);
    let last_line = FIRST_LINE + body.matches('\n').count();
    for e in rendered.errors.iter().chain(&rendered.warnings) {
        assert!(
            (FIRST_LINE..=last_line).contains(&e.line) && e.column >= 1,
            "position outside the body (lines {FIRST_LINE}..={last_line}): {e:?}"
        );
    }
});

//! Any text as `site.yaml`. A refused file gives diagnostics that name it and point into it.
#![no_main]

use std::path::Path;

use causeway::config::Config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Config::parse(text, Path::new("site.yaml")) {
        Ok(config) => {
            // A base URL the build accepted is accepted again as it is.
            assert_eq!(
                causeway::config::normalize_base_url(&config.base_url).as_deref(),
                Ok(config.base_url.as_str())
            );
        }
        Err(diagnostics) => {
            assert!(
                !diagnostics.is_empty(),
                "a refused config with no diagnostic"
            );
            let lines = causeway_fuzz::lines_of(text);
            for d in &diagnostics {
                assert_eq!(d.file, Path::new("site.yaml"));
                assert!(
                    d.line <= lines + 1,
                    "line past the file ({lines} lines): {d:?}"
                );
            }
        }
    }
});

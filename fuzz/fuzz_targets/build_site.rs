//! Any bytes as one article of a small site, built in memory the way `serve` builds it:
//! the model, every page through the default theme, the feeds, alias pages, search shards
//! and cause index. A site that builds has no script-capable markup in any HTML page and no
//! control character in any page or feed.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use causeway::config::Config;
use causeway::content::{Source, Sources};
use causeway::date::Date;
use causeway::render::{self, Theme, context::Summaries};
use causeway::site;
use libfuzzer_sys::fuzz_target;

const SITE_YAML: &str = "title: Fuzz\ndescription: A site built from one input\n\
    base_url: https://example.org/docs/\nlanguage: en\ntheme: default\n\
    markdown:\n  unsafe_html: false\n";

/// Another article, so that links and causes have something to reach.
const OTHER: &str = "---\ntitle: Leg cramps\ndescription: Sudden tight muscles.\n\
    causes:\n  - name: Dehydration\n    section: too-little-water\n---\n\
    ## Too little water\n\nDrink more.\n";

struct Fixed {
    config: Config,
    theme: Mutex<Theme>,
}

fn fixed() -> &'static Fixed {
    static FIXED: OnceLock<Fixed> = OnceLock::new();
    FIXED.get_or_init(|| {
        causeway_fuzz::one_thread();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let config = Config::parse(SITE_YAML, Path::new("site.yaml")).expect("site.yaml");
        let theme = Theme::load(&repo, "default", &["en"]).expect("the default theme loads");
        Fixed {
            config,
            theme: Mutex::new(theme),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let fixed = fixed();
    let Some(article) = causeway_fuzz::read_as_source(data, "topic/article.md") else {
        return;
    };
    let other = Source {
        file: PathBuf::from("content/topic/other.md"),
        rel: "topic/other.md".into(),
        text: OTHER.into(),
    };
    let sources = Sources {
        markdown: vec![article, other],
        assets: Vec::new(),
        fallback: Default::default(),
    };
    let today = Date::parse("2026-11-24").expect("a date");
    let built = site::build(
        fixed.config.clone(),
        &sources,
        false,
        today,
        &mut site::Cache::default(),
    );
    let site = match built {
        Ok(site) => site,
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty(), "a failed build with no diagnostic");
            return;
        }
    };
    let mut theme = fixed.theme.lock().unwrap_or_else(|p| p.into_inner());
    theme.set_site(&site);
    let summaries = Summaries::new(&site, theme.labels(&site.config.language));
    for page in render::plan(&site) {
        // A template error is a diagnostic, not a failure of the build's code.
        if let Ok(bytes) = render::render_page(&site, &theme, &summaries, page) {
            let html = String::from_utf8(bytes).expect("pages are UTF-8");
            let rel = page.output_file(&site);
            causeway_fuzz::assert_clean(&rel, &html);
            causeway_fuzz::assert_no_control_characters(&rel, &html);
        }
    }
    let mut shard_cache = Default::default();
    for (rel, bytes) in causeway::host_files_cached(&site, &mut shard_cache) {
        if rel.ends_with(".html") || rel.ends_with(".xml") || rel.ends_with(".txt") {
            let text = std::str::from_utf8(&bytes).expect("pages and feeds are UTF-8");
            if rel.ends_with(".html") {
                causeway_fuzz::assert_clean(&rel, text);
            }
            causeway_fuzz::assert_no_control_characters(&rel, text);
        }
    }
    causeway::search::write_json(&site, &mut Default::default(), &mut Vec::new()).expect("writing to memory cannot fail");
});

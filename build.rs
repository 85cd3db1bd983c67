//! Embeds the default theme (`themes/default/`) in the binary, so a site needs no theme
//! folder of its own: writes `$OUT_DIR/builtin_theme.rs`, a sorted list of each file's path
//! below the theme and its bytes.

use std::path::{Path, PathBuf};

fn main() {
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    println!("cargo::rerun-if-changed={}", theme.display());
    let mut files = Vec::new();
    collect(&theme, &theme, &mut files);
    files.sort();
    let mut out = String::from("&[\n");
    for (rel, path) in &files {
        out.push_str(&format!(
            "    ({rel:?}, include_bytes!({:?})),\n",
            path.display().to_string()
        ));
    }
    out.push_str("]\n");
    let dest = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(dest.join("builtin_theme.rs"), out).expect("OUT_DIR is writable");
}

/// Every file below `dir` that is not hidden, by its `/`-separated path below `top`.
fn collect(top: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let entry = entry.expect("the theme folder is readable");
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            collect(top, &path, files);
        } else {
            let rel = path.strip_prefix(top).expect("below the theme folder");
            let rel = rel.to_string_lossy().replace('\\', "/");
            files.push((rel, path));
        }
    }
}

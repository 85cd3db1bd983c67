//! Share images: the picture an article (or the site) shows on its page and in link
//! previews (`og:image`, the Twitter card, JSON-LD). Where each is published, and its size,
//! read from the file's header so pages reserve its space and previews know its shape.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::CopiedFrom;
use crate::site::paths::{asset_output_path, normalize_path, percent_encode_path};

/// An image as front matter or `site.yaml` writes it: `{ src: photo.jpg, alt: "..." }`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ImageSpec {
    pub src: String,
    pub alt: String,
}

/// Where an image is published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placed {
    /// A file the build copies: its path below the output folder.
    Published(String),
    /// An `http(s)` URL, used as it is (its size is not known).
    External(String),
}

/// File types link previews show. SVG is not among them: Facebook, X and most messengers
/// ignore it.
const EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "gif", "webp", "avif"];

/// Reads `src` as written in a file of folder `dir` below `content/` (`""` for `site.yaml`,
/// where a relative path starts at the site root). A relative path must name a file in
/// `content/`; a path from the root (`/images/x.png`) may name one in `static/` too, which
/// only [`measure`] can tell.
pub fn place(src: &str, dir: &str, assets: &HashSet<&str>) -> Result<Placed, String> {
    let src = src.trim();
    if src.is_empty() {
        return Err("`image.src` must not be empty".into());
    }
    if let Some(scheme) = crate::url_scheme::scheme(src) {
        return if matches!(scheme.as_str(), "http" | "https") {
            Ok(Placed::External(src.to_string()))
        } else {
            Err(format!(
                "image `{src}`: an image is a file of the site or an https:// URL, not a {scheme}: link"
            ))
        };
    }
    if src.starts_with("//") || src.contains(['?', '#', '\\']) {
        return Err(format!(
            "image `{src}`: write a file path (photo.jpg, /images/photo.jpg) or an https:// URL"
        ));
    }
    let path = crate::markdown::percent_decode(src);
    let extension = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    if !extension.is_some_and(|e| EXTENSIONS.contains(&e.as_str())) {
        return Err(format!(
            "image `{src}`: link previews show PNG, JPEG, WebP, GIF or AVIF images, not this file type"
        ));
    }
    let joined = match path.strip_prefix('/') {
        Some(abs) => normalize_path(abs),
        None if dir.is_empty() => normalize_path(&path),
        None => normalize_path(&format!("{dir}/{path}")),
    }
    .filter(|p| !p.is_empty());
    let Some(joined) = joined else {
        return Err(format!("image `{src}` points outside the site"));
    };
    if assets.contains(joined.as_str()) {
        return Ok(Placed::Published(asset_output_path(&joined)));
    }
    if path.starts_with('/') || dir.is_empty() {
        return Ok(Placed::Published(joined));
    }
    Err(format!(
        "image `{src}`: there is no content/{joined} (a path starting with / is looked for in static/ too)"
    ))
}

/// An image's size in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Size {
    pub width: u32,
    pub height: u32,
}

/// The sizes of the published images `wanted` names, from the files the build copies
/// (`copied`: output path and source file). Each path that is not among them, or whose file
/// is not an image of a type previews show, gives its message.
pub fn measure<'a>(
    wanted: impl IntoIterator<Item = &'a str>,
    copied: &[crate::Copied],
) -> (BTreeMap<String, Size>, Vec<(String, String)>) {
    let by_output: BTreeMap<&str, &CopiedFrom> = copied
        .iter()
        .map(|(rel, from, _)| (rel.as_str(), from))
        .collect();
    let mut sizes = BTreeMap::new();
    let mut problems = Vec::new();
    for path in wanted {
        if sizes.contains_key(path) {
            continue;
        }
        let Some(file) = by_output.get(path) else {
            problems.push((
                path.to_string(),
                format!("image `/{path}`: no file in content/ or static/ is published there"),
            ));
            continue;
        };
        let size = match file {
            CopiedFrom::File(from) => imagesize::size(from),
            CopiedFrom::Builtin(_) => {
                imagesize::blob_size(file.builtin_bytes().unwrap_or_default())
            }
        };
        match size {
            Ok(s) => {
                let size = Size {
                    width: u32::try_from(s.width).unwrap_or(u32::MAX),
                    height: u32::try_from(s.height).unwrap_or(u32::MAX),
                };
                sizes.insert(path.to_string(), size);
            }
            Err(e) => problems.push((
                path.to_string(),
                format!(
                    "image `/{path}`: cannot read its size from {} ({e})",
                    file.shown().display()
                ),
            )),
        }
    }
    (sizes, problems)
}

/// The URL of a placed image below the site root (for a page) or as it is (external).
pub fn url(placed: &Placed, base_path: &str) -> String {
    match placed {
        Placed::Published(path) => format!("{base_path}{}", percent_encode_path(path)),
        Placed::External(url) => url.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_placed_like_links_beside_articles() {
        let assets: HashSet<&str> = ["Skin Care/rash photo.png", "plants/mint.jpg"].into();
        let p = |src: &str, dir: &str| place(src, dir, &assets);
        assert_eq!(
            p("rash%20photo.png", "Skin Care"),
            Ok(Placed::Published("skin-care/rash photo.png".into()))
        );
        assert_eq!(
            p("../plants/mint.jpg", "Skin Care"),
            Ok(Placed::Published("plants/mint.jpg".into()))
        );
        assert_eq!(
            p("/images/card.png", "plants"),
            Ok(Placed::Published("images/card.png".into()))
        );
        assert_eq!(
            p("images/card.PNG", ""),
            Ok(Placed::Published("images/card.PNG".into()))
        );
        assert_eq!(
            p("https://cdn.example.org/a.jpg", "plants"),
            Ok(Placed::External("https://cdn.example.org/a.jpg".into()))
        );
        for (src, says) in [
            ("missing.png", "there is no content/plants/missing.png"),
            ("../../x.png", "outside the site"),
            ("javascript:alert(1)//.png", "not a javascript: link"),
            ("diagram.svg", "not this file type"),
            ("//evil.example/x.png", "write a file path"),
            ("  ", "must not be empty"),
        ] {
            let e = p(src, "plants").unwrap_err();
            assert!(e.contains(says), "{src}: {e}");
        }
    }
}

//! A small reader of built HTML that finds markup content must never produce: event-handler
//! attributes, links whose scheme can run script, JSON-LD that is not JSON, and control
//! characters. It reads tags the way a browser does, attribute by attribute, so a test
//! asserts on what a reader's browser would see.

/// Schemes a link may have (the rest could run script); relative links have none.
const ALLOWED_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// Everything forbidden in `html`, one line each; empty when the page is clean.
pub fn forbidden(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<').map(|p| p + i) {
        i = lt + 1;
        if !bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name_end = html[i..]
            .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            .map_or(html.len(), |p| p + i);
        let name = html[i..name_end].to_ascii_lowercase();
        let (attrs, end) = attributes(html, name_end);
        i = end;
        for (attr, value) in &attrs {
            if attr.starts_with("on") {
                found.push(format!("<{name} {attr}=...>"));
            }
            if matches!(
                attr.as_str(),
                "href" | "src" | "action" | "formaction" | "xlink:href" | "srcdoc"
            ) && let Some(scheme) = scheme(&decode_entities(value))
                && !ALLOWED_SCHEMES.contains(&scheme.as_str())
            {
                found.push(format!("<{name} {attr}=\"{value}\">"));
            }
        }
        if name == "script" {
            let close = html[i..].find("</script").map_or(html.len(), |p| p + i);
            let body = &html[i..close];
            let is_jsonld = attrs
                .iter()
                .any(|(a, v)| a == "type" && v == "application/ld+json");
            let is_import_map = attrs.iter().any(|(a, v)| a == "type" && v == "importmap");
            if is_jsonld && serde_json::from_str::<serde_json::Value>(body).is_err() {
                found.push(format!("JSON-LD that is not JSON: {body}"));
            } else if is_import_map {
                // The build's own map of module links: only paths of the site, as strings.
                let map: Option<serde_json::Value> = serde_json::from_str(body).ok();
                let only_paths = map
                    .as_ref()
                    .and_then(|m| m.get("imports")?.as_object())
                    .is_some_and(|o| {
                        o.iter().all(|(k, v)| {
                            k.starts_with('/')
                                && v.as_str().is_some_and(|v| v.starts_with(k.as_str()))
                        })
                    });
                if !only_paths
                    || map.as_ref().and_then(|m| m.as_object()).map(|o| o.len()) != Some(1)
                {
                    found.push(format!(
                        "import map with more than the site's module links: {body}"
                    ));
                }
            } else if !is_jsonld && !body.trim().is_empty() {
                found.push(format!("inline script: {body}"));
            }
            i = close;
        }
    }
    if let Some(c) = html
        .chars()
        .find(|&c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
    {
        found.push(format!("control character U+{:04X}", c as u32));
    }
    found
}

/// The attributes of a tag whose name ends at `from`, and where the tag ends.
fn attributes(html: &str, from: usize) -> (Vec<(String, String)>, usize) {
    let b = html.as_bytes();
    let mut i = from;
    let mut out = Vec::new();
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() || b[i] == b'>' {
            return (out, (i + 1).min(b.len()));
        }
        let start = i;
        // A name may start with `=` (as a browser reads it); it ends at a space, `/`, `>` or
        // a later `=`.
        i += 1;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
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
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let quote = b[i];
                let end = html[i + 1..]
                    .find(quote as char)
                    .map_or(html.len(), |p| p + i + 1);
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
        out.push((name, value));
    }
}

/// The few entities an attribute needs decoding for a scheme check (`&#106;avascript:`).
fn decode_entities(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';').filter(|&s| s < 40) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "colon" => Some(':'),
            "tab" | "Tab" => Some('\t'),
            "newline" | "NewLine" => Some('\n'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            "quot" => Some('"'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
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

/// The scheme of a URL as a browser reads it, lower-cased; None when relative.
fn scheme(url: &str) -> Option<String> {
    let url: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    let mut chars = scheme.chars();
    (chars.next()?.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then(|| scheme.to_ascii_lowercase())
}

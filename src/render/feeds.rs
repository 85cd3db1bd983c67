//! The files a host and feed readers need: sitemap, Atom feed, robots.txt, alias redirects.

use std::fmt::Write as _;

use crate::site::Site;
use crate::site::paths::percent_encode_path;

use super::{Page, plan};

/// Escapes text for XML and HTML text and attribute values, dropping the characters XML
/// cannot hold (content may not have them; this keeps a feed valid whatever reaches it).
pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{fffe}' || c == '\u{ffff}' => {}
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The most URLs one sitemap file may list (sitemaps.org protocol).
pub const SITEMAP_URLS: usize = 50_000;

/// `sitemap.xml`: every page but the 404, with absolute URLs, sorted, and the last change of
/// articles. A site with more than [`SITEMAP_URLS`] pages gets `sitemap.xml` as a sitemap
/// index of `sitemap-1.xml`, `sitemap-2.xml`... Returns (file name, contents).
pub fn sitemaps(site: &Site) -> Vec<(String, String)> {
    sitemaps_of(site, SITEMAP_URLS)
}

fn sitemaps_of(site: &Site, per_file: usize) -> Vec<(String, String)> {
    type Entry = (
        String,
        Option<crate::date::Date>,
        Vec<crate::site::Counterpart>,
    );
    let mut entries: Vec<Entry> = plan(site)
        .into_iter()
        .filter(|p| *p != Page::NotFound)
        .map(|p| {
            let lastmod = match p {
                Page::Article(i) => site.articles[i].last_change(),
                _ => None,
            };
            (p.path(site), lastmod, p.translations(site))
        })
        .collect();
    let languages = &site.translations.languages;
    let root = escape_xml(&site.config.root_url);
    // Every URL is the base URL followed by the path: sorting paths sorts URLs.
    entries.sort_unstable();
    let base = escape_xml(&site.config.base_url);
    let xhtml = if languages.len() > 1 {
        " xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""
    } else {
        ""
    };
    let urlset = |part: &[Entry]| {
        let mut out = String::with_capacity(64 + part.len() * (base.len() + 64));
        let _ = writeln!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"{xhtml}>"
        );
        for (path, lastmod, translations) in part {
            out.push_str("  <url><loc>");
            out.push_str(&base);
            // Sitemaps take URLs, not IRIs: letters outside ASCII percent-encoded.
            out.push_str(&escape_xml(&percent_encode_path(path)));
            out.push_str("</loc>");
            if let Some(d) = lastmod {
                let _ = write!(out, "<lastmod>{d}</lastmod>");
            }
            // Every translation, this page's own included, as search engines ask.
            for (lang, path) in translations {
                let href = format!("{root}{}", escape_xml(&percent_encode_path(path)));
                let tag = escape_xml(&languages[*lang].0);
                let _ = write!(
                    out,
                    "<xhtml:link rel=\"alternate\" hreflang=\"{tag}\" href=\"{href}\"/>"
                );
                if *lang == 0 {
                    let _ = write!(
                        out,
                        "<xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{href}\"/>"
                    );
                }
            }
            out.push_str("</url>\n");
        }
        out.push_str("</urlset>\n");
        out
    };
    if entries.len() <= per_file {
        return vec![("sitemap.xml".into(), urlset(&entries))];
    }
    let mut files = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (n, part) in entries.chunks(per_file).enumerate() {
        let name = format!("sitemap-{}.xml", n + 1);
        let _ = writeln!(index, "  <sitemap><loc>{base}{name}</loc></sitemap>");
        files.push((name, urlset(part)));
    }
    index.push_str("</sitemapindex>\n");
    files.insert(0, ("sitemap.xml".into(), index));
    files
}

/// `atom.xml`: the 20 most recently changed articles.
pub fn atom(site: &Site) -> String {
    let newest_first = |a: &&crate::site::Article, b: &&crate::site::Article| {
        b.last_change()
            .cmp(&a.last_change())
            .then_with(|| a.path.cmp(&b.path))
    };
    let mut articles: Vec<&crate::site::Article> = site.articles.iter().collect();
    if articles.len() > 20 {
        articles.select_nth_unstable_by(19, newest_first);
        articles.truncate(20);
    }
    articles.sort_by(newest_first);
    let stamp = |d: Option<crate::date::Date>| {
        format!(
            "{}T00:00:00Z",
            d.map_or("1970-01-01".to_string(), |d| d.to_string())
        )
    };
    let c = &site.config;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        escape_xml(&c.language)
    );
    let _ = writeln!(out, "  <title>{}</title>", escape_xml(&c.title));
    let _ = writeln!(out, "  <subtitle>{}</subtitle>", escape_xml(&c.description));
    let _ = writeln!(
        out,
        "  <link href=\"{}\" rel=\"self\" type=\"application/atom+xml\"/>",
        escape_xml(&site.permalink("atom.xml"))
    );
    let _ = writeln!(out, "  <link href=\"{}\"/>", escape_xml(&c.base_url));
    let _ = writeln!(out, "  <id>{}</id>", escape_xml(&c.base_url));
    let _ = writeln!(
        out,
        "  <updated>{}</updated>",
        stamp(articles.first().and_then(|a| a.last_change()))
    );
    let _ = writeln!(out, "  <generator>Causeway</generator>");
    for a in articles {
        let url = escape_xml(&site.permalink(&a.path));
        out.push_str("  <entry>\n");
        let _ = writeln!(out, "    <title>{}</title>", escape_xml(&a.fm.title));
        let _ = writeln!(out, "    <link href=\"{url}\"/>");
        let _ = writeln!(out, "    <id>{url}</id>");
        if let Some(d) = a.fm.date {
            let _ = writeln!(out, "    <published>{}</published>", stamp(Some(d)));
        }
        let _ = writeln!(out, "    <updated>{}</updated>", stamp(a.last_change()));
        // The writers, else the site; a medical reviewer is not an author.
        let authors = crate::render::context::authors(site, a);
        let names: Vec<&str> = if authors.is_empty() {
            vec![c.title.as_str()]
        } else {
            authors.iter().map(|au| au.name.as_str()).collect()
        };
        for name in names {
            let _ = writeln!(
                out,
                "    <author><name>{}</name></author>",
                escape_xml(name)
            );
        }
        let _ = writeln!(
            out,
            "    <summary>{}</summary>",
            escape_xml(&a.fm.description)
        );
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// `robots.txt`, pointing at the sitemap of each language (`sites`, the default first).
pub fn robots(sites: &[&Site]) -> String {
    let mut out = String::from("User-agent: *\nAllow: /\n\n");
    for site in sites {
        let _ = writeln!(out, "Sitemap: {}", site.permalink("sitemap.xml"));
    }
    out
}

/// A redirect page for an old URL: meta refresh, canonical link, and a plain link.
pub fn alias_page(site: &Site, target_path: &str, title: &str) -> String {
    let url = escape_xml(&site.url(target_path));
    let permalink = escape_xml(&site.permalink(target_path));
    let title = escape_xml(title);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
         <link rel=\"canonical\" href=\"{permalink}\">\n<meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n\
         <p>This page has moved to <a href=\"{url}\">{title}</a>.</p>\n</body>\n</html>\n",
        lang = escape_xml(&site.config.language),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_site::{article, site};

    #[test]
    fn a_large_sitemap_is_split_under_an_index() {
        let articles: Vec<(String, String)> = (0..5)
            .map(|i| {
                (
                    format!("a{i}.md"),
                    article(&format!("A{i}"), "2026-11-02", &["Stress"], ""),
                )
            })
            .collect();
        let site = site(&articles, "");
        let whole = sitemaps_of(&site, 100);
        assert_eq!(whole.len(), 1);
        let urls = |xml: &str| -> Vec<String> {
            xml.split("<loc>")
                .skip(1)
                .map(|s| s[..s.find("</loc>").unwrap()].to_string())
                .collect()
        };
        let all = urls(&whole[0].1);
        // Home, five articles, the causes and tags lists, one cause, the search page.
        assert_eq!(all.len(), 10, "{all:?}");
        let split = sitemaps_of(&site, 4);
        let names: Vec<&str> = split.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap.xml",
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml"
            ]
        );
        assert!(split[0].1.contains("<sitemapindex"));
        assert_eq!(
            urls(&split[0].1),
            [
                "https://example.org/sitemap-1.xml",
                "https://example.org/sitemap-2.xml",
                "https://example.org/sitemap-3.xml"
            ]
        );
        let parts: Vec<String> = split[1..].iter().flat_map(|(_, xml)| urls(xml)).collect();
        assert_eq!(parts, all);
        assert!(
            split[1..]
                .iter()
                .all(|(_, xml)| urls(xml).len() <= 4 && xml.contains("<urlset"))
        );
    }
}

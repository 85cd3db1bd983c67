//! The files a host and feed readers need: sitemap, Atom feed, robots.txt, alias redirects.

use std::fmt::Write as _;

use crate::site::Site;

use super::{Page, plan};

/// Escapes text for XML and HTML text and attribute values.
pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
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

/// `sitemap.xml`: every page but the 404, with absolute URLs and the last change of articles.
pub fn sitemap(site: &Site) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut entries: Vec<(String, Option<String>)> = plan(site)
        .into_iter()
        .filter(|p| *p != Page::NotFound)
        .map(|p| {
            let lastmod = match p {
                Page::Article(i) => site.articles[i].last_change().map(|d| d.to_string()),
                _ => None,
            };
            (site.permalink(&p.path(site)), lastmod)
        })
        .collect();
    entries.sort();
    for (loc, lastmod) in entries {
        let _ = write!(out, "  <url><loc>{}</loc>", escape_xml(&loc));
        if let Some(d) = lastmod {
            let _ = write!(out, "<lastmod>{d}</lastmod>");
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
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
        if let Some(r) = &a.fm.reviewed {
            let _ = writeln!(
                out,
                "    <author><name>{}</name></author>",
                escape_xml(&r.by)
            );
        } else {
            let _ = writeln!(
                out,
                "    <author><name>{}</name></author>",
                escape_xml(&c.title)
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

/// `robots.txt`, pointing at the sitemap.
pub fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        site.permalink("sitemap.xml")
    )
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

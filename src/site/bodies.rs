//! Stage 3: the Markdown of every article and section, in parallel, with links resolved, and
//! what each article's own file determines beyond it (where its causes point, its tag slugs).
//! A rendered body stays valid while every link in it resolves the same way.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::links::LinkTargets;
use super::parse::{Gathered, Parsed};
use super::paths::{folder_path, section_folder};
use super::urls::Placed;
use super::{Derived, Revision};
use crate::config::Config;
use crate::content::frontmatter::FrontMatter;
use crate::content::{Source, Sources};
use crate::diagnostics::{Code, Diagnostic};
use crate::markdown::{self, Heading, Resolution};
use crate::slug::{SlugStyle, fold_words, slugify};
use crate::yaml::Locations;

/// Each link of a body, as written, and what it resolved to.
type Links = Vec<(String, Resolution)>;

/// Rendered bodies kept between builds, valid for one set of link targets.
#[derive(Debug, Default)]
pub(super) struct BodyCache {
    pub(super) markdown: FxHashMap<String, Arc<markdown::Rendered>>,
    pub(super) derived: FxHashMap<String, (Arc<Derived>, Revision)>,
    /// Each link of each body in `markdown` and what it resolved to, so that a body whose
    /// links all resolve as before stays when the targets change (an article added
    /// elsewhere). A body without one is made again then.
    pub(super) links: FxHashMap<String, Links>,
    /// Whether to keep `links`: only a cache kept between builds needs them.
    pub(super) keep_links: bool,
    /// What every link resolves against; it and `markdown` are valid for `targets_key`.
    targets_key: u64,
    pub(super) targets: Option<LinkTargets>,
}

impl BodyCache {
    pub(super) fn forget(&mut self, rel: &str) {
        self.markdown.remove(rel);
        self.derived.remove(rel);
        self.links.remove(rel);
    }

    /// Takes in new link targets: keeps each body whose every link resolves to the same
    /// place (its links to articles renumbered), drops the others.
    fn retarget(&mut self, targets: LinkTargets, key: u64) {
        let BodyCache {
            markdown, links, ..
        } = self;
        markdown.retain(|rel, body| {
            let Some(record) = links.get_mut(rel) else {
                return false;
            };
            let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
            let mut moved: FxHashMap<usize, usize> = FxHashMap::default();
            for (dest, was) in record.iter_mut() {
                let now = targets.resolve(dir, dest);
                match (&*was, &now) {
                    (Resolution::Keep, Resolution::Keep) => {}
                    (
                        Resolution::Rewrite {
                            url: a,
                            article: x,
                            fragment: f,
                        },
                        Resolution::Rewrite {
                            url: b,
                            article: y,
                            fragment: g,
                        },
                    ) if a == b && f == g && x.is_some() == y.is_some() => {
                        if let (Some(x), Some(y)) = (*x, *y) {
                            moved.insert(x, y);
                        }
                    }
                    _ => return false,
                }
                *was = now;
            }
            if moved.iter().any(|(x, y)| x != y) {
                let mut renumbered = (**body).clone();
                let at = |i: &mut usize| *i = moved.get(i).copied().unwrap_or(*i);
                renumbered.links.iter_mut().for_each(at);
                renumbered
                    .anchor_checks
                    .iter_mut()
                    .for_each(|c| at(&mut c.target));
                *body = Arc::new(renumbered);
            }
            true
        });
        self.derived.retain(|rel, _| markdown.contains_key(rel));
        links.retain(|rel, _| markdown.contains_key(rel));
        self.targets = Some(targets);
        self.targets_key = key;
    }
}

/// Each article's rendered body and derived facts, in the order of `Placed::articles`, and
/// the warnings of every body.
pub(super) struct Bodies {
    pub(super) articles: Vec<(Arc<markdown::Rendered>, Arc<Derived>, Revision)>,
    pub(super) warnings: Vec<Diagnostic>,
}

/// Renders what the cache does not hold, checks links between articles, and gives each
/// section its intro.
pub(super) fn render(
    config: &Config,
    sources: &Sources,
    placed: &mut Placed,
    gathered: &Gathered,
    cache: &mut BodyCache,
    errors: &mut Vec<Diagnostic>,
) -> Bodies {
    let key = targets_key(config, sources, &placed.articles, gathered);
    if cache.targets_key != key {
        let targets = link_targets(config, sources, &placed.articles, gathered);
        cache.retarget(targets, key);
    }
    let BodyCache {
        markdown: markdown_cache,
        derived: derived_cache,
        links: links_cache,
        keep_links,
        targets,
        ..
    } = cache;
    let keep_links = *keep_links;
    let cached = |rel: &str| {
        markdown_cache.contains_key(rel)
            && (rel.ends_with("_index.md") || derived_cache.contains_key(rel))
    };
    // The link targets are only needed when something must be rendered again.
    let needed = placed.articles.iter().any(|(_, a)| !cached(&a.source.rel))
        || gathered.sections.iter().any(|s| !cached(&s.source.rel));
    if needed && targets.is_none() {
        *targets = Some(link_targets(config, sources, &placed.articles, gathered));
    }
    let targets = &*targets;
    let (unsafe_html, slugs) = (config.markdown.unsafe_html, config.slugs);
    // A body and each of its links with what it resolved to.
    let render_body = |rel: &str, body: &str, line: usize| {
        let targets = targets
            .as_ref()
            .expect("link targets are built when rendering is needed");
        let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
        let seen = std::cell::RefCell::new(Vec::new());
        let rendered = markdown::render(body, line, unsafe_html, slugs, &|dest| {
            let resolution = targets.resolve(dir, dest);
            if keep_links {
                seen.borrow_mut()
                    .push((dest.to_string(), resolution.clone()));
            }
            resolution
        });
        (rendered, seen.into_inner())
    };
    type Made = (Arc<markdown::Rendered>, Arc<Derived>, Revision);
    let made: Vec<(Made, Option<Links>)> = placed
        .articles
        .par_iter()
        .map(|(_, a)| {
            if let (Some(r), Some((d, revision))) = (
                markdown_cache.get(&a.source.rel),
                derived_cache.get(&a.source.rel),
            ) {
                return ((r.clone(), d.clone(), *revision), None);
            }
            let (mut r, links) = render_body(&a.source.rel, a.body, a.body_line);
            let d = derive(&a.fm, &a.locations, &r, slugs);
            // The folded section texts served only to place causes: free them.
            r.headings
                .iter_mut()
                .for_each(|h| h.section_words = String::new());
            ((Arc::new(r), Arc::new(d), Revision::next()), Some(links))
        })
        .collect();
    let mut prepared = Vec::with_capacity(made.len());
    for ((_, a), (made, links)) in placed.articles.iter().zip(made) {
        if let Some(links) = links.filter(|_| keep_links) {
            links_cache.insert(a.source.rel.clone(), links);
        }
        prepared.push(made);
    }
    let mut warnings = Vec::new();
    for s in &gathered.sections {
        let r = match markdown_cache.get(&s.source.rel) {
            Some(r) => r.clone(),
            None => {
                let (r, links) = render_body(&s.source.rel, s.body, s.body_line);
                if keep_links {
                    links_cache.insert(s.source.rel.clone(), links);
                }
                Arc::new(r)
            }
        };
        report(s.source, &r, errors, &mut warnings);
        let folder = section_folder(&s.source.rel);
        if let Some(&i) = folder_path(folder).and_then(|p| placed.section_index.get(&p)) {
            placed.sections[i].html = r.html.clone();
        }
        markdown_cache.entry(s.source.rel.clone()).or_insert(r);
    }
    for ((_, a), (r, d, revision)) in placed.articles.iter().zip(&prepared) {
        // Looked up first: most are cached, and `entry` would copy every key.
        if !markdown_cache.contains_key(&a.source.rel) {
            markdown_cache.insert(a.source.rel.clone(), r.clone());
        }
        if !derived_cache.contains_key(&a.source.rel) {
            derived_cache.insert(a.source.rel.clone(), (d.clone(), *revision));
        }
    }
    for ((_, a), (r, ..)) in placed.articles.iter().zip(&prepared) {
        report(a.source, r, errors, &mut warnings);
    }
    check_anchors(&placed.articles, &prepared, errors);
    Bodies {
        articles: prepared,
        warnings,
    }
}

/// A key that changes whenever any link could resolve differently: the articles and their
/// URLs, the sections, the files beside articles, drafts, broken files, the base path.
fn targets_key(
    config: &Config,
    sources: &Sources,
    articles: &[(String, Parsed)],
    gathered: &Gathered,
) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for (path, a) in articles {
        (&a.source.rel, path).hash(&mut h);
    }
    for s in &gathered.sections {
        s.source.rel.hash(&mut h);
    }
    sources.assets.iter().for_each(|a| a.rel.hash(&mut h));
    sources.fallback.hash(&mut h);
    // Links to drafts and to broken articles resolve differently: hash them apart.
    fn sorted<'a>(set: &HashSet<&'a str>) -> Vec<&'a str> {
        let mut v: Vec<&str> = set.iter().copied().collect();
        v.sort_unstable();
        v
    }
    (
        sorted(&gathered.drafts),
        sorted(&gathered.broken),
        config.base_path(),
        config.root_path(),
        config.markdown.unsafe_html,
        config.slugs == crate::slug::SlugStyle::Ascii,
    )
        .hash(&mut h);
    h.finish()
}

/// Everything a link in Markdown can point at.
fn link_targets(
    config: &Config,
    sources: &Sources,
    articles: &[(String, Parsed)],
    gathered: &Gathered,
) -> LinkTargets {
    LinkTargets {
        base_path: config.base_path().to_string(),
        root_path: config.root_path().to_string(),
        articles: articles
            .iter()
            .enumerate()
            .map(|(i, (path, a))| (a.source.rel.clone(), (i, path.clone())))
            .collect(),
        sections: gathered
            .sections
            .iter()
            .filter_map(|s| {
                let folder = section_folder(&s.source.rel);
                folder_path(folder).map(|p| (s.source.rel.clone(), p))
            })
            .collect(),
        assets: sources.assets.iter().map(|a| a.rel.clone()).collect(),
        fallback: sources.fallback.clone(),
        drafts: gathered.drafts.iter().map(|d| d.to_string()).collect(),
        slugs: config.slugs,
        broken: gathered.broken.iter().map(|b| b.to_string()).collect(),
    }
}

/// The errors and warnings of one rendered body, positioned in its file.
fn report(
    source: &Source,
    body: &markdown::Rendered,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) {
    for e in &body.errors {
        errors.push(Diagnostic::error_at(
            &source.file,
            &source.text,
            e.line,
            e.column,
            Code::Link,
            e.message.clone(),
        ));
    }
    warnings.extend(body_warnings_of(source, body));
}

/// Every `other.md#fragment` link must name a heading of that article. Each target's ids
/// are gathered once, so many links to one long article stay linear.
fn check_anchors(
    articles: &[(String, Parsed)],
    bodies: &[(Arc<markdown::Rendered>, Arc<Derived>, Revision)],
    errors: &mut Vec<Diagnostic>,
) {
    let mut ids: FxHashMap<usize, HashSet<&str>> = FxHashMap::default();
    for ((_, a), (r, ..)) in articles.iter().zip(bodies) {
        for check in &r.anchor_checks {
            let known = ids.entry(check.target).or_insert_with(|| {
                let target = &bodies[check.target].0;
                target.headings.iter().map(|h| h.id.as_str()).collect()
            });
            if !known.contains(check.fragment.as_str()) {
                errors.push(Diagnostic::error_at(
                    &a.source.file,
                    &a.source.text,
                    check.line,
                    check.column,
                    Code::Link,
                    format!(
                        "{} has no heading with id `{}`{}",
                        articles[check.target].1.source.file.display(),
                        check.fragment,
                        crate::suggest::hint(
                            &check.fragment,
                            (bodies[check.target].0.headings.iter()).map(|h| h.id.as_str())
                        )
                    ),
                ));
            }
        }
    }
}

/// The warnings of a rendered body, positioned in its file.
fn body_warnings_of<'a>(
    source: &'a Source,
    body: &'a markdown::Rendered,
) -> impl Iterator<Item = Diagnostic> + 'a {
    body.warnings.iter().map(|w| {
        Diagnostic::error_at(
            &source.file,
            &source.text,
            w.line,
            w.column,
            Code::HeadingAttribute,
            w.message.clone(),
        )
        .warning()
    })
}

pub(super) fn derive(
    fm: &FrontMatter,
    locations: &Locations,
    body: &markdown::Rendered,
    slugs: SlugStyle,
) -> Derived {
    let mut problems = Vec::new();
    let cause_anchors =
        fm.causes
            .iter()
            .map(|entry| match &entry.section {
                Some(id) if body.headings.iter().any(|h| &h.id == id) => Some(id.clone()),
                Some(id) => {
                    let pos = locations.find("causes", Some(&format!("section: {id}")));
                    let pos = if pos.1 == 1 {
                        locations.find("causes", Some(id))
                    } else {
                        pos
                    };
                    let known: Vec<&str> = body.headings.iter().map(|h| h.id.as_str()).collect();
                    problems.push((
                    pos,
                    format!(
                        "cause `{}`: no heading with id `{id}` in this article{} (heading ids: {})",
                        entry.name,
                        crate::suggest::hint(id, known.iter().copied()),
                        if known.is_empty() { "none".to_string() } else { known.join(", ") }
                    ),
                ));
                    None
                }
                None => cause_anchor(
                    &body.headings,
                    &entry.name,
                    &entry.also_known_as,
                    entry.group.as_deref(),
                    slugs,
                ),
            })
            .collect();
    let tag_slugs = tag_slugs(fm, locations, slugs, &mut problems);
    Derived {
        cause_slugs: fm.causes.iter().map(|c| slugify(&c.name, slugs)).collect(),
        cause_anchors,
        tag_slugs,
        title_key: fm.title.to_lowercase(),
        problems,
    }
}

/// The slug of each of the article's tags; None, and a problem, for a tag with no letters or
/// digits.
pub(super) fn tag_slugs(
    fm: &FrontMatter,
    locations: &Locations,
    slugs: SlugStyle,
    problems: &mut Vec<((usize, usize), String)>,
) -> Vec<Option<String>> {
    (fm.tags.iter())
        .map(|tag| {
            let slug = slugify(tag, slugs);
            if slug.is_empty() {
                problems.push((
                    locations.find("tags", Some(tag)),
                    format!("tag `{tag}` has no letters or digits"),
                ));
                None
            } else {
                Some(slug)
            }
        })
        .collect()
}

/// Where a cause links inside its article: the first heading whose section mentions the
/// cause's name or another of its names; else the heading that matches its group.
pub fn cause_anchor(
    headings: &[Heading],
    name: &str,
    also_known_as: &[String],
    group: Option<&str>,
    slugs: SlugStyle,
) -> Option<String> {
    let names: Vec<String> = std::iter::once(name)
        .chain(also_known_as.iter().map(String::as_str))
        .map(fold_words)
        .filter(|w| w.trim() != "")
        .collect();
    if let Some(h) = headings
        .iter()
        .find(|h| names.iter().any(|n| h.section_words.contains(n.as_str())))
    {
        return Some(h.id.clone());
    }
    let group = group?;
    let (words, slug) = (fold_words(group), slugify(group, slugs));
    headings
        .iter()
        .find(|h| fold_words(&h.title) == words || h.id == slug)
        .map(|h| h.id.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(id: &str, title: &str, text: &str) -> Heading {
        Heading {
            level: 2,
            id: id.into(),
            title: title.into(),
            section_words: fold_words(&format!("{title} {text}")),
        }
    }

    #[test]
    fn cause_anchors_follow_the_content_model() {
        let hs = vec![
            heading(
                "physiological-triggers",
                "Physiological Triggers",
                "Low fluid intake matters.",
            ),
            heading("dehydration", "Dehydration", "Water."),
            heading("nerves", "Nerve and Blood Flow", "Nothing named."),
        ];
        // The first heading whose section mentions the name.
        assert_eq!(
            cause_anchor(&hs, "Dehydration", &[], None, SlugStyle::Unicode).as_deref(),
            Some("dehydration")
        );
        // Or one of its other names, earlier in the article.
        assert_eq!(
            cause_anchor(
                &hs,
                "Dehydration",
                &["low fluid intake".into()],
                None,
                SlugStyle::Unicode
            )
            .as_deref(),
            Some("physiological-triggers")
        );
        // Else the heading matching its group.
        assert_eq!(
            cause_anchor(
                &hs,
                "Peripheral neuropathy",
                &[],
                Some("Nerve and blood flow"),
                SlugStyle::Unicode,
            )
            .as_deref(),
            Some("nerves")
        );
        // Else the article itself.
        assert_eq!(
            cause_anchor(&hs, "Gout", &[], Some("Other"), SlugStyle::Unicode),
            None
        );
        // Whole words only.
        assert_eq!(
            cause_anchor(&hs, "Hydration", &[], None, SlugStyle::Unicode),
            None
        );
    }
}

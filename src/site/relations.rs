//! Stage 4: what ties articles together: causes unified by slug, tags, `related`, aliases,
//! source links and review dates; then causes, tags and lists sorted for the pages.

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::bodies::Bodies;
use super::parse::Parsed;
use super::paths::{alias_output_path, is_reserved};
use super::urls::Placed;
use super::{Article, Cause, Derived, Section, Site, Tag, error_at, title_order};
use crate::config::Config;
use crate::content::Sources;
use crate::date::Date;
use crate::diagnostics::{Code, Diagnostic};

/// Links the placed and rendered articles into the finished model, or returns every error of
/// every stage.
pub(super) fn link(
    config: Config,
    today: Date,
    sources: &Sources,
    placed: Placed,
    bodies: Bodies,
    broken: &HashSet<&str>,
    mut errors: Vec<Diagnostic>,
) -> Result<Site, Vec<Diagnostic>> {
    let Placed {
        articles,
        mut sections,
        section_index,
    } = placed;
    let Bodies {
        articles: prepared,
        mut warnings,
    } = bodies;
    let mut pool = Pool::default();
    // For each article, the slots of its causes and tags in the pool.
    let mut slots: Vec<(Vec<usize>, Vec<usize>)> = Vec::with_capacity(articles.len());
    let mut finder = Finder::new(&articles, &sources.fallback);
    let mut alias_owner: BTreeMap<String, usize> = BTreeMap::new();
    let mut built: Vec<Article> = Vec::with_capacity(articles.len());
    let asset_paths: HashSet<&str> = sources.assets.iter().map(|a| a.rel.as_str()).collect();
    let site_image = site_image(&config, &asset_paths, &mut errors);
    for (i, ((path, a), (r, d, revision))) in articles.iter().zip(&prepared).enumerate() {
        for (pos, message) in &d.problems {
            errors.push(error_at(a.source, *pos, message.clone()));
        }
        slots.push(pool.add(i, a, d));
        let related = finder.related(i, a, broken, &mut errors, &mut warnings);
        check_source_urls(a, &mut errors);
        check_authors(a, &config, &mut errors);
        let image = article_image(a, &asset_paths, &mut errors);
        let aliases = aliases(i, a, &finder, &section_index, &mut alias_owner, &mut errors);
        warnings.extend(review_overdue(a, today));
        let section = section_index[a.folder_url.unwrap_or_default()];
        sections[section].articles.push(i);
        built.push(Article {
            file: a.source.file.clone(),
            rel: a.source.rel.clone(),
            path: path.clone(),
            slug: a.slug.to_string(),
            section,
            fm: a.fm.clone(),
            body: r.clone(),
            locations: a.locations.clone(),
            derived: d.clone(),
            revision: *revision,
            cause_ids: Vec::new(),
            related,
            tags: Vec::new(),
            aliases,
            image,
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let (causes, tags) = pool.sorted(&mut built, slots, &mut sections);
    Ok(Site {
        config,
        today,
        articles: built,
        sections,
        causes,
        tags,
        assets: sources.assets.clone(),
        warnings,
        image: site_image,
        image_sizes: BTreeMap::new(),
        asset_versions: BTreeMap::new(),
        translations: Default::default(),
    })
}

/// Every `authors` entry must name an author of `site.yaml`.
fn check_authors(a: &Parsed, config: &Config, errors: &mut Vec<Diagnostic>) {
    for id in &a.fm.authors {
        if config.authors.contains_key(id) {
            continue;
        }
        let known: Vec<&str> = config.authors.keys().map(String::as_str).collect();
        let message = if known.is_empty() {
            format!("author `{id}` is not listed: add it under `authors` in site.yaml")
        } else {
            format!(
                "author `{id}` is not listed under `authors` in site.yaml (listed: {})",
                known.join(", ")
            )
        };
        errors.push(error_at(
            a.source,
            a.locations.find("authors", Some(id)),
            message,
        ));
    }
}

/// Where the article's `image` is published; a path that names nothing is an error.
fn article_image(
    a: &Parsed,
    assets: &HashSet<&str>,
    errors: &mut Vec<Diagnostic>,
) -> Option<crate::images::Placed> {
    let spec = a.fm.image.as_ref()?;
    let dir = a.source.rel.rsplit_once('/').map_or("", |(d, _)| d);
    crate::images::place(&spec.src, dir, assets)
        .map_err(|m| {
            errors.push(error_at(
                a.source,
                a.locations.find("image", Some(&spec.src)),
                m,
            ))
        })
        .ok()
}

/// Where `site.yaml`'s `image` is published: a path from the site root.
fn site_image(
    config: &Config,
    assets: &HashSet<&str>,
    errors: &mut Vec<Diagnostic>,
) -> Option<crate::images::Placed> {
    let spec = config.image.as_ref()?;
    crate::images::place(&spec.src, "", assets)
        .map_err(|m| errors.push(site_yaml_error(config.image_at, m)))
        .ok()
}

/// An error in `site.yaml` found after it was read; its line is quoted when shown.
pub(crate) fn site_yaml_error((line, column): (usize, usize), message: String) -> Diagnostic {
    let mut d = Diagnostic::error("site.yaml", Code::Config, message);
    d.line = line;
    d.column = column;
    d
}

/// Causes and tags as they are met, unified by slug; sorted by slug once at the end.
#[derive(Default)]
struct Pool<'a> {
    cause_slots: FxHashMap<&'a str, usize>,
    causes: Vec<Cause>,
    tag_slots: FxHashMap<&'a str, usize>,
    tags: Vec<Tag>,
}

impl<'a> Pool<'a> {
    /// Adds article `i`'s causes and tags; returns their slots.
    fn add(&mut self, i: usize, a: &Parsed, d: &'a Derived) -> (Vec<usize>, Vec<usize>) {
        let mut cause_ids = Vec::with_capacity(a.fm.causes.len());
        for (entry_index, (entry, slug)) in a.fm.causes.iter().zip(&d.cause_slugs).enumerate() {
            let causes = &mut self.causes;
            let slot = *self.cause_slots.entry(slug.as_str()).or_insert_with(|| {
                causes.push(Cause {
                    slug: slug.clone(),
                    name: entry.name.clone(),
                    also_known_as: Vec::new(),
                    mentions: Vec::new(),
                    by_title: Vec::new(),
                });
                causes.len() - 1
            });
            let cause = &mut self.causes[slot];
            cause
                .also_known_as
                .extend(entry.also_known_as.iter().cloned());
            cause.mentions.push((i, entry_index));
            cause_ids.push(slot);
        }
        let mut tag_ids = Vec::with_capacity(a.fm.tags.len());
        for (tag, slug) in a.fm.tags.iter().zip(&d.tag_slugs) {
            let Some(slug) = slug else { continue };
            let tags = &mut self.tags;
            let slot = *self.tag_slots.entry(slug.as_str()).or_insert_with(|| {
                tags.push(Tag {
                    slug: slug.clone(),
                    name: tag.clone(),
                    articles: Vec::new(),
                });
                tags.len() - 1
            });
            if !tag_ids.contains(&slot) {
                self.tags[slot].articles.push(i);
                tag_ids.push(slot);
            }
        }
        (cause_ids, tag_ids)
    }

    /// Causes and tags sorted by slug, each article pointed at their sorted places, and every
    /// list ordered by title.
    fn sorted(
        self,
        built: &mut [Article],
        slots: Vec<(Vec<usize>, Vec<usize>)>,
        sections: &mut [Section],
    ) -> (Vec<Cause>, Vec<Tag>) {
        let (mut causes, cause_place) = sort_by_key(self.causes, |c| c.slug.clone());
        for c in &mut causes {
            c.also_known_as.sort_by_key(|s| s.to_lowercase());
            c.also_known_as.dedup_by_key(|s| s.to_lowercase());
        }
        let (mut tags, tag_place) = sort_by_key(self.tags, |t| t.slug.clone());
        for (a, (cause_slots, tag_slots)) in built.iter_mut().zip(slots) {
            a.cause_ids = cause_slots.into_iter().map(|s| cause_place[s]).collect();
            a.tags = tag_slots.into_iter().map(|s| tag_place[s]).collect();
        }
        // Lists are ordered by title: rank every article once, then sort lists by rank.
        let mut by_title: Vec<usize> = (0..built.len()).collect();
        by_title.par_sort_unstable_by(|&x, &y| title_order(&built[x], &built[y]));
        let mut rank = vec![0u32; built.len()];
        for (r, &i) in by_title.iter().enumerate() {
            rank[i] = r as u32;
        }
        for s in sections {
            s.articles.sort_unstable_by_key(|&x| rank[x]);
        }
        for t in &mut tags {
            t.articles.sort_unstable_by_key(|&x| rank[x]);
            t.articles.dedup();
        }
        causes.par_iter_mut().for_each(|c| {
            c.by_title = c.mentions.clone();
            c.by_title.sort_by_key(|m| rank[m.0]);
        });
        (causes, tags)
    }
}

/// Finds articles by URL path or slug, for `related` entries and aliases.
struct Finder<'a> {
    articles: &'a [(String, Parsed<'a>)],
    by_url: FxHashMap<&'a str, usize>,
    /// Made the first time a bare slug is looked up.
    by_slug: Option<FxHashMap<&'a str, Vec<usize>>>,
    /// In a translation: the default language's pages by source path.
    fallback: &'a std::collections::BTreeMap<String, String>,
}

impl<'a> Finder<'a> {
    fn new(
        articles: &'a [(String, Parsed<'a>)],
        fallback: &'a std::collections::BTreeMap<String, String>,
    ) -> Self {
        Finder {
            articles,
            fallback,
            by_url: articles
                .iter()
                .enumerate()
                .map(|(i, (p, _))| (p.as_str(), i))
                .collect(),
            by_slug: None,
        }
    }

    /// In a translation, the one article whose source path an entry copied from the
    /// article it translates names (`leg-cramps-at-night` for `leg-cramps-at-night.es.md`,
    /// whatever its own slug).
    fn translation_named(&self, entry: &str) -> Option<usize> {
        if self.fallback.is_empty() {
            return None;
        }
        let mut named = (self.articles.iter().enumerate())
            .filter(|(_, (_, a))| names_source([a.source.rel.as_str()], entry))
            .map(|(i, _)| i);
        match (named.next(), named.next()) {
            (Some(i), None) => Some(i),
            _ => None,
        }
    }

    /// The articles article `i` lists as related; entries that name nothing are errors.
    fn related(
        &mut self,
        i: usize,
        a: &Parsed,
        broken: &HashSet<&str>,
        errors: &mut Vec<Diagnostic>,
        warnings: &mut Vec<Diagnostic>,
    ) -> Vec<usize> {
        let mut related = Vec::new();
        for entry in &a.fm.related {
            let found = find_related(self.articles, &self.by_url, &mut self.by_slug, entry)
                .or_else(|e| self.translation_named(entry).ok_or(e));
            match found {
                Ok(j) if j == i => errors.push(error_at(
                    a.source,
                    a.locations.find("related", Some(entry)),
                    format!("`{entry}` is this article itself"),
                )),
                Ok(j) => related.push(j),
                Err(_) if names_broken(broken, entry) => {}
                // Copied from the article it translates: an article not translated yet.
                Err(_) if names_source(self.fallback.keys().map(String::as_str), entry) => warnings.push(
                    error_at(
                        a.source,
                        a.locations.find("related", Some(entry)),
                        format!(
                            "related article `{entry}` has no translation in this language yet; it is left out"
                        ),
                    )
                    .warning(),
                ),
                Err(message) => errors.push(error_at(
                    a.source,
                    a.locations.find("related", Some(entry)),
                    message,
                )),
            }
        }
        related
    }
}

/// `sources[].url` may only use the schemes a link may.
fn check_source_urls(a: &Parsed, errors: &mut Vec<Diagnostic>) {
    for url in a.fm.sources.iter().filter_map(|s| s.url.as_deref()) {
        if let Some(scheme) = crate::url_scheme::refused(url) {
            errors.push(error_at(
                a.source,
                a.locations.find("sources", Some(url)),
                format!("sources: `{scheme}:` URLs are not allowed; give an http(s) address"),
            ));
        }
    }
}

/// The output files of article `i`'s aliases; an alias onto a page, a reserved path or
/// another article's alias is an error.
fn aliases(
    i: usize,
    a: &Parsed,
    finder: &Finder,
    section_index: &HashMap<String, usize>,
    alias_owner: &mut BTreeMap<String, usize>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut aliases = Vec::new();
    for alias in &a.fm.aliases {
        let pos = a.locations.find("aliases", Some(alias));
        match alias_output_path(alias) {
            Ok(out) => {
                let page = out.trim_end_matches("index.html");
                if finder.by_url.contains_key(page)
                    || section_index.contains_key(page)
                    || is_reserved(&out)
                {
                    errors.push(error_at(
                        a.source,
                        pos,
                        format!("alias `{alias}` is the URL of a page the site already has"),
                    ));
                } else if let Some(&other) = alias_owner.get(&out) {
                    if other != i {
                        errors.push(error_at(
                            a.source,
                            pos,
                            format!(
                                "alias `{alias}` is also an alias of {}",
                                finder.articles[other].1.source.file.display()
                            ),
                        ));
                    }
                } else {
                    alias_owner.insert(out.clone(), i);
                    aliases.push(out);
                }
            }
            Err(message) => errors.push(error_at(
                a.source,
                pos,
                format!("alias `{alias}`: {message}"),
            )),
        }
    }
    aliases
}

/// A warning when the article's next medical review was due before `today`.
fn review_overdue(a: &Parsed, today: Date) -> Option<Diagnostic> {
    let next = a.fm.reviewed.as_ref()?.next.filter(|n| *n < today)?;
    let pos = a.locations.find("reviewed", Some(&next.to_string()));
    Some(
        Diagnostic::error_at(
            &a.source.file,
            &a.source.text,
            pos.0,
            pos.1,
            Code::ReviewOverdue,
            format!(
                "the medical review was due on {}; review the article and update `reviewed`",
                next.long_text()
            ),
        )
        .warning(),
    )
}

/// Sorts `items` by `key`; also returns, for each item's old position, its new one.
fn sort_by_key<T, K: Ord>(items: Vec<T>, key: impl Fn(&T) -> K) -> (Vec<T>, Vec<usize>) {
    let mut keyed: Vec<(K, usize, T)> = items
        .into_iter()
        .enumerate()
        .map(|(i, t)| (key(&t), i, t))
        .collect();
    keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut place = vec![0; keyed.len()];
    for (new, (_, old, _)) in keyed.iter().enumerate() {
        place[*old] = new;
    }
    (keyed.into_iter().map(|(_, _, t)| t).collect(), place)
}

/// Whether a `related` entry names an article that has errors of its own (by its file path).
fn names_broken(broken: &HashSet<&str>, entry: &str) -> bool {
    names_source(broken.iter().copied(), entry)
}

/// Whether a `related` entry names one of these source paths (`plants/mint.md`), by its
/// path without `.md` or by its file name.
fn names_source<'s>(rels: impl IntoIterator<Item = &'s str>, entry: &str) -> bool {
    let entry = entry.trim().trim_matches('/').trim_end_matches(".md");
    rels.into_iter().any(|rel| {
        let stem = rel.trim_end_matches(".md");
        stem == entry || stem.rsplit('/').next() == Some(entry)
    })
}

/// A `related` entry: a section path (`plants/mint-root-rot`) or, for a name with no `/`,
/// the one article with that slug.
fn find_related<'a>(
    articles: &'a [(String, Parsed)],
    by_url: &FxHashMap<&str, usize>,
    by_slug: &mut Option<FxHashMap<&'a str, Vec<usize>>>,
    entry: &str,
) -> Result<usize, String> {
    let wanted = format!(
        "{}/",
        entry.trim().trim_matches('/').trim_end_matches(".md")
    );
    if let Some(&i) = by_url.get(wanted.as_str()) {
        return Ok(i);
    }
    if !entry.contains('/') {
        let by_slug = by_slug.get_or_insert_with(|| {
            let mut map: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
            for (i, (_, a)) in articles.iter().enumerate() {
                map.entry(a.slug).or_default().push(i);
            }
            map
        });
        let matches: &[usize] = by_slug.get(entry.trim()).map_or(&[], Vec::as_slice);
        match matches {
            [one] => return Ok(*one),
            [] => {}
            many => {
                return Err(format!(
                    "`{entry}` names {} articles ({}); write its section path instead",
                    many.len(),
                    many.iter()
                        .map(|&i| format!("`{}`", articles[i].0.trim_end_matches('/')))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
    }
    let name = entry.trim().trim_matches('/');
    let nearest = if name.contains('/') {
        crate::suggest::closest(name, articles.iter().map(|(p, _)| p.trim_end_matches('/')))
    } else {
        crate::suggest::closest(name, articles.iter().map(|(_, a)| a.slug))
    };
    Err(match nearest {
        Some(n) => format!("related article `{entry}` does not exist (did you mean `{n}`?)"),
        None => format!(
            "related article `{entry}` does not exist (write its slug, or its section path like `plants/mint-root-rot`)"
        ),
    })
}

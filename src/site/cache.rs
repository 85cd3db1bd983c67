//! What a rebuild may reuse from the last one: each file's parse, and each body's rendering
//! while every link would resolve the same way. And, for `serve`, the shortcut for an edit to
//! one article's body that no other page can tell.

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::bodies::{BodyCache, derive, tag_slugs};
use super::parse::{FileParse, parse_file};
use super::{Derived, Revision, Site, title_order};
use crate::content::frontmatter::FrontMatter;
use crate::content::{Source, Sources};
use crate::markdown;
use crate::yaml::Locations;

/// Results of earlier builds that stay valid while their inputs do not change: each file's
/// parse, and each article's rendered Markdown (valid while the set of link targets is the same).
#[derive(Debug, Default)]
pub struct Cache {
    /// Each file's parse, by its path below `content/`.
    pub(super) files: FxHashMap<String, Arc<FileParse>>,
    /// Rendered bodies and what they determine, with the link targets they were made for.
    pub(super) bodies: BodyCache,
}

impl Cache {
    /// A cache kept between builds, as `serve` keeps one: it also holds what each body's
    /// links resolved to, so that bodies survive an article added elsewhere.
    pub fn kept() -> Cache {
        let mut cache = Cache::default();
        cache.bodies.keep_links = true;
        cache
    }

    /// Drops what is known about a file (it changed, appeared or was deleted).
    pub fn forget(&mut self, rel: &str) {
        self.files.remove(rel);
        self.bodies.forget(rel);
    }

    /// Parses, in parallel, every file not parsed before.
    pub(super) fn parse_new(&mut self, sources: &Sources) {
        let fresh: Vec<(String, Arc<FileParse>)> = sources
            .markdown
            .par_iter()
            .filter(|source| !self.files.contains_key(&source.rel))
            .map(|source| (source.rel.clone(), Arc::new(parse_file(source))))
            .collect();
        self.files.extend(fresh);
    }

    /// For `serve`: the edited article of `source` patched into `site` (the model this
    /// cache last built) instead of making the model again, when the edit changed its body
    /// alone and no other page can tell (see [`Cache::new_body`]), or changed only what its
    /// pages show of its front matter (see [`Cache::new_front_matter`]). `old_text` is the
    /// file as `site` was built from it. None otherwise: then build the model again.
    pub fn patch(
        &self,
        site: &Site,
        source: &Source,
        old_text: Option<&str>,
    ) -> Option<(NewBody, Patched)> {
        let index = site.articles.iter().position(|a| a.rel == source.rel)?;
        let parsed = parse_file(source);
        let FileParse::Article { fm, .. } = &parsed else {
            return None;
        };
        if **fm == *site.articles[index].fm {
            let new = self.new_body(site, source, index, parsed)?;
            Some((new, Patched::Body))
        } else {
            let new = self.new_front_matter(site, source, index, parsed, old_text?)?;
            Some((new, Patched::ShownFields))
        }
    }

    /// Article `index` with the body of `source` rendered again, when no other page can tell:
    /// the same heading ids, every link resolving, its causes anchored as before. `parsed`
    /// is the file's parse, whose front matter is the article's.
    fn new_body(
        &self,
        site: &Site,
        source: &Source,
        index: usize,
        parsed: FileParse,
    ) -> Option<NewBody> {
        let targets = self.bodies.targets.as_ref()?;
        let old = &site.articles[index];
        let FileParse::Article {
            locations,
            body_start,
            body_line,
            folder,
            folder_url,
            slug,
            ..
        } = parsed
        else {
            return None;
        };
        let dir = source.rel.rsplit_once('/').map_or("", |(d, _)| d);
        let mut body = markdown::render(
            &source.text[body_start..],
            body_line,
            site.config.markdown.unsafe_html,
            site.config.slugs,
            &|dest| targets.resolve(dir, dest),
        );
        let anchors_resolve = body.anchor_checks.iter().all(|c| {
            let target = if c.target == index {
                &body
            } else {
                &*site.articles[c.target].body
            };
            target.headings.iter().any(|h| h.id == c.fragment)
        });
        if !body.errors.is_empty()
            || !body.warnings.is_empty()
            || !body
                .headings
                .iter()
                .map(|h| &h.id)
                .eq(old.body.headings.iter().map(|h| &h.id))
            || !anchors_resolve
            || derive(&old.fm, &locations, &body, site.config.slugs) != *old.derived
        {
            return None;
        }
        body.headings
            .iter_mut()
            .for_each(|h| h.section_words = String::new());
        let file = FileParse::Article {
            fm: old.fm.clone(),
            locations: locations.clone(),
            body_start,
            body_line,
            folder,
            folder_url,
            slug,
        };
        Some(NewBody {
            index,
            file: Some(Arc::new(file)),
            fm: old.fm.clone(),
            body: Arc::new(body),
            locations,
            revision: Revision::next(),
            tags: None,
        })
    }

    /// Article `index` with the front matter of `parsed`, when the edit changed only what
    /// pages show and nothing the rest of the model is made from (see
    /// [`only_shown_fields_differ`]), and left the body of `old_text` as it was, on the same
    /// lines.
    fn new_front_matter(
        &self,
        site: &Site,
        source: &Source,
        index: usize,
        parsed: FileParse,
        old_text: &str,
    ) -> Option<NewBody> {
        let old = &site.articles[index];
        // Warnings point into the front matter, which may have moved: make them again.
        if site.warnings.iter().any(|w| w.file == old.file) {
            return None;
        }
        let FileParse::Article {
            fm,
            locations,
            body_start,
            body_line,
            ..
        } = &parsed
        else {
            return None;
        };
        let before = crate::content::split_front_matter(old_text).ok()?;
        if before.body != &source.text[*body_start..]
            || before.body_line != *body_line
            || !only_shown_fields_differ(&old.fm, fm)
        {
            return None;
        }
        let tags = if fm.tags == old.fm.tags {
            None
        } else {
            Some(retagged(site, index, fm, locations)?)
        };
        Some(NewBody {
            index,
            fm: fm.clone(),
            locations: locations.clone(),
            body: old.body.clone(),
            revision: Revision::next(),
            tags,
            file: Some(Arc::new(parsed)),
        })
    }

    /// Puts a [`NewBody`] into `site`, and keeps it for later builds. Returns the body it
    /// replaced, which undoes the change when set in turn.
    pub fn set_body(&mut self, site: &mut Site, new: NewBody) -> NewBody {
        let i = new.index;
        let rel = site.articles[i].rel.clone();
        let old_file = match new.file {
            Some(file) => self.files.insert(rel.clone(), file),
            None => self.files.remove(&rel),
        };
        self.bodies.markdown.insert(rel.clone(), new.body.clone());
        // What its links resolved to is not known: made again when the targets change.
        self.bodies.links.remove(&rel);
        let tags = new.tags.map(|(derived, ids)| {
            let a = &site.articles[i];
            let old = (a.derived.clone(), a.tags.clone());
            move_between_tags(site, i, &old.1, &ids);
            let a = &mut site.articles[i];
            (a.derived, a.tags) = (derived, ids);
            old
        });
        let a = &mut site.articles[i];
        // The body is searched: what the search files hold of it changed.
        if let Some(entry) = self.bodies.derived.get_mut(&rel) {
            *entry = (a.derived.clone(), new.revision);
        }
        NewBody {
            index: i,
            file: old_file,
            fm: std::mem::replace(&mut a.fm, new.fm),
            body: std::mem::replace(&mut a.body, new.body),
            locations: std::mem::replace(&mut a.locations, new.locations),
            revision: std::mem::replace(&mut a.revision, new.revision),
            tags,
        }
    }
}

/// What [`Cache::patch`] patched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Patched {
    /// The body, which only the article's own page and its search words show.
    Body,
    /// Front matter that the article's page, the lists showing it, the cause pages, the feeds,
    /// the cause index and the search files show, and its tags.
    ShownFields,
}

/// An article's body rendered again, or its front matter read again, from [`Cache::patch`].
pub struct NewBody {
    /// The article's place in [`Site::articles`].
    pub index: usize,
    file: Option<Arc<FileParse>>,
    fm: Arc<FrontMatter>,
    body: Arc<markdown::Rendered>,
    locations: Arc<Locations>,
    revision: Revision,
    /// When its tags changed: what its file determines, and its tags (places in
    /// [`Site::tags`]).
    tags: Option<(Arc<Derived>, Vec<usize>)>,
}

/// What article `index` determines with the front matter `fm`, and its tags, when only its
/// tags changed and the change moves the article between tags the site has without changing
/// any tag's name or emptying one: no tag appears or goes. None otherwise.
fn retagged(
    site: &Site,
    index: usize,
    fm: &FrontMatter,
    locations: &Locations,
) -> Option<(Arc<Derived>, Vec<usize>)> {
    let old = &site.articles[index];
    let mut problems = Vec::new();
    let slugs = tag_slugs(fm, locations, site.config.slugs, &mut problems);
    if !problems.is_empty() || !old.derived.problems.is_empty() {
        return None;
    }
    // A tag's name is its spelling in the first article, by path, that has it.
    let first_other = |t: usize| {
        let articles = &site.tags[t].articles;
        articles.iter().copied().filter(|&x| x != index).min()
    };
    let mut ids: Vec<usize> = Vec::new();
    for (spelling, slug) in fm.tags.iter().zip(&slugs) {
        let slug = slug.as_deref()?;
        let t = (site.tags)
            .binary_search_by(|t| t.slug.as_str().cmp(slug))
            .ok()?;
        if ids.contains(&t) {
            continue;
        }
        if first_other(t).is_none_or(|first| index < first) && *spelling != site.tags[t].name {
            return None;
        }
        ids.push(t);
    }
    for &t in old.tags.iter().filter(|t| !ids.contains(t)) {
        // The tag keeps articles, and the one that names it keeps its spelling.
        let first = first_other(t)?;
        let other = &site.articles[first];
        let tag = &site.tags[t];
        let at = (other.derived.tag_slugs.iter()).position(|s| s.as_ref() == Some(&tag.slug));
        if index < first && at.and_then(|at| other.fm.tags.get(at)) != Some(&tag.name) {
            return None;
        }
    }
    let derived = Derived {
        cause_slugs: old.derived.cause_slugs.clone(),
        cause_anchors: old.derived.cause_anchors.clone(),
        tag_slugs: slugs,
        title_key: old.derived.title_key.clone(),
        problems,
    };
    Some((Arc::new(derived), ids))
}

/// Takes article `i` out of the tags in `old` only and puts it, in title order, into those
/// in `new` only.
fn move_between_tags(site: &mut Site, i: usize, old: &[usize], new: &[usize]) {
    for &t in old.iter().filter(|t| !new.contains(t)) {
        site.tags[t].articles.retain(|&x| x != i);
    }
    for &t in new.iter().filter(|t| !old.contains(t)) {
        let list = &site.tags[t].articles;
        let at = list.partition_point(|&x| {
            title_order(&site.articles[x], &site.articles[i]) == std::cmp::Ordering::Less
        });
        site.tags[t].articles.insert(at, i);
    }
}

/// Whether `old` and `new` differ only in fields that pages, feeds and the search files show
/// but that no list, link, cause, order or check of the model is made from (the
/// description, symptoms, red flags, other names, condition, kind, reading override and the
/// summaries of its causes), and in tags, which [`retagged`] checks.
fn only_shown_fields_differ(old: &FrontMatter, new: &FrontMatter) -> bool {
    let mut probe = new.clone();
    if probe.causes.len() == old.causes.len() {
        for (entry, was) in probe.causes.iter_mut().zip(&old.causes) {
            entry.summary.clone_from(&was.summary);
        }
    }
    probe.description.clone_from(&old.description);
    probe.symptoms.clone_from(&old.symptoms);
    probe.see_a_doctor.clone_from(&old.see_a_doctor);
    probe.also_known_as.clone_from(&old.also_known_as);
    probe.condition.clone_from(&old.condition);
    probe.kind = old.kind;
    probe.reading.clone_from(&old.reading);
    probe.tags.clone_from(&old.tags);
    probe == *old
}

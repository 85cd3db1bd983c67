//! What a rebuild may reuse from the last one: each file's parse, and each body's rendering
//! while every link would resolve the same way. And, for `serve`, the shortcut for an edit to
//! one article's body that no other page can tell.

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::bodies::{BodyCache, derive};
use super::parse::{FileParse, parse_file};
use super::{Revision, Site};
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
        Some(NewBody {
            index,
            fm: fm.clone(),
            locations: locations.clone(),
            body: old.body.clone(),
            revision: Revision::next(),
            file: Some(Arc::new(parsed)),
        })
    }

    /// Puts a [`NewBody`] into `site`, and keeps it for later builds. Returns the body it
    /// replaced, which undoes the change when set in turn.
    pub fn set_body(&mut self, site: &mut Site, new: NewBody) -> NewBody {
        let a = &mut site.articles[new.index];
        let old_file = match new.file {
            Some(file) => self.files.insert(a.rel.clone(), file),
            None => self.files.remove(&a.rel),
        };
        self.bodies.markdown.insert(a.rel.clone(), new.body.clone());
        // The body is searched: what the search files hold of it changed.
        if let Some(entry) = self.bodies.derived.get_mut(&a.rel) {
            entry.1 = new.revision;
        }
        NewBody {
            index: new.index,
            file: old_file,
            fm: std::mem::replace(&mut a.fm, new.fm),
            body: std::mem::replace(&mut a.body, new.body),
            locations: std::mem::replace(&mut a.locations, new.locations),
            revision: std::mem::replace(&mut a.revision, new.revision),
        }
    }
}

/// What [`Cache::patch`] patched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Patched {
    /// The body, which only the article's own page and its search words show.
    Body,
    /// Front matter that the article's page, the lists showing it, the cause pages, the feeds,
    /// the cause index and the search files show.
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
}

/// Whether `old` and `new` differ only in fields that pages, feeds and the search files show
/// but that no list, link, cause, tag, order or check of the model is made from: the
/// description, symptoms, red flags, other names, condition, kind, reading override and the
/// summaries of its causes.
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
    probe == *old
}

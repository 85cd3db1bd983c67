//! "Did you mean ...?": the known name closest to a mistyped one.

/// How many candidates one suggestion looks at, at most: an error on a site of 100,000
/// articles must not cost a comparison with each of them.
const BUDGET: usize = 20_000;

/// The candidate closest to `wanted` by edit distance, when it is close enough to be a likely
/// typo (at most 2 edits, or a quarter of its length for long names). Ties go to the first.
pub(crate) fn closest<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wanted_len = wanted.chars().count();
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates.into_iter().take(BUDGET) {
        let len = candidate.chars().count();
        let limit = 2.max(len / 4);
        if len.abs_diff(wanted_len) > limit || candidate == wanted {
            continue;
        }
        let d = edit_distance(wanted, candidate);
        if d <= limit && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// " (did you mean `x`?)", or nothing.
pub(crate) fn hint<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(wanted, candidates)
        .map(|c| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default()
}

/// Levenshtein distance over characters.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = Vec::with_capacity(b.len() + 1);
    for (i, ca) in a.chars().enumerate() {
        cur.clear();
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_names_are_suggested_and_far_ones_are_not() {
        let names = ["foot-spasms", "leg-cramps-at-night", "tuberculosis-risk"];
        assert_eq!(closest("foot-spams", names), Some("foot-spasms"));
        assert_eq!(
            closest("tuberculosis-risks", names),
            Some("tuberculosis-risk")
        );
        assert_eq!(closest("hiccups", names), None);
        assert_eq!(
            closest("foot-spasms", names),
            None,
            "the name itself is no suggestion"
        );
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(hint("titel", ["title", "tags"]), " (did you mean `title`?)");
    }
}

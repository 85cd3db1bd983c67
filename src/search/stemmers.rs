//! Stemmers for languages other than English, in the manner of the Snowball stemmers: a word
//! (already folded: lower case, no accents) has regions (R1, R2, RV) worked out from its
//! vowels, and each step removes or replaces the longest suffix of its list that the word
//! ends with, when that suffix lies in the step's region. The rules are data: the manifest
//! and the cause index carry them, and `search-core.js` runs the same interpreter over them,
//! so the script holds no language's rules. `tests/fixtures/search-words.json` holds words
//! and their stems in each language, checked against both.
//!
//! Compared with Snowball these leave out the rules that need a look at more than the one
//! letter before a suffix (Spanish attached pronouns, French and German special cases): a
//! search only needs a word's forms to meet at one stem, not a linguist's root.

use std::fmt::Write as _;

/// Where a suffix must start for a step to remove it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Region {
    /// Anywhere after the first letter.
    Any,
    R1,
    R2,
    Rv,
}

/// How a language's RV region is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RvKind {
    /// Spanish and Portuguese: after the next vowel when the second letter is a consonant,
    /// after the next consonant when the first two are vowels, else after the third letter.
    Iberian,
    /// French: after the third letter when the first two are vowels, else after the first
    /// vowel that is not the first letter.
    French,
}

/// One group of a step: suffixes that share a region, a replacement and a condition on the
/// letter before them (`after`: one of these letters; `not_after`: none of them).
#[derive(Debug)]
pub(crate) struct Group {
    pub region: Region,
    pub replace: &'static str,
    pub after: &'static str,
    pub not_after: &'static str,
    pub suffixes: &'static [&'static str],
}

/// One step: the longest suffix among all its groups' is looked for, and removed or replaced
/// when its group's region and condition hold. A step marked `if_unchanged` runs only when
/// no step before it changed the word.
#[derive(Debug)]
pub(crate) struct Step {
    pub if_unchanged: bool,
    pub groups: &'static [Group],
}

/// A language's stemmer.
#[derive(Debug)]
pub(crate) struct Rules {
    pub vowels: &'static str,
    pub rv: RvKind,
    /// R1 starts at this letter at the earliest (German: 3).
    pub r1_min: usize,
    pub steps: &'static [Step],
}

const fn group(region: Region, replace: &'static str, suffixes: &'static [&'static str]) -> Group {
    Group {
        region,
        replace,
        after: "",
        not_after: "",
        suffixes,
    }
}

const fn group_after(
    region: Region,
    after: &'static str,
    not_after: &'static str,
    suffixes: &'static [&'static str],
) -> Group {
    Group {
        region,
        replace: "",
        after,
        not_after,
        suffixes,
    }
}

/// The rules of a language (a BCP 47 tag), if it has any.
pub(crate) fn rules_for(language: &str) -> Option<&'static Rules> {
    match crate::language::primary(language).as_str() {
        "es" => Some(&SPANISH),
        "pt" => Some(&PORTUGUESE),
        "fr" => Some(&FRENCH),
        "de" => Some(&GERMAN),
        _ => None,
    }
}

impl Rules {
    /// The stem of a folded word. Words with digits and words of fewer than three letters
    /// stay as they are.
    pub(crate) fn stem(&self, w: &str) -> String {
        let mut c: Vec<char> = w.chars().collect();
        if c.len() < 3 || c.iter().any(char::is_ascii_digit) {
            return w.to_string();
        }
        let vowel = |x: char| self.vowels.contains(x);
        let r1 = after_consonant(&c, 0, &vowel).max(self.r1_min).min(c.len());
        let r2 = after_consonant(&c, r1, &vowel);
        let rv = rv(&c, self.rv, &vowel);
        let mut changed = false;
        for step in self.steps {
            if step.if_unchanged && changed {
                continue;
            }
            // The longest suffix of any group, and only it.
            let mut best: Option<(&Group, usize)> = None;
            for g in step.groups {
                for s in g.suffixes {
                    // Suffixes are ASCII (a test holds them to it): bytes are letters.
                    let n = s.len();
                    if n < c.len()
                        && best.is_none_or(|(_, m)| n > m)
                        && c[c.len() - n..].iter().copied().eq(s.chars())
                    {
                        best = Some((g, n));
                    }
                }
            }
            let Some((g, n)) = best else { continue };
            let start = c.len() - n;
            let from = match g.region {
                Region::Any => 1,
                Region::R1 => r1,
                Region::R2 => r2,
                Region::Rv => rv,
            };
            let before = c[start - 1];
            if start < from
                || (!g.after.is_empty() && !g.after.contains(before))
                || g.not_after.contains(before)
            {
                continue;
            }
            c.truncate(start);
            c.extend(g.replace.chars());
            changed = true;
        }
        c.into_iter().collect()
    }

    /// The rules as the search script reads them (`stemmer` in the manifest and the cause
    /// index): `{"vowels", "rv", "r1_min", "steps": [{"if_unchanged", "groups": [[region,
    /// replace, after, not_after, [suffixes]]]}]}`.
    pub(crate) fn json(&self) -> String {
        let str = |s: &str| serde_json::to_string(s).expect("strings serialise");
        let mut out = String::new();
        let rv = match self.rv {
            RvKind::Iberian => "iberian",
            RvKind::French => "french",
        };
        let _ = write!(
            out,
            "{{\"vowels\":{},\"rv\":\"{rv}\",\"r1_min\":{},\"steps\":[",
            str(self.vowels),
            self.r1_min
        );
        for (i, step) in self.steps.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{{\"if_unchanged\":{},\"groups\":[", step.if_unchanged);
            for (j, g) in step.groups.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                let region = match g.region {
                    Region::Any => "any",
                    Region::R1 => "r1",
                    Region::R2 => "r2",
                    Region::Rv => "rv",
                };
                let suffixes = serde_json::to_string(g.suffixes).expect("strings serialise");
                let _ = write!(
                    out,
                    "[\"{region}\",{},{},{},{suffixes}]",
                    str(g.replace),
                    str(g.after),
                    str(g.not_after)
                );
            }
            out.push_str("]}");
        }
        out.push_str("]}");
        out
    }
}

/// The position after the first non-vowel that follows a vowel, looking from `from`: where
/// R1 starts (from 0) and R2 (from R1). The word's length when there is none.
fn after_consonant(c: &[char], from: usize, vowel: &impl Fn(char) -> bool) -> usize {
    (from.max(1)..c.len())
        .find(|&i| !vowel(c[i]) && vowel(c[i - 1]))
        .map_or(c.len(), |i| i + 1)
}

fn rv(c: &[char], kind: RvKind, vowel: &impl Fn(char) -> bool) -> usize {
    let n = c.len();
    if n < 3 {
        return n;
    }
    let next = |from: usize, want_vowel: bool| {
        (from..n)
            .find(|&i| vowel(c[i]) == want_vowel)
            .map_or(n, |i| i + 1)
    };
    match kind {
        RvKind::Iberian if !vowel(c[1]) => next(2, true),
        RvKind::Iberian if vowel(c[0]) => next(2, false),
        RvKind::Iberian => 3,
        RvKind::French if vowel(c[0]) && vowel(c[1]) => 3,
        RvKind::French => next(1, true),
    }
}

use Region::{Any, R1, R2, Rv};

/// Spanish: standard suffixes (R2), then, when none went, verb endings (RV), then a final
/// vowel (RV).
static SPANISH: Rules = Rules {
    vowels: "aeiou",
    rv: RvKind::Iberian,
    r1_min: 0,
    steps: &[
        Step {
            if_unchanged: false,
            groups: &[
                group(
                    R2,
                    "",
                    &[
                        "anza", "anzas", "ico", "ica", "icos", "icas", "ismo", "ismos", "able",
                        "ables", "ible", "ibles", "ista", "istas", "oso", "osa", "osos", "osas",
                        "amiento", "amientos", "imiento", "imientos", "adora", "ador", "acion",
                        "adoras", "adores", "aciones", "ante", "antes", "ancia", "ancias", "mente",
                        "idad", "idades", "iva", "ivo", "ivas", "ivos",
                    ],
                ),
                group(R2, "log", &["logia", "logias"]),
                group(R2, "u", &["ucion", "uciones"]),
                group(R2, "ente", &["encia", "encias"]),
                group(R1, "", &["amente"]),
            ],
        },
        Step {
            if_unchanged: true,
            groups: &[group(
                Rv,
                "",
                &[
                    "en", "es", "eis", "emos", "arian", "arias", "aran", "aras", "ariais", "aria",
                    "areis", "ariamos", "aremos", "ara", "are", "erian", "erias", "eran", "eras",
                    "eriais", "eria", "ereis", "eriamos", "eremos", "era", "ere", "irian", "irias",
                    "iran", "iras", "iriais", "iria", "ireis", "iriamos", "iremos", "ira", "ire",
                    "aba", "ada", "ida", "ia", "iera", "ad", "ed", "id", "ase", "iese", "aste",
                    "iste", "an", "aban", "ian", "ieran", "asen", "iesen", "aron", "ieron", "ado",
                    "ido", "ando", "iendo", "ar", "er", "ir", "as", "abas", "adas", "idas", "ias",
                    "ieras", "ases", "ieses", "is", "ais", "abais", "iais", "arais", "ierais",
                    "aseis", "ieseis", "asteis", "isteis", "ados", "idos", "amos", "abamos",
                    "iamos", "imos", "aramos", "ieramos", "iesemos", "asemos",
                ],
            )],
        },
        Step {
            if_unchanged: false,
            groups: &[group(Rv, "", &["os", "a", "o", "e"])],
        },
    ],
};

/// Portuguese: as Spanish, with its own endings.
static PORTUGUESE: Rules = Rules {
    vowels: "aeiou",
    rv: RvKind::Iberian,
    r1_min: 0,
    steps: &[
        Step {
            if_unchanged: false,
            groups: &[
                group(
                    R2,
                    "",
                    &[
                        "eza", "ezas", "ico", "ica", "icos", "icas", "ismo", "ismos", "avel",
                        "ivel", "ista", "istas", "oso", "osa", "osos", "osas", "amento", "amentos",
                        "imento", "imentos", "adora", "ador", "acao", "adoras", "adores", "acoes",
                        "ante", "antes", "ancia", "mente", "idade", "idades", "iva", "ivo", "ivas",
                        "ivos",
                    ],
                ),
                group(R2, "log", &["logia", "logias"]),
                group(R2, "u", &["ucao", "ucoes"]),
                group(R2, "ente", &["encia", "encias"]),
                group(R1, "", &["amente"]),
            ],
        },
        Step {
            if_unchanged: true,
            groups: &[group(
                Rv,
                "",
                &[
                    "ada", "ida", "ia", "aria", "eria", "iria", "ara", "era", "ira", "ava", "asse",
                    "esse", "isse", "aste", "este", "iste", "ei", "arei", "erei", "irei", "am",
                    "iam", "ariam", "eriam", "iriam", "aram", "eram", "iram", "avam", "em", "arem",
                    "erem", "irem", "assem", "essem", "issem", "ado", "ido", "ando", "endo",
                    "indo", "arao", "erao", "irao", "adas", "idas", "ias", "arias", "erias",
                    "irias", "aras", "eras", "iras", "avas", "es", "ares", "eres", "ires", "asses",
                    "esses", "isses", "astes", "estes", "istes", "is", "ais", "eis", "areis",
                    "ereis", "ireis", "ados", "idos", "amos", "iamos", "ariamos", "eriamos",
                    "iriamos", "aramos", "eramos", "iramos", "avamos", "emos", "aremos", "eremos",
                    "iremos", "assemos", "essemos", "issemos", "imos", "ar", "er", "ir", "as",
                    "eu", "iu", "ou",
                ],
            )],
        },
        Step {
            if_unchanged: false,
            // With the nasal endings, folded: infecção and infecções meet at infecc.
            groups: &[group(
                Rv,
                "",
                &["os", "a", "i", "o", "e", "ao", "oes", "aes"],
            )],
        },
    ],
};

/// French: standard suffixes (R2, some RV or R1), then, when none went, verb endings (RV),
/// then a plural s and a final e (RV).
static FRENCH: Rules = Rules {
    vowels: "aeiouy",
    rv: RvKind::French,
    r1_min: 0,
    steps: &[
        Step {
            if_unchanged: false,
            groups: &[
                group(
                    R2,
                    "",
                    &[
                        "ance", "ique", "isme", "able", "iste", "eux", "ances", "iques", "ismes",
                        "ables", "istes", "atrice", "ateur", "ation", "atrices", "ateurs",
                        "ations", "ite", "ites", "if", "ive", "ifs", "ives", "euse", "euses",
                    ],
                ),
                group(R2, "log", &["logie", "logies"]),
                group(R2, "u", &["usion", "ution", "usions", "utions"]),
                group(R2, "ent", &["ence", "ences"]),
                group(Rv, "", &["ement", "ements"]),
                group(R1, "al", &["aux"]),
                group(Any, "eau", &["eaux"]),
                group(Rv, "ant", &["amment"]),
                group(Rv, "ent", &["emment"]),
                group_after(Rv, "aeiouy", "", &["ment", "ments"]),
            ],
        },
        Step {
            if_unchanged: true,
            groups: &[
                group_after(
                    Rv,
                    "",
                    "aeiouy",
                    &[
                        "ir", "ira", "irai", "iraient", "irais", "irait", "iras", "irent", "irez",
                        "iriez", "irions", "irons", "iront", "is", "issaient", "issais", "issait",
                        "issant", "issante", "issantes", "issants", "isse", "issent", "isses",
                        "issez", "issiez", "issions", "issons", "it",
                    ],
                ),
                group(
                    Rv,
                    "",
                    &[
                        "er", "era", "erai", "eraient", "erais", "erait", "eras", "erez", "eriez",
                        "erions", "erons", "eront", "erent", "ez", "iez", "ee", "ees", "es", "a",
                        "ai", "aient", "ais", "ait", "ant", "ante", "antes", "ants", "as", "asse",
                        "assent", "asses", "assiez", "assions", "at",
                    ],
                ),
                group(R2, "", &["ions"]),
            ],
        },
        Step {
            if_unchanged: false,
            groups: &[group_after(Rv, "", "aiouse", &["s"])],
        },
        Step {
            if_unchanged: false,
            groups: &[
                group(Rv, "", &["e"]),
                group(Rv, "i", &["ier", "iere"]),
                group_after(R2, "st", "", &["ion"]),
            ],
        },
    ],
};

/// German: case and plural endings (R1), then adjective and verb endings (R1), then word-
/// forming suffixes (R2).
static GERMAN: Rules = Rules {
    vowels: "aeiouy",
    rv: RvKind::Iberian,
    r1_min: 3,
    steps: &[
        Step {
            if_unchanged: false,
            groups: &[
                group(R1, "", &["em", "ern", "er", "e", "en", "es"]),
                group_after(R1, "bdfghklmnrt", "", &["s"]),
            ],
        },
        Step {
            if_unchanged: false,
            groups: &[
                group(R1, "", &["en", "er", "est"]),
                group_after(R1, "bdfghklmnt", "", &["st"]),
            ],
        },
        Step {
            if_unchanged: false,
            groups: &[
                group(R2, "", &["end", "ung", "lich", "heit", "keit"]),
                group_after(R2, "", "e", &["ig", "ik", "isch"]),
            ],
        },
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_found_as_snowball_finds_them() {
        let v = |x: char| "aeiou".contains(x);
        let c: Vec<char> = "beautiful".chars().collect();
        assert_eq!(after_consonant(&c, 0, &v), 5); // beaut|iful
        assert_eq!(after_consonant(&c, 5, &v), 7); // beautif|ul
        let c: Vec<char> = "macho".chars().collect();
        assert_eq!(rv(&c, RvKind::Iberian, &v), 3);
        let c: Vec<char> = "oliva".chars().collect();
        assert_eq!(rv(&c, RvKind::Iberian, &v), 3);
        // tra|bajo, aur|ea
        let c: Vec<char> = "trabajo".chars().collect();
        assert_eq!(rv(&c, RvKind::Iberian, &v), 3);
        let c: Vec<char> = "aurea".chars().collect();
        assert_eq!(rv(&c, RvKind::Iberian, &v), 3);
        // French: aim|er, ado|rer, vol|er
        for (w, at) in [("aimer", 3), ("adorer", 3), ("voler", 2)] {
            let c: Vec<char> = w.chars().collect();
            assert_eq!(rv(&c, RvKind::French, &|x| "aeiouy".contains(x)), at, "{w}");
        }
    }

    #[test]
    fn every_suffix_is_folded_and_listed_once_per_step() {
        for lang in ["es", "pt", "fr", "de"] {
            let rules = rules_for(lang).unwrap();
            for step in rules.steps {
                let mut seen = std::collections::HashSet::new();
                for g in step.groups {
                    for s in g.suffixes {
                        assert!(s.chars().all(|c| c.is_ascii_lowercase()), "{lang}: {s}");
                        assert!(seen.insert(*s), "{lang}: {s} twice in one step");
                    }
                }
            }
        }
    }
}

//! A deterministic generator of large sites in Causeway's content model, for benchmarks.
//!
//! N articles of about 7 KB, each with 8 to 16 causes drawn from a shared pool of about 400,
//! tags from a pool of about 200, red flags of every urgency, related links and links in the
//! body, spread over nested sections. Bodies are sections of prose whose words follow the
//! shape of real text: most are common words, the rest come from a long tail in which rarer
//! words are drawn less often, so the site's vocabulary grows with its size as a real site's
//! does (counts measured in the benchmark notes, docs/performance.md). The same N always
//! gives the same files.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// Changes whenever the generator writes other files, so cached corpora are made again.
pub const VERSION: &str = "v2";

/// A small, fast, seedable generator (SplitMix64), so corpora never depend on a crate's RNG.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const ROOTS: &[&str] = &[
    "muscle", "nerve", "artery", "vein", "thyroid", "kidney", "liver", "lung", "skin", "joint",
    "bone", "blood", "gut", "bladder", "ear", "eye", "sinus", "heart", "spine", "tendon",
];
const KINDS: &[&str] = &[
    "inflammation",
    "infection",
    "deficiency",
    "injury",
    "strain",
    "damage",
    "overload",
    "irritation",
    "blockage",
    "weakness",
    "allergy",
    "disorder",
    "imbalance",
    "compression",
    "degeneration",
    "ulcer",
    "spasm",
    "swelling",
    "narrowing",
    "reaction",
];
const GROUPS: &[&str] = &[
    "Physiological Triggers",
    "Activity and Lifestyle Factors",
    "Nerve and Blood Flow Impairments",
    "Underlying Conditions and Medications",
    "Infections",
    "Injuries",
];
const WORDS: &[&str] = &[
    "often",
    "pain",
    "may",
    "rest",
    "doctor",
    "sleep",
    "water",
    "walking",
    "symptoms",
    "common",
    "usually",
    "body",
    "signs",
    "weeks",
    "days",
    "treatment",
    "changes",
    "feel",
    "worse",
    "better",
    "people",
    "older",
    "younger",
    "sometimes",
    "cramp",
    "tingling",
    "numbness",
    "swelling",
    "fever",
    "tired",
    "checks",
    "tests",
    "blood",
    "pressure",
    "medicine",
    "exercise",
    "stretching",
    "diet",
    "fluid",
    "salt",
    "sugar",
    "weight",
    "posture",
];
const SYMPTOMS: &[&str] = &[
    "sudden cramp",
    "aching at night",
    "pins and needles",
    "numbness",
    "swelling",
    "redness",
    "stiffness",
    "weakness",
    "fever",
    "tiredness",
    "dizziness",
    "shortness of breath",
    "itching",
    "burning pain",
    "loss of balance",
];

/// The pool of cause names: "Thyroid deficiency", "Kidney strain"...
pub fn cause_pool() -> Vec<String> {
    let mut out = Vec::new();
    for root in ROOTS {
        for kind in KINDS {
            let mut name = root.to_string();
            name[..1].make_ascii_uppercase();
            out.push(format!("{name} {kind}"));
        }
    }
    out
}

/// Everyday words of health prose, the most frequent part of any body.
#[rustfmt::skip]
const COMMON: &[&str] = &[
    "the", "a", "of", "and", "to", "in", "is", "it", "that", "can", "be", "for", "with", "as",
    "this", "your", "you", "or", "are", "on", "if", "may", "more", "when", "not", "by", "from",
    "some", "people", "body", "often", "pain", "doctor", "blood", "muscles", "nerves", "skin",
    "feel", "after", "night", "day", "weeks", "months", "years", "common", "usually", "sometimes",
    "symptoms", "signs", "treatment", "tests", "changes", "worse", "better", "rest", "sleep",
    "water", "walking", "exercise", "stretching", "diet", "fluid", "salt", "sugar", "weight",
    "medicine", "medicines", "infection", "swelling", "cramp", "cramps", "tingling", "numbness",
    "fever", "tired", "pressure", "heart", "legs", "feet", "hands", "back", "chest", "head",
    "older", "younger", "children", "women", "men", "pregnancy", "age", "risk", "help", "care",
    "check", "see", "get", "keep", "make", "take", "stop", "start", "last", "long", "short",
    "mild", "severe", "sudden", "slowly", "quickly", "low", "high", "level", "levels", "cause",
    "causes", "condition", "problem", "problems", "reason", "effect", "side", "effects", "use",
    "most", "many", "few", "other", "such", "also", "than", "then", "there", "which", "who",
    "what", "why", "how", "where", "while", "during", "before", "between", "without", "through",
];

/// Syllables the long tail's words are made of.
const SYLLABLES: &[&str] = &[
    "ab", "ac", "al", "am", "an", "ar", "ba", "be", "bi", "bro", "ca", "cer", "chol", "co", "cor",
    "cy", "de", "der", "di", "do", "du", "el", "em", "en", "er", "ex", "fa", "fer", "fi", "fo",
    "ga", "gen", "gi", "glu", "he", "hy", "id", "il", "im", "in", "ir", "ka", "la", "le", "li",
    "lo", "lu", "ma", "me", "mi", "mo", "mu", "my", "na", "ne", "ni", "no", "nu", "ob", "ol", "om",
    "on", "op", "or", "os", "pa", "pe", "phy", "pi", "po", "pro", "pu", "ra", "re", "ri", "ro",
    "ru", "sa", "se", "si", "so", "sta", "su", "ta", "te", "thy", "ti", "to", "tra", "tu", "ur",
    "va", "ve", "vi", "vo", "xi",
];

/// Word `rank` of the long tail: a made-up but word-like string, the same for the same rank.
fn tail_word(rank: u64) -> String {
    let mut r = Rng::new(rank.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0xA5A5);
    let n = 2 + r.below(3);
    let mut w: String = (0..n).map(|_| r.pick(SYLLABLES)).collect();
    w.push_str(["", "s", "al", "ic", "ia", "osis", "ine", "ed", "ing"][r.below(9)]);
    w
}

/// Words in the tail; rank `r` is drawn with a probability falling as 1/r (Zipf's law).
const TAIL: f64 = 40_000.0;

/// A word of prose: common three times in four, else from the long tail.
fn prose_word(rng: &mut Rng) -> String {
    if rng.below(4) > 0 {
        return rng.pick(COMMON).to_string();
    }
    let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    tail_word(TAIL.powf(u) as u64)
}

/// A paragraph of `sentences` sentences of prose, 8 to 20 words each.
fn prose(rng: &mut Rng, sentences: usize) -> String {
    let mut out = String::new();
    for k in 0..sentences {
        if k > 0 {
            out.push(' ');
        }
        let n = 8 + rng.below(13);
        let mut s: Vec<String> = (0..n).map(|_| prose_word(rng)).collect();
        s[0][..1].make_ascii_uppercase();
        out.push_str(&s.join(" "));
        out.push('.');
    }
    out
}

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(rng.pick(WORDS));
    }
    s[..1].make_ascii_uppercase();
    s.push('.');
    s
}

/// Where article `i` of `n` lives: its folder and slug.
fn place(i: usize) -> (String, String) {
    let folder = format!("area-{:02}/topic-{:02}", i % 20, (i / 20) % 10);
    (folder, format!("condition-{i:06}"))
}

/// Writes a site of `n` articles into `dir` (which must not exist or be empty), using the
/// theme folder `theme_dir` (copied as `themes/default`).
pub fn generate(dir: &Path, n: usize, theme_dir: &Path) -> io::Result<()> {
    generate_languages(dir, n, theme_dir, &[])
}

/// [`generate`] in English and `others` (language tags): `n` articles in each language,
/// every one a translation of the English article of the same name, its causes naming their
/// English counterparts.
pub fn generate_languages(
    dir: &Path,
    n: usize,
    theme_dir: &Path,
    others: &[&str],
) -> io::Result<()> {
    fs::create_dir_all(dir.join("content"))?;
    copy_dir(theme_dir, &dir.join("themes/default"))?;
    let mut yaml = String::from(
        "title: Benchmark Health\ndescription: A generated site.\nbase_url: https://example.org/library/\n\
         language: en\ntheme: default\ndisclaimer: Generated text, not advice.\nsearch:\n  synonyms:\n    \
         - [cramp, spasm, charley horse]\n    - [tired, fatigue]\n",
    );
    if !others.is_empty() {
        yaml.push_str("languages:\n");
        for l in others {
            let _ = writeln!(
                yaml,
                "  {l}: {{ title: Benchmark Health {l}, description: A generated site in {l}. }}"
            );
        }
    }
    fs::write(dir.join("site.yaml"), yaml)?;
    for lang in std::iter::once(None).chain(others.iter().copied().map(Some)) {
        write_articles(dir, n, lang)?;
    }
    Ok(())
}

/// The slug the build gives a cause name made by [`cause_pool`].
fn slug_of(name: &str) -> String {
    name.to_ascii_lowercase().replace(' ', "-")
}

/// The articles of one language: English (`lang` None) or a translation of every English
/// article, as `<name>.<lang>.md`.
fn write_articles(dir: &Path, n: usize, lang: Option<&str>) -> io::Result<()> {
    let ext = lang.map_or_else(|| ".md".to_string(), |l| format!(".{l}.md"));
    let tag = lang.map_or_else(String::new, |l| format!(" ({l})"));
    let pool = cause_pool();
    let tags: Vec<String> = (0..200).map(|t| format!("topic{t:03}")).collect();
    for area in 0..20.min(n.max(1)) {
        let d = dir.join(format!("content/area-{area:02}"));
        fs::create_dir_all(&d)?;
        fs::write(
            d.join(format!("_index{ext}")),
            format!(
                "---\ntitle: Area {area}{tag}\ndescription: Articles of area {area}.\n---\nAn introduction to area {area}.\n"
            ),
        )?;
    }
    for i in 0..n {
        let mut rng = Rng::new(i as u64 * 7919 + 17);
        let (folder, slug) = place(i);
        let title_cause = pool[rng.below(pool.len())].to_lowercase();
        let count = 8 + rng.below(9);
        let mut causes: Vec<&String> = Vec::new();
        while causes.len() < count {
            let c = &pool[rng.below(pool.len())];
            if !causes.contains(&c) {
                causes.push(c);
            }
        }
        let mut fm = String::from("---\n");
        let _ = writeln!(
            fm,
            "title: What Causes Condition {i} and When to See a Doctor{tag}"
        );
        let _ = writeln!(
            fm,
            "description: Why condition {i} happens, from {title_cause} to other causes, and when to get help."
        );
        let _ = writeln!(fm, "condition: Condition {i}");
        let _ = writeln!(fm, "also_known_as: [ailment {i}]");
        let _ = writeln!(
            fm,
            "date: 2025-{:02}-{:02}",
            1 + rng.below(12),
            1 + rng.below(28)
        );
        let _ = writeln!(
            fm,
            "updated: 2026-{:02}-{:02}",
            1 + rng.below(10),
            1 + rng.below(28)
        );
        let _ = writeln!(
            fm,
            "reviewed: {{ by: \"Dr. Reviewer {}\", date: 2026-01-{:02}, next: 2027-01-{:02} }}",
            rng.below(20),
            1 + rng.below(28),
            1 + rng.below(28)
        );
        let mut article_tags: Vec<&String> = (0..3).map(|_| &tags[rng.below(tags.len())]).collect();
        article_tags.dedup();
        let _ = writeln!(
            fm,
            "tags: [{}]",
            article_tags
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        let _ = writeln!(
            fm,
            "symptoms: [{}, {}]",
            rng.pick(SYMPTOMS),
            rng.pick(SYMPTOMS)
        );
        fm.push_str("causes:\n");
        let groups: Vec<&str> = (0..4).map(|g| GROUPS[(i + g) % GROUPS.len()]).collect();
        for (k, c) in causes.iter().enumerate() {
            let _ = writeln!(fm, "  - name: {c}");
            if lang.is_some() {
                let _ = writeln!(fm, "    counterpart: {}", slug_of(c));
            }
            let _ = writeln!(fm, "    group: {}", groups[k % groups.len()]);
            let _ = writeln!(fm, "    summary: {}", sentence(&mut rng, 10));
        }
        fm.push_str("see_a_doctor:\n");
        let _ = writeln!(fm, "  - {}", sentence(&mut rng, 8));
        let _ = writeln!(
            fm,
            "  - {{ text: \"{}\", urgency: urgent }}",
            sentence(&mut rng, 8)
        );
        let _ = writeln!(
            fm,
            "  - {{ text: \"{}\", urgency: emergency }}",
            sentence(&mut rng, 8)
        );
        if n > 1 {
            let mut related = Vec::new();
            for _ in 0..3 {
                let j = rng.below(n);
                if j != i {
                    let (f, s) = place(j);
                    related.push(format!("{f}/{s}"));
                }
            }
            related.sort();
            related.dedup();
            let _ = writeln!(fm, "related: [{}]", related.join(", "));
        }
        let _ = writeln!(
            fm,
            "sources:\n  - {{ title: \"Guide {i}\", publisher: \"A public body\" }}"
        );
        fm.push_str("---\n");

        let mut body = String::new();
        let _ = writeln!(body, "{}\n", prose(&mut rng, 4));
        for (g, group) in groups.iter().enumerate() {
            let _ = writeln!(body, "## {group}\n");
            for c in causes.iter().skip(g).step_by(groups.len()) {
                let _ = writeln!(
                    body,
                    "{} is one possible cause. {}\n",
                    c,
                    prose(&mut rng, 2)
                );
            }
        }
        if n > 1 {
            let j = (i + 1) % n;
            let (f, s) = place(j);
            let _ = writeln!(body, "See also [condition {j}](/{f}/{s}.md).\n");
        }
        let _ = writeln!(body, "## When to See a Doctor\n\n{}", prose(&mut rng, 2));

        let path = dir
            .join("content")
            .join(&folder)
            .join(format!("{slug}{ext}"));
        fs::create_dir_all(path.parent().unwrap())?;
        fs::write(path, format!("{fm}{body}"))?;
    }
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let dest = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &dest)?;
        } else {
            fs::copy(entry.path(), dest)?;
        }
    }
    Ok(())
}

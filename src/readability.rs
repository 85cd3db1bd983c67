//! How hard an article is to read: the Flesch–Kincaid grade of its text, and its longest
//! sentences. Health-literacy guidance asks for about a US grade 6 to 8; the formula is made
//! for English, so other languages get no grade.

/// The reading figures of one article's text.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// Flesch–Kincaid grade level, rounded to one decimal, at least 0.
    pub grade: f64,
    pub words: usize,
    pub sentences: usize,
    /// The longest sentences, longest first (at most three): word count and text.
    pub longest: Vec<(usize, String)>,
}

/// Whether the formula applies to a language tag (`en`, `en-GB`).
pub fn applies_to(language: &str) -> bool {
    let primary = language.split(['-', '_']).next().unwrap_or("");
    primary.eq_ignore_ascii_case("en")
}

/// The figures for an article body as the build renders it (HTML). Paragraphs, list items,
/// table cells and quotes are read; headings and code are not, as they are not prose. A block
/// that does not end in `.`, `!` or `?` (a list item, say) counts as one sentence. None when
/// the text has no words.
pub fn measure(html: &str) -> Option<Reading> {
    let mut words = 0usize;
    let mut syllables = 0usize;
    let mut sentences: Vec<(usize, String)> = Vec::new();
    for block in prose_blocks(html) {
        for sentence in split_sentences(&block) {
            let n = sentence.split_whitespace().filter(|w| is_word(w)).count();
            if n == 0 {
                continue;
            }
            words += n;
            syllables += (sentence.split_whitespace())
                .filter(|w| is_word(w))
                .map(syllables_in)
                .sum::<usize>();
            sentences.push((n, sentence));
        }
    }
    if words == 0 {
        return None;
    }
    let count = sentences.len();
    let grade = 0.39 * words as f64 / count as f64 + 11.8 * syllables as f64 / words as f64 - 15.59;
    // Longest first; among equals, the earlier one.
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_by(|&a, &b| sentences[b].0.cmp(&sentences[a].0).then(a.cmp(&b)));
    let longest = order
        .iter()
        .take(3)
        .map(|&i| sentences[i].clone())
        .collect();
    Some(Reading {
        // Very short words and sentences give a grade below zero: read it as zero.
        grade: ((grade * 10.0).round() / 10.0).max(0.0),
        words,
        sentences: count,
        longest,
    })
}

/// A token that holds a letter or digit (not a lone dash or bullet).
fn is_word(token: &str) -> bool {
    token.chars().any(char::is_alphanumeric)
}

/// The text of each prose block of rendered HTML, entities decoded.
fn prose_blocks(html: &str) -> Vec<String> {
    const BLOCK_ENDS: [&str; 9] = ["p", "li", "td", "th", "blockquote", "dd", "dt", "br", "tr"];
    // Not prose: skipped up to their closing tag.
    const SKIPPED: [&str; 9] = ["pre", "script", "style", "h1", "h2", "h3", "h4", "h5", "h6"];
    let mut blocks = Vec::new();
    let mut current = String::new();
    let mut skip: Option<&str> = None;
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        if skip.is_none() {
            current.push_str(&rest[..lt]);
        }
        let Some(gt) = rest[lt..].find('>') else {
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        rest = &rest[lt + gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = (tag.trim_start_matches('/').chars())
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match (skip, name.as_str()) {
            (Some(open), n) if closing && n == open => skip = None,
            (Some(_), _) => {}
            (None, n) if !closing && SKIPPED.contains(&n) => {
                flush(&mut current, &mut blocks);
                skip = SKIPPED.iter().copied().find(|s| *s == n);
            }
            (None, n) if BLOCK_ENDS.contains(&n) || n == "ul" || n == "ol" || n == "table" => {
                flush(&mut current, &mut blocks)
            }
            _ => {}
        }
    }
    if skip.is_none() {
        current.push_str(rest);
    }
    flush(&mut current, &mut blocks);
    blocks
}

fn flush(current: &mut String, blocks: &mut Vec<String>) {
    let text = decode_entities(current);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if !text.is_empty() {
        blocks.push(text);
    }
    current.clear();
}

/// The entities the build writes: `&amp;` `&lt;` `&gt;` `&quot;` `&#39;` and numeric ones.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| match &rest[1..e] {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "nbsp" => Some(' '),
            n if n.starts_with("#x") => u32::from_str_radix(&n[2..], 16)
                .ok()
                .and_then(char::from_u32),
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        });
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS: [&str; 12] = [
    "e.g.", "i.e.", "dr.", "mr.", "mrs.", "ms.", "prof.", "etc.", "vs.", "approx.", "st.", "no.",
];

/// A block split at `.`, `!` or `?` followed by a space (or the end), keeping abbreviations
/// and decimals ("e.g.", "2.5") inside their sentence.
fn split_sentences(block: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut sentence = String::new();
    for token in block.split_whitespace() {
        if !sentence.is_empty() {
            sentence.push(' ');
        }
        sentence.push_str(token);
        let bare = token.trim_end_matches(['"', '\'', ')', '”', '’', ']']);
        let ends = bare.ends_with(['.', '!', '?'])
            && !ABBREVIATIONS.contains(&bare.to_lowercase().as_str())
            // An initial, like the "A." of "A. Reviewer".
            && !(bare.len() == 2 && bare.starts_with(|c: char| c.is_uppercase()));
        if ends {
            out.push(std::mem::take(&mut sentence));
        }
    }
    if !sentence.is_empty() {
        out.push(sentence);
    }
    out
}

/// Syllables of an English word, by vowel groups: a common approximation (a silent final
/// `e` is not counted; `-le` after a consonant is; every word has at least one).
fn syllables_in(word: &str) -> usize {
    let w: Vec<char> = (word.chars())
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    if w.is_empty() {
        // A number ("10") is read as a word of one syllable or more: count it as one.
        return 1;
    }
    let vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    let mut count = 0;
    let mut previous = false;
    for &c in &w {
        let v = vowel(c);
        if v && !previous {
            count += 1;
        }
        previous = v;
    }
    let n = w.len();
    if n > 2 && w[n - 1] == 'e' && !vowel(w[n - 2]) {
        let le = w[n - 2] == 'l' && n > 3 && !vowel(w[n - 3]);
        if !le {
            count -= 1;
        }
    }
    if n > 3 && w.ends_with(&['e', 'd']) && !matches!(w[n - 3], 't' | 'd') && !vowel(w[n - 3]) {
        count -= 1;
    }
    count.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables_follow_the_usual_approximation() {
        for (word, n) in [
            ("cramp", 1),
            ("muscle", 2),
            ("table", 2),
            ("make", 1),
            ("doctor", 2),
            ("dehydration", 4),
            ("tuberculosis", 5),
            ("jumped", 1),
            ("started", 2),
            ("the", 1),
            ("10", 1),
            ("eye", 1),
        ] {
            assert_eq!(syllables_in(word), n, "{word}");
        }
    }

    #[test]
    fn the_grade_of_plain_and_of_dense_text() {
        let plain =
            measure("<p>Cramps hurt. They stop soon. Drink water. Stretch your leg.</p>").unwrap();
        assert_eq!((plain.words, plain.sentences), (10, 4));
        assert!(plain.grade < 2.0, "{plain:?}");
        let dense = measure(
            "<h2>Not counted at all</h2><p>Peripheral neuropathy, a consequence of prolonged hyperglycaemia, \
             frequently manifests as paraesthesia accompanied by nocturnal musculoskeletal discomfort.</p>\
             <pre><code>not. counted. either.</code></pre>",
        )
        .unwrap();
        assert_eq!((dense.words, dense.sentences), (16, 1));
        assert!(dense.grade > 16.0, "{dense:?}");
        assert_eq!(dense.longest[0].0, 16);
        assert!(dense.longest[0].1.starts_with("Peripheral neuropathy"));
    }

    #[test]
    fn list_items_abbreviations_and_entities() {
        let r = measure(
            "<ul>\n<li>Swelling in one leg</li>\n<li>Pain, e.g. when walking &amp; at rest</li>\n</ul>\
             <p>Dr. Okafor says 2.5 litres. A. Reviewer agrees.</p>",
        )
        .unwrap();
        assert_eq!(r.sentences, 4, "{r:?}");
        assert!(
            r.longest
                .iter()
                .any(|(_, s)| s == "Pain, e.g. when walking & at rest"),
            "{r:?}"
        );
        assert_eq!(measure("<pre><code>only code</code></pre>"), None);
        assert!(applies_to("en-GB") && applies_to("en") && !applies_to("es"));
    }
}

//! The compact JSON of the search files: postings as `document << 4 | field` codes, lists of
//! numbers as gaps and runs, strings escaped as serde_json escapes them.

use serde::Serialize;

/// A value as JSON bytes, as serde_json writes it.
pub(crate) fn to_vec<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("search values always serialise")
}

/// Where one word is: `document << 4 | field` codes, in any order (sorted when written).
pub(crate) type Postings = Vec<u32>;

pub(crate) fn code(doc: u32, field: u8) -> u32 {
    debug_assert!(doc < 1 << 28, "document numbers fit in 28 bits");
    doc << 4 | field as u32
}

/// Writes sorted numbers as a JSON array: each value is how many numbers were skipped since
/// the previous one (the first counts from -1), and a negative value -n stands for n more
/// consecutive numbers.
pub(crate) fn write_numbers(out: &mut String, docs: &[u32]) {
    out.push('[');
    let mut prev: i64 = -1;
    let mut i = 0;
    let mut first = true;
    while i < docs.len() {
        if !first {
            out.push(',');
        }
        first = false;
        let d = docs[i] as i64;
        let mut run = 0;
        while i + run + 1 < docs.len() && docs[i + run + 1] as i64 == d + run as i64 + 1 {
            run += 1;
        }
        if run >= 2 && d == prev + 1 {
            out.push('-');
            push_int(out, run as i64 + 1);
            prev = d + run as i64;
            i += run + 1;
        } else {
            push_int(out, d - prev - 1);
            prev = d;
            i += 1;
        }
    }
    out.push(']');
}

fn push_int(out: &mut String, n: i64) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// `{ field: numbers }`.
pub(crate) fn write_postings(out: &mut String, p: &[u32]) {
    // Codes are `doc << 4 | field`: rotated to `field << 28 | doc`, they sort by field, then
    // by document, as plain numbers. They come mostly in document order: spread by field
    // (a counting sort), each field's run is most often sorted already.
    let mut start_of = [0usize; 17];
    for c in p {
        start_of[(c & 15) as usize + 1] += 1;
    }
    for f in 1..17 {
        start_of[f] += start_of[f - 1];
    }
    let mut keys = vec![0u32; p.len()];
    let mut next = start_of;
    for c in p {
        let f = (c & 15) as usize;
        keys[next[f]] = c.rotate_right(4);
        next[f] += 1;
    }
    for f in 0..16 {
        let run = &mut keys[start_of[f]..start_of[f + 1]];
        if !run.is_sorted() {
            run.sort_unstable();
        }
    }
    keys.dedup();
    out.push('{');
    let mut docs = Vec::new();
    let mut start = 0;
    while start < keys.len() {
        let f = keys[start] >> 28;
        let end = start + keys[start..].iter().take_while(|&&k| k >> 28 == f).count();
        if start > 0 {
            out.push(',');
        }
        out.push('"');
        push_int(out, f as i64);
        out.push_str("\":");
        docs.clear();
        docs.extend(keys[start..end].iter().map(|k| k & 0x0fff_ffff));
        write_numbers(out, &docs);
        start = end;
    }
    out.push('}');
}

/// `s` as a JSON string, escaped exactly as serde_json writes it.
pub(crate) fn json_str(out: &mut String, s: &str) {
    // Most text needs no escape: serde_json escapes only quotes, backslashes and controls.
    // (Tested 32 bytes at a time, without stopping early, so that the test vectorises.)
    let needs = |block: &[u8]| {
        block
            .iter()
            .map(|&b| u8::from(b == b'"') | u8::from(b == b'\\') | u8::from(b < 0x20))
            .fold(0, |a, x| a | x)
            != 0
    };
    let blocks = s.as_bytes().chunks_exact(32);
    let plain = !needs(blocks.remainder()) && !blocks.into_iter().any(needs);
    if plain {
        out.reserve(s.len() + 2);
        out.push('"');
        out.push_str(s);
        out.push('"');
        return;
    }
    // SAFETY: serde_json writes valid UTF-8 (the escaped string), so `out` stays UTF-8.
    let bytes = unsafe { out.as_mut_vec() };
    serde_json::to_writer(bytes, s).expect("strings serialise");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::testing::numbers;

    #[test]
    fn strings_are_escaped_exactly_as_serde_json_does() {
        for s in [
            "plain text",
            "",
            "a \"quote\"",
            "back\\slash",
            "tab\there",
            "\u{1}",
            "\u{7f}\u{2028}é</script>",
        ] {
            let mut out = String::new();
            json_str(&mut out, s);
            assert_eq!(out, serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn numbers_are_written_as_gaps_and_runs() {
        let docs = [0, 1, 2, 3, 10, 11, 20, 21, 22, 40];
        let mut out = String::new();
        write_numbers(&mut out, &docs);
        assert_eq!(out, "[-4,6,0,8,0,0,17]");
        let back = numbers(&serde_json::from_str(&out).unwrap());
        assert_eq!(back, docs.iter().map(|&d| d as i64).collect::<Vec<_>>());
        let mut empty = String::new();
        write_numbers(&mut empty, &[]);
        assert_eq!(empty, "[]");
    }
}

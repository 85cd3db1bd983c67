//! Helpers of the search unit tests: a small sample site and readers of the files made.

use crate::site::Site;
use crate::test_site::{article, site};

pub(crate) fn sample() -> Site {
    site(
        &[
            (
                "legs/leg-cramps.md",
                &article(
                    "Night-Time Leg Cramps",
                    "2026-10-05",
                    &["Dehydration", "Pregnancy"],
                    "condition: Leg cramps\nsymptoms: [sudden calf pain]\n",
                ),
            ),
            (
                "feet/foot-spasms.md",
                &article(
                    "What Causes Spasms in Your Feet <script>alert(\"t\")</script>",
                    "2026-11-02",
                    &["Dehydration"],
                    "also_known_as: [foot cramps]\n",
                ),
            ),
            (
                "head/headache.md",
                &article("Tension Headaches", "2026-11-02", &["Stress"], ""),
            ),
        ],
        "search:\n  synonyms:\n    - [cramp, spasm, charley horse]\n",
    )
}

pub(crate) fn json(files: &[(String, Vec<u8>)], path: &str) -> serde_json::Value {
    let (_, bytes) = files
        .iter()
        .find(|(p, _)| p == path)
        .unwrap_or_else(|| panic!("no {path}"));
    serde_json::from_slice(bytes).unwrap()
}

/// The numbers a list written by `write_numbers` stands for.
pub(crate) fn numbers(v: &serde_json::Value) -> Vec<i64> {
    let mut out = Vec::new();
    let mut d = -1;
    for x in v.as_array().unwrap() {
        let x = x.as_i64().unwrap();
        if x < 0 {
            for _ in 0..-x {
                d += 1;
                out.push(d);
            }
        } else {
            d += x + 1;
            out.push(d);
        }
    }
    out
}

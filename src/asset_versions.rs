//! Versions of the static files: a short hash of each one's bytes, added to the links pages
//! write (`style.css?v=3f9a…`), so a host may cache them for a year and readers still get a
//! new file as soon as it changes (docs/deploying.md).

use std::collections::BTreeMap;

use crate::diagnostics::{Code, Diagnostic};
use crate::{Copied, CopiedFrom};

/// FNV-1a, 64 bits: a fixed algorithm, so the same bytes give the same version with every
/// release of Causeway (the standard library's hasher may change).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The version of each static file (not the files beside articles, which pages link as they
/// are), by its path in the output: ten hex digits of its hash.
pub fn of(copied: &[Copied]) -> Result<BTreeMap<String, String>, Vec<Diagnostic>> {
    let mut versions = BTreeMap::new();
    let mut errors = Vec::new();
    for (rel, from, beside_articles) in copied {
        if *beside_articles {
            continue;
        }
        let hash = match from {
            CopiedFrom::Builtin(_) => fnv1a(from.builtin_bytes().unwrap_or_default()),
            CopiedFrom::File(path) => match std::fs::read(path) {
                Ok(bytes) => fnv1a(&bytes),
                Err(e) => {
                    errors.push(Diagnostic::error(
                        path.clone(),
                        Code::Io,
                        format!("cannot read: {e}"),
                    ));
                    continue;
                }
            },
        };
        versions.insert(rel.clone(), format!("{:010x}", hash >> 24));
    }
    if errors.is_empty() {
        Ok(versions)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_fnv_1a() {
        // The published test vectors of FNV-1a, 64 bits.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }
}

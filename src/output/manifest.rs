//! What the last build wrote into an output folder: each file's path, size, hash and the
//! time it was written. The next build into the same folder leaves a file alone when it
//! would write the same bytes and the file on disk is still the one it wrote, so rebuilding
//! a large site touches only what changed instead of deleting and writing every file.
//!
//! The manifest lives in the build cache (see `docs/deploying.md`), not in the output, so
//! the output stays the same bytes from build to build. Losing it costs one full write.

use std::collections::BTreeMap;
use std::fs;
use std::hash::Hasher;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// First line of a manifest; a file that does not start with it is not read.
const HEADER: &str = "causeway output manifest 1";

/// One file the build wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// Hash of the file's bytes ([`hash`]); [`Entry::UNKNOWN`] for a file whose state is
    /// not known (a build stopped while replacing it), which the next build rewrites.
    pub hash: u64,
    pub size: u64,
    /// When the file was written, in nanoseconds since 1970: a file changed by anything
    /// else since then is written again.
    pub modified: u128,
}

impl Entry {
    /// A file whose content is not known: never taken as unchanged.
    pub const UNKNOWN: Entry = Entry {
        hash: 0,
        size: u64::MAX,
        modified: 0,
    };

    /// Whether the file on disk at `path` is still the one this entry describes.
    pub fn matches_disk(&self, path: &Path) -> bool {
        fs::symlink_metadata(path).is_ok_and(|m| {
            m.is_file() && m.len() == self.size && modified_nanos(&m) == Some(self.modified)
        })
    }
}

/// The modification time of a file, in nanoseconds since 1970.
pub fn modified_nanos(meta: &fs::Metadata) -> Option<u128> {
    let time = meta.modified().ok()?;
    Some(time.duration_since(SystemTime::UNIX_EPOCH).ok()?.as_nanos())
}

/// The hash of a file's bytes. SipHash with fixed keys: not a guard against an attacker
/// (the attacker would be the site's own writer), but no accidental collision between two
/// versions of a file in practice. Should the standard library change its algorithm, the
/// next build writes every file once.
pub fn hash(bytes: &[u8]) -> u64 {
    let mut h = Hashing::default();
    h.update(bytes);
    h.finish()
}

/// [`hash`] of bytes that arrive in parts; the same value as hashing them whole.
#[derive(Default)]
pub struct Hashing(std::hash::DefaultHasher);

impl Hashing {
    pub fn update(&mut self, bytes: &[u8]) {
        // `write`, unlike `Hash::hash` of a slice, adds no length prefix, so parts hash as
        // the whole does.
        self.0.write(bytes);
    }

    pub fn finish(&self) -> u64 {
        self.0.finish()
    }
}

/// The files of one output folder, by their path in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// The output folder the files were written to, made absolute.
    pub output: PathBuf,
    pub files: BTreeMap<String, Entry>,
}

impl Manifest {
    /// Reads the manifest at `path`. None when there is none, or it cannot be read, or it
    /// describes another folder: the build then writes every file.
    pub fn read(path: &Path, output: &Path) -> Option<Manifest> {
        let text = fs::read_to_string(path).ok()?;
        let manifest = Manifest::parse(&text)?;
        (manifest.output == output).then_some(manifest)
    }

    fn parse(text: &str) -> Option<Manifest> {
        let mut lines = text.lines();
        if lines.next()? != HEADER {
            return None;
        }
        let output = PathBuf::from(unescape(lines.next()?.strip_prefix("output ")?)?);
        let mut files = BTreeMap::new();
        for line in lines {
            let mut parts = line.splitn(4, ' ');
            let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
            let size = parts.next()?.parse().ok()?;
            let modified = parts.next()?.parse().ok()?;
            let rel = unescape(parts.next()?)?;
            files.insert(
                rel,
                Entry {
                    hash,
                    size,
                    modified,
                },
            );
        }
        Some(Manifest { output, files })
    }

    fn render(&self) -> String {
        let mut out = String::with_capacity(64 * (self.files.len() + 2));
        out.push_str(HEADER);
        out.push('\n');
        out.push_str("output ");
        out.push_str(&escape(&self.output.to_string_lossy()));
        out.push('\n');
        for (rel, e) in &self.files {
            use std::fmt::Write as _;
            let _ = writeln!(
                out,
                "{:016x} {} {} {}",
                e.hash,
                e.size,
                e.modified,
                escape(rel)
            );
        }
        out
    }

    /// Writes the manifest to `path` whole or not at all (through a temporary file renamed
    /// over it), making its folder first.
    pub fn write(&self, path: &Path) -> io::Result<()> {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        let partial = path.with_extension("partial");
        let mut file = fs::File::create(&partial)?;
        file.write_all(self.render().as_bytes())?;
        drop(file);
        fs::rename(&partial, path)
    }
}

/// Paths may hold any character but `/`-separated segments; a line break or `%` in one is
/// written as `%0A`, `%0D`, `%25`, so each file is one line.
fn escape(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\n', "%0A")
        .replace('\r', "%0D")
}

fn unescape(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let code = rest.get(i + 1..i + 3)?;
        out.push(match code {
            "25" => '%',
            "0A" => '\n',
            "0D" => '\r',
            _ => return None,
        });
        rest = &rest[i + 3..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_it_writes() {
        let mut files = BTreeMap::new();
        for (i, rel) in ["index.html", "a b/100%.html", "odd\nname/x", "ä/ب.html"]
            .into_iter()
            .enumerate()
        {
            let n = i as u64;
            files.insert(
                rel.to_string(),
                Entry {
                    hash: u64::MAX - n,
                    size: n * 1000,
                    modified: 1_700_000_000_123_456_789 + u128::from(n),
                },
            );
        }
        files.insert("gone.html".into(), Entry::UNKNOWN);
        let manifest = Manifest {
            output: PathBuf::from("/srv/site %1/public"),
            files,
        };
        assert_eq!(Manifest::parse(&manifest.render()), Some(manifest));
    }

    #[test]
    fn refuses_what_it_did_not_write() {
        for text in [
            "",
            "something else\noutput /x\n",
            "causeway output manifest 1\n",
            "causeway output manifest 1\noutput /x\nzz 1 2 a\n",
            "causeway output manifest 1\noutput /x\n00 1 2\n",
            "causeway output manifest 1\noutput /x\n00 1 2 bad%escape\n",
        ] {
            assert_eq!(Manifest::parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn hashes_parts_as_the_whole() {
        let mut h = Hashing::default();
        h.update(b"<html>");
        h.update(b"</html>");
        assert_eq!(h.finish(), hash(b"<html></html>"));
        assert_ne!(hash(b"a"), hash(b"b"));
    }
}

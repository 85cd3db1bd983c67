//! Build benchmark: generates corpora of N articles and times full builds of them with the
//! release binary, reporting wall time, CPU time and peak memory.
//!
//! ```sh
//! cargo bench --bench build                          # N = 1,000 and 10,000
//! cargo bench --bench build -- --sizes 1000,10000,100000
//! cargo bench --bench build -- --generate 10000 /tmp/corpus   # only write a corpus
//! ```
//!
//! Corpora are cached under `target/bench-corpus/<N>`.

#[path = "support/corpus.rs"]
mod corpus;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// One measured run of a child process.
struct Run {
    wall: Duration,
    cpu: Duration,
    peak_rss_kib: i64,
}

/// Runs the command and measures it with `wait4`, which gives this child's own CPU time and
/// peak resident memory.
#[allow(clippy::zombie_processes)] // reaped by wait4 below
fn measure(cmd: &mut Command) -> Run {
    let started = Instant::now();
    let child = cmd.spawn().expect("spawn causeway");
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; `status` and `usage` are valid for writing.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    assert!(
        pid > 0 && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "build failed"
    );
    let tv = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    Run {
        wall,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        peak_rss_kib: usage.ru_maxrss,
    }
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The corpus of `n` articles, generated on first use.
fn corpus(n: usize) -> PathBuf {
    let dir = repo().join("target/bench-corpus").join(n.to_string());
    let marker = dir.join(".complete");
    if !marker.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        let started = Instant::now();
        corpus::generate(&dir, n, &repo().join("themes/default")).expect("generate corpus");
        std::fs::write(&marker, "").unwrap();
        eprintln!(
            "generated {n} articles in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    dir
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.partial_cmp(b).unwrap());
    xs[xs.len() / 2]
}

fn bench_size(n: usize) {
    let dir = corpus(n);
    let out = std::env::temp_dir().join(format!("causeway-bench-{n}"));
    let runs = if n >= 100_000 { 1 } else { 3 };
    let mut results = Vec::new();
    for _ in 0..runs {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_causeway"));
        cmd.args(["build", "--root"])
            .arg(&dir)
            .arg("--output")
            .arg(&out);
        cmd.stdout(std::process::Stdio::null());
        results.push(measure(&mut cmd));
    }
    let pages = count_files(&out);
    println!(
        "build {n:>7} articles: wall {:>7.3} s  cpu {:>7.3} s  peak {:>6.0} MB  ({pages} files, median of {runs})",
        median(results.iter().map(|r| r.wall.as_secs_f64()).collect()),
        median(results.iter().map(|r| r.cpu.as_secs_f64()).collect()),
        median(
            results
                .iter()
                .map(|r| r.peak_rss_kib as f64 / 1024.0)
                .collect()
        ),
    );
    let _ = std::fs::remove_dir_all(&out);
}

fn count_files(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .count()
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if let Some(i) = args.iter().position(|a| a == "--generate") {
        let n: usize = args[i + 1].parse().expect("--generate N DIR");
        let dir = PathBuf::from(&args[i + 2]);
        corpus::generate(&dir, n, &repo().join("themes/default")).expect("generate corpus");
        println!("wrote {n} articles to {}", dir.display());
        return;
    }
    let sizes: Vec<usize> = args
        .iter()
        .position(|a| a == "--sizes")
        .map(|i| {
            args[i + 1]
                .split(',')
                .map(|s| s.trim().parse().expect("--sizes 1000,10000"))
                .collect()
        })
        .unwrap_or_else(|| vec![1_000, 10_000]);
    for n in sizes {
        bench_size(n);
    }
}

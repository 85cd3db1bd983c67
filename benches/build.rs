//! Build benchmark: generates corpora of N articles and times full builds of them with the
//! release binary, reporting wall time, CPU time and peak memory.
//!
//! ```sh
//! cargo bench --bench build      # builds at 1,000, 10,000, 100,000; rebuilds at 1,000, 10,000
//! cargo bench --bench build -- --sizes 1000,10000
//! cargo bench --bench build -- --sizes 10000 --out /dev/shm   # output on a tmpfs
//! cargo bench --bench build -- --generate 10000 /tmp/corpus   # only write a corpus
//! cargo bench --bench build -- --rebuild 1000,10000             # one-article edits while serving
//! cargo bench --bench build -- --shards /tmp/corpus              # time the search shards of a site
//! cargo bench --bench build -- --languages 10000    # N articles in one language against N/2 in two
//! cargo bench --bench build -- --disk 10000         # against the floor and Hugo, disk and tmpfs
//! ```
//!
//! Corpora are cached under `target/bench-corpus/<generator version>-<N>`.

#[path = "support/corpus.rs"]
mod corpus;
#[path = "support/disk.rs"]
mod disk;

use std::path::{Path, PathBuf};

/// The same allocator as the `causeway` binary, so in-process figures match it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::Command;
use std::time::{Duration, Instant};

/// One measured run of a child process.
struct Run {
    wall: Duration,
    cpu: Duration,
    /// The part of `cpu` spent in the program itself, not in the kernel.
    user: Duration,
    peak_rss_kib: i64,
}

/// Runs the command and measures it with `wait4`, which gives this child's own CPU time. Its
/// peak memory is what the build itself reports (`--timings`, on standard error, as
/// [`build_command`] asks): the peak `wait4` gives a child on Linux includes its parent's.
#[allow(clippy::zombie_processes)] // reaped by wait4 below
fn measure(cmd: &mut Command) -> Run {
    let started = Instant::now();
    let mut child = cmd.spawn().expect("spawn causeway");
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; `status` and `usage` are valid for writing.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    assert!(
        pid > 0 && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "build failed"
    );
    let reported = child.stderr.take().and_then(|mut err| {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut err, &mut text).ok()?;
        (text.lines())
            .filter_map(|l| {
                l.split("peak")
                    .nth(1)?
                    .trim()
                    .strip_suffix("MB")?
                    .trim()
                    .parse()
                    .ok()
            })
            .max()
            .map(|mb: i64| mb * 1024)
    });
    Run {
        wall,
        cpu: duration(usage.ru_utime) + duration(usage.ru_stime),
        user: duration(usage.ru_utime),
        peak_rss_kib: reported.unwrap_or(usage.ru_maxrss),
    }
}

/// A `timeval` of `rusage` as a duration.
fn duration(t: libc::timeval) -> Duration {
    Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The corpus of `n` articles, generated on first use.
fn corpus(n: usize) -> PathBuf {
    corpus_in(n, &[])
}

/// The corpus of `n` articles in English and `n` translations in each of `others`.
fn corpus_in(n: usize, others: &[&str]) -> PathBuf {
    let name = std::iter::once(format!("{}-{n}", corpus::VERSION))
        .chain(others.iter().map(|l| l.to_string()))
        .collect::<Vec<_>>()
        .join("-");
    let dir = repo().join("target/bench-corpus").join(name);
    let marker = dir.join(".complete");
    if !marker.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        let started = Instant::now();
        corpus::generate_languages(&dir, n, &repo().join("themes/default"), others)
            .expect("generate corpus");
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

fn bench_size(n: usize, out_root: &Path) {
    let dir = corpus(n);
    let out = out_root.join(format!("causeway-bench-{n}"));
    let runs = if n >= 100_000 { 1 } else { 3 };
    let mut results = Vec::new();
    for _ in 0..runs {
        results.push(fresh_build(&dir, &out));
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

/// A fresh build of `dir` into `out` (deleted first), timed.
fn fresh_build(dir: &Path, out: &Path) -> Run {
    let _ = std::fs::remove_dir_all(out);
    measure(&mut build_command(dir, out, None))
}

/// `causeway build` of `dir` into `out`, with the build cache in `cache` or none.
fn build_command(dir: &Path, out: &Path, cache: Option<&Path>) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_causeway"));
    cmd.args(["build", "--root"])
        .arg(dir)
        .arg("--output")
        .arg(out);
    match cache {
        Some(cache) => cmd.arg("--cache-dir").arg(cache),
        None => cmd.arg("--no-cache"),
    };
    // The phases and their peak memory, for `measure`.
    cmd.arg("--timings")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    cmd
}

/// `n` articles in one language against `n / 2` in each of two (English and Spanish), built
/// in turn (A B A B...) into each of `out_roots`, as time per article and its ratio.
fn bench_languages(n: usize, out_roots: &[PathBuf]) {
    let one = corpus(n);
    let two = corpus_in(n / 2, &["es"]);
    const ROUNDS: usize = 5;
    for root in out_roots {
        let out = root.join("causeway-bench-languages");
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for _ in 0..ROUNDS {
            a.push(fresh_build(&one, &out).wall.as_secs_f64() / n as f64);
            b.push(fresh_build(&two, &out).wall.as_secs_f64() / (n / 2 * 2) as f64);
        }
        let (a, b) = (median(a), median(b));
        println!(
            "{}: 1 language × {n}: {:.1} µs/article; 2 languages × {}: {:.1} µs/article; ratio {:.3} (median of {ROUNDS}, in turn)",
            root.display(),
            a * 1e6,
            n / 2,
            b * 1e6,
            b / a
        );
        let _ = std::fs::remove_dir_all(&out);
    }
}

fn count_files(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .count()
}

fn percentile(mut xs: Vec<f64>, p: f64) -> f64 {
    xs.sort_by(|a, b| a.partial_cmp(b).unwrap());
    xs[((xs.len() - 1) as f64 * p).round() as usize]
}

/// The kinds of one-article edit a writer makes, by name. A body edit shows on the article's
/// page only; a description or a cause's summary on every list of the article and in the
/// search files; a tag or a cause added changes which lists hold the article.
const EDITS: [&str; 5] = ["body", "description", "summary", "tag", "cause"];

/// The article `original` with edit number `k` of kind `kind` (see [`EDITS`]), and text its
/// page shows only after that edit. Consecutive edits of a kind differ from each other.
fn edited(original: &str, kind: usize, k: usize) -> (String, String) {
    let (from, to, marker) = match EDITS[kind] {
        "body" => (
            "is one possible cause.".to_string(),
            format!("is one possible cause (edit {k})."),
            format!("(edit {k})"),
        ),
        "description" => (
            "description: Why".to_string(),
            format!("description: (edit {k}) Why"),
            format!("(edit {k})"),
        ),
        "summary" => (
            "    summary: ".to_string(),
            format!("    summary: (edit {k}) "),
            format!("(edit {k})"),
        ),
        // Tags and causes the site already has, so no page appears or goes.
        "tag" => (
            "tags: [".to_string(),
            format!("tags: [topic10{}, ", k % 2),
            format!("/tags/topic10{}/", k % 2),
        ),
        _ => {
            let name = ["Artery allergy", "Artery blockage"][k % 2];
            (
                "causes:\n".to_string(),
                format!("causes:\n  - name: {name}\n    summary: Edit {k}.\n"),
                format!("Edit {k}."),
            )
        }
    };
    assert!(original.contains(&from), "the article has {from:?}");
    (original.replacen(&from, &to, 1), marker)
}

/// Edits one article again and again and measures (1) the workspace's rebuild in this process
/// and (2) the whole loop through a running `causeway serve`: save, file event, rebuild,
/// until the server returns the new page. Once for each kind of edit in [`EDITS`].
fn bench_rebuild(n: usize) {
    use causeway::serve::workspace::{Served, Workspace};
    let dir = corpus(n);
    let rel = "content/area-03/topic-00/condition-000003.md";
    let path = dir.join(rel);
    let original = std::fs::read_to_string(&path).unwrap();
    let edit = |kind: usize, k: usize| {
        let (text, marker) = edited(&original, kind, k);
        std::fs::write(&path, text).unwrap();
        marker
    };
    let page = "area-03/topic-00/condition-000003/index.html";
    let options = causeway::BuildOptions::new(&dir);
    let started = Instant::now();
    let mut ws = Workspace::open(options).expect("corpus builds");
    let open = started.elapsed();
    for (kind, name) in EDITS.iter().enumerate() {
        // From the file as it was, so that each kind's first edit is that kind alone.
        std::fs::write(&path, &original).unwrap();
        ws.apply(std::slice::from_ref(&path)).expect("rebuild");
        let mut times = Vec::new();
        let mut pages = 0;
        let mut phases: Vec<Vec<f64>> = Vec::new();
        let mut phase_names = String::new();
        let (mut marker, mut patched) = (String::new(), 0);
        for k in 0..20 {
            marker = edit(kind, k);
            let t = Instant::now();
            let r = ws.apply(std::slice::from_ref(&path)).expect("rebuild");
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            pages = r.pages;
            patched += usize::from(r.model_patched);
            phases.resize(r.phases.len(), Vec::new());
            for (k, (_, d)) in r.phases.iter().enumerate() {
                phases[k].push(d.as_secs_f64() * 1000.0);
            }
            let names: Vec<&str> = r.phases.iter().map(|(n, _)| *n).collect();
            phase_names = names.join(",");
            assert!(!r.full);
        }
        assert!(
            matches!(ws.get(page), Some(Served::Bytes(b)) if String::from_utf8_lossy(&b).contains(&marker))
        );
        let medians: Vec<String> = phase_names
            .split(',')
            .zip(&phases)
            .map(|(n, xs)| format!("{n} {:.1}", percentile(xs.clone(), 0.5)))
            .collect();
        println!(
            "rebuild {n:>6} articles, {name:<11} edit: in-process p50 {:>6.1} ms  p95 {:>6.1} ms  ({pages} pages re-rendered; model patched in {patched} of 20; phase p50s in ms: {}; first full build {:.2} s)",
            percentile(times.clone(), 0.5),
            percentile(times, 0.95),
            medians.join(", "),
            open.as_secs_f64()
        );
    }
    std::fs::write(&path, &original).unwrap();
    ws.apply(std::slice::from_ref(&path)).expect("rebuild");
    // A new article beside the edited one (a copy under another name), then the same
    // article deleted: articles move in every list they are in.
    let added: Vec<PathBuf> = (0..5)
        .map(|k| path.with_file_name(format!("added-{k}.md")))
        .collect();
    for (name, write) in [("new article", true), ("deleted", false)] {
        let mut times = Vec::new();
        let mut pages = 0;
        for file in &added {
            if write {
                std::fs::write(file, &original).unwrap();
            } else {
                std::fs::remove_file(file).unwrap();
            }
            let t = Instant::now();
            let r = ws.apply(std::slice::from_ref(file)).expect("rebuild");
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            assert!(!r.full);
            pages = r.pages;
        }
        println!(
            "rebuild {n:>6} articles, {name:<11}: in-process p50 {:>6.1} ms  max {:>6.1} ms  ({pages} pages re-rendered, 5 times)",
            percentile(times.clone(), 0.5),
            percentile(times, 1.0),
        );
    }
    drop(ws);

    // Through the real server.
    let mut child = Command::new(env!("CARGO_BIN_EXE_causeway"))
        .args(["serve", "--port", "0", "--root"])
        .arg(&dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    std::io::BufRead::read_line(&mut out, &mut line).unwrap();
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    let port: u16 = line
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap();
    let fetch = || {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            s,
            "GET /library/{page} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
        )
        .unwrap();
        let mut body = String::new();
        let _ = s.read_to_string(&mut body);
        body
    };
    for (kind, name) in EDITS.iter().enumerate() {
        std::fs::write(&path, &original).unwrap();
        std::thread::sleep(Duration::from_millis(500));
        let mut e2e = Vec::new();
        for k in 100..110 {
            std::thread::sleep(Duration::from_millis(200));
            let marker = edit(kind, k);
            let t = Instant::now();
            while !fetch().contains(&marker) {
                std::thread::sleep(Duration::from_millis(2));
                assert!(
                    t.elapsed() < Duration::from_secs(30),
                    "the edit never showed up"
                );
            }
            e2e.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        println!(
            "rebuild {n:>6} articles, {name:<11} edit: save-to-served p50 {:>6.1} ms  p95 {:>6.1} ms  (includes the 20 ms settle window and file-event delivery)",
            percentile(e2e.clone(), 0.5),
            percentile(e2e, 0.95)
        );
    }
    // Linux says how much memory the server holds, and held at most.
    if let Ok(status) = std::fs::read_to_string(format!("/proc/{}/status", child.id())) {
        let kib = |key: &str| {
            (status.lines().find(|l| l.starts_with(key)))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
                .unwrap_or(f64::NAN)
        };
        println!(
            "serve {n:>6} articles after the edits: {:.0} MB resident, {:.0} MB at most",
            kib("VmRSS:") / 1024.0,
            kib("VmHWM:") / 1024.0
        );
    }
    let _ = child.kill();
    let _ = child.wait();
    std::fs::write(&path, &original).unwrap();
}

/// Times the sharded search index of the site at `dir` (`search/`), made from the model
/// in memory: a full generation, and a rebuild that finds its inputs unchanged.
fn bench_shards(dir: &Path) {
    let (sites, _) = causeway::load(&causeway::BuildOptions::new(dir)).expect("site loads");
    let site = &sites[0];
    let mut times = Vec::new();
    let mut bytes = 0;
    let mut count = 0;
    for _ in 0..7 {
        let t = Instant::now();
        let files = causeway::search::files(site);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        count = files.len();
        bytes = files.iter().map(|(_, b)| b.len()).sum::<usize>();
    }
    let mut cache = causeway::search::ShardCache::kept();
    causeway::search::write_files(site, &mut cache, &|_, _| {});
    let mut cached = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        causeway::search::write_files(site, &mut cache, &|_, _| {});
        cached.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!(
        "shards of {} articles: {count} files, {:.1} MB; made in p50 {:.1} ms (min {:.1}); reused when unchanged in p50 {:.2} ms",
        site.articles.len(),
        bytes as f64 / 1e6,
        percentile(times.clone(), 0.5),
        percentile(times, 0.0),
        percentile(cached, 0.5),
    );

    // An edit to one article's front matter (its description), as `serve` sees it.
    let rel = "area-03/topic-00/condition-000003.md";
    let path = dir.join("content").join(rel);
    let original = std::fs::read_to_string(&path).unwrap();
    let options = causeway::BuildOptions::new(dir);
    let config = causeway::pipeline::read_config(&options).unwrap();
    let mut site_cache = causeway::site::Cache::default();
    let today = causeway::date::Date::today();
    let load = |site_cache: &mut causeway::site::Cache| {
        let sources = causeway::content::load(dir, &dir.join("content")).unwrap();
        causeway::site::build(config.clone(), &sources, false, today, site_cache).unwrap()
    };
    let mut cache = causeway::search::ShardCache::kept();
    causeway::search::write_files(&load(&mut site_cache), &mut cache, &|_, _| {});
    let mut edits = Vec::new();
    for k in 0..10 {
        let text = original.replace(
            "and when to get help.",
            &format!("and when to get help, edit {k}."),
        );
        std::fs::write(&path, text).unwrap();
        site_cache.forget(rel);
        let site = load(&mut site_cache);
        let t = Instant::now();
        causeway::search::write_files(&site, &mut cache, &|_, _| {});
        edits.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    std::fs::write(&path, &original).unwrap();
    println!(
        "shards after an edit to one article's description: p50 {:.2} ms, max {:.2} ms",
        percentile(edits.clone(), 0.5),
        percentile(edits, 1.0)
    );
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
    };
    let list = |flag: &str| -> Option<Vec<usize>> {
        value(flag).map(|v| {
            v.split(',')
                .map(|s| s.trim().parse().expect("a list like 1000,10000"))
                .collect()
        })
    };
    if let Some(i) = args.iter().position(|a| a == "--generate") {
        let (n, dir) = (args.get(i + 1), args.get(i + 2));
        let n: usize = n.and_then(|n| n.parse().ok()).expect("--generate N DIR");
        let dir = PathBuf::from(dir.expect("--generate N DIR"));
        corpus::generate(&dir, n, &repo().join("themes/default")).expect("generate corpus");
        println!("wrote {n} articles to {}", dir.display());
        return;
    }
    if let Some(n) = value("--languages") {
        let n: usize = n.parse().expect("--languages N");
        // On disk (the temporary folder) and on a tmpfs, unless --out names one.
        let roots = match value("--out") {
            Some(out) => vec![PathBuf::from(out)],
            None => vec![std::env::temp_dir(), PathBuf::from("/dev/shm")],
        };
        bench_languages(n, &roots);
        return;
    }
    if let Some(n) = value("--disk") {
        let n: usize = n.parse().expect("--disk N");
        let roots = match value("--out") {
            Some(out) => vec![PathBuf::from(out)],
            None => vec![std::env::temp_dir(), PathBuf::from("/dev/shm")],
        };
        let hugo = value("--hugo").map(PathBuf::from).or_else(disk::find_hugo);
        let rounds = value("--rounds").map_or(5, |r| r.parse().expect("--rounds N"));
        for root in &roots {
            disk::bench(&corpus(n), root, hugo.as_deref(), rounds);
        }
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--shards") {
        bench_shards(Path::new(&args[i + 1]));
        return;
    }
    // With no choice made, everything: full builds at 1,000, 10,000 and 100,000 articles,
    // then one-article rebuilds at 1,000 and 10,000.
    let (sizes, rebuilds) = match (list("--sizes"), list("--rebuild")) {
        (None, None) => (vec![1_000, 10_000, 100_000], vec![1_000, 10_000]),
        (sizes, rebuilds) => (sizes.unwrap_or_default(), rebuilds.unwrap_or_default()),
    };
    // Where the built sites go: the file system matters (creating 100,000 folders is slow on
    // some disks), so it can be chosen, e.g. a tmpfs such as /dev/shm.
    let out_root = value("--out")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    if !sizes.is_empty() {
        println!("output under {}", out_root.display());
    }
    for n in sizes {
        bench_size(n, &out_root);
    }
    for n in rebuilds {
        bench_rebuild(n);
    }
}

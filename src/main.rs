//! The `causeway` command: parses arguments, calls the library, prints diagnostics and sets
//! the exit status.

use std::io::{IsTerminal, Write};
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

/// Building a large site makes and frees millions of small strings; mimalloc does that
/// markedly faster than the system allocator (see benches/build.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Tunes memory for a one-shot build: mimalloc keeps the memory a build frees instead of
/// returning it to the system after 10 ms (`serve`, which runs for hours, keeps that
/// default). A build frees and reuses memory in waves, and giving it back only to fault it in
/// (zeroed) again cost a 10,000-article build about 0.3 s of system time.
/// `MIMALLOC_PURGE_DELAY` in the environment still wins.
fn tune_memory_for_build() {
    // Its place in mimalloc 3's `mi_option_e` (include/mimalloc.h).
    const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;
    unsafe extern "C" {
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    }
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: mimalloc's options are plain integers it reads atomically; this runs
        // before any other thread starts.
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    }
    no_huge_pages();
}

/// No transparent huge pages on Linux, for `build` and `serve`: each first touch of one
/// zeroes 2 MB, for memory that small allocations use only in part (10% more peak memory
/// for a build and slower, more variable builds; 90 MB more for `serve` at 10,000 articles).
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: a plain system call on this process's own settings; failure changes nothing.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

use causeway::check::{self, CheckOptions};
use causeway::control_chars::printable;
use causeway::diagnostics::{Diagnostic, Severity};
use causeway::progress::{Progress, Silent};
use causeway::serve::{self, Event, ServeOptions};
use causeway::{BuildOptions, archetype, build_with_progress, date::Date};

#[derive(Parser)]
#[command(
    name = "causeway",
    version,
    about = "Static sites that explain what causes a symptom, and when to see a doctor",
    after_help = "Exit status: 0 on success, 1 when the site has errors (or warnings, with \
                  `check --deny-warnings`) or a file cannot be written, 2 for a mistake in the \
                  command line."
)]
struct Cli {
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more: how long each phase of a build took.
    #[arg(short, long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

/// Options shared by every command that reads the site.
#[derive(Args, Clone)]
struct SiteArgs {
    /// The site root, holding site.yaml.
    #[arg(short, long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    /// Include articles marked `draft: true`.
    #[arg(short, long)]
    drafts: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Start a new site in DIR (made when missing; it must be empty).
    Init {
        /// The folder of the new site.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Build the site into public/ (or output_dir in site.yaml, or --output).
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Where to write the site.
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Use this base URL instead of the one in site.yaml (for previews and CI).
        #[arg(short, long, value_name = "URL", env = "CAUSEWAY_BASE_URL")]
        base_url: Option<String>,
        /// Print how long each phase of the build took (as --verbose does).
        #[arg(long)]
        timings: bool,
        /// Where the build cache is kept (.causeway-cache/ under the root by default);
        /// deleting it is safe.
        #[arg(long, value_name = "DIR", env = "CAUSEWAY_CACHE_DIR")]
        cache_dir: Option<PathBuf>,
        /// Build without reading or writing the build cache: the output is replaced whole.
        #[arg(long, conflicts_with = "cache_dir")]
        no_cache: bool,
    },
    /// Serve the site with live reload, rebuilding what each edit touches. Writes nothing.
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// Port to listen on (0 picks a free one).
        #[arg(short, long, default_value_t = 1111, env = "CAUSEWAY_PORT")]
        port: u16,
        /// Address to listen on; the default serves this machine only.
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// Open the site in the default browser once it is served.
        #[arg(long)]
        open: bool,
    },
    /// Run every check of the build, and editorial checks, without writing anything.
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// Also request every outside link.
        #[arg(long)]
        external: bool,
        /// Seconds one outside link may take.
        #[arg(long, default_value_t = 10)]
        timeout: u64,
        /// Exit with status 1 on warnings too.
        #[arg(long)]
        deny_warnings: bool,
        /// `json` prints one diagnostic per line for editors and CI (with --report, one
        /// object holding the report and the diagnostics).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Also print the editorial state of every article: reviews overdue or due in 30
        /// or 90 days, never reviewed, sources, words and reading grade.
        #[arg(long)]
        report: bool,
    },
    /// Write a new article from the archetype (never overwrites a file).
    New {
        /// The article's title; its slug is the file name.
        title: String,
        /// A folder below content/, such as `plants`.
        #[arg(short, long)]
        section: Option<String>,
        /// The site root, holding site.yaml.
        #[arg(short, long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
    },
    /// Work with the built-in theme.
    Theme {
        #[command(subcommand)]
        action: ThemeAction,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell) to standard output.
    Completions { shell: clap_complete::Shell },
    /// Print the manual page (roff) to standard output: `causeway man > causeway.1`.
    Man,
}

#[derive(Subcommand)]
enum ThemeAction {
    /// Copy the built-in theme into themes/default/ of the site, to edit it there. Refuses
    /// when any of its files exists.
    Eject {
        /// The site root, holding site.yaml.
        #[arg(short, long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// Progress on a terminal: nothing during the first second, then one line that redraws
/// itself (phase, count, time), cleared at the end.
struct TerminalProgress {
    started: std::time::Instant,
    phase: std::sync::Mutex<(&'static str, usize)>,
    done: std::sync::atomic::AtomicUsize,
    last_draw_ms: std::sync::atomic::AtomicU64,
    drawn: std::sync::atomic::AtomicBool,
}

impl TerminalProgress {
    fn new() -> Self {
        TerminalProgress {
            started: std::time::Instant::now(),
            phase: std::sync::Mutex::new(("", 0)),
            done: Default::default(),
            last_draw_ms: Default::default(),
            drawn: Default::default(),
        }
    }

    fn draw(&self, force: bool) {
        use std::sync::atomic::Ordering::Relaxed;
        let ms = self.started.elapsed().as_millis() as u64;
        let last = self.last_draw_ms.load(Relaxed);
        if ms < 1000
            || (!force && ms < last + 100)
            || self
                .last_draw_ms
                .compare_exchange(last, ms, Relaxed, Relaxed)
                .is_err()
        {
            return;
        }
        let (name, total) = *self.phase.lock().unwrap_or_else(|e| e.into_inner());
        let line = progress_line(name, self.done.load(Relaxed), total, ms);
        let _ = write!(std::io::stderr(), "\r\x1b[2K{line}");
        self.drawn.store(true, Relaxed);
    }
}

/// "[3.2 s] rendering pages 5,120/10,825".
fn progress_line(phase: &str, done: usize, total: usize, ms: u64) -> String {
    let count = if total > 0 {
        format!(" {done}/{total}")
    } else {
        String::new()
    };
    format!("[{:.1} s] {phase}{count}", ms as f64 / 1000.0)
}

impl Progress for TerminalProgress {
    fn phase(&self, name: &'static str, total: usize) {
        *self.phase.lock().unwrap_or_else(|e| e.into_inner()) = (name, total);
        self.done.store(0, std::sync::atomic::Ordering::Relaxed);
        self.draw(true);
    }

    fn advance(&self, n: usize) {
        self.done.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        self.draw(false);
    }

    fn finish(&self) {
        if self.drawn.load(std::sync::atomic::Ordering::Relaxed) {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}

/// Wraps another [`Progress`] and prints, when the build ends, the wall time of each phase.
struct Timings<'a> {
    inner: &'a dyn Progress,
    started: std::time::Instant,
    /// (phase, when it began, peak memory then in KB).
    phases: std::sync::Mutex<Vec<(&'static str, std::time::Instant, Option<u64>)>>,
}

impl<'a> Timings<'a> {
    fn new(inner: &'a dyn Progress) -> Self {
        Timings {
            inner,
            started: std::time::Instant::now(),
            phases: Default::default(),
        }
    }
}

impl Progress for Timings<'_> {
    fn phase(&self, name: &'static str, total: usize) {
        let now = std::time::Instant::now();
        self.phases
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((name, now, peak_memory()));
        self.inner.phase(name, total);
    }

    fn advance(&self, n: usize) {
        self.inner.advance(n);
    }

    fn finish(&self) {
        self.inner.finish();
        let end = std::time::Instant::now();
        let phases = self.phases.lock().unwrap_or_else(|e| e.into_inner());
        let mut err = std::io::stderr().lock();
        let mut from = self.started;
        let mut name = "starting";
        for &(next, at, peak) in phases.iter().chain([("", end, peak_memory())].iter()) {
            let _ = write!(err, "{:>8.3} s  {name:<50}", (at - from).as_secs_f64());
            let _ = match peak {
                Some(kb) => writeln!(err, " peak {:>6} MB", kb / 1024),
                None => writeln!(err),
            };
            (from, name) = (at, next);
        }
        let _ = writeln!(err, "{:>8.3} s  in all", (end - self.started).as_secs_f64());
    }
}

/// The process's peak resident memory so far, in KB, where the system tells it.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    let color = color();
    let mut err = std::io::stderr().lock();
    for d in diagnostics {
        let _ = write!(err, "{}", d.render(color));
    }
}

/// "1 article", "3 articles".
fn count(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// "2 errors, 1 warning in 3 files".
fn tally(diagnostics: &[Diagnostic]) -> String {
    let count = |s| diagnostics.iter().filter(|d| d.severity == s).count();
    let plural = self::count;
    let files: std::collections::BTreeSet<_> = diagnostics.iter().map(|d| &d.file).collect();
    format!(
        "{}, {} in {}",
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning"),
        plural(files.len(), "file")
    )
}

fn options(site: SiteArgs) -> BuildOptions {
    let mut options = BuildOptions::new(site.root);
    options.drafts = site.drafts;
    options
}

/// Output piped into a program that stops reading (`causeway check | head -1`) ends the
/// process quietly, as it does for other command-line tools, instead of failing to print.
/// Not for `serve`, whose sockets must never stop the process.
fn quiet_on_closed_pipe() {
    #[cfg(target_os = "linux")]
    // SAFETY: restoring the default action of SIGPIPE before any other thread runs.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve { .. }) {
        quiet_on_closed_pipe();
    }
    let say = Say {
        quiet: cli.quiet,
        verbose: cli.verbose,
    };
    match cli.command {
        Command::Init { dir } => init(&dir, say),
        Command::Build {
            site,
            output,
            base_url,
            timings,
            cache_dir,
            no_cache,
        } => {
            let cache_dir = (!no_cache).then(|| {
                cache_dir.unwrap_or_else(|| site.root.join(causeway::build_cache::DEFAULT_DIR))
            });
            build(
                site,
                output,
                base_url,
                cache_dir,
                timings || say.verbose,
                say,
            )
        }
        Command::Serve {
            site,
            port,
            bind,
            open,
        } => {
            no_huge_pages();
            run_server(site, port, bind, open, say)
        }
        Command::Check {
            site,
            external,
            timeout,
            deny_warnings,
            format,
            report,
        } => run_check(site, external, timeout, deny_warnings, format, report, say),
        Command::New {
            title,
            section,
            root,
        } => new(title, section, root, say),
        Command::Theme {
            action: ThemeAction::Eject { root },
        } => eject(&root, say),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "causeway",
                &mut std::io::stdout(),
            );
            ExitCode::SUCCESS
        }
        Command::Man => {
            let page = clap_mangen::Man::new(Cli::command());
            match page.render(&mut std::io::stdout()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// How much to print.
#[derive(Clone, Copy)]
struct Say {
    quiet: bool,
    verbose: bool,
}

impl Say {
    /// Diagnostics as the settings allow: errors always, warnings unless quiet.
    fn diagnostics(self, diagnostics: &[Diagnostic]) {
        if self.quiet {
            let errors: Vec<Diagnostic> = (diagnostics.iter())
                .filter(|d| d.severity == Severity::Error)
                .cloned()
                .collect();
            print_diagnostics(&errors);
        } else {
            print_diagnostics(diagnostics);
        }
    }
}

/// `causeway init`.
fn init(dir: &std::path::Path, say: Say) -> ExitCode {
    match causeway::init::init(dir) {
        Ok(files) => {
            if !say.quiet {
                println!("Started a site in {} with:", dir.display());
                for f in files {
                    println!("  {f}");
                }
                let cd = if dir == std::path::Path::new(".") {
                    String::new()
                } else {
                    format!("cd {} && ", dir.display())
                };
                println!(
                    "Next: {cd}causeway serve --open (or causeway build, which writes public/)"
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}", printable(&e.to_string()));
            ExitCode::FAILURE
        }
    }
}

/// `causeway theme eject`.
fn eject(root: &std::path::Path, say: Say) -> ExitCode {
    if let Err(code) = require_site(root) {
        return code;
    }
    let dir = root.join("themes").join(causeway::builtin_theme::NAME);
    match causeway::builtin_theme::eject(&dir) {
        Ok(files) => {
            if !say.quiet {
                println!(
                    "Wrote {} files of the built-in theme into {}; the site now builds with them",
                    files.len(),
                    dir.display()
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}", printable(&e.to_string()));
            ExitCode::FAILURE
        }
    }
}

/// A folder without `site.yaml` is not a site: say so, rather than write into it.
fn require_site(root: &std::path::Path) -> Result<(), ExitCode> {
    if root.join("site.yaml").is_file() {
        return Ok(());
    }
    eprintln!(
        "error: {} is not a Causeway site: it has no site.yaml (start one with `causeway init DIR`, or pass --root)",
        printable(&root.display().to_string())
    );
    Err(ExitCode::FAILURE)
}

/// `causeway build`.
fn build(
    site: SiteArgs,
    output: Option<PathBuf>,
    base_url: Option<String>,
    cache_dir: Option<PathBuf>,
    timings: bool,
    say: Say,
) -> ExitCode {
    causeway::interrupt::install();
    tune_memory_for_build();
    let mut options = options(site);
    options.output = output;
    options.base_url = base_url;
    options.cache_dir = cache_dir;
    let terminal = TerminalProgress::new();
    let shown: &dyn Progress = if std::io::stderr().is_terminal() {
        &terminal
    } else {
        &Silent
    };
    let timed = Timings::new(shown);
    let progress: &dyn Progress = if timings { &timed } else { shown };
    match build_with_progress(&options, progress) {
        Ok(report) => {
            say.diagnostics(&report.warnings);
            if say.quiet {
                return ExitCode::SUCCESS;
            }
            println!(
                "Built {} ({}, {}; {}) into {} in {:.2} s",
                count(report.pages, "page"),
                count(report.articles, "article"),
                count(report.causes, "cause"),
                count(report.files, "file"),
                report.output.display(),
                report.elapsed.as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            say.diagnostics(&diagnostics);
            if !say.quiet {
                eprintln!("{}; nothing was written.", tally(&diagnostics));
            }
            ExitCode::FAILURE
        }
    }
}

/// `causeway serve`: runs until the process is stopped.
fn run_server(site: SiteArgs, port: u16, bind: IpAddr, open: bool, say: Say) -> ExitCode {
    let options = ServeOptions {
        build: options(site),
        bind,
        port,
        debounce: Duration::from_millis(20),
        limits: serve::http::Limits::default(),
    };
    let result = serve::run(options, |event| match event {
        // A closed terminal must not stop the server: output errors are ignored.
        Event::Listening(url) => {
            let _ = writeln!(std::io::stdout(), "Serving {url} (Ctrl-C to stop)");
            if open {
                open_browser(url);
            }
        }
        Event::Rebuilt(_, _) if say.quiet => {}
        Event::Rebuilt(r, changed) => {
            let names: Vec<String> = changed
                .iter()
                .filter_map(|p| {
                    p.file_name()
                        .map(|n| printable(&n.to_string_lossy()).into_owned())
                })
                .collect();
            let _ = writeln!(
                std::io::stdout(),
                "Rebuilt {} page{} in {:.1} ms after a change to {}",
                r.pages,
                if r.pages == 1 { "" } else { "s" },
                r.elapsed.as_secs_f64() * 1000.0,
                names.join(", ")
            );
        }
        Event::Warning(_) if say.quiet => {}
        Event::Warning(message) => {
            let _ = writeln!(std::io::stderr(), "warning: {}", printable(message));
        }
        Event::Failed(diagnostics) => {
            say.diagnostics(diagnostics);
            let _ = writeln!(
                std::io::stderr(),
                "{}; still serving the last good site.",
                tally(diagnostics)
            );
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {}", printable(&message));
            ExitCode::FAILURE
        }
    }
}

/// Opens `url` in the default browser, without waiting for it; a failure is only reported.
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    let started = command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = started {
        eprintln!("warning: could not open a browser ({e}); open {url} yourself");
    }
}

/// `causeway check`.
fn run_check(
    site: SiteArgs,
    external: bool,
    timeout: u64,
    deny_warnings: bool,
    format: Format,
    report: bool,
    say: Say,
) -> ExitCode {
    let mut options = CheckOptions::new(options(site));
    options.external = external;
    options.timeout = Duration::from_secs(timeout);
    let (diagnostics, made) = check::check_and_report(&options);
    match (format, made.filter(|_| report)) {
        (Format::Json, Some(r)) => {
            let lines: Vec<serde_json::Value> = (diagnostics.iter())
                .filter_map(|d| serde_json::from_str(&check::to_json_line(d)).ok())
                .collect();
            let mut value = serde_json::to_value(&r).unwrap_or_default();
            value["diagnostics"] = lines.into();
            println!("{value}");
        }
        (Format::Json, None) => {
            for d in &diagnostics {
                println!("{}", check::to_json_line(d));
            }
        }
        (Format::Text, r) => {
            say.diagnostics(&diagnostics);
            if !say.quiet {
                eprintln!("{}.", tally(&diagnostics));
            }
            if let Some(r) = r {
                print!("{}", causeway::report::table(&r));
            }
        }
    }
    ExitCode::from(check::exit_code(&diagnostics, deny_warnings))
}

/// `causeway new`.
fn new(title: String, section: Option<String>, root: PathBuf, say: Say) -> ExitCode {
    if let Err(code) = require_site(&root) {
        return code;
    }
    let theme = causeway::pipeline::read_config(&BuildOptions::new(&root))
        .ok()
        .map(|c| c.theme);
    match archetype::new_article(
        &root,
        theme.as_deref(),
        &title,
        section.as_deref(),
        Date::today(),
    ) {
        Ok(path) => {
            if say.quiet {
                return ExitCode::SUCCESS;
            }
            println!(
                "Wrote {}",
                path.strip_prefix(&root).unwrap_or(&path).display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}", printable(&e.to_string()));
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::progress_line;

    #[test]
    fn progress_lines_name_the_phase_and_count() {
        assert_eq!(
            progress_line("rendering pages", 120, 10825, 3250),
            "[3.2 s] rendering pages 120/10825"
        );
        assert_eq!(
            progress_line("reading content", 0, 0, 1000),
            "[1.0 s] reading content"
        );
    }
}

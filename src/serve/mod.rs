//! `causeway serve`: the site kept in memory, rebuilt on every save, served over HTTP with
//! live reload and errors shown in the page. Nothing is written to disk.

pub mod http;
pub mod watch;
pub mod workspace;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use notify::EventKind;
use notify::event::ModifyKind;

use crate::BuildOptions;
use crate::diagnostics::Diagnostic;
use http::{Clients, State};
pub use watch::{WatchPlan, watch_plan};
use workspace::Workspace;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// How long to wait for a burst of file events to settle before rebuilding.
    pub debounce: Duration,
    /// How many connections, and how large and slow a request, the server puts up with.
    pub limits: http::Limits,
}

/// What the serve loop reports, for the binary to print.
pub enum Event<'a> {
    Listening(&'a str),
    Rebuilt(&'a workspace::Rebuilt, &'a [PathBuf]),
    Failed(&'a [Diagnostic]),
    /// Something `serve` works around, such as a folder it cannot watch; told once.
    Warning(&'a str),
}

/// Builds, serves and rebuilds on changes until the process is stopped. `report` is called
/// for every event worth telling the writer about.
pub fn run(options: ServeOptions, mut report: impl FnMut(Event)) -> Result<(), String> {
    let listener = TcpListener::bind(SocketAddr::new(options.bind, options.port))
        .map_err(|e| format!("cannot listen on {}:{}: {e}", options.bind, options.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let base_path = crate::pipeline::read_config(&options.build)
        .map(|c| c.base_path().to_string())
        .unwrap_or_else(|_| "/".into());
    let host = match addr.ip() {
        IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    let url = format!("http://{host}:{}{base_path}", addr.port());
    // The site is built for the address it is served at.
    let mut build = options.build.clone();
    build.base_url = Some(url.clone());

    let (workspace, errors) = match Workspace::open(build.clone()) {
        Ok(ws) => (Some(ws), Vec::new()),
        Err(e) => (None, e),
    };
    if !errors.is_empty() {
        report(Event::Failed(&errors));
    }
    let state = Arc::new(RwLock::new(State {
        workspace,
        errors,
        base_path,
    }));
    let clients = Arc::new(Clients::default());
    {
        let (state, clients) = (state.clone(), clients.clone());
        let limits = options.limits.clone();
        std::thread::Builder::new()
            .name("causeway-accept".into())
            .spawn(move || http::serve(listener, state, clients, limits))
            .map_err(|e| format!("cannot start the server: {e}"))?;
    }

    let mut watcher = Watcher::new(&options, &mut report)?;
    // Announce only once edits are watched, so none made after this line is missed.
    report(Event::Listening(&url));
    while let Some(changed) = watcher.next_changes(&mut report) {
        if !changed.is_empty() {
            rebuild(&state, &clients, &build, &changed, &mut report);
        }
    }
    Ok(())
}

/// Brings the served site up to date with `changed`, or shows the errors over the page while
/// the last good site stays up. With no good site yet, tries to build one from scratch.
fn rebuild(
    state: &RwLock<State>,
    clients: &Clients,
    build: &BuildOptions,
    changed: &[PathBuf],
    report: &mut dyn FnMut(Event),
) {
    let mut guard = state.write().unwrap_or_else(|e| e.into_inner());
    let outcome = match guard.workspace.as_mut() {
        Some(ws) => ws.apply(changed),
        None => Workspace::open(build.clone()).map(|ws| {
            let pages = ws.paths().len();
            guard.workspace = Some(ws);
            workspace::Rebuilt {
                pages,
                full: true,
                model_patched: false,
                elapsed: Duration::ZERO,
                phases: Vec::new(),
            }
        }),
    };
    match outcome {
        Ok(rebuilt) => {
            guard.errors.clear();
            drop(guard);
            report(Event::Rebuilt(&rebuilt, changed));
            clients.send("reload", "");
        }
        Err(errors) => {
            guard.errors = errors;
            let text = http::errors_text(&guard);
            report(Event::Failed(&guard.errors));
            drop(guard);
            clients.send("errors", &text);
        }
    }
}

/// The folders the site reads, watched, and the events they send.
struct Watcher<'o> {
    options: &'o ServeOptions,
    /// Absolute, as the watcher reports paths.
    root: PathBuf,
    watcher: notify::RecommendedWatcher,
    watches: watch::Watches,
    events: std::sync::mpsc::Receiver<notify::Result<notify::Event>>,
}

impl<'o> Watcher<'o> {
    fn new(options: &'o ServeOptions, report: &mut dyn FnMut(Event)) -> Result<Self, String> {
        let (tx, events) = std::sync::mpsc::channel();
        let root = &options.build.root;
        let mut w = Watcher {
            options,
            root: std::path::absolute(root).unwrap_or_else(|_| root.clone()),
            watcher: notify::recommended_watcher(tx).map_err(|e| e.to_string())?,
            watches: watch::Watches::default(),
            events,
        };
        w.rewatch(report);
        Ok(w)
    }

    /// Watches what the site reads now; returns the folders newly watched.
    fn rewatch(&mut self, report: &mut dyn FnMut(Event)) -> Vec<PathBuf> {
        let theme = crate::pipeline::read_config(&self.options.build)
            .ok()
            .map(|c| c.theme);
        let plan = watch_plan(&self.root, theme.as_deref());
        let synced = self.watches.sync(&plan, &mut self.watcher);
        for warning in &synced.warnings {
            report(Event::Warning(warning));
        }
        synced.added
    }

    /// Waits for the next burst of events one save makes (editors write, rename and touch)
    /// and gives the source files it changed, sorted (empty when it changed none). None when
    /// the watcher has stopped.
    fn next_changes(&mut self, report: &mut dyn FnMut(Event)) -> Option<Vec<PathBuf>> {
        let mut events = vec![self.events.recv().ok()?];
        let settle = std::time::Instant::now() + self.options.debounce;
        while let Ok(more) = self
            .events
            .recv_timeout(settle.saturating_duration_since(std::time::Instant::now()))
        {
            events.push(more);
        }
        let events: Vec<notify::Event> = events.into_iter().flatten().collect();
        // Files written into a new folder before its watch began are changes too.
        let mut unseen = Vec::new();
        if events
            .iter()
            .any(|e| changes_folders(&self.root, &self.watches, e))
        {
            for dir in self.rewatch(report) {
                let files = std::fs::read_dir(&dir).into_iter().flatten().flatten();
                unseen.extend(
                    files
                        .filter(|f| f.file_type().is_ok_and(|t| t.is_file()))
                        .map(|f| f.path()),
                );
            }
        }
        let root = &self.options.build.root;
        let mut changed: Vec<PathBuf> = events
            .into_iter()
            // Reads (our own, or an editor's) change nothing.
            .filter(|e| {
                matches!(
                    e.kind,
                    EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
                )
            })
            .flat_map(|e| e.paths)
            .chain(unseen)
            .filter(|p| is_source(root, p))
            .collect();
        changed.sort();
        changed.dedup();
        Some(changed)
    }
}

/// Whether an event may change which folders to watch: a folder made, moved or removed, or
/// `site.yaml` (which names the theme) changed.
fn changes_folders(root: &Path, watches: &watch::Watches, event: &notify::Event) -> bool {
    let moved_or_made = matches!(
        event.kind,
        EventKind::Create(_) | EventKind::Modify(ModifyKind::Name(_)) | EventKind::Remove(_)
    );
    event.paths.iter().any(|p| {
        p.file_name().is_some_and(|n| n == "site.yaml") && is_source(root, p)
            || moved_or_made
                && (watches.contains(p) || std::fs::symlink_metadata(p).is_ok_and(|m| m.is_dir()))
    })
}

/// Whether a changed path is an input of the site (not output, editor droppings or VCS data).
fn is_source(root: &Path, path: &Path) -> bool {
    let canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let rel = path
        .strip_prefix(&canonical)
        .or_else(|_| path.strip_prefix(root));
    let Ok(rel) = rel else { return false };
    let rel = rel.to_string_lossy();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    if name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
    {
        return false;
    }
    rel == "site.yaml"
        || ["content/", "templates/", "static/", "themes/"]
            .iter()
            .any(|d| rel.starts_with(d))
}

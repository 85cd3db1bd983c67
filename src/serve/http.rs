//! A small HTTP/1.1 server for previews: GET and HEAD, pretty URLs, the site's 404 page,
//! live reload over server-sent events, and build errors shown over the page. Every connection
//! is bounded (see [`Limits`]): how many are open, how large and how slow a request head may
//! be; and only requests whose `Host` names this server are answered, so a page elsewhere
//! cannot read the preview through a name pointed at this machine.
//!
//! It serves only what the workspace holds (rendered pages and a fixed map of static files),
//! so no request path can reach any other file on disk.

use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use super::workspace::{Served, Workspace};
use crate::diagnostics::Diagnostic;

mod request;

use request::read_head;
pub use request::{HeadError, MAX_HEADERS, RequestHead, parse_request_head};

/// What the server shows: the last good site, and the errors of the last rebuild, if any.
pub struct State {
    pub workspace: Option<Workspace>,
    pub errors: Vec<Diagnostic>,
    /// `/` or the site's sub-path, such as `/health/`.
    pub base_path: String,
}

/// Connected live-reload clients.
#[derive(Default)]
pub struct Clients(Mutex<Vec<Sender<String>>>);

impl Clients {
    /// Sends an event to every open page; pages that went away are dropped.
    pub fn send(&self, event: &str, data: &str) {
        let message = format!(
            "event: {event}\ndata: {}\n\n",
            data.replace('\n', "\ndata: ")
        );
        let mut clients = self.0.lock().unwrap_or_else(|e| e.into_inner());
        clients.retain(|c| c.send(message.clone()).is_ok());
    }

    fn subscribe(&self) -> Receiver<String> {
        let (tx, rx) = channel();
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(tx);
        rx
    }
}

/// The script added to every HTML page while serving (never to `build` output).
const LIVE_JS: &str = include_str!("live.js");
const LIVE_TAG: &str = "<script src=\"/__causeway/live.js\"></script>";

/// How much a client may send, and for how long, before the server gives up on it.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Connections handled at once; more are answered 503 and closed, so no client can use up
    /// the threads or file descriptors of the process.
    pub connections: usize,
    /// Live-reload streams open at once (counted among `connections` too), so open tabs
    /// cannot take every connection.
    pub event_streams: usize,
    /// Bytes of a request head (request line and headers); beyond it the answer is 431.
    pub head_bytes: usize,
    /// Time to send the whole head, however slowly it trickles in; beyond it the answer is 408.
    pub head_time: Duration,
    /// Time any one write may block, so a client that stops reading frees its thread.
    pub write_time: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            connections: 256,
            event_streams: 64,
            head_bytes: 16 * 1024,
            head_time: Duration::from_secs(10),
            write_time: Duration::from_secs(30),
        }
    }
}

/// Counts what is open, up to a cap.
struct Gauge {
    open: AtomicUsize,
    cap: usize,
}

/// One place taken in a [`Gauge`], given back when dropped (however the connection ends).
struct Slot(Arc<Gauge>);

impl Gauge {
    fn new(cap: usize) -> Arc<Gauge> {
        Arc::new(Gauge {
            open: AtomicUsize::new(0),
            cap,
        })
    }

    /// A place, or None when all are taken.
    fn take(self: &Arc<Self>) -> Option<Slot> {
        self.open
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.cap).then_some(n + 1)
            })
            .ok()
            .map(|_| Slot(self.clone()))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::AcqRel);
    }
}

/// How long to wait after `accept` fails. Running out of file descriptors (EMFILE, ENFILE)
/// fails every accept until one is closed, so retrying at once would spin: the wait starts
/// at 10 ms and doubles to 1 s while failures last. A connection that went away before it
/// was accepted is no reason to wait.
#[derive(Debug)]
struct Backoff {
    wait: Duration,
}

impl Backoff {
    const FIRST: Duration = Duration::from_millis(10);
    const MAX: Duration = Duration::from_secs(1);

    fn new() -> Backoff {
        Backoff { wait: Self::FIRST }
    }

    fn failed(&mut self, error: &std::io::Error) -> Duration {
        if matches!(
            error.kind(),
            ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset | ErrorKind::Interrupted
        ) {
            return Duration::ZERO;
        }
        let wait = self.wait;
        self.wait = (wait * 2).min(Self::MAX);
        wait
    }

    fn succeeded(&mut self) {
        self.wait = Self::FIRST;
    }
}

/// A connection's work, run on a thread of its own.
type Job = Box<dyn FnOnce() + Send>;

/// Everything a connection needs, shared by all of them.
struct Server {
    state: Arc<RwLock<State>>,
    clients: Arc<Clients>,
    limits: Limits,
    /// The address served, which `Host` headers must name.
    addr: SocketAddr,
    connections: Arc<Gauge>,
    streams: Arc<Gauge>,
}

/// Accepts connections until the process ends, one thread each, within `limits`. Returns
/// only if the listener's address cannot be read.
pub fn serve(
    listener: TcpListener,
    state: Arc<RwLock<State>>,
    clients: Arc<Clients>,
    limits: Limits,
) -> std::io::Result<()> {
    let server = Arc::new(Server::new(listener.local_addr()?, state, clients, limits));
    let mut backoff = Backoff::new();
    let mut spawn = |job: Job| {
        std::thread::Builder::new()
            .name("causeway-http".into())
            .spawn(job)
            .map(drop)
    };
    loop {
        let accepted = listener.accept().map(|(stream, _)| stream);
        let wait = server.accepted(accepted, &mut backoff, &mut spawn);
        if !wait.is_zero() {
            std::thread::sleep(wait);
        }
    }
}

impl Server {
    fn new(
        addr: SocketAddr,
        state: Arc<RwLock<State>>,
        clients: Arc<Clients>,
        limits: Limits,
    ) -> Server {
        Server {
            state,
            clients,
            connections: Gauge::new(limits.connections),
            streams: Gauge::new(limits.event_streams),
            limits,
            addr,
        }
    }

    /// Deals with one result of `accept`: the connection goes to a thread from `spawn`, or is
    /// answered 503 when the server is full or no thread can be started (the server goes on
    /// either way). Returns how long to wait before accepting again.
    fn accepted(
        self: &Arc<Self>,
        accepted: std::io::Result<TcpStream>,
        backoff: &mut Backoff,
        spawn: &mut impl FnMut(Job) -> std::io::Result<()>,
    ) -> Duration {
        let stream = match accepted {
            Ok(stream) => {
                backoff.succeeded();
                stream
            }
            Err(e) => return backoff.failed(&e),
        };
        let Some(slot) = self.connections.take() else {
            busy(
                &stream,
                "The preview server has too many connections open; try again.\n",
            );
            return Duration::ZERO;
        };
        // Shared, so the stream is still at hand to answer on if no thread starts.
        let stream = Arc::new(stream);
        let job = {
            let (server, stream) = (self.clone(), stream.clone());
            Box::new(move || {
                let _slot = slot;
                let _ = server.handle(&stream);
            })
        };
        if spawn(job).is_err() {
            busy(
                &stream,
                "The preview server cannot start a thread; try again.\n",
            );
        }
        Duration::ZERO
    }
}

/// Answers 503 on the accepting thread, without waiting on the client: what it has sent is
/// read first (so closing does not reset the connection before the answer is read), then a
/// short answer is written if it fits, and the connection is closed.
fn busy(stream: &TcpStream, text: &str) {
    if stream.set_nonblocking(true).is_ok() {
        let _ = (&mut &*stream).read(&mut [0u8; 4096]);
        let _ = write_response(stream, &Response::text(503, text), false);
    }
    let _ = stream.shutdown(Shutdown::Both);
}

/// Answers with an error and closes gently: what the client still sends is read and dropped
/// for a moment (at most 256 KiB and half a second), so closing with unread data does not
/// reset the connection before the client reads the answer.
fn refuse(stream: &TcpStream, response: &Response) {
    if write_response(stream, response, false).is_err() {
        return;
    }
    let _ = stream.shutdown(Shutdown::Write);
    let until = Instant::now() + Duration::from_millis(500);
    let mut drained = 0;
    let mut sink = [0u8; 4096];
    while drained < 256 * 1024 {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            break;
        }
        match (&mut &*stream).read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
}

/// Whether `host` (a `Host` header) names this server: `localhost`, `127.0.0.1`, `[::1]` or
/// the address bound, with the port served; when bound to every address (0.0.0.0 or ::),
/// any IP address with that port. Anything else is a name the browser resolved to this
/// machine for another site (DNS rebinding), which must not read the preview.
fn host_allowed(host: &str, addr: SocketAddr) -> bool {
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let Some((ip, port)) = rest.split_once(']') else {
            return false;
        };
        let Ok(ip) = ip.parse::<Ipv6Addr>() else {
            return false;
        };
        (Name::Ip(IpAddr::V6(ip)), port)
    } else {
        let (name, port) = match host.find(':') {
            Some(at) => (&host[..at], &host[at..]),
            None => (host, ""),
        };
        match name.parse::<Ipv4Addr>() {
            Ok(ip) => (Name::Ip(IpAddr::V4(ip)), port),
            Err(_) if name.eq_ignore_ascii_case("localhost") => (Name::Localhost, port),
            Err(_) => return false,
        }
    };
    // No port means the default one, 80.
    let port = match port {
        "" => Some(80),
        port => port.strip_prefix(':').and_then(|p| p.parse::<u16>().ok()),
    };
    if port != Some(addr.port()) {
        return false;
    }
    match name {
        Name::Localhost => true,
        Name::Ip(ip) => {
            ip == addr.ip()
                || ip == IpAddr::V4(Ipv4Addr::LOCALHOST)
                || ip == IpAddr::V6(Ipv6Addr::LOCALHOST)
                || addr.ip().is_unspecified()
        }
    }
}

/// The host part of a `Host` header the server accepts.
enum Name {
    Localhost,
    Ip(IpAddr),
}

struct Response {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    location: Option<String>,
}

impl Response {
    fn text(status: u16, body: &str) -> Response {
        Response {
            status,
            content_type: "text/plain; charset=utf-8",
            body: body.as_bytes().to_vec(),
            location: None,
        }
    }

    fn redirect(to: String) -> Response {
        Response {
            location: Some(to),
            ..Response::text(301, "Moved")
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Internal Server Error",
    }
}

/// Writes `response`, with its body unless `head_only`; every connection is closed after one.
fn write_response(
    mut stream: &TcpStream,
    response: &Response,
    head_only: bool,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n",
        response.status,
        reason(response.status),
        response.content_type,
        response.body.len()
    );
    if let Some(location) = &response.location {
        head.push_str(&format!("Location: {location}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&response.body)?;
    }
    stream.flush()
}

impl Server {
    fn handle(&self, stream: &TcpStream) -> std::io::Result<()> {
        stream.set_write_timeout(Some(self.limits.write_time))?;
        let head = match read_head(stream, &self.limits) {
            Ok(None) => return Ok(()),
            Ok(Some(bytes)) => parse_request_head(&bytes),
            Err(e) => Err(e),
        };
        let head = match head {
            Ok(head) => head,
            Err(e) => {
                let status = e.status();
                let text = format!("{}: {e}.\n", reason(status));
                refuse(stream, &Response::text(status, &text));
                return Ok(());
            }
        };
        if let Some(host) = &head.host
            && !host_allowed(host, self.addr)
        {
            let text = format!(
                "This preview answers only to its own address, such as http://localhost:{}/, \
                 not to the host named in the request.\n",
                self.addr.port()
            );
            refuse(stream, &Response::text(421, &text));
            return Ok(());
        }
        let (method, target) = (head.method.as_str(), head.target.as_str());
        if target == "/__causeway/events" && method == "GET" {
            let Some(_slot) = self.streams.take() else {
                let text = "Too many live-reload streams are open; close some tabs.\n";
                refuse(stream, &Response::text(503, text));
                return Ok(());
            };
            return event_stream(stream, &self.state, &self.clients);
        }
        let response = match method {
            "GET" | "HEAD" => route(&self.state, target),
            _ => Response::text(405, "Only GET and HEAD are served."),
        };
        write_response(stream, &response, method == "HEAD")
    }
}

/// Keeps the connection open and forwards reload and error events to the page.
fn event_stream(
    mut stream: &TcpStream,
    state: &RwLock<State>,
    clients: &Clients,
) -> std::io::Result<()> {
    let rx = clients.subscribe();
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n",
    )?;
    let errors = errors_text(&state.read().unwrap_or_else(|e| e.into_inner()));
    if !errors.is_empty() {
        stream.write_all(
            format!(
                "event: errors\ndata: {}\n\n",
                errors.replace('\n', "\ndata: ")
            )
            .as_bytes(),
        )?;
    }
    stream.flush()?;
    loop {
        match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(message) => stream.write_all(message.as_bytes())?,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                stream.write_all(b": keep-alive\n\n")?
            }
            Err(_) => return Ok(()),
        }
        stream.flush()?;
    }
}

/// The errors of the last rebuild as the terminal shows them (empty when there are none).
pub fn errors_text(state: &State) -> String {
    state.errors.iter().map(|d| d.render(false)).collect()
}

/// Decodes `%XX` escapes of a URL path; None for paths that are not plain (`..`, `.`,
/// backslashes, NUL, invalid UTF-8), so nothing can climb out of the site.
fn decode_path(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = raw.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let path = String::from_utf8(out).ok()?;
    let plain = path
        .split('/')
        .all(|seg| seg != ".." && seg != "." && !seg.contains(['\\', '\0']));
    plain.then_some(path)
}

fn route(state: &RwLock<State>, target: &str) -> Response {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let Some(path) = decode_path(path) else {
        return Response::text(400, "Bad request path.");
    };
    if path == "/__causeway/live.js" {
        return Response {
            content_type: "text/javascript; charset=utf-8",
            ..Response::text(200, LIVE_JS)
        };
    }
    let state = state.read().unwrap_or_else(|e| e.into_inner());
    if path == "/__causeway/errors" {
        return Response::text(200, &errors_text(&state));
    }
    let base = state.base_path.as_str();
    if !path.starts_with(base) {
        if path == "/" || base.starts_with(&path) {
            return Response::redirect(base.to_string());
        }
        return not_found(&state, "");
    }
    let rel = &path[base.len()..];
    let Some(ws) = &state.workspace else {
        // No good build yet: a page that shows the errors and reloads when they are fixed.
        return html(
            200,
            format!(
                "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Build errors</title></head><body><h1>The site has errors</h1><p>Fix them and this page reloads.</p>{LIVE_TAG}</body></html>"
            )
            .into_bytes(),
        );
    };
    let (key, found) = if rel.is_empty() || rel.ends_with('/') {
        let key = format!("{rel}index.html");
        let found = ws.get(&key);
        (key, found)
    } else {
        match ws.get(rel) {
            Some(f) => (rel.to_string(), Some(f)),
            None if ws.get(&format!("{rel}/index.html")).is_some() => {
                return Response::redirect(format!("{path}/"));
            }
            None => (rel.to_string(), None),
        }
    };
    match found {
        Some(file) => serve_file(&key, file),
        None => not_found(&state, rel),
    }
}

/// The 404 page of the language `rel` (a path below the site root) is in: `es/404.html`
/// for a path below `es/` when there is one, else the site's.
fn not_found(state: &State, rel: &str) -> Response {
    let page = crate::site::paths::NOT_FOUND_PAGE;
    let own = rel
        .split_once('/')
        .map(|(first, _)| format!("{first}/{page}"));
    let found = state.workspace.as_ref().and_then(|ws| {
        (own.as_ref())
            .and_then(|p| Some((p.as_str(), ws.get(p)?)))
            .or_else(|| Some((page, ws.get(page)?)))
    });
    match found {
        Some((page, file)) => {
            let mut r = serve_file(page, file);
            r.status = 404;
            r
        }
        None => Response::text(404, "Not found."),
    }
}

fn serve_file(key: &str, file: Served) -> Response {
    let body = match file {
        Served::Bytes(b) => b.to_vec(),
        Served::Builtin(b) => b.to_vec(),
        Served::File(p) => match std::fs::read(&p) {
            Ok(b) => b,
            Err(_) => return Response::text(404, "Not found."),
        },
    };
    let content_type = content_type(key);
    if content_type.starts_with("text/html") {
        return html(200, body);
    }
    Response {
        status: 200,
        content_type,
        body,
        location: None,
    }
}

/// An HTML response with the live-reload script added before `</body>`.
fn html(status: u16, mut body: Vec<u8>) -> Response {
    let at = body
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(body.len());
    body.splice(at..at, LIVE_TAG.bytes());
    Response {
        status,
        content_type: "text/html; charset=utf-8",
        body,
        location: None,
    }
}

fn content_type(path: &str) -> &'static str {
    let ext = Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" if path.ends_with("atom.xml") => "application/atom+xml",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests;

//! A small HTTP/1.1 server for previews: GET and HEAD, pretty URLs, the site's 404 page,
//! live reload over server-sent events, and build errors shown over the page.
//!
//! It serves only what the workspace holds (rendered pages and a fixed map of static files),
//! so no request path can reach any other file on disk.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use super::workspace::{Served, Workspace};
use crate::diagnostics::Diagnostic;

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

/// Accepts connections until the process ends, one thread each.
pub fn serve(listener: TcpListener, state: Arc<RwLock<State>>, clients: Arc<Clients>) {
    for stream in listener.incoming().flatten() {
        let (state, clients) = (state.clone(), clients.clone());
        std::thread::spawn(move || {
            let _ = handle(stream, &state, &clients);
        });
    }
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
        _ => "Internal Server Error",
    }
}

fn handle(stream: TcpStream, state: &RwLock<State>, clients: &Clients) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Headers are read and ignored; a request is at most a few KB.
    let mut total = 0;
    loop {
        let mut line = String::new();
        let n = reader.read_line(&mut line)?;
        total += n;
        if n == 0 || line == "\r\n" || line == "\n" || total > 64 * 1024 {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let mut stream = stream;
    if target == "/__causeway/events" && method == "GET" {
        return event_stream(stream, state, clients);
    }
    let response = match method {
        "GET" | "HEAD" => route(state, target),
        _ => Response::text(405, "Only GET and HEAD are served."),
    };
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
    if method != "HEAD" {
        stream.write_all(&response.body)?;
    }
    stream.flush()
}

/// Keeps the connection open and forwards reload and error events to the page.
fn event_stream(
    mut stream: TcpStream,
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
        return not_found(&state);
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
        None => not_found(&state),
    }
}

fn not_found(state: &State) -> Response {
    match state.workspace.as_ref().and_then(|ws| ws.get("404.html")) {
        Some(file) => {
            let mut r = serve_file("404.html", file);
            r.status = 404;
            r
        }
        None => Response::text(404, "Not found."),
    }
}

fn serve_file(key: &str, file: Served) -> Response {
    let body = match file {
        Served::Bytes(b) => b.to_vec(),
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
mod tests {
    use super::*;

    #[test]
    fn paths_that_climb_are_refused() {
        assert_eq!(
            decode_path("/health/a%20b/").as_deref(),
            Some("/health/a b/")
        );
        for bad in [
            "/../site.yaml",
            "/a/%2e%2e/%2e%2e/etc/passwd",
            "/..%2fsite.yaml",
            "/a%5c..%5cb",
            "/%00",
            "/%zz",
            "/./x",
        ] {
            assert_eq!(decode_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn types_by_extension() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("atom.xml"), "application/atom+xml");
        assert_eq!(content_type("x.SVG"), "image/svg+xml");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }

    #[test]
    fn live_reload_goes_before_the_last_body_end() {
        let r = html(200, b"<html><body>x</body></html>".to_vec());
        assert_eq!(
            String::from_utf8(r.body).unwrap(),
            format!("<html><body>x{LIVE_TAG}</body></html>")
        );
    }
}

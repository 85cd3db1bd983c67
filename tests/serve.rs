//! `causeway serve` as a writer uses it: pages served under the site's sub-path, edits shown
//! without a restart, errors reported while the last good page stays up, and no way out of
//! the site through the URL.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::TestSite;

/// A running server, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(site: &TestSite) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_causeway"))
        .args(["serve", "--port", "0", "--root"])
        .arg(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    stdout.read_line(&mut line).unwrap();
    // Keep reading what the server prints, as a terminal would.
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    // "Serving http://127.0.0.1:PORT/health/ (Ctrl-C to stop)"
    let port = line
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"));
    Server { child, port }
}

/// Sends a raw request; returns (status, headers, body).
fn request(port: u16, method: &str, target: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, head.to_string(), body.to_string())
}

fn get(port: u16, target: &str) -> (u16, String, String) {
    request(port, "GET", target)
}

/// Polls until `check` holds, for at most ten seconds.
fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if check() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for {what}");
}

#[test]
fn serves_pages_with_types_statuses_and_pretty_urls() {
    let site = TestSite::fixture("site");
    let server = start(&site);
    let port = server.port;

    let (status, head, body) = get(port, "/health/feet/foot-spasms/");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: text/html; charset=utf-8"));
    assert!(body.contains("Physiological Triggers"));
    // Live reload is added while serving.
    assert!(body.contains("/__causeway/live.js"));

    assert!(get(port, "/health/style.css").1.contains("text/css"));
    assert!(
        get(port, "/health/cause-index.json")
            .1
            .contains("application/json")
    );
    assert!(
        get(port, "/health/feet/arch.svg")
            .1
            .contains("image/svg+xml")
    );
    // Pretty URLs: a folder without its slash is redirected.
    let (status, head, _) = get(port, "/health/feet/foot-spasms");
    assert_eq!(status, 301);
    assert!(head.contains("Location: /health/feet/foot-spasms/"));
    // The site root redirects to the sub-path.
    assert_eq!(get(port, "/").0, 301);
    // The site's own 404 page, with status 404.
    let (status, _, body) = get(port, "/health/no-such-page/");
    assert_eq!(status, 404);
    assert!(body.contains("Lost? (site override)"));
    // HEAD: the headers only.
    let (status, head, body) = request(port, "HEAD", "/health/feet/foot-spasms/");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Length: ") && body.is_empty());
    assert_eq!(request(port, "POST", "/health/").0, 405);
    // Nothing is written into the site folder.
    assert!(!site.public().exists());
}

#[test]
fn paths_that_climb_out_of_the_site_are_refused() {
    let site = TestSite::fixture("site");
    let server = start(&site);
    for target in [
        "/health/../site.yaml",
        "/health/%2e%2e/site.yaml",
        "/health/%2E%2E%2Fsite.yaml",
        "/health/..%5csite.yaml",
        "/health/feet/../../content/feet/foot-spasms.md",
        "/health/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/health/content/feet/foot-spasms.md",
        "/health/site.yaml",
    ] {
        let (status, _, body) = get(server.port, target);
        assert!(status == 400 || status == 404, "{target}: {status}");
        assert!(
            !body.contains("base_url") && !body.contains("root:x:0"),
            "{target} leaked a file"
        );
    }
}

#[test]
fn an_edit_shows_up_and_a_broken_file_keeps_the_last_good_page() {
    let site = TestSite::fixture("site");
    let server = start(&site);
    let port = server.port;
    let path = site.root().join("content/feet/foot-spasms.md");
    let original = std::fs::read_to_string(&path).unwrap();

    // Open the live-reload stream, as a page does.
    let mut events = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(events, "GET /__causeway/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut events = BufReader::new(events);
    let mut line = String::new();
    events.read_line(&mut line).unwrap();
    assert!(line.starts_with("HTTP/1.1 200"));

    std::fs::write(
        &path,
        original.replace("Shoes that pinch.", "Shoes that squeeze the toes."),
    )
    .unwrap();
    eventually("the edit to appear", || {
        get(port, "/health/feet/foot-spasms/")
            .2
            .contains("Shoes that squeeze the toes.")
    });
    // The open page was told to reload.
    let mut seen = String::new();
    while !seen.contains("event: reload") {
        line.clear();
        assert!(events.read_line(&mut line).unwrap() > 0, "stream closed");
        seen.push_str(&line);
    }

    // Break the front matter: the server keeps running with the last good page, and says why.
    std::fs::write(
        &path,
        original.replace("condition: Foot spasms", "condition: [unclosed"),
    )
    .unwrap();
    eventually("the error to be reported", || {
        get(port, "/__causeway/errors")
            .2
            .contains("content/feet/foot-spasms.md:")
    });
    let (status, _, body) = get(port, "/health/feet/foot-spasms/");
    assert_eq!(status, 200);
    assert!(body.contains("Shoes that squeeze the toes."));
    let mut seen = String::new();
    while !seen.contains("event: errors") {
        line.clear();
        assert!(events.read_line(&mut line).unwrap() > 0, "stream closed");
        seen.push_str(&line);
    }

    // Fix it: the error clears.
    std::fs::write(&path, &original).unwrap();
    eventually("the error to clear", || {
        get(port, "/__causeway/errors").2.is_empty()
    });
    assert!(
        get(port, "/health/feet/foot-spasms/")
            .2
            .contains("Shoes that pinch.")
    );
}

#[test]
fn a_site_broken_from_the_start_is_served_once_fixed() {
    let site = TestSite::empty();
    site.write("content/a.md", "---\ntitle: A\n---\nNo description yet.\n");
    let server = start(&site);
    let port = server.port;
    let (status, _, body) = get(port, "/");
    assert_eq!(status, 200);
    assert!(body.contains("The site has errors") && body.contains("/__causeway/live.js"));
    assert!(
        get(port, "/__causeway/errors")
            .2
            .contains("content/a.md:2:1: error[front-matter]: `description` is required")
    );

    site.write(
        "content/a.md",
        "---\ntitle: A\ndescription: Now complete.\n---\nBody.\n",
    );
    eventually("the fixed site to be served", || {
        get(port, "/a/").2.contains("Now complete.")
    });
    assert!(get(port, "/__causeway/errors").2.is_empty());
}

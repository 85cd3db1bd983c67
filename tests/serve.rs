//! `causeway serve` as a writer uses it: pages served under the site's sub-path, edits shown
//! without a restart, errors reported while the last good page stays up, and no way out of
//! the site through the URL.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::TestSite;

/// A running server, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
    /// What the server printed after its first line.
    output: Arc<Mutex<String>>,
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
    let output = Arc::new(Mutex::new(String::new()));
    let kept = output.clone();
    std::thread::spawn(move || {
        let mut line = String::new();
        while stdout.read_line(&mut line).is_ok_and(|n| n > 0) {
            kept.lock().unwrap().push_str(&line);
            line.clear();
        }
    });
    // "Serving http://127.0.0.1:PORT/health/ (Ctrl-C to stop)"
    let port = line
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"));
    Server {
        child,
        port,
        output,
    }
}

/// Sends a raw request; returns (status, headers, body).
fn request(port: u16, method: &str, target: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
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
    write!(
        events,
        "GET /__causeway/events HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n"
    )
    .unwrap();
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

/// Sends `bytes` (as much as the server takes) and returns what it answered, and whether it
/// then closed the connection (rather than leaving it open past five seconds).
fn exchange(port: u16, bytes: &[u8]) -> (String, bool) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    // The server may stop reading, and close, before all of it is sent.
    let _ = stream.write_all(bytes);
    read_answer(stream)
}

fn read_answer(mut stream: TcpStream) -> (String, bool) {
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    let closed = loop {
        match stream.read(&mut buf) {
            Ok(0) => break true,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
            // Closed with unread data: the answer was read before the reset.
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break true,
            Err(_) => break false,
        }
    };
    (String::from_utf8_lossy(&answer).into_owned(), closed)
}

fn status_of(answer: &str) -> Option<u16> {
    answer.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn a_request_line_that_never_ends_is_refused_and_closed() {
    let site = TestSite::fixture("site");
    let server = start(&site);
    // 64 KiB without a newline, well past the 16 KiB a head may take; the server reads no
    // more than that, whatever is sent.
    let mut bytes = b"GET /".to_vec();
    bytes.resize(64 * 1024, b'a');
    let (answer, closed) = exchange(server.port, &bytes);
    assert_eq!(status_of(&answer), Some(431), "{answer:?}");
    assert!(closed, "the connection was left open");
    // The server goes on.
    assert_eq!(get(server.port, "/health/feet/foot-spasms/").0, 200);
}

#[test]
fn only_requests_naming_this_server_are_answered() {
    let site = TestSite::fixture("site");
    let server = start(&site);
    let port = server.port;
    let ask = |host_line: &str, version: &str| {
        let (answer, _) = exchange(
            port,
            format!("GET /health/feet/foot-spasms/ {version}\r\n{host_line}\r\n").as_bytes(),
        );
        answer
    };
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ] {
        let answer = ask(&format!("Host: {host}\r\n"), "HTTP/1.1");
        assert_eq!(status_of(&answer), Some(200), "{host}: {answer:?}");
    }
    // A name pointed at this machine by another site (DNS rebinding), or another port.
    for host in [
        format!("evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        "127.0.0.1:1".to_string(),
    ] {
        let answer = ask(&format!("Host: {host}\r\n"), "HTTP/1.1");
        assert_eq!(status_of(&answer), Some(421), "{host}: {answer:?}");
        assert!(answer.contains("This preview answers only to its own address"));
        assert!(
            !answer.contains("Physiological Triggers"),
            "{host} read the page"
        );
    }
    // The live-reload stream is refused too.
    let (answer, _) = exchange(
        port,
        format!("GET /__causeway/events HTTP/1.1\r\nHost: evil.example:{port}\r\n\r\n").as_bytes(),
    );
    assert_eq!(status_of(&answer), Some(421), "{answer:?}");
    // HTTP/1.1 requires a Host; HTTP/1.0 does not.
    assert_eq!(status_of(&ask("", "HTTP/1.1")), Some(400));
    assert_eq!(status_of(&ask("", "HTTP/1.0")), Some(200));
}

/// A server over a site with no good build yet (every page is the error page, status 200),
/// in this process, so tests can give it small limits.
fn start_with(limits: causeway::serve::http::Limits) -> u16 {
    use causeway::serve::http::{Clients, State, serve};
    use std::sync::{Arc, RwLock};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let state = Arc::new(RwLock::new(State {
        workspace: None,
        errors: Vec::new(),
        base_path: "/".into(),
    }));
    std::thread::spawn(move || serve(listener, state, Arc::new(Clients::default()), limits));
    port
}

fn host_line(port: u16) -> String {
    format!("Host: 127.0.0.1:{port}\r\n")
}

#[test]
fn a_head_trickled_in_is_cut_off_at_the_deadline() {
    let port = start_with(causeway::serve::http::Limits {
        head_time: Duration::from_secs(1),
        ..Default::default()
    });
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    write!(stream, "GET / HTTP/1.1\r\n{}X-Slow: ", host_line(port)).unwrap();
    // One byte every 300 ms: each read succeeds, but the head never ends.
    let mut writer = stream.try_clone().unwrap();
    let trickle = std::thread::spawn(move || {
        for _ in 0..20 {
            std::thread::sleep(Duration::from_millis(300));
            if writer.write_all(b"a").is_err() {
                break;
            }
        }
    });
    let (answer, closed) = read_answer(stream);
    assert_eq!(status_of(&answer), Some(408), "{answer:?}");
    assert!(closed, "the connection was left open");
    trickle.join().unwrap();
}

#[test]
fn connections_over_the_cap_get_503_and_the_server_goes_on() {
    let port = start_with(causeway::serve::http::Limits {
        connections: 2,
        event_streams: 1,
        ..Default::default()
    });
    let request = format!("GET / HTTP/1.1\r\n{}\r\n", host_line(port));
    // Two idle connections take both places (they are accepted, in order, before the next).
    let idle: Vec<TcpStream> = (0..2)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    let (answer, closed) = exchange(port, request.as_bytes());
    assert_eq!(status_of(&answer), Some(503), "{answer:?}");
    assert!(closed);
    // Once they close, the server serves again.
    drop(idle);
    eventually("a place to be free", || {
        status_of(&exchange(port, request.as_bytes()).0) == Some(200)
    });

    // Live-reload streams have a cap of their own, below that of connections.
    let events = format!("GET /__causeway/events HTTP/1.1\r\n{}\r\n", host_line(port));
    let mut open = TcpStream::connect(("127.0.0.1", port)).unwrap();
    open.write_all(events.as_bytes()).unwrap();
    let mut first = String::new();
    BufReader::new(open.try_clone().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("HTTP/1.1 200"), "{first:?}");
    let (answer, _) = exchange(port, events.as_bytes());
    assert_eq!(status_of(&answer), Some(503), "{answer:?}");
    // Pages are still served while the stream stays open (once the refused stream's
    // place is given back).
    eventually("pages to be served beside the stream", || {
        status_of(&exchange(port, request.as_bytes()).0) == Some(200)
    });
    drop(open);
}

#[test]
fn serve_watches_only_the_folders_build_reads() {
    use std::os::unix::fs::symlink;
    let site = TestSite::fixture("site");
    let root = site.root();
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(outside.path().join("deeper")).unwrap();
    std::fs::create_dir_all(root.join("static/real")).unwrap();
    std::fs::create_dir_all(root.join("static/.hidden")).unwrap();
    // A link out of the site, a link loop and a dangling link: `build` follows none of them.
    symlink(outside.path(), root.join("static/linked")).unwrap();
    symlink(root.join("static"), root.join("static/real/loop")).unwrap();
    symlink(root.join("no-such-folder"), root.join("static/dangling")).unwrap();
    // A folder that cannot be read: only when not root, which reads everything.
    let locked = root.join("static/real/locked");
    std::fs::create_dir_all(&locked).unwrap();
    let unreadable = unsafe { libc::geteuid() } != 0;
    if unreadable {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    }

    let plan = causeway::serve::watch_plan(root, Some("default"));
    for dir in [
        "",
        "content/feet",
        "static",
        "static/real",
        "templates",
        "themes/default/static",
    ] {
        assert!(plan.dirs.contains(&root.join(dir)), "{dir} is not watched");
    }
    for dir in &plan.dirs {
        assert!(
            dir.starts_with(root),
            "{} is outside the site",
            dir.display()
        );
        let rel = dir
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(
            !rel.starts_with("static/linked")
                && !rel.contains("loop")
                && !rel.contains("dangling")
                && !rel.contains(".hidden"),
            "{rel} is watched"
        );
    }
    assert_eq!(
        plan.unreadable.len(),
        usize::from(unreadable),
        "{:?}",
        plan.unreadable
    );

    // It starts, and an edit through the link is not seen while one inside the site is.
    let server = start(&site);
    std::fs::write(outside.path().join("deeper/outside-marker.txt"), "x").unwrap();
    std::fs::write(outside.path().join("outside-marker.txt"), "x").unwrap();
    std::fs::write(root.join("static/real/inside-marker.txt"), "x").unwrap();
    eventually("the edit inside the site to be rebuilt", || {
        server.output.lock().unwrap().contains("inside-marker.txt")
    });
    let output = server.output.lock().unwrap().clone();
    assert!(!output.contains("outside-marker"), "{output}");
    assert_eq!(get(server.port, "/health/real/inside-marker.txt").0, 200);
}

#[test]
fn a_folder_made_while_serving_is_watched() {
    let site = TestSite::empty();
    site.write(
        "content/a.md",
        "---\ntitle: A\ndescription: First.\n---\nBody.\n",
    );
    let server = start(&site);
    // The folder and its first file at once, as a copy or `git checkout` makes them.
    site.write(
        "content/new/deeper/b.md",
        "---\ntitle: B\ndescription: In a new folder.\n---\nBody.\n",
    );
    eventually("the article in the new folder to be served", || {
        get(server.port, "/new/deeper/b/")
            .2
            .contains("In a new folder.")
    });
    // And later edits in it are seen.
    site.write(
        "content/new/deeper/b.md",
        "---\ntitle: B\ndescription: Edited.\n---\nBody.\n",
    );
    eventually("the edit in the new folder to show", || {
        get(server.port, "/new/deeper/b/").2.contains("Edited.")
    });
}

#[test]
fn a_site_without_a_theme_folder_is_served_with_the_built_in_theme() {
    let site = TestSite::empty();
    std::fs::remove_dir_all(site.root().join("themes")).unwrap();
    site.write(
        "content/a.md",
        "---\ntitle: A\ndescription: D\n---\nBody.\n",
    );
    let server = start(&site);
    let (status, _, css) = request(server.port, "GET", "/style.css");
    assert_eq!(status, 200);
    assert_eq!(
        css.as_bytes(),
        std::fs::read(common::repo().join("themes/default/static/style.css")).unwrap()
    );
    let (status, _, page) = request(server.port, "GET", "/a/");
    assert_eq!(status, 200);
    assert!(page.contains("<h1>A</h1>"), "{page}");
}

#[test]
fn serves_every_language_with_its_own_404_page_and_shows_an_edit_to_a_translation() {
    let site = TestSite::fixture("multilingual");
    let server = start(&site);
    let port = server.port;
    let (status, _, body) = get(port, "/guide/es/legs/calambres-nocturnos/");
    assert_eq!(status, 200);
    assert!(body.contains("<html lang=\"es\""));
    let (status, _, body) = get(port, "/guide/ar/no-such-page/");
    assert_eq!(status, 404);
    assert!(body.contains("<html lang=\"ar\" dir=\"rtl\">"), "{body}");
    let (status, _, body) = get(port, "/guide/no-such-page/");
    assert_eq!(status, 404);
    assert!(body.contains("<html lang=\"en\""));

    let path = site.root().join("content/legs/night-cramps.es.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("cansan los músculos", "agotan los músculos"),
    )
    .unwrap();
    eventually("the edit to appear", || {
        get(port, "/guide/es/legs/calambres-nocturnos/")
            .2
            .contains("agotan los músculos")
    });
}

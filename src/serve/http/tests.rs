//! The request reader and the responses, tried with real sockets.
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

fn head(text: &str) -> Result<RequestHead, HeadError> {
    parse_request_head(text.as_bytes())
}

#[test]
fn request_heads_parse() {
    let h =
        head("GET /health/?q=a HTTP/1.1\r\nHost: localhost:1111\r\nAccept: */*\r\n\r\n").unwrap();
    assert_eq!(
        h,
        RequestHead {
            method: "GET".into(),
            target: "/health/?q=a".into(),
            minor_version: 1,
            host: Some("localhost:1111".into()),
        }
    );
    // Bare LF, a leading empty line, any case of the name, a body after the head.
    let h = head("\nHEAD / HTTP/1.1\nhOsT:   127.0.0.1:80  \n\nbody").unwrap();
    assert_eq!(
        (h.method.as_str(), h.host.as_deref()),
        ("HEAD", Some("127.0.0.1:80"))
    );
    // HTTP/1.0 needs no Host.
    assert_eq!(head("GET / HTTP/1.0\r\n\r\n").unwrap().host, None);
    // Other header values need not be text.
    let mut bytes = b"GET / HTTP/1.1\r\nHost: a:1\r\nX-Raw: ".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe, 0x80]);
    bytes.extend_from_slice(b"\r\n\r\n");
    assert!(parse_request_head(&bytes).is_ok());
}

#[test]
fn bad_request_heads_are_refused() {
    use HeadError::*;
    for (text, error) in [
        ("", Incomplete),
        ("GET / HTTP/1.1", Incomplete),
        ("GET / HTTP/1.1\r\nHost: a:1\r\n", Incomplete),
        ("\r\n\r\n", Incomplete),
        ("GET /\r\n\r\n", RequestLine),
        ("GET  / HTTP/1.1\r\nHost: a:1\r\n\r\n", RequestLine),
        ("GET / HTTP/1.1 x\r\nHost: a:1\r\n\r\n", RequestLine),
        ("G(T / HTTP/1.1\r\nHost: a:1\r\n\r\n", RequestLine),
        ("GET / HTTQ/1.1\r\nHost: a:1\r\n\r\n", RequestLine),
        ("GET / HTTP/2.0\r\nHost: a:1\r\n\r\n", Version),
        ("GET / HTTP/1.1\r\nHost a:1\r\n\r\n", Header),
        ("GET / HTTP/1.1\r\nHost : a:1\r\n\r\n", Header),
        ("GET / HTTP/1.1\r\nHost: a:1\r\n folded\r\n\r\n", Header),
        ("GET / HTTP/1.1\r\n: x\r\nHost: a:1\r\n\r\n", Header),
        ("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", MissingHost),
        ("GET / HTTP/1.1\r\nHost: a:1\r\nHost: b:1\r\n\r\n", BadHost),
        ("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", BadHost),
    ] {
        assert_eq!(head(text), Err(error), "{text:?}");
    }
}

#[test]
fn non_utf8_heads_are_refused() {
    assert_eq!(
        parse_request_head(b"GET /\xff\xfe HTTP/1.1\r\nHost: a:1\r\n\r\n"),
        Err(HeadError::RequestLine)
    );
    assert_eq!(
        parse_request_head(b"G\xc3\xa9T / HTTP/1.1\r\nHost: a:1\r\n\r\n"),
        Err(HeadError::RequestLine)
    );
    assert_eq!(
        parse_request_head(b"GET / HTTP/1.1\r\nHost: \xc3\xa9:1\r\n\r\n"),
        Err(HeadError::BadHost)
    );
    assert_eq!(
        parse_request_head(b"GET / HTTP/1.1\r\nH\xc3\xa9: x\r\nHost: a:1\r\n\r\n"),
        Err(HeadError::Header)
    );
}

#[test]
fn huge_heads_are_parsed_or_refused_without_fuss() {
    let long_target = format!("GET /{} HTTP/1.1\r\nHost: a:1\r\n\r\n", "a".repeat(1 << 20));
    assert_eq!(head(&long_target).unwrap().target.len(), (1 << 20) + 1);
    let many = format!(
        "GET / HTTP/1.1\r\nHost: a:1\r\n{}\r\n",
        "X: y\r\n".repeat(MAX_HEADERS)
    );
    assert_eq!(head(&many), Err(HeadError::TooManyHeaders));
    assert_eq!(head(&"\n".repeat(1 << 20)), Err(HeadError::Incomplete));
}

#[test]
fn garbage_never_panics() {
    // Deterministic noise, and cuts and flips of a valid head.
    let valid = b"GET /a%20b?c HTTP/1.1\r\nHost: [::1]:8080\r\nX: y\r\n\r\n";
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..20_000 {
        let mut bytes = valid.to_vec();
        for _ in 0..next() % 4 {
            let at = (next() as usize) % bytes.len();
            bytes[at] = match next() % 4 {
                0 => b'\n',
                1 => b' ',
                2 => b':',
                _ => next() as u8,
            };
        }
        bytes.truncate((next() as usize) % (bytes.len() + 1));
        let _ = parse_request_head(&bytes);
        let noise: Vec<u8> = (0..next() % 64).map(|_| next() as u8).collect();
        let _ = parse_request_head(&noise);
    }
}

#[test]
fn hosts_that_name_this_server_are_accepted() {
    let local: SocketAddr = "127.0.0.1:1111".parse().unwrap();
    for ok in [
        "localhost:1111",
        "LocalHost:1111",
        "127.0.0.1:1111",
        "[::1]:1111",
    ] {
        assert!(host_allowed(ok, local), "{ok}");
    }
    for bad in [
        "evil.example:1111",
        "localhost.evil.example:1111",
        "127.0.0.1.nip.io:1111",
        "localhost:2222",
        "localhost",
        "127.0.0.1",
        "127.0.0.1:",
        "127.0.0.1:1111:1111",
        "192.168.1.9:1111",
        "[::1]",
        "[::1:1111",
        "::1:1111",
        "",
    ] {
        assert!(!host_allowed(bad, local), "{bad}");
    }
    // Port 80 may be left out, as browsers do.
    assert!(host_allowed("localhost", "127.0.0.1:80".parse().unwrap()));
    // Bound to a LAN address: that address too.
    let lan: SocketAddr = "192.168.1.9:1111".parse().unwrap();
    assert!(host_allowed("192.168.1.9:1111", lan));
    assert!(!host_allowed("192.168.1.10:1111", lan));
    // Bound to every address: any IP address with the port, never a name.
    for any in ["0.0.0.0:1111", "[::]:1111"] {
        let any: SocketAddr = any.parse().unwrap();
        for ok in ["192.168.1.10:1111", "[fe80::1]:1111", "localhost:1111"] {
            assert!(host_allowed(ok, any), "{ok}");
        }
        for bad in [
            "evil.example:1111",
            "192.168.1.10:2222",
            "10.0.0.1.nip.io:1111",
        ] {
            assert!(!host_allowed(bad, any), "{bad}");
        }
    }
}

#[test]
fn accept_failures_back_off_instead_of_spinning() {
    let mut backoff = Backoff::new();
    let emfile = std::io::Error::from_raw_os_error(libc::EMFILE);
    let enfile = std::io::Error::from_raw_os_error(libc::ENFILE);
    let waits: Vec<u64> = (0..9)
        .map(|i| {
            backoff
                .failed(if i % 2 == 0 { &emfile } else { &enfile })
                .as_millis() as u64
        })
        .collect();
    assert_eq!(waits, [10, 20, 40, 80, 160, 320, 640, 1000, 1000]);
    backoff.succeeded();
    assert_eq!(backoff.failed(&emfile), Duration::from_millis(10));
    // A connection reset before it was accepted: accept again at once.
    let aborted = std::io::Error::from(ErrorKind::ConnectionAborted);
    assert_eq!(backoff.failed(&aborted), Duration::ZERO);
}

fn test_server(limits: Limits) -> (Arc<Server>, TcpListener) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let state = Arc::new(RwLock::new(State {
        workspace: None,
        errors: Vec::new(),
        base_path: "/".into(),
    }));
    let server = Server::new(
        listener.local_addr().unwrap(),
        state,
        Arc::new(Clients::default()),
        limits,
    );
    (Arc::new(server), listener)
}

/// Connects, sends a GET for `/`, and returns what the server answered.
fn exchange(
    server: &Arc<Server>,
    listener: &TcpListener,
    backoff: &mut Backoff,
    spawn: &mut impl FnMut(Job) -> std::io::Result<()>,
) -> (Duration, String) {
    let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    client
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    write!(
        client,
        "GET / HTTP/1.1\r\nHost: localhost:{}\r\n\r\n",
        server.addr.port()
    )
    .unwrap();
    let wait = server.accepted(listener.accept().map(|(s, _)| s), backoff, spawn);
    let mut answer = Vec::new();
    let _ = client.read_to_end(&mut answer);
    (wait, String::from_utf8_lossy(&answer).into_owned())
}

#[test]
fn a_thread_that_cannot_start_gets_a_503_and_the_server_goes_on() {
    let (server, listener) = test_server(Limits::default());
    let mut backoff = Backoff::new();
    let mut no_threads = |_: Job| Err(std::io::Error::from(ErrorKind::OutOfMemory));
    let (wait, answer) = exchange(&server, &listener, &mut backoff, &mut no_threads);
    assert_eq!(wait, Duration::ZERO);
    assert!(answer.starts_with("HTTP/1.1 503 "), "{answer}");
    // The place the connection took is given back.
    assert_eq!(server.connections.open.load(Ordering::Acquire), 0);

    let mut threads = |job: Job| std::thread::Builder::new().spawn(job).map(drop);
    let (_, answer) = exchange(&server, &listener, &mut backoff, &mut threads);
    assert!(answer.starts_with("HTTP/1.1 200 "), "{answer}");

    // Out of file descriptors: wait, then serve as before.
    let emfile = Err(std::io::Error::from_raw_os_error(libc::EMFILE));
    assert_eq!(
        server.accepted(emfile, &mut backoff, &mut threads),
        Duration::from_millis(10)
    );
    let (wait, answer) = exchange(&server, &listener, &mut backoff, &mut threads);
    assert_eq!(wait, Duration::ZERO);
    assert!(answer.starts_with("HTTP/1.1 200 "), "{answer}");
}

#[test]
fn places_are_given_back() {
    let gauge = Gauge::new(2);
    let a = gauge.take().unwrap();
    let b = gauge.take().unwrap();
    assert!(gauge.take().is_none());
    drop(a);
    let c = gauge.take().unwrap();
    drop((b, c));
    assert_eq!(gauge.open.load(Ordering::Acquire), 0);
}

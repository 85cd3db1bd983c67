//! Reading a request head: the request line and the `Host` header, within the size and
//! time limits of a connection. Everything else in a head is checked for syntax and ignored.

use std::io::{ErrorKind, Read};
use std::net::TcpStream;
use std::time::Instant;

use super::Limits;

/// The parts of a request head the server acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestHead {
    pub method: String,
    pub target: String,
    /// The minor version of HTTP/1.x.
    pub minor_version: u8,
    /// The `Host` header; required on HTTP/1.1, optional on HTTP/1.0.
    pub host: Option<String>,
}

/// Why a request head was refused. [`parse_request_head`] returns the syntax errors; reading
/// a head off a connection adds the size and time limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadError {
    /// The bytes end before the blank line that ends a head.
    Incomplete,
    /// The request line is not `METHOD TARGET HTTP/1.x`.
    RequestLine,
    /// Not HTTP/1.x.
    Version,
    /// A header line is not `name: value`, or is folded onto the line before.
    Header,
    /// More than [`MAX_HEADERS`] header lines.
    TooManyHeaders,
    /// An HTTP/1.1 request without a `Host` header.
    MissingHost,
    /// More than one `Host` header, or one that is not printable ASCII.
    BadHost,
    /// The head is larger than [`Limits::head_bytes`].
    TooLarge,
    /// The head did not arrive within [`Limits::head_time`].
    TimedOut,
}

impl HeadError {
    /// The status to answer with.
    pub fn status(self) -> u16 {
        match self {
            HeadError::TooLarge | HeadError::TooManyHeaders => 431,
            HeadError::TimedOut => 408,
            HeadError::Version => 505,
            _ => 400,
        }
    }
}

impl std::fmt::Display for HeadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            HeadError::Incomplete => "the request head is incomplete",
            HeadError::RequestLine => "the request line is not `METHOD TARGET HTTP/1.1`",
            HeadError::Version => "only HTTP/1.0 and HTTP/1.1 are served",
            HeadError::Header => "a header line is malformed",
            HeadError::TooManyHeaders => "the request has too many headers",
            HeadError::MissingHost => "an HTTP/1.1 request needs a Host header",
            HeadError::BadHost => "the Host header is repeated or not printable ASCII",
            HeadError::TooLarge => "the request head is too large",
            HeadError::TimedOut => "the request head took too long to arrive",
        })
    }
}

impl std::error::Error for HeadError {}

/// Header lines a head may have; browsers send a few dozen at most.
pub const MAX_HEADERS: usize = 100;

/// The next line of `rest` without its LF (and CR), or None when no LF is left.
fn split_line<'a>(rest: &mut &'a [u8]) -> Option<&'a [u8]> {
    let all: &'a [u8] = rest;
    let end = all.iter().position(|&b| b == b'\n')?;
    *rest = &all[end + 1..];
    let line = &all[..end];
    Some(line.strip_suffix(b"\r").unwrap_or(line))
}

/// `tchar` of RFC 9110: the characters of methods and header names.
fn is_token(bytes: &[u8]) -> bool {
    !bytes.is_empty()
        && bytes
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Parses a request head: the request line, then header lines up to the blank line that ends
/// the head (lines end in CRLF or LF; whatever follows the blank line is ignored). A pure
/// function over bytes that gives a head or an error for any input, never a panic, so it can
/// be fuzzed on its own.
pub fn parse_request_head(bytes: &[u8]) -> Result<RequestHead, HeadError> {
    let mut rest = bytes;
    // Empty lines before the request line are ignored (RFC 9112, 2.2).
    let request_line = loop {
        match split_line(&mut rest) {
            None => return Err(HeadError::Incomplete),
            Some([]) => continue,
            Some(line) => break line,
        }
    };
    let mut parts = request_line.split(|&b| b == b' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(HeadError::RequestLine);
    };
    if !is_token(method) || target.is_empty() || !target.iter().all(|b| b.is_ascii_graphic()) {
        return Err(HeadError::RequestLine);
    }
    let minor_version = match version {
        [b'H', b'T', b'T', b'P', b'/', b'1', b'.', minor] if minor.is_ascii_digit() => minor - b'0',
        [b'H', b'T', b'T', b'P', b'/', ..] => return Err(HeadError::Version),
        _ => return Err(HeadError::RequestLine),
    };
    let mut host = None;
    let mut headers = 0;
    loop {
        let line = split_line(&mut rest).ok_or(HeadError::Incomplete)?;
        if line.is_empty() {
            break;
        }
        headers += 1;
        if headers > MAX_HEADERS {
            return Err(HeadError::TooManyHeaders);
        }
        let colon = line
            .iter()
            .position(|&b| b == b':')
            .ok_or(HeadError::Header)?;
        let (name, value) = (&line[..colon], &line[colon + 1..]);
        // A name must be a token: this also refuses folded lines (leading space) and a
        // space before the colon, which proxies could read differently.
        if !is_token(name) {
            return Err(HeadError::Header);
        }
        if name.eq_ignore_ascii_case(b"host") {
            let value = value.trim_ascii();
            if host.is_some() || !value.iter().all(|b| b.is_ascii_graphic()) {
                return Err(HeadError::BadHost);
            }
            // Printable ASCII, so always UTF-8.
            host = Some(String::from_utf8_lossy(value).into_owned());
        }
    }
    if host.is_none() && minor_version >= 1 {
        return Err(HeadError::MissingHost);
    }
    Ok(RequestHead {
        // Token and printable ASCII, so always UTF-8.
        method: String::from_utf8_lossy(method).into_owned(),
        target: String::from_utf8_lossy(target).into_owned(),
        minor_version,
        host,
    })
}

/// Reads a request head off `stream`: at most `limits.head_bytes`, and all of it within
/// `limits.head_time` however slowly it comes (each read waits only for the time left).
/// `Ok(None)` when the client went away before sending a whole head.
pub(super) fn read_head(stream: &TcpStream, limits: &Limits) -> Result<Option<Vec<u8>>, HeadError> {
    let deadline = Instant::now() + limits.head_time;
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Err(HeadError::TimedOut);
        }
        // One byte past the limit tells a head that is too large from one that fits.
        let room = (limits.head_bytes + 1 - head.len()).min(chunk.len());
        match (&mut &*stream).read(&mut chunk[..room]) {
            Ok(0) if head.is_empty() => return Ok(None),
            Ok(0) => return Err(HeadError::Incomplete),
            Ok(n) => {
                let from = head.len().saturating_sub(3);
                head.extend_from_slice(&chunk[..n]);
                let tail = &head[from..];
                if tail.windows(3).any(|w| w == b"\n\r\n") || tail.windows(2).any(|w| w == b"\n\n")
                {
                    return Ok(Some(head));
                }
                if head.len() > limits.head_bytes {
                    return Err(HeadError::TooLarge);
                }
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return Err(HeadError::TimedOut);
            }
            Err(_) => return Ok(None),
        }
    }
}

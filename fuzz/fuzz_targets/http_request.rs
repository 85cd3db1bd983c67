//! Any bytes as the head of a request to `serve`: a head or an error, never a panic. A head
//! that parses has a token method, a printable target and Host, and does not change when
//! more bytes follow it (what follows the blank line is not part of the head).
#![no_main]

use causeway::serve::http::parse_request_head;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match parse_request_head(data) {
        Ok(head) => {
            assert!(
                !head.method.is_empty() && !head.target.is_empty(),
                "{head:?}"
            );
            assert!(
                head.target.bytes().all(|b| b.is_ascii_graphic()),
                "{head:?}"
            );
            assert!(head.minor_version <= 9, "{head:?}");
            if let Some(host) = &head.host {
                assert!(host.bytes().all(|b| b.is_ascii_graphic()), "{head:?}");
            } else {
                assert_eq!(head.minor_version, 0, "HTTP/1.1 without Host: {head:?}");
            }
            let mut longer = data.to_vec();
            longer.extend_from_slice(b"GET / HTTP/1.1\r\n\x00\xff");
            assert_eq!(parse_request_head(&longer), Ok(head));
        }
        Err(e) => {
            let status = e.status();
            assert!((400..600).contains(&status), "{e:?} -> {status}");
        }
    }
});

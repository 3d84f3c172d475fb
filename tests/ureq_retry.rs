//! Retries of the ureq transport, against small servers on 127.0.0.1 that follow a script.
#![cfg(feature = "ureq")]

use std::net::TcpListener;
use std::thread;
use std::time::{Duration, Instant};

use http::{Method, Request, Response};
use rockit_edge::retry::RetryPolicy;
use rockit_edge::ureq_transport::UreqTransport;
use rockit_edge::{Transport, TransportError, TransportErrorKind};

use canned::{serve, serve_on, Reply};

const BODY: &[u8] = br#"{"status":"success"}"#;

/// Short waits, so that the file runs in a moment.
fn quick() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(20),
        max_total_delay: Duration::from_secs(5),
        max_retry_after: Duration::from_secs(2),
        retry_non_idempotent: false,
    }
}

/// No proxy from the environment may take these requests off loopback.
fn transport(policy: RetryPolicy) -> UreqTransport {
    UreqTransport::builder()
        .proxy_from_env(false)
        .timeout_global(Duration::from_secs(20))
        .retry(policy)
        .build()
}

fn request(method: Method, url: &str, body: &[u8]) -> Request<Vec<u8>> {
    Request::builder()
        .method(method)
        .uri(url)
        .header("x-rockit-beauth-token", "t0k")
        .body(body.to_vec())
        .unwrap()
}

fn ok() -> Reply {
    Reply::answer(200, &[], BODY)
}

fn unavailable() -> Reply {
    Reply::answer(503, &[], b"busy")
}

fn answered(result: Result<Response<Vec<u8>>, TransportError>) -> Response<Vec<u8>> {
    result.unwrap_or_else(|e| panic!("expected an answer, got {e}"))
}

#[test]
fn a_get_answered_503_succeeds_on_the_second_try() {
    let server = serve(vec![unavailable(), ok()]);

    let response = answered(transport(quick()).send(request(Method::GET, &server.url("/x"), b"")));

    assert_eq!(response.status(), 200);
    assert_eq!(response.body(), BODY);
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    for try_ in &seen {
        assert_eq!(try_.head_line, "GET /x HTTP/1.1");
        assert!(try_.has_header("x-rockit-beauth-token: t0k"), "{try_:?}");
    }
}

#[test]
fn a_429_with_retry_after_waits_as_long_as_asked() {
    let server = serve(vec![Reply::answer(429, &[("Retry-After", "1")], b""), ok()]);

    let start = Instant::now();
    let response = answered(transport(quick()).send(request(Method::GET, &server.url("/"), b"")));
    let took = start.elapsed();

    assert_eq!(response.status(), 200);
    assert_eq!(server.seen().len(), 2);
    assert!(took >= Duration::from_millis(900), "{took:?}");
    assert!(took < Duration::from_secs(10), "{took:?}");
}

#[test]
fn a_retry_after_longer_than_the_policy_allows_ends_the_retries() {
    let server = serve(vec![Reply::answer(503, &[("Retry-After", "3")], b""), ok()]);

    let response = answered(transport(quick()).send(request(Method::GET, &server.url("/"), b"")));

    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["retry-after"], "3");
    assert_eq!(server.seen().len(), 1);
}

#[test]
fn a_post_is_not_tried_again_unless_the_policy_opts_in() {
    for reply in [unavailable(), Reply::HangUp] {
        let server = serve(vec![reply, ok()]);
        let result = transport(quick()).send(request(Method::POST, &server.url("/"), b"{}"));
        match result {
            Ok(response) => assert_eq!(response.status(), 503),
            Err(e) => assert!(
                matches!(
                    e.kind(),
                    TransportErrorKind::Protocol | TransportErrorKind::Io
                ),
                "{e}"
            ),
        }
        assert_eq!(server.seen().len(), 1);
    }

    let opted_in = RetryPolicy {
        retry_non_idempotent: true,
        ..quick()
    };
    for method in [Method::POST, Method::PATCH] {
        let server = serve(vec![unavailable(), ok()]);
        let body = br#"{"name":"sushi","label":"Sushi"}"#;
        let response = answered(transport(opted_in.clone()).send(request(
            method.clone(),
            &server.url("/be/v1/apps"),
            body,
        )));
        assert_eq!(response.status(), 200);
        let seen = server.seen();
        assert_eq!(seen.len(), 2, "{method}");
        for try_ in &seen {
            assert_eq!(try_.body, body);
            assert!(try_.head_line.starts_with(method.as_str()), "{try_:?}");
        }
    }
}

#[test]
fn a_connection_closed_without_an_answer_is_tried_again() {
    let server = serve(vec![Reply::HangUp, Reply::HangUp, ok()]);

    let response = answered(transport(quick()).send(request(Method::GET, &server.url("/"), b"")));

    assert_eq!(response.status(), 200);
    assert_eq!(server.seen().len(), 3);
}

#[test]
fn a_refused_connection_is_tried_again_until_the_server_is_up() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    // The server comes up on the same port while the client is between tries; many short
    // waits leave it ample time.
    let up = thread::spawn(move || {
        thread::sleep(Duration::from_millis(100));
        serve_on(TcpListener::bind(addr).unwrap(), vec![ok()])
    });
    let patient = RetryPolicy {
        max_attempts: 200,
        ..quick()
    };

    let result = transport(patient).send(request(Method::GET, &format!("http://{addr}/"), b""));

    let server = up.join().unwrap();
    assert_eq!(answered(result).status(), 200);
    assert_eq!(server.seen().len(), 1);
}

#[test]
fn tries_stop_at_the_policys_limits() {
    for max_attempts in [1, 2, 3, 5] {
        let server = serve(vec![unavailable()]);
        let policy = RetryPolicy {
            max_attempts,
            ..quick()
        };
        let response =
            answered(transport(policy).send(request(Method::GET, &server.url("/"), b"")));
        assert_eq!(response.status(), 503);
        assert_eq!(response.body(), b"busy");
        assert_eq!(server.seen().len(), max_attempts as usize);
    }

    let server = serve(vec![Reply::HangUp]);
    let err = transport(quick())
        .send(request(Method::GET, &server.url("/"), b""))
        .unwrap_err();
    assert!(
        matches!(
            err.kind(),
            TransportErrorKind::Protocol | TransportErrorKind::Io
        ),
        "{err}"
    );
    assert_eq!(server.seen().len(), quick().max_attempts as usize);

    let no_time = RetryPolicy {
        max_total_delay: Duration::ZERO,
        ..quick()
    };
    let server = serve(vec![unavailable(), ok()]);
    let response = answered(transport(no_time).send(request(Method::GET, &server.url("/"), b"")));
    assert_eq!(response.status(), 503);
    assert_eq!(server.seen().len(), 1);
}

#[test]
fn never_tries_once_and_the_default_policy_is_on() {
    let server = serve(vec![unavailable(), ok()]);
    let response =
        answered(transport(RetryPolicy::never()).send(request(Method::GET, &server.url("/"), b"")));
    assert_eq!(response.status(), 503);
    assert_eq!(server.seen().len(), 1);

    assert_eq!(UreqTransport::new().retry_policy(), &RetryPolicy::default());
    assert!(RetryPolicy::default().max_attempts > 1);
}

#[test]
fn answers_that_are_not_worth_another_try_come_back_at_once() {
    for status in [400, 401, 404, 409, 500] {
        let server = serve(vec![Reply::answer(status, &[], b"no"), ok()]);
        let response =
            answered(transport(quick()).send(request(Method::GET, &server.url("/"), b"")));
        assert_eq!(response.status(), status);
        assert_eq!(server.seen().len(), 1, "{status}");
    }
}

/// A server that takes one request per connection and answers each as its script says; past
/// the end of the script, the last reply repeats.
mod canned {
    use std::io::{self, BufRead, BufReader, Read, Write};
    use std::net::{SocketAddr, TcpListener, TcpStream};
    use std::sync::{Arc, Mutex};
    use std::thread;

    pub enum Reply {
        Answer {
            status: u16,
            headers: Vec<(&'static str, &'static str)>,
            body: &'static [u8],
        },
        /// Reads the request and closes the connection without a word.
        HangUp,
    }

    impl Reply {
        pub fn answer(
            status: u16,
            headers: &[(&'static str, &'static str)],
            body: &'static [u8],
        ) -> Reply {
            Reply::Answer {
                status,
                headers: headers.to_vec(),
                body,
            }
        }
    }

    #[derive(Clone, Debug)]
    pub struct Seen {
        pub head_line: String,
        /// `name: value` lines as sent.
        pub headers: Vec<String>,
        pub body: Vec<u8>,
    }

    impl Seen {
        pub fn has_header(&self, line: &str) -> bool {
            self.headers.iter().any(|h| h.eq_ignore_ascii_case(line))
        }
    }

    pub struct Server {
        addr: SocketAddr,
        seen: Arc<Mutex<Vec<Seen>>>,
    }

    impl Server {
        pub fn url(&self, path: &str) -> String {
            format!("http://{}{path}", self.addr)
        }

        pub fn seen(&self) -> Vec<Seen> {
            self.seen.lock().unwrap().clone()
        }
    }

    pub fn serve(script: Vec<Reply>) -> Server {
        serve_on(TcpListener::bind("127.0.0.1:0").unwrap(), script)
    }

    pub fn serve_on(listener: TcpListener, script: Vec<Reply>) -> Server {
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        thread::spawn(move || {
            for (i, stream) in listener.incoming().enumerate() {
                let Ok(stream) = stream else { continue };
                let reply = &script[i.min(script.len() - 1)];
                // A client that gave up makes reads or writes fail; that ends the connection.
                let _ = answer(stream, reply, &record);
            }
        });
        Server { addr, seen }
    }

    fn answer(stream: TcpStream, reply: &Reply, seen: &Mutex<Vec<Seen>>) -> io::Result<()> {
        let mut reader = BufReader::new(stream.try_clone()?);
        let mut head_line = String::new();
        reader.read_line(&mut head_line)?;
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line)?;
            let line = line.trim_end().to_owned();
            if line.is_empty() {
                break;
            }
            headers.push(line);
        }
        let length = headers
            .iter()
            .find_map(|h| {
                let (name, value) = h.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse().ok())?
            })
            .unwrap_or(0);
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        seen.lock().unwrap().push(Seen {
            head_line: head_line.trim_end().to_owned(),
            headers,
            body,
        });

        let Reply::Answer {
            status,
            headers,
            body,
        } = reply
        else {
            return Ok(());
        };
        let mut out = stream;
        let mut head = format!(
            "HTTP/1.1 {status} Canned\r\nContent-Length: {}\r\nConnection: close\r\n",
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        out.write_all(head.as_bytes())?;
        out.write_all(body)?;
        out.flush()
    }
}

//! The ureq transport against small servers on 127.0.0.1 that answer with canned bytes.
#![cfg(feature = "ureq")]

use std::io::Write;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use http::{Method, Request};
use rockit_edge::retry::RetryPolicy;
use rockit_edge::tasks::GetTask;
use rockit_edge::ureq_transport::{self, UreqTransport, UreqTransportBuilder};
use rockit_edge::{
    BaseUrl, Client, Credentials, Error, ErrorCode, Transport, TransportError, TransportErrorKind,
};

use server::{respond, serve, serve_raw, wait_for_close, After};

const TOKEN: &str = "t0k-SECRET-1";
const TASK_JSON: &str = include_str!("fixtures/tasks_get_200.json");
const TASK_NAME: &str = "ExampleOrg-sushi-0003-1739273968-dltar";

/// Every test builds its transport here, so that a proxy named by the environment can never
/// take requests off the loopback interface. Each test is about one exchange; retries have
/// their own tests.
fn transport() -> UreqTransportBuilder {
    UreqTransport::builder()
        .proxy_from_env(false)
        .retry(RetryPolicy::never())
}

fn get(url: &str) -> Request<Vec<u8>> {
    Request::get(url).body(Vec::new()).unwrap()
}

fn token_client(server: &server::Server, transport: UreqTransport) -> Client<UreqTransport> {
    Client::new(
        transport,
        server.base(),
        Credentials::backend_token(TOKEN).unwrap(),
    )
}

fn transport_error(result: Result<http::Response<Vec<u8>>, TransportError>) -> TransportError {
    match result {
        Ok(response) => panic!("expected an error, got HTTP {}", response.status()),
        Err(e) => {
            assert!(!e.message().contains(TOKEN), "{e}");
            assert!(!e.message().ends_with('.'), "{e}");
            assert!(e.message().starts_with(|c: char| !c.is_uppercase()), "{e}");
            if e.kind() != TransportErrorKind::Redirect {
                assert!(std::error::Error::source(&e).is_some(), "{e}");
            }
            e
        }
    }
}

fn api_error(result: Result<impl std::fmt::Debug, Error>) -> rockit_edge::ApiError {
    match result {
        Err(Error::Api(e)) => e,
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[test]
fn a_200_comes_back_with_its_headers_and_body() {
    let server = serve(|_, stream| {
        respond(
            stream,
            "200 OK",
            &[("Content-Type", "application/json")],
            TASK_JSON.as_bytes(),
        )?;
        Ok(After::KeepAlive)
    });

    let response = transport()
        .build()
        .send(get(&server.url("/be/v1/tasks/x")))
        .unwrap();

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(response.body(), TASK_JSON.as_bytes());
    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].method, "GET");
    assert_eq!(seen[0].target, "/be/v1/tasks/x");
    assert_eq!(seen[0].header("content-length"), None);
}

#[test]
fn the_client_decodes_a_task_sent_over_ureq() {
    let server = serve(|_, stream| {
        respond(
            stream,
            "200 OK",
            &[("Content-Type", "application/json")],
            TASK_JSON.as_bytes(),
        )?;
        Ok(After::KeepAlive)
    });

    let task = token_client(&server, transport().build())
        .send(&GetTask::new(TASK_NAME))
        .unwrap();

    assert_eq!(task.name, TASK_NAME);
    let seen = server.seen();
    assert_eq!(seen[0].target, format!("/be/v1/tasks/{TASK_NAME}"));
    assert_eq!(seen[0].header("x-rockit-beauth-token"), Some(TOKEN));
    assert_eq!(seen[0].header("accept"), Some("application/json"));
}

#[test]
fn a_400_keeps_its_status_and_error_body() {
    let body = r#"{"status":"error","code":"missing-param","message":"taskName is missing"}"#;
    let server = serve(move |_, stream| {
        respond(
            stream,
            "400 Bad Request",
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        )?;
        Ok(After::KeepAlive)
    });

    let err = api_error(token_client(&server, transport().build()).send(&GetTask::new(TASK_NAME)));

    assert_eq!(err.status(), 400);
    assert_eq!(err.code(), Some(&ErrorCode::MissingParam));
    assert_eq!(err.message(), Some("taskName is missing"));
    assert_eq!(err.body().text(), body);
}

#[test]
fn a_401_with_an_expired_token_is_reported_by_its_code() {
    let body = r#"{"status":"error","code":"token-expired","message":"the token has expired"}"#;
    let server = serve(move |_, stream| {
        respond(
            stream,
            "401 Unauthorized",
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        )?;
        Ok(After::KeepAlive)
    });

    let err = api_error(token_client(&server, transport().build()).send(&GetTask::new(TASK_NAME)));

    assert_eq!(err.status(), 401);
    assert_eq!(err.code(), Some(&ErrorCode::TokenExpired));
    assert_eq!(err.message(), Some("the token has expired"));
}

#[test]
fn an_html_502_page_is_kept_in_the_error() {
    let page = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    let server = serve(move |_, stream| {
        respond(
            stream,
            "502 Bad Gateway",
            &[("Content-Type", "text/html")],
            page.as_bytes(),
        )?;
        Ok(After::Close)
    });

    let err = api_error(token_client(&server, transport().build()).send(&GetTask::new(TASK_NAME)));

    assert_eq!(err.status(), 502);
    assert_eq!(err.body().text(), page);
}

#[test]
fn a_server_that_never_answers_hits_the_response_timeout() {
    let server = serve(|_, stream| {
        wait_for_close(stream);
        Ok(After::Close)
    });
    let transport = transport()
        .timeout_response(Duration::from_millis(300))
        .build();
    let started = Instant::now();

    let err = transport_error(transport.send(get(&server.url("/slow"))));

    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(err.kind(), TransportErrorKind::Timeout);
    assert!(err.message().contains("response timeout of 300ms"), "{err}");
}

#[test]
fn a_body_that_stalls_hits_the_body_timeout() {
    let server = serve(|_, stream| {
        stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"status\":")?;
        wait_for_close(stream);
        Ok(After::Close)
    });
    let transport = transport().timeout_body(Duration::from_millis(300)).build();
    let started = Instant::now();

    let err = transport_error(transport.send(get(&server.url("/stall"))));

    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(err.kind(), TransportErrorKind::Timeout);
    assert!(err.message().contains("body timeout of 300ms"), "{err}");
}

#[test]
fn the_global_timeout_bounds_the_whole_call() {
    let server = serve(|_, stream| {
        wait_for_close(stream);
        Ok(After::Close)
    });
    let transport = transport()
        .timeout_global(Duration::from_millis(300))
        .build();
    let started = Instant::now();

    let err = transport_error(transport.send(get(&server.url("/slow"))));

    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(err.kind(), TransportErrorKind::Timeout);
    assert!(err.message().contains("global timeout of 300ms"), "{err}");
}

#[test]
fn a_content_length_that_lies_is_a_protocol_error() {
    let server = serve(|_, stream| {
        stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{\"status\":")?;
        Ok(After::Close)
    });

    let err = transport_error(transport().build().send(get(&server.url("/short"))));

    assert_eq!(err.kind(), TransportErrorKind::Protocol);
    assert!(
        err.message()
            .contains("before the response body was complete"),
        "{err}"
    );
}

#[test]
fn a_connection_reset_mid_body_is_a_protocol_error() {
    let server = serve_raw(|mut stream| {
        // The request stays unread in the socket, so closing it sends a reset, not a FIN.
        let mut buf = [0_u8; 4096];
        loop {
            let n = stream.peek(&mut buf)?;
            if n == 0 {
                return Ok(());
            }
            if buf[..n].windows(4).any(|w| w == b"\r\n\r\n") {
                break;
            }
        }
        stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n{\"status\":")?;
        Ok(())
    });

    let err = transport_error(transport().build().send(get(&server.url("/reset"))));

    assert_eq!(err.kind(), TransportErrorKind::Protocol, "{err}");
}

#[test]
fn bytes_that_are_not_http_are_a_protocol_error() {
    let server = serve(|_, stream| {
        stream.write_all(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")?;
        Ok(After::Close)
    });

    let err = transport_error(transport().build().send(get(&server.url("/"))));

    assert_eq!(err.kind(), TransportErrorKind::Protocol, "{err}");
}

#[test]
fn a_refused_connection_is_a_connect_error() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);

    let err = transport_error(transport().build().send(get(&format!("http://{addr}/"))));

    assert_eq!(err.kind(), TransportErrorKind::Connect, "{err}");
    assert!(err.message().contains(&addr.to_string()), "{err}");
}

#[test]
fn a_body_over_the_limit_fails_promptly() {
    const MIB: u64 = 1024 * 1024;
    for with_length in [true, false] {
        let server = serve(move |_, stream| {
            let head = if with_length {
                format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", 50 * MIB)
            } else {
                "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n".to_owned()
            };
            stream.write_all(head.as_bytes())?;
            let chunk = vec![b'x'; 64 * 1024];
            for _ in 0..(50 * MIB / chunk.len() as u64) {
                stream.write_all(&chunk)?;
            }
            Ok(After::Close)
        });
        let transport = transport().max_body_bytes(MIB).build();
        let started = Instant::now();

        let err = transport_error(transport.send(get(&server.url("/huge"))));

        assert!(started.elapsed() < Duration::from_secs(10));
        assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge, "{err}");
        assert!(err.message().contains("1048576 bytes"), "{err}");
    }
}

#[test]
fn a_body_exactly_at_the_limit_is_accepted() {
    let server = serve(|seen, stream| {
        let len = if seen.target == "/exact" { 1024 } else { 1025 };
        respond(stream, "200 OK", &[], &vec![b'a'; len])?;
        Ok(After::KeepAlive)
    });
    let transport = transport().max_body_bytes(1024).build();

    let response = transport.send(get(&server.url("/exact"))).unwrap();
    assert_eq!(response.body().len(), 1024);

    let err = transport_error(transport.send(get(&server.url("/over"))));
    assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge);
}

#[test]
fn a_gzip_body_is_decompressed() {
    let compressed = gzip::encode(TASK_JSON.as_bytes(), 0);
    let server = serve(move |_, stream| {
        respond(
            stream,
            "200 OK",
            &[
                ("Content-Type", "application/json"),
                ("Content-Encoding", "gzip"),
            ],
            &compressed,
        )?;
        Ok(After::KeepAlive)
    });

    let response = transport().build().send(get(&server.url("/gz"))).unwrap();

    assert_eq!(response.body(), TASK_JSON.as_bytes());
    assert!(response.headers().get("content-encoding").is_none());
    let accept_encoding = server.seen()[0]
        .header("accept-encoding")
        .unwrap_or_default()
        .to_owned();
    assert!(accept_encoding.contains("gzip"), "{accept_encoding}");
}

#[test]
fn the_body_limit_counts_decompressed_bytes() {
    const LIMIT: u64 = 1024 * 1024;
    // One zero and 8200 back-references of 258 zeros each: about 2 MiB from 13 kB.
    let compressed = gzip::encode(&[0], 8200);
    assert!((compressed.len() as u64) < LIMIT / 10);
    let server = serve(move |_, stream| {
        respond(
            stream,
            "200 OK",
            &[("Content-Encoding", "gzip")],
            &compressed,
        )?;
        Ok(After::KeepAlive)
    });

    let small = transport().max_body_bytes(LIMIT).build();
    let err = transport_error(small.send(get(&server.url("/bomb"))));
    assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge, "{err}");

    let large = transport().max_body_bytes(4 * LIMIT).build();
    let response = large.send(get(&server.url("/bomb"))).unwrap();
    assert_eq!(response.body().len(), 1 + 8200 * 258);
    assert!(response.body().iter().all(|&b| b == 0));
}

#[test]
fn a_redirect_to_another_origin_carries_no_credentials() {
    let other = serve(|_, stream| {
        respond(stream, "200 OK", &[], b"landed")?;
        Ok(After::KeepAlive)
    });
    let target = other.url("/landing");
    let server = serve(move |_, stream| {
        respond(stream, "302 Found", &[("Location", &target)], b"")?;
        Ok(After::KeepAlive)
    });
    let credentials = [
        ("x-rockit-beauth-token", TOKEN),
        ("x-rockit-api-key", "k3y-SECRET"),
        ("x-rockit-orgname", "ExampleOrg"),
        ("x-rockit-username", "bot"),
        ("x-rockit-admin-token", "adm-SECRET"),
        ("x-rockit-besession-token", "ses-SECRET"),
        ("authorization", "Bearer b-SECRET"),
        ("proxy-authorization", "Basic p-SECRET"),
        ("cookie", "session=c-SECRET"),
    ];
    let mut request = get(&server.url("/start"));
    for (name, value) in credentials {
        request.headers_mut().insert(name, value.parse().unwrap());
    }
    request
        .headers_mut()
        .insert("accept", "application/json".parse().unwrap());

    let response = transport().build().send(request).unwrap();

    assert_eq!(response.status(), 200);
    assert_eq!(response.body(), b"landed");
    let first = &server.seen()[0];
    for (name, value) in credentials {
        assert_eq!(first.header(name), Some(value), "{name}");
    }
    let seen = other.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].target, "/landing");
    assert_eq!(seen[0].header("accept"), Some("application/json"));
    for (name, value) in &seen[0].headers {
        assert!(
            !name.starts_with("x-rockit-"),
            "{name} reached the other origin"
        );
        assert!(!value.contains("SECRET"), "{name} reached the other origin");
    }
}

#[test]
fn the_client_follows_a_redirect_to_another_origin_without_its_api_key() {
    let other = serve(|_, stream| {
        respond(
            stream,
            "200 OK",
            &[("Content-Type", "application/json")],
            TASK_JSON.as_bytes(),
        )?;
        Ok(After::KeepAlive)
    });
    let target = other.url("/mirror/task");
    let server = serve(move |_, stream| {
        respond(
            stream,
            "307 Temporary Redirect",
            &[("Location", &target)],
            b"",
        )?;
        Ok(After::KeepAlive)
    });
    let client = Client::new(
        transport().build(),
        server.base(),
        Credentials::api_key("ExampleOrg", "bot", "k3y-SECRET").unwrap(),
    );

    let task = client.send(&GetTask::new(TASK_NAME)).unwrap();

    assert_eq!(task.name, TASK_NAME);
    assert_eq!(
        server.seen()[0].header("x-rockit-api-key"),
        Some("k3y-SECRET")
    );
    let seen = other.seen();
    assert_eq!(seen.len(), 1);
    assert!(seen[0]
        .headers
        .iter()
        .all(|(name, _)| !name.starts_with("x-rockit-")));
}

#[test]
fn a_redirect_on_the_same_origin_keeps_the_credentials() {
    let server = serve(|seen, stream| {
        if seen.target.starts_with("/be/v1/tasks/") {
            respond(
                stream,
                "301 Moved Permanently",
                &[("Location", "../../v2/task")],
                b"moved",
            )?;
        } else {
            respond(
                stream,
                "200 OK",
                &[("Content-Type", "application/json")],
                TASK_JSON.as_bytes(),
            )?;
        }
        Ok(After::KeepAlive)
    });

    let task = token_client(&server, transport().build())
        .send(&GetTask::new(TASK_NAME))
        .unwrap();

    assert_eq!(task.name, TASK_NAME);
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].target, "/be/v2/task");
    assert_eq!(seen[1].header("x-rockit-beauth-token"), Some(TOKEN));
}

#[test]
fn a_redirect_loop_ends_in_a_redirect_error() {
    let server = serve(|_, stream| {
        respond(stream, "302 Found", &[("Location", "/loop")], b"")?;
        Ok(After::KeepAlive)
    });
    let transport = transport().max_redirects(3).build();

    let err = transport_error(transport.send(get(&server.url("/loop"))));

    assert_eq!(err.kind(), TransportErrorKind::Redirect);
    assert!(err.message().contains("3 redirects"), "{err}");
    assert_eq!(server.seen().len(), 4);
}

#[test]
fn see_other_turns_a_post_into_a_get_and_307_keeps_it() {
    let server = serve(|seen, stream| {
        match seen.target.as_str() {
            "/see-other" => respond(stream, "303 See Other", &[("Location", "/done")], b"")?,
            "/temporary" => respond(
                stream,
                "307 Temporary Redirect",
                &[("Location", "/done")],
                b"",
            )?,
            _ => respond(stream, "200 OK", &[], b"done")?,
        }
        Ok(After::KeepAlive)
    });
    let transport = transport().build();
    let post = |path: &str| {
        Request::post(server.url(path))
            .header("content-type", "application/json")
            .body(br#"{"n":1}"#.to_vec())
            .unwrap()
    };

    assert_eq!(transport.send(post("/see-other")).unwrap().body(), b"done");
    assert_eq!(transport.send(post("/temporary")).unwrap().body(), b"done");

    let seen = server.seen();
    assert_eq!(seen.len(), 4);
    assert_eq!(
        (seen[1].method.as_str(), seen[1].target.as_str()),
        ("GET", "/done")
    );
    assert!(seen[1].body.is_empty());
    assert_eq!(seen[1].header("content-type"), None);
    assert_eq!(
        (seen[3].method.as_str(), seen[3].target.as_str()),
        ("POST", "/done")
    );
    assert_eq!(seen[3].body, br#"{"n":1}"#);
    assert_eq!(seen[3].header("content-type"), Some("application/json"));
}

#[test]
fn a_redirect_without_location_or_with_following_off_is_an_answer() {
    let server = serve(|seen, stream| {
        if seen.target == "/nowhere" {
            respond(stream, "302 Found", &[], b"no location")?;
        } else {
            respond(
                stream,
                "308 Permanent Redirect",
                &[("Location", "/nowhere")],
                b"moved",
            )?;
        }
        Ok(After::KeepAlive)
    });

    let response = transport()
        .build()
        .send(get(&server.url("/nowhere")))
        .unwrap();
    assert_eq!(response.status(), 302);
    assert_eq!(response.body(), b"no location");

    let not_following = transport().max_redirects(0).build();
    let response = not_following.send(get(&server.url("/moved"))).unwrap();
    assert_eq!(response.status(), 308);
    assert_eq!(response.headers()["location"], "/nowhere");
    assert_eq!(response.body(), b"moved");
}

#[test]
fn a_keep_alive_connection_is_reused_across_calls_and_clones() {
    let server = serve(|_, stream| {
        respond(stream, "200 OK", &[], b"{}")?;
        Ok(After::KeepAlive)
    });
    let transport = transport().build();
    let clone = transport.clone();

    transport.send(get(&server.url("/one"))).unwrap();
    clone.send(get(&server.url("/two"))).unwrap();

    assert_eq!(server.seen().len(), 2);
    assert_eq!(server.accepted(), 1);
}

#[test]
fn a_ureq_client_can_be_shared_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<UreqTransport>();
    assert_send_sync::<Client<UreqTransport>>();
}

#[test]
fn the_shortcut_client_uses_the_default_limits() {
    let client = ureq_transport::client(
        BaseUrl::parse("http://127.0.0.1:9").unwrap(),
        Credentials::backend_token(TOKEN).unwrap(),
    );
    let transport = client.transport();
    assert_eq!(
        transport.max_body_bytes(),
        ureq_transport::DEFAULT_MAX_BODY_BYTES
    );
    assert_eq!(
        transport.max_redirects(),
        ureq_transport::DEFAULT_MAX_REDIRECTS
    );
    assert_eq!(
        transport.timeout_connect(),
        ureq_transport::DEFAULT_TIMEOUT_CONNECT
    );
    assert_eq!(
        transport.timeout_response(),
        ureq_transport::DEFAULT_TIMEOUT_RESPONSE
    );
    assert_eq!(
        transport.timeout_body(),
        ureq_transport::DEFAULT_TIMEOUT_BODY
    );
    assert_eq!(
        transport.timeout_global(),
        ureq_transport::DEFAULT_TIMEOUT_GLOBAL
    );
}

#[test]
fn a_head_request_sends_no_body_and_reads_none() {
    let server = serve(|_, stream| {
        stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n")?;
        Ok(After::KeepAlive)
    });
    let request = Request::builder()
        .method(Method::HEAD)
        .uri(server.url("/head"))
        .body(Vec::new())
        .unwrap();

    let response = transport().build().send(request).unwrap();

    assert_eq!(response.status(), 200);
    assert!(response.body().is_empty());
    assert_eq!(server.seen()[0].method, "HEAD");
}

/// Servers on 127.0.0.1 that read HTTP/1.1 requests and answer whatever the test writes.
mod server {
    use std::io::{self, BufRead, BufReader, Read, Write};
    use std::net::{SocketAddr, TcpListener, TcpStream};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    use std::thread;

    use rockit_edge::BaseUrl;

    /// A request as the server received it.
    #[derive(Clone, Debug)]
    pub struct Seen {
        pub method: String,
        pub target: String,
        /// Names in lower case.
        pub headers: Vec<(String, String)>,
        pub body: Vec<u8>,
    }

    impl Seen {
        pub fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        }
    }

    /// What the connection does after an answer.
    pub enum After {
        KeepAlive,
        Close,
    }

    pub struct Server {
        addr: SocketAddr,
        seen: Arc<Mutex<Vec<Seen>>>,
        accepted: Arc<AtomicUsize>,
    }

    impl Server {
        pub fn url(&self, path: &str) -> String {
            format!("http://{}{path}", self.addr)
        }

        pub fn base(&self) -> BaseUrl {
            BaseUrl::parse(&self.url("")).unwrap()
        }

        pub fn seen(&self) -> Vec<Seen> {
            self.seen.lock().unwrap().clone()
        }

        pub fn accepted(&self) -> usize {
            self.accepted.load(Ordering::SeqCst)
        }
    }

    /// Hands every accepted connection to `handle` on its own thread.
    pub fn serve_raw<F>(handle: F) -> Server
    where
        F: Fn(TcpStream) -> io::Result<()> + Send + Sync + 'static,
    {
        serve_connections(Arc::new(Mutex::new(Vec::new())), handle)
    }

    /// Reads request after request and lets `answer` write each response.
    pub fn serve<F>(answer: F) -> Server
    where
        F: Fn(&Seen, &mut TcpStream) -> io::Result<After> + Send + Sync + 'static,
    {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        serve_connections(seen, move |mut stream| {
            let mut reader = BufReader::new(stream.try_clone()?);
            while let Some(request) = read_request(&mut reader)? {
                record.lock().unwrap().push(request.clone());
                match answer(&request, &mut stream)? {
                    After::KeepAlive => continue,
                    After::Close => break,
                }
            }
            Ok(())
        })
    }

    fn serve_connections<F>(seen: Arc<Mutex<Vec<Seen>>>, handle: F) -> Server
    where
        F: Fn(TcpStream) -> io::Result<()> + Send + Sync + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let accepted = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&accepted);
        let handle = Arc::new(handle);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                counter.fetch_add(1, Ordering::SeqCst);
                let handle = Arc::clone(&handle);
                // A client that gave up makes writes fail; that ends the connection quietly.
                thread::spawn(move || handle(stream));
            }
        });
        Server {
            addr,
            seen,
            accepted,
        }
    }

    fn read_request(reader: &mut impl BufRead) -> io::Result<Option<Seen>> {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let mut words = line.split_whitespace();
        let method = words.next().unwrap_or_default().to_owned();
        let target = words.next().unwrap_or_default().to_owned();

        let mut headers = Vec::new();
        loop {
            line.clear();
            reader.read_line(&mut line)?;
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
            }
        }

        let length = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        Ok(Some(Seen {
            method,
            target,
            headers,
            body,
        }))
    }

    /// Writes a response with a `Content-Length`.
    pub fn respond(
        stream: &mut TcpStream,
        status: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> io::Result<()> {
        let mut head = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\n", body.len());
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes())?;
        stream.write_all(body)?;
        stream.flush()
    }

    /// Blocks until the client closes the connection.
    pub fn wait_for_close(stream: &mut TcpStream) {
        let mut buf = [0_u8; 1024];
        while matches!(stream.read(&mut buf), Ok(n) if n > 0) {}
    }
}

/// gzip by hand, with fixed Huffman codes, so that the tests need no compression library.
mod gzip {
    struct Bits {
        bytes: Vec<u8>,
        pending: u32,
        used: u32,
    }

    impl Bits {
        /// Deflate packs values from their least significant bit.
        fn value(&mut self, value: u32, count: u32) {
            for i in 0..count {
                self.pending |= ((value >> i) & 1) << self.used;
                self.used += 1;
                if self.used == 8 {
                    self.bytes.push(self.pending as u8);
                    self.pending = 0;
                    self.used = 0;
                }
            }
        }

        /// Huffman codes go in from their most significant bit.
        fn code(&mut self, code: u32, count: u32) {
            for i in (0..count).rev() {
                self.value((code >> i) & 1, 1);
            }
        }
    }

    /// `data` followed by `runs` × 258 copies of its last byte.
    pub fn encode(data: &[u8], runs: usize) -> Vec<u8> {
        let mut bits = Bits {
            bytes: vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255],
            pending: 0,
            used: 0,
        };
        bits.value(1, 1); // the final block
        bits.value(1, 2); // fixed Huffman codes
        for &byte in data {
            match byte {
                0..=143 => bits.code(0x30 + u32::from(byte), 8),
                _ => bits.code(0x190 + u32::from(byte - 144), 9),
            }
        }
        for _ in 0..runs {
            bits.code(0xc5, 8); // length 258
            bits.code(0, 5); // distance 1
        }
        bits.code(0, 7); // end of block
        if bits.used > 0 {
            bits.bytes.push(bits.pending as u8);
        }

        let mut decoded = data.to_vec();
        let last = data.last().copied().unwrap_or_default();
        decoded.resize(data.len() + runs * 258, last);
        bits.bytes.extend_from_slice(&crc32(&decoded).to_le_bytes());
        bits.bytes
            .extend_from_slice(&(decoded.len() as u32).to_le_bytes());
        bits.bytes
    }

    fn crc32(data: &[u8]) -> u32 {
        let table: Vec<u32> = (0..256)
            .map(|n| {
                (0..8).fold(n, |c, _| {
                    if c & 1 == 1 {
                        0xedb8_8320 ^ (c >> 1)
                    } else {
                        c >> 1
                    }
                })
            })
            .collect();
        !data.iter().fold(!0_u32, |crc, &byte| {
            table[((crc ^ u32::from(byte)) & 0xff) as usize] ^ (crc >> 8)
        })
    }
}

#[test]
fn the_test_gzip_matches_a_known_encoding() {
    // `printf 'a' | gzip -n` ends in this CRC and length.
    let encoded = gzip::encode(b"a", 0);
    assert_eq!(
        &encoded[encoded.len() - 8..],
        &[0x43, 0xbe, 0xb7, 0xe8, 1, 0, 0, 0]
    );
}

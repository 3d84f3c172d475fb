//! Build uploads over loopback: to the fake served on 127.0.0.1, which counts and checksums
//! what arrives, and to canned servers that record what was sent or refuse it.
#![cfg(feature = "ureq")]

use std::fs;
use std::io::{self, BufRead, BufReader, Cursor, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use rockit_edge::builds::ImportBuild;
use rockit_edge::fake::{serve, FakeEdge, Server};
use rockit_edge::tasks::{GetTask, ListTasks, TaskType};
use rockit_edge::upload::{Progress, UploadUrl, Uploader, PROGRESS_STEP};
use rockit_edge::ureq_transport::UreqTransport;
use rockit_edge::{Client, Error, TransportErrorKind};

/// A guard against a bug hanging the test run; no test waits on it to pass.
const SAFETY_TIMEOUT: Duration = Duration::from_secs(60);
const SIGNATURE: &str = "9f2c41e07b5d3a18c6";

/// Loopback only: no proxy from the environment.
fn uploader() -> Uploader {
    Uploader::builder().proxy_from_env(false).build()
}

struct Served {
    fake: FakeEdge,
    server: Server,
    client: Client<UreqTransport>,
}

fn served() -> Served {
    let fake = FakeEdge::seeded();
    let server = serve(fake.clone()).unwrap();
    let transport = UreqTransport::builder().proxy_from_env(false).build();
    let client = Client::new(transport, server.base_url(), fake.credentials());
    Served {
        fake,
        server,
        client,
    }
}

impl Served {
    fn import(&self, app: &str) -> (UploadUrl, String) {
        let build = self.client.send(&ImportBuild::upload(app)).unwrap();
        let url = UploadUrl::from_imported(&build).unwrap();
        assert_eq!(url.port(), self.server.addr().port(), "{url}");
        (url, build.task_name.get().unwrap().clone())
    }
}

/// Bytes that differ from one position to the next, so that a lost or repeated piece shows.
fn pattern(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u32).wrapping_mul(2_654_435_761).to_le_bytes()[3])
        .collect()
}

/// Adler-32 written the slow way, one modulo per byte, as RFC 1950 defines it.
fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1_u32, 0_u32);
    for &byte in bytes {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, bytes: &[u8]) -> TempFile {
        let path =
            std::env::temp_dir().join(format!("rockit-edge-upload-{}-{name}", std::process::id()));
        fs::write(&path, bytes).unwrap();
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

#[test]
fn files_arrive_whole_and_move_the_import_on() {
    let served = served();
    for (name, len) in [("small", 1_000), ("several-mib", 5 * 1024 * 1024 + 123)] {
        let bytes = pattern(len);
        let file = TempFile::new(name, &bytes);
        let (url, task_name) = served.import("sushi");

        let uploaded = uploader().upload_file(&url, &file.0, |_| {}).unwrap();
        assert_eq!(uploaded.status, 200);
        assert_eq!(uploaded.size_bytes, len as u64);

        let received = served.fake.uploads().pop().unwrap();
        assert_eq!(received.size_bytes, len as u64, "{name}");
        assert_eq!(received.adler32, adler32(&bytes), "{name}");
        assert_eq!(received.task_name, task_name);
        let etag = uploaded.headers["etag"].to_str().unwrap();
        assert_eq!(etag, format!("\"{:08x}\"", adler32(&bytes)));

        let task = served.client.send(&GetTask::new(&task_name)).unwrap();
        assert_eq!(task.status.as_str(), "finished");
        assert!(task.steps.finished.is_value());
        let dltar = task.user_data.get().unwrap().dltar.get().unwrap();
        assert_eq!(dltar.size_bytes.get(), Some(&(len as u64)));
        let build = served
            .client
            .send(&ListTasks::new().app_name("sushi"))
            .unwrap()
            .items
            .into_iter()
            .filter(|t| t.task_type == TaskType::Mkraw && t.build_name == received.build_name)
            .count();
        assert_eq!(build, 1, "one mkraw task for build {}", received.build_name);
    }
    assert_eq!(served.fake.uploads().len(), 2);
}

#[test]
fn progress_rises_to_the_total_in_bounded_steps() {
    let served = served();
    let (url, _) = served.import("ramen");
    let len = 3 * PROGRESS_STEP + 4321;
    let mut seen: Vec<Progress> = Vec::new();
    uploader()
        .upload_reader(&url, Cursor::new(pattern(len as usize)), len, |p| {
            seen.push(p)
        })
        .unwrap();

    assert_eq!(seen.first().map(|p| p.sent), Some(0));
    assert_eq!(seen.last().map(|p| p.sent), Some(len));
    assert!(seen.windows(2).all(|w| w[0].sent < w[1].sent), "{seen:?}");
    assert!(seen.iter().all(|p| p.total == len));
    // One call to start, one per step passed, and one at the end at most.
    assert!(seen.len() as u64 <= len / PROGRESS_STEP + 2, "{seen:?}");
    assert!(seen.len() >= 4, "{seen:?}");
    assert_eq!(served.fake.uploads()[0].size_bytes, len);
}

#[test]
fn a_reader_of_the_wrong_length_fails_and_the_store_gets_no_whole_body() {
    let served = served();
    let (url, _) = served.import("sushi");
    let bytes = pattern(2 * 1024 * 1024);

    let short = uploader().upload_reader(&url, &bytes[..1_500_000], 2_000_000, |_| {});
    match short {
        Err(Error::Input(e)) => {
            assert_eq!(e.what(), "upload source");
            assert!(e.problem().contains("1500000 of the 2000000"), "{e}");
        }
        other => panic!("expected an input error, got {other:?}"),
    }
    let long = uploader().upload_reader(&url, &bytes[..], 2_000_000, |_| {});
    match long {
        Err(Error::Input(e)) => assert!(e.problem().contains("more than the 2000000"), "{e}"),
        other => panic!("expected an input error, got {other:?}"),
    }
    let empty_but_not = uploader().upload_reader(&url, &bytes[..1], 0, |_| {});
    assert!(matches!(empty_but_not, Err(Error::Input(_))));
    assert!(served.fake.uploads().is_empty());

    // Neither used the URL up.
    uploader()
        .upload_reader(&url, &bytes[..2_000_000], 2_000_000, |_| {})
        .unwrap();
    assert_eq!(
        served.fake.uploads()[0].adler32,
        adler32(&bytes[..2_000_000])
    );
}

#[test]
fn used_and_unknown_upload_urls_are_refused() {
    let served = served();
    let (url, _) = served.import("tempura");
    uploader()
        .upload_reader(&url, &b"tar"[..], 3, |_| {})
        .unwrap();

    let again = uploader().upload_reader(&url, &b"tar"[..], 3, |_| {});
    match again {
        Err(Error::Api(e)) => {
            assert_eq!(e.status(), 409);
            assert_eq!(e.code().map(|c| c.as_str()), Some("invalid-state"));
        }
        other => panic!("expected 409, got {other:?}"),
    }
    let unknown = UploadUrl::parse(&served.server.base_url().join("/upload/nope")).unwrap();
    let unknown = uploader().upload_reader(&unknown, &b"tar"[..], 3, |_| {});
    assert_eq!(unknown.unwrap_err().status().map(|s| s.as_u16()), Some(404));
    assert_eq!(served.fake.uploads().len(), 1);
}

#[test]
fn uploads_without_expect_continue_and_empty_ones_arrive_too() {
    let served = served();
    let plain = Uploader::builder()
        .proxy_from_env(false)
        .expect_continue(false)
        .content_type(None)
        .build();
    let (url, _) = served.import("sushi");
    let bytes = pattern(300_000);
    plain
        .upload_reader(&url, &bytes[..], 300_000, |_| {})
        .unwrap();
    let (url, _) = served.import("sushi");
    plain.upload_reader(&url, io::empty(), 0, |_| {}).unwrap();

    let sizes: Vec<u64> = served.fake.uploads().iter().map(|u| u.size_bytes).collect();
    assert_eq!(sizes, [300_000, 0]);
}

/// What a canned server saw: the request head, and how many body bytes it read.
struct Seen {
    head: String,
    body_len: usize,
}

impl Seen {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_owned())
        })
    }
}

/// How a canned server answers one upload.
#[derive(Clone, Copy)]
enum Canned {
    /// Reads the whole body, then answers with this status.
    AfterBody(u16),
    /// Answers with this status as soon as the head is in, without `100 Continue`, closes
    /// its side and counts what still arrives.
    Early(u16),
}

/// Serves one connection on 127.0.0.1; the answer's body quotes the request line, as some
/// stores quote the request they refuse.
fn canned(how: Canned) -> (String, mpsc::Receiver<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        stream.set_read_timeout(Some(SAFETY_TIMEOUT)).unwrap();
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
                break;
            }
            head.push_str(&line);
        }
        let mut seen = Seen { head, body_len: 0 };
        let length: usize = seen
            .header("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let status = match how {
            Canned::Early(status) => status,
            Canned::AfterBody(status) => {
                if seen.header("expect").is_some() {
                    reader
                        .get_mut()
                        .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
                        .unwrap();
                }
                let mut body = Vec::new();
                (&mut reader)
                    .take(length as u64)
                    .read_to_end(&mut body)
                    .unwrap();
                seen.body_len = body.len();
                status
            }
        };
        let request_line = seen.head.lines().next().unwrap_or_default().to_owned();
        let body =
            format!("<Error><Code>AccessDenied</Code><Request>{request_line}</Request></Error>");
        let answer = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/xml\r\ncontent-length: {}\r\n\
             connection: close\r\n\r\n{body}",
            body.len()
        );
        let _ = reader.get_mut().write_all(answer.as_bytes());
        if let Canned::Early(_) = how {
            // As stores do when they refuse before the body: no more answers on this
            // connection. Whatever the client sends until it closes counts as body.
            let _ = reader.get_ref().shutdown(Shutdown::Write);
            let mut rest = Vec::new();
            let _ = reader.read_to_end(&mut rest);
            seen.body_len = rest.len();
        }
        let _ = tx.send(seen);
    });
    (origin, rx)
}

#[test]
fn no_credentials_reach_the_upload_url_and_the_length_is_announced() {
    let (origin, seen) = canned(Canned::AfterBody(200));
    let url = UploadUrl::parse(&format!("{origin}/t/5b0f?X-Signature={SIGNATURE}")).unwrap();
    let bytes = pattern(700_000);
    uploader()
        .upload_reader(&url, &bytes[..], 700_000, |_| {})
        .unwrap();

    let seen = seen.recv_timeout(SAFETY_TIMEOUT).unwrap();
    assert!(
        seen.head.starts_with("PUT /t/5b0f?X-Signature="),
        "{}",
        seen.head
    );
    assert_eq!(seen.header("content-length").as_deref(), Some("700000"));
    assert_eq!(seen.body_len, 700_000);
    assert_eq!(seen.header("transfer-encoding"), None);
    assert_eq!(
        seen.header("content-type").as_deref(),
        Some("application/x-tar")
    );
    assert_eq!(seen.header("expect").as_deref(), Some("100-continue"));
    for line in seen.head.lines().skip(1) {
        let name = line.split(':').next().unwrap().to_ascii_lowercase();
        assert!(
            !name.starts_with("x-rockit-")
                && !["authorization", "cookie", "proxy-authorization"].contains(&name.as_str()),
            "{line}"
        );
    }
}

#[test]
fn a_refusing_store_gives_its_status_without_the_signature() {
    for how in [Canned::AfterBody(403), Canned::Early(403)] {
        let (origin, seen) = canned(how);
        let url = UploadUrl::parse(&format!("{origin}/t/5b0f?X-Signature={SIGNATURE}")).unwrap();
        let bytes = pattern(4 * 1024 * 1024);
        let err = uploader()
            .upload_reader(&url, &bytes[..], bytes.len() as u64, |_| {})
            .unwrap_err();

        assert_eq!(err.status().map(|s| s.as_u16()), Some(403), "{err}");
        let Error::Api(api) = &err else {
            panic!("expected an API error, got {err:?}")
        };
        let body = api.body().text();
        assert!(body.contains("AccessDenied"), "{body}");
        assert!(body.contains("[redacted]"), "{body}");
        for shown in [err.to_string(), format!("{err:?}"), body.into_owned()] {
            assert!(!shown.contains(SIGNATURE), "{shown}");
        }

        let seen = seen.recv_timeout(SAFETY_TIMEOUT).unwrap();
        let expected = match how {
            Canned::AfterBody(_) => bytes.len(),
            Canned::Early(_) => 0,
        };
        assert_eq!(seen.body_len, expected, "the body waits for the go-ahead");
    }
}

#[test]
fn transport_errors_name_the_host_but_never_the_query() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let url = UploadUrl::parse(&format!(
        "http://127.0.0.1:{port}/t?X-Signature={SIGNATURE}"
    ))
    .unwrap();
    assert!(!format!("{url} {url:?}").contains(SIGNATURE));
    let err = uploader()
        .upload_reader(&url, &b"tar"[..], 3, |_| {})
        .unwrap_err();
    let Error::Transport(transport) = &err else {
        panic!("expected a transport error, got {err:?}")
    };
    assert_eq!(transport.kind(), TransportErrorKind::Connect, "{err}");
    assert!(
        err.to_string().contains(&format!("127.0.0.1:{port}")),
        "{err}"
    );
    let mut source: Option<&dyn std::error::Error> = Some(&err);
    while let Some(e) = source {
        assert!(!e.to_string().contains(SIGNATURE), "{e}");
        assert!(!format!("{e:?}").contains(SIGNATURE), "{e:?}");
        source = e.source();
    }
}

#[test]
fn a_failing_reader_is_an_io_error() {
    struct Failing(usize);
    impl Read for Failing {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0 == 0 {
                return Err(io::Error::other("disk on fire"));
            }
            let n = self.0.min(buf.len());
            buf[..n].fill(1);
            self.0 -= n;
            Ok(n)
        }
    }
    let served = served();
    let (url, _) = served.import("sushi");
    let err = uploader()
        .upload_reader(&url, Failing(10_000), 20_000, |_| {})
        .unwrap_err();
    match &err {
        Error::Transport(e) => {
            assert_eq!(e.kind(), TransportErrorKind::Io);
            assert!(e.message().contains("disk on fire"), "{err}");
            assert!(e.message().contains("after 10000 of 20000"), "{err}");
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert!(served.fake.uploads().is_empty());
}

#[test]
fn files_that_cannot_be_read_are_input_errors() {
    let url = UploadUrl::parse("http://127.0.0.1:9/t").unwrap();
    let missing = std::env::temp_dir().join("rockit-edge-upload-no-such-file");
    let err = uploader().upload_file(&url, &missing, |_| {}).unwrap_err();
    assert!(
        matches!(&err, Error::Input(e) if e.what() == "upload file"),
        "{err:?}"
    );
    let err = uploader()
        .upload_file(&url, std::env::temp_dir(), |_| {})
        .unwrap_err();
    assert!(err.to_string().contains("not a regular file"), "{err}");
}

#[test]
fn the_served_fake_refuses_chunked_uploads_and_serves_what_follows_an_upload() {
    let served = served();
    let (url, _) = served.import("sushi");
    let path = url.expose().split_once("/upload/").unwrap().1.to_owned();

    let mut stream = TcpStream::connect(served.server.addr()).unwrap();
    stream.set_read_timeout(Some(SAFETY_TIMEOUT)).unwrap();
    let body = pattern(100_000);
    let mut request = format!(
        "PUT /upload/{path} HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(&body);
    // Pipelined: the next request rides in the same writes as the upload's last bytes.
    request.extend_from_slice(b"GET /be/v1/tasks HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    stream.write_all(&request).unwrap();
    let mut answers = String::new();
    stream.read_to_string(&mut answers).unwrap();
    assert!(answers.starts_with("HTTP/1.1 200 OK\r\n"), "{answers}");
    assert!(
        answers.contains("HTTP/1.1 401 Unauthorized\r\n"),
        "{answers}"
    );
    assert_eq!(served.fake.uploads()[0].adler32, adler32(&body));

    let (url, _) = served.import("sushi");
    let path = url.expose().split_once("/upload/").unwrap().1.to_owned();
    let mut stream = TcpStream::connect(served.server.addr()).unwrap();
    stream.set_read_timeout(Some(SAFETY_TIMEOUT)).unwrap();
    let chunked = format!(
        "PUT /upload/{path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\ntar\r\n0\r\n\r\n"
    );
    stream.write_all(chunked.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 411 "), "{answer}");
    assert_eq!(served.fake.uploads().len(), 1);
}

#[test]
fn the_in_memory_fake_takes_uploads_without_credentials_but_only_by_put() {
    let fake = FakeEdge::seeded();
    let client = fake.client();
    let build = client.send(&ImportBuild::upload("sushi")).unwrap();
    let url = build.upload_url.get().unwrap().clone();
    assert!(url.starts_with(&fake.base_url().join("/upload/")), "{url}");

    let get = http::Request::get(url.as_str()).body(Vec::new()).unwrap();
    assert_eq!(fake.handle(&get).status(), 405);
    let put = http::Request::put(url.as_str())
        .body(b"in memory".to_vec())
        .unwrap();
    assert_eq!(fake.handle(&put).status(), 200);
    assert_eq!(fake.handle(&put).status(), 409);
    assert_eq!(fake.uploads()[0].size_bytes, 9);
    assert_eq!(fake.uploads()[0].adler32, adler32(b"in memory"));
}

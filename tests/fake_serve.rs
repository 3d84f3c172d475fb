//! The fake served over HTTP/1.1 on 127.0.0.1, spoken to with plain sockets.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::time::Duration;

use http::{Request, Response};
use rockit_edge::fake::{serve, FakeEdge, Server, MAX_BODY_BYTES, MAX_CONNECTIONS, VALID_TOKEN};
use rockit_edge::{TransportError, TransportErrorKind};
use serde_json::Value;

const FIXTURE: &str = include_str!("fixtures/tasks_get_200.json");
const REFERENCE: &str = "ExampleOrg-sushi-0003-1739273968-dltar";

/// A guard against a server bug hanging the test run; no test waits on it to pass.
const SAFETY_TIMEOUT: Duration = Duration::from_secs(60);

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or_default().to_owned()
    }
}

struct Conn {
    reader: BufReader<TcpStream>,
}

impl Conn {
    fn open(server: &Server) -> Conn {
        let stream = TcpStream::connect(server.addr()).unwrap();
        stream.set_read_timeout(Some(SAFETY_TIMEOUT)).unwrap();
        Conn {
            reader: BufReader::new(stream),
        }
    }

    fn send(&mut self, bytes: &[u8]) {
        self.reader.get_mut().write_all(bytes).unwrap();
    }

    fn read_answer(&mut self) -> Answer {
        self.read_answer_to(false)
    }

    /// Reads an answer; with `head_only`, as to a `HEAD` request, without its body.
    fn read_answer_to(&mut self, head_only: bool) -> Answer {
        let mut line = String::new();
        self.reader.read_line(&mut line).unwrap();
        let mut parts = line.trim_end().splitn(3, ' ');
        assert_eq!(parts.next(), Some("HTTP/1.1"), "status line {line:?}");
        let status = parts.next().unwrap().parse().unwrap();

        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line).unwrap();
            let line = line.trim_end_matches("\r\n");
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').unwrap();
            headers.push((name.to_owned(), value.trim().to_owned()));
        }
        let mut answer = Answer {
            status,
            headers,
            body: Vec::new(),
        };
        let length: usize = answer
            .header("content-length")
            .map_or(0, |v| v.parse().unwrap());
        if head_only {
            return answer;
        }
        answer.body = vec![0; length];
        self.reader.read_exact(&mut answer.body).unwrap();
        answer
    }

    fn request(&mut self, bytes: &[u8]) -> Answer {
        self.send(bytes);
        self.read_answer()
    }

    /// Whether the server has closed the connection: the next read ends the stream.
    fn is_closed(&mut self) -> bool {
        let mut byte = [0u8; 1];
        match self.reader.read(&mut byte) {
            Ok(0) => true,
            Ok(_) => false,
            Err(e) => e.kind() == ErrorKind::ConnectionReset,
        }
    }
}

fn get(path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: fake\r\nx-rockit-beauth-token: {VALID_TOKEN}\r\n\r\n")
        .into_bytes()
}

fn patch(body: &str, extra_headers: &str) -> Vec<u8> {
    format!(
        "PATCH /be/v1/tasks HTTP/1.1\r\nHost: fake\r\nx-rockit-beauth-token: {VALID_TOKEN}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n{extra_headers}\r\n{body}",
        body.len()
    )
    .into_bytes()
}

#[test]
fn one_connection_carries_many_requests() {
    let fake = FakeEdge::seeded();
    let server = serve(fake.clone()).unwrap();
    let mut conn = Conn::open(&server);

    let answer = conn.request(&get(&format!("/be/v1/tasks/{REFERENCE}")));
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("content-type"), Some("application/json"));
    assert_eq!(answer.header("connection"), None);
    assert_eq!(
        answer.json(),
        serde_json::from_str::<Value>(FIXTURE).unwrap()
    );

    let answer = conn.request(&get("/be/v1/tasks?limit=2&appName=sushi"));
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json()["tasks"].as_array().unwrap().len(), 2);
    assert_eq!(answer.json()["total"], 4);

    let answer = conn.request(&get("/be/v1/tasks/nope"));
    assert_eq!((answer.status, answer.code().as_str()), (404, "not-found"));

    // Two requests in one write: both are answered, in order.
    let mut pipelined = get("/be/v1/tasks?limit=1");
    pipelined.extend(get("/be/v1/nowhere"));
    conn.send(&pipelined);
    assert_eq!(conn.read_answer().status, 200);
    assert_eq!(conn.read_answer().status, 404);

    conn.send(b"HEAD /be/v1/tasks HTTP/1.1\r\nHost: fake\r\n\r\n");
    let answer = conn.read_answer_to(true);
    assert_eq!(answer.status, 401);
    assert_ne!(answer.header("content-length"), Some("0"));
    assert_eq!(conn.request(&get("/be/v1/tasks?limit=1")).status, 200);

    assert_eq!(fake.requests(), 7);
}

#[test]
fn a_patch_body_changes_the_served_fake() {
    let fake = FakeEdge::seeded();
    let server = serve(fake.clone()).unwrap();
    let mut conn = Conn::open(&server);

    let body = format!(r#"{{"name":"{REFERENCE}","expire":true}}"#);
    let answer = conn.request(&patch(&body, ""));
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json()["task"]["status"], "expired");
    assert_eq!(fake.task(REFERENCE).unwrap().status.as_str(), "expired");

    // A client that waits for 100 Continue gets it before sending the body.
    let body = r#"{"name":"ExampleOrg-sushi-0004-1739452800-mkraw","acknowledge":true}"#;
    let request = patch(body, "Expect: 100-continue\r\n");
    let head_len = request.len() - body.len();
    conn.send(&request[..head_len]);
    let interim = conn.read_answer();
    assert_eq!(interim.status, 100);
    let answer = conn.request(body.as_bytes());
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json()["task"]["alert"]["acknowledged"], true);

    let answer = conn.request(&patch("{not json", ""));
    assert_eq!(
        (answer.status, answer.code().as_str()),
        (400, "invalid-body")
    );
}

#[test]
fn garbage_is_a_bad_request_and_the_server_carries_on() {
    let server = serve(FakeEdge::seeded()).unwrap();

    let mut conn = Conn::open(&server);
    let answer = conn.request(b"\x00\xff\xfe garbage \x80\r\n\r\n");
    assert_eq!(
        (answer.status, answer.code().as_str()),
        (400, "bad-request")
    );
    assert_eq!(answer.header("connection"), Some("close"));
    assert!(conn.is_closed());

    let mut conn = Conn::open(&server);
    conn.send(b"GET /be/v1/tasks HTTP/1.1\r\nno colon here\r\n\r\n");
    assert_eq!(conn.read_answer().status, 400);

    // Cut off before the head ends.
    let mut conn = Conn::open(&server);
    conn.send(b"GET /be/v1/tasks HTTP/1.1\r\nHost: fa");
    conn.reader.get_ref().shutdown(Shutdown::Write).unwrap();
    assert_eq!(conn.read_answer().status, 400);

    let mut conn = Conn::open(&server);
    let answer = conn.request(b"GET /be/v1/tasks HTTP/9.9\r\n\r\n");
    assert_eq!(answer.status, 400);

    let mut conn = Conn::open(&server);
    assert_eq!(conn.request(&get("/be/v1/tasks")).status, 200);
}

#[test]
fn oversized_requests_are_refused() {
    let server = serve(FakeEdge::seeded()).unwrap();

    let mut conn = Conn::open(&server);
    let head = format!(
        "PATCH /be/v1/tasks HTTP/1.1\r\nHost: fake\r\nContent-Length: {}\r\n\r\n",
        MAX_BODY_BYTES + 1
    );
    let answer = conn.request(head.as_bytes());
    assert_eq!((answer.status, answer.code().as_str()), (413, "too-large"));
    assert!(conn.is_closed());

    let mut conn = Conn::open(&server);
    let big = format!(
        "GET /be/v1/tasks HTTP/1.1\r\nHost: fake\r\nX-Filler: {}\r\n\r\n",
        "a".repeat(70 * 1024)
    );
    let answer = conn.request(big.as_bytes());
    assert_eq!((answer.status, answer.code().as_str()), (431, "too-large"));
}

#[test]
fn chunked_bodies_are_refused() {
    let server = serve(FakeEdge::seeded()).unwrap();
    let mut conn = Conn::open(&server);
    let answer = conn.request(
        b"PATCH /be/v1/tasks HTTP/1.1\r\nHost: fake\r\nTransfer-Encoding: chunked\r\n\r\n\
          2\r\n{}\r\n0\r\n\r\n",
    );
    assert_eq!(
        (answer.status, answer.code().as_str()),
        (411, "length-required")
    );
}

#[test]
fn connection_close_is_honoured() {
    let server = serve(FakeEdge::seeded()).unwrap();

    let mut conn = Conn::open(&server);
    let answer = conn.request(b"GET /be/v1/tasks HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_eq!(answer.status, 401);
    assert_eq!(answer.header("connection"), Some("close"));
    assert!(conn.is_closed());

    // HTTP/1.0 closes unless asked to keep the connection.
    let mut conn = Conn::open(&server);
    let answer = conn.request(b"GET /be/v1/tasks HTTP/1.0\r\n\r\n");
    assert_eq!(answer.status, 401);
    assert!(conn.is_closed());

    let mut conn = Conn::open(&server);
    let answer = conn.request(b"GET /be/v1/tasks HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    assert_eq!(answer.header("connection"), Some("keep-alive"));
    assert_eq!(conn.request(b"GET /x HTTP/1.0\r\n\r\n").status, 404);
    assert!(conn.is_closed());
}

#[test]
fn the_transport_sees_the_full_url_and_every_header() {
    let echo = |request: Request<Vec<u8>>| -> Result<Response<Vec<u8>>, TransportError> {
        let seen = serde_json::json!({
            "method": request.method().as_str(),
            "uri": request.uri().to_string(),
            "custom": request.headers()["x-custom"].to_str().unwrap(),
            "body": String::from_utf8(request.body().clone()).unwrap(),
        });
        let mut response = Response::new(serde_json::to_vec(&seen).unwrap());
        *response.status_mut() = http::StatusCode::CREATED;
        Ok(response)
    };
    let server = serve(echo).unwrap();
    let mut conn = Conn::open(&server);
    let answer = conn.request(
        b"POST /be/v1/echo?a=%20b HTTP/1.1\r\nHost: whatever\r\nX-Custom: yes\r\n\
          Content-Length: 5\r\n\r\nhello",
    );
    assert_eq!(answer.status, 201);
    let want = serde_json::json!({
        "method": "POST",
        "uri": format!("http://{}/be/v1/echo?a=%20b", server.addr()),
        "custom": "yes",
        "body": "hello",
    });
    assert_eq!(answer.json(), want);
    assert_eq!(
        server.base_url().to_string(),
        format!("http://{}", server.addr())
    );
    assert!(server.addr().ip().is_loopback());
}

#[test]
fn a_failing_transport_is_a_bad_gateway() {
    let failing = |_: Request<Vec<u8>>| -> Result<Response<Vec<u8>>, TransportError> {
        Err(TransportError::new(
            TransportErrorKind::Connect,
            "upstream is down",
        ))
    };
    let server = serve(failing).unwrap();
    let mut conn = Conn::open(&server);
    for _ in 0..2 {
        let answer = conn.request(b"GET / HTTP/1.1\r\n\r\n");
        assert_eq!(
            (answer.status, answer.code().as_str()),
            (502, "bad-gateway")
        );
        assert!(answer.json()["message"]
            .as_str()
            .unwrap()
            .contains("upstream is down"));
    }
}

#[test]
fn connections_beyond_the_cap_are_refused() {
    let server = serve(FakeEdge::seeded()).unwrap();
    let mut open: Vec<Conn> = (0..MAX_CONNECTIONS).map(|_| Conn::open(&server)).collect();
    let mut extra = Conn::open(&server);
    let answer = extra.read_answer();
    assert_eq!(
        (answer.status, answer.code().as_str()),
        (503, "too-many-connections")
    );
    assert!(extra.is_closed());
    let first = open.first_mut().unwrap();
    assert_eq!(first.request(&get("/be/v1/tasks")).status, 200);
}

#[test]
fn shutdown_closes_connections_and_frees_the_port() {
    let server = serve(FakeEdge::seeded()).unwrap();
    let addr = server.addr();
    let mut idle = Conn::open(&server);
    assert_eq!(idle.request(&get("/be/v1/tasks")).status, 200);

    server.shutdown();

    assert!(idle.is_closed());
    assert!(TcpStream::connect(addr).is_err());
    drop(TcpListener::bind(addr).unwrap());
}

#[test]
fn dropping_the_server_stops_it() {
    let addr = {
        let server = serve(FakeEdge::seeded()).unwrap();
        let mut conn = Conn::open(&server);
        assert_eq!(conn.request(&get("/be/v1/tasks")).status, 200);
        server.addr()
    };
    assert!(TcpStream::connect(addr).is_err());
}

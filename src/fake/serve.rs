//! A small HTTP/1.1 server on `127.0.0.1` in front of any [`Transport`].

use std::any::Any;
use std::collections::HashMap;
use std::fmt;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use http::header::TRANSFER_ENCODING;
use http::header::{HeaderMap, HeaderName, HeaderValue, CONNECTION, CONTENT_LENGTH, EXPECT};
use http::{Method, Request, Response, StatusCode, Uri, Version};

use super::builds::{is_upload_path, Adler32};
use super::{error_response, FakeEdge};
use crate::base_url::BaseUrl;
use crate::redact::find;
use crate::transport::Transport;

/// The most bytes a request line and its headers may take.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;
/// The most bytes a request body may take, except a build upload.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
/// The most bytes a build upload to the [`FakeEdge`] may take: 64 GiB. Uploads are counted
/// as they arrive, never kept, so the limit costs no memory.
pub const MAX_UPLOAD_BYTES: u64 = 64 * 1024 * 1024 * 1024;
/// How long one build upload may take to arrive in full: an hour.
pub const UPLOAD_DEADLINE: Duration = Duration::from_secs(60 * 60);
/// The most connections served at once; further ones are answered `503` and closed.
pub const MAX_CONNECTIONS: usize = 64;
/// How long a connection may stay silent, between requests or within one.
pub const READ_TIMEOUT: Duration = Duration::from_secs(30);
/// How long one request may take to arrive in full, however steadily its bytes trickle in.
pub const REQUEST_DEADLINE: Duration = Duration::from_secs(60);

const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// Build uploads are read through a buffer of this size.
const UPLOAD_CHUNK: usize = 256 * 1024;
/// After an error answer, how much of what the client still sends is read and dropped, so
/// that closing does not reset the connection before the client has read the answer.
const DRAIN_LIMIT: usize = 1024 * 1024;
const DRAIN_TIMEOUT: Duration = Duration::from_secs(2);

const BAD_REQUEST: &str = "bad-request";
const LENGTH_REQUIRED: &str = "length-required";
const TOO_LARGE: &str = "too-large";
const TOO_MANY_CONNECTIONS: &str = "too-many-connections";
const BAD_GATEWAY: &str = "bad-gateway";

/// Serves `transport` over HTTP/1.1 on `127.0.0.1`, on a port the system picks.
///
/// Each connection gets a thread, at most [`MAX_CONNECTIONS`] at once, and may carry any
/// number of requests (keep-alive, pipelining included) until the client sends
/// `Connection: close` or falls silent for [`READ_TIMEOUT`]. Request bodies must come with
/// `Content-Length`; chunked bodies are refused. The transport gets each request with its
/// full URL (`http://127.0.0.1:{port}/path?query`) and every header, and its response is
/// written back as it is, with `Content-Length` set by the server.
///
/// When `transport` is a [`FakeEdge`], a `PUT` to one of the upload URLs it hands out
/// (`/upload/{token}`) is not buffered: its body is counted and checksummed as it arrives,
/// whatever its size up to [`MAX_UPLOAD_BYTES`], and the fake is told once the whole body is
/// in (see [`FakeEdge::uploads`]). Such a body may take [`UPLOAD_DEADLINE`] to arrive, and
/// must come with `Content-Length`. A URL that cannot take the body is answered before the
/// body is read, without `100 Continue` to a client that asked for it.
///
/// What goes wrong at the HTTP level is answered with the fake's error body and the
/// connection is closed:
///
/// | status | code | when |
/// |---|---|---|
/// | 400 | `bad-request` | the bytes are not an HTTP/1.x request |
/// | 411 | `length-required` | the body is sent with `Transfer-Encoding`, or an upload without `Content-Length` |
/// | 413 | `too-large` | the body is larger than [`MAX_BODY_BYTES`], an upload larger than [`MAX_UPLOAD_BYTES`] |
/// | 431 | `too-large` | request line and headers are larger than [`MAX_HEAD_BYTES`] |
/// | 502 | `bad-gateway` | the transport failed (the connection stays open) |
/// | 503 | `too-many-connections` | [`MAX_CONNECTIONS`] connections are open already |
///
/// ```
/// use std::io::{Read, Write};
/// use std::net::TcpStream;
///
/// use rockit_edge::fake::{serve, FakeEdge};
///
/// let server = serve(FakeEdge::seeded()).unwrap();
/// let mut stream = TcpStream::connect(server.addr()).unwrap();
/// stream.write_all(b"GET /be/v1/tasks HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
/// let mut answer = String::new();
/// stream.read_to_string(&mut answer).unwrap();
/// assert!(answer.starts_with("HTTP/1.1 401 Unauthorized\r\n"));
/// server.shutdown();
/// ```
pub fn serve<T: Transport + Send + Sync + 'static>(transport: T) -> io::Result<Server> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    let addr = listener.local_addr()?;
    let origin = format!("http://{addr}");
    let base_url = BaseUrl::parse(&origin)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))?;
    let shared = Arc::new(Shared {
        stop: AtomicBool::new(false),
        connections: Mutex::new(Connections::default()),
    });

    // A generic server cannot ask its transport for uploads; only the fake takes them.
    let uploads = (&transport as &dyn Any).downcast_ref::<FakeEdge>().cloned();
    let accept = {
        let shared = Arc::clone(&shared);
        let transport = Arc::new(transport);
        thread::Builder::new()
            .name("fake-edge-accept".into())
            .spawn(move || accept_loop(&listener, &shared, &transport, &origin, uploads))?
    };

    Ok(Server {
        addr,
        base_url,
        shared,
        accept: Some(accept),
    })
}

/// A running server; see [`serve`]. It stops on [`Server::shutdown`] and when dropped.
pub struct Server {
    addr: SocketAddr,
    base_url: BaseUrl,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
}

impl Server {
    /// How many client connections are open now.
    pub fn open_connections(&self) -> usize {
        self.shared.connections().open.len()
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:{port}`, to build requests for.
    pub fn base_url(&self) -> BaseUrl {
        self.base_url.clone()
    }

    /// Stops accepting connections and frees the port, lets requests in progress finish,
    /// closes every connection and waits for all of the server's threads to end.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        let Some(accept) = self.accept.take() else {
            return;
        };
        self.shared.stop.store(true, Ordering::SeqCst);
        // The accept thread sleeps in `accept`; a connection of our own wakes it to see the
        // flag. Should that fail, joining could wait for ever, so the thread is left to end
        // with the next connection instead.
        if TcpStream::connect_timeout(&self.addr, Duration::from_secs(5)).is_ok() {
            let _ = accept.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Server")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

/// What the accept thread shares with the server handle and the connection threads.
struct Shared {
    stop: AtomicBool,
    connections: Mutex<Connections>,
}

impl Shared {
    fn stopping(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    fn connections(&self) -> MutexGuard<'_, Connections> {
        // The map is changed in single calls, so a poisoned lock still guards a whole map.
        self.connections
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// The open connections, each as a second handle to its socket so that shutdown can close it.
#[derive(Default)]
struct Connections {
    next_id: u64,
    open: HashMap<u64, TcpStream>,
}

/// Removes a connection from [`Connections`] when its thread ends, however it ends.
struct Registration {
    shared: Arc<Shared>,
    id: u64,
}

impl Drop for Registration {
    fn drop(&mut self) {
        self.shared.connections().open.remove(&self.id);
    }
}

fn accept_loop<T: Transport + Send + Sync + 'static>(
    listener: &TcpListener,
    shared: &Arc<Shared>,
    transport: &Arc<T>,
    origin: &str,
    uploads: Option<FakeEdge>,
) {
    let mut workers: Vec<JoinHandle<()>> = Vec::new();
    for incoming in listener.incoming() {
        if shared.stopping() {
            break;
        }
        let stream = match incoming {
            Ok(stream) => stream,
            Err(_) => {
                // Out of descriptors or a connection reset before it was taken: pause
                // rather than spin, then go on.
                thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        workers.retain(|worker| !worker.is_finished());

        let Some(registration) = register(shared, &stream) else {
            refuse(stream);
            continue;
        };
        let transport = Arc::clone(transport);
        let origin = origin.to_owned();
        let uploads = uploads.clone();
        let spawned = thread::Builder::new()
            .name("fake-edge-connection".into())
            .spawn(move || {
                Connection::new(stream).serve(
                    &*transport,
                    &registration.shared,
                    &origin,
                    uploads.as_ref(),
                );
            });
        // When no thread can be had, the closure is dropped with its socket, which closes it.
        if let Ok(worker) = spawned {
            workers.push(worker);
        }
    }

    for stream in shared.connections().open.values() {
        // Ends reads waiting for the next request; answers being written still go out.
        let _ = stream.shutdown(Shutdown::Read);
    }
    for worker in workers {
        let _ = worker.join();
    }
}

fn register(shared: &Arc<Shared>, stream: &TcpStream) -> Option<Registration> {
    let mut connections = shared.connections();
    if connections.open.len() >= MAX_CONNECTIONS {
        return None;
    }
    let handle = stream.try_clone().ok()?;
    let id = connections.next_id;
    connections.next_id = id.wrapping_add(1);
    connections.open.insert(id, handle);
    Some(Registration {
        shared: Arc::clone(shared),
        id,
    })
}

fn refuse(mut stream: TcpStream) {
    let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
    let response = error_response(
        StatusCode::SERVICE_UNAVAILABLE,
        TOO_MANY_CONNECTIONS,
        "too many connections are open",
    );
    let _ = stream.write_all(&encode_response(&response, false, Close::Yes));
    let _ = stream.shutdown(Shutdown::Write);
}

/// Whether the connection closes after a response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Close {
    /// Close, and say so with `Connection: close`.
    Yes,
    /// Keep open; an HTTP/1.0 client is told so with `Connection: keep-alive`.
    No { http10: bool },
}

/// A request that cannot be served, and how to answer it.
#[derive(Debug, PartialEq, Eq)]
struct Reject {
    status: StatusCode,
    code: &'static str,
    message: &'static str,
}

impl Reject {
    fn bad_request(message: &'static str) -> Self {
        Reject {
            status: StatusCode::BAD_REQUEST,
            code: BAD_REQUEST,
            message,
        }
    }
}

/// What reading the next request gave.
enum Next {
    Request(Box<Request<Vec<u8>>>, Close),
    /// A build upload whose head has been read: the request without its body, and the
    /// body's length. The buffer holds the start of the body.
    Upload(Box<Request<Vec<u8>>>, u64, Close),
    Reject(Reject),
    /// The client closed, fell silent, or the read failed: close without answering.
    Done,
}

struct Connection {
    stream: TcpStream,
    /// Bytes read but not used yet: the start of the next request, when pipelined.
    buffer: Vec<u8>,
}

impl Connection {
    fn new(stream: TcpStream) -> Self {
        let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
        let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
        let _ = stream.set_nodelay(true);
        Connection {
            stream,
            buffer: Vec::new(),
        }
    }

    fn serve<T: Transport>(
        mut self,
        transport: &T,
        shared: &Shared,
        origin: &str,
        uploads: Option<&FakeEdge>,
    ) {
        while !shared.stopping() {
            match self.next_request(origin, uploads.is_some()) {
                Next::Request(request, close) => {
                    let head_only = request.method() == Method::HEAD;
                    let response = match transport.send(*request) {
                        Ok(response) => response,
                        Err(e) => error_response(
                            StatusCode::BAD_GATEWAY,
                            BAD_GATEWAY,
                            &format!("the served transport failed: {}", e.message()),
                        ),
                    };
                    let close = if shared.stopping() { Close::Yes } else { close };
                    let bytes = encode_response(&response, head_only, close);
                    if self.stream.write_all(&bytes).is_err() || close == Close::Yes {
                        return;
                    }
                }
                Next::Upload(request, len, close) => {
                    let Some(fake) = uploads else { return };
                    if !self.take_upload(fake, &request, len, close, shared) {
                        return;
                    }
                }
                Next::Reject(reject) => {
                    let response = error_response(reject.status, reject.code, reject.message);
                    self.refuse(&response);
                    return;
                }
                Next::Done => return,
            }
        }
    }

    /// Answers with `response`, then ends the connection.
    fn refuse(&mut self, response: &Response<Vec<u8>>) {
        let _ = self
            .stream
            .write_all(&encode_response(response, false, Close::Yes));
        self.drain();
    }

    /// Streams an upload's body of `len` bytes into a count and checksum and hands them to
    /// the fake; whether the connection stays open.
    fn take_upload(
        &mut self,
        fake: &FakeEdge,
        request: &Request<Vec<u8>>,
        len: u64,
        close: Close,
        shared: &Shared,
    ) -> bool {
        let token = match fake.begin_upload(request.uri().path()) {
            Ok(token) => token,
            Err(response) => {
                self.refuse(&response);
                return false;
            }
        };
        let started = Instant::now();
        let mut received = 0_u64;
        let mut checksum = Adler32::default();

        let buffered =
            usize::try_from(len).map_or(self.buffer.len(), |len| len.min(self.buffer.len()));
        checksum.update(&self.buffer[..buffered]);
        self.buffer.drain(..buffered);
        received += buffered as u64;
        if received < len && expects_continue(request.headers()) {
            let interim = b"HTTP/1.1 100 Continue\r\n\r\n";
            if self.stream.write_all(interim).is_err() {
                fake.abort_upload(&token);
                return false;
            }
        }

        let mut chunk = vec![0_u8; UPLOAD_CHUNK];
        while received < len {
            if shared.stopping() || started.elapsed() > UPLOAD_DEADLINE {
                fake.abort_upload(&token);
                return false;
            }
            // Never past the body: what follows is the next request.
            let want =
                usize::try_from(len - received).map_or(chunk.len(), |left| left.min(chunk.len()));
            match self.stream.read(&mut chunk[..want]) {
                Ok(0) => {
                    fake.abort_upload(&token);
                    return false;
                }
                Ok(n) => {
                    checksum.update(&chunk[..n]);
                    received += n as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => {
                    fake.abort_upload(&token);
                    return false;
                }
            }
        }

        let response = fake.finish_upload(&token, received, checksum.value());
        let close = if shared.stopping() { Close::Yes } else { close };
        let bytes = encode_response(&response, false, close);
        self.stream.write_all(&bytes).is_ok() && close != Close::Yes
    }

    /// Reads until a whole request has arrived, or until it is clear none will; for a build
    /// upload, when `uploads` are taken, until its head has arrived.
    fn next_request(&mut self, origin: &str, uploads: bool) -> Next {
        let started = Instant::now();

        let head_end = loop {
            // Blank lines before a request are tolerated, as RFC 9112 asks.
            let blank = self
                .buffer
                .iter()
                .position(|b| *b != b'\r' && *b != b'\n')
                .unwrap_or(self.buffer.len());
            self.buffer.drain(..blank);
            if let Some(end) = find(&self.buffer, b"\r\n\r\n") {
                if end + 4 > MAX_HEAD_BYTES {
                    return Next::Reject(head_too_large());
                }
                break end + 4;
            }
            if self.buffer.len() >= MAX_HEAD_BYTES {
                return Next::Reject(head_too_large());
            }
            // Refuse a broken request line at once instead of waiting for more bytes.
            if let Some(line_end) = find(&self.buffer, b"\r\n") {
                if let Err(reject) = parse_request_line(&self.buffer[..line_end]) {
                    return Next::Reject(reject);
                }
            }
            match self.fill(started) {
                Ok(true) => {}
                Ok(false) if self.buffer.is_empty() => return Next::Done,
                Ok(false) => return Next::Reject(Reject::bad_request("the request is incomplete")),
                Err(_) => return Next::Done,
            }
        };

        let head = match parse_head(&self.buffer[..head_end - 4]) {
            Ok(head) => head,
            Err(reject) => return Next::Reject(reject),
        };
        let close = close_after(head.version, &head.headers);
        let mut request = match build_request(head, Vec::new(), origin) {
            Ok(request) => request,
            Err(reject) => return Next::Reject(reject),
        };
        let upload =
            uploads && request.method() == Method::PUT && is_upload_path(request.uri().path());
        let limit = if upload {
            MAX_UPLOAD_BYTES
        } else {
            MAX_BODY_BYTES as u64
        };
        let body_len = match body_length(request.headers(), limit) {
            Ok(len) => len,
            Err(reject) => return Next::Reject(reject),
        };

        if upload {
            if !request.headers().contains_key(CONTENT_LENGTH) {
                return Next::Reject(Reject {
                    status: StatusCode::LENGTH_REQUIRED,
                    code: LENGTH_REQUIRED,
                    message: "send the upload with Content-Length",
                });
            }
            self.buffer.drain(..head_end);
            return Next::Upload(Box::new(request), body_len, close);
        }

        // Within `MAX_BODY_BYTES`, so it fits.
        let wanted = head_end + usize::try_from(body_len).unwrap_or(MAX_BODY_BYTES);
        if self.buffer.len() < wanted && expects_continue(request.headers()) {
            let interim = b"HTTP/1.1 100 Continue\r\n\r\n";
            if self.stream.write_all(interim).is_err() {
                return Next::Done;
            }
        }
        while self.buffer.len() < wanted {
            match self.fill(started) {
                Ok(true) => {}
                Ok(false) | Err(_) => return Next::Done,
            }
        }
        *request.body_mut() = self.buffer[head_end..wanted].to_vec();
        self.buffer.drain(..wanted);
        Next::Request(Box::new(request), close)
    }

    /// Reads more bytes into the buffer; `Ok(false)` at the end of the stream.
    fn fill(&mut self, started: Instant) -> io::Result<bool> {
        if started.elapsed() > REQUEST_DEADLINE {
            return Err(io::ErrorKind::TimedOut.into());
        }
        let mut chunk = [0u8; 16 * 1024];
        loop {
            match self.stream.read(&mut chunk) {
                Ok(0) => return Ok(false),
                Ok(n) => {
                    self.buffer.extend_from_slice(&chunk[..n]);
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// Ends the connection after an error answer without resetting it while the client may
    /// still be sending.
    fn drain(&mut self) {
        let _ = self.stream.shutdown(Shutdown::Write);
        let _ = self.stream.set_read_timeout(Some(DRAIN_TIMEOUT));
        let mut chunk = [0u8; 16 * 1024];
        let mut drained = 0;
        while drained < DRAIN_LIMIT {
            match self.stream.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => drained += n,
            }
        }
    }
}

fn head_too_large() -> Reject {
    Reject {
        status: StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
        code: TOO_LARGE,
        message: "the request line and headers are too large",
    }
}

/// A parsed request line and header block.
#[derive(Debug)]
struct Head {
    method: Method,
    target: String,
    version: Version,
    headers: HeaderMap,
}

/// Parses `METHOD SP target SP HTTP/1.x`.
fn parse_request_line(line: &[u8]) -> Result<(Method, String, Version), Reject> {
    let mut parts = line.split(|b| *b == b' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Reject::bad_request("the request line is malformed"));
    };
    let method =
        Method::from_bytes(method).map_err(|_| Reject::bad_request("the method is malformed"))?;
    let version = match version {
        b"HTTP/1.1" => Version::HTTP_11,
        b"HTTP/1.0" => Version::HTTP_10,
        _ => return Err(Reject::bad_request("only HTTP/1.0 and HTTP/1.1 are served")),
    };
    if target.is_empty() || !target.iter().all(u8::is_ascii_graphic) {
        return Err(Reject::bad_request("the request target is malformed"));
    }
    let target = String::from_utf8(target.to_vec())
        .map_err(|_| Reject::bad_request("the request target is malformed"))?;
    Ok((method, target, version))
}

/// Parses the request line and headers, given without the blank line that ends them.
fn parse_head(head: &[u8]) -> Result<Head, Reject> {
    let mut lines = Lines(Some(head));
    let request_line = lines
        .next()
        .ok_or_else(|| Reject::bad_request("the request line is missing"))?;
    let (method, target, version) = parse_request_line(request_line)?;

    let mut headers = HeaderMap::new();
    for line in lines {
        let colon = line
            .iter()
            .position(|b| *b == b':')
            .ok_or_else(|| Reject::bad_request("a header line has no colon"))?;
        // A name with white space, folded continuation lines included, is refused here.
        let name = HeaderName::from_bytes(&line[..colon])
            .map_err(|_| Reject::bad_request("a header name is malformed"))?;
        let value = trim_whitespace(&line[colon + 1..]);
        let value = HeaderValue::from_bytes(value)
            .map_err(|_| Reject::bad_request("a header value is malformed"))?;
        headers
            .try_append(name, value)
            .map_err(|_| Reject::bad_request("too many headers"))?;
    }
    Ok(Head {
        method,
        target,
        version,
        headers,
    })
}

/// The lines of a header block, split at CRLF. A lone CR or LF stays inside its line, where
/// the checks of each part refuse it.
struct Lines<'a>(Option<&'a [u8]>);

impl<'a> Iterator for Lines<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let rest = self.0?;
        match find(rest, b"\r\n") {
            Some(end) => {
                self.0 = rest.get(end + 2..);
                rest.get(..end)
            }
            None => {
                self.0 = None;
                Some(rest)
            }
        }
    }
}

fn trim_whitespace(mut bytes: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = bytes {
        bytes = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = bytes {
        bytes = rest;
    }
    bytes
}

/// The length of the body: `Content-Length`, or none; at most `limit`.
fn body_length(headers: &HeaderMap, limit: u64) -> Result<u64, Reject> {
    if headers.contains_key(TRANSFER_ENCODING) {
        return Err(Reject {
            status: StatusCode::LENGTH_REQUIRED,
            code: LENGTH_REQUIRED,
            message: "send the body with Content-Length, not Transfer-Encoding",
        });
    }
    let mut length = None;
    for value in headers.get_all(CONTENT_LENGTH) {
        // A list such as `5, 5` is what a proxy may make of two equal headers.
        for part in value.as_bytes().split(|b| *b == b',') {
            let part = trim_whitespace(part);
            if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
                return Err(Reject::bad_request("Content-Length is not a number"));
            }
            let parsed = std::str::from_utf8(part)
                .ok()
                .and_then(|text| text.parse::<u64>().ok())
                .unwrap_or(u64::MAX);
            if length.is_some_and(|known| known != parsed) {
                return Err(Reject::bad_request("Content-Length values differ"));
            }
            length = Some(parsed);
        }
    }
    match length {
        Some(len) if len > limit => Err(Reject {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            code: TOO_LARGE,
            message: "the request body is too large",
        }),
        other => Ok(other.unwrap_or(0)),
    }
}

fn expects_continue(headers: &HeaderMap) -> bool {
    headers
        .get(EXPECT)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"))
}

fn has_token(headers: &HeaderMap, token: &str) -> bool {
    headers.get_all(CONNECTION).iter().any(|value| {
        value
            .as_bytes()
            .split(|b| *b == b',')
            .any(|t| trim_whitespace(t).eq_ignore_ascii_case(token.as_bytes()))
    })
}

fn close_after(version: Version, headers: &HeaderMap) -> Close {
    if version == Version::HTTP_10 {
        if has_token(headers, "keep-alive") {
            Close::No { http10: true }
        } else {
            Close::Yes
        }
    } else if has_token(headers, "close") {
        Close::Yes
    } else {
        Close::No { http10: false }
    }
}

/// The request the transport gets: the full URL on this server, every header, the body.
fn build_request(head: Head, body: Vec<u8>, origin: &str) -> Result<Request<Vec<u8>>, Reject> {
    let path_and_query = if head.target.starts_with('/') {
        head.target
    } else {
        // Absolute form, as sent to proxies: only the path and query are kept.
        let uri: Uri = head
            .target
            .parse()
            .map_err(|_| Reject::bad_request("the request target is malformed"))?;
        match (uri.scheme(), uri.path_and_query()) {
            (Some(_), Some(pq)) => pq.as_str().to_owned(),
            _ => return Err(Reject::bad_request("the request target is malformed")),
        }
    };
    let uri: Uri = format!("{origin}{path_and_query}")
        .parse()
        .map_err(|_| Reject::bad_request("the request target is malformed"))?;

    let mut request = Request::new(body);
    *request.method_mut() = head.method;
    *request.uri_mut() = uri;
    *request.version_mut() = head.version;
    *request.headers_mut() = head.headers;
    Ok(request)
}

/// Writes a response: status line, the transport's headers except the ones that frame the
/// message, `Content-Length` and `Connection` as this server frames it, and the body.
fn encode_response(response: &Response<Vec<u8>>, head_only: bool, close: Close) -> Vec<u8> {
    let status = response.status();
    let body = response.body();
    let bodiless = status.is_informational()
        || status == StatusCode::NO_CONTENT
        || status == StatusCode::NOT_MODIFIED;

    let mut out = Vec::with_capacity(256 + if head_only { 0 } else { body.len() });
    out.extend_from_slice(b"HTTP/1.1 ");
    out.extend_from_slice(status.as_str().as_bytes());
    out.push(b' ');
    out.extend_from_slice(status.canonical_reason().unwrap_or("").as_bytes());
    out.extend_from_slice(b"\r\n");
    for (name, value) in response.headers() {
        if [CONTENT_LENGTH, TRANSFER_ENCODING, CONNECTION].contains(name) {
            continue;
        }
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    if !bodiless {
        out.extend_from_slice(format!("content-length: {}\r\n", body.len()).as_bytes());
    }
    match close {
        Close::Yes => out.extend_from_slice(b"connection: close\r\n"),
        Close::No { http10: true } => out.extend_from_slice(b"connection: keep-alive\r\n"),
        Close::No { http10: false } => {}
    }
    out.extend_from_slice(b"\r\n");
    if !head_only && !bodiless {
        out.extend_from_slice(body);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn head(text: &str) -> Result<Head, Reject> {
        parse_head(text.as_bytes())
    }

    #[test]
    fn heads_parse_into_method_target_version_and_headers() {
        let parsed =
            head("PATCH /be/v1/tasks?a=1 HTTP/1.1\r\nHost: x\r\nX-A:  one \r\nx-a:\ttwo").unwrap();
        assert_eq!(parsed.method, Method::PATCH);
        assert_eq!(parsed.target, "/be/v1/tasks?a=1");
        assert_eq!(parsed.version, Version::HTTP_11);
        let values: Vec<_> = parsed.headers.get_all("x-a").iter().collect();
        assert_eq!(values, ["one", "two"]);
    }

    #[test]
    fn malformed_heads_are_bad_requests() {
        for bad in [
            "",
            "GET /\r\n",
            "GET / HTTP/1.1 extra",
            "GET  / HTTP/1.1",
            "GET / HTTP/2.0",
            "G(T / HTTP/1.1",
            "GET /\u{e9} HTTP/1.1",
            "GET / HTTP/1.1\nHost: x",
            "GET / HTTP/1.1\r\nno colon",
            "GET / HTTP/1.1\r\nbad name: x",
            "GET / HTTP/1.1\r\nHost: x\r\n folded",
            "GET / HTTP/1.1\r\nX: a\u{1}b",
        ] {
            let reject = head(bad).unwrap_err();
            assert_eq!(reject.status, StatusCode::BAD_REQUEST, "{bad:?}");
            assert_eq!(reject.code, BAD_REQUEST, "{bad:?}");
        }
    }

    #[test]
    fn body_length_comes_from_content_length_only() {
        let lengths = |text: &str| body_length(&head(text).unwrap().headers, 1 << 24);
        assert_eq!(lengths("GET / HTTP/1.1"), Ok(0));
        assert_eq!(lengths("GET / HTTP/1.1\r\nContent-Length: 12"), Ok(12));
        assert_eq!(
            lengths("GET / HTTP/1.1\r\nContent-Length: 5, 5\r\nContent-Length: 5"),
            Ok(5)
        );
        let status = |text: &str| lengths(text).unwrap_err().status;
        assert_eq!(
            status("GET / HTTP/1.1\r\nContent-Length: 5, 6"),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            status("GET / HTTP/1.1\r\nContent-Length: -1"),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            status("GET / HTTP/1.1\r\nContent-Length: +1"),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            status("GET / HTTP/1.1\r\nContent-Length:"),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            status("GET / HTTP/1.1\r\nContent-Length: 99999999999999999999999"),
            StatusCode::PAYLOAD_TOO_LARGE
        );
        assert_eq!(
            status("GET / HTTP/1.1\r\nTransfer-Encoding: chunked"),
            StatusCode::LENGTH_REQUIRED
        );
    }

    #[test]
    fn connections_close_as_the_version_and_header_say() {
        let close = |text: &str| {
            let head = head(text).unwrap();
            close_after(head.version, &head.headers)
        };
        assert_eq!(close("GET / HTTP/1.1"), Close::No { http10: false });
        assert_eq!(
            close("GET / HTTP/1.1\r\nConnection: Keep-Alive, CLOSE"),
            Close::Yes
        );
        assert_eq!(close("GET / HTTP/1.0"), Close::Yes);
        assert_eq!(
            close("GET / HTTP/1.0\r\nConnection: keep-alive"),
            Close::No { http10: true }
        );
    }

    #[test]
    fn the_transport_gets_the_full_url() {
        let origin = "http://127.0.0.1:4000";
        for (target, want) in [
            (
                "/be/v1/tasks?limit=1",
                "http://127.0.0.1:4000/be/v1/tasks?limit=1",
            ),
            ("http://elsewhere.invalid/a?b", "http://127.0.0.1:4000/a?b"),
        ] {
            let head = head(&format!("GET {target} HTTP/1.1\r\nHost: x")).unwrap();
            let request = build_request(head, Vec::new(), origin).unwrap();
            assert_eq!(request.uri(), want);
            assert_eq!(request.headers()["host"], "x");
        }
        let head = head("OPTIONS * HTTP/1.1").unwrap();
        assert_eq!(
            build_request(head, Vec::new(), origin).unwrap_err().code,
            BAD_REQUEST
        );
    }

    #[test]
    fn responses_are_framed_by_the_server() {
        let mut response = Response::new(b"{}".to_vec());
        response
            .headers_mut()
            .insert(CONTENT_LENGTH, HeaderValue::from_static("999"));
        response
            .headers_mut()
            .insert("x-kept", HeaderValue::from_static("yes"));
        let text = |head_only, close| {
            String::from_utf8(encode_response(&response, head_only, close)).unwrap()
        };
        assert_eq!(
            text(false, Close::No { http10: false }),
            "HTTP/1.1 200 OK\r\nx-kept: yes\r\ncontent-length: 2\r\n\r\n{}"
        );
        assert_eq!(
            text(true, Close::Yes),
            "HTTP/1.1 200 OK\r\nx-kept: yes\r\ncontent-length: 2\r\nconnection: close\r\n\r\n"
        );
    }

    proptest! {
        #[test]
        fn any_bytes_parse_or_are_refused_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            if let Ok(head) = parse_head(&bytes) {
                let _ = body_length(&head.headers, MAX_UPLOAD_BYTES);
                let _ = build_request(head, Vec::new(), "http://127.0.0.1:1");
            }
        }

        #[test]
        fn request_like_bytes_parse_or_are_refused_without_panic(
            line in "[A-Z]{1,7} [ -~]{0,40} HTTP/1\\.[01]",
            headers in proptest::collection::vec("[ -~\t]{0,30}", 0..6),
        ) {
            let text = std::iter::once(line).chain(headers).collect::<Vec<_>>().join("\r\n");
            if let Ok(head) = parse_head(text.as_bytes()) {
                let _ = body_length(&head.headers, MAX_UPLOAD_BYTES);
                let _ = build_request(head, Vec::new(), "http://127.0.0.1:1");
            }
        }
    }
}

//! Uploading a build: the HTTP `PUT` of an uncompressed tar to the temporary upload URL that
//! [`ImportBuild::upload`](crate::builds::ImportBuild::upload) hands back.
//!
//! [`Uploader`] streams the tar from a file ([`Uploader::upload_file`]) or from any reader of
//! known length ([`Uploader::upload_reader`]) straight into the connection's fixed-size
//! buffer: memory use is the same for a tar of a few bytes and one of many gigabytes, and
//! nothing is read ahead.
//!
//! ```no_run
//! use rockit_edge::builds::ImportBuild;
//! use rockit_edge::upload::{UploadUrl, Uploader};
//! use rockit_edge::{ureq_transport, BaseUrl, Credentials};
//!
//! let client = ureq_transport::client(
//!     BaseUrl::parse("https://edge.example.com")?,
//!     Credentials::backend_token("eyJhbGciOi...")?,
//! );
//! let build = client.send(&ImportBuild::upload("sushi"))?;
//! let url = UploadUrl::from_imported(&build)?;
//! let uploaded = Uploader::new().upload_file(&url, "native-build.tar", |progress| {
//!     eprintln!("{:.0}%", progress.fraction() * 100.0);
//! })?;
//! println!("{} bytes in {:?}", uploaded.size_bytes, uploaded.elapsed);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What is sent
//!
//! - `PUT` with `Content-Length` set to the announced size, never a chunked body: the stores
//!   behind presigned URLs need the length before the first byte.
//! - `Content-Type: application/x-tar` ([`DEFAULT_CONTENT_TYPE`]), since the reference asks
//!   for an uncompressed tar; [`UploaderBuilder::content_type`] changes it or leaves it out,
//!   for a URL whose signature covers another type or none.
//! - `Expect: 100-continue`, so that a store that refuses the URL (expired, wrong signature)
//!   says so before the body is on its way; a store that ignores it gets the body after a
//!   second. ureq reads such an early answer once the store closes the connection, as
//!   stores do when they refuse a body they have not read; one that keeps the connection
//!   open is heard when it closes it or when the response limit passes.
//!   [`UploaderBuilder::expect_continue`] turns it off.
//! - No credentials: no `x-rockit-*` header, no `Authorization`, no cookie. The URL itself is
//!   the permission and often names another host than Edge. URLs with user information are
//!   refused, and redirects are not followed (a streamed body cannot be sent twice): a `3xx`
//!   answer is an error like any status outside `2xx`.
//!
//! # Limits
//!
//! | limit | default | set with |
//! |---|---|---|
//! | connect: TCP connection and TLS handshake | 10 s ([`DEFAULT_TIMEOUT_CONNECT`]) | [`UploaderBuilder::timeout_connect`] |
//! | stall: one write to the connection, or the request headers | 60 s ([`DEFAULT_TIMEOUT_STALL`]) | [`UploaderBuilder::timeout_stall`] |
//! | send: the whole body | 60 s plus one second per 256 KiB ([`DEFAULT_MIN_BYTES_PER_SECOND`]): 68 min for 1 GiB | [`UploaderBuilder::timeout_send`], [`UploaderBuilder::min_bytes_per_second`] |
//! | response: from the end of the body until the answer is in | 120 s ([`DEFAULT_TIMEOUT_RESPONSE`]) | [`UploaderBuilder::timeout_response`] |
//! | answer body kept | 64 KiB ([`MAX_ANSWER_BYTES`]) | |
//! | proxy from `ALL_PROXY`, `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` | used | [`UploaderBuilder::proxy_from_env`] |
//!
//! The send limit grows with the size because a fixed one either cuts off large builds on
//! slow links or lets a hung small upload wait for hours; the stall limit catches a
//! connection that stops taking bytes long before it. Timeouts longer than a year are cut to
//! a year. [`Uploader::send_timeout`] tells the send limit for a size.
//!
//! # Errors
//!
//! | error | when |
//! |---|---|
//! | [`Error::Input`] | the URL is not an absolute `http` or `https` URL without user information; the file cannot be opened or is not a regular file; the reader yields fewer or more bytes than announced |
//! | [`Error::Api`] | the store answered with a status outside `2xx`: the status and the start of its body |
//! | [`Error::Transport`] | no answer: connecting, sending or receiving failed, a limit passed ([`TransportErrorKind::Timeout`], the message names which), or reading the source failed ([`TransportErrorKind::Io`]) |
//!
//! A reader that ends early or runs long never completes the body: the bytes past the
//! announced length are not sent, and the last piece is held back when the reader has more,
//! so the store never gets a whole body that is wrong.
//!
//! Presigned URLs carry their signature in the query string, so nothing this module makes
//! shows it: messages name the host and port only, [`UploadUrl`] prints `?[redacted]` in its
//! place, and the query's values are blanked out of an error answer's body, which some
//! stores fill with the request they refused.

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::str::FromStr;
use std::time::{Duration, Instant};

use http::header::{self, HeaderMap, HeaderValue};
use http::uri::Scheme;
use http::{Method, Request, StatusCode, Uri};
use ureq::SendBody;

use crate::builds::ImportedBuild;
use crate::decode;
use crate::error::{Error, InputError, TransportError, TransportErrorKind};
use crate::redact::{Forms, REDACTED};
use crate::ureq_transport::{self, LONGEST_TIMEOUT};

/// The `Content-Type` sent by default: `application/x-tar`.
pub const DEFAULT_CONTENT_TYPE: &str = "application/x-tar";
/// How long connecting, TLS handshake included, may take by default: 10 seconds.
pub const DEFAULT_TIMEOUT_CONNECT: Duration = Duration::from_secs(10);
/// How long one write to the connection may wait by default before the upload counts as
/// stalled: 60 seconds.
pub const DEFAULT_TIMEOUT_STALL: Duration = Duration::from_secs(60);
/// How long the answer may take by default once the whole body is sent: 120 seconds, as a
/// store may check the body before it answers.
pub const DEFAULT_TIMEOUT_RESPONSE: Duration = Duration::from_secs(120);
/// The slowest sending speed the default send limit allows for: 256 KiB per second.
pub const DEFAULT_MIN_BYTES_PER_SECOND: u64 = 256 * 1024;
/// What the default send limit allows on top of the time the size takes at the slowest speed.
pub const SEND_TIMEOUT_GRACE: Duration = Duration::from_secs(60);
/// The progress callback is called each time this many more bytes are sent: 1 MiB.
pub const PROGRESS_STEP: u64 = 1024 * 1024;
/// How much of the store's answer body is read and kept: 64 KiB.
pub const MAX_ANSWER_BYTES: u64 = 64 * 1024;

/// An upload URL, checked once, whose query string is never shown.
///
/// `Display` and `Debug` print the URL with `?[redacted]` in place of the query string;
/// [`UploadUrl::expose`] gives the URL itself.
///
/// ```
/// use rockit_edge::upload::UploadUrl;
///
/// let url = UploadUrl::parse("https://store.example.com/t/5b0f?expires=1739293601&sig=9f2c41")
///     .unwrap();
/// assert_eq!(url.to_string(), "https://store.example.com/t/5b0f?[redacted]");
/// assert!(!format!("{url:?}").contains("9f2c41"));
/// assert!(url.expose().ends_with("sig=9f2c41"));
///
/// assert!(UploadUrl::parse("ftp://store.example.com/t").is_err());
/// assert!(UploadUrl::parse("https://user:pw@store.example.com/t").is_err());
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct UploadUrl {
    uri: Uri,
    text: String,
    redacted: String,
}

impl UploadUrl {
    /// Checks that `url` is an absolute `http` or `https` URL with a host and without user
    /// information. The error never quotes the URL.
    pub fn parse(url: &str) -> Result<Self, InputError> {
        const WHAT: &str = "upload URL";
        if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(InputError::new(
                WHAT,
                "must not contain white space or control characters",
            ));
        }
        let Some((scheme, _)) = url.split_once("://") else {
            return Err(InputError::new(
                WHAT,
                "must be an absolute http or https URL",
            ));
        };
        if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
            return Err(InputError::new(WHAT, "must use http or https"));
        }
        let uri: Uri = url
            .parse()
            .map_err(|_| InputError::new(WHAT, "is not a valid URL"))?;
        let Some(authority) = uri.authority() else {
            return Err(InputError::new(WHAT, "must name a host"));
        };
        if authority.as_str().contains('@') {
            return Err(InputError::new(
                WHAT,
                "must not carry user information; the upload sends no credentials",
            ));
        }
        if authority.host().is_empty() {
            return Err(InputError::new(WHAT, "must name a host"));
        }
        crate::base_url::check_port(authority, WHAT)?;
        let mut redacted = format!(
            "{}://{}{}",
            uri.scheme_str().unwrap_or("http"),
            authority,
            uri.path()
        );
        if uri.query().is_some() {
            redacted.push('?');
            redacted.push_str(REDACTED);
        }
        Ok(UploadUrl {
            uri,
            text: url.to_owned(),
            redacted,
        })
    }

    /// The upload URL that an import answer hands back.
    ///
    /// ```
    /// use rockit_edge::builds::ImportedBuild;
    /// use rockit_edge::upload::UploadUrl;
    ///
    /// let build: ImportedBuild = serde_json::from_str(
    ///     r#"{"name":"0004","uploadUrl":"http://127.0.0.1:9/upload/x?sig=1"}"#,
    /// ).unwrap();
    /// assert_eq!(UploadUrl::from_imported(&build).unwrap().host(), "127.0.0.1");
    /// let download: ImportedBuild = serde_json::from_str(r#"{"name":"0005"}"#).unwrap();
    /// assert!(UploadUrl::from_imported(&download).is_err());
    /// ```
    pub fn from_imported(build: &ImportedBuild) -> Result<Self, InputError> {
        match build.upload_url.get() {
            Some(url) => UploadUrl::parse(url),
            None => Err(InputError::new(
                "upload URL",
                "is missing from the answer, as for a build that Edge downloads",
            )),
        }
    }

    /// The whole URL, query string included, for code that must store or forward it.
    pub fn expose(&self) -> &str {
        &self.text
    }

    /// The URL with `[redacted]` in place of its query string.
    pub fn redacted(&self) -> &str {
        &self.redacted
    }

    /// The host the upload goes to.
    pub fn host(&self) -> &str {
        self.uri.host().unwrap_or_default()
    }

    /// The port the upload goes to, explicit or the scheme's.
    pub fn port(&self) -> u16 {
        self.uri.port_u16().unwrap_or(match self.uri.scheme() {
            Some(scheme) if *scheme == Scheme::HTTPS => 443,
            _ => 80,
        })
    }

    /// `host:port`, as messages name the target.
    fn target(&self) -> String {
        format!("{}:{}", self.host(), self.port())
    }
}

impl FromStr for UploadUrl {
    type Err = InputError;

    fn from_str(url: &str) -> Result<Self, InputError> {
        UploadUrl::parse(url)
    }
}

impl fmt::Display for UploadUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted)
    }
}

impl fmt::Debug for UploadUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("UploadUrl").field(&self.redacted).finish()
    }
}

/// How far an upload is: bytes handed to the connection so far, out of the total.
///
/// ```
/// use rockit_edge::upload::Progress;
///
/// let halfway = Progress { sent: 512, total: 1024 };
/// assert_eq!(halfway.fraction(), 0.5);
/// assert!(!halfway.is_done());
/// assert!(Progress { sent: 0, total: 0 }.is_done());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Bytes read from the source and handed to the connection.
    pub sent: u64,
    /// The announced size.
    pub total: u64,
}

impl Progress {
    /// `sent / total`, from 0.0 to 1.0; 1.0 for an empty upload.
    pub fn fraction(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.sent as f64 / self.total as f64
        }
    }

    /// Whether every byte has been handed to the connection.
    pub fn is_done(&self) -> bool {
        self.sent >= self.total
    }
}

/// A finished upload: the store took the body and answered with a `2xx` status.
///
/// ```
/// use std::time::Duration;
///
/// use rockit_edge::upload::Uploaded;
///
/// let uploaded = Uploaded::new(http::StatusCode::OK, 3 * 1024 * 1024, Duration::from_secs(2));
/// assert_eq!(uploaded.mib_per_second(), 1.5);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Uploaded {
    /// The store's status.
    pub status: StatusCode,
    /// How many bytes were sent: the announced size.
    pub size_bytes: u64,
    /// From the start of the request until the answer's headers were in.
    pub elapsed: Duration,
    /// The answer's headers, such as an `ETag` that names what was stored.
    pub headers: HeaderMap,
}

impl Uploaded {
    /// An upload of `size_bytes` answered with `status` after `elapsed`, without headers.
    pub fn new(status: StatusCode, size_bytes: u64, elapsed: Duration) -> Self {
        Uploaded {
            status,
            size_bytes,
            elapsed,
            headers: HeaderMap::new(),
        }
    }

    /// The mean speed, in MiB (2^20 bytes) per second.
    pub fn mib_per_second(&self) -> f64 {
        let seconds = self.elapsed.as_secs_f64();
        if seconds <= 0.0 {
            return 0.0;
        }
        self.size_bytes as f64 / (1024.0 * 1024.0) / seconds
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Settings {
    timeout_connect: Duration,
    timeout_stall: Duration,
    timeout_send: Option<Duration>,
    min_bytes_per_second: u64,
    timeout_response: Duration,
    content_type: Option<HeaderValue>,
    expect_continue: bool,
    proxy_from_env: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            timeout_connect: DEFAULT_TIMEOUT_CONNECT,
            timeout_stall: DEFAULT_TIMEOUT_STALL,
            timeout_send: None,
            min_bytes_per_second: DEFAULT_MIN_BYTES_PER_SECOND,
            timeout_response: DEFAULT_TIMEOUT_RESPONSE,
            content_type: Some(HeaderValue::from_static(DEFAULT_CONTENT_TYPE)),
            expect_continue: true,
            proxy_from_env: true,
        }
    }
}

/// Uploads builds over a pooled `ureq::Agent`, with the limits listed in the
/// [module documentation](self).
///
/// Cloning is cheap and the clones share the connection pool; one uploader can run uploads
/// from many threads at once.
///
/// ```
/// use std::time::Duration;
///
/// use rockit_edge::upload::Uploader;
///
/// let uploader = Uploader::builder().timeout_send(Duration::from_secs(600)).build();
/// assert_eq!(uploader.send_timeout(10 << 30), Duration::from_secs(600));
/// let default = Uploader::new();
/// assert_eq!(default.send_timeout(1 << 30), Duration::from_secs(60 + 4096));
/// ```
#[derive(Clone)]
pub struct Uploader {
    agent: ureq::Agent,
    settings: Settings,
}

impl Uploader {
    /// An uploader with the default limits.
    pub fn new() -> Self {
        UploaderBuilder::new().build()
    }

    /// A builder, starting from the default limits.
    pub fn builder() -> UploaderBuilder {
        UploaderBuilder::new()
    }

    /// How long sending a body of `size_bytes` may take: the fixed limit when one is set,
    /// else [`SEND_TIMEOUT_GRACE`] plus the time the size takes at the slowest speed allowed.
    pub fn send_timeout(&self, size_bytes: u64) -> Duration {
        if let Some(fixed) = self.settings.timeout_send {
            return fixed;
        }
        let rate = self.settings.min_bytes_per_second.max(1);
        let seconds = size_bytes.div_ceil(rate);
        SEND_TIMEOUT_GRACE
            .saturating_add(Duration::from_secs(seconds))
            .min(LONGEST_TIMEOUT)
    }

    /// Uploads the file at `path`, as long as it is when the upload starts.
    ///
    /// `progress` is called as [`Uploader::upload_reader`] says. A file that shrinks or grows
    /// during the upload fails it with [`Error::Input`].
    pub fn upload_file(
        &self,
        url: &UploadUrl,
        path: impl AsRef<Path>,
        progress: impl FnMut(Progress),
    ) -> Result<Uploaded, Error> {
        const WHAT: &str = "upload file";
        let file = File::open(path.as_ref())
            .map_err(|e| InputError::new(WHAT, format!("cannot be opened: {e}")))?;
        let metadata = file
            .metadata()
            .map_err(|e| InputError::new(WHAT, format!("cannot be read: {e}")))?;
        if !metadata.is_file() {
            return Err(InputError::new(WHAT, "is not a regular file").into());
        }
        self.upload_reader(url, file, metadata.len(), progress)
    }

    /// Uploads the `size_bytes` bytes that `reader` yields.
    ///
    /// `progress` is called with 0 bytes sent before connecting, each time another
    /// [`PROGRESS_STEP`] bytes have been handed to the connection, and once with every byte
    /// sent; the values never go down. A reader that yields fewer or more bytes than
    /// `size_bytes` fails with [`Error::Input`], and the store never gets a whole body.
    ///
    /// ```no_run
    /// use rockit_edge::upload::{UploadUrl, Uploader};
    ///
    /// let url = UploadUrl::parse("https://store.example.com/t/5b0f?sig=9f2c41")?;
    /// let tar = std::io::Cursor::new(vec![0_u8; 10_240]);
    /// let uploaded = Uploader::new().upload_reader(&url, tar, 10_240, |_| {})?;
    /// assert!(uploaded.status.is_success());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn upload_reader(
        &self,
        url: &UploadUrl,
        reader: impl Read,
        size_bytes: u64,
        mut progress: impl FnMut(Progress),
    ) -> Result<Uploaded, Error> {
        let started = Instant::now();
        let mut source = Source::new(reader, size_bytes, &mut progress);
        source.report(0);
        if size_bytes == 0 {
            // Nothing of the body is ever read, so the only check on the reader is here.
            source.check_exhausted();
            if let Some(failure) = source.failure.take() {
                return Err(failure.into_error(0, 0));
            }
        }

        let request = self.request(url, size_bytes, &mut source)?;
        let outcome = self.agent.run(request);
        let (sent, taken) = (source.sent, source.taken);
        let failure = source.failure.take();
        drop(source);

        let response = match (outcome, failure) {
            (_, Some(failure)) => return Err(failure.into_error(taken, size_bytes)),
            (Err(e), None) => return Err(self.map_error(e, url, sent, size_bytes).into()),
            (Ok(response), None) => response,
        };
        let elapsed = started.elapsed();

        let (parts, body) = response.into_parts();
        let answer = read_answer(body);
        if !parts.status.is_success() {
            let body = redact_body(answer, url);
            return Err(Error::Api(decode::api_error(
                parts.status,
                &parts.headers,
                &body,
            )));
        }
        Ok(Uploaded {
            status: parts.status,
            size_bytes,
            elapsed,
            headers: parts.headers,
        })
    }

    fn request<'s>(
        &self,
        url: &UploadUrl,
        size_bytes: u64,
        source: &'s mut dyn Read,
    ) -> Result<Request<SendBody<'s>>, Error> {
        let mut request = Request::new(SendBody::from_reader(source));
        *request.method_mut() = Method::PUT;
        *request.uri_mut() = url.uri.clone();
        let headers = request.headers_mut();
        // Set by hand, ureq sends this length and never switches to a chunked body.
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(size_bytes));
        if let Some(content_type) = &self.settings.content_type {
            headers.insert(header::CONTENT_TYPE, content_type.clone());
        }
        if self.settings.expect_continue && size_bytes > 0 {
            headers.insert(header::EXPECT, HeaderValue::from_static("100-continue"));
        }

        let send = self.send_timeout(size_bytes);
        let s = &self.settings;
        let global = [s.timeout_connect, s.timeout_stall, send, s.timeout_response]
            .into_iter()
            .fold(s.timeout_response, Duration::saturating_add)
            .min(LONGEST_TIMEOUT);
        Ok(self
            .agent
            .configure_request(request)
            .timeout_send_body(Some(send))
            .timeout_global(Some(global))
            .build())
    }

    fn map_error(
        &self,
        error: ureq::Error,
        url: &UploadUrl,
        sent: u64,
        total: u64,
    ) -> TransportError {
        use ureq::Error as E;
        use TransportErrorKind as Kind;

        let target = url.target();
        let s = &self.settings;
        let after = format!("after {sent} of {total} bytes");
        let (kind, message, keep_source) = match &error {
            E::Timeout(which) => {
                let message = match which {
                    ureq::Timeout::Connect | ureq::Timeout::Resolve => format!(
                        "connect timeout of {:?} passed before {target} was reached",
                        s.timeout_connect
                    ),
                    ureq::Timeout::PerWrite | ureq::Timeout::SendRequest => format!(
                        "stall timeout of {:?} passed while {target} took no bytes, {after}",
                        s.timeout_stall
                    ),
                    ureq::Timeout::SendBody => format!(
                        "send timeout of {:?} passed {after}",
                        self.send_timeout(total)
                    ),
                    ureq::Timeout::RecvResponse | ureq::Timeout::RecvBody => format!(
                        "response timeout of {:?} passed before {target} answered",
                        s.timeout_response
                    ),
                    other => format!("the {other:?} timeout passed {after}"),
                };
                (Kind::Timeout, message, true)
            }
            E::HostNotFound => (
                Kind::Connect,
                format!("cannot resolve the host of {target}"),
                true,
            ),
            E::ConnectionFailed => (Kind::Connect, format!("cannot connect to {target}"), true),
            E::InvalidProxyUrl | E::ConnectProxyFailed(_) => (
                Kind::Connect,
                format!("the proxy from the environment did not reach {target}"),
                false,
            ),
            E::Io(io) => {
                let (kind, what) = match io.kind() {
                    io::ErrorKind::ConnectionRefused => (Kind::Connect, "refused the connection"),
                    io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => {
                        (Kind::Timeout, "timed out in the operating system")
                    }
                    io::ErrorKind::UnexpectedEof
                    | io::ErrorKind::ConnectionReset
                    | io::ErrorKind::ConnectionAborted
                    | io::ErrorKind::BrokenPipe => (Kind::Protocol, "broke the connection"),
                    _ => (Kind::Io, "failed"),
                };
                (
                    kind,
                    format!("the connection to {target} {what} {after}"),
                    true,
                )
            }
            E::Tls(_) | E::Rustls(_) | E::Pem(_) | E::TlsRequired => (
                Kind::Tls,
                format!("the TLS connection to {target} failed"),
                true,
            ),
            E::Protocol(_) | E::LargeResponseHeader(..) | E::BodyStalled => (
                Kind::Protocol,
                format!("the answer from {target} is not valid HTTP"),
                true,
            ),
            E::BodyExceedsLimit(_) => (
                Kind::Protocol,
                format!("{target} took fewer bytes than announced"),
                true,
            ),
            // These may quote the URL, so the ureq error is not kept as the source.
            _ => (
                Kind::Other,
                format!("the upload to {target} cannot be sent"),
                false,
            ),
        };
        let transport = TransportError::new(kind, message);
        if keep_source {
            transport.with_source(error)
        } else {
            transport
        }
    }
}

impl Default for Uploader {
    fn default() -> Self {
        Uploader::new()
    }
}

impl fmt::Debug for Uploader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Uploader")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// Sets the limits and headers of an [`Uploader`]; each starts at the default listed in the
/// [module documentation](self).
///
/// ```
/// use std::time::Duration;
///
/// use http::HeaderValue;
/// use rockit_edge::upload::Uploader;
///
/// let uploader = Uploader::builder()
///     .timeout_connect(Duration::from_secs(5))
///     .timeout_stall(Duration::from_secs(30))
///     .min_bytes_per_second(1024 * 1024)
///     .timeout_response(Duration::from_secs(300))
///     .content_type(Some(HeaderValue::from_static("application/octet-stream")))
///     .expect_continue(false)
///     .proxy_from_env(false)
///     .build();
/// assert_eq!(uploader.send_timeout(1 << 30), Duration::from_secs(60 + 1024));
/// ```
#[derive(Clone, Debug, Default)]
pub struct UploaderBuilder {
    settings: Settings,
}

impl UploaderBuilder {
    /// A builder with the default limits.
    pub fn new() -> Self {
        UploaderBuilder::default()
    }

    /// How long connecting may take, name resolution and TLS handshake included.
    pub fn timeout_connect(mut self, limit: Duration) -> Self {
        self.settings.timeout_connect = limit.min(LONGEST_TIMEOUT);
        self
    }

    /// How long one write to the connection may wait for the other side to take bytes.
    pub fn timeout_stall(mut self, limit: Duration) -> Self {
        self.settings.timeout_stall = limit.min(LONGEST_TIMEOUT);
        self
    }

    /// A fixed limit for sending the whole body, whatever its size, in place of the one that
    /// grows with the size.
    pub fn timeout_send(mut self, limit: Duration) -> Self {
        self.settings.timeout_send = Some(limit.min(LONGEST_TIMEOUT));
        self
    }

    /// The slowest speed the send limit allows for (at least 1 byte per second), when no
    /// fixed limit is set.
    pub fn min_bytes_per_second(mut self, rate: u64) -> Self {
        self.settings.min_bytes_per_second = rate.max(1);
        self
    }

    /// How long the answer may take once the whole body is sent, and reading its body.
    pub fn timeout_response(mut self, limit: Duration) -> Self {
        self.settings.timeout_response = limit.min(LONGEST_TIMEOUT);
        self
    }

    /// The `Content-Type` to send; `None` sends none.
    pub fn content_type(mut self, content_type: Option<HeaderValue>) -> Self {
        self.settings.content_type = content_type;
        self
    }

    /// Whether to send `Expect: 100-continue` and wait up to a second for the store's
    /// go-ahead before the body.
    pub fn expect_continue(mut self, expect: bool) -> Self {
        self.settings.expect_continue = expect;
        self
    }

    /// Whether to go through the proxy named by the environment (`ALL_PROXY`,
    /// `HTTPS_PROXY`, `HTTP_PROXY`, in upper or lower case, with `NO_PROXY` exceptions), read
    /// once by [`UploaderBuilder::build`].
    pub fn proxy_from_env(mut self, use_it: bool) -> Self {
        self.settings.proxy_from_env = use_it;
        self
    }

    /// The uploader.
    pub fn build(self) -> Uploader {
        let settings = self.settings;
        let agent = ureq_transport::agent(settings.proxy_from_env, |config| {
            config
                .timeout_connect(Some(settings.timeout_connect))
                .timeout_send_request(Some(settings.timeout_stall))
                .timeout_per_write(Some(settings.timeout_stall))
                .timeout_recv_response(Some(settings.timeout_response))
                .timeout_recv_body(Some(settings.timeout_response))
        });
        Uploader { agent, settings }
    }
}

/// Why the source, rather than the connection, failed the upload.
enum SourceFailure {
    /// The reader ended before the announced size.
    Short,
    /// The reader had more than the announced size.
    Long,
    /// Reading failed.
    Read(io::Error),
}

impl SourceFailure {
    /// The error, for a source that yielded `taken` bytes before it failed.
    fn into_error(self, taken: u64, total: u64) -> Error {
        const WHAT: &str = "upload source";
        match self {
            SourceFailure::Short => InputError::new(
                WHAT,
                format!("ended after {taken} of the {total} bytes announced"),
            )
            .into(),
            SourceFailure::Long => {
                InputError::new(WHAT, format!("has more than the {total} bytes announced")).into()
            }
            SourceFailure::Read(e) => TransportError::new(
                TransportErrorKind::Io,
                format!("reading the upload source failed after {taken} of {total} bytes: {e}"),
            )
            .with_source(e)
            .into(),
        }
    }
}

/// The reader ureq sends from: it yields exactly the announced size, reports progress, and
/// turns a source that does not match the announced size into an error before the body is
/// complete.
struct Source<'p, R, P: ?Sized> {
    inner: R,
    total: u64,
    /// Bytes handed to the connection.
    sent: u64,
    /// Bytes read from `inner`, the last piece included while it is held back.
    taken: u64,
    next_report: u64,
    progress: &'p mut P,
    failure: Option<SourceFailure>,
}

impl<'p, R: Read, P: FnMut(Progress) + ?Sized> Source<'p, R, P> {
    fn new(inner: R, total: u64, progress: &'p mut P) -> Self {
        Source {
            inner,
            total,
            sent: 0,
            taken: 0,
            next_report: PROGRESS_STEP,
            progress,
            failure: None,
        }
    }

    fn report(&mut self, sent: u64) {
        (self.progress)(Progress {
            sent,
            total: self.total,
        });
    }

    /// Records a failure when the reader still has a byte.
    fn check_exhausted(&mut self) {
        let mut probe = [0_u8; 1];
        loop {
            match self.inner.read(&mut probe) {
                Ok(0) => return,
                Ok(_) => self.failure = Some(SourceFailure::Long),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => self.failure = Some(SourceFailure::Read(e)),
            }
            return;
        }
    }

    /// One read of the inner reader; a failure is recorded and returned as `None`.
    fn read_some(&mut self, buf: &mut [u8]) -> Option<usize> {
        loop {
            match self.inner.read(buf) {
                Ok(0) => self.failure = Some(SourceFailure::Short),
                Ok(n) => {
                    let n = n.min(buf.len());
                    self.taken += n as u64;
                    return Some(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => self.failure = Some(SourceFailure::Read(e)),
            }
            return None;
        }
    }

    fn fail<T>(&self) -> io::Result<T> {
        // ureq only passes this on; the recorded failure is what the caller sees.
        Err(io::Error::other("the upload source failed"))
    }
}

impl<R: Read, P: FnMut(Progress) + ?Sized> Read for Source<'_, R, P> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.failure.is_some() {
            return self.fail();
        }
        let remaining = self.total - self.sent;
        if remaining == 0 || buf.is_empty() {
            return Ok(0);
        }
        let want = usize::try_from(remaining).map_or(buf.len(), |r| r.min(buf.len()));
        let buf = &mut buf[..want];

        let n = if want as u64 == remaining {
            // The last piece: it is handed over only when it is whole and the reader has
            // nothing after it, so a wrong size never completes the body.
            let mut filled = 0;
            while filled < want {
                match self.read_some(&mut buf[filled..]) {
                    Some(n) => filled += n,
                    None => return self.fail(),
                }
            }
            self.check_exhausted();
            if self.failure.is_some() {
                return self.fail();
            }
            want
        } else {
            match self.read_some(buf) {
                Some(n) => n,
                None => return self.fail(),
            }
        };

        self.sent += n as u64;
        if self.sent == self.total {
            self.report(self.sent);
        } else if self.sent >= self.next_report {
            self.report(self.sent);
            self.next_report = (self.sent / PROGRESS_STEP + 1) * PROGRESS_STEP;
        }
        Ok(n)
    }
}

/// Reads at most [`MAX_ANSWER_BYTES`] of the answer; what cannot be read is left out, since
/// the status has already said how the upload went.
fn read_answer(body: ureq::Body) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut reader = body
        .into_with_config()
        .limit(MAX_ANSWER_BYTES)
        .reader()
        .take(MAX_ANSWER_BYTES);
    let mut chunk = [0_u8; 8 * 1024];
    loop {
        match reader.read(&mut chunk) {
            Ok(0) | Err(_) => return bytes,
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
        }
    }
}

/// The answer body with the URL's query string, and each long enough value in it, raw or
/// percent-decoded, replaced by `[redacted]`: stores quote the refused request in their
/// error bodies, signature included.
fn redact_body(body: Vec<u8>, url: &UploadUrl) -> Vec<u8> {
    // Short values (`3600`, `GET`) are not secrets, and blanking them would blank the rest
    // of the message too.
    const SHORTEST_SECRET: usize = 8;
    let Some(query) = url.uri.query() else {
        return body;
    };
    let mut secrets: Vec<Vec<u8>> = vec![query.as_bytes().to_vec()];
    for pair in query.split('&') {
        let value = pair.split_once('=').map_or(pair, |(_, value)| value);
        secrets.push(value.as_bytes().to_vec());
        let decoded: Vec<u8> = percent_encoding::percent_decode_str(value).collect();
        secrets.push(decoded);
    }
    Forms::of(&secrets, SHORTEST_SECRET)
        .bytes(&body)
        .unwrap_or(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_source(data: &[u8], total: u64, chunk: usize) -> (Vec<u8>, Vec<Progress>, bool) {
        let mut reports = Vec::new();
        let mut report = |p: Progress| reports.push(p);
        let mut source = Source::new(data, total, &mut report);
        let mut out = Vec::new();
        let mut buf = vec![0_u8; chunk];
        let failed = loop {
            match source.read(&mut buf) {
                Ok(0) => break false,
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(_) => break true,
            }
        };
        (out, reports, failed)
    }

    #[test]
    fn a_source_yields_exactly_the_announced_size() {
        let data: Vec<u8> = (0..=255)
            .cycle()
            .take(3 * 1024 * 1024 + 7)
            .map(|b| b as u8)
            .collect();
        let (out, reports, failed) = run_source(&data, data.len() as u64, 100_000);
        assert!(!failed);
        assert_eq!(out, data);
        let sent: Vec<u64> = reports.iter().map(|p| p.sent).collect();
        // Reads of 100 000 bytes pass 1 MiB at the 11th and 2 MiB at the 21st; passing
        // 3 MiB and the end fall in the last read.
        assert_eq!(sent, [1_100_000, 2_100_000, data.len() as u64]);
        assert!(reports.iter().all(|p| p.total == data.len() as u64));
    }

    #[test]
    fn a_long_source_never_hands_over_its_last_piece() {
        let data = vec![7_u8; 1000];
        let (out, _, failed) = run_source(&data, 999, 300);
        assert!(failed);
        assert_eq!(out.len(), 900, "the pieces before the last");
    }

    #[test]
    fn a_short_source_fails_at_its_end() {
        let data = vec![7_u8; 500];
        let (out, reports, failed) = run_source(&data, 999, 300);
        assert!(failed);
        assert_eq!(out.len(), 500);
        assert!(reports.iter().all(|p| p.sent < 999));
    }

    #[test]
    fn answer_bodies_lose_the_query_values() {
        let url = UploadUrl::parse("https://s.example.com/b?X-Sig=abc%2Fdef123456&X-Expires=3600")
            .unwrap();
        let body = b"<Error><Q>X-Sig=abc%2Fdef123456&X-Expires=3600</Q><S>abc/def123456</S>\
                     <E>3600</E></Error>"
            .to_vec();
        let redacted = String::from_utf8(redact_body(body, &url)).unwrap();
        assert_eq!(
            redacted,
            "<Error><Q>[redacted]</Q><S>[redacted]</S><E>3600</E></Error>"
        );
    }

    #[test]
    fn urls_are_checked_without_quoting_them() {
        for (bad, problem) in [
            ("store.example.com/b", "absolute"),
            ("file:///tmp/b.tar", "http or https"),
            ("https://u@store.example.com/b", "user information"),
            ("https://store.example.com/b c", "white space"),
            ("", "absolute"),
            ("https://store.example.com:99999/b?sig=1", "port"),
            ("https://store.example.com:+443/b", "port"),
            ("https://store.example.com:0/b", "port"),
        ] {
            let err = UploadUrl::parse(bad).unwrap_err();
            assert_eq!(err.what(), "upload URL");
            assert!(err.problem().contains(problem), "{bad}: {err}");
        }
        let url = UploadUrl::parse("http://127.0.0.1:8080/upload/t").unwrap();
        assert_eq!(url.redacted(), "http://127.0.0.1:8080/upload/t");
        assert_eq!((url.host(), url.port()), ("127.0.0.1", 8080));
    }

    #[test]
    fn a_short_value_padded_with_spaces_is_no_secret() {
        let url = UploadUrl::parse(
            "https://store.example.com/b/k?note=%20%20%20%20%203600&X-Amz-Signature=abcdef0123456789",
        )
        .unwrap();
        let body = b"<Error><Expires>3600</Expires><Sig>abcdef0123456789</Sig></Error>".to_vec();
        let redacted = String::from_utf8(redact_body(body, &url)).unwrap();
        assert_eq!(
            redacted,
            "<Error><Expires>3600</Expires><Sig>[redacted]</Sig></Error>"
        );
    }

    #[test]
    fn send_limits_grow_with_the_size_and_stay_finite() {
        let uploader = Uploader::new();
        assert_eq!(uploader.send_timeout(0), SEND_TIMEOUT_GRACE);
        assert!(uploader.send_timeout(1 << 30) < uploader.send_timeout(2 << 30));
        assert_eq!(uploader.send_timeout(u64::MAX), LONGEST_TIMEOUT);
    }
}

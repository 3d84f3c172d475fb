//! A blocking [`Transport`] over [ureq](https://docs.rs/ureq) 3, with every wait and every
//! body bounded.
//!
//! [`UreqTransport`] wraps one `ureq::Agent`: clones share its connection pool, and it can
//! be used from many threads at once.
//!
//! ```no_run
//! use std::time::Duration;
//!
//! use rockit_edge::tasks::GetTask;
//! use rockit_edge::ureq_transport::UreqTransport;
//! use rockit_edge::{BaseUrl, Client, Credentials};
//!
//! let transport = UreqTransport::builder()
//!     .timeout_response(Duration::from_secs(10))
//!     .max_body_bytes(4 * 1024 * 1024)
//!     .build();
//! let base = BaseUrl::parse("http://127.0.0.1:8080")?;
//! let credentials = Credentials::backend_token("eyJhbGciOi...")?;
//! let client = Client::new(transport, base, credentials);
//! let task = client.send(&GetTask::new("ExampleOrg-sushi-0003-1739273968-dltar"))?;
//! println!("{} is {}", task.name, task.status.as_str());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Defaults
//!
//! | limit | default | set with |
//! |---|---|---|
//! | connect: TCP connection and TLS handshake | 10 s ([`DEFAULT_TIMEOUT_CONNECT`]) | [`UreqTransportBuilder::timeout_connect`] |
//! | response: from the request sent until the response headers are in | 30 s ([`DEFAULT_TIMEOUT_RESPONSE`]) | [`UreqTransportBuilder::timeout_response`] |
//! | body: from the response headers until the body is in | 120 s ([`DEFAULT_TIMEOUT_BODY`]) | [`UreqTransportBuilder::timeout_body`] |
//! | global: the whole call, redirects and body included | 300 s ([`DEFAULT_TIMEOUT_GLOBAL`]) | [`UreqTransportBuilder::timeout_global`] |
//! | response body size, after decompression | 16 MiB ([`DEFAULT_MAX_BODY_BYTES`]) | [`UreqTransportBuilder::max_body_bytes`] |
//! | redirects followed | 5 ([`DEFAULT_MAX_REDIRECTS`]) | [`UreqTransportBuilder::max_redirects`] |
//! | proxy from `ALL_PROXY`, `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` | used | [`UreqTransportBuilder::proxy_from_env`] |
//! | retries: tries of one call in all | 4 ([`RetryPolicy::max_attempts`]) | [`UreqTransportBuilder::retry`] |
//! | retries: the first wait, doubling for each further one, the upper half random | 200 ms ([`RetryPolicy::base_delay`]) | [`UreqTransportBuilder::retry`] |
//! | retries: the longest single wait | 5 s ([`RetryPolicy::max_delay`]) | [`UreqTransportBuilder::retry`] |
//! | retries: all waits of one call together | 20 s ([`RetryPolicy::max_total_delay`]) | [`UreqTransportBuilder::retry`] |
//! | retries: the longest `Retry-After` waited for | 30 s ([`RetryPolicy::max_retry_after`]) | [`UreqTransportBuilder::retry`] |
//! | retries of `POST` and `PATCH` | off ([`RetryPolicy::retry_non_idempotent`]) | [`UreqTransportBuilder::retry`] |
//!
//! Timeouts longer than a year are cut to a year. The response and body timeouts start again
//! for each redirect; the global one does not, but starts again for each retry. Left at
//! ureq's defaults: response headers of at most 64 KiB, `Accept-Encoding: gzip` with gzip
//! bodies decompressed, TLS by rustls with the webpki root certificates, and up to 10 idle
//! pooled connections (3 per host) kept for 15 s.
//! HTTP status codes of 4xx and 5xx are answers, returned with their bodies, not errors.
//!
//! # Redirects
//!
//! The transport follows redirects itself, because ureq would forward the crate's
//! `x-rockit-*` credential headers to wherever a server points:
//!
//! - 301, 302, 303, 307 and 308 with a `Location` are followed, up to the limit; more is a
//!   [`TransportErrorKind::Redirect`] error. A limit of 0 returns every redirect as an answer,
//!   and so is a redirect without `Location`.
//! - 303 turns every method but `HEAD` into `GET` without a body; 301 and 302 do the same to
//!   every method but `GET` and `HEAD`, as browsers and curl do; 307 and 308 keep the method and
//!   the body.
//! - A redirect to another origin (scheme, host or port) is followed without credentials: every
//!   `x-rockit-*` header, `Authorization`, `Proxy-Authorization` and `Cookie` is removed, and
//!   stays removed for the rest of the call, even if a later redirect comes back.
//! - A redirect from `https` to `http`, to another scheme, or to a URL with user information
//!   is refused with a [`TransportErrorKind::Redirect`] error.
//!
//! # Retries
//!
//! A call that fails in a way that may pass is tried again, as [`RetryPolicy`] decides: a
//! `GET`, `HEAD`, `PUT`, `DELETE`, `OPTIONS` or `TRACE` after a [`TransportErrorKind::Connect`],
//! [`TransportErrorKind::Timeout`], [`TransportErrorKind::Protocol`] or
//! [`TransportErrorKind::Io`] failure, or an answer of 429, 502, 503 or 504. Each try is the
//! whole exchange again, redirects included, with the same request body. Between tries the
//! calling thread sleeps: as long as the answer's `Retry-After` asks (in seconds or as an HTTP
//! date), or else a backoff with random jitter from a source each transport seeds from the
//! standard library's `RandomState`. A `Retry-After` longer than the policy allows, a wait
//! that would take the call's waits past their total, or the last try ends the retries, and
//! the last outcome is returned as it is: an error answer with its status and body, or the
//! transport error.
//!
//! `POST` and `PATCH` are not tried again unless [`RetryPolicy::retry_non_idempotent`] is set,
//! since the server may have acted on a request whose answer was lost.
//!
//! # Errors
//!
//! Each `ureq::Error` becomes a [`TransportError`] whose source is the ureq error and whose
//! message never holds a header value:
//!
//! | kind | when |
//! |---|---|
//! | [`TransportErrorKind::Timeout`] | a limit above passed; the message names it (`connect timeout`, `response timeout`, `body timeout`, `global timeout`) |
//! | [`TransportErrorKind::Connect`] | the host cannot be resolved or reached, or refuses the connection; the proxy fails |
//! | [`TransportErrorKind::Tls`] | the TLS handshake or certificate check fails |
//! | [`TransportErrorKind::Protocol`] | the answer is not valid HTTP, is cut short or reset, or cannot be decompressed |
//! | [`TransportErrorKind::BodyTooLarge`] | the body is larger than the limit, which the message names |
//! | [`TransportErrorKind::Redirect`] | a redirect is refused, or there are too many |
//! | [`TransportErrorKind::Io`] | any other failure to read or write |
//! | [`TransportErrorKind::Other`] | the request cannot be sent as it is, such as a URL without a host |

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

use http::header::{self, HeaderMap, HeaderValue};
use http::uri::Scheme;
use http::{Method, Request, Response, StatusCode, Uri};
use ureq::config::ConfigBuilder;
use ureq::typestate::AgentScope;
use ureq::AsSendBody;

use crate::auth::Credentials;
use crate::base_url::BaseUrl;
use crate::client::Client;
use crate::error::{TransportError, TransportErrorKind};
use crate::retry::{Decision, Outcome, RetryPolicy};
use crate::transport::Transport;

/// How long connecting, TLS handshake included, may take by default: 10 seconds.
pub const DEFAULT_TIMEOUT_CONNECT: Duration = Duration::from_secs(10);
/// How long the response headers may take to arrive by default, once the request is sent:
/// 30 seconds.
pub const DEFAULT_TIMEOUT_RESPONSE: Duration = Duration::from_secs(30);
/// How long reading a response body may take by default: 120 seconds.
pub const DEFAULT_TIMEOUT_BODY: Duration = Duration::from_secs(120);
/// How long a whole call, redirects included, may take by default: 300 seconds.
pub const DEFAULT_TIMEOUT_GLOBAL: Duration = Duration::from_secs(300);
/// The largest response body accepted by default, counted after decompression: 16 MiB.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;
/// How many redirects a call follows by default: 5.
pub const DEFAULT_MAX_REDIRECTS: u32 = 5;

/// ureq adds timeouts to `Instant`s unchecked, so an enormous duration would overflow there.
pub(crate) const LONGEST_TIMEOUT: Duration = Duration::from_secs(365 * 24 * 60 * 60);

/// Reads of the body go through a buffer of this size, so that the body itself grows only as
/// far as the bytes received.
const READ_CHUNK: usize = 16 * 1024;

#[derive(Clone, Debug, PartialEq, Eq)]
struct Settings {
    timeout_connect: Duration,
    timeout_response: Duration,
    timeout_body: Duration,
    timeout_global: Duration,
    max_body_bytes: u64,
    max_redirects: u32,
    proxy_from_env: bool,
    retry: RetryPolicy,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            timeout_connect: DEFAULT_TIMEOUT_CONNECT,
            timeout_response: DEFAULT_TIMEOUT_RESPONSE,
            timeout_body: DEFAULT_TIMEOUT_BODY,
            timeout_global: DEFAULT_TIMEOUT_GLOBAL,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            max_redirects: DEFAULT_MAX_REDIRECTS,
            proxy_from_env: true,
            retry: RetryPolicy::default(),
        }
    }
}

/// A blocking transport over a pooled `ureq::Agent`, with the limits listed in the
/// [module documentation](self).
///
/// Cloning is cheap and the clones share the connection pool.
///
/// ```
/// use rockit_edge::ureq_transport::UreqTransport;
///
/// let transport = UreqTransport::builder().max_redirects(0).build();
/// let shared = transport.clone();
/// # let _ = shared;
/// ```
#[derive(Clone)]
pub struct UreqTransport {
    agent: ureq::Agent,
    settings: Settings,
    jitter: Jitter,
}

impl UreqTransport {
    /// A transport with the default limits.
    pub fn new() -> Self {
        UreqTransportBuilder::new().build()
    }

    /// A builder, starting from the default limits.
    pub fn builder() -> UreqTransportBuilder {
        UreqTransportBuilder::new()
    }

    /// The connect timeout.
    pub fn timeout_connect(&self) -> Duration {
        self.settings.timeout_connect
    }

    /// The response timeout.
    pub fn timeout_response(&self) -> Duration {
        self.settings.timeout_response
    }

    /// The body timeout.
    pub fn timeout_body(&self) -> Duration {
        self.settings.timeout_body
    }

    /// The global timeout.
    pub fn timeout_global(&self) -> Duration {
        self.settings.timeout_global
    }

    /// The largest response body accepted, in bytes after decompression.
    pub fn max_body_bytes(&self) -> u64 {
        self.settings.max_body_bytes
    }

    /// How many redirects a call follows.
    pub fn max_redirects(&self) -> u32 {
        self.settings.max_redirects
    }

    /// When a call is tried again.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.settings.retry
    }
}

impl Default for UreqTransport {
    fn default() -> Self {
        UreqTransport::new()
    }
}

impl fmt::Debug for UreqTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The limits are what tell two transports apart; the agent's `Debug` would add ureq's
        // whole configuration and the state of its pool.
        f.debug_struct("UreqTransport")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// Sets the limits of a [`UreqTransport`]; each starts at the default listed in the
/// [module documentation](self).
///
/// ```
/// use std::time::Duration;
///
/// use rockit_edge::ureq_transport::UreqTransport;
///
/// let transport = UreqTransport::builder()
///     .timeout_connect(Duration::from_secs(3))
///     .timeout_response(Duration::from_secs(5))
///     .timeout_body(Duration::from_secs(60))
///     .timeout_global(Duration::from_secs(90))
///     .max_body_bytes(1024 * 1024)
///     .max_redirects(2)
///     .proxy_from_env(false)
///     .build();
/// assert_eq!(transport.max_body_bytes(), 1024 * 1024);
/// ```
#[derive(Clone, Debug, Default)]
pub struct UreqTransportBuilder {
    settings: Settings,
}

impl UreqTransportBuilder {
    /// A builder with the default limits.
    pub fn new() -> Self {
        UreqTransportBuilder::default()
    }

    /// How long connecting may take, name resolution excluded and TLS handshake included.
    pub fn timeout_connect(mut self, limit: Duration) -> Self {
        self.settings.timeout_connect = limit.min(LONGEST_TIMEOUT);
        self
    }

    /// How long the response headers may take to arrive once the request is sent.
    pub fn timeout_response(mut self, limit: Duration) -> Self {
        self.settings.timeout_response = limit.min(LONGEST_TIMEOUT);
        self
    }

    /// How long reading the response body may take, counted from the end of its headers.
    pub fn timeout_body(mut self, limit: Duration) -> Self {
        self.settings.timeout_body = limit.min(LONGEST_TIMEOUT);
        self
    }

    /// How long a whole call may take: name resolution, every redirect and the body.
    pub fn timeout_global(mut self, limit: Duration) -> Self {
        self.settings.timeout_global = limit.min(LONGEST_TIMEOUT);
        self
    }

    /// The largest response body accepted, in bytes after decompression. A larger one fails
    /// with [`TransportErrorKind::BodyTooLarge`] as soon as the limit is passed.
    pub fn max_body_bytes(mut self, limit: u64) -> Self {
        self.settings.max_body_bytes = limit;
        self
    }

    /// How many redirects a call follows; 0 returns redirects as answers.
    pub fn max_redirects(mut self, limit: u32) -> Self {
        self.settings.max_redirects = limit;
        self
    }

    /// Whether to send requests through the proxy named by the environment (`ALL_PROXY`,
    /// `HTTPS_PROXY`, `HTTP_PROXY`, in upper or lower case, with `NO_PROXY` exceptions), read
    /// once by [`UreqTransportBuilder::build`].
    pub fn proxy_from_env(mut self, use_it: bool) -> Self {
        self.settings.proxy_from_env = use_it;
        self
    }

    /// When to try a call again, and how long to wait first; [`RetryPolicy::never`] turns
    /// retries off. See [Retries](self#retries).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// use rockit_edge::retry::RetryPolicy;
    /// use rockit_edge::ureq_transport::UreqTransport;
    ///
    /// let patient = UreqTransport::builder()
    ///     .retry(RetryPolicy {
    ///         max_attempts: 6,
    ///         max_total_delay: Duration::from_secs(60),
    ///         ..RetryPolicy::default()
    ///     })
    ///     .build();
    /// assert_eq!(patient.retry_policy().max_attempts, 6);
    /// let once = UreqTransport::builder().retry(RetryPolicy::never()).build();
    /// assert_eq!(once.retry_policy().max_attempts, 1);
    /// ```
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.settings.retry = policy;
        self
    }

    /// The transport.
    pub fn build(self) -> UreqTransport {
        let settings = self.settings;
        let agent = agent(settings.proxy_from_env, |config| {
            config
                .timeout_connect(Some(settings.timeout_connect))
                .timeout_recv_response(Some(settings.timeout_response))
                .timeout_recv_body(Some(settings.timeout_body))
                .timeout_global(Some(settings.timeout_global))
        });
        UreqTransport {
            agent,
            settings,
            jitter: Jitter::new(),
        }
    }
}

/// Random numbers for the jitter of retry waits: SplitMix64 over a seed hashed with a
/// `RandomState`, whose keys the standard library draws at random. Clones share the sequence,
/// so that clones sharing a pool do not wait in step.
#[derive(Clone, Debug)]
struct Jitter(Arc<AtomicU64>);

impl Jitter {
    const STEP: u64 = 0x9e37_79b9_7f4a_7c15;

    fn new() -> Self {
        let seed = RandomState::new().build_hasher().finish();
        Jitter(Arc::new(AtomicU64::new(seed)))
    }

    fn next(&self) -> u64 {
        let mut z = self
            .0
            .fetch_add(Self::STEP, Ordering::Relaxed)
            .wrapping_add(Self::STEP);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// A ureq agent as this crate's transport and uploader use it: HTTP error statuses are answers,
/// redirects are followed by the caller (never by ureq), the environment's proxy is used only
/// when asked for, and IP literals are resolved on the spot. `limits` sets the timeouts.
pub(crate) fn agent(
    proxy_from_env: bool,
    limits: impl FnOnce(ConfigBuilder<AgentScope>) -> ConfigBuilder<AgentScope>,
) -> ureq::Agent {
    let proxy = if proxy_from_env {
        ureq::Proxy::try_from_env()
    } else {
        None
    };
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .proxy(proxy);
    let config = limits(config).build();
    ureq::Agent::with_parts(config, DefaultConnector::default(), LiteralFirst::default())
}

/// Resolves IP literals on the spot and leaves host names to ureq's resolver.
///
/// With a timeout in force ureq starts a thread for every lookup, even of an address such as
/// `127.0.0.1` that needs none; on a fast network that thread costs more than the request.
#[derive(Debug, Default)]
struct LiteralFirst(DefaultResolver);

impl Resolver for LiteralFirst {
    fn resolve(
        &self,
        uri: &Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let literal = uri.host().and_then(|host| {
            let host = host.trim_start_matches('[').trim_end_matches(']');
            let port = uri.port_u16().or(match uri.scheme_str() {
                Some("http") => Some(80),
                Some("https") => Some(443),
                _ => None,
            })?;
            Some(std::net::SocketAddr::new(host.parse().ok()?, port))
        });
        match literal {
            Some(address) => {
                let mut addresses = self.empty();
                addresses.push(address);
                Ok(addresses)
            }
            None => self.0.resolve(uri, config, timeout),
        }
    }
}

/// A [`Client`] over a [`UreqTransport`] with the default limits.
///
/// ```no_run
/// use rockit_edge::tasks::ListTasks;
/// use rockit_edge::{BaseUrl, Credentials};
///
/// let client = rockit_edge::ureq_transport::client(
///     BaseUrl::parse("http://127.0.0.1:8080")?,
///     Credentials::api_key("ExampleOrg", "adminPrincipal", "k-123")?,
/// );
/// let page = client.send(&ListTasks::new().limit(20))?;
/// # let _ = page;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn client(base: BaseUrl, credentials: Credentials) -> Client<UreqTransport> {
    Client::new(UreqTransport::new(), base, credentials)
}

impl Transport for UreqTransport {
    fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
        let (parts, body) = request.into_parts();
        let first = Hop {
            method: parts.method,
            uri: parts.uri,
            headers: parts.headers,
            body,
        };
        let policy = &self.settings.retry;
        let mut attempt = 1;
        let mut waited = Duration::ZERO;

        loop {
            let result = self.exchange(first.clone());

            let outcome = match &result {
                Ok(response) => Outcome::Response {
                    status: response.status(),
                    headers: response.headers(),
                },
                Err(e) => Outcome::Failed(e.kind()),
            };
            let decision = policy.decide(
                &first.method,
                attempt,
                waited,
                outcome,
                SystemTime::now(),
                self.jitter.next(),
            );
            match decision {
                Decision::Stop => return result,
                Decision::RetryAfter(wait) => {
                    std::thread::sleep(wait);
                    waited = waited.saturating_add(wait);
                    attempt += 1;
                }
            }
        }
    }
}

impl UreqTransport {
    /// One try: the request, the redirects it leads to and the body of the last answer.
    fn exchange(&self, mut hop: Hop) -> Result<Response<Vec<u8>>, TransportError> {
        let deadline = Instant::now().checked_add(self.settings.timeout_global);
        let origin = Origin::of(&hop.uri).ok_or_else(|| {
            TransportError::new(
                TransportErrorKind::Other,
                "the request URL needs an http or https scheme and a host",
            )
        })?;
        let mut followed = 0;

        loop {
            let remaining = match deadline {
                Some(deadline) => deadline.saturating_duration_since(Instant::now()),
                None => LONGEST_TIMEOUT,
            };
            if remaining.is_zero() {
                return Err(TransportError::new(
                    TransportErrorKind::Timeout,
                    global_timeout_message(&self.settings),
                ));
            }
            // The agent's own global timeout covers the first hop; later hops get what is left.
            let limit = (followed > 0).then_some(remaining);
            let response = self
                .run(&hop, limit)
                .map_err(|e| self.map_error(e, Stage::Headers, &hop.uri))?;

            let status = response.status();
            let location = match response.headers().get(header::LOCATION) {
                Some(location) if is_followed(status) && self.settings.max_redirects > 0 => {
                    location.clone()
                }
                _ => return self.read(response, &hop.uri),
            };
            if followed == self.settings.max_redirects {
                return Err(TransportError::new(
                    TransportErrorKind::Redirect,
                    format!(
                        "gave up after {followed} redirects, the most allowed; the last was HTTP {}",
                        status.as_u16()
                    ),
                ));
            }
            followed += 1;
            // Following never needs the redirect's body; the connection is closed rather than
            // waiting for a body nobody reads.
            drop(response);

            hop.redirect(status, &location, &origin)?;
        }
    }

    fn run(
        &self,
        hop: &Hop,
        remaining: Option<Duration>,
    ) -> Result<Response<ureq::Body>, ureq::Error> {
        // An empty body is only sent, as `Content-Length: 0`, with the methods that expect one;
        // a `GET` with a body header can confuse servers and proxies.
        let expects_body = matches!(hop.method, Method::POST | Method::PUT | Method::PATCH);
        if hop.body.is_empty() && !expects_body {
            self.run_with(hop, (), remaining)
        } else {
            self.run_with(hop, hop.body.as_slice(), remaining)
        }
    }

    fn run_with(
        &self,
        hop: &Hop,
        body: impl AsSendBody,
        remaining: Option<Duration>,
    ) -> Result<Response<ureq::Body>, ureq::Error> {
        let mut request = Request::new(body);
        *request.method_mut() = hop.method.clone();
        *request.uri_mut() = hop.uri.clone();
        *request.headers_mut() = hop.headers.clone();
        match remaining {
            // Configuring one request copies the agent's whole configuration; skip it when the
            // agent's own settings are the ones wanted.
            None => self.agent.run(request),
            Some(remaining) => {
                let request = self
                    .agent
                    .configure_request(request)
                    .timeout_global(Some(remaining))
                    .build();
                self.agent.run(request)
            }
        }
    }

    fn read(
        &self,
        response: Response<ureq::Body>,
        uri: &Uri,
    ) -> Result<Response<Vec<u8>>, TransportError> {
        let (parts, body) = response.into_parts();
        let bytes = read_limited(body, self.settings.max_body_bytes)
            .map_err(|e| self.map_error(e, Stage::Body, uri))?;
        Ok(Response::from_parts(parts, bytes))
    }

    fn map_error(&self, error: ureq::Error, stage: Stage, uri: &Uri) -> TransportError {
        use ureq::Error as E;
        use TransportErrorKind as Kind;

        let target = Target(uri);
        let (kind, message) = match &error {
            E::Timeout(which) => (Kind::Timeout, self.timeout_message(*which)),
            E::Io(io) => io_error(io, stage, target),
            E::HostNotFound => (
                Kind::Connect,
                format!("cannot resolve the host of {target}"),
            ),
            E::ConnectionFailed => (Kind::Connect, format!("cannot connect to {target}")),
            E::InvalidProxyUrl => (
                Kind::Connect,
                "the proxy URL taken from the environment is invalid".to_owned(),
            ),
            E::ConnectProxyFailed(_) => (
                Kind::Connect,
                format!("the proxy did not open a tunnel to {target}"),
            ),
            E::Tls(problem) => (
                Kind::Tls,
                format!("the TLS connection to {target} failed: {problem}"),
            ),
            E::Rustls(problem) => (
                Kind::Tls,
                format!("the TLS connection to {target} failed: {problem}"),
            ),
            E::Pem(_) => (
                Kind::Tls,
                "a PEM certificate or key cannot be read".to_owned(),
            ),
            E::TlsRequired => (
                Kind::Tls,
                format!("the connection to {target} is not secured by TLS"),
            ),
            E::Protocol(problem) => (
                Kind::Protocol,
                format!("the answer from {target} is not valid HTTP: {problem}"),
            ),
            E::LargeResponseHeader(_, limit) => (
                Kind::Protocol,
                format!("the response headers from {target} are larger than {limit} bytes"),
            ),
            E::Decompress(algorithm, _) => (
                Kind::Protocol,
                format!("the {algorithm} response body from {target} cannot be decompressed"),
            ),
            E::BodyStalled => (
                Kind::Protocol,
                format!("the response body from {target} stopped making progress"),
            ),
            E::BodyExceedsLimit(limit) => (
                Kind::BodyTooLarge,
                format!(
                    "the response body from {target} is larger than the limit of {limit} bytes"
                ),
            ),
            E::TooManyRedirects | E::RedirectFailed => (
                Kind::Redirect,
                format!("a redirect from {target} was not followed"),
            ),
            E::BadUri(_) | E::Http(_) | E::RequireHttpsOnly(_) => (
                Kind::Other,
                format!("the request to {target} cannot be sent: {error}"),
            ),
            _ => (
                Kind::Other,
                format!("the request to {target} failed: {error}"),
            ),
        };
        TransportError::new(kind, message).with_source(error)
    }

    fn timeout_message(&self, which: ureq::Timeout) -> String {
        let s = &self.settings;
        match which {
            ureq::Timeout::Connect => format!(
                "connect timeout of {:?} passed before the connection was established",
                s.timeout_connect
            ),
            ureq::Timeout::RecvResponse => format!(
                "response timeout of {:?} passed before the response headers arrived",
                s.timeout_response
            ),
            ureq::Timeout::RecvBody => format!(
                "body timeout of {:?} passed before the response body was complete",
                s.timeout_body
            ),
            ureq::Timeout::Global => global_timeout_message(s),
            other => format!("ureq's {other:?} timeout passed"),
        }
    }
}

fn global_timeout_message(settings: &Settings) -> String {
    format!(
        "global timeout of {:?} passed before the answer was complete",
        settings.timeout_global
    )
}

/// Reads at most `limit` bytes of decoded body. ureq's limit counts bytes after
/// decompression and fails on the first byte past it, and the buffer never grows beyond what
/// was received, so memory stays within the limit whatever the server announces or sends.
fn read_limited(body: ureq::Body, limit: u64) -> Result<Vec<u8>, ureq::Error> {
    let ceiling = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut reader = body.into_with_config().limit(limit).reader();
    let mut bytes = Vec::new();
    let mut chunk = [0_u8; READ_CHUNK];
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => return Ok(bytes),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(ureq::Error::from(e)),
        };
        let needed = bytes.len() + n;
        if needed > bytes.capacity() {
            // Doubling as `Vec` does, but never past the limit, which the reader enforces.
            let target = bytes
                .capacity()
                .saturating_mul(2)
                .clamp(needed, ceiling.max(needed));
            bytes.reserve_exact(target - bytes.len());
        }
        bytes.extend_from_slice(&chunk[..n]);
    }
}

/// Where in the exchange an error happened, for its message.
#[derive(Clone, Copy)]
enum Stage {
    Headers,
    Body,
}

impl Stage {
    fn incomplete(self) -> &'static str {
        match self {
            Stage::Headers => "the response headers were complete",
            Stage::Body => "the response body was complete",
        }
    }
}

fn io_error(error: &io::Error, stage: Stage, target: Target<'_>) -> (TransportErrorKind, String) {
    use io::ErrorKind as Io;
    use TransportErrorKind as Kind;

    let before = stage.incomplete();
    match error.kind() {
        Io::ConnectionRefused => (Kind::Connect, format!("{target} refused the connection")),
        Io::AddrNotAvailable | Io::HostUnreachable | Io::NetworkUnreachable => {
            (Kind::Connect, format!("cannot reach {target}"))
        }
        Io::TimedOut | Io::WouldBlock => (
            Kind::Timeout,
            format!("the operating system timed out the connection to {target} before {before}"),
        ),
        Io::UnexpectedEof => (
            Kind::Protocol,
            format!("{target} closed the connection before {before}"),
        ),
        Io::ConnectionReset | Io::ConnectionAborted | Io::BrokenPipe => (
            Kind::Protocol,
            format!("the connection to {target} broke before {before}"),
        ),
        Io::InvalidData => (
            Kind::Protocol,
            format!("{target} sent invalid data before {before}"),
        ),
        _ => (
            Kind::Io,
            format!("reading from or writing to {target} failed before {before}: {error}"),
        ),
    }
}

/// `host:port` of a URL, for messages; the rest of the URL is left out.
#[derive(Clone, Copy)]
struct Target<'a>(&'a Uri);

impl fmt::Display for Target<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.host() {
            Some(host) => write!(f, "{host}:{}", effective_port(self.0)),
            None => f.write_str("the server"),
        }
    }
}

fn effective_port(uri: &Uri) -> u16 {
    uri.port_u16().unwrap_or(match uri.scheme() {
        Some(scheme) if *scheme == Scheme::HTTPS => 443,
        _ => 80,
    })
}

fn is_followed(status: StatusCode) -> bool {
    matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308)
}

/// One request of a call; a redirect turns it into the next.
#[derive(Clone)]
struct Hop {
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Hop {
    fn redirect(
        &mut self,
        status: StatusCode,
        location: &HeaderValue,
        origin: &Origin,
    ) -> Result<(), TransportError> {
        let next = resolve_location(&self.uri, location)?;
        if self.uri.scheme() == Some(&Scheme::HTTPS) && next.scheme() == Some(&Scheme::HTTP) {
            return Err(TransportError::new(
                TransportErrorKind::Redirect,
                format!(
                    "refused the HTTP {} redirect from https to http",
                    status.as_u16()
                ),
            ));
        }

        let to_get = match status.as_u16() {
            303 => self.method != Method::HEAD,
            301 | 302 => !matches!(self.method, Method::GET | Method::HEAD),
            _ => false,
        };
        if to_get {
            self.method = Method::GET;
            self.body = Vec::new();
            for name in [
                header::CONTENT_TYPE,
                header::CONTENT_LENGTH,
                header::CONTENT_ENCODING,
                header::TRANSFER_ENCODING,
            ] {
                self.headers.remove(name);
            }
        }

        if Origin::of(&next).as_ref() != Some(origin) {
            strip_credentials(&mut self.headers);
        }
        // A `Host` set by the caller names the old server; ureq derives it from the URL.
        self.headers.remove(header::HOST);
        self.uri = next;
        Ok(())
    }
}

/// Removes every header that can carry credentials or identify the caller.
fn strip_credentials(headers: &mut HeaderMap) {
    let rockit: Vec<_> = headers
        .keys()
        .filter(|name| name.as_str().starts_with("x-rockit-"))
        .cloned()
        .collect();
    for name in rockit {
        headers.remove(name);
    }
    for name in [
        header::AUTHORIZATION,
        header::PROXY_AUTHORIZATION,
        header::COOKIE,
    ] {
        headers.remove(name);
    }
}

/// Scheme, host and port: what must match for credentials to be sent.
#[derive(Debug, PartialEq, Eq)]
struct Origin {
    https: bool,
    host: String,
    port: u16,
}

impl Origin {
    fn of(uri: &Uri) -> Option<Origin> {
        let https = match uri.scheme() {
            Some(scheme) if *scheme == Scheme::HTTPS => true,
            Some(scheme) if *scheme == Scheme::HTTP => false,
            _ => return None,
        };
        let host = uri.host().filter(|host| !host.is_empty())?;
        Some(Origin {
            https,
            host: host.to_ascii_lowercase(),
            port: effective_port(uri),
        })
    }
}

fn redirect_error(problem: impl Into<String>) -> TransportError {
    TransportError::new(TransportErrorKind::Redirect, problem)
}

/// The URL a `Location` points to, resolved against the URL that answered it as RFC 3986
/// section 5.2 does. Only `http` and `https` URLs without user information are accepted.
fn resolve_location(base: &Uri, location: &HeaderValue) -> Result<Uri, TransportError> {
    let location = location
        .to_str()
        .map_err(|_| redirect_error("the redirect location is not ASCII text"))?;
    let location = location.split('#').next().unwrap_or_default();
    let base_scheme = base.scheme_str().unwrap_or("http");
    let base_authority = base.authority().map(|a| a.as_str()).unwrap_or_default();
    let base_path = match base.path() {
        "" => "/",
        path => path,
    };

    let resolved = if let Some(rest) = location.strip_prefix("//") {
        let (authority, path_and_query) = split_authority(rest);
        join(base_scheme, authority, path_and_query)
    } else if let Some((scheme, rest)) = split_scheme(location) {
        let rest = rest.strip_prefix("//").ok_or_else(|| {
            redirect_error("the redirect location is an absolute URL without a host")
        })?;
        let (authority, path_and_query) = split_authority(rest);
        join(scheme, authority, path_and_query)
    } else if location.is_empty() {
        match base.query() {
            Some(query) => format!("{base_scheme}://{base_authority}{base_path}?{query}"),
            None => format!("{base_scheme}://{base_authority}{base_path}"),
        }
    } else if location.starts_with('?') {
        format!("{base_scheme}://{base_authority}{base_path}{location}")
    } else if location.starts_with('/') {
        join(base_scheme, base_authority, location)
    } else {
        let directory = &base_path[..base_path.rfind('/').map_or(0, |i| i + 1)];
        let merged = format!("{directory}{location}");
        join(base_scheme, base_authority, &merged)
    };

    let uri: Uri = resolved
        .parse()
        .map_err(|_| redirect_error("the redirect location is not a valid URL"))?;
    match uri.scheme() {
        Some(scheme) if *scheme == Scheme::HTTP || *scheme == Scheme::HTTPS => {}
        _ => {
            return Err(redirect_error(
                "refused a redirect to a scheme other than http or https",
            ))
        }
    }
    match uri.authority() {
        Some(authority) if authority.as_str().contains('@') => Err(redirect_error(
            "refused a redirect to a URL with user information",
        )),
        Some(authority) if !authority.host().is_empty() => Ok(uri),
        _ => Err(redirect_error("the redirect location has no host")),
    }
}

/// `scheme://authority` followed by the path, dot segments removed, and the query.
fn join(scheme: &str, authority: &str, path_and_query: &str) -> String {
    let (path, query) = match path_and_query.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (path_and_query, None),
    };
    let path = if path.is_empty() {
        "/".to_owned()
    } else {
        remove_dot_segments(path)
    };
    match query {
        Some(query) => format!("{scheme}://{authority}{path}?{query}"),
        None => format!("{scheme}://{authority}{path}"),
    }
}

/// Splits `scheme:rest` when the text starts with a scheme as RFC 3986 defines it.
fn split_scheme(text: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = text.split_once(':')?;
    let mut chars = scheme.chars();
    let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let valid = starts_with_letter
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some((scheme, rest))
}

/// Splits `authority/path?query` after the `//`.
fn split_authority(text: &str) -> (&str, &str) {
    let end = text.find(['/', '?']).unwrap_or(text.len());
    text.split_at(end)
}

/// RFC 3986 section 5.2.4, for a path that starts with `/`.
fn remove_dot_segments(path: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    let mut segments = path.strip_prefix('/').unwrap_or(path).split('/').peekable();
    while let Some(segment) = segments.next() {
        let last = segments.peek().is_none();
        match segment {
            "." => {}
            ".." => {
                kept.pop();
            }
            other => {
                kept.push(other);
                continue;
            }
        }
        // `a/.` and `a/..` name a directory, so the path keeps its trailing slash.
        if last {
            kept.push("");
        }
    }
    format!("/{}", kept.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(base: &str, location: &str) -> Result<String, TransportError> {
        let base: Uri = base.parse().unwrap();
        resolve_location(&base, &HeaderValue::from_str(location).unwrap()).map(|u| u.to_string())
    }

    #[test]
    fn resolves_locations_as_rfc_3986_does() {
        let base = "http://a/b/c/d;p?q";
        for (location, expected) in [
            ("g", "http://a/b/c/g"),
            ("./g", "http://a/b/c/g"),
            ("g/", "http://a/b/c/g/"),
            ("/g", "http://a/g"),
            ("//g", "http://g/"),
            ("?y", "http://a/b/c/d;p?y"),
            ("g?y", "http://a/b/c/g?y"),
            ("#s", "http://a/b/c/d;p?q"),
            ("g#s", "http://a/b/c/g"),
            (";x", "http://a/b/c/;x"),
            ("", "http://a/b/c/d;p?q"),
            (".", "http://a/b/c/"),
            ("./", "http://a/b/c/"),
            ("..", "http://a/b/"),
            ("../g", "http://a/b/g"),
            ("../..", "http://a/"),
            ("../../g", "http://a/g"),
            ("../../../g", "http://a/g"),
            ("/./g", "http://a/g"),
            ("/../g", "http://a/g"),
            ("g.", "http://a/b/c/g."),
            ("..g", "http://a/b/c/..g"),
            ("./../g", "http://a/b/g"),
            ("g;x=1/../y", "http://a/b/c/y"),
            ("https://B:8443/x/../y?z", "https://B:8443/y?z"),
            ("http://a:81", "http://a:81/"),
        ] {
            assert_eq!(resolve(base, location).unwrap(), expected, "{location}");
        }
    }

    #[test]
    fn refuses_locations_it_cannot_follow_safely() {
        for location in [
            "ftp://a/file",
            "javascript:alert(1)",
            "http://user:pass@a/",
            "http:///nohost",
            "http:no-slashes",
            "http://a/with space",
        ] {
            let err = resolve("http://a/b", location).unwrap_err();
            assert_eq!(err.kind(), TransportErrorKind::Redirect, "{location}");
            assert!(!err.message().contains("pass"), "{err}");
        }
    }

    #[test]
    fn a_downgrade_from_https_is_refused() {
        let mut hop = Hop {
            method: Method::GET,
            uri: "https://a/x".parse().unwrap(),
            headers: HeaderMap::new(),
            body: Vec::new(),
        };
        let origin = Origin::of(&hop.uri).unwrap();
        let err = hop
            .redirect(
                StatusCode::FOUND,
                &HeaderValue::from_static("http://a/y"),
                &origin,
            )
            .unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Redirect);
        assert!(err.message().contains("https to http"), "{err}");
        assert_eq!(hop.uri, "https://a/x");

        hop.redirect(
            StatusCode::FOUND,
            &HeaderValue::from_static("https://a:443/y"),
            &origin,
        )
        .unwrap();
        assert_eq!(hop.uri, "https://a:443/y");
    }

    #[test]
    fn credentials_stay_with_their_origin() {
        let mut headers = HeaderMap::new();
        headers.insert("x-rockit-beauth-token", HeaderValue::from_static("t0k"));
        headers.insert("x-rockit-api-key", HeaderValue::from_static("k3y"));
        headers.insert("authorization", HeaderValue::from_static("Bearer b"));
        headers.insert("cookie", HeaderValue::from_static("c=1"));
        headers.insert("accept", HeaderValue::from_static("application/json"));
        let mut hop = Hop {
            method: Method::GET,
            uri: "http://a/x".parse().unwrap(),
            headers,
            body: Vec::new(),
        };
        let origin = Origin::of(&hop.uri).unwrap();

        hop.redirect(
            StatusCode::FOUND,
            &HeaderValue::from_static("HTTP://A:80/y"),
            &origin,
        )
        .unwrap();
        assert_eq!(hop.headers.len(), 5);

        hop.redirect(
            StatusCode::FOUND,
            &HeaderValue::from_static("http://a:81/y"),
            &origin,
        )
        .unwrap();
        assert_eq!(hop.headers.len(), 1);
        assert!(hop.headers.contains_key("accept"));
    }

    #[test]
    fn methods_change_as_browsers_do() {
        for (status, method, expected) in [
            (301, Method::POST, Method::GET),
            (302, Method::DELETE, Method::GET),
            (302, Method::HEAD, Method::HEAD),
            (303, Method::PUT, Method::GET),
            (303, Method::HEAD, Method::HEAD),
            (307, Method::POST, Method::POST),
            (308, Method::PUT, Method::PUT),
        ] {
            let mut headers = HeaderMap::new();
            headers.insert("content-type", HeaderValue::from_static("application/json"));
            let mut hop = Hop {
                method: method.clone(),
                uri: "http://a/x".parse().unwrap(),
                headers,
                body: b"{}".to_vec(),
            };
            let origin = Origin::of(&hop.uri).unwrap();
            let status = StatusCode::from_u16(status).unwrap();
            hop.redirect(status, &HeaderValue::from_static("/y"), &origin)
                .unwrap();
            assert_eq!(hop.method, expected, "{status} {method}");
            let kept = expected == method;
            assert_eq!(hop.body.is_empty(), !kept, "{status} {method}");
            assert_eq!(hop.headers.contains_key("content-type"), kept);
        }
    }

    #[test]
    fn huge_timeouts_are_cut_to_a_year() {
        let transport = UreqTransport::builder()
            .timeout_global(Duration::MAX)
            .build();
        assert_eq!(transport.timeout_global(), LONGEST_TIMEOUT);
    }

    #[test]
    fn jitter_differs_between_transports_and_clones_share_a_sequence() {
        let a = Jitter::new();
        let b = Jitter::new();
        let shared = a.clone();
        let from_a: Vec<u64> = (0..64).map(|_| a.next()).collect();
        let from_shared: Vec<u64> = (0..64).map(|_| shared.next()).collect();
        let from_b: Vec<u64> = (0..64).map(|_| b.next()).collect();

        let mut all: Vec<u64> = [&from_a[..], &from_shared, &from_b].concat();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), 3 * 64);
        let policy = RetryPolicy::default();
        let waits: std::collections::HashSet<Duration> =
            from_a.iter().map(|&r| policy.backoff(3, r)).collect();
        assert!(waits.len() > 32, "{}", waits.len());
    }

    #[test]
    fn debug_shows_the_limits() {
        let text = format!("{:?}", UreqTransport::new());
        assert!(text.contains("max_body_bytes: 16777216"), "{text}");
    }
}

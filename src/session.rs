//! Keeping a login alive: short-lived tokens renewed before they run out, and once more when
//! the server says one has expired.
//!
//! A login hands out two tokens: a long-lived one that serves only to get short-lived ones,
//! and a short-lived one that the backend endpoints take. The older flow pairs a session
//! token (24 h) with auth tokens (5 min), renewed with
//!
//! - `POST /be/v1/auth` ([`Authenticate`], sent with the session token);
//!
//! the newer flow pairs a refresh token (24 h) with access tokens (15 min), renewed with
//!
//! - `POST /be/v1/refresh` ([`Refresh`], sent with the refresh token), which hands out a new
//!   refresh token as well: the old one is not used again;
//! - `POST /be/v1/logout` ([`Logout`]) ends such a session.
//!
//! A token's lifetime is the one its answer gives (`expiresIn`, `refreshExpiresIn`), else the
//! documented default of [`crate::login`]. Its expiry is the time the caller passes along with
//! the answer plus that lifetime; pass the time the request was sent, so that the time the
//! answer took to arrive counts against the token rather than in its favour.
//!
//! [`TokenSession`] is the sans-IO core: it holds the tokens and their expiry times, reads no
//! clock (every question takes `now`), says when to renew and with which request, takes the
//! answer, and decides what a request that failed should do next. [`SessionClient`] drives it
//! over a [`Transport`], taking the time from a [`Clock`].
//!
//! - **When to renew:** once less than [`RefreshMargin`] is left of the short-lived token:
//!   by default 10 % of its lifetime, at least 30 s, at most half the lifetime (so that even
//!   a very short-lived token is used for half its life rather than renewed on every call).
//! - **When the server says `401 token-expired` anyway** (its clock, or a revocation, may
//!   differ from ours): renew once and send the request once more. If the answer is the
//!   same, it is returned; a request is never sent a third time.
//! - **When a session ends:** the long-lived token has expired by the caller's clock, the
//!   server answered the renewal with `401`, or the session was logged out. From then on
//!   every call fails with [`Error::LoginRequired`] and nothing is sent until the caller logs
//!   in again.
//!
//! API keys and fixed tokens need none of this: a plain [`Client`](crate::Client) sends them
//! as they are.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use http::{Method, Request, Response, StatusCode};

use crate::auth::{Auth, Credentials};
use crate::base_url::BaseUrl;
use crate::endpoint::{Endpoint, Query};
use crate::error::{ApiError, Error, ErrorCode, InputError};
use crate::login::{
    AuthToken, Authenticate, Login, LoginToOrg, LoginWithPassword, Logout, OrgSelection, Refresh,
    Session, TokenPair,
};
use crate::pager::{Paged, Pager};
use crate::redact;
use crate::secret::Secret;
use crate::transport::Transport;

/// Where the current time comes from. [`TokenSession`] takes the time as an argument; a
/// [`SessionClient`] asks its clock.
///
/// Any `Fn() -> SystemTime` is a clock:
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use rockit_edge::session::Clock;
///
/// let fixed = || SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
/// assert_eq!(fixed.now(), SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000));
/// ```
pub trait Clock {
    /// The current time.
    fn now(&self) -> SystemTime;
}

impl<F: Fn() -> SystemTime> Clock for F {
    fn now(&self) -> SystemTime {
        self()
    }
}

/// The system's clock, [`SystemTime::now`]: the default of a [`SessionClient`].
///
/// ```
/// use rockit_edge::session::{Clock, SystemClock};
///
/// assert!(SystemClock.now() > std::time::SystemTime::UNIX_EPOCH);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock that stands still until it is told to move, for tests. Clones share one time.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use rockit_edge::session::{Clock, ManualClock};
///
/// let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
/// let clock = ManualClock::new(start);
/// let shared = clock.clone();
/// clock.advance(Duration::from_secs(90));
/// assert_eq!(shared.now(), start + Duration::from_secs(90));
/// shared.set(start);
/// assert_eq!(clock.now(), start);
/// ```
#[derive(Clone, Debug)]
pub struct ManualClock {
    now: Arc<Mutex<SystemTime>>,
}

impl ManualClock {
    /// A clock that shows `start`.
    pub fn new(start: SystemTime) -> Self {
        ManualClock {
            now: Arc::new(Mutex::new(start)),
        }
    }

    /// Moves the clock forward by `by`. A step past the largest time the platform can hold
    /// leaves the clock where it was.
    pub fn advance(&self, by: Duration) {
        let mut now = self.lock();
        if let Some(later) = now.checked_add(by) {
            *now = later;
        }
    }

    /// Sets the clock to `time`, earlier ones included: clocks do go backwards.
    pub fn set(&self, time: SystemTime) {
        *self.lock() = time;
    }

    fn lock(&self) -> MutexGuard<'_, SystemTime> {
        // A time is written in one step, so a poisoned lock still holds a whole one.
        self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        *self.lock()
    }
}

/// How early before its expiry a short-lived token is renewed:
/// `percent` % of its lifetime, at least `minimum`, at most half the lifetime.
///
/// ```
/// use std::time::Duration;
/// use rockit_edge::session::RefreshMargin;
///
/// let margin = RefreshMargin::default();
/// // An auth token (5 min) is renewed 30 s early, an access token (15 min) 90 s early.
/// assert_eq!(margin.for_lifetime(Duration::from_secs(300)), Duration::from_secs(30));
/// assert_eq!(margin.for_lifetime(Duration::from_secs(900)), Duration::from_secs(90));
/// // A 40 s token is used for 20 s, not 10 s.
/// assert_eq!(margin.for_lifetime(Duration::from_secs(40)), Duration::from_secs(20));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RefreshMargin {
    /// The least time to leave (default 30 s).
    pub minimum: Duration,
    /// The share of the lifetime to leave, in percent (default 10).
    pub percent: u32,
}

impl Default for RefreshMargin {
    fn default() -> Self {
        RefreshMargin {
            minimum: Duration::from_secs(30),
            percent: 10,
        }
    }
}

impl RefreshMargin {
    /// No margin: a token is renewed only once it has expired.
    pub fn none() -> Self {
        RefreshMargin {
            minimum: Duration::ZERO,
            percent: 0,
        }
    }

    /// The margin for a token that lives `lifetime`.
    pub fn for_lifetime(&self, lifetime: Duration) -> Duration {
        let share = (lifetime / 100).saturating_mul(self.percent);
        share.max(self.minimum).min(lifetime / 2)
    }
}

/// Which login flow a [`TokenSession`] comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Flow {
    /// The older flow: a session token renews auth tokens with [`Authenticate`].
    Old,
    /// The newer flow: a refresh token renews access tokens, and itself, with [`Refresh`].
    New,
}

impl Flow {
    fn long_lived(self) -> &'static str {
        match self {
            Flow::Old => "backend session token",
            Flow::New => "refresh token",
        }
    }
}

/// Why a session cannot go on without logging in again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LoginRequiredReason {
    /// Nobody has logged in yet.
    NotLoggedIn,
    /// The long-lived token has expired by the caller's clock.
    Expired,
    /// The server refused to renew the tokens (`401`): the long-lived token expired early,
    /// was rotated elsewhere, or was revoked.
    Refused,
    /// The session was logged out.
    LoggedOut,
}

/// The session's tokens can no longer be renewed: log in again.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use rockit_edge::session::{LoginRequiredReason, TokenSession};
///
/// let session: rockit_edge::login::Session =
///     serde_json::from_str(r#"{"sessionToken": "s1"}"#).unwrap();
/// let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
/// let tokens = TokenSession::from_session(&session, start);
/// let later = start + Duration::from_secs(25 * 60 * 60);
/// let err = tokens.refresh_request(later).unwrap_err();
/// assert_eq!(err.reason(), LoginRequiredReason::Expired);
/// assert_eq!(err.to_string(), "log in again: the backend session token has expired");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginRequired {
    reason: LoginRequiredReason,
    flow: Option<Flow>,
    refusal: Option<ApiError>,
}

impl LoginRequired {
    fn new(reason: LoginRequiredReason, flow: Option<Flow>) -> Self {
        LoginRequired {
            reason,
            flow,
            refusal: None,
        }
    }

    fn not_logged_in() -> Self {
        LoginRequired::new(LoginRequiredReason::NotLoggedIn, None)
    }

    /// Why.
    pub fn reason(&self) -> LoginRequiredReason {
        self.reason
    }

    /// The flow of the session that ended; `None` when there was none.
    pub fn flow(&self) -> Option<Flow> {
        self.flow
    }

    /// The server's answer that refused the renewal, for [`LoginRequiredReason::Refused`].
    pub fn refusal(&self) -> Option<&ApiError> {
        self.refusal.as_ref()
    }
}

impl fmt::Display for LoginRequired {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let token = self.flow.map_or("token", Flow::long_lived);
        match self.reason {
            LoginRequiredReason::NotLoggedIn => f.write_str("log in first: there are no tokens"),
            LoginRequiredReason::Expired => write!(f, "log in again: the {token} has expired"),
            LoginRequiredReason::Refused => {
                write!(f, "log in again: the server refused the {token}")
            }
            LoginRequiredReason::LoggedOut => {
                f.write_str("log in again: the session was logged out")
            }
        }
    }
}

impl std::error::Error for LoginRequired {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.refusal
            .as_ref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl From<LoginRequired> for Error {
    fn from(e: LoginRequired) -> Self {
        Error::LoginRequired(e)
    }
}

/// Whether `error` is the server's `401 token-expired`.
///
/// ```
/// use rockit_edge::session::is_token_expired;
/// use rockit_edge::{Endpoint, tasks::GetTask};
///
/// let mut answer = http::Response::new(
///     br#"{"status":"error","code":"token-expired","message":"expired"}"#.to_vec(),
/// );
/// *answer.status_mut() = http::StatusCode::UNAUTHORIZED;
/// let error = GetTask::new("t").decode(&answer).unwrap_err();
/// assert!(is_token_expired(&error));
/// ```
pub fn is_token_expired(error: &Error) -> bool {
    error.status() == Some(StatusCode::UNAUTHORIZED)
        && matches!(error.code(), Some(ErrorCode::TokenExpired))
}

/// A token and when it stops working.
#[derive(Clone, Debug)]
struct Held {
    credentials: Credentials,
    lifetime: Duration,
    /// `None` when the lifetime reaches past the largest time the platform can hold.
    expires: Option<SystemTime>,
}

impl Held {
    fn new(credentials: Credentials, lifetime: Duration, now: SystemTime) -> Self {
        Held {
            credentials,
            lifetime,
            expires: now.checked_add(lifetime),
        }
    }

    fn expired(&self, now: SystemTime) -> bool {
        self.expires.is_some_and(|expires| now >= expires)
    }

    /// Whether the token has less than the margin left. A clock that went back before the
    /// token was received only makes it look fresher; the server's `401` covers that case.
    fn due(&self, now: SystemTime, margin: &RefreshMargin) -> bool {
        let Some(expires) = self.expires else {
            return false;
        };
        match expires.duration_since(now) {
            Ok(left) => left.is_zero() || left < margin.for_lifetime(self.lifetime),
            Err(_) => true,
        }
    }
}

/// The answer to a [`RefreshRequest`]: an auth token (older flow) or a new token pair (newer
/// flow).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Refreshed {
    /// An auth token from [`Authenticate`].
    AuthToken(AuthToken),
    /// Access and refresh tokens from [`Refresh`].
    TokenPair(TokenPair),
}

impl From<AuthToken> for Refreshed {
    fn from(token: AuthToken) -> Self {
        Refreshed::AuthToken(token)
    }
}

impl From<TokenPair> for Refreshed {
    fn from(tokens: TokenPair) -> Self {
        Refreshed::TokenPair(tokens)
    }
}

/// The request that renews a [`TokenSession`]'s tokens: [`Authenticate`] with the session
/// token, or [`Refresh`] with the refresh token. It carries its credentials.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use rockit_edge::session::TokenSession;
/// use rockit_edge::{BaseUrl, Endpoint};
///
/// let pair: rockit_edge::login::TokenPair =
///     serde_json::from_str(r#"{"accessToken": "a1", "refreshToken": "r1"}"#).unwrap();
/// let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
/// let request = TokenSession::from_token_pair(&pair, now).refresh_request(now).unwrap();
/// let http = request.to_http(&BaseUrl::parse("https://edge.example.com").unwrap()).unwrap();
/// assert_eq!(http.uri().path(), "/be/v1/refresh");
/// assert_eq!(http.headers()["x-rockit-refresh-token"], "r1");
/// ```
#[derive(Clone, Debug)]
pub struct RefreshRequest {
    flow: Flow,
    credentials: Credentials,
}

impl RefreshRequest {
    /// The credentials the request is sent with: the session or refresh token.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// Builds the HTTP request with its own credentials.
    pub fn to_http(&self, base: &BaseUrl) -> Result<Request<Vec<u8>>, Error> {
        self.to_request(base, &self.credentials)
    }
}

impl Endpoint for RefreshRequest {
    type Output = Refreshed;

    fn method(&self) -> Method {
        match self.flow {
            Flow::Old => Authenticate::new().method(),
            Flow::New => Refresh::new().method(),
        }
    }

    fn path(&self) -> Result<String, InputError> {
        match self.flow {
            Flow::Old => Authenticate::new().path(),
            Flow::New => Refresh::new().path(),
        }
    }

    fn query(&self, query: &mut Query) -> Result<(), InputError> {
        match self.flow {
            Flow::Old => Authenticate::new().query(query),
            Flow::New => Refresh::new().query(query),
        }
    }

    fn body(&self) -> Result<Option<Vec<u8>>, InputError> {
        match self.flow {
            Flow::Old => Authenticate::new().body(),
            Flow::New => Refresh::new().body(),
        }
    }

    fn auth(&self) -> Auth {
        match self.flow {
            Flow::Old => Authenticate::new().auth(),
            Flow::New => Refresh::new().auth(),
        }
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Refreshed, Error> {
        match self.flow {
            Flow::Old => Authenticate::new().decode(response).map(Refreshed::from),
            Flow::New => Refresh::new().decode(response).map(Refreshed::from),
        }
    }
}

/// What to do after a request sent with a [`TokenSession`]'s credentials failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// Renew the tokens ([`TokenSession::refresh_request`]), then send the request once
    /// more with the new credentials.
    RefreshAndRetry,
    /// The tokens were renewed since the request was sent: send it once more with the
    /// current credentials, without renewing again.
    Retry,
    /// Keep the error.
    GiveUp,
}

/// One request's tries as a [`TokenSession`] sees them: which tokens it was sent with, and
/// whether it was already sent again. Made by [`TokenSession::attempt`], updated by
/// [`TokenSession::on_error`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attempt {
    generation: u64,
    retried: bool,
}

impl Attempt {
    /// Whether the request was already sent a second time.
    pub fn is_retry(&self) -> bool {
        self.retried
    }
}

/// The tokens of one login and when each expires, sans-IO.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use rockit_edge::login::TokenPair;
/// use rockit_edge::session::TokenSession;
///
/// let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
/// let pair: TokenPair = serde_json::from_str(
///     r#"{"accessToken": "a1", "refreshToken": "r1", "expiresIn": 900}"#,
/// ).unwrap();
/// let mut tokens = TokenSession::from_token_pair(&pair, start);
/// assert!(!tokens.needs_refresh(start + Duration::from_secs(60)));
///
/// // 90 s before the access token expires, it is time to renew.
/// let later = start + Duration::from_secs(811);
/// assert!(tokens.needs_refresh(later));
/// let _request = tokens.refresh_request(later).unwrap();
/// // … send it, then hand over the answer:
/// let answer: TokenPair = serde_json::from_str(
///     r#"{"accessToken": "a2", "refreshToken": "r2", "expiresIn": 900}"#,
/// ).unwrap();
/// tokens.apply_refresh(answer, later).unwrap();
/// assert!(!tokens.needs_refresh(later));
/// assert_eq!(tokens.refreshes(), 1);
/// ```
#[derive(Clone, Debug)]
pub struct TokenSession {
    flow: Flow,
    long: Held,
    short: Option<Held>,
    margin: RefreshMargin,
    /// How many renewals were applied; tells a request whether the tokens it was sent with
    /// are still the current ones.
    generation: u64,
    ended: Option<LoginRequired>,
}

impl TokenSession {
    /// A session of the older flow from [`Login`]'s answer received at `now`. It holds no
    /// auth token yet: [`TokenSession::needs_refresh`] says so at once.
    pub fn from_session(session: &Session, now: SystemTime) -> Self {
        TokenSession::start(
            Flow::Old,
            Held::new(session.into(), session.lifetime(), now),
        )
    }

    /// A session of the newer flow from [`LoginToOrg`]'s (or [`Refresh`]'s) answer received
    /// at `now`.
    pub fn from_token_pair(tokens: &TokenPair, now: SystemTime) -> Self {
        let long = Held::new(tokens.refresh_credentials(), tokens.refresh_lifetime(), now);
        let mut session = TokenSession::start(Flow::New, long);
        session.short = Some(Held::new(tokens.into(), tokens.lifetime(), now));
        session
    }

    fn start(flow: Flow, long: Held) -> Self {
        TokenSession {
            flow,
            long,
            short: None,
            margin: RefreshMargin::default(),
            generation: 0,
            ended: None,
        }
    }

    /// The same session, renewing its tokens `margin` before they expire.
    pub fn with_margin(mut self, margin: RefreshMargin) -> Self {
        self.margin = margin;
        self
    }

    /// The margin the session renews its tokens by.
    pub fn margin(&self) -> RefreshMargin {
        self.margin
    }

    /// Which flow the session comes from.
    pub fn flow(&self) -> Flow {
        self.flow
    }

    /// The credentials for backend requests: the current auth or access token. `None`
    /// before the first renewal of an older-flow session, and once the session has ended.
    pub fn credentials(&self) -> Option<&Credentials> {
        self.short.as_ref().map(|held| &held.credentials)
    }

    /// The long-lived token: the session token or the current refresh token, for keeping
    /// the session somewhere.
    pub fn long_lived_credentials(&self) -> &Credentials {
        &self.long.credentials
    }

    /// When the current short-lived token expires; `None` without one, or when it never
    /// does within what the platform's time can hold.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.short.as_ref().and_then(|held| held.expires)
    }

    /// When the long-lived token expires; `None` when it never does within what the
    /// platform's time can hold.
    pub fn long_lived_expires_at(&self) -> Option<SystemTime> {
        self.long.expires
    }

    /// How many renewals were applied since the login.
    pub fn refreshes(&self) -> u64 {
        self.generation
    }

    /// Whether the short-lived token should be renewed before the next request: there is
    /// none, it has expired, or less than the margin is left of it.
    pub fn needs_refresh(&self, now: SystemTime) -> bool {
        self.short
            .as_ref()
            .is_none_or(|held| held.due(now, &self.margin))
    }

    /// Whether there is a short-lived token that has not expired yet (it may be due for
    /// renewal).
    pub fn is_usable(&self, now: SystemTime) -> bool {
        self.short.as_ref().is_some_and(|held| !held.expired(now))
    }

    /// Why the tokens cannot be renewed any more, if they cannot: the session was logged
    /// out, the server refused a renewal, or the long-lived token has expired.
    pub fn login_required(&self, now: SystemTime) -> Option<LoginRequired> {
        if let Some(ended) = &self.ended {
            return Some(ended.clone());
        }
        self.long
            .expired(now)
            .then(|| LoginRequired::new(LoginRequiredReason::Expired, Some(self.flow)))
    }

    /// The request that renews the tokens: [`Authenticate`] with the session token (older
    /// flow) or [`Refresh`] with the refresh token (newer flow). Fails when the session
    /// cannot be renewed ([`TokenSession::login_required`]).
    pub fn refresh_request(&self, now: SystemTime) -> Result<RefreshRequest, LoginRequired> {
        if let Some(required) = self.login_required(now) {
            return Err(required);
        }
        Ok(RefreshRequest {
            flow: self.flow,
            credentials: self.long.credentials.clone(),
        })
    }

    /// Takes the answer to [`TokenSession::refresh_request`], received at `now` (better: sent
    /// at `now`). The newer flow's answer replaces the refresh token too.
    ///
    /// Fails when the answer belongs to the other flow, or when the session has ended
    /// meanwhile.
    pub fn apply_refresh(
        &mut self,
        answer: impl Into<Refreshed>,
        now: SystemTime,
    ) -> Result<(), Error> {
        if let Some(ended) = &self.ended {
            return Err(ended.clone().into());
        }
        match (self.flow, answer.into()) {
            (Flow::Old, Refreshed::AuthToken(token)) => {
                self.short = Some(Held::new((&token).into(), token.lifetime(), now));
            }
            (Flow::New, Refreshed::TokenPair(tokens)) => {
                self.long = Held::new(tokens.refresh_credentials(), tokens.refresh_lifetime(), now);
                self.short = Some(Held::new((&tokens).into(), tokens.lifetime(), now));
            }
            (flow, _) => {
                let problem = match flow {
                    Flow::Old => "an older-flow session takes an auth token, not a token pair",
                    Flow::New => "a newer-flow session takes a token pair, not an auth token",
                };
                return Err(InputError::new("refresh answer", problem).into());
            }
        }
        self.generation = self.generation.saturating_add(1);
        Ok(())
    }

    /// Takes the error the renewal request failed with and returns the one to report.
    ///
    /// A `401` answer means the long-lived token is no good: the session ends and the error
    /// becomes [`Error::LoginRequired`] (reason [`LoginRequiredReason::Refused`], keeping the
    /// answer). Any other error leaves the session as it was, to be renewed later.
    pub fn refresh_failed(&mut self, error: Error) -> Error {
        let Error::Api(answer) = error else {
            return error;
        };
        if answer.status() != StatusCode::UNAUTHORIZED {
            return Error::Api(answer);
        }
        let mut required = LoginRequired::new(LoginRequiredReason::Refused, Some(self.flow));
        required.refusal = Some(answer);
        self.end_with(required.clone());
        required.into()
    }

    /// The request that ends the session on the server, with the credentials it is sent
    /// with: [`Logout`] with the refresh token. `None` for the older flow, which has no
    /// logout, and once the session has ended.
    pub fn logout_request(&self) -> Option<(Logout, Credentials)> {
        (self.flow == Flow::New && self.ended.is_none())
            .then(|| (Logout::new(), self.long.credentials.clone()))
    }

    /// Ends the session here: the short-lived token is dropped, and from now on
    /// [`TokenSession::login_required`] answers [`LoginRequiredReason::LoggedOut`].
    pub fn end(&mut self) {
        self.end_with(LoginRequired::new(
            LoginRequiredReason::LoggedOut,
            Some(self.flow),
        ));
    }

    fn end_with(&mut self, reason: LoginRequired) {
        self.short = None;
        if self.ended.is_none() {
            self.ended = Some(reason);
        }
    }

    /// Starts a request with the current credentials; report its failure to
    /// [`TokenSession::on_error`].
    pub fn attempt(&self) -> Attempt {
        Attempt {
            generation: self.generation,
            retried: false,
        }
    }

    /// Decides what a request that failed with `error` does next.
    ///
    /// Only `401 token-expired` is worth another try, and only once per request: the first
    /// time, [`Next::RefreshAndRetry`], or [`Next::Retry`] when the tokens were renewed
    /// since the request was sent (by another request: renewing again would be wasted);
    /// after that, and for every other error, [`Next::GiveUp`].
    ///
    /// ```
    /// use std::time::SystemTime;
    /// use rockit_edge::session::{Next, TokenSession};
    /// use rockit_edge::{Endpoint, tasks::GetTask};
    ///
    /// let pair: rockit_edge::login::TokenPair =
    ///     serde_json::from_str(r#"{"accessToken": "a1", "refreshToken": "r1"}"#).unwrap();
    /// let tokens = TokenSession::from_token_pair(&pair, SystemTime::UNIX_EPOCH);
    /// let mut answer = http::Response::new(br#"{"status":"error","code":"token-expired"}"#.to_vec());
    /// *answer.status_mut() = http::StatusCode::UNAUTHORIZED;
    /// let expired = GetTask::new("t").decode(&answer).unwrap_err();
    ///
    /// let mut attempt = tokens.attempt();
    /// assert_eq!(tokens.on_error(&expired, &mut attempt), Next::RefreshAndRetry);
    /// assert_eq!(tokens.on_error(&expired, &mut attempt), Next::GiveUp);
    /// ```
    pub fn on_error(&self, error: &Error, attempt: &mut Attempt) -> Next {
        if attempt.retried || !is_token_expired(error) {
            return Next::GiveUp;
        }
        attempt.retried = true;
        if attempt.generation == self.generation {
            Next::RefreshAndRetry
        } else {
            Next::Retry
        }
    }
}

/// A client that logs in and keeps its tokens fresh: it renews them before they expire,
/// and once more when the server answers `401 token-expired`, then sends the request again.
///
/// It is `Send + Sync` when its transport and clock are. Callers on many threads share one
/// [`TokenSession`] behind a lock: when the tokens need renewing, one of them renews and the
/// others wait for the new tokens instead of renewing too. Requests themselves are sent
/// without holding the lock.
///
/// The clock is [`SystemClock`] unless [`SessionClient::with_clock`] sets another one:
///
/// ```
/// use std::time::Duration;
/// use rockit_edge::fake::{FakeEdge, VALID_LOGIN_PASSWORD, VALID_LOGIN_USERNAME, VALID_ORG_NAME};
/// use rockit_edge::login::{LoginToOrg, LoginWithPassword};
/// use rockit_edge::session::SessionClient;
/// use rockit_edge::tasks::ListTasks;
///
/// let fake = FakeEdge::seeded();
/// let client = SessionClient::new(fake.clone(), fake.base_url()).with_clock(fake.clock());
/// let selection = client
///     .login_with_password(&LoginWithPassword::new(VALID_LOGIN_USERNAME, VALID_LOGIN_PASSWORD))
///     .unwrap();
/// client.login_to_org(&selection, &LoginToOrg::new(VALID_ORG_NAME)).unwrap();
///
/// fake.advance(Duration::from_secs(60 * 60)); // the access token expired long ago
/// client.send(&ListTasks::new()).unwrap();
/// assert_eq!(client.session().unwrap().refreshes(), 1);
/// ```
pub struct SessionClient<T, C = SystemClock> {
    transport: T,
    base: BaseUrl,
    clock: C,
    margin: RefreshMargin,
    session: Mutex<Option<TokenSession>>,
}

impl<T: Transport> SessionClient<T, SystemClock> {
    /// A client for `base` over `transport` that has not logged in yet.
    pub fn new(transport: T, base: BaseUrl) -> Self {
        SessionClient {
            transport,
            base,
            clock: SystemClock,
            margin: RefreshMargin::default(),
            session: Mutex::new(None),
        }
    }
}

impl<T: Transport, C: Clock> SessionClient<T, C> {
    /// The same client, taking the time from `clock`.
    pub fn with_clock<D: Clock>(self, clock: D) -> SessionClient<T, D> {
        SessionClient {
            transport: self.transport,
            base: self.base,
            clock,
            margin: self.margin,
            session: self.session,
        }
    }

    /// The same client, renewing tokens `margin` before they expire, the current session's
    /// included.
    pub fn with_margin(self, margin: RefreshMargin) -> Self {
        let session = self
            .session
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
            .map(|s| s.with_margin(margin));
        SessionClient {
            margin,
            session: Mutex::new(session),
            ..self
        }
    }

    /// The same client, holding `session` (kept from an earlier login, say).
    pub fn with_session(self, session: TokenSession) -> Self {
        self.set_session(session);
        self
    }

    /// Replaces the session, with its own margin.
    pub fn set_session(&self, session: TokenSession) {
        *self.lock() = Some(session);
    }

    /// A copy of the current session; `None` before a login.
    pub fn session(&self) -> Option<TokenSession> {
        self.lock().clone()
    }

    /// The current backend credentials, without renewing them; `None` when there are none.
    pub fn credentials(&self) -> Option<Credentials> {
        self.lock().as_ref()?.credentials().cloned()
    }

    /// Logs in with the older flow: sends `login`, then [`Authenticate`] for the first auth
    /// token. Returns the login's answer, with the user's permissions.
    pub fn login(&self, login: &Login) -> Result<Session, Error> {
        let now = self.clock.now();
        let answer = self.send_without_session(login)?;

        let mut session = TokenSession::from_session(&answer, now).with_margin(self.margin);
        self.refresh_session(&mut session)?;
        self.set_session(session);
        Ok(answer)
    }

    /// The first step of the newer flow: sends `login` and returns the user's organisations
    /// with the selection token for [`SessionClient::login_to_org`]. The current session, if
    /// any, is kept until then.
    pub fn login_with_password(&self, login: &LoginWithPassword) -> Result<OrgSelection, Error> {
        self.send_without_session(login)
    }

    /// The second step of the newer flow: picks an organisation with the selection token
    /// from [`SessionClient::login_with_password`], and holds the tokens it gives.
    pub fn login_to_org(&self, selection: &OrgSelection, org: &LoginToOrg) -> Result<(), Error> {
        let now = self.clock.now();
        let answer = redact::exchange(&self.transport, org, &self.base, &selection.credentials())?;

        self.set_session(TokenSession::from_token_pair(&answer, now).with_margin(self.margin));
        Ok(())
    }

    /// Sends `endpoint` with the session's credentials, renewing them first when they are
    /// due, and once more after a `401 token-expired` answer (see the module documentation).
    ///
    /// Fails with [`Error::LoginRequired`] when there is no login, or the session ended.
    /// Endpoints that take no credentials are sent as they are.
    pub fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, Error> {
        if endpoint.auth() == Auth::None {
            return self.send_without_session(endpoint);
        }
        let (mut credentials, mut attempt) = self.ready()?;
        loop {
            let error = match self.send_with(endpoint, &credentials) {
                Ok(output) => return Ok(output),
                Err(error) => error,
            };

            let mut guard = self.lock();
            let Some(session) = guard.as_mut() else {
                return Err(error);
            };
            match session.on_error(&error, &mut attempt) {
                Next::GiveUp => return Err(error),
                Next::Retry => {}
                Next::RefreshAndRetry => self.refresh_session(session)?,
            }
            credentials = current(session, self.clock.now())?;
        }
    }

    /// Every item of a list, like [`Client::all`](crate::Client::all), each page sent as
    /// [`SessionClient::send`] sends.
    pub fn all<E: Paged>(&self, list: E) -> SessionItems<'_, T, C, E> {
        SessionItems {
            client: self,
            pager: Pager::new(list),
            buffered: Vec::new().into_iter(),
            failed: false,
        }
    }

    /// Renews the tokens now, whether they are due or not.
    pub fn refresh(&self) -> Result<(), Error> {
        let mut guard = self.lock();
        let session = guard.as_mut().ok_or_else(LoginRequired::not_logged_in)?;
        self.refresh_session(session)
    }

    /// Ends the session: sends [`Logout`] for the newer flow (the older one has none) and
    /// forgets the tokens, whatever the answer. Without a session, does nothing.
    pub fn logout(&self) -> Result<(), Error> {
        let mut guard = self.lock();
        let Some(session) = guard.as_mut() else {
            return Ok(());
        };
        let request = session.logout_request();
        session.end();
        drop(guard);

        match request {
            Some((logout, credentials)) => self.send_with(&logout, &credentials).map(drop),
            None => Ok(()),
        }
    }

    /// The base URL.
    pub fn base_url(&self) -> &BaseUrl {
        &self.base
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// The clock.
    pub fn clock(&self) -> &C {
        &self.clock
    }

    /// Credentials to send a request with, renewed first if they are due. A renewal that
    /// fails while the current token still works leaves that token in use: it may still get
    /// the request through, and the next request tries to renew again.
    fn ready(&self) -> Result<(Credentials, Attempt), Error> {
        let mut guard = self.lock();
        let session = guard.as_mut().ok_or_else(LoginRequired::not_logged_in)?;
        if session.needs_refresh(self.clock.now()) {
            if let Err(error) = self.refresh_session(session) {
                if !session.is_usable(self.clock.now()) {
                    return Err(error);
                }
            }
        }
        Ok((current(session, self.clock.now())?, session.attempt()))
    }

    /// Sends the renewal request and applies its answer. Called with the session locked, so
    /// that concurrent callers wait for this renewal instead of making their own.
    fn refresh_session(&self, session: &mut TokenSession) -> Result<(), Error> {
        let now = self.clock.now();
        let request = session.refresh_request(now)?;

        let answer = redact::exchange(&self.transport, &request, &self.base, request.credentials());

        match answer {
            Ok(answer) => session.apply_refresh(answer, now),
            Err(error) => Err(session.refresh_failed(error)),
        }
    }

    fn send_with<E: Endpoint>(
        &self,
        endpoint: &E,
        credentials: &Credentials,
    ) -> Result<E::Output, Error> {
        redact::exchange(&self.transport, endpoint, &self.base, credentials)
    }

    /// Sends an endpoint that takes no credentials.
    fn send_without_session<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, Error> {
        // The headers of credentials are added only for endpoints that take them; these
        // endpoints take none, so the value is never sent.
        let none = Credentials::BackendToken(Secret::named("none", "placeholder")?);
        self.send_with(endpoint, &none)
    }
}

impl<T, C> SessionClient<T, C> {
    fn lock(&self) -> MutexGuard<'_, Option<TokenSession>> {
        // The session changes in single assignments, so a poisoned lock still holds a whole
        // one.
        self.session.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn current(session: &TokenSession, now: SystemTime) -> Result<Credentials, Error> {
    match session.credentials() {
        Some(credentials) => Ok(credentials.clone()),
        None => Err(session
            .login_required(now)
            .unwrap_or_else(LoginRequired::not_logged_in)
            .into()),
    }
}

impl<T: fmt::Debug, C: fmt::Debug> fmt::Debug for SessionClient<T, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionClient")
            .field("transport", &self.transport)
            .field("base", &self.base)
            .field("clock", &self.clock)
            .field("margin", &self.margin)
            .field("session", &*self.lock())
            .finish()
    }
}

/// The items of a list, page by page, fetched through a [`SessionClient`] only when needed.
/// Made by [`SessionClient::all`]. An error ends the walk.
#[derive(Debug)]
pub struct SessionItems<'c, T, C, E: Paged> {
    client: &'c SessionClient<T, C>,
    pager: Pager<E>,
    buffered: std::vec::IntoIter<E::Item>,
    failed: bool,
}

impl<T: Transport, C: Clock, E: Paged> Iterator for SessionItems<'_, T, C, E> {
    type Item = Result<E::Item, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.buffered.next() {
                return Some(Ok(item));
            }
            if self.failed {
                return None;
            }
            let next = self.pager.next_request()?;
            let list = next.at_offset(next.page_offset());
            let answer = self.client.send(&list);
            let answer = answer.and_then(|page| self.pager.take_page(list, page));
            match answer {
                Ok(items) => self.buffered = items.into_iter(),
                Err(error) => {
                    self.failed = true;
                    return Some(Err(error));
                }
            }
        }
    }
}

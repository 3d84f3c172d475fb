//! The fake's logins, both flows.
//!
//! - `POST /be/v1/login` with `username`, `password` and `orgName`: the older one-step login;
//!   answers a session token and the user's permissions.
//! - `POST /be/v1/auth` with a session token: answers an auth token.
//! - `POST /be/v1/login` with `username` and `password` only: answers the user's
//!   organisations and an organisation selection token.
//! - `POST /be/v1/login` with a selection token and `orgName`: answers an access token and a
//!   refresh token.
//! - `POST /be/v1/refresh` with a refresh token: answers a new pair; the old refresh token
//!   stops working, access tokens already handed out keep working.
//! - `POST /be/v1/logout` with a refresh token: ends its session; the refresh token and every
//!   access token of the session stop working. An expired refresh token may still log out.
//!
//! Member and header names are those of [`crate::assumed::login`]. Auth and access tokens
//! join the backend tokens every other endpoint accepts. Every user belongs to the
//! `Administrators` role and gets its permissions.
//!
//! Tokens expire by the fake's own clock, a [`ManualClock`] that starts at
//! 2025-02-11T11:39:28Z (the seeded reference task's time) and moves only when a test calls
//! [`FakeEdge::advance`]: examples never see a token expire, and tests decide exactly when one
//! does. Each kind lives as [`TokenLifetimes`] says (by default the lifetimes of
//! [`crate::login`]), and the answers say so in `expiresIn` and `refreshExpiresIn`. An
//! expired token is answered `401 token-expired` wherever it is sent, and so is one expired
//! early with [`FakeEdge::expire_token`].
//!
//! Every fake knows the user [`VALID_LOGIN_USERNAME`] of [`super::VALID_ORG_NAME`] with the
//! password [`VALID_LOGIN_PASSWORD`]; [`super::FakeEdge::add_login`] adds others. A wrong
//! user name or password, or an organisation the user does not belong to, is answered
//! `401 invalid-credentials`.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::header::HeaderName;
use http::{Method, StatusCode};
use serde::Serialize;
use serde_json::{Map, Value};

use super::{
    json_response, Answer, Call, Failure, FakeEdge, State, INTERNAL_ERROR, MISSING_CREDENTIALS,
    TOKEN_EXPIRED,
};
use crate::assumed::login::{LOGIN_ORG_MEMBER, LOGIN_PASSWORD_MEMBER, LOGIN_USERNAME_MEMBER};
use crate::auth::{BESESSION_TOKEN, ORG_SELECTION_TOKEN, REFRESH_TOKEN};
use crate::decode::SUCCESS;
use crate::login::{
    AuthToken, LinkedOrg, OrgSelection, Permissions, Session, TokenPair, ACCESS_TOKEN_LIFETIME,
    AUTH_TOKEN_LIFETIME, ORG_SELECTION_TOKEN_LIFETIME, REFRESH_TOKEN_LIFETIME,
    SESSION_TOKEN_LIFETIME,
};
use crate::model::{Extra, Field};
use crate::names::NamePattern;
use crate::secret::Secret;
use crate::session::{Clock, ManualClock};

/// The path of both logins.
pub(super) const LOGIN_PATH: &str = "/be/v1/login";
/// The path of the older flow's token exchange.
pub(super) const AUTH_PATH: &str = "/be/v1/auth";
/// The path of token rotation.
pub(super) const REFRESH_PATH: &str = "/be/v1/refresh";
/// The path of logging out.
pub(super) const LOGOUT_PATH: &str = "/be/v1/logout";

/// The user every fake lets log in.
pub const VALID_LOGIN_USERNAME: &str = "alice";
/// The password of [`VALID_LOGIN_USERNAME`]; made up for the fake, like its tokens.
pub const VALID_LOGIN_PASSWORD: &str = "fake-edge-password";

/// The code of a refused user name, password or organisation.
const INVALID_CREDENTIALS: &str = "invalid-credentials";

/// Where the fake's clock starts, in seconds since the Unix epoch: the time in the name of
/// the reference's Task Details example.
const CLOCK_START: u64 = 1_739_273_968;

/// How long the tokens a fake hands out stay valid, and whether its answers say so.
///
/// Lifetimes apply to tokens handed out after they are set. They are enforced to the
/// nanosecond and announced in whole seconds.
///
/// ```
/// use std::time::Duration;
/// use rockit_edge::fake::{FakeEdge, TokenLifetimes};
///
/// let fake = FakeEdge::new();
/// fake.set_token_lifetimes(TokenLifetimes {
///     access: Duration::from_secs(60),
///     ..TokenLifetimes::default()
/// });
/// assert_eq!(fake.token_lifetimes().access, Duration::from_secs(60));
/// assert_eq!(TokenLifetimes::default().auth, rockit_edge::login::AUTH_TOKEN_LIFETIME);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenLifetimes {
    /// Session tokens of the older login (default [`SESSION_TOKEN_LIFETIME`]).
    pub session: Duration,
    /// Auth tokens (default [`AUTH_TOKEN_LIFETIME`]).
    pub auth: Duration,
    /// Organisation selection tokens (default [`ORG_SELECTION_TOKEN_LIFETIME`]).
    pub org_selection: Duration,
    /// Access tokens (default [`ACCESS_TOKEN_LIFETIME`]).
    pub access: Duration,
    /// Refresh tokens (default [`REFRESH_TOKEN_LIFETIME`]).
    pub refresh: Duration,
    /// Whether answers give the lifetimes in `expiresIn` and `refreshExpiresIn` (default
    /// yes). Without them a client assumes the defaults of [`crate::login`], which may then
    /// be longer than what the fake enforces.
    pub announce: bool,
}

impl Default for TokenLifetimes {
    fn default() -> Self {
        TokenLifetimes {
            session: SESSION_TOKEN_LIFETIME,
            auth: AUTH_TOKEN_LIFETIME,
            org_selection: ORG_SELECTION_TOKEN_LIFETIME,
            access: ACCESS_TOKEN_LIFETIME,
            refresh: REFRESH_TOKEN_LIFETIME,
            announce: true,
        }
    }
}

/// Users, their organisations, and the tokens handed out.
#[derive(Debug)]
pub(super) struct Logins {
    /// User name to password and organisations.
    users: BTreeMap<String, (String, Vec<String>)>,
    /// Session token to the organisation and user it was made for.
    sessions: HashMap<String, (String, String)>,
    /// Organisation selection token to the user it was made for.
    selections: HashMap<String, String>,
    /// Refresh token to its session: organisation, user, and the access tokens handed out.
    refreshes: HashMap<String, RefreshSession>,
    /// Makes every token unique.
    issued: u64,
    clock: ManualClock,
    lifetimes: TokenLifetimes,
    /// Token to the time it stops working, for every token handed out by logging in.
    expiries: HashMap<String, SystemTime>,
}

#[derive(Debug)]
struct RefreshSession {
    org_name: String,
    username: String,
    access_tokens: Vec<String>,
}

impl Default for Logins {
    fn default() -> Self {
        let mut logins = Logins {
            users: BTreeMap::new(),
            sessions: HashMap::new(),
            selections: HashMap::new(),
            refreshes: HashMap::new(),
            issued: 0,
            clock: ManualClock::new(UNIX_EPOCH + Duration::from_secs(CLOCK_START)),
            lifetimes: TokenLifetimes::default(),
            expiries: HashMap::new(),
        };
        logins.add(
            super::VALID_ORG_NAME,
            VALID_LOGIN_USERNAME,
            VALID_LOGIN_PASSWORD,
        );
        logins
    }
}

impl Logins {
    pub(super) fn add(&mut self, org_name: &str, username: &str, password: &str) {
        let (stored, orgs) = self
            .users
            .entry(username.to_owned())
            .or_insert_with(|| (password.to_owned(), Vec::new()));
        password.clone_into(stored);
        if !orgs.iter().any(|o| o == org_name) {
            orgs.push(org_name.to_owned());
        }
    }

    pub(super) fn token(&mut self, kind: &str) -> String {
        self.issued += 1;
        format!("fake-edge-{kind}-{}", self.issued)
    }

    /// A new token that expires `lifetime` from now; one whose expiry is past the largest
    /// time the platform holds never does.
    fn issue(&mut self, kind: &str, lifetime: Duration) -> String {
        let token = self.token(kind);
        if let Some(expires) = self.clock.now().checked_add(lifetime) {
            self.expiries.insert(token.clone(), expires);
        }
        token
    }

    /// Whether `token`, handed out by logging in, has outlived its lifetime.
    pub(super) fn has_expired(&self, token: &[u8]) -> bool {
        let expires = std::str::from_utf8(token)
            .ok()
            .and_then(|token| self.expiries.get(token));
        expires.is_some_and(|expires| self.clock.now() >= *expires)
    }

    /// Lets `token` live for ever.
    pub(super) fn forget_expiry(&mut self, token: &str) {
        self.expiries.remove(token);
    }

    /// `401 token-expired` if `token` has outlived its lifetime.
    fn check_expiry(&self, token: &str, what: &str) -> Result<(), Failure> {
        if self.has_expired(token.as_bytes()) {
            return Err(Failure::new(
                StatusCode::UNAUTHORIZED,
                TOKEN_EXPIRED,
                format!("the {what} has expired"),
            ));
        }
        Ok(())
    }

    /// A lifetime as an answer gives it: whole seconds, when the fake announces lifetimes.
    fn announced(&self, lifetime: Duration) -> Field<u64> {
        if self.lifetimes.announce {
            Field::Value(lifetime.as_secs())
        } else {
            Field::Absent
        }
    }
}

impl FakeEdge {
    /// Lets `username` log in to `org_name` with `password`. A user already known gets the
    /// new password and keeps the organisations it had.
    pub fn add_login(&self, org_name: &str, username: &str, password: &str) {
        self.lock().logins.add(org_name, username, password);
    }

    /// The fake's clock, which decides when its tokens expire. Clones share its time, so a
    /// [`SessionClient`](crate::session::SessionClient) given this clock sees the time the
    /// fake sees.
    pub fn clock(&self) -> ManualClock {
        self.lock().logins.clock.clone()
    }

    /// Moves the fake's clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        self.lock().logins.clock.advance(by);
    }

    /// Sets how long the tokens handed out from now on stay valid.
    pub fn set_token_lifetimes(&self, lifetimes: TokenLifetimes) {
        self.lock().logins.lifetimes = lifetimes;
    }

    /// How long the tokens handed out now stay valid.
    pub fn token_lifetimes(&self) -> TokenLifetimes {
        self.lock().logins.lifetimes
    }
}

/// Answers `POST /be/v1/login`, either flow.
pub(super) fn login(state: &mut State, call: &Call<'_>) -> Answer {
    only_post(call)?;
    let body = object(call.body)?;
    if let Some(token) = header(call, &ORG_SELECTION_TOKEN)? {
        return select_org(state, &token, &body);
    }

    let username = text(&body, LOGIN_USERNAME_MEMBER)?;
    let password = text(&body, LOGIN_PASSWORD_MEMBER)?;
    NamePattern::Standard
        .check("user name", &username)
        .map_err(|e| Failure::invalid_param(e.to_string()))?;
    let orgs = match state.logins.users.get(&username) {
        Some((known, orgs)) if *known == password => orgs.clone(),
        _ => return Err(refused("wrong user name or password")),
    };

    if body.contains_key(LOGIN_ORG_MEMBER) {
        let org_name = text(&body, LOGIN_ORG_MEMBER)?;
        if !orgs.contains(&org_name) {
            return Err(refused("wrong user name or password"));
        }
        let lifetime = state.logins.lifetimes.session;
        let token = state.logins.issue("session", lifetime);
        state
            .logins
            .sessions
            .insert(token.clone(), (org_name, username));
        let permissions = crate::roles::Role::administrators()
            .permissions
            .into_option()
            .unwrap_or_default();
        return flat_success(&Session {
            session_token: secret(&token)?,
            permissions: Field::Value(Permissions(permissions)),
            expires_in: state.logins.announced(lifetime),
            extra: Extra::new(),
        });
    }

    let lifetime = state.logins.lifetimes.org_selection;
    let token = state.logins.issue("orgsel", lifetime);
    state.logins.selections.insert(token.clone(), username);
    flat_success(&OrgSelection {
        orgs: Field::Value(orgs.into_iter().map(LinkedOrg::Name).collect()),
        org_selection_token: secret(&token)?,
        expires_in: state.logins.announced(lifetime),
        extra: Extra::new(),
    })
}

fn select_org(state: &mut State, token: &str, body: &Map<String, Value>) -> Answer {
    let username =
        state.logins.selections.get(token).cloned().ok_or_else(|| {
            Failure::unauthorized(super::INVALID_TOKEN, "unknown selection token")
        })?;
    state
        .logins
        .check_expiry(token, "organisation selection token")?;
    let org_name = text(body, LOGIN_ORG_MEMBER)?;
    let member = state
        .logins
        .users
        .get(&username)
        .is_some_and(|(_, orgs)| orgs.contains(&org_name));
    if !member {
        return Err(refused("the user does not belong to this organisation"));
    }
    new_pair(state, org_name, username, Vec::new())
}

/// Hands out an access token and a refresh token for a session that already handed out
/// `access_tokens`.
fn new_pair(
    state: &mut State,
    org_name: String,
    username: String,
    mut access_tokens: Vec<String>,
) -> Answer {
    let lifetimes = state.logins.lifetimes;
    let access = state.logins.issue("access", lifetimes.access);
    let refresh = state.logins.issue("refresh", lifetimes.refresh);
    state.tokens.insert(access.as_bytes().to_vec(), false);
    access_tokens.push(access.clone());
    state.logins.refreshes.insert(
        refresh.clone(),
        RefreshSession {
            org_name,
            username,
            access_tokens,
        },
    );
    flat_success(&TokenPair {
        access_token: secret(&access)?,
        refresh_token: secret(&refresh)?,
        expires_in: state.logins.announced(lifetimes.access),
        refresh_expires_in: state.logins.announced(lifetimes.refresh),
        extra: Extra::new(),
    })
}

/// Answers `POST /be/v1/auth`.
pub(super) fn auth(state: &mut State, call: &Call<'_>) -> Answer {
    only_post(call)?;
    let session = required_header(call, &BESESSION_TOKEN)?;
    if !state.logins.sessions.contains_key(&session) {
        return Err(Failure::unauthorized(
            super::INVALID_TOKEN,
            "unknown session token",
        ));
    }
    state.logins.check_expiry(&session, "session token")?;
    let lifetime = state.logins.lifetimes.auth;
    let token = state.logins.issue("auth", lifetime);
    state.tokens.insert(token.as_bytes().to_vec(), false);
    flat_success(&AuthToken {
        auth_token: secret(&token)?,
        expires_in: state.logins.announced(lifetime),
        extra: Extra::new(),
    })
}

/// Answers `POST /be/v1/refresh`.
pub(super) fn refresh(state: &mut State, call: &Call<'_>) -> Answer {
    only_post(call)?;
    let token = required_header(call, &REFRESH_TOKEN)?;
    if !state.logins.refreshes.contains_key(&token) {
        return Err(unknown_refresh());
    }
    state.logins.check_expiry(&token, "refresh token")?;
    let session = state
        .logins
        .refreshes
        .remove(&token)
        .ok_or_else(unknown_refresh)?;
    state.logins.forget_expiry(&token);
    new_pair(
        state,
        session.org_name,
        session.username,
        session.access_tokens,
    )
}

/// Answers `POST /be/v1/logout`.
pub(super) fn logout(state: &mut State, call: &Call<'_>) -> Answer {
    only_post(call)?;
    let token = required_header(call, &REFRESH_TOKEN)?;
    let session = state
        .logins
        .refreshes
        .remove(&token)
        .ok_or_else(unknown_refresh)?;
    state.logins.forget_expiry(&token);
    for access in session.access_tokens {
        state.tokens.remove(access.as_bytes());
        state.logins.forget_expiry(&access);
    }
    flat_success(&Map::new())
}

fn unknown_refresh() -> Failure {
    Failure::unauthorized(
        super::INVALID_TOKEN,
        "unknown refresh token; it may have been rotated or logged out",
    )
}

fn refused(message: &str) -> Failure {
    Failure::unauthorized(INVALID_CREDENTIALS, message)
}

fn only_post(call: &Call<'_>) -> Result<(), Failure> {
    if *call.method == Method::POST {
        Ok(())
    } else {
        Err(Failure::method_not_allowed("POST"))
    }
}

/// The text of header `name`, if it was sent.
fn header(call: &Call<'_>, name: &HeaderName) -> Result<Option<String>, Failure> {
    match call.headers.get(name) {
        None => Ok(None),
        Some(value) => value
            .to_str()
            .map(|v| Some(v.to_owned()))
            .map_err(|_| Failure::unauthorized(super::INVALID_TOKEN, "the token is not text")),
    }
}

fn required_header(call: &Call<'_>, name: &HeaderName) -> Result<String, Failure> {
    header(call, name)?.ok_or_else(|| {
        Failure::new(
            StatusCode::UNAUTHORIZED,
            MISSING_CREDENTIALS,
            format!("send {name}"),
        )
    })
}

/// The body as a JSON object.
pub(super) fn object(body: &[u8]) -> Result<Map<String, Value>, Failure> {
    serde_json::from_slice(body)
        .map_err(|_| Failure::invalid_body("the body must be a JSON object"))
}

/// The text of a required body member that may not be blank.
pub(super) fn text(body: &Map<String, Value>, member: &str) -> Result<String, Failure> {
    match body.get(member) {
        None | Some(Value::Null) => Err(Failure::missing_param(format!("`{member}` is required"))),
        Some(Value::String(s)) if s.trim().is_empty() => {
            Err(Failure::missing_param(format!("`{member}` is required")))
        }
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(Failure::invalid_param(format!("`{member}` must be text"))),
    }
}

fn secret(token: &str) -> Result<Secret, Failure> {
    Secret::new(token).map_err(|e| {
        Failure::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            INTERNAL_ERROR,
            e.to_string(),
        )
    })
}

/// `{"status": "success", …the members of value}` with `200 OK`.
pub(super) fn flat_success<T: Serialize>(value: &T) -> Answer {
    let written = serde_json::to_value(value).and_then(|members| {
        let mut body = Map::new();
        body.insert("status".into(), Value::from(SUCCESS));
        if let Value::Object(members) = members {
            body.extend(members);
        }
        serde_json::to_vec(&body)
    });
    match written {
        Ok(bytes) => Ok(json_response(StatusCode::OK, bytes)),
        Err(e) => Err(Failure::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            INTERNAL_ERROR,
            format!("cannot write the answer: {e}"),
        )),
    }
}

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
//!   access token of the session stop working.
//!
//! Member and header names are those of [`crate::assumed::login`]. Auth and access tokens
//! join the backend tokens every other endpoint accepts. Tokens never expire on their own
//! (the fake has no clock); [`super::FakeEdge::expire_token`] expires an auth or access
//! token. Every user belongs to the `Administrators` role and gets its permissions.
//!
//! Every fake knows the user [`VALID_LOGIN_USERNAME`] of [`super::VALID_ORG_NAME`] with the
//! password [`VALID_LOGIN_PASSWORD`]; [`super::FakeEdge::add_login`] adds others. A wrong
//! user name or password, or an organisation the user does not belong to, is answered
//! `401 invalid-credentials`.

use std::collections::{BTreeMap, HashMap};

use http::header::HeaderName;
use http::{Method, StatusCode};
use serde::Serialize;
use serde_json::{Map, Value};

use super::{
    json_response, Answer, Call, Failure, FakeEdge, State, INTERNAL_ERROR, MISSING_CREDENTIALS,
};
use crate::assumed::login::{LOGIN_ORG_MEMBER, LOGIN_PASSWORD_MEMBER, LOGIN_USERNAME_MEMBER};
use crate::auth::{BESESSION_TOKEN, ORG_SELECTION_TOKEN, REFRESH_TOKEN};
use crate::decode::SUCCESS;
use crate::login::{
    AuthToken, LinkedOrg, OrgSelection, Permissions, Session, TokenPair, ACCESS_TOKEN_LIFETIME,
    AUTH_TOKEN_LIFETIME, ORG_SELECTION_TOKEN_LIFETIME, REFRESH_TOKEN_LIFETIME,
    SESSION_TOKEN_LIFETIME,
};
use crate::model::Field;
use crate::names::NamePattern;
use crate::secret::Secret;

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

/// The permissions of the `Administrators` role: the most each resource allows.
const ADMINISTRATORS: &[(&str, u32)] = &[
    ("apps", 15),
    ("beUsers", 15),
    ("bundles", 15),
    ("consumption", 2),
    ("dependencies", 15),
    ("deployments", 15),
    ("keys", 15),
    ("roles", 15),
    ("sources", 15),
    ("subscriptions", 15),
    ("tasks", 31),
    ("trainings", 6),
];

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
}

impl FakeEdge {
    /// Lets `username` log in to `org_name` with `password`. A user already known gets the
    /// new password and keeps the organisations it had.
    pub fn add_login(&self, org_name: &str, username: &str, password: &str) {
        self.lock().logins.add(org_name, username, password);
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
        let token = state.logins.token("session");
        state
            .logins
            .sessions
            .insert(token.clone(), (org_name, username));
        let permissions = ADMINISTRATORS
            .iter()
            .map(|(resource, bits)| ((*resource).to_owned(), *bits))
            .collect();
        return flat_success(&Session {
            session_token: secret(&token)?,
            permissions: Field::Value(Permissions(permissions)),
            expires_in: Field::Value(SESSION_TOKEN_LIFETIME.as_secs()),
            extra: Map::new(),
        });
    }

    let token = state.logins.token("orgsel");
    state.logins.selections.insert(token.clone(), username);
    flat_success(&OrgSelection {
        orgs: Field::Value(orgs.into_iter().map(LinkedOrg::Name).collect()),
        org_selection_token: secret(&token)?,
        expires_in: Field::Value(ORG_SELECTION_TOKEN_LIFETIME.as_secs()),
        extra: Map::new(),
    })
}

fn select_org(state: &mut State, token: &str, body: &Map<String, Value>) -> Answer {
    let username =
        state.logins.selections.get(token).cloned().ok_or_else(|| {
            Failure::unauthorized(super::INVALID_TOKEN, "unknown selection token")
        })?;
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
    let access = state.logins.token("access");
    let refresh = state.logins.token("refresh");
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
        expires_in: Field::Value(ACCESS_TOKEN_LIFETIME.as_secs()),
        refresh_expires_in: Field::Value(REFRESH_TOKEN_LIFETIME.as_secs()),
        extra: Map::new(),
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
    let token = state.logins.token("auth");
    state.tokens.insert(token.as_bytes().to_vec(), false);
    flat_success(&AuthToken {
        auth_token: secret(&token)?,
        expires_in: Field::Value(AUTH_TOKEN_LIFETIME.as_secs()),
        extra: Map::new(),
    })
}

/// Answers `POST /be/v1/refresh`.
pub(super) fn refresh(state: &mut State, call: &Call<'_>) -> Answer {
    only_post(call)?;
    let token = required_header(call, &REFRESH_TOKEN)?;
    let session = state
        .logins
        .refreshes
        .remove(&token)
        .ok_or_else(unknown_refresh)?;
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
    for access in session.access_tokens {
        state.tokens.remove(access.as_bytes());
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

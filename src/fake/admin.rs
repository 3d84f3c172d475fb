//! The fake's admin API, under both prefixes.
//!
//! - `POST /srv/v1/ping` and `POST /adm/v1/ping`: answers `{"status": "success", "message":
//!   "pong"}`.
//! - `POST /srv/v1/hello` and `POST /adm/v1/hello`: takes `message` (text) and `maintenance`
//!   (`true` or `false`), both required, and answers them back.
//! - `GET /srv/v1/versions` and `GET /adm/v1/versions`: the versions; ROCKIT Engine's is
//!   `null` until a test task ran, as the reference says the full set needs one.
//! - `POST /adm/v1/orgs`: creates an organisation (`409 invalid-state` if it exists). With
//!   an `email` the answer carries it, as newer servers that send an invitation; without
//!   one it carries an initial password, as older servers, and the administrator can log in
//!   with it ([`super::FakeEdge::add_login`]).
//! - `DELETE /adm/v1/orgs/{org}`: deletes an organisation (`404 not-found` if unknown).
//!
//! Every admin endpoint takes [`VALID_ADMIN_TOKEN`] in `x-rockit-admin-token`; without it
//! the answer is `401 missing-credentials`, with another token `401 invalid-token`.
//! [`super::FakeEdge::disable_admin_prefix`] makes one prefix answer `404 not-found`, as a
//! server of the other generation would.

use std::collections::{BTreeSet, HashSet};

use http::StatusCode;
use serde_json::{Map, Value};

use super::login::{flat_success, object, text};
use super::{percent_decode, success, Answer, Call, Failure, FakeEdge, State};
use crate::admin::{AdminPrefix, CreatedOrg, Versions};
use crate::assumed::admin::{
    ADMIN_ORG_EMAIL_MEMBER, ADMIN_ORG_NAME_MEMBER, ADMIN_ORG_PUBLIC_KEY_MEMBER,
    ADMIN_ORG_USERNAME_MEMBER, ADMIN_VERSIONS_MEMBER,
};
use crate::auth::{Credentials, ADMIN_TOKEN};
use crate::login::Password;
use crate::model::{Extra, Field};
use crate::names::NamePattern;

/// The current prefix of ping, test task and versions.
pub(super) const CURRENT_PATH: &str = AdminPrefix::Current.as_str();
/// The legacy prefix, also the one of the organisation endpoints.
pub(super) const LEGACY_PATH: &str = AdminPrefix::Legacy.as_str();

/// The admin token every fake accepts.
pub const VALID_ADMIN_TOKEN: &str = "fake-edge-admin-token";

/// The versions the fake reports.
const EDGE_VERSION: &str = "159-fake";
const ENGINE_VERSION: &str = "2.4.1-fake";

/// The primary administrator's name when a request gives none.
const DEFAULT_ADMIN: &str = "orgAdmin";

/// What the admin API holds.
#[derive(Debug)]
pub(super) struct Admin {
    disabled: HashSet<AdminPrefix>,
    orgs: BTreeSet<String>,
    test_tasks: u64,
}

impl Default for Admin {
    fn default() -> Self {
        Admin {
            disabled: HashSet::new(),
            orgs: BTreeSet::from([super::VALID_ORG_NAME.to_owned()]),
            test_tasks: 0,
        }
    }
}

impl FakeEdge {
    /// Credentials with the admin token the fake accepts ([`VALID_ADMIN_TOKEN`]).
    pub fn admin_credentials(&self) -> Credentials {
        Credentials::admin_token(VALID_ADMIN_TOKEN).expect("the fake's admin token is printable")
    }

    /// Makes every path under `prefix` answer `404 not-found`, like a server that serves
    /// ping, test task and versions under the other prefix only.
    pub fn disable_admin_prefix(&self, prefix: AdminPrefix) {
        self.lock().admin.disabled.insert(prefix);
    }

    /// Serves `prefix` again.
    pub fn enable_admin_prefix(&self, prefix: AdminPrefix) {
        self.lock().admin.disabled.remove(&prefix);
    }

    /// The organisations the admin API knows, by name.
    pub fn admin_orgs(&self) -> Vec<String> {
        self.lock().admin.orgs.iter().cloned().collect()
    }
}

/// Answers every request below `/srv/v1`.
pub(super) fn handle_current(state: &mut State, call: &Call<'_>) -> Answer {
    handle(state, call, AdminPrefix::Current)
}

/// Answers every request below `/adm/v1`.
pub(super) fn handle_legacy(state: &mut State, call: &Call<'_>) -> Answer {
    handle(state, call, AdminPrefix::Legacy)
}

#[derive(Clone, Copy)]
enum Route<'a> {
    Ping,
    Hello,
    Versions,
    Orgs,
    Org(&'a str),
}

fn handle(state: &mut State, call: &Call<'_>, prefix: AdminPrefix) -> Answer {
    let no_endpoint = || Failure::not_found("no endpoint at this path");
    if state.admin.disabled.contains(&prefix) {
        return Err(no_endpoint());
    }
    let (route, allow) = match (call.rest, prefix) {
        ("/ping", _) => (Route::Ping, "POST"),
        ("/hello", _) => (Route::Hello, "POST"),
        ("/versions", _) => (Route::Versions, "GET"),
        ("/orgs", AdminPrefix::Legacy) => (Route::Orgs, "POST"),
        (rest, AdminPrefix::Legacy) => match rest.strip_prefix("/orgs/") {
            Some(org) if !org.contains('/') => (Route::Org(org), "DELETE"),
            _ => return Err(no_endpoint()),
        },
        _ => return Err(no_endpoint()),
    };
    if call.method.as_str() != allow {
        return Err(Failure::method_not_allowed(allow));
    }
    check_admin(call)?;

    match route {
        Route::Ping => {
            let mut answer = Map::new();
            answer.insert("message".into(), Value::from("pong"));
            flat_success(&answer)
        }
        Route::Hello => hello(state, call.body),
        Route::Versions => {
            let engine = if state.admin.test_tasks > 0 {
                Field::Value(Value::from(ENGINE_VERSION))
            } else {
                Field::Null
            };
            let versions = Versions {
                edge: Field::Value(Value::from(EDGE_VERSION)),
                engine,
                extra: Extra::new(),
            };
            success(ADMIN_VERSIONS_MEMBER, &versions, &[])
        }
        Route::Orgs => create_org(state, call.body),
        Route::Org("") => Err(Failure::missing_param(
            "the organisation name is missing from the path",
        )),
        Route::Org(segment) => {
            let org_name = percent_decode(segment)
                .ok_or_else(|| Failure::invalid_param("the organisation name must be UTF-8"))?;
            if !state.admin.orgs.remove(&org_name) {
                return Err(Failure::not_found("no such organisation"));
            }
            flat_success(&Map::new())
        }
    }
}

fn check_admin(call: &Call<'_>) -> Result<(), Failure> {
    match call.headers.get(ADMIN_TOKEN) {
        None => Err(Failure::new(
            StatusCode::UNAUTHORIZED,
            super::MISSING_CREDENTIALS,
            "send x-rockit-admin-token",
        )),
        Some(token) if token.as_bytes() == VALID_ADMIN_TOKEN.as_bytes() => Ok(()),
        Some(_) => Err(Failure::unauthorized(
            super::INVALID_TOKEN,
            "unknown admin token",
        )),
    }
}

fn hello(state: &mut State, body: &[u8]) -> Answer {
    let body = object(body)?;
    let message = text(&body, "message")?;
    let maintenance = match body.get("maintenance") {
        None | Some(Value::Null) => {
            return Err(Failure::missing_param("`maintenance` is required"));
        }
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return Err(Failure::invalid_param(
                "`maintenance` must be true or false",
            ))
        }
    };
    state.admin.test_tasks += 1;
    let mut answer = Map::new();
    answer.insert("message".into(), Value::from(message));
    answer.insert("maintenance".into(), Value::Bool(maintenance));
    flat_success(&answer)
}

/// The text of an optional body member.
fn optional_text(body: &Map<String, Value>, member: &str) -> Result<Option<String>, Failure> {
    match body.get(member) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => text(body, member).map(Some),
    }
}

fn create_org(state: &mut State, body: &[u8]) -> Answer {
    let body = object(body)?;
    let org_name = text(&body, ADMIN_ORG_NAME_MEMBER)?;
    let username = optional_text(&body, ADMIN_ORG_USERNAME_MEMBER)?
        .unwrap_or_else(|| DEFAULT_ADMIN.to_owned());
    for (what, name) in [("organisation name", &org_name), ("user name", &username)] {
        NamePattern::Standard
            .check(what, name)
            .map_err(|e| Failure::invalid_param(e.to_string()))?;
    }
    let email = optional_text(&body, ADMIN_ORG_EMAIL_MEMBER)?;
    if email.as_ref().is_some_and(|e| !e.contains('@')) {
        return Err(Failure::invalid_param("`email` must be an e-mail address"));
    }
    if optional_text(&body, ADMIN_ORG_PUBLIC_KEY_MEMBER)?.is_some_and(|k| !k.contains("-----BEGIN"))
    {
        return Err(Failure::invalid_param("`publicKey` must be PEM-encoded"));
    }
    if state.admin.orgs.contains(&org_name) {
        return Err(Failure::invalid_state("the organisation exists already"));
    }

    state.admin.orgs.insert(org_name.clone());
    let mut created = CreatedOrg {
        org_name: Field::Value(org_name.clone()),
        username: Field::Value(username.clone()),
        initial_password: Field::Absent,
        extra: Extra::new(),
    };
    match email {
        Some(email) => {
            created
                .extra
                .insert(ADMIN_ORG_EMAIL_MEMBER.into(), Value::from(email));
        }
        None => {
            let password = state.logins.token("initial-password");
            state.logins.add(&org_name, &username, &password);
            created.initial_password = Field::Value(Password::new(password));
        }
    }
    flat_success(&created)
}

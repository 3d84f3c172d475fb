//! The fake's organisations.
//!
//! - `POST /be/v1/orgs`: creates an organisation and answers its first administrator's
//!   initial password, as `{"status": "success", "password": …, "orgName": …}`.
//! - `DELETE /be/v1/orgs/{ORG_NAME}`: deletes an organisation and revokes its API keys;
//!   `prune`, when given, must be `true` or `false`. The fake keeps nothing of a deleted
//!   organisation either way.
//!
//! Both take an auth token only: a request with an API key is `403 forbidden`. Every fake
//! holds `ExampleOrg`. Names must match `^[A-Za-z0-9_]{2,50}$`, an e-mail address must look
//! like one and a public key must be PEM text, never a private key (`400 invalid-param`); a
//! taken name is `409 already-exists`.

use http::{Method, StatusCode};
use serde_json::Value;

use super::users::{acknowledged, object, path_name, required_text, text, ALREADY_EXISTS};
use super::{success, Answer, Call, Failure, FakeEdge, Params, State};
use crate::assumed::orgs::{
    ORGS_CREATE_EMAIL, ORGS_CREATE_NAME, ORGS_CREATE_PASSWORD_MEMBER, ORGS_CREATE_PUBLIC_KEY,
};
use crate::auth;
use crate::names::NamePattern;
use crate::orgs::check_public_key;
use crate::users::check_email;

/// The path of the organisation resource.
pub(super) const PATH: &str = "/be/v1/orgs";

const FORBIDDEN: &str = "forbidden";

/// The fake's organisations, in the order they were created.
pub(super) struct Orgs {
    names: Vec<String>,
}

impl Default for Orgs {
    fn default() -> Self {
        Orgs {
            names: vec![super::VALID_ORG_NAME.to_owned()],
        }
    }
}

impl FakeEdge {
    /// The names of the organisations the fake holds, in the order they were created.
    pub fn org_names(&self) -> Vec<String> {
        self.lock().orgs.names.clone()
    }
}

/// Answers every request below [`PATH`].
pub(super) fn handle(state: &mut State, call: &Call<'_>) -> Answer {
    if call.headers.get(auth::BEAUTH_TOKEN).is_none() {
        return Err(Failure::new(
            StatusCode::FORBIDDEN,
            FORBIDDEN,
            "organisations take an administrator's auth token, not an API key",
        ));
    }
    if call.rest.is_empty() {
        return match *call.method {
            Method::POST => create(state, call.body),
            _ => Err(Failure::method_not_allowed("POST")),
        };
    }
    if *call.method != Method::DELETE {
        return Err(Failure::method_not_allowed("DELETE"));
    }
    let name = path_name(call.rest, "organisation name")?;
    delete(state, &name, call.query)
}

fn invalid(e: crate::error::InputError) -> Failure {
    Failure::invalid_param(e.to_string())
}

fn create(state: &mut State, body: &[u8]) -> Answer {
    let body = object(body)?;
    let name = required_text(&body, ORGS_CREATE_NAME)?;
    NamePattern::Standard
        .check("organisation name", name)
        .map_err(invalid)?;
    if let Some(email) = text(&body, ORGS_CREATE_EMAIL)? {
        check_email("administrator e-mail", email).map_err(invalid)?;
    }
    if let Some(pem) = text(&body, ORGS_CREATE_PUBLIC_KEY)? {
        check_public_key(pem).map_err(invalid)?;
    }
    if state.orgs.names.iter().any(|n| n == name) {
        return Err(Failure::new(
            StatusCode::CONFLICT,
            ALREADY_EXISTS,
            format!("an organisation named `{name}` exists"),
        ));
    }
    state.orgs.names.push(name.to_owned());
    let password = format!("fake-initial-{name}");
    success(
        ORGS_CREATE_PASSWORD_MEMBER,
        &password,
        &[(ORGS_CREATE_NAME, Value::from(name))],
    )
}

fn delete(state: &mut State, name: &str, query: &str) -> Answer {
    NamePattern::Standard
        .check("organisation name", name)
        .map_err(invalid)?;
    let params = Params::parse(query)?;
    match params.one("prune")? {
        None | Some("true") | Some("false") => {}
        Some(_) => return Err(Failure::invalid_param("`prune` must be true or false")),
    }
    let before = state.orgs.names.len();
    state.orgs.names.retain(|n| n != name);
    if state.orgs.names.len() == before {
        return Err(Failure::not_found("no such organisation"));
    }
    state.api_keys.retain(|(org, _, _)| org != name);
    acknowledged()
}

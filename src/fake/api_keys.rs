//! The fake's API keys.
//!
//! - `POST /be/v1/apikeys`: issues a key for the user named in the body, or, without a body,
//!   for the user of the caller's API key, and answers `{"status": "success", "apiKey": …}`.
//!   The key is valid at once. A caller with an auth token must name the user, since the fake
//!   does not know whose token it is (`400 missing-param`); an unknown user is `404`.
//! - `DELETE /be/v1/apikeys`: revokes the key named in the body; requests that carry it are
//!   answered `401 invalid-token` from then on. An unknown key is `404 not-found`.
//! - `DELETE /be/v1/apikeys/{key}`: the same, with the key in the path.

use http::header::HeaderMap;
use http::Method;

use super::users::{acknowledged, object, path_name, required_text, text};
use super::{success, Answer, Call, Failure, State};
use crate::assumed::api_keys::{
    API_KEYS_CREATE_MEMBER, API_KEYS_CREATE_USERNAME, API_KEYS_DELETE_MEMBER,
};
use crate::auth;
use crate::names::NamePattern;

/// The path of the API key resource.
pub(super) const PATH: &str = "/be/v1/apikeys";

/// Makes a new key of `username` in `org_name` valid and returns it.
pub(super) fn issue(state: &mut State, org_name: &str, username: &str) -> String {
    let taken = |candidate: &str| state.api_keys.iter().any(|(_, _, key)| key == candidate);
    let key = (1u64..)
        .map(|n| format!("fake-key-{username}-{n}"))
        .find(|candidate| !taken(candidate))
        .unwrap_or_default();
    state
        .api_keys
        .insert((org_name.to_owned(), username.to_owned(), key.clone()));
    key
}

/// Answers every request below [`PATH`].
pub(super) fn handle(state: &mut State, call: &Call<'_>) -> Answer {
    if call.rest.is_empty() {
        return match *call.method {
            Method::POST => create(state, call),
            Method::DELETE => {
                let body = object(call.body)?;
                revoke(state, required_text(&body, API_KEYS_DELETE_MEMBER)?)
            }
            _ => Err(Failure::method_not_allowed("POST, DELETE")),
        };
    }
    if *call.method != Method::DELETE {
        return Err(Failure::method_not_allowed("DELETE"));
    }
    revoke(state, &path_name(call.rest, "API key")?)
}

/// The organisation and user of the API key the request carries, if it carries one.
fn caller(headers: &HeaderMap) -> Option<(String, String)> {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &http::HeaderValue| v.to_str().ok())
    };
    Some((
        text(auth::ORGNAME)?.to_owned(),
        text(auth::USERNAME)?.to_owned(),
    ))
}

fn create(state: &mut State, call: &Call<'_>) -> Answer {
    let named = if call.body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        let body = object(call.body)?;
        text(&body, API_KEYS_CREATE_USERNAME)?.map(str::to_owned)
    };
    let (org_name, username) = match (named, caller(call.headers)) {
        (Some(username), Some((org_name, _))) => (org_name, username),
        (Some(username), None) => (super::VALID_ORG_NAME.to_owned(), username),
        (None, Some(caller)) => caller,
        (None, None) => {
            return Err(Failure::missing_param(format!(
                "`{API_KEYS_CREATE_USERNAME}` names the user the key is for"
            )))
        }
    };
    NamePattern::Standard
        .check("username", &username)
        .map_err(|e| Failure::invalid_param(e.to_string()))?;
    if !state.users.exists(&username) {
        return Err(Failure::not_found("no such user"));
    }
    let key = issue(state, &org_name, &username);
    success(API_KEYS_CREATE_MEMBER, &key, &[])
}

fn revoke(state: &mut State, key: &str) -> Answer {
    let before = state.api_keys.len();
    state.api_keys.retain(|(_, _, known)| known != key);
    if state.api_keys.len() == before {
        return Err(Failure::not_found("no such API key"));
    }
    acknowledged()
}

//! API keys: secrets that let machine users authenticate with `x-rockit-orgname`,
//! `x-rockit-username` and `x-rockit-api-key` instead of an auth token.
//!
//! - `POST /be/v1/apikeys`: [`CreateApiKey`]
//! - `DELETE /be/v1/apikeys`: [`DeleteApiKey`]
//!
//! Since 2026-03 the server also routes `DELETE /be/v1/apikeys/{key}`; this crate sends the
//! key in the body instead (see [`API_KEYS_DELETE_MEMBER`]), and the path form remains
//! available as a [`crate::raw::RawRequest`].

use std::fmt;

use http::{Method, Response};
use serde_json::{Map, Value};

use crate::assumed::api_keys::{
    API_KEYS_CREATE_MEMBER, API_KEYS_CREATE_USERNAME, API_KEYS_DELETE_MEMBER,
};
use crate::auth::Credentials;
use crate::decode;
use crate::endpoint::{json_body, Endpoint};
use crate::error::{Error, InputError};
use crate::model::{Extra, ValuesHidden};
use crate::names::NamePattern;
use crate::secret::Secret;
use crate::users::secret_member;

const API_KEYS: &str = "/be/v1/apikeys";

/// `POST /be/v1/apikeys`: creates an API key, for the caller or for the user named.
///
/// The reference's example sends no body; [`CreateApiKey::username`] adds one naming the user
/// (see [`API_KEYS_CREATE_USERNAME`]). The answer carries the key (see
/// [`API_KEYS_CREATE_MEMBER`]).
///
/// ```
/// use rockit_edge::api_keys::CreateApiKey;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let creds = Credentials::backend_token("t0k").unwrap();
/// let create = CreateApiKey::new().username("ci_bot");
/// let request = create.to_request(&base, &creds).unwrap();
/// assert_eq!(request.body(), br#"{"username":"ci_bot"}"#);
///
/// let answer = br#"{"status": "success", "apiKey": "k-77aa"}"#;
/// let created = create.decode(&http::Response::new(answer.to_vec())).unwrap();
/// assert_eq!(created.api_key.expose(), "k-77aa");
/// let ci = created.credentials("ExampleOrg", "ci_bot").unwrap();
/// assert!(!format!("{created:?} {ci:?}").contains("k-77aa"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreateApiKey {
    username: Option<String>,
}

impl CreateApiKey {
    /// A key for the caller.
    pub fn new() -> Self {
        CreateApiKey::default()
    }

    /// A key for the user named `username` instead.
    pub fn username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }
}

/// An API key just created.
#[derive(Clone, PartialEq, Eq)]
pub struct CreatedApiKey {
    /// The key. `Debug` does not show it.
    pub api_key: Secret,
    /// The answer's other members, except `status`. `Debug` shows their names only.
    pub extra: Extra,
}

impl fmt::Debug for CreatedApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreatedApiKey")
            .field("api_key", &self.api_key)
            .field("extra", &ValuesHidden(&self.extra))
            .finish()
    }
}

impl CreatedApiKey {
    /// Credentials that authenticate with this key as `username` of `org_name`.
    pub fn credentials(
        &self,
        org_name: impl AsRef<str>,
        username: impl AsRef<str>,
    ) -> Result<Credentials, InputError> {
        Credentials::api_key(org_name, username, self.api_key.expose())
    }
}

impl Endpoint for CreateApiKey {
    type Output = CreatedApiKey;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(API_KEYS.to_owned())
    }

    fn body(&self) -> Result<Option<Vec<u8>>, InputError> {
        let Some(username) = &self.username else {
            return Ok(None);
        };
        NamePattern::Standard.check("username", username)?;
        let mut body = Map::new();
        body.insert(
            API_KEYS_CREATE_USERNAME.into(),
            Value::from(username.as_str()),
        );
        json_body(&body)
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<CreatedApiKey, Error> {
        let (api_key, extra) = secret_member(response, API_KEYS_CREATE_MEMBER)?;
        Ok(CreatedApiKey { api_key, extra })
    }
}

/// `DELETE /be/v1/apikeys`: revokes an API key; requests with it fail from then on.
///
/// The key travels in the body (see [`API_KEYS_DELETE_MEMBER`]). The reference does not show
/// the answer; its members other than `status` are returned as they are.
///
/// ```
/// use rockit_edge::api_keys::DeleteApiKey;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint, Secret};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let creds = Credentials::backend_token("t0k").unwrap();
/// let delete = DeleteApiKey::new(Secret::new("k-77aa").unwrap());
/// let request = delete.to_request(&base, &creds).unwrap();
/// assert_eq!(request.uri().path(), "/be/v1/apikeys");
/// assert_eq!(request.body(), br#"{"apiKey":"k-77aa"}"#);
/// assert!(!format!("{delete:?}").contains("k-77aa"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteApiKey {
    key: Secret,
}

impl DeleteApiKey {
    /// Revokes `key`.
    pub fn new(key: Secret) -> Self {
        DeleteApiKey { key }
    }
}

impl Endpoint for DeleteApiKey {
    type Output = Map<String, Value>;

    fn method(&self) -> Method {
        Method::DELETE
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(API_KEYS.to_owned())
    }

    fn body(&self) -> Result<Option<Vec<u8>>, InputError> {
        let mut body = Map::new();
        body.insert(
            API_KEYS_DELETE_MEMBER.into(),
            Value::from(self.key.expose()),
        );
        json_body(&body)
    }

    fn body_secrets(&self) -> Vec<&str> {
        vec![self.key.expose()]
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Map<String, Value>, Error> {
        decode::acknowledgement(response)
    }
}

//! Logging in: turning a user's password into tokens that the other endpoints accept.
//!
//! Two generations of the flow exist. The older one logs in once for a session token
//! (24 h) and exchanges it for short-lived auth tokens (5 min):
//!
//! - `POST /be/v1/login`: [`Login`] → [`Session`]
//! - `POST /be/v1/auth`: [`Authenticate`] → [`AuthToken`]
//!
//! The newer one logs in with the password for the user's organisations and a selection
//! token (15 min), then picks an organisation for an access token (15 min) and a refresh token
//! (24 h), and rotates both with the refresh token:
//!
//! - `POST /be/v1/login`: [`LoginWithPassword`] → [`OrgSelection`]
//! - `POST /be/v1/login`: [`LoginToOrg`] → [`TokenPair`]
//! - `POST /be/v1/refresh`: [`Refresh`] → [`TokenPair`]
//! - `POST /be/v1/logout`: [`Logout`]
//!
//! The reference shows neither bodies nor answers of these endpoints; the member and header
//! names used are those of [`crate::assumed::login`]. Every token answer converts into the
//! [`Credentials`] it stands for. Tokens are [`Secret`]s, and passwords [`Password`]s: their
//! `Debug` output never shows them.

use std::collections::BTreeMap;
use std::time::Duration;

use http::{Method, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::roles::{Permissions as RolePermissions, Resource};
use serde_json::{Map, Value};

use crate::assumed::login::{
    LOGIN_ACCESS_TOKEN_MEMBER, LOGIN_AUTH_TOKEN_MEMBER, LOGIN_EXPIRES_IN_MEMBER, LOGIN_LOGOUT_AUTH,
    LOGIN_ORGS_MEMBER, LOGIN_ORG_MEMBER, LOGIN_ORG_SELECTION_TOKEN_MEMBER, LOGIN_PASSWORD_MEMBER,
    LOGIN_PERMISSIONS_MEMBER, LOGIN_REFRESH_EXPIRES_IN_MEMBER, LOGIN_REFRESH_TOKEN_MEMBER,
    LOGIN_SESSION_TOKEN_MEMBER, LOGIN_USERNAME_MEMBER,
};
use crate::auth::{Auth, Credentials};
use crate::decode;
use crate::endpoint::{json_body, Endpoint};
use crate::error::{Error, InputError};
use crate::model::model;
use crate::names::NamePattern;
use crate::secret::Secret;

const LOGIN: &str = "/be/v1/login";
const AUTH: &str = "/be/v1/auth";
const REFRESH: &str = "/be/v1/refresh";
const LOGOUT: &str = "/be/v1/logout";

/// How long a session token of the older login stays valid: 24 hours.
pub const SESSION_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// How long an auth token from [`Authenticate`] stays valid: 5 minutes.
pub const AUTH_TOKEN_LIFETIME: Duration = Duration::from_secs(5 * 60);

/// How long an organisation selection token stays valid: 15 minutes.
pub const ORG_SELECTION_TOKEN_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// How long an access token stays valid by default: 15 minutes.
pub const ACCESS_TOKEN_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// How long a refresh token stays valid by default: 24 hours.
pub const REFRESH_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

pub use crate::secret::Password;

/// What a user may do: per resource, the permission bits its roles grant (see
/// [`crate::roles::Permissions`]).
///
/// ```
/// use rockit_edge::login::Permissions;
/// use rockit_edge::roles::Permissions as Bits;
///
/// let permissions: Permissions = serde_json::from_str(r#"{"apps": 15, "tasks": 2}"#).unwrap();
/// assert!(permissions.allows("apps", Bits::CREATE | Bits::DELETE));
/// assert!(!permissions.allows("tasks", Bits::EXECUTE));
/// assert_eq!(permissions.bits("roles"), Bits::NONE);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Permissions(pub BTreeMap<Resource, RolePermissions>);

impl Permissions {
    /// The bits granted on `resource`; none when it is not listed.
    pub fn bits(&self, resource: impl Into<Resource>) -> RolePermissions {
        self.0
            .get(&resource.into())
            .copied()
            .unwrap_or(RolePermissions::NONE)
    }

    /// Whether every bit of `wanted` is granted on `resource`.
    pub fn allows(&self, resource: impl Into<Resource>, wanted: RolePermissions) -> bool {
        self.bits(resource).contains(wanted)
    }
}

fn lifetime(seconds: &crate::Field<u64>, default: Duration) -> Duration {
    seconds.get().map_or(default, |s| Duration::from_secs(*s))
}

model! {
    secret
    /// The answer to [`Login`]: a session token and what the user may do.
    pub struct Session {
        /// The session token, for [`Authenticate`].
        required session_token: Secret = LOGIN_SESSION_TOKEN_MEMBER,
        /// What the user may do, per resource.
        optional permissions: Permissions = LOGIN_PERMISSIONS_MEMBER,
        /// The session token's lifetime in seconds, when the server says.
        optional expires_in: u64 = LOGIN_EXPIRES_IN_MEMBER,
    }
}

impl Session {
    /// The session token's lifetime: as the server says, else [`SESSION_TOKEN_LIFETIME`].
    pub fn lifetime(&self) -> Duration {
        lifetime(&self.expires_in, SESSION_TOKEN_LIFETIME)
    }

    /// The session token as credentials, for [`Authenticate`].
    pub fn credentials(&self) -> Credentials {
        Credentials::from(self)
    }
}

impl From<&Session> for Credentials {
    fn from(session: &Session) -> Self {
        Credentials::SessionToken(session.session_token.clone())
    }
}

model! {
    secret
    /// The answer to [`Authenticate`]: a short-lived auth token.
    pub struct AuthToken {
        /// The auth token, sent as `x-rockit-beauth-token`.
        required auth_token: Secret = LOGIN_AUTH_TOKEN_MEMBER,
        /// Its lifetime in seconds, when the server says.
        optional expires_in: u64 = LOGIN_EXPIRES_IN_MEMBER,
    }
}

impl AuthToken {
    /// The auth token's lifetime: as the server says, else [`AUTH_TOKEN_LIFETIME`].
    pub fn lifetime(&self) -> Duration {
        lifetime(&self.expires_in, AUTH_TOKEN_LIFETIME)
    }

    /// The auth token as credentials for the backend endpoints.
    pub fn credentials(&self) -> Credentials {
        Credentials::from(self)
    }
}

impl From<&AuthToken> for Credentials {
    fn from(token: &AuthToken) -> Self {
        Credentials::BackendToken(token.auth_token.clone())
    }
}

/// One organisation in an [`OrgSelection`]: its name, or an object describing it.
///
/// ```
/// use rockit_edge::login::LinkedOrg;
///
/// let orgs: Vec<LinkedOrg> =
///     serde_json::from_str(r#"["ExampleOrg", {"orgName": "OtherOrg", "label": "Other"}]"#)
///         .unwrap();
/// assert_eq!(orgs[0].name(), Some("ExampleOrg"));
/// assert_eq!(orgs[1].name(), Some("OtherOrg"));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LinkedOrg {
    /// The organisation's name.
    Name(String),
    /// An object describing the organisation, kept as received.
    Details(Map<String, Value>),
}

impl LinkedOrg {
    /// The organisation's name: the text, or the object's member named as in the login body
    /// ([`crate::assumed::login::LOGIN_ORG_MEMBER`]).
    pub fn name(&self) -> Option<&str> {
        match self {
            LinkedOrg::Name(name) => Some(name),
            LinkedOrg::Details(map) => map.get(LOGIN_ORG_MEMBER).and_then(Value::as_str),
        }
    }
}

model! {
    secret
    /// The answer to [`LoginWithPassword`]: the user's organisations and a token to pick one
    /// with [`LoginToOrg`].
    pub struct OrgSelection {
        /// The organisations the user belongs to.
        optional orgs: Vec<LinkedOrg> = LOGIN_ORGS_MEMBER,
        /// The organisation selection token.
        required org_selection_token: Secret = LOGIN_ORG_SELECTION_TOKEN_MEMBER,
        /// Its lifetime in seconds, when the server says.
        optional expires_in: u64 = LOGIN_EXPIRES_IN_MEMBER,
    }
}

impl OrgSelection {
    /// The names of the user's organisations, in the server's order.
    pub fn org_names(&self) -> Vec<&str> {
        self.orgs
            .get()
            .map(|orgs| orgs.iter().filter_map(LinkedOrg::name).collect())
            .unwrap_or_default()
    }

    /// The selection token's lifetime: as the server says, else
    /// [`ORG_SELECTION_TOKEN_LIFETIME`].
    pub fn lifetime(&self) -> Duration {
        lifetime(&self.expires_in, ORG_SELECTION_TOKEN_LIFETIME)
    }

    /// The selection token as credentials, for [`LoginToOrg`].
    pub fn credentials(&self) -> Credentials {
        Credentials::from(self)
    }
}

impl From<&OrgSelection> for Credentials {
    fn from(selection: &OrgSelection) -> Self {
        Credentials::OrgSelectionToken(selection.org_selection_token.clone())
    }
}

model! {
    secret
    /// The answer to [`LoginToOrg`] and [`Refresh`]: an access token and a refresh token.
    pub struct TokenPair {
        /// The access token, sent as `x-rockit-beauth-token`.
        required access_token: Secret = LOGIN_ACCESS_TOKEN_MEMBER,
        /// The refresh token, for [`Refresh`] and [`Logout`].
        required refresh_token: Secret = LOGIN_REFRESH_TOKEN_MEMBER,
        /// The access token's lifetime in seconds, when the server says.
        optional expires_in: u64 = LOGIN_EXPIRES_IN_MEMBER,
        /// The refresh token's lifetime in seconds, when the server says.
        optional refresh_expires_in: u64 = LOGIN_REFRESH_EXPIRES_IN_MEMBER,
    }
}

impl TokenPair {
    /// The access token's lifetime: as the server says, else [`ACCESS_TOKEN_LIFETIME`].
    pub fn lifetime(&self) -> Duration {
        lifetime(&self.expires_in, ACCESS_TOKEN_LIFETIME)
    }

    /// The refresh token's lifetime: as the server says, else [`REFRESH_TOKEN_LIFETIME`].
    pub fn refresh_lifetime(&self) -> Duration {
        lifetime(&self.refresh_expires_in, REFRESH_TOKEN_LIFETIME)
    }

    /// The access token as credentials for the backend endpoints.
    pub fn credentials(&self) -> Credentials {
        Credentials::from(self)
    }

    /// The refresh token as credentials, for [`Refresh`] and [`Logout`].
    pub fn refresh_credentials(&self) -> Credentials {
        Credentials::RefreshToken(self.refresh_token.clone())
    }
}

impl From<&TokenPair> for Credentials {
    fn from(tokens: &TokenPair) -> Self {
        Credentials::BackendToken(tokens.access_token.clone())
    }
}

/// Decodes a success body as a whole, without its `status`, into `T`. The answers decoded so
/// carry secrets (tokens, passwords), so a decode error keeps none of the body.
pub(crate) fn decode_body<T: DeserializeOwned, B: AsRef<[u8]>>(
    response: &Response<B>,
) -> Result<T, Error> {
    let members = Value::Object(decode::acknowledgement(response).map_err(decode::without_body)?);
    // Tracking the JSON path costs an allocation per member: only a failed decode pays it.
    T::deserialize(&members).map_err(|_| {
        let e = serde_path_to_error::deserialize::<_, T>(&members)
            .err()
            .map(|e| (e.path().to_string(), e.into_inner().to_string()));
        let (path, message) = e.unwrap_or_else(|| (".".into(), "cannot be decoded".into()));
        decode::withheld_decode_error(response, path, message)
    })
}

fn credentials_body(
    username: &str,
    password: &Password,
    org_name: Option<&str>,
) -> Result<Option<Vec<u8>>, InputError> {
    NamePattern::Standard.check("user name", username)?;
    if password.expose().is_empty() {
        return Err(InputError::new("password", "must not be empty"));
    }
    let mut body = Map::new();
    body.insert(LOGIN_USERNAME_MEMBER.into(), Value::from(username));
    body.insert(LOGIN_PASSWORD_MEMBER.into(), Value::from(password.expose()));
    if let Some(org_name) = org_name {
        NamePattern::Standard.check("organisation name", org_name)?;
        body.insert(LOGIN_ORG_MEMBER.into(), Value::from(org_name));
    }
    json_body(&body)
}

fn empty_body() -> Result<Option<Vec<u8>>, InputError> {
    json_body(&Map::new())
}

/// `POST /be/v1/login` of the older flow: a user's password for a session token and the
/// user's permissions.
///
/// Sent without credentials (API keys are not accepted here). The body names the
/// organisation too: that is what tells this login from the first step of
/// [`LoginWithPassword`] (assumed, see [`crate::assumed::login::LOGIN_ORG_MEMBER`]).
///
/// ```
/// use rockit_edge::login::Login;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let none = Credentials::backend_token("unused").unwrap();
/// let request = Login::new("ExampleOrg", "alice", "pw").to_request(&base, &none).unwrap();
/// assert_eq!(request.uri(), "https://edge.example.com/be/v1/login");
/// assert!(request.headers().get("x-rockit-beauth-token").is_none());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Login {
    org_name: String,
    username: String,
    password: Password,
}

impl Login {
    /// Logs `username` of `org_name` in with `password`.
    pub fn new(
        org_name: impl Into<String>,
        username: impl Into<String>,
        password: impl Into<Password>,
    ) -> Self {
        Login {
            org_name: org_name.into(),
            username: username.into(),
            password: password.into(),
        }
    }
}

impl Endpoint for Login {
    type Output = Session;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(LOGIN.to_owned())
    }

    fn body(&self) -> Result<Option<Vec<u8>>, InputError> {
        credentials_body(&self.username, &self.password, Some(&self.org_name))
    }

    fn body_secrets(&self) -> Vec<&str> {
        vec![self.password.expose()]
    }

    fn auth(&self) -> Auth {
        Auth::None
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Session, Error> {
        decode_body(response)
    }
}

/// `POST /be/v1/auth` of the older flow: a session token for an auth token (5 minutes).
///
/// Takes the session token ([`Auth::Session`]); the body is `{}`, so that the request carries
/// the `Content-Type: application/json` the reference requires.
///
/// ```
/// use rockit_edge::login::Authenticate;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let session = Credentials::session_token("s3ss").unwrap();
/// let request = Authenticate::new().to_request(&base, &session).unwrap();
/// assert_eq!(request.headers()["x-rockit-besession-token"], "s3ss");
/// assert_eq!(request.headers()["content-type"], "application/json");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Authenticate {}

impl Authenticate {
    /// Asks for an auth token.
    pub fn new() -> Self {
        Authenticate {}
    }
}

impl Endpoint for Authenticate {
    type Output = AuthToken;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(AUTH.to_owned())
    }

    fn body(&self) -> Result<Option<Vec<u8>>, InputError> {
        empty_body()
    }

    fn auth(&self) -> Auth {
        Auth::Session
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<AuthToken, Error> {
        decode_body(response)
    }
}

/// `POST /be/v1/login`, first step of the newer flow ("user login (user+pw)"): a user's
/// password for the user's organisations and an organisation selection token (15 minutes).
///
/// Sent without credentials.
///
/// ```
/// use rockit_edge::login::LoginWithPassword;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let none = Credentials::backend_token("unused").unwrap();
/// let request = LoginWithPassword::new("alice", "pw").to_request(&base, &none).unwrap();
/// let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
/// assert_eq!(body, serde_json::json!({"username": "alice", "password": "pw"}));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginWithPassword {
    username: String,
    password: Password,
}

impl LoginWithPassword {
    /// Logs `username` in with `password`.
    pub fn new(username: impl Into<String>, password: impl Into<Password>) -> Self {
        LoginWithPassword {
            username: username.into(),
            password: password.into(),
        }
    }
}

impl Endpoint for LoginWithPassword {
    type Output = OrgSelection;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(LOGIN.to_owned())
    }

    fn body(&self) -> Result<Option<Vec<u8>>, InputError> {
        credentials_body(&self.username, &self.password, None)
    }

    fn body_secrets(&self) -> Vec<&str> {
        vec![self.password.expose()]
    }

    fn auth(&self) -> Auth {
        Auth::None
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<OrgSelection, Error> {
        decode_body(response)
    }
}

/// `POST /be/v1/login`, second step of the newer flow ("user login (org)"): an organisation
/// selection token and an organisation for an access token and a refresh token.
///
/// Takes the selection token ([`Auth::OrgSelection`]; header assumed, see
/// [`crate::auth::ORG_SELECTION_TOKEN`]); the body names the organisation.
///
/// ```
/// use rockit_edge::login::LoginToOrg;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let selection = Credentials::org_selection_token("s3l").unwrap();
/// let request = LoginToOrg::new("ExampleOrg").to_request(&base, &selection).unwrap();
/// assert_eq!(request.headers()["x-rockit-orgsel-token"], "s3l");
/// assert!(LoginToOrg::new("Example-Org").to_request(&base, &selection).is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginToOrg {
    org_name: String,
}

impl LoginToOrg {
    /// Picks `org_name`, one of [`OrgSelection::org_names`].
    pub fn new(org_name: impl Into<String>) -> Self {
        LoginToOrg {
            org_name: org_name.into(),
        }
    }
}

impl Endpoint for LoginToOrg {
    type Output = TokenPair;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(LOGIN.to_owned())
    }

    fn body(&self) -> Result<Option<Vec<u8>>, InputError> {
        NamePattern::Standard.check("organisation name", &self.org_name)?;
        let mut body = Map::new();
        body.insert(LOGIN_ORG_MEMBER.into(), Value::from(self.org_name.as_str()));
        json_body(&body)
    }

    fn auth(&self) -> Auth {
        Auth::OrgSelection
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<TokenPair, Error> {
        decode_body(response)
    }
}

/// `POST /be/v1/refresh`: a refresh token for a new access token and a new refresh token.
///
/// Takes the refresh token ([`Auth::Refresh`]; header assumed, see
/// [`crate::auth::REFRESH_TOKEN`]); the body is `{}`, as in the reference's example. The old
/// refresh token should not be used again.
///
/// ```
/// use rockit_edge::login::Refresh;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let refresh = Credentials::refresh_token("r3fr").unwrap();
/// let request = Refresh::new().to_request(&base, &refresh).unwrap();
/// assert_eq!(request.uri().path(), "/be/v1/refresh");
/// assert_eq!(request.body(), b"{}");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Refresh {}

impl Refresh {
    /// Asks for new tokens.
    pub fn new() -> Self {
        Refresh {}
    }
}

impl Endpoint for Refresh {
    type Output = TokenPair;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(REFRESH.to_owned())
    }

    fn body(&self) -> Result<Option<Vec<u8>>, InputError> {
        empty_body()
    }

    fn auth(&self) -> Auth {
        Auth::Refresh
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<TokenPair, Error> {
        decode_body(response)
    }
}

/// `POST /be/v1/logout`: ends the session of a refresh token.
///
/// The reference shows only the route. It takes the credentials named by
/// [`crate::assumed::login::LOGIN_LOGOUT_AUTH`] (the refresh token) and sends `{}` like
/// [`Refresh`]. The answer's members other than `status` are returned as they are.
///
/// ```
/// use rockit_edge::login::Logout;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let refresh = Credentials::refresh_token("r3fr").unwrap();
/// let request = Logout::new().to_request(&base, &refresh).unwrap();
/// assert_eq!(request.headers()["x-rockit-refresh-token"], "r3fr");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Logout {}

impl Logout {
    /// Ends the session.
    pub fn new() -> Self {
        Logout {}
    }
}

impl Endpoint for Logout {
    type Output = Map<String, Value>;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(LOGOUT.to_owned())
    }

    fn body(&self) -> Result<Option<Vec<u8>>, InputError> {
        empty_body()
    }

    fn auth(&self) -> Auth {
        LOGIN_LOGOUT_AUTH
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Map<String, Value>, Error> {
        decode::acknowledgement(response)
    }
}

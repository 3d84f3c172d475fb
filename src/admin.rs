//! The admin API of an Edge installation: health checks, versions, and organisations. Every
//! endpoint takes an admin token ([`Auth::Admin`], header `x-rockit-admin-token`).
//!
//! - `POST /srv/v1/ping` (formerly `/adm/v1/ping`): [`Ping`]
//! - `POST /srv/v1/hello` (formerly `/adm/v1/hello`): [`SubmitTestTask`]
//! - `GET /srv/v1/versions` (formerly `/adm/v1/versions`): [`GetVersions`]
//! - `POST /adm/v1/orgs`: [`CreateOrg`]
//! - `DELETE /adm/v1/orgs/{org}`: [`DeleteOrg`]
//!
//! Ping, the test task and the versions moved from `/adm/v1` to `/srv/v1`. Their endpoint
//! values use the current prefix unless told otherwise ([`AdminPrefix`]), and
//! [`send_with_legacy_fallback`] serves both kinds of server without the caller choosing.

use http::{Method, Response, StatusCode};
use serde_json::{Map, Value};

use crate::assumed::admin::{
    ADMIN_ORG_EMAIL_MEMBER, ADMIN_ORG_NAME_MEMBER, ADMIN_ORG_PASSWORD_MEMBER,
    ADMIN_ORG_PUBLIC_KEY_MEMBER, ADMIN_ORG_USERNAME_MEMBER, ADMIN_VERSIONS_EDGE_MEMBER,
    ADMIN_VERSIONS_ENGINE_MEMBER, ADMIN_VERSIONS_MEMBER,
};
use crate::auth::Auth;
use crate::client::Client;
use crate::decode;
use crate::endpoint::{json_body, Endpoint, PathBuilder};
use crate::error::{Error, InputError};
use crate::login::{decode_body, Password};
use crate::model::model;
use crate::names::NamePattern;
use crate::transport::Transport;

const ADMIN_ORGS: &str = "/adm/v1/orgs";

/// Where ping, the test task and the versions live.
///
/// ```
/// use rockit_edge::admin::AdminPrefix;
///
/// assert_eq!(AdminPrefix::default(), AdminPrefix::Current);
/// assert_eq!(AdminPrefix::Legacy.as_str(), "/adm/v1");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum AdminPrefix {
    /// `/srv/v1`, where servers since early 2026 serve them.
    #[default]
    Current,
    /// `/adm/v1`, where older servers serve them.
    Legacy,
}

impl AdminPrefix {
    /// The path prefix.
    pub const fn as_str(self) -> &'static str {
        match self {
            AdminPrefix::Current => "/srv/v1",
            AdminPrefix::Legacy => "/adm/v1",
        }
    }
}

/// An admin endpoint that exists under both [`AdminPrefix`]es.
pub trait Prefixed: Endpoint + Sized {
    /// The prefix the endpoint is sent to.
    fn admin_prefix(&self) -> AdminPrefix;

    /// The same endpoint under `prefix`.
    fn with_prefix(&self, prefix: AdminPrefix) -> Self;
}

/// Sends `endpoint` under the current prefix and, if the server answers 404, once more under
/// the legacy one; returns the answer and the prefix that gave it.
///
/// Any other failure of the first try is returned as it is. When the legacy try fails too,
/// its error is returned. Remember the prefix to send later calls straight to it.
///
/// ```
/// use rockit_edge::admin::{send_with_legacy_fallback, AdminPrefix, GetVersions};
/// use rockit_edge::fake::FakeEdge;
/// use rockit_edge::Client;
///
/// let fake = FakeEdge::seeded();
/// fake.disable_admin_prefix(AdminPrefix::Current);
/// let client = Client::new(fake.clone(), fake.base_url(), fake.admin_credentials());
/// let (_versions, prefix) = send_with_legacy_fallback(&client, &GetVersions::new()).unwrap();
/// assert_eq!(prefix, AdminPrefix::Legacy);
/// ```
pub fn send_with_legacy_fallback<T: Transport, E: Prefixed>(
    client: &Client<T>,
    endpoint: &E,
) -> Result<(E::Output, AdminPrefix), Error> {
    let current = endpoint.with_prefix(AdminPrefix::Current);
    match client.send(&current) {
        Err(e) if e.status() == Some(StatusCode::NOT_FOUND) => {
            let legacy = endpoint.with_prefix(AdminPrefix::Legacy);
            client
                .send(&legacy)
                .map(|output| (output, AdminPrefix::Legacy))
        }
        other => other.map(|output| (output, AdminPrefix::Current)),
    }
}

macro_rules! prefixed {
    ($endpoint:ident) => {
        impl Prefixed for $endpoint {
            fn admin_prefix(&self) -> AdminPrefix {
                self.prefix
            }

            fn with_prefix(&self, prefix: AdminPrefix) -> Self {
                let mut endpoint = self.clone();
                endpoint.prefix = prefix;
                endpoint
            }
        }
    };
}

/// `POST /srv/v1/ping` (formerly `/adm/v1/ping`): checks that the Edge functions answer.
///
/// The reference shows only the route, so the answer's members other than `status` are
/// returned as they are.
///
/// ```
/// use rockit_edge::admin::{AdminPrefix, Ping};
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let admin = Credentials::admin_token("adm").unwrap();
/// let request = Ping::new().prefix(AdminPrefix::Legacy).to_request(&base, &admin).unwrap();
/// assert_eq!(request.uri(), "https://edge.example.com/adm/v1/ping");
/// assert_eq!(request.headers()["x-rockit-admin-token"], "adm");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ping {
    prefix: AdminPrefix,
}

impl Ping {
    /// A ping under the current prefix.
    pub fn new() -> Self {
        Ping::default()
    }

    /// Sends it under `prefix` instead.
    pub fn prefix(mut self, prefix: AdminPrefix) -> Self {
        self.prefix = prefix;
        self
    }
}

prefixed!(Ping);

impl Endpoint for Ping {
    type Output = Map<String, Value>;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(format!("{}/ping", self.prefix.as_str()))
    }

    fn auth(&self) -> Auth {
        Auth::Admin
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Map<String, Value>, Error> {
        decode::acknowledgement(response)
    }
}

/// `POST /srv/v1/hello` (formerly `/adm/v1/hello`), "submit test task": schedules a trivial
/// compute task, to check that task submission and the compute resources work.
///
/// Both body members are required by the reference. It shows no answer, so the answer's
/// members other than `status` are returned as they are.
///
/// ```
/// use rockit_edge::admin::SubmitTestTask;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let admin = Credentials::admin_token("adm").unwrap();
/// let request = SubmitTestTask::new("Hello World", false).to_request(&base, &admin).unwrap();
/// assert_eq!(request.uri().path(), "/srv/v1/hello");
/// let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
/// assert_eq!(body, serde_json::json!({"message": "Hello World", "maintenance": false}));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubmitTestTask {
    prefix: AdminPrefix,
    message: String,
    maintenance: bool,
}

impl SubmitTestTask {
    /// A test task that carries `message`, run in maintenance mode or not.
    pub fn new(message: impl Into<String>, maintenance: bool) -> Self {
        SubmitTestTask {
            prefix: AdminPrefix::default(),
            message: message.into(),
            maintenance,
        }
    }

    /// Sends it under `prefix` instead.
    pub fn prefix(mut self, prefix: AdminPrefix) -> Self {
        self.prefix = prefix;
        self
    }
}

prefixed!(SubmitTestTask);

impl Endpoint for SubmitTestTask {
    type Output = Map<String, Value>;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(format!("{}/hello", self.prefix.as_str()))
    }

    fn body(&self) -> Result<Option<Vec<u8>>, InputError> {
        let mut body = Map::new();
        body.insert("message".into(), Value::from(self.message.as_str()));
        body.insert("maintenance".into(), Value::Bool(self.maintenance));
        json_body(&body)
    }

    fn auth(&self) -> Auth {
        Auth::Admin
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Map<String, Value>, Error> {
        decode::acknowledgement(response)
    }
}

model! {
    /// The version identifiers of ROCKIT Edge and ROCKIT Engine.
    ///
    /// Each is text or an object of identifiers, as the server sends it; the full set is known
    /// only after test tasks ran on both ([`SubmitTestTask`]).
    pub struct Versions {
        /// ROCKIT Edge's version.
        optional edge: Value = ADMIN_VERSIONS_EDGE_MEMBER,
        /// ROCKIT Engine's version.
        optional engine: Value = ADMIN_VERSIONS_ENGINE_MEMBER,
    }
}

/// `GET /srv/v1/versions` (formerly `/adm/v1/versions`): the versions of ROCKIT Edge and ROCKIT
/// Engine.
///
/// ```
/// use rockit_edge::admin::GetVersions;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let admin = Credentials::admin_token("adm").unwrap();
/// let request = GetVersions::new().to_request(&base, &admin).unwrap();
/// assert_eq!(request.uri(), "https://edge.example.com/srv/v1/versions");
/// let answer = br#"{"status":"success","versions":{"edge":"159","engine":"2.4.1"}}"#;
/// let versions = GetVersions::new().decode(&http::Response::new(answer.to_vec())).unwrap();
/// assert_eq!(versions.edge.get().and_then(|v| v.as_str()), Some("159"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GetVersions {
    prefix: AdminPrefix,
}

impl GetVersions {
    /// The versions, under the current prefix.
    pub fn new() -> Self {
        GetVersions::default()
    }

    /// Sends it under `prefix` instead.
    pub fn prefix(mut self, prefix: AdminPrefix) -> Self {
        self.prefix = prefix;
        self
    }
}

prefixed!(GetVersions);

impl Endpoint for GetVersions {
    type Output = Versions;

    fn method(&self) -> Method {
        Method::GET
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(format!("{}/versions", self.prefix.as_str()))
    }

    fn auth(&self) -> Auth {
        Auth::Admin
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Versions, Error> {
        decode::member(response, ADMIN_VERSIONS_MEMBER)
    }
}

model! {
    secret
    /// The answer to [`CreateOrg`].
    ///
    /// Older servers return the primary administrator's initial password; newer ones e-mail
    /// an invitation instead and return none.
    pub struct CreatedOrg {
        /// The organisation's name.
        optional org_name: String = ADMIN_ORG_NAME_MEMBER,
        /// The primary administrator's user name.
        optional username: String = ADMIN_ORG_USERNAME_MEMBER,
        /// The primary administrator's initial password.
        optional initial_password: Password = ADMIN_ORG_PASSWORD_MEMBER,
    }
}

/// `POST /adm/v1/orgs`: creates an organisation with its `Administrators` role and primary
/// administrator.
///
/// The reference does not show the body; its members are assumed (see
/// [`crate::assumed::admin`]) and only those set are sent. Older servers answer the
/// administrator's initial password, newer ones send an invitation to [`CreateOrg::email`].
///
/// ```
/// use rockit_edge::admin::CreateOrg;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let admin = Credentials::admin_token("adm").unwrap();
/// let create = CreateOrg::new("NewOrg").admin_username("boss").email("boss@example.com");
/// let request = create.to_request(&base, &admin).unwrap();
/// let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
/// assert_eq!(body["orgName"], "NewOrg");
/// assert_eq!(body["email"], "boss@example.com");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateOrg {
    org_name: String,
    username: Option<String>,
    email: Option<String>,
    public_key: Option<String>,
}

impl CreateOrg {
    /// Creates the organisation `org_name`.
    pub fn new(org_name: impl Into<String>) -> Self {
        CreateOrg {
            org_name: org_name.into(),
            username: None,
            email: None,
            public_key: None,
        }
    }

    /// Names the primary administrator.
    pub fn admin_username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }

    /// The address that receives the invitation (newer servers).
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// The organisation's RSA public key, PEM-encoded.
    pub fn public_key(mut self, pem: impl Into<String>) -> Self {
        self.public_key = Some(pem.into());
        self
    }
}

impl Endpoint for CreateOrg {
    type Output = CreatedOrg;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(ADMIN_ORGS.to_owned())
    }

    fn body(&self) -> Result<Option<Vec<u8>>, InputError> {
        NamePattern::Standard.check("organisation name", &self.org_name)?;
        let mut body = Map::new();
        body.insert(
            ADMIN_ORG_NAME_MEMBER.into(),
            Value::from(self.org_name.as_str()),
        );
        if let Some(username) = &self.username {
            NamePattern::Standard.check("user name", username)?;
            body.insert(
                ADMIN_ORG_USERNAME_MEMBER.into(),
                Value::from(username.as_str()),
            );
        }
        if let Some(email) = &self.email {
            if !email.contains('@') {
                return Err(InputError::new("e-mail address", "must contain `@`"));
            }
            body.insert(ADMIN_ORG_EMAIL_MEMBER.into(), Value::from(email.as_str()));
        }
        if let Some(pem) = &self.public_key {
            if !pem.contains("-----BEGIN") {
                return Err(InputError::new("public key", "must be PEM-encoded"));
            }
            body.insert(
                ADMIN_ORG_PUBLIC_KEY_MEMBER.into(),
                Value::from(pem.as_str()),
            );
        }
        json_body(&body)
    }

    fn auth(&self) -> Auth {
        Auth::Admin
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<CreatedOrg, Error> {
        decode_body(response)
    }
}

/// `DELETE /adm/v1/orgs/{org}`: deletes an organisation and all its data; irreversible.
///
/// The reference shows only the route, so the answer's members other than `status` are
/// returned as they are.
///
/// ```
/// use rockit_edge::admin::DeleteOrg;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let admin = Credentials::admin_token("adm").unwrap();
/// let request = DeleteOrg::new("OldOrg").to_request(&base, &admin).unwrap();
/// assert_eq!(request.uri(), "https://edge.example.com/adm/v1/orgs/OldOrg");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteOrg {
    org_name: String,
}

impl DeleteOrg {
    /// Deletes the organisation `org_name`.
    pub fn new(org_name: impl Into<String>) -> Self {
        DeleteOrg {
            org_name: org_name.into(),
        }
    }
}

impl Endpoint for DeleteOrg {
    type Output = Map<String, Value>;

    fn method(&self) -> Method {
        Method::DELETE
    }

    fn path(&self) -> Result<String, InputError> {
        NamePattern::Standard.check("organisation name", &self.org_name)?;
        Ok(PathBuilder::new(ADMIN_ORGS)
            .segment("organisation name", &self.org_name)?
            .finish())
    }

    fn auth(&self) -> Auth {
        Auth::Admin
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Map<String, Value>, Error> {
        decode::acknowledgement(response)
    }
}

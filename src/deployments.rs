//! Deployments: origin configurations that say where ROCKIT Images and Patches are published
//! (an S3 bucket of a CDN origin, for instance), optionally with a download authentication
//! group. Apps register deployments (see [`crate::apps::PatchApp`]); each build of an app is
//! then published to every deployment it is registered to.
//!
//! - `POST /be/v1/deployments`: [`CreateDeployment`]
//! - `GET /be/v1/deployments`: [`ListDeployments`]
//! - `GET /be/v1/deployments/{deployment}`: [`GetDeployment`]
//! - `PATCH /be/v1/deployments`: [`ModifyDeployment`]
//! - `DELETE /be/v1/deployments/{DEPLOYMENT_NAME}`: [`DeleteDeployment`]
//!
//! Only `originPrefix` and the name pattern are named by the reference; the other members of
//! a deployment are listed in [`crate::assumed::deployments`].

use std::fmt;

use http::{Method, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::assumed::deployments as assumed;
use crate::decode;
use crate::endpoint::{json_body, Endpoint, PathBuilder, Query};
use crate::error::{Error, InputError};
use crate::model::{model, open_enum, Extra, Field, ValuesHidden};
use crate::names::NamePattern;
use crate::page::{list_request, ListParams, Page};
use crate::tasks::Timestamp;

const DEPLOYMENTS: &str = "/be/v1/deployments";

model! {
    /// A deployment: an origin and how to reach it, and, as the server reports them, its
    /// status and a message about it.
    ///
    /// The same model is the body of [`CreateDeployment`] and [`ModifyDeployment`]; members
    /// that are absent are not sent.
    pub struct Deployment {
        /// The deployment's unique name, matching `^[A-Za-z0-9_[\]]{2,50}$`, such as `gcore`.
        required name: String = "name",
        /// What kind of storage the origin is.
        optional origin_type: OriginType = "originType",
        /// The storage's endpoint; for S3, the regional host without the bucket, such as
        /// `s3.us-east-1.amazonaws.com`.
        optional endpoint: String = "endpoint",
        /// The bucket the files go to.
        optional bucket: String = "bucket",
        /// How to sign in to the storage. Its `Debug` output never shows the secret.
        optional credentials: OriginCredentials = "credentials",
        /// The prefix of every published path: images go to
        /// `<originPrefix>/dxf/<orgName>/<appName>/<iCurBuild>/<dxfName>/`, patches to
        /// `<originPrefix>/pat/<orgName>/<appName>/<toBuildId>/<fromBuildId>/`.
        optional origin_prefix: String = "originPrefix",
        /// The download authentication group, when Edge also authenticates CDN downloads
        /// (as for ROCKIT StreamInstaller).
        optional download_auth_group: String = "downloadAuthGroup",
        /// The deployment's status, such as [`crate::assumed::deployments::DEPLOYMENTS_ERROR_STATUS`].
        optional status: String = "status",
        /// A message describing the status.
        optional message: String = "message",
        /// When it was created.
        optional created: Timestamp = "created",
        /// When it was last changed.
        optional updated: Timestamp = "updated",
    }
}

impl Deployment {
    /// A deployment with only its name set.
    ///
    /// ```
    /// use rockit_edge::deployments::Deployment;
    ///
    /// let deployment = Deployment::named("gcore");
    /// assert_eq!(serde_json::to_string(&deployment).unwrap(), r#"{"name":"gcore"}"#);
    /// ```
    pub fn named(name: impl Into<String>) -> Self {
        Deployment {
            name: name.into(),
            origin_type: Field::Absent,
            endpoint: Field::Absent,
            bucket: Field::Absent,
            credentials: Field::Absent,
            origin_prefix: Field::Absent,
            download_auth_group: Field::Absent,
            status: Field::Absent,
            message: Field::Absent,
            created: Field::Absent,
            updated: Field::Absent,
            extra: Extra::new(),
        }
    }

    /// Whether the server reports the deployment in error.
    ///
    /// ```
    /// use rockit_edge::deployments::Deployment;
    ///
    /// let mut deployment = Deployment::named("gcore");
    /// assert!(!deployment.has_error());
    /// deployment.status = rockit_edge::Field::Value("error".into());
    /// assert!(deployment.has_error());
    /// ```
    pub fn has_error(&self) -> bool {
        self.status.get().map(String::as_str) == Some(assumed::DEPLOYMENTS_ERROR_STATUS)
    }
}

open_enum! {
    /// What kind of storage an origin is.
    pub enum OriginType {
        /// An S3 bucket, of Amazon or of any S3-compatible storage.
        S3 = "s3",
    }
}

/// A secret inside a JSON body, such as the secret access key of an origin.
///
/// Unlike [`crate::Secret`], which travels in headers, it is any text and is encoded as a
/// JSON string; `Debug` and `Display` print `[redacted]`.
///
/// ```
/// use rockit_edge::deployments::SecretText;
///
/// let secret = SecretText::new("wJalrXUtnFEMI");
/// assert_eq!(format!("{secret:?} {secret}"), "SecretText([redacted]) [redacted]");
/// assert_eq!(serde_json::to_string(&secret).unwrap(), r#""wJalrXUtnFEMI""#);
/// assert_eq!(secret.expose(), "wJalrXUtnFEMI");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SecretText(String);

impl SecretText {
    /// Keeps `value` as a secret.
    pub fn new(value: impl Into<String>) -> Self {
        SecretText(value.into())
    }

    /// The secret itself, for code that must store or forward it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretText([redacted])")
    }
}

impl fmt::Display for SecretText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// How to sign in to an origin's storage: for S3, an access key id and its secret access key.
///
/// Members of other origin types are kept in `extra`. Because any of them may be a secret,
/// `Debug` shows the names of the `extra` members but none of their values, and never the
/// secret access key; the access key id, an identifier, is shown.
///
/// ```
/// use rockit_edge::deployments::OriginCredentials;
///
/// let credentials = OriginCredentials::s3("AKIAEXAMPLE", "wJalrXUtnFEMI");
/// let printed = format!("{credentials:?}");
/// assert!(printed.contains("AKIAEXAMPLE") && !printed.contains("wJalrXUtnFEMI"));
/// let json = serde_json::to_value(&credentials).unwrap();
/// assert_eq!(json["secretAccessKey"], "wJalrXUtnFEMI");
/// ```
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "wire::Credentials", into = "wire::Credentials")]
pub struct OriginCredentials {
    /// The access key id.
    pub access_key_id: Field<String>,
    /// The secret access key.
    pub secret_access_key: Field<SecretText>,
    /// Members this crate does not type, kept as they were received.
    pub extra: Extra,
}

impl OriginCredentials {
    /// S3 credentials: an access key id and its secret access key.
    pub fn s3(access_key_id: impl Into<String>, secret_access_key: impl Into<String>) -> Self {
        OriginCredentials {
            access_key_id: Field::Value(access_key_id.into()),
            secret_access_key: Field::Value(SecretText::new(secret_access_key)),
            extra: Extra::new(),
        }
    }
}

/// The secret access key of a deployment's credentials and every text in their other members,
/// at any depth, as any of them may be a secret (so a server's message that repeats one of
/// them, secret or not, shows `[redacted]` in its place).
fn credential_secrets(deployment: &Deployment) -> Vec<&str> {
    fn texts<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
        match value {
            Value::String(text) => out.push(text),
            Value::Array(items) => items.iter().for_each(|item| texts(item, out)),
            Value::Object(members) => members.values().for_each(|member| texts(member, out)),
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
    let mut secrets = Vec::new();
    if let Some(credentials) = deployment.credentials.get() {
        secrets.extend(credentials.secret_access_key.get().map(SecretText::expose));
        credentials
            .extra
            .values()
            .for_each(|v| texts(v, &mut secrets));
    }
    secrets
}

impl fmt::Debug for OriginCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OriginCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &self.secret_access_key)
            .field("extra", &ValuesHidden(&self.extra))
            .finish()
    }
}

/// The wire form of [`OriginCredentials`], whose own `Debug` must not be the derived one.
pub(crate) mod wire {
    use super::SecretText;
    use crate::model::model;

    model! {
        /// Credentials as they are encoded.
        pub struct Credentials {
            /// The access key id.
            optional access_key_id: String = "accessKeyId",
            /// The secret access key.
            optional secret_access_key: SecretText = "secretAccessKey",
        }
    }

    impl From<Credentials> for super::OriginCredentials {
        fn from(c: Credentials) -> Self {
            super::OriginCredentials {
                access_key_id: c.access_key_id,
                secret_access_key: c.secret_access_key,
                extra: c.extra,
            }
        }
    }

    impl From<super::OriginCredentials> for Credentials {
        fn from(c: super::OriginCredentials) -> Self {
            Credentials {
                access_key_id: c.access_key_id,
                secret_access_key: c.secret_access_key,
                extra: c.extra,
            }
        }
    }
}

/// Checks what can be checked of an endpoint, and of it with the bucket, without knowing the
/// storage provider: the S3 rules say the endpoint must not contain the bucket name and must
/// contain the region.
///
/// The bucket rule holds for every S3 host: a bucket as a host label (virtual-hosted style)
/// or as the first path segment (path style) is refused. The region can be recognised only
/// on Amazon's own hosts, whose regions look like `us-east-1`; S3-compatible providers name
/// their regions their own way, so their endpoints are not checked for one.
fn check_endpoint(endpoint: &str, bucket: Option<&str>) -> Result<(), InputError> {
    const WHAT: &str = "deployment endpoint";
    if endpoint.is_empty() {
        return Err(InputError::new(WHAT, "must not be empty"));
    }
    if endpoint
        .chars()
        .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(InputError::new(
            WHAT,
            "must not contain white space or control characters",
        ));
    }
    let without_scheme = endpoint
        .split_once("://")
        .map_or(endpoint, |(_, rest)| rest);
    let (authority, path) = without_scheme
        .split_once('/')
        .unwrap_or((without_scheme, ""));
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let host = host
        .split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if host.is_empty() {
        return Err(InputError::new(
            WHAT,
            "must name a host, such as s3.us-east-1.amazonaws.com",
        ));
    }

    if let Some(bucket) = bucket.map(str::to_ascii_lowercase) {
        let first_segment = path.split('/').next().unwrap_or_default();
        let in_host = host == bucket
            || host.starts_with(&format!("{bucket}."))
            || host.contains(&format!(".{bucket}."));
        if !bucket.is_empty() && (in_host || first_segment.eq_ignore_ascii_case(&bucket)) {
            return Err(InputError::new(
                WHAT,
                "must not contain the bucket name; the bucket is a member of its own",
            ));
        }
    }

    let amazon = host.ends_with(".amazonaws.com") || host.ends_with(".amazonaws.com.cn");
    if amazon && !host.split('.').any(is_aws_region) {
        return Err(InputError::new(
            WHAT,
            "must contain the region, such as s3.us-east-1.amazonaws.com",
        ));
    }
    Ok(())
}

/// Whether a host label is an AWS region (`eu-central-1`, `us-gov-west-1`), possibly in the
/// older dash form `s3-us-west-2`.
fn is_aws_region(label: &str) -> bool {
    let label = label.strip_prefix("s3-").unwrap_or(label);
    let parts: Vec<&str> = label.split('-').collect();
    let Some((number, words)) = parts.split_last() else {
        return false;
    };
    words.len() >= 2
        && words[0].len() == 2
        && words
            .iter()
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        && !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// Checks the members a create or modify body carries.
pub(crate) fn check_body(deployment: &Deployment) -> Result<(), InputError> {
    NamePattern::Deployment.check("deployment name", &deployment.name)?;
    if let Some(endpoint) = deployment.endpoint.get() {
        check_endpoint(endpoint, deployment.bucket.get().map(String::as_str))?;
    }
    if deployment.bucket.get().is_some_and(String::is_empty) {
        return Err(InputError::new("bucket", "must not be empty"));
    }
    if deployment
        .origin_type
        .get()
        .is_some_and(|t| t.as_str().trim().is_empty())
    {
        return Err(InputError::new("origin type", "must not be empty"));
    }
    Ok(())
}

macro_rules! deployment_setters {
    ($endpoint:ident) => {
        impl $endpoint {
            /// Sets the kind of storage.
            pub fn origin_type(mut self, origin_type: impl Into<OriginType>) -> Self {
                self.deployment.origin_type = Field::Value(origin_type.into());
                self
            }

            /// Sets the storage's endpoint, checked before sending: it must not contain the
            /// bucket name, and an Amazon S3 host must contain the region.
            pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
                self.deployment.endpoint = Field::Value(endpoint.into());
                self
            }

            /// Sets the bucket.
            pub fn bucket(mut self, bucket: impl Into<String>) -> Self {
                self.deployment.bucket = Field::Value(bucket.into());
                self
            }

            /// Sets the credentials of the storage.
            pub fn credentials(mut self, credentials: OriginCredentials) -> Self {
                self.deployment.credentials = Field::Value(credentials);
                self
            }

            /// Sets the prefix of every published path.
            pub fn origin_prefix(mut self, prefix: impl Into<String>) -> Self {
                self.deployment.origin_prefix = Field::Value(prefix.into());
                self
            }

            /// Sets the download authentication group.
            pub fn download_auth_group(mut self, group: impl Into<String>) -> Self {
                self.deployment.download_auth_group = Field::Value(group.into());
                self
            }

            /// Sets any other member of the body, sent as given.
            pub fn member(mut self, name: impl Into<String>, value: Value) -> Self {
                self.deployment.extra.insert(name.into(), value);
                self
            }

            /// The body as it will be sent.
            pub fn deployment(&self) -> &Deployment {
                &self.deployment
            }
        }
    };
}

/// `POST /be/v1/deployments`: registers an origin that images and patches can be published to.
///
/// Needs the `deployments.create` permission. The reference does not show the answer; its
/// members other than `status` are returned as they are.
///
/// ```
/// use rockit_edge::deployments::{CreateDeployment, OriginCredentials, OriginType};
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let create = CreateDeployment::new("gcore", OriginType::S3)
///     .endpoint("s3.us-east-1.amazonaws.com")
///     .bucket("games")
///     .credentials(OriginCredentials::s3("AKIAEXAMPLE", "wJalrXUtnFEMI"))
///     .origin_prefix("rockit");
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let request = create.to_request(&base, &Credentials::backend_token("t0k").unwrap()).unwrap();
/// assert_eq!(request.uri(), "https://edge.example.com/be/v1/deployments");
/// assert!(!format!("{create:?}").contains("wJalrXUtnFEMI"));
///
/// let bucket_in_host = CreateDeployment::new("gcore", OriginType::S3)
///     .endpoint("games.s3.us-east-1.amazonaws.com")
///     .bucket("games");
/// assert!(bucket_in_host.to_request(&base, &Credentials::backend_token("t0k").unwrap()).is_err());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CreateDeployment {
    deployment: Deployment,
}

impl CreateDeployment {
    /// A deployment named `name` of storage kind `origin_type`.
    pub fn new(name: impl Into<String>, origin_type: impl Into<OriginType>) -> Self {
        let mut deployment = Deployment::named(name);
        deployment.origin_type = Field::Value(origin_type.into());
        CreateDeployment { deployment }
    }
}

deployment_setters!(CreateDeployment);

impl Endpoint for CreateDeployment {
    type Output = Map<String, Value>;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(DEPLOYMENTS.to_owned())
    }

    fn body(&self) -> Result<Option<Vec<u8>>, InputError> {
        check_body(&self.deployment)?;
        json_body(&self.deployment)
    }

    fn body_secrets(&self) -> Vec<&str> {
        credential_secrets(&self.deployment)
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Self::Output, Error> {
        decode::acknowledgement(response)
    }
}

/// `GET /be/v1/deployments/{deployment}`: one deployment, with its status and message.
///
/// Needs the `deployments.read` permission.
///
/// ```
/// use rockit_edge::deployments::GetDeployment;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let creds = Credentials::backend_token("t0k").unwrap();
/// let request = GetDeployment::new("gcore[1]").to_request(&base, &creds).unwrap();
/// assert_eq!(request.uri().path(), "/be/v1/deployments/gcore%5B1%5D");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetDeployment {
    name: String,
}

impl GetDeployment {
    /// The deployment named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        GetDeployment { name: name.into() }
    }
}

impl Endpoint for GetDeployment {
    type Output = Deployment;

    fn method(&self) -> Method {
        Method::GET
    }

    fn path(&self) -> Result<String, InputError> {
        deployment_path(&self.name)
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Deployment, Error> {
        decode::member(response, assumed::DEPLOYMENTS_MEMBER)
    }
}

fn deployment_path(name: &str) -> Result<String, InputError> {
    NamePattern::Deployment.check("deployment name", name)?;
    Ok(PathBuilder::new(DEPLOYMENTS)
        .segment("deployment name", name)?
        .finish())
}

/// `GET /be/v1/deployments`: the organisation's deployments, filtered, sorted and paged.
///
/// Needs the `deployments.read` permission. The server's default page size is 10. Only
/// `offset` and `limit` are documented by name; the filters use the names in
/// [`crate::assumed::deployments`], and [`ListDeployments::param`] adds any other parameter.
///
/// ```
/// use rockit_edge::deployments::ListDeployments;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let creds = Credentials::backend_token("t0k").unwrap();
/// let list = ListDeployments::new().name("core").order_by("name", true).limit(5);
/// let request = list.to_request(&base, &creds).unwrap();
/// assert_eq!(request.uri().query(), Some("limit=5&name=core&order%5B%5D=%5B-name%5D"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListDeployments {
    list: ListParams,
    name: Option<String>,
    status: Option<String>,
    created_from: Option<String>,
    created_to: Option<String>,
    updated_from: Option<String>,
    updated_to: Option<String>,
}

impl ListDeployments {
    /// All deployments, first page, server's default page size.
    pub fn new() -> Self {
        ListDeployments::default()
    }

    /// Only deployments whose name matches (the server matches partially).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Only deployments in this state, such as
    /// [`crate::assumed::deployments::DEPLOYMENTS_ERROR_STATUS`].
    pub fn status(mut self, status: impl Into<String>) -> Self {
        self.status = Some(status.into());
        self
    }

    /// Only deployments in error.
    pub fn in_error(self) -> Self {
        self.status(assumed::DEPLOYMENTS_ERROR_STATUS)
    }

    /// Only deployments created at or after this time (RFC 3339 text).
    pub fn created_from(mut self, time: impl Into<String>) -> Self {
        self.created_from = Some(time.into());
        self
    }

    /// Only deployments created at or before this time (RFC 3339 text).
    pub fn created_to(mut self, time: impl Into<String>) -> Self {
        self.created_to = Some(time.into());
        self
    }

    /// Only deployments changed at or after this time (RFC 3339 text).
    pub fn updated_from(mut self, time: impl Into<String>) -> Self {
        self.updated_from = Some(time.into());
        self
    }

    /// Only deployments changed at or before this time (RFC 3339 text).
    pub fn updated_to(mut self, time: impl Into<String>) -> Self {
        self.updated_to = Some(time.into());
        self
    }
}

list_request!(ListDeployments, Deployment);

impl Endpoint for ListDeployments {
    type Output = Page<Deployment>;

    fn method(&self) -> Method {
        Method::GET
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(DEPLOYMENTS.to_owned())
    }

    fn query(&self, query: &mut Query) -> Result<(), InputError> {
        self.list.write_head(query)?;
        query
            .push_opt(assumed::DEPLOYMENTS_QUERY_NAME, self.name.as_ref())
            .push_opt(assumed::DEPLOYMENTS_QUERY_STATUS, self.status.as_ref())
            .push_opt(
                assumed::DEPLOYMENTS_QUERY_CREATED_FROM,
                self.created_from.as_ref(),
            )
            .push_opt(
                assumed::DEPLOYMENTS_QUERY_CREATED_TO,
                self.created_to.as_ref(),
            )
            .push_opt(
                assumed::DEPLOYMENTS_QUERY_UPDATED_FROM,
                self.updated_from.as_ref(),
            )
            .push_opt(
                assumed::DEPLOYMENTS_QUERY_UPDATED_TO,
                self.updated_to.as_ref(),
            );
        self.list.write_tail(query);
        Ok(())
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Page<Deployment>, Error> {
        let envelope = decode::envelope(response, assumed::DEPLOYMENTS_LIST_MEMBER)?;
        Ok(Page {
            items: envelope.value,
            extra: envelope.rest,
        })
    }
}

/// `PATCH /be/v1/deployments`: changes some settings of a deployment, such as its
/// credentials after they were rotated.
///
/// Only the members that were set are sent; a removed member is sent as `null`. Needs the
/// `deployments.update` permission. The reference does not show the answer; its members
/// other than `status` are returned as they are.
///
/// ```
/// use rockit_edge::deployments::{ModifyDeployment, OriginCredentials};
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let modify = ModifyDeployment::new("gcore")
///     .credentials(OriginCredentials::s3("AKIANEW", "n3w-s3cret"))
///     .remove_download_auth_group();
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let request = modify.to_request(&base, &Credentials::backend_token("t0k").unwrap()).unwrap();
/// let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
/// assert_eq!(body["downloadAuthGroup"], serde_json::Value::Null);
/// assert_eq!(body["credentials"]["accessKeyId"], "AKIANEW");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ModifyDeployment {
    deployment: Deployment,
}

impl ModifyDeployment {
    /// Changes to the deployment named `name`; set at least one member.
    pub fn new(name: impl Into<String>) -> Self {
        ModifyDeployment {
            deployment: Deployment::named(name),
        }
    }

    /// Removes the download authentication group (sends `null`).
    pub fn remove_download_auth_group(mut self) -> Self {
        self.deployment.download_auth_group = Field::Null;
        self
    }

    /// Removes the origin prefix (sends `null`).
    pub fn remove_origin_prefix(mut self) -> Self {
        self.deployment.origin_prefix = Field::Null;
        self
    }
}

deployment_setters!(ModifyDeployment);

impl Endpoint for ModifyDeployment {
    type Output = Map<String, Value>;

    fn method(&self) -> Method {
        Method::PATCH
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(DEPLOYMENTS.to_owned())
    }

    fn body(&self) -> Result<Option<Vec<u8>>, InputError> {
        check_body(&self.deployment)?;
        let d = &self.deployment;
        let unchanged = d.origin_type.is_absent()
            && d.endpoint.is_absent()
            && d.bucket.is_absent()
            && d.credentials.is_absent()
            && d.origin_prefix.is_absent()
            && d.download_auth_group.is_absent()
            && d.extra.is_empty();
        if unchanged {
            return Err(InputError::new(
                "deployment changes",
                "must set or remove at least one member",
            ));
        }
        json_body(d)
    }

    fn body_secrets(&self) -> Vec<&str> {
        credential_secrets(&self.deployment)
    }

    // The page marks `x-rockit-beauth-token` required, yet it is the same header block that
    // other pages mark optional beside the API key (and one page marks all four required,
    // which cannot be, as the two exclude each other); rotating origin credentials is a task
    // for the machine users that API keys exist for, so either kind is taken and refusing an
    // API key is left to the server.
    fn auth(&self) -> crate::Auth {
        crate::Auth::Backend
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Self::Output, Error> {
        decode::acknowledgement(response)
    }
}

/// `DELETE /be/v1/deployments/{DEPLOYMENT_NAME}`: deletes a deployment and every file
/// published to its origin.
///
/// Allowed only while no app has the deployment registered. Needs the `deployments.delete`
/// permission. The reference does not show the answer; its members other than `status` are
/// returned as they are.
///
/// ```
/// use rockit_edge::deployments::DeleteDeployment;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let creds = Credentials::backend_token("t0k").unwrap();
/// let request = DeleteDeployment::new("gcore").to_request(&base, &creds).unwrap();
/// assert_eq!(request.method(), http::Method::DELETE);
/// assert!(DeleteDeployment::new("g/core").to_request(&base, &creds).is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteDeployment {
    name: String,
}

impl DeleteDeployment {
    /// Deletes the deployment named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        DeleteDeployment { name: name.into() }
    }
}

impl Endpoint for DeleteDeployment {
    type Output = Map<String, Value>;

    fn method(&self) -> Method {
        Method::DELETE
    }

    fn path(&self) -> Result<String, InputError> {
        deployment_path(&self.name)
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Self::Output, Error> {
        decode::acknowledgement(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_that_follow_the_s3_rules_pass() {
        for (endpoint, bucket) in [
            ("s3.us-east-1.amazonaws.com", Some("games")),
            ("https://s3.eu-central-1.amazonaws.com", Some("games")),
            ("s3-us-west-2.amazonaws.com", Some("games")),
            ("s3.us-gov-west-1.amazonaws.com", None),
            ("s3.cn-north-1.amazonaws.com.cn", Some("games")),
            ("s-ed1.cloud.gcore.lu", Some("games")),
            ("minio.local:9000", Some("s3")),
        ] {
            assert!(check_endpoint(endpoint, bucket).is_ok(), "{endpoint}");
        }
    }

    #[test]
    fn endpoints_that_break_the_s3_rules_are_refused() {
        for (endpoint, bucket, problem) in [
            ("games.s3.us-east-1.amazonaws.com", Some("games"), "bucket"),
            ("s3.us-east-1.amazonaws.com/games", Some("games"), "bucket"),
            ("cdn.games.example.com", Some("games"), "bucket"),
            (
                "my.games.s3.us-east-1.amazonaws.com",
                Some("my.games"),
                "bucket",
            ),
            ("s3.amazonaws.com", Some("games"), "region"),
            ("https://s3.amazonaws.com", None, "region"),
            ("", None, "empty"),
            ("https:///path", None, "host"),
            ("s3 .example.com", None, "white space"),
        ] {
            let err = check_endpoint(endpoint, bucket).unwrap_err();
            assert_eq!(err.what(), "deployment endpoint");
            assert!(err.problem().contains(problem), "{endpoint}: {err}");
        }
    }

    #[test]
    fn regions_are_recognised() {
        for label in [
            "us-east-1",
            "ap-southeast-2",
            "us-gov-west-1",
            "s3-eu-west-1",
        ] {
            assert!(is_aws_region(label), "{label}");
        }
        for label in [
            "s3",
            "amazonaws",
            "com",
            "east-1",
            "us-east",
            "us-east-x",
            "usa-east-1",
        ] {
            assert!(!is_aws_region(label), "{label}");
        }
    }
}

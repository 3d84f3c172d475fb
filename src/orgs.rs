//! Organisations of the backend Edge, created and deleted by its administrators.
//!
//! - `POST /be/v1/orgs`: [`CreateOrganization`]
//! - `DELETE /be/v1/orgs/{ORG_NAME}`: [`DeleteOrganization`]
//!
//! Both take a backend auth token of an administrator; API keys are refused.

use std::fmt;

use http::{Method, Response};
use serde_json::{Map, Value};

use crate::assumed::orgs::{
    ORGS_CREATE_EMAIL, ORGS_CREATE_NAME, ORGS_CREATE_PASSWORD_MEMBER, ORGS_CREATE_PUBLIC_KEY,
};
use crate::auth::Auth;
use crate::decode;
use crate::endpoint::{json_body, Endpoint, PathBuilder, Query};
use crate::error::{Error, InputError};
use crate::model::{Extra, ValuesHidden};
use crate::names::NamePattern;
use crate::users::{check_email, Password};

const ORGS: &str = "/be/v1/orgs";

/// Checks that `pem` is a PEM public key, and above all not a private key, which must never
/// leave the machine it was made on.
pub(crate) fn check_public_key(pem: &str) -> Result<(), InputError> {
    if pem.contains("PRIVATE KEY") {
        return Err(InputError::new(
            "public key",
            "is a private key; send only the public key (openssl rsa -pubout)",
        ));
    }
    let text = pem.trim();
    let armoured = text.starts_with("-----BEGIN ")
        && text.ends_with("-----")
        && text.contains("PUBLIC KEY-----");
    if !armoured {
        return Err(InputError::new(
            "public key",
            "must be PEM text from `-----BEGIN PUBLIC KEY-----` to `-----END PUBLIC KEY-----`",
        ));
    }
    Ok(())
}

/// `POST /be/v1/orgs`: creates an organisation, its `Administrators` role and its first
/// administrator, whose initial password the answer carries.
///
/// Takes an administrator's backend auth token. The reference shows none of the body's
/// members; this crate sends the name, the administrator's e-mail address and the
/// organisation's RSA public key (PEM) under the names in [`crate::assumed::orgs`], and
/// refuses a private key. Such a key pair is made with
/// `ssh-keygen -t rsa -b 4096 -m PEM -f .rockitplay.priv.pem` and
/// `openssl rsa -in .rockitplay.priv.pem -pubout -outform PEM -out .rockitplay.pub.pem`.
///
/// ```
/// use rockit_edge::orgs::CreateOrganization;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let admin = Credentials::backend_token("t0k").unwrap();
/// let pem = "-----BEGIN PUBLIC KEY-----\nMIICIjANBg...\n-----END PUBLIC KEY-----\n";
/// let create = CreateOrganization::new("NewOrg").admin_email("ops@example.com").public_key(pem);
/// let request = create.to_request(&base, &admin).unwrap();
/// let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
/// assert_eq!(body["orgName"], "NewOrg");
///
/// let answer = br#"{"status": "success", "password": "Init-7391"}"#;
/// let created = create.decode(&http::Response::new(answer.to_vec())).unwrap();
/// assert_eq!(created.initial_password.as_ref().unwrap().expose(), "Init-7391");
/// assert!(!format!("{created:?}").contains("Init-7391"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateOrganization {
    org_name: String,
    admin_email: Option<String>,
    public_key: Option<String>,
}

impl CreateOrganization {
    /// An organisation named `org_name`, which matches `^[A-Za-z0-9_]{2,50}$`.
    pub fn new(org_name: impl Into<String>) -> Self {
        CreateOrganization {
            org_name: org_name.into(),
            admin_email: None,
            public_key: None,
        }
    }

    /// The e-mail address of the organisation's first administrator.
    pub fn admin_email(mut self, email: impl Into<String>) -> Self {
        self.admin_email = Some(email.into());
        self
    }

    /// The organisation's RSA public key, as PEM text.
    pub fn public_key(mut self, pem: impl Into<String>) -> Self {
        self.public_key = Some(pem.into());
        self
    }
}

/// An organisation just created.
#[derive(Clone, PartialEq, Eq)]
pub struct CreatedOrganization {
    /// The organisation's name, as it was asked for.
    pub org_name: String,
    /// The first administrator's initial password, when the answer carries one (see
    /// [`ORGS_CREATE_PASSWORD_MEMBER`]). `Debug` does not show it.
    pub initial_password: Option<Password>,
    /// The answer's other members, except `status`. `Debug` shows their names only.
    pub extra: Extra,
}

impl fmt::Debug for CreatedOrganization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreatedOrganization")
            .field("org_name", &self.org_name)
            .field("initial_password", &self.initial_password)
            .field("extra", &ValuesHidden(&self.extra))
            .finish()
    }
}

impl Endpoint for CreateOrganization {
    type Output = CreatedOrganization;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(ORGS.to_owned())
    }

    fn body(&self) -> Result<Option<Vec<u8>>, InputError> {
        NamePattern::Standard.check("organisation name", &self.org_name)?;
        let mut body = Map::new();
        body.insert(ORGS_CREATE_NAME.into(), Value::from(self.org_name.as_str()));
        if let Some(email) = &self.admin_email {
            check_email("administrator e-mail", email)?;
            body.insert(ORGS_CREATE_EMAIL.into(), Value::from(email.as_str()));
        }
        if let Some(pem) = &self.public_key {
            check_public_key(pem)?;
            body.insert(ORGS_CREATE_PUBLIC_KEY.into(), Value::from(pem.as_str()));
        }
        json_body(&body)
    }

    fn auth(&self) -> Auth {
        Auth::BackendToken
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<CreatedOrganization, Error> {
        // The body holds a password, so a decode error keeps none of it.
        let scrubbed =
            |path: String, message: String| decode::withheld_decode_error(response, path, message);
        let mut extra = decode::acknowledgement(response).map_err(decode::without_body)?;
        let initial_password = match extra.remove(ORGS_CREATE_PASSWORD_MEMBER) {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) => Some(Password::new(text)),
            Some(_) => {
                return Err(scrubbed(
                    ORGS_CREATE_PASSWORD_MEMBER.to_owned(),
                    "expected a string".to_owned(),
                ))
            }
        };
        Ok(CreatedOrganization {
            org_name: self.org_name.clone(),
            initial_password,
            extra: extra.into(),
        })
    }
}

/// `DELETE /be/v1/orgs/{ORG_NAME}`: deletes an organisation and all its data, for good.
///
/// Takes an administrator's backend auth token. `prune` is sent only when set; the reference
/// does not say what it does. The answer's members other than `status` are returned as they
/// are.
///
/// ```
/// use rockit_edge::orgs::DeleteOrganization;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let admin = Credentials::backend_token("t0k").unwrap();
/// let delete = DeleteOrganization::new("ExampleOrg").prune(true);
/// let request = delete.to_request(&base, &admin).unwrap();
/// assert_eq!(request.uri(), "https://edge.example.com/be/v1/orgs/ExampleOrg?prune=true");
///
/// let key = Credentials::api_key("ExampleOrg", "adminPrincipal", "k-123").unwrap();
/// assert!(DeleteOrganization::new("ExampleOrg").to_request(&base, &key).is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteOrganization {
    org_name: String,
    prune: Option<bool>,
}

impl DeleteOrganization {
    /// Deletes the organisation named `org_name`.
    pub fn new(org_name: impl Into<String>) -> Self {
        DeleteOrganization {
            org_name: org_name.into(),
            prune: None,
        }
    }

    /// Sends `prune=true` or `prune=false`.
    pub fn prune(mut self, prune: bool) -> Self {
        self.prune = Some(prune);
        self
    }
}

impl Endpoint for DeleteOrganization {
    type Output = Map<String, Value>;

    fn method(&self) -> Method {
        Method::DELETE
    }

    fn path(&self) -> Result<String, InputError> {
        NamePattern::Standard.check("organisation name", &self.org_name)?;
        Ok(PathBuilder::new(ORGS)
            .segment("organisation name", &self.org_name)?
            .finish())
    }

    fn query(&self, query: &mut Query) -> Result<(), InputError> {
        query.push_opt("prune", self.prune);
        Ok(())
    }

    fn auth(&self) -> Auth {
        Auth::BackendToken
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Map<String, Value>, Error> {
        decode::acknowledgement(response)
    }
}

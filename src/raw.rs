//! Raw requests: any method, path, query and JSON body, with the same credentials and the
//! same errors as the typed endpoints. For what this crate does not model, or models on an
//! assumption that turns out wrong.

use http::{HeaderMap, Method, Response, StatusCode};
use serde_json::Value;

use crate::auth::Auth;
use crate::decode;
use crate::endpoint::{json_body, Endpoint, Query};
use crate::error::{DecodeError, Error, InputError};
use crate::secret::Password;

/// A request described by hand.
///
/// ```
/// use rockit_edge::raw::RawRequest;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let raw = RawRequest::new(http::Method::GET, "/be/v1/activities").param("limit", "5");
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let creds = Credentials::backend_token("t0k").unwrap();
/// let request = raw.to_request(&base, &creds).unwrap();
/// assert_eq!(request.uri(), "https://edge.example.com/be/v1/activities?limit=5");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RawRequest {
    method: Method,
    path: String,
    params: Vec<(String, String)>,
    body: Option<Value>,
    secrets: Vec<Password>,
    auth: Auth,
}

impl RawRequest {
    /// A request with `method` to `path`, which starts with `/` and is sent as written
    /// (encode names in it yourself, or use [`crate::endpoint::PathBuilder`]).
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        RawRequest {
            method,
            path: path.into(),
            params: Vec::new(),
            body: None,
            secrets: Vec::new(),
            auth: Auth::Backend,
        }
    }

    /// Adds a query parameter; it is encoded.
    pub fn param(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push((key.into(), value.into()));
        self
    }

    /// Sets the JSON body.
    pub fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// Names a value of the body as a secret, such as a password: an error answer that
    /// repeats it shows `[redacted]` in its place, as for the credentials.
    ///
    /// ```
    /// use http::Method;
    /// use rockit_edge::raw::RawRequest;
    /// use rockit_edge::Endpoint;
    /// use serde_json::json;
    ///
    /// let raw = RawRequest::new(Method::POST, "/be/v1/login")
    ///     .body(json!({"username": "jane", "password": "s3cret-pw"}))
    ///     .secret("s3cret-pw");
    /// assert_eq!(raw.body_secrets(), ["s3cret-pw"]);
    /// ```
    pub fn secret(mut self, value: impl Into<String>) -> Self {
        self.secrets.push(Password::new(value.into()));
        self
    }

    /// Which credentials to send (backend credentials unless set).
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }
}

/// The answer to a raw request that succeeded.
#[derive(Clone, Debug, PartialEq)]
pub struct RawResponse {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The JSON body; `None` when the body was empty.
    pub body: Option<Value>,
}

impl Endpoint for RawRequest {
    type Output = RawResponse;

    fn method(&self) -> Method {
        self.method.clone()
    }

    fn path(&self) -> Result<String, InputError> {
        if !self.path.starts_with('/') {
            return Err(InputError::new("path", "must start with `/`"));
        }
        if self.path.contains(['?', '#']) {
            return Err(InputError::new(
                "path",
                "must not contain `?` or `#`; add query parameters with `param`",
            ));
        }
        if let Some(b) = self.path.bytes().find(|b| !b.is_ascii_graphic()) {
            let problem = if b.is_ascii() {
                "must not contain spaces or control characters; percent-encode them"
            } else {
                "must be ASCII; percent-encode other characters"
            };
            return Err(InputError::new("path", problem));
        }
        Ok(self.path.clone())
    }

    fn query(&self, query: &mut Query) -> Result<(), InputError> {
        query.extend(&self.params);
        Ok(())
    }

    fn body(&self) -> Result<Option<Vec<u8>>, InputError> {
        match &self.body {
            Some(body) => json_body(body),
            None => Ok(None),
        }
    }

    fn body_secrets(&self) -> Vec<&str> {
        self.secrets.iter().map(Password::expose).collect()
    }

    fn auth(&self) -> Auth {
        self.auth
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<RawResponse, Error> {
        let status = response.status();
        let bytes = response.body().as_ref();
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        if !status.is_success() {
            return Err(decode::api_error(status, response.headers(), bytes).into());
        }
        let body = if bytes.iter().all(u8::is_ascii_whitespace) {
            None
        } else {
            let value: Value = serde_json::from_slice(bytes)
                .map_err(|e| DecodeError::new(status, ".".into(), e.to_string(), bytes))?;
            // A `status` other than "success" marks an error answer, as for the typed ones.
            if value
                .get("status")
                .is_some_and(|s| s.as_str() != Some(decode::SUCCESS))
            {
                return Err(decode::api_error(status, response.headers(), bytes).into());
            }
            Some(value)
        };
        Ok(RawResponse {
            status,
            headers: response.headers().clone(),
            body,
        })
    }
}

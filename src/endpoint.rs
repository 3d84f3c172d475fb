//! Endpoints as values: each builds an `http::Request<Vec<u8>>` and decodes the answer.

use http::header::{HeaderMap, HeaderValue, ACCEPT, CONTENT_TYPE, USER_AGENT};
use http::{Method, Request, Response};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::auth::{Auth, Credentials};
use crate::base_url::BaseUrl;
use crate::error::{Error, InputError};

/// One call of the API: what to send, and how to read the answer.
///
/// Implementations describe the request (method, path, query, body, which credentials);
/// [`Endpoint::to_request`] assembles it, and [`Endpoint::decode`] turns the answer into
/// [`Endpoint::Output`] or an [`Error`]. Neither does any I/O.
pub trait Endpoint {
    /// What a successful call returns.
    type Output;

    /// The HTTP method.
    fn method(&self) -> Method;

    /// The path below the base URL, starting with `/`, each segment already encoded
    /// (see [`PathBuilder`]).
    fn path(&self) -> Result<String, InputError>;

    /// Adds the query parameters.
    fn query(&self, query: &mut Query) -> Result<(), InputError> {
        let _ = query;
        Ok(())
    }

    /// The JSON body, if the request has one.
    fn body(&self) -> Result<Option<Vec<u8>>, InputError> {
        Ok(None)
    }

    /// The secrets the body carries, such as a password. A client ([`crate::Client`],
    /// [`crate::session::SessionClient`]) puts `[redacted]` in their place, and in the place of
    /// the values of the request's sensitive headers, in the code, message and body of an error
    /// answer that repeats them. [`Endpoint::decode`] alone redacts nothing, as it does not know
    /// the request; a caller that sends requests itself can use a [`crate::redact::Redactor`].
    fn body_secrets(&self) -> Vec<&str> {
        Vec::new()
    }

    /// Which credentials the endpoint takes.
    fn auth(&self) -> Auth {
        Auth::Backend
    }

    /// Reads the answer.
    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Self::Output, Error>;

    /// Builds the request: method, URL, `Accept`, `User-Agent`, the credentials' headers and,
    /// with a body, `Content-Type: application/json`.
    fn to_request(
        &self,
        base: &BaseUrl,
        credentials: &Credentials,
    ) -> Result<Request<Vec<u8>>, Error> {
        let path = self.path()?;
        let mut query = Query::new();
        self.query(&mut query)?;
        let body = self.body()?;

        let mut url = String::with_capacity(
            base.origin_and_prefix().len() + path.len() + query.as_str().len() + 1,
        );
        url.push_str(base.origin_and_prefix());
        url.push_str(&path);
        if !query.is_empty() {
            url.push('?');
            url.push_str(query.as_str());
        }

        let has_body = body.is_some();
        let mut request = Request::new(body.unwrap_or_default());
        *request.method_mut() = self.method();
        *request.uri_mut() = url
            .try_into()
            .map_err(|_| InputError::new("request URL", "cannot be parsed after encoding"))?;
        let headers = request.headers_mut();
        standard_headers(headers, has_body);
        credentials.apply(self.auth(), headers)?;
        Ok(request)
    }
}

/// The `User-Agent` this crate sends.
pub const USER_AGENT_VALUE: &str = concat!("rockit-edge/", env!("CARGO_PKG_VERSION"));

fn standard_headers(headers: &mut HeaderMap, json_body: bool) {
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    headers.insert(USER_AGENT, HeaderValue::from_static(USER_AGENT_VALUE));
    if json_body {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
}

/// What a path segment keeps as it is: RFC 3986's unreserved characters. Everything else,
/// `/`, `?`, `#`, `%`, spaces and non-ASCII included, is percent-encoded.
pub(crate) const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Builds an endpoint path from fixed parts and encoded name segments.
///
/// ```
/// use rockit_edge::endpoint::PathBuilder;
///
/// let path = PathBuilder::new("/be/v1/tasks").segment("task name", "a/b?c").unwrap().finish();
/// assert_eq!(path, "/be/v1/tasks/a%2Fb%3Fc");
/// assert!(PathBuilder::new("/be/v1/tasks").segment("task name", "..").is_err());
/// ```
#[derive(Debug)]
pub struct PathBuilder {
    path: String,
}

impl PathBuilder {
    /// Starts with a fixed path, such as `/be/v1/tasks`, written as it is.
    pub fn new(fixed: &str) -> Self {
        PathBuilder {
            path: fixed.to_owned(),
        }
    }

    /// Appends `/` and `value` as one encoded segment. An empty value, `.` and `..` are
    /// refused: they cannot name a resource in one segment.
    pub fn segment(mut self, what: &'static str, value: &str) -> Result<Self, InputError> {
        check_segment(what, value)?;
        self.path.push('/');
        self.path.extend(utf8_percent_encode(value, SEGMENT));
        Ok(self)
    }

    /// The path.
    pub fn finish(self) -> String {
        self.path
    }
}

pub(crate) fn check_segment(what: &'static str, value: &str) -> Result<(), InputError> {
    match value {
        "" => Err(InputError::new(what, "must not be empty")),
        "." | ".." => Err(InputError::new(what, "must not be `.` or `..`")),
        _ => Ok(()),
    }
}

/// What a query key or value keeps as it is: the unreserved characters.
const QUERY_COMPONENT: &AsciiSet = SEGMENT;

/// A query string, built pair by pair with every key and value percent-encoded.
///
/// ```
/// use rockit_edge::endpoint::Query;
///
/// let mut query = Query::new();
/// query.push("offset", "0").push("order[]", "[-name]");
/// assert_eq!(query.as_str(), "offset=0&order%5B%5D=%5B-name%5D");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    encoded: String,
}

impl Query {
    /// An empty query.
    pub fn new() -> Self {
        Query::default()
    }

    /// Appends `key=value`.
    pub fn push(&mut self, key: &str, value: &str) -> &mut Self {
        if !self.encoded.is_empty() {
            self.encoded.push('&');
        }
        self.encoded
            .extend(utf8_percent_encode(key, QUERY_COMPONENT));
        self.encoded.push('=');
        self.encoded
            .extend(utf8_percent_encode(value, QUERY_COMPONENT));
        self
    }

    /// Appends `key=value` when there is a value.
    pub fn push_opt(&mut self, key: &str, value: Option<impl std::fmt::Display>) -> &mut Self {
        if let Some(value) = value {
            self.push(key, &value.to_string());
        }
        self
    }

    /// Appends every pair.
    pub fn extend<'a>(
        &mut self,
        pairs: impl IntoIterator<Item = &'a (String, String)>,
    ) -> &mut Self {
        for (key, value) in pairs {
            self.push(key, value);
        }
        self
    }

    /// The encoded query, without the leading `?`.
    pub fn as_str(&self) -> &str {
        &self.encoded
    }

    /// Whether no pair was added.
    pub fn is_empty(&self) -> bool {
        self.encoded.is_empty()
    }
}

/// Encodes a request body as JSON.
pub(crate) fn json_body<T: serde::Serialize>(value: &T) -> Result<Option<Vec<u8>>, InputError> {
    serde_json::to_vec(value)
        .map(Some)
        .map_err(|e| InputError::new("request body", e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn awkward_names_stay_one_segment() {
        for (name, want) in [
            ("plain-name_1.x~", "plain-name_1.x~"),
            ("a/b", "a%2Fb"),
            ("a?b#c", "a%3Fb%23c"),
            ("100%", "100%25"),
            ("two words", "two%20words"),
            ("caf\u{e9}", "caf%C3%A9"),
            ("...", "..."),
            ("ctl\u{1}\n", "ctl%01%0A"),
        ] {
            let path = PathBuilder::new("/x")
                .segment("name", name)
                .unwrap()
                .finish();
            assert_eq!(path, format!("/x/{want}"), "{name:?}");
        }
    }

    #[test]
    fn names_that_are_no_segment_are_refused() {
        for name in ["", ".", ".."] {
            let err = PathBuilder::new("/x")
                .segment("task name", name)
                .unwrap_err();
            assert_eq!(err.what(), "task name");
        }
    }

    #[test]
    fn query_pairs_are_encoded_and_joined() {
        let mut q = Query::new();
        assert!(q.is_empty());
        q.push("a b", "c&d=e")
            .push_opt("n", Some(3))
            .push_opt("m", None::<u8>);
        assert_eq!(q.as_str(), "a%20b=c%26d%3De&n=3");
    }
}

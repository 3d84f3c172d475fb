//! Errors: one type for everything a call can fail with, and one for each way it fails.

use std::error::Error as StdError;
use std::fmt;

use http::StatusCode;

use crate::redact::Forms;

/// How many bytes of a response body an error keeps.
pub const BODY_EXCERPT_LIMIT: usize = 4096;

/// Anything that can go wrong when building, sending or decoding a call.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be built from what the caller gave; nothing was sent.
    Input(InputError),
    /// The server answered with an error, or with a body that does not report success.
    Api(ApiError),
    /// The server reported success but the body does not have the expected shape.
    Decode(DecodeError),
    /// The request did not get an answer.
    Transport(TransportError),
    /// Walking a list went wrong, such as a server that ignores `offset`.
    Paging(PagingError),
    /// A session's tokens can no longer be renewed: log in again.
    LoginRequired(crate::session::LoginRequired),
}

impl Error {
    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::LoginRequired(e) => e.refusal().map(ApiError::status),
            Error::Input(_) | Error::Transport(_) | Error::Paging(_) => None,
        }
    }

    /// The API's error code, when the server sent one.
    pub fn code(&self) -> Option<&ErrorCode> {
        match self {
            Error::Api(e) => e.code.as_ref(),
            Error::LoginRequired(e) => e.refusal().and_then(ApiError::code),
            _ => None,
        }
    }

    /// Replaces the secrets a request carried wherever the server's words are kept.
    pub(crate) fn redact(&mut self, forms: &Forms) {
        match self {
            Error::Api(e) => e.redact(forms),
            Error::Decode(e) => e.redact(forms),
            Error::Input(_) | Error::Transport(_) | Error::Paging(_) | Error::LoginRequired(_) => {}
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input(e) => e.fmt(f),
            Error::Api(e) => e.fmt(f),
            Error::Decode(e) => e.fmt(f),
            Error::Transport(e) => e.fmt(f),
            Error::Paging(e) => e.fmt(f),
            Error::LoginRequired(e) => e.fmt(f),
        }
    }
}

/// `Error` shows its inner error's message as its own, so its source is the inner error's
/// source: a report that walks the chain then shows each message once.
impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::Input(e) => e.source(),
            Error::Api(e) => e.source(),
            Error::Decode(e) => e.source(),
            Error::Transport(e) => e.source(),
            Error::Paging(e) => e.source(),
            Error::LoginRequired(e) => e.source(),
        }
    }
}

impl From<InputError> for Error {
    fn from(e: InputError) -> Self {
        Error::Input(e)
    }
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::Api(e)
    }
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Error::Decode(e)
    }
}

impl From<TransportError> for Error {
    fn from(e: TransportError) -> Self {
        Error::Transport(e)
    }
}

/// A value given by the caller that cannot be sent, such as an empty task name or a token
/// with a line break in it. The message names the value's role and the problem, never the
/// value itself, so a secret cannot leak through it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    what: &'static str,
    problem: String,
}

impl InputError {
    /// An error about the value that plays the role `what` (such as `"task name"`), with a
    /// lower-case `problem` that does not quote the value.
    pub fn new(what: &'static str, problem: impl Into<String>) -> Self {
        InputError {
            what,
            problem: problem.into(),
        }
    }

    /// What the value is, such as `"task name"` or `"base URL"`.
    pub fn what(&self) -> &str {
        self.what
    }

    /// What is wrong with it.
    pub fn problem(&self) -> &str {
        &self.problem
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}: {}", self.what, self.problem)
    }
}

impl StdError for InputError {}

/// A list walk that cannot go on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PagingError {
    message: String,
}

impl PagingError {
    pub(crate) fn new(message: String) -> Self {
        PagingError { message }
    }

    /// What went wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for PagingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot page through the list: {}", self.message)
    }
}

impl StdError for PagingError {}

crate::model::open_enum! {
    /// An error code of the API, such as `missing-param`.
    pub enum ErrorCode {
        /// `missing-param`: a required parameter is missing.
        MissingParam = "missing-param",
        /// `token-expired`: the auth token is no longer valid.
        TokenExpired = "token-expired",
    }
}

/// An answer from the server that is not a success: a status outside 2xx, or a 2xx body whose
/// `status` is not `"success"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    status: StatusCode,
    code: Option<ErrorCode>,
    message: Option<String>,
    body: BodyExcerpt,
}

impl ApiError {
    pub(crate) fn new(
        status: StatusCode,
        code: Option<ErrorCode>,
        message: Option<String>,
        body: BodyExcerpt,
    ) -> Self {
        ApiError {
            status,
            code,
            message,
            body,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The API's error code, when the body carries one.
    pub fn code(&self) -> Option<&ErrorCode> {
        self.code.as_ref()
    }

    /// The server's message, when the body carries one.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The start of the body as it was received; after a client or a [`crate::redact::Redactor`],
    /// less any secret the request carried.
    pub fn body(&self) -> &BodyExcerpt {
        &self.body
    }

    /// The same error without the body, for an answer that carries a secret.
    pub(crate) fn without_body(mut self) -> Self {
        self.body = BodyExcerpt::withheld(self.body.len);
        self
    }

    fn redact(&mut self, forms: &Forms) {
        if let Some(ErrorCode::Other(code)) = &self.code {
            if let Some(code) = forms.text(code) {
                self.code = Some(ErrorCode::Other(code));
            }
        }
        redact_text(&mut self.message, forms);
        self.body.redact(forms);
    }
}

fn redact_text(text: &mut Option<String>, forms: &Forms) {
    if let Some(replaced) = text.as_deref().and_then(|t| forms.text(t)) {
        *text = Some(replaced);
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "server answered HTTP {}", self.status)?;
        if let Some(code) = &self.code {
            write!(f, " with error code {}", Printable(code.as_str()))?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {}", Printable(message))?;
        }
        Ok(())
    }
}

/// Text from the network, shown on one line with control characters escaped, so that a
/// server's message cannot move a terminal's cursor, change its colours or forge lines.
///
/// ```
/// use rockit_edge::error::Printable;
///
/// assert_eq!(Printable("bad\x1b[31m\nline").to_string(), "bad\\u{1b}[31m\\nline");
/// assert_eq!(Printable("caf\u{e9} ok").to_string(), "caf\u{e9} ok");
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Printable<'a>(pub &'a str);

impl fmt::Display for Printable<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            if c.is_control() {
                write!(f, "{}", c.escape_default())?;
            } else {
                fmt::Write::write_char(f, c)?;
            }
        }
        Ok(())
    }
}

impl StdError for ApiError {}

/// A success answer whose body is not what the endpoint returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    status: StatusCode,
    path: String,
    message: String,
    body: BodyExcerpt,
}

impl DecodeError {
    pub(crate) fn new(status: StatusCode, path: String, message: String, body: &[u8]) -> Self {
        DecodeError {
            status,
            path,
            message,
            body: BodyExcerpt::new(body),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The JSON path of the value that failed, such as `task.userData.dltar.sizeBytes`;
    /// `.` for the body as a whole.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong with that value.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The start of the body as it was received; after a client or a [`crate::redact::Redactor`],
    /// less any secret the request carried.
    pub fn body(&self) -> &BodyExcerpt {
        &self.body
    }

    /// The same error without the body, for an answer that carries a secret.
    pub(crate) fn without_body(self) -> Self {
        let len = self.body.len;
        self.withholding(len)
    }

    /// The same error with a body of `len` bytes kept back.
    pub(crate) fn withholding(mut self, len: usize) -> Self {
        self.body = BodyExcerpt::withheld(len);
        self
    }

    fn redact(&mut self, forms: &Forms) {
        if let Some(path) = forms.text(&self.path) {
            self.path = path;
        }
        if let Some(message) = forms.text(&self.message) {
            self.message = message;
        }
        self.body.redact(forms);
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot decode the HTTP {} response at `{}`: {}",
            self.status,
            Printable(&self.path),
            Printable(&self.message)
        )
    }
}

impl StdError for DecodeError {}

/// The first [`BODY_EXCERPT_LIMIT`] bytes of a response body, and its full length.
///
/// A client puts `[redacted]` in the place of any secret its request carried (a token in a
/// header, a password in the body), so the excerpt can be longer or shorter than what was
/// received; [`BodyExcerpt::len`] stays the length of the body as received. The body of an
/// answer that carries a fresh secret is kept back whole ([`BodyExcerpt::is_withheld`]).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct BodyExcerpt {
    bytes: Vec<u8>,
    len: usize,
    truncated: bool,
    withheld: bool,
}

impl BodyExcerpt {
    pub(crate) fn new(body: &[u8]) -> Self {
        BodyExcerpt {
            bytes: body[..body.len().min(BODY_EXCERPT_LIMIT)].to_vec(),
            len: body.len(),
            truncated: body.len() > BODY_EXCERPT_LIMIT,
            withheld: false,
        }
    }

    /// None of a body of `len` bytes, kept back because it carries a secret.
    fn withheld(len: usize) -> Self {
        BodyExcerpt {
            bytes: Vec::new(),
            len,
            truncated: false,
            withheld: true,
        }
    }

    /// Whether the body was kept back as a whole, because the answer carries a secret (a
    /// fresh token, key or password).
    pub fn is_withheld(&self) -> bool {
        self.withheld
    }

    /// The bytes kept.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The bytes kept, as text (invalid UTF-8 replaced).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.bytes)
    }

    /// The length of the whole body.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the body as received was empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether bytes were cut off.
    pub fn is_truncated(&self) -> bool {
        self.truncated
    }

    fn redact(&mut self, forms: &Forms) {
        if let Some(bytes) = forms.bytes(&self.bytes) {
            self.bytes = bytes;
        }
        if self.truncated {
            if let Some(bytes) = forms.cut_tail(&self.bytes) {
                self.bytes = bytes;
            }
        }
    }
}

/// What kind of failure a [`TransportError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The server could not be reached (name resolution, refused connection).
    Connect,
    /// A time limit passed; the message says which one.
    Timeout,
    /// The response body is larger than the configured limit.
    BodyTooLarge,
    /// A redirect was not followed, or too many were.
    Redirect,
    /// The server broke the HTTP protocol, or the connection broke mid-answer.
    Protocol,
    /// TLS failed.
    Tls,
    /// Reading or writing failed.
    Io,
    /// Anything else, from a custom transport.
    Other,
}

/// The request did not get an answer: the transport failed.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    source: Option<Box<dyn StdError + Send + Sync>>,
    /// Whether `message` is the source's own message (made by [`TransportError::other`]).
    message_is_source: bool,
}

impl TransportError {
    /// A transport error of `kind`, with a lower-case message that says what happened.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        TransportError {
            kind,
            message: message.into(),
            source: None,
            message_is_source: false,
        }
    }

    /// Wraps an error of a custom transport.
    pub fn other(source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        let source = source.into();
        TransportError {
            kind: TransportErrorKind::Other,
            message: source.to_string(),
            source: Some(source),
            message_is_source: true,
        }
    }

    /// Adds the underlying error.
    pub fn with_source(mut self, source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        self.source = Some(source.into());
        self.message_is_source = false;
        self
    }

    /// The underlying error, for downcasting, whether or not it is shown as the source.
    pub fn inner(&self) -> Option<&(dyn StdError + Send + Sync + 'static)> {
        self.source.as_deref()
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// What happened.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "transport failed: {}", self.message)
    }
}

impl StdError for TransportError {
    /// The underlying error; when its message is this error's own (see
    /// [`TransportError::other`]), the one below it, so that no message shows twice.
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        let source = self.source.as_deref()?;
        if self.message_is_source {
            source.source()
        } else {
            Some(source as &(dyn StdError + 'static))
        }
    }
}

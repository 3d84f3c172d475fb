//! Secrets and header text: values checked once, when they are made, so that a request can
//! always be built from them.

use std::fmt;

use http::HeaderValue;

use crate::error::InputError;

/// A secret credential: a backend auth token, an API key, an admin or session token.
///
/// `Debug` and `Display` print `[redacted]`, never the value, and the header value built from
/// it is marked sensitive so that HTTP stacks that honour the mark keep it out of their logs.
///
/// ```
/// use rockit_edge::Secret;
///
/// let key = Secret::new("k-123").unwrap();
/// assert_eq!(format!("{key:?} {key}"), "Secret([redacted]) [redacted]");
/// assert_eq!(key.expose(), "k-123");
/// assert!(Secret::new("bad\r\nvalue").is_err());
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(HeaderValue);

impl Secret {
    /// Checks that `value` can travel in an HTTP header and keeps it as a secret.
    ///
    /// Refused: an empty value, leading or trailing white space, and any byte that is not
    /// printable ASCII (CR and LF included). The error names the problem, never the value.
    pub fn new(value: impl AsRef<str>) -> Result<Self, InputError> {
        Self::named(value.as_ref(), "secret")
    }

    /// Like [`Secret::new`], with errors that name what the secret is.
    pub(crate) fn named(value: &str, what: &'static str) -> Result<Self, InputError> {
        let mut header = header_value(value, what)?;
        header.set_sensitive(true);
        Ok(Secret(header))
    }

    /// The secret itself, for code that must store or forward it.
    pub fn expose(&self) -> &str {
        // Only printable ASCII is ever admitted, so this cannot fail.
        self.0.to_str().unwrap_or_default()
    }

    pub(crate) fn header_value(&self) -> &HeaderValue {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Encodes the secret itself, so that a model holding one encodes back to the JSON received.
impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose())
    }
}

/// Decodes a string with the checks of [`Secret::new`]; a refused value is not quoted in the
/// error.
impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Secret::new(text).map_err(serde::de::Error::custom)
    }
}

/// Checks a value that is sent as a header and is not secret (an organisation or user name).
pub(crate) fn header_value(value: &str, what: &'static str) -> Result<HeaderValue, InputError> {
    if value.is_empty() {
        return Err(InputError::new(what, "must not be empty"));
    }
    if value.trim() != value {
        return Err(InputError::new(
            what,
            "must not start or end with white space",
        ));
    }
    if let Some(b) = value.bytes().find(|b| !(b' '..=b'~').contains(b)) {
        let problem = if b == b'\r' || b == b'\n' {
            "must not contain CR or LF"
        } else if b.is_ascii_control() {
            "must not contain control characters"
        } else {
            "must be printable ASCII"
        };
        return Err(InputError::new(what, problem));
    }
    HeaderValue::from_str(value).map_err(|_| InputError::new(what, "is not a valid header value"))
}

/// A password: hidden from `Debug` and `Display` like a [`Secret`], but any text, since it
/// travels in a JSON body rather than a header.
///
/// ```
/// use rockit_edge::Password;
///
/// let password = Password::new("correct horse battery staple");
/// assert_eq!(format!("{password:?} {password}"), "Password([redacted]) [redacted]");
/// assert_eq!(password.expose(), "correct horse battery staple");
/// ```
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Password(String);

impl Password {
    /// Keeps `text` as a password. Endpoints refuse an empty one when they build a request.
    pub fn new(text: impl Into<String>) -> Self {
        Password(text.into())
    }

    /// The password itself, for code that must store or forward it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Refuses an empty password, which plays the role `what`.
    pub(crate) fn check(&self, what: &'static str) -> Result<(), InputError> {
        if self.0.is_empty() {
            return Err(InputError::new(what, "must not be empty"));
        }
        Ok(())
    }
}

impl From<&str> for Password {
    fn from(value: &str) -> Self {
        Password::new(value)
    }
}

impl From<String> for Password {
    fn from(value: String) -> Self {
        Password::new(value)
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password([redacted])")
    }
}

impl fmt::Display for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

//! Credentials and the headers that carry them.
//!
//! The backend accepts either an auth token (`x-rockit-beauth-token`) or an API key with its
//! organisation and user (`x-rockit-orgname`, `x-rockit-username`, `x-rockit-api-key`); the
//! reference says the two exclude each other, so [`Credentials`] holds exactly one of them.
//!
//! Logging in gives other tokens, each with its own header: a session token (the older
//! login), an organisation selection token and a refresh token (the newer one). The access
//! token of the newer login travels like an auth token, as `x-rockit-beauth-token`.

use std::fmt;

use http::header::{HeaderMap, HeaderName, HeaderValue};

use crate::assumed::login::{LOGIN_ORG_SELECTION_HEADER, LOGIN_REFRESH_HEADER};
use crate::error::InputError;
use crate::secret::{header_value, Secret};

/// Header of the backend auth token.
pub const BEAUTH_TOKEN: HeaderName = HeaderName::from_static("x-rockit-beauth-token");
/// Header of the organisation name that goes with an API key.
pub const ORGNAME: HeaderName = HeaderName::from_static("x-rockit-orgname");
/// Header of the user name that goes with an API key.
pub const USERNAME: HeaderName = HeaderName::from_static("x-rockit-username");
/// Header of the API key.
pub const API_KEY: HeaderName = HeaderName::from_static("x-rockit-api-key");
/// Header of the admin token of the admin API.
pub const ADMIN_TOKEN: HeaderName = HeaderName::from_static("x-rockit-admin-token");
/// Header of the backend session token, exchanged for an auth token.
pub const BESESSION_TOKEN: HeaderName = HeaderName::from_static("x-rockit-besession-token");
/// Header of the organisation selection token, exchanged for an access and a refresh token
/// (name assumed, see [`crate::assumed::login::LOGIN_ORG_SELECTION_HEADER`]).
pub const ORG_SELECTION_TOKEN: HeaderName = HeaderName::from_static(LOGIN_ORG_SELECTION_HEADER);
/// Header of the refresh token, exchanged for new tokens (name assumed, see
/// [`crate::assumed::login::LOGIN_REFRESH_HEADER`]).
pub const REFRESH_TOKEN: HeaderName = HeaderName::from_static(LOGIN_REFRESH_HEADER);

/// Which credentials an endpoint takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Auth {
    /// A backend auth token or an API key.
    Backend,
    /// A backend auth token only (API keys are refused by these endpoints).
    BackendToken,
    /// A backend session token.
    Session,
    /// An admin token.
    Admin,
    /// An organisation selection token.
    OrgSelection,
    /// A refresh token.
    Refresh,
    /// None: the request is sent without credentials.
    None,
}

/// The credentials a client sends.
///
/// ```
/// use rockit_edge::Credentials;
///
/// let by_token = Credentials::backend_token("eyJhbGciOi...").unwrap();
/// let by_key = Credentials::api_key("ExampleOrg", "adminPrincipal", "k-123").unwrap();
/// assert!(!format!("{by_key:?}").contains("k-123"));
/// assert!(Credentials::backend_token("line\nbreak").is_err());
/// # let _ = by_token;
/// ```
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credentials {
    /// A backend auth token, sent as `x-rockit-beauth-token`.
    BackendToken(Secret),
    /// An API key of a machine user.
    ApiKey(ApiKey),
    /// A backend session token, sent as `x-rockit-besession-token`.
    SessionToken(Secret),
    /// An admin token of the admin API, sent as `x-rockit-admin-token`.
    AdminToken(Secret),
    /// An organisation selection token, sent as [`ORG_SELECTION_TOKEN`].
    OrgSelectionToken(Secret),
    /// A refresh token, sent as [`REFRESH_TOKEN`].
    RefreshToken(Secret),
}

impl Credentials {
    /// A backend auth token.
    pub fn backend_token(token: impl AsRef<str>) -> Result<Self, InputError> {
        Ok(Credentials::BackendToken(Secret::named(
            token.as_ref(),
            "backend auth token",
        )?))
    }

    /// An API key with the organisation and the machine user it belongs to.
    pub fn api_key(
        org_name: impl AsRef<str>,
        username: impl AsRef<str>,
        api_key: impl AsRef<str>,
    ) -> Result<Self, InputError> {
        Ok(Credentials::ApiKey(ApiKey::new(
            org_name, username, api_key,
        )?))
    }

    /// A backend session token.
    pub fn session_token(token: impl AsRef<str>) -> Result<Self, InputError> {
        Ok(Credentials::SessionToken(Secret::named(
            token.as_ref(),
            "backend session token",
        )?))
    }

    /// An admin token.
    pub fn admin_token(token: impl AsRef<str>) -> Result<Self, InputError> {
        Ok(Credentials::AdminToken(Secret::named(
            token.as_ref(),
            "admin token",
        )?))
    }

    /// An organisation selection token, from the password step of the newer login.
    pub fn org_selection_token(token: impl AsRef<str>) -> Result<Self, InputError> {
        Ok(Credentials::OrgSelectionToken(Secret::named(
            token.as_ref(),
            "organisation selection token",
        )?))
    }

    /// A refresh token, from the organisation step of the newer login or from a refresh.
    pub fn refresh_token(token: impl AsRef<str>) -> Result<Self, InputError> {
        Ok(Credentials::RefreshToken(Secret::named(
            token.as_ref(),
            "refresh token",
        )?))
    }

    /// A short name of the kind of credentials, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Credentials::BackendToken(_) => "backend auth token",
            Credentials::ApiKey(_) => "API key",
            Credentials::SessionToken(_) => "backend session token",
            Credentials::AdminToken(_) => "admin token",
            Credentials::OrgSelectionToken(_) => "organisation selection token",
            Credentials::RefreshToken(_) => "refresh token",
        }
    }

    fn kind_with_article(&self) -> &'static str {
        match self {
            Credentials::ApiKey(_) => "an API key",
            Credentials::AdminToken(_) => "an admin token",
            Credentials::BackendToken(_) => "a backend auth token",
            Credentials::SessionToken(_) => "a backend session token",
            Credentials::OrgSelectionToken(_) => "an organisation selection token",
            Credentials::RefreshToken(_) => "a refresh token",
        }
    }

    /// Whether an endpoint that takes `auth` accepts these credentials.
    pub fn fits(&self, auth: Auth) -> bool {
        matches!(
            (auth, self),
            (Auth::None, _)
                | (
                    Auth::Backend,
                    Credentials::BackendToken(_) | Credentials::ApiKey(_)
                )
                | (Auth::BackendToken, Credentials::BackendToken(_))
                | (Auth::Session, Credentials::SessionToken(_))
                | (Auth::Admin, Credentials::AdminToken(_))
                | (Auth::OrgSelection, Credentials::OrgSelectionToken(_))
                | (Auth::Refresh, Credentials::RefreshToken(_))
        )
    }

    /// Adds the headers of these credentials for an endpoint that takes `auth`.
    pub fn apply(&self, auth: Auth, headers: &mut HeaderMap) -> Result<(), InputError> {
        if auth == Auth::None {
            return Ok(());
        }
        if !self.fits(auth) {
            let wanted = match auth {
                Auth::Backend => "a backend auth token or an API key",
                Auth::BackendToken => "a backend auth token",
                Auth::Session => "a backend session token",
                Auth::Admin => "an admin token",
                Auth::OrgSelection => "an organisation selection token",
                Auth::Refresh => "a refresh token",
                Auth::None => "no credentials",
            };
            return Err(InputError::new(
                "credentials",
                format!(
                    "this endpoint takes {wanted}, not {}",
                    self.kind_with_article()
                ),
            ));
        }
        match self {
            Credentials::BackendToken(token) => {
                headers.insert(BEAUTH_TOKEN, token.header_value().clone());
            }
            Credentials::ApiKey(key) => {
                headers.insert(ORGNAME, key.org_name.clone());
                headers.insert(USERNAME, key.username.clone());
                headers.insert(API_KEY, key.key.header_value().clone());
            }
            Credentials::SessionToken(token) => {
                headers.insert(BESESSION_TOKEN, token.header_value().clone());
            }
            Credentials::AdminToken(token) => {
                headers.insert(ADMIN_TOKEN, token.header_value().clone());
            }
            Credentials::OrgSelectionToken(token) => {
                headers.insert(ORG_SELECTION_TOKEN, token.header_value().clone());
            }
            Credentials::RefreshToken(token) => {
                headers.insert(REFRESH_TOKEN, token.header_value().clone());
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::ApiKey(key) => key.fmt(f),
            other => write!(f, "Credentials({}: [redacted])", other.kind()),
        }
    }
}

/// An API key with the organisation and the machine user it belongs to.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey {
    org_name: HeaderValue,
    username: HeaderValue,
    key: Secret,
}

impl ApiKey {
    /// Checks the three values and keeps them. The organisation and user names are not
    /// secret; the key is.
    pub fn new(
        org_name: impl AsRef<str>,
        username: impl AsRef<str>,
        api_key: impl AsRef<str>,
    ) -> Result<Self, InputError> {
        Ok(ApiKey {
            org_name: header_value(org_name.as_ref(), "organisation name")?,
            username: header_value(username.as_ref(), "user name")?,
            key: Secret::named(api_key.as_ref(), "API key")?,
        })
    }

    /// The organisation name.
    pub fn org_name(&self) -> &str {
        self.org_name.to_str().unwrap_or_default()
    }

    /// The machine user's name.
    pub fn username(&self) -> &str {
        self.username.to_str().unwrap_or_default()
    }

    /// The key itself.
    pub fn key(&self) -> &Secret {
        &self.key
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiKey")
            .field("org_name", &self.org_name())
            .field("username", &self.username())
            .field("key", &self.key)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_sends_its_own_headers_only() {
        let mut h = HeaderMap::new();
        Credentials::backend_token("t0k")
            .unwrap()
            .apply(Auth::Backend, &mut h)
            .unwrap();
        assert_eq!(h.len(), 1);
        assert_eq!(h[BEAUTH_TOKEN], "t0k");
        assert!(h[BEAUTH_TOKEN].is_sensitive());

        let mut h = HeaderMap::new();
        Credentials::api_key("Org", "bot", "k3y")
            .unwrap()
            .apply(Auth::Backend, &mut h)
            .unwrap();
        assert_eq!(h.len(), 3);
        assert_eq!(h[ORGNAME], "Org");
        assert_eq!(h[USERNAME], "bot");
        assert_eq!(h[API_KEY], "k3y");
        assert!(h[API_KEY].is_sensitive());
    }

    #[test]
    fn login_tokens_travel_in_their_own_headers() {
        let cases = [
            (
                Credentials::org_selection_token("s3l").unwrap(),
                Auth::OrgSelection,
                ORG_SELECTION_TOKEN,
            ),
            (
                Credentials::refresh_token("r3f").unwrap(),
                Auth::Refresh,
                REFRESH_TOKEN,
            ),
        ];
        for (credentials, auth, header) in cases {
            let mut h = HeaderMap::new();
            credentials.apply(auth, &mut h).unwrap();
            assert_eq!(h.len(), 1);
            assert!(h[&header].is_sensitive());
            assert!(!credentials.fits(Auth::Backend));
            assert!(!format!("{credentials:?}").contains("3"));
            let err = credentials.apply(Auth::Backend, &mut h).unwrap_err();
            assert!(err
                .problem()
                .ends_with(&format!("not {}", credentials.kind_with_article())));
        }
        assert_ne!(ORG_SELECTION_TOKEN, REFRESH_TOKEN);
        assert!(Credentials::refresh_token("a b ").is_err());
    }

    #[test]
    fn refuses_credentials_an_endpoint_does_not_take() {
        let key = Credentials::api_key("Org", "bot", "k3y").unwrap();
        let err = key.apply(Auth::Admin, &mut HeaderMap::new()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid credentials: this endpoint takes an admin token, not an API key"
        );
        let token = Credentials::backend_token("t").unwrap();
        let err = token
            .apply(Auth::Session, &mut HeaderMap::new())
            .unwrap_err();
        assert!(
            err.to_string().ends_with("not a backend auth token"),
            "{err}"
        );
        let mut h = HeaderMap::new();
        key.apply(Auth::None, &mut h).unwrap();
        assert!(h.is_empty());
    }

    #[test]
    fn bad_values_are_refused_without_being_echoed() {
        for bad in [
            "",
            " S3CR",
            "S3CR ",
            "S3\rCR",
            "S3\nCR",
            "S3\0CR",
            "S3CR\u{e9}",
        ] {
            let err = Credentials::api_key("Org", "bot", bad).unwrap_err();
            assert_eq!(err.what(), "API key");
            assert!(!err.to_string().contains("S3"), "{err}");
        }
        let err = Credentials::api_key("Or\ng", "bot", "k").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid organisation name: must not contain CR or LF"
        );
    }
}

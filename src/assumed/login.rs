//! Assumed wire shapes of `crate::login`.

use crate::auth::Auth;

/// Login bodies name the user as `username`.
pub const LOGIN_USERNAME_MEMBER: &str = "username";

/// Login bodies carry the password as `password`.
pub const LOGIN_PASSWORD_MEMBER: &str = "password";

/// The one-step login and the organisation step of the two-step login name the organisation
/// as `orgName`; a password login without it is the first of the two steps.
pub const LOGIN_ORG_MEMBER: &str = "orgName";

/// The one-step login answers the session token as `sessionToken`.
pub const LOGIN_SESSION_TOKEN_MEMBER: &str = "sessionToken";

/// The one-step login answers the permissions as `permissions`, resource name → bitmask.
pub const LOGIN_PERMISSIONS_MEMBER: &str = "permissions";

/// Authentication answers the auth token as `authToken`.
pub const LOGIN_AUTH_TOKEN_MEMBER: &str = "authToken";

/// The password step answers the user's organisations as `orgs`.
pub const LOGIN_ORGS_MEMBER: &str = "orgs";

/// The password step answers the organisation selection token as `orgSelectionToken`.
pub const LOGIN_ORG_SELECTION_TOKEN_MEMBER: &str = "orgSelectionToken";

/// The organisation step and Refresh answer the access token as `accessToken`.
pub const LOGIN_ACCESS_TOKEN_MEMBER: &str = "accessToken";

/// The organisation step and Refresh answer the refresh token as `refreshToken`.
pub const LOGIN_REFRESH_TOKEN_MEMBER: &str = "refreshToken";

/// A token answer gives the lifetime of its (access, session, auth or selection) token in
/// seconds as `expiresIn`, when it does.
pub const LOGIN_EXPIRES_IN_MEMBER: &str = "expiresIn";

/// A token answer gives the lifetime of its refresh token in seconds as `refreshExpiresIn`.
pub const LOGIN_REFRESH_EXPIRES_IN_MEMBER: &str = "refreshExpiresIn";

/// The organisation step takes the selection token in the header `x-rockit-orgsel-token`.
pub const LOGIN_ORG_SELECTION_HEADER: &str = "x-rockit-orgsel-token";

/// Refresh and Logout take the refresh token in the header `x-rockit-refresh-token`.
pub const LOGIN_REFRESH_HEADER: &str = "x-rockit-refresh-token";

/// Logout ends the session of the refresh token it is sent with.
pub const LOGIN_LOGOUT_AUTH: Auth = Auth::Refresh;

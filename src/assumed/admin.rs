//! Assumed wire shapes of `crate::admin`.

/// Get Versions answers `{"status": "success", "versions": {…}}`.
pub const ADMIN_VERSIONS_MEMBER: &str = "versions";

/// … with ROCKIT Edge's version identifier as `edge` …
pub const ADMIN_VERSIONS_EDGE_MEMBER: &str = "edge";

/// … and ROCKIT Engine's as `engine`.
pub const ADMIN_VERSIONS_ENGINE_MEMBER: &str = "engine";

/// Create Organization (admin) names the organisation as `orgName`, in the body and the answer.
pub const ADMIN_ORG_NAME_MEMBER: &str = "orgName";

/// Create Organization (admin) names the primary administrator as `username`.
pub const ADMIN_ORG_USERNAME_MEMBER: &str = "username";

/// Create Organization (admin) takes the invitation address of newer servers as `email`.
pub const ADMIN_ORG_EMAIL_MEMBER: &str = "email";

/// Create Organization (admin) takes the organisation's PEM public key as `publicKey`.
pub const ADMIN_ORG_PUBLIC_KEY_MEMBER: &str = "publicKey";

/// Create Organization (admin) of older servers answers the administrator's initial password
/// as `password`.
pub const ADMIN_ORG_PASSWORD_MEMBER: &str = "password";

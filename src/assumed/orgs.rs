//! Assumed wire shapes of `crate::orgs`.

/// Create Organization names the new organisation in the body as `orgName`.
pub const ORGS_CREATE_NAME: &str = "orgName";

/// Create Organization takes the e-mail address of the organisation's first administrator as
/// `email`.
pub const ORGS_CREATE_EMAIL: &str = "email";

/// Create Organization takes the organisation's RSA public key, PEM text, as `publicKey`.
pub const ORGS_CREATE_PUBLIC_KEY: &str = "publicKey";

/// Create Organization answers with the first administrator's initial password as `password`
/// beside `status`, when it answers with one.
pub const ORGS_CREATE_PASSWORD_MEMBER: &str = "password";

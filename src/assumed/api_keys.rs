//! Assumed wire shapes of `crate::api_keys`.

/// Create API Key answers with the new key as `apiKey` beside `status`.
pub const API_KEYS_CREATE_MEMBER: &str = "apiKey";

/// Create API Key may name the user the key is for, as `username`; without a body the key is
/// the caller's.
pub const API_KEYS_CREATE_USERNAME: &str = "username";

/// Delete API Key uses the exact `DELETE /be/v1/apikeys` and names the key in the body as
/// `apiKey`, keeping it out of URLs and their logs (`DELETE /be/v1/apikeys/{key}` goes raw).
pub const API_KEYS_DELETE_MEMBER: &str = "apiKey";

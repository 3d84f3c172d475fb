//! Assumed wire shapes of `crate::users`.

/// Get User Details answers `{"status": "success", "user": {…}}`.
pub const USERS_GET_MEMBER: &str = "user";

/// List Users answers `{"status": "success", "users": […]}`.
pub const USERS_LIST_MEMBER: &str = "users";

/// Modify User names the user to change in the body, as `username`.
pub const USERS_PATCH_TARGET: &str = "username";

/// Create Machine User answers with the new user's API key as `apiKey` beside `status`.
pub const USERS_MACHINE_KEY_MEMBER: &str = "apiKey";

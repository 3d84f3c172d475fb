//! Assumed wire shapes of `crate::roles`.

/// List Roles answers `{"status": "success", "roles": […]}`.
pub const ROLES_LIST_MEMBER: &str = "roles";

/// Role Details answers `{"status": "success", "role": {…}}`.
pub const ROLES_GET_MEMBER: &str = "role";

/// A role carries its values per resource in one object under this member, e.g.
/// `{"name": "Testers", "permissions": {"bundles": 2}}`, in answers and in Create/Patch Role
/// bodies alike; Patch Role changes only the resources it names.
pub const ROLES_PERMISSIONS_MEMBER: &str = "permissions";

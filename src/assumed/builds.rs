//! Assumed wire shapes of `crate::builds`.

/// Import native builds names the app as `appName`, beside the reference's `url` and `size`.
pub const BUILDS_IMPORT_MEMBERS: &[&str] = crate::builds::BuildImport::MEMBERS;

/// Import native builds answers `{"status": "success", "build": {…}}`.
pub const BUILDS_IMPORTED_MEMBER: &str = "build";

/// The imported build carries its `name`, `appName`, the `taskName` of the task importing it
/// and, for an upload, the `uploadUrl`.
pub const BUILDS_IMPORTED_MEMBERS: &[&str] = crate::builds::ImportedBuild::MEMBERS;

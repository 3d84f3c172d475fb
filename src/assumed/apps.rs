//! Assumed wire shapes of `crate::apps`.

/// App Details answers `{"status": "success", "app": {…}}`.
pub const APPS_MEMBER: &str = "app";

/// List Apps answers `{"status": "success", "apps": […]}`.
pub const APPS_LIST_MEMBER: &str = "apps";

/// An app's members: those the reference names (`name`, `label`, `iCurBuild`, `maxBuilds`,
/// `processing`, `exporting`, `sizeBytes`, `created`, `updated`, `dxfName`) and, assumed,
/// `patches` (a list of `fromBuildId`/`toBuildId` pairs), `error` and `deployments` (an
/// object keyed by deployment name).
pub const APPS_APP_MEMBERS: &[&str] = crate::apps::App::MEMBERS;

/// A deployment registered to an app carries `status` and `message` of its last publication.
pub const APPS_DEPLOYMENT_MEMBERS: &[&str] = crate::apps::AppDeployment::MEMBERS;

/// Patch App names the app as `name`, sets `label`, and registers (object) or deregisters
/// (`null`) deployments in a `deployments` object keyed by deployment name.
pub const APPS_PATCH_MEMBERS: &[&str] = crate::apps::AppChanges::MEMBERS;

/// Error code of the 409 answer to creating an app whose name is taken.
pub const APPS_EXISTS_CODE: &str = "app-exists";

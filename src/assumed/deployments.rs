//! Assumed wire shapes of `crate::deployments`.

/// Get Deployment Details answers `{"status": "success", "deployment": {…}}`.
pub const DEPLOYMENTS_MEMBER: &str = "deployment";

/// Get Deployments answers `{"status": "success", "deployments": […]}`.
pub const DEPLOYMENTS_LIST_MEMBER: &str = "deployments";

/// A deployment's members, in request and answer bodies alike: of these the reference names
/// only `originPrefix` (and the name's pattern).
pub const DEPLOYMENTS_MEMBERS: &[&str] = crate::deployments::Deployment::MEMBERS;

/// A deployment's `credentials` object: for S3, `accessKeyId` and `secretAccessKey`.
pub const DEPLOYMENTS_CREDENTIALS_MEMBERS: &[&str] = crate::deployments::wire::Credentials::MEMBERS;

/// The `status` of a deployment in error.
pub const DEPLOYMENTS_ERROR_STATUS: &str = "error";

/// Get Deployments: query name of the (partial) name filter.
pub const DEPLOYMENTS_QUERY_NAME: &str = "name";

/// Get Deployments: query name of the status filter.
pub const DEPLOYMENTS_QUERY_STATUS: &str = "status";

/// Get Deployments: query name of the earliest creation time (inclusive).
pub const DEPLOYMENTS_QUERY_CREATED_FROM: &str = "createdFrom";

/// Get Deployments: query name of the latest creation time (inclusive).
pub const DEPLOYMENTS_QUERY_CREATED_TO: &str = "createdTo";

/// Get Deployments: query name of the earliest update time (inclusive).
pub const DEPLOYMENTS_QUERY_UPDATED_FROM: &str = "updatedFrom";

/// Get Deployments: query name of the latest update time (inclusive).
pub const DEPLOYMENTS_QUERY_UPDATED_TO: &str = "updatedTo";

/// Error code of the 409 answer to creating a deployment whose name is taken.
pub const DEPLOYMENTS_EXISTS_CODE: &str = "deployment-exists";

/// Error code of the 409 answer to deleting a deployment that an app has registered.
pub const DEPLOYMENTS_IN_USE_CODE: &str = "deployment-in-use";

/// The `status` of a deployment that works, as the fake writes it.
pub const DEPLOYMENTS_OK_STATUS: &str = "ok";

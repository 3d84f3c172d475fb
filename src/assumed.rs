//! Every wire shape this crate assumes because the reference does not show it, in one place.
//!
//! The reference documents request parameters for most endpoints but shows a response body
//! only for Task Details. Each constant below is one such choice; the fake server follows the
//! same choices. Where one turns out wrong, send a [`crate::raw::RawRequest`] meanwhile.
//!
//! The constants here are shared by several resources or belong to tasks; each other
//! resource has its own submodule.

pub mod admin;
pub mod api_keys;
pub mod apps;
pub mod builds;
pub mod deployments;
pub mod login;
pub mod orgs;
pub mod roles;
pub mod subscriptions;
pub mod triggers;
pub mod users;

/// Error bodies: the error code is the first string among these members (else a `status`
/// other than `success`, `error`, `fail` or `failed`).
pub const ERROR_CODE_MEMBERS: &[&str] = &["code", "errorCode", "error"];

/// Error bodies: the message is the first string among these members.
pub const ERROR_MESSAGE_MEMBERS: &[&str] = &["message", "msg", "errorMessage", "description"];

/// Error bodies: a code or a message missing at the top is read the same way from the first
/// object found under these members, in order (an object there, or the first object of an
/// array there).
pub const ERROR_NESTED_MEMBERS: &[&str] = &["error", "errors"];

/// Error bodies as the fake server writes them: `{"status": "error", "code": …, "message": …}`.
pub const ERROR_STATUS: &str = "error";

/// List bodies carry their items under the resource's plural name, e.g. `{"status":
/// "success", "tasks": […]}`, like Task Details carries `task`.
pub const TASK_LIST_MEMBER: &str = "tasks";

/// List bodies report the number of all matching items in this member, when they do.
pub const LIST_TOTAL_MEMBER: &str = "total";

/// Listing Tasks: query name of the task group filter.
pub const TASKS_QUERY_GROUP: &str = "group";

/// Listing Tasks: query name of the status filter.
pub const TASKS_QUERY_STATUS: &str = "status";

/// Listing Tasks: query name of the task type filter.
pub const TASKS_QUERY_TYPE: &str = "taskType";

/// Listing Tasks: query name of the earliest creation time (inclusive).
pub const TASKS_QUERY_CREATED_FROM: &str = "createdFrom";

/// Listing Tasks: query name of the latest creation time (inclusive).
pub const TASKS_QUERY_CREATED_TO: &str = "createdTo";

/// Lists: query name of the sort order, `[+field]`/`[-field]` (documented for subscriptions).
pub const QUERY_ORDER: &str = "order[]";

/// Acknowledge Warning / Expire Task: the body names the task as `name` …
pub const TASK_PATCH_NAME: &str = "name";

/// … and sets this member to `true` to acknowledge its warning …
pub const TASK_PATCH_ACKNOWLEDGE: &str = "acknowledge";

/// … or this member to `true` to expire it.
pub const TASK_PATCH_EXPIRE: &str = "expire";

/// Task states the fake server uses besides the reference's `failed`.
pub const FAKE_TASK_STATES: &[&str] = &["running", "finished", "warning", "expired"];

/// The state an expired task takes.
pub const TASK_STATUS_EXPIRED: &str = "expired";

/// Acknowledge Warning / Expire Task answers the changed task under this member.
pub const TASK_PATCH_ANSWER_MEMBER: &str = "task";

/// An acknowledged task's `alert` carries this member set to `true`.
pub const TASK_ALERT_ACKNOWLEDGED: &str = "acknowledged";

/// A task may name its group in this member; without it, the group is the task's name
/// without its `-{taskType}` ending (the tasks of one import share it).
pub const TASK_GROUP_MEMBER: &str = "group";

/// The fields Listing Tasks can sort by.
pub const TASKS_ORDER_FIELDS: &[&str] = &["name", "created"];

/// List bodies echo the offset they start at in this member.
pub const LIST_OFFSET_MEMBER: &str = "offset";

/// List bodies echo the page size they use in this member.
pub const LIST_LIMIT_MEMBER: &str = "limit";

/// Task states that end a task in failure: the reference's `failed` and two more.
pub const TASK_FAILURE_STATES: &[&str] = &["failed", "error", "expired"];

/// Task states that end a task well; a task whose `steps.finished` is set has ended too.
pub const TASK_SUCCESS_STATES: &[&str] = &["finished", "success", "done", "warning"];

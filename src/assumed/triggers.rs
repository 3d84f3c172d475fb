//! Assumed wire shapes of `crate::triggers`.

/// Trigger bodies say what to start in the member `trigger` …
pub const TRIGGER_KIND_MEMBER: &str = "trigger";

/// … `processTraces` for Process Traces …
pub const TRIGGER_PROCESS_TRACES: &str = "processTraces";

/// … `retryTask` for Retry Task.
pub const TRIGGER_RETRY_TASK: &str = "retryTask";

/// Process Traces names its app as `appName`.
pub const TRIGGER_APP_MEMBER: &str = "appName";

/// Retry Task names its task as `taskName`.
pub const TRIGGER_TASK_MEMBER: &str = "taskName";

/// Triggers answer the task they started or restarted as `task` (the fake does; the client
/// returns the answer's members as they are).
pub const TRIGGER_ANSWER_TASK_MEMBER: &str = "task";

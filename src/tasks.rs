//! Tasks: the background jobs that download a build (`dltar`), build an image (`mkraw`) and
//! publish it (`deploy`).
//!
//! - `GET /be/v1/tasks/{taskName}`: [`GetTask`]
//! - `GET /be/v1/tasks`: [`ListTasks`]
//! - `PATCH /be/v1/tasks`: [`AcknowledgeTask`], [`ExpireTask`]

use std::fmt;

use http::{Method, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::assumed;
use crate::decode;
use crate::endpoint::{json_body, Endpoint, PathBuilder, Query};
use crate::error::{Error, InputError};
use crate::model::{model, open_enum};
use crate::page::{list_request, ListParams, Page};

const TASKS: &str = "/be/v1/tasks";

model! {
    /// A task, as Task Details returns it.
    pub struct Task {
        /// The task's unique name, such as `ExampleOrg-sushi-0003-1739273968-dltar`.
        required name: String = "name",
        /// The app the task works for.
        required app_name: String = "appName",
        /// The build the task works on.
        required build_name: String = "buildName",
        /// What the task does.
        required task_type: TaskType = "taskType",
        /// Its state.
        required status: TaskStatus = "status",
        /// When it was created, started and finished.
        required steps: Steps = "steps",
        /// Details of its input, such as the download URL and size of a `dltar` task.
        optional user_data: UserData = "userData",
        /// What went wrong, if anything.
        optional alert: Alert = "alert",
    }
}

open_enum! {
    /// What a task does.
    pub enum TaskType {
        /// Downloads a native build (`dltar`).
        Dltar = "dltar",
        /// Builds a FastStart image (`mkraw`).
        Mkraw = "mkraw",
        /// Publishes to a CDN origin (`deploy`).
        Deploy = "deploy",
    }
}

/// The state of a task, as text.
///
/// The reference shows `failed` and gives no full list, so every value is kept as it is.
///
/// ```
/// use rockit_edge::tasks::TaskStatus;
///
/// let status = TaskStatus::from("failed");
/// assert!(status.is_failed());
/// assert!(TaskStatus::from("expired").is_failed());
/// assert!(!TaskStatus::from("running").is_failed());
/// assert_eq!(status.as_str(), "failed");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TaskStatus(compact_str::CompactString);

impl TaskStatus {
    /// The state the reference shows for a task that ended in failure.
    pub const FAILED: &'static str = "failed";

    /// The state as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the task ended in failure: its state is one of
    /// [`crate::assumed::TASK_FAILURE_STATES`], as [`crate::watch::ending`] judges too.
    pub fn is_failed(&self) -> bool {
        assumed::TASK_FAILURE_STATES.contains(&self.0.as_str())
    }
}

impl From<&str> for TaskStatus {
    fn from(value: &str) -> Self {
        TaskStatus(value.into())
    }
}

impl From<String> for TaskStatus {
    fn from(value: String) -> Self {
        TaskStatus(value.into())
    }
}

impl fmt::Display for TaskStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A point in time as the API writes it, such as `2025-02-11T11:39:31.541Z`, kept as text.
///
/// With the `time` feature, `Timestamp::to_offset_date_time` parses it as RFC 3339.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(compact_str::CompactString);

impl Timestamp {
    /// The text as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Parses the text as an RFC 3339 date and time.
    #[cfg(feature = "time")]
    pub fn to_offset_date_time(&self) -> Result<time::OffsetDateTime, InputError> {
        time::OffsetDateTime::parse(&self.0, &time::format_description::well_known::Rfc3339)
            .map_err(|e| InputError::new("timestamp", e.to_string()))
    }
}

impl From<&str> for Timestamp {
    fn from(value: &str) -> Self {
        Timestamp(value.into())
    }
}

impl From<String> for Timestamp {
    fn from(value: String) -> Self {
        Timestamp(value.into())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

model! {
    /// When a task was created, started and finished; each may be absent or `null`.
    pub struct Steps {
        /// When the task was created.
        optional created: Timestamp = "created",
        /// When it started.
        optional started: Timestamp = "started",
        /// When it finished.
        optional finished: Timestamp = "finished",
    }
}

model! {
    /// Details of a task's input, by task type.
    pub struct UserData {
        /// The download of a `dltar` task.
        optional dltar: DltarInput = "dltar",
    }
}

model! {
    /// What a `dltar` task downloads.
    pub struct DltarInput {
        /// Where the build is downloaded from.
        optional url: String = "url",
        /// Its expected size in bytes.
        optional size_bytes: u64 = "sizeBytes",
    }
}

model! {
    /// What went wrong in a task.
    pub struct Alert {
        /// The exception, by kind. Boxed: it is large and most tasks have none, and a task
        /// that holds it inline decodes measurably slower.
        optional exception: Box<Exception> = "exception",
    }
}

model! {
    /// An exception of a task: one member per kind; kinds this crate does not know are kept
    /// in `extra`.
    pub struct Exception {
        /// A `dltar` download failed or came out the wrong size.
        optional http_download_failed: HttpDownloadFailed = "httpDownloadFailed",
        /// A `mkraw` task could not read a file of the build.
        optional file_read_failed: FileReadFailed = "fileReadFailed",
        /// A `deploy` task failed; the reference does not show its shape.
        optional error: Value = "error",
    }
}

impl Exception {
    /// The names of the exception kinds present, typed or not.
    pub fn kinds(&self) -> Vec<&str> {
        let typed = [
            ("httpDownloadFailed", self.http_download_failed.is_value()),
            ("fileReadFailed", self.file_read_failed.is_value()),
            ("error", self.error.is_value()),
        ];
        typed
            .iter()
            .filter(|(_, present)| *present)
            .map(|(name, _)| *name)
            .chain(self.extra.keys().map(String::as_str))
            .collect()
    }
}

model! {
    /// A failed download of a `dltar` task.
    pub struct HttpDownloadFailed {
        /// The HTTP status of the download.
        optional http_status: u16 = "httpStatus",
        /// The exit code of the downloader.
        optional exit_code: i64 = "exitCode",
        /// How many bytes arrived.
        optional size_bytes_actual: u64 = "sizeBytesActual",
        /// How many bytes were expected.
        optional size_bytes_expected: u64 = "sizeBytesExpected",
    }
}

model! {
    /// A file of the build that a `mkraw` task could not read.
    pub struct FileReadFailed {
        /// The file's name.
        optional filename: String = "filename",
        /// The file type expected.
        optional type_expected: String = "typeExpected",
        /// The file type found.
        optional type_detected: String = "typeDetected",
    }
}

/// `GET /be/v1/tasks/{taskName}`: one task with its status and exceptions.
///
/// Needs the `tasks.read` permission.
///
/// ```
/// use rockit_edge::tasks::GetTask;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let creds = Credentials::backend_token("t0k").unwrap();
/// let request = GetTask::new("Org-app-0001-1-dltar").to_request(&base, &creds).unwrap();
/// assert_eq!(request.uri(), "https://edge.example.com/be/v1/tasks/Org-app-0001-1-dltar");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetTask {
    name: String,
}

impl GetTask {
    /// The task named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        GetTask { name: name.into() }
    }
}

impl Endpoint for GetTask {
    type Output = Task;

    fn method(&self) -> Method {
        Method::GET
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(PathBuilder::new(TASKS)
            .segment("task name", &self.name)?
            .finish())
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Task, Error> {
        decode::member(response, "task")
    }
}

/// `GET /be/v1/tasks`: the organisation's tasks, filtered and paged.
///
/// Needs the `tasks.read` permission. The server's default page size is 10. Only `offset`,
/// `limit` and `appName` are documented by name; the other filters use the names in
/// [`crate::assumed`], and [`ListTasks::param`] adds any other parameter.
///
/// ```
/// use rockit_edge::tasks::{ListTasks, TaskType};
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let creds = Credentials::backend_token("t0k").unwrap();
/// let list = ListTasks::new().app_name("sushi").task_type(TaskType::Dltar).limit(50);
/// let request = list.to_request(&base, &creds).unwrap();
/// assert_eq!(request.uri().query(), Some("limit=50&appName=sushi&taskType=dltar"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListTasks {
    list: ListParams,
    app_name: Option<String>,
    group: Option<String>,
    status: Option<String>,
    task_type: Option<TaskType>,
    created_from: Option<String>,
    created_to: Option<String>,
}

impl ListTasks {
    /// All tasks, first page, server's default page size.
    pub fn new() -> Self {
        ListTasks::default()
    }

    /// Only tasks of apps whose name matches (the server matches partially).
    pub fn app_name(mut self, app_name: impl Into<String>) -> Self {
        self.app_name = Some(app_name.into());
        self
    }

    /// Only tasks of this task group.
    pub fn group(mut self, group: impl Into<String>) -> Self {
        self.group = Some(group.into());
        self
    }

    /// Only tasks in this state.
    pub fn status(mut self, status: impl Into<String>) -> Self {
        self.status = Some(status.into());
        self
    }

    /// Only tasks of this type.
    pub fn task_type(mut self, task_type: impl Into<TaskType>) -> Self {
        self.task_type = Some(task_type.into());
        self
    }

    /// Only tasks created at or after this time (RFC 3339 text).
    pub fn created_from(mut self, time: impl Into<String>) -> Self {
        self.created_from = Some(time.into());
        self
    }

    /// Only tasks created at or before this time (RFC 3339 text).
    pub fn created_to(mut self, time: impl Into<String>) -> Self {
        self.created_to = Some(time.into());
        self
    }
}

list_request!(ListTasks, Task);

impl Endpoint for ListTasks {
    type Output = Page<Task>;

    fn method(&self) -> Method {
        Method::GET
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(TASKS.to_owned())
    }

    fn query(&self, query: &mut Query) -> Result<(), InputError> {
        self.list.write_head(query)?;
        query
            .push_opt("appName", self.app_name.as_ref())
            .push_opt(assumed::TASKS_QUERY_GROUP, self.group.as_ref())
            .push_opt(assumed::TASKS_QUERY_STATUS, self.status.as_ref())
            .push_opt(assumed::TASKS_QUERY_TYPE, self.task_type.as_ref())
            .push_opt(
                assumed::TASKS_QUERY_CREATED_FROM,
                self.created_from.as_ref(),
            )
            .push_opt(assumed::TASKS_QUERY_CREATED_TO, self.created_to.as_ref());
        self.list.write_tail(query);
        Ok(())
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Page<Task>, Error> {
        let envelope = decode::envelope(response, assumed::TASK_LIST_MEMBER)?;
        Ok(Page {
            items: envelope.value,
            extra: envelope.rest,
        })
    }
}

/// `PATCH /be/v1/tasks`, acknowledging a task's warning: it is marked as reviewed and stays
/// visible until its cause is fixed and the task retried.
///
/// The body is assumed (see [`crate::assumed::TASK_PATCH_ACKNOWLEDGE`]). The answer's
/// members other than `status` are returned as they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AcknowledgeTask {
    name: String,
}

impl AcknowledgeTask {
    /// Acknowledges the warning of the task named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        AcknowledgeTask { name: name.into() }
    }
}

/// `PATCH /be/v1/tasks`, expiring a task, such as an upload that went wrong.
///
/// The body is assumed (see [`crate::assumed::TASK_PATCH_EXPIRE`]). The answer's members
/// other than `status` are returned as they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpireTask {
    name: String,
}

impl ExpireTask {
    /// Expires the task named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        ExpireTask { name: name.into() }
    }
}

fn patch_body(name: &str, action: &'static str) -> Result<Option<Vec<u8>>, InputError> {
    // The same names as in a task's path, so that a task one can ask for is one that can be
    // acknowledged or expired, and no other.
    crate::endpoint::check_segment("task name", name)?;
    let mut body = Map::new();
    body.insert(assumed::TASK_PATCH_NAME.into(), Value::from(name));
    body.insert(action.into(), Value::Bool(true));
    json_body(&body)
}

macro_rules! task_patch {
    ($endpoint:ident, $action:expr) => {
        impl Endpoint for $endpoint {
            type Output = Map<String, Value>;

            fn method(&self) -> Method {
                Method::PATCH
            }

            fn path(&self) -> Result<String, InputError> {
                Ok(TASKS.to_owned())
            }

            fn body(&self) -> Result<Option<Vec<u8>>, InputError> {
                patch_body(&self.name, $action)
            }

            fn decode<B: AsRef<[u8]>>(
                &self,
                response: &Response<B>,
            ) -> Result<Map<String, Value>, Error> {
                decode::acknowledgement(response)
            }
        }
    };
}

task_patch!(AcknowledgeTask, assumed::TASK_PATCH_ACKNOWLEDGE);
task_patch!(ExpireTask, assumed::TASK_PATCH_EXPIRE);

//! The fake's tasks.
//!
//! - `GET /be/v1/tasks/{taskName}`: the task, as `{"status": "success", "task": …}`.
//! - `GET /be/v1/tasks`: a page of tasks, as `{"status": "success", "tasks": […], "total":
//!   …, "offset": …, "limit": …}`.
//! - `PATCH /be/v1/tasks`: acknowledges a task's warning or expires it, and answers the task
//!   as it is afterwards.
//!
//! Listing takes `offset` (default 0), `limit` (default 10, at least 1), `appName` (the app
//! name contains it, case-sensitively), and the filters named in [`crate::assumed`], each an
//! exact match unless said otherwise:
//!
//! - the group: a task's group is its `group` member when it has one as text, else its name
//!   without the trailing `-{taskType}`, so the `dltar`, `mkraw` and `deploy` tasks of one
//!   import share a group such as `ExampleOrg-sushi-0004-1739452800`;
//! - the status and the task type;
//! - the creation time from and to, both inclusive, compared as text with `steps.created`:
//!   correct for RFC 3339 UTC times written alike, such as `2025-02-11T11:39:31.541Z`; a task
//!   without a creation time matches neither;
//! - the order, any number of `[+field]`, `[-field]` or `[field]` (ascending) with the fields
//!   `name` and `created`; without one, tasks come in the order they were first inserted.
//!
//! Other parameters are ignored. Acknowledging adds `"acknowledged": true` to the task's
//! `alert`; a task without an alert has nothing to acknowledge (`409 invalid-state`).
//! Expiring sets the status to `expired` and `steps.finished` to the current time when it
//! has none, and tells the webhooks of an `error` when the task was not expired before.
//!
//! Reads stand in for time: every few reads of one `running` task (see
//! `FakeEdge::set_task_progress`) move it a step on, so that watching it ends without a clock.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

use http::Method;
use serde_json::{Map, Value};

use super::{percent_decode, success, Answer, Call, Failure, FakeEdge, Params, State};
use crate::assumed;
use crate::model::Field;
use crate::subscriptions::Event;
use crate::tasks::{Alert, Task, TaskStatus, Timestamp};

/// The path of the task resource.
pub(super) const PATH: &str = "/be/v1/tasks";

/// The member a task answer carries the task in, as in the reference's Task Details.
const TASK_MEMBER: &str = assumed::TASK_PATCH_ANSWER_MEMBER;

/// Paging parameters, named as the reference names them; list answers echo them.
const OFFSET: &str = assumed::LIST_OFFSET_MEMBER;
const LIMIT: &str = assumed::LIST_LIMIT_MEMBER;
const APP_NAME: &str = "appName";

/// The page size when a request gives none, as the reference documents it.
const DEFAULT_LIMIT: u64 = 10;

const GROUP_MEMBER: &str = assumed::TASK_GROUP_MEMBER;
const ACKNOWLEDGED: &str = assumed::TASK_ALERT_ACKNOWLEDGED;
const EXPIRED: &str = assumed::TASK_STATUS_EXPIRED;

/// The reference's Task Details answer, whose task the seeded fake serves unchanged.
const REFERENCE_ANSWER: &str = include_str!("../../tests/fixtures/tasks_get_200.json");

/// The other seeded tasks.
const SEED: &str = r#"[
  {
    "name": "ExampleOrg-sushi-0004-1739452800-dltar",
    "appName": "sushi",
    "buildName": "0004",
    "taskType": "dltar",
    "status": "finished",
    "steps": {
      "created": "2025-02-13T13:20:02.118Z",
      "started": "2025-02-13T13:20:40.007Z",
      "finished": "2025-02-13T13:24:11.930Z"
    },
    "userData": {
      "dltar": {
        "url": "https://downloads.example.com/sushi/0004/native-build.tar",
        "sizeBytes": 1790113280
      }
    }
  },
  {
    "name": "ExampleOrg-sushi-0004-1739452800-mkraw",
    "appName": "sushi",
    "buildName": "0004",
    "taskType": "mkraw",
    "status": "warning",
    "steps": {
      "created": "2025-02-13T13:24:12.204Z",
      "started": "2025-02-13T13:24:30.512Z",
      "finished": "2025-02-13T13:31:05.377Z"
    },
    "alert": {
      "exception": {
        "fileReadFailed": {
          "filename": "sushi_Data/StreamingAssets/level2.bundle",
          "typeExpected": "unityfs",
          "typeDetected": "gzip"
        }
      }
    }
  },
  {
    "name": "ExampleOrg-sushi-0004-1739452800-deploy",
    "appName": "sushi",
    "buildName": "0004",
    "taskType": "deploy",
    "status": "running",
    "steps": {
      "created": "2025-02-13T13:31:05.601Z",
      "started": "2025-02-13T13:31:20.048Z",
      "finished": null
    }
  },
  {
    "name": "ExampleOrg-ramen-0012-1740047400-dltar",
    "appName": "ramen",
    "buildName": "0012",
    "taskType": "dltar",
    "status": "finished",
    "steps": {
      "created": "2025-02-20T10:30:03.311Z",
      "started": "2025-02-20T10:30:09.870Z",
      "finished": "2025-02-20T10:33:47.162Z"
    },
    "userData": {
      "dltar": {
        "url": "https://downloads.example.com/ramen/0012/native-build.tar",
        "sizeBytes": 934281216
      }
    }
  },
  {
    "name": "ExampleOrg-ramen-0012-1740047400-mkraw",
    "appName": "ramen",
    "buildName": "0012",
    "taskType": "mkraw",
    "status": "finished",
    "steps": {
      "created": "2025-02-20T10:33:47.405Z",
      "started": "2025-02-20T10:34:02.219Z",
      "finished": "2025-02-20T10:38:55.640Z"
    }
  },
  {
    "name": "ExampleOrg-ramen-0012-1740047400-deploy",
    "appName": "ramen",
    "buildName": "0012",
    "taskType": "deploy",
    "status": "failed",
    "steps": {
      "created": "2025-02-20T10:38:55.902Z",
      "started": "2025-02-20T10:39:10.335Z",
      "finished": "2025-02-20T10:39:41.018Z"
    },
    "alert": {
      "exception": {
        "error": {
          "deployment": "cdn_eu",
          "httpStatus": 403,
          "message": "the CDN origin refused the upload"
        }
      }
    }
  },
  {
    "name": "ExampleOrg-tempura-0001-1741003200-dltar",
    "appName": "tempura",
    "buildName": "0001",
    "taskType": "dltar",
    "status": "running",
    "steps": {
      "created": "2025-03-03T12:00:04.733Z",
      "started": "2025-03-03T12:00:21.096Z"
    },
    "userData": {
      "dltar": {
        "url": "https://downloads.example.com/tempura/0001/native-build.tar",
        "sizeBytes": 2147483648
      }
    }
  }
]"#;

/// The seeded tasks: the reference's first, then the others.
pub(super) fn seed() -> Vec<Task> {
    let reference = serde_json::from_str::<Map<String, Value>>(REFERENCE_ANSWER)
        .ok()
        .and_then(|mut answer| answer.remove(TASK_MEMBER))
        .and_then(|task| serde_json::from_value::<Task>(task).ok());
    let others = serde_json::from_str::<Vec<Task>>(SEED).unwrap_or_default();
    reference.into_iter().chain(others).collect()
}

/// Answers every request below [`PATH`].
pub(super) fn handle(state: &mut State, call: &Call<'_>) -> Answer {
    if call.rest.is_empty() {
        return match *call.method {
            Method::GET => list(state, call.query),
            Method::PATCH => patch(state, call.body),
            _ => Err(Failure::method_not_allowed("GET, PATCH")),
        };
    }

    let segment = call.rest.strip_prefix('/').unwrap_or(call.rest);
    if segment.contains('/') {
        return Err(Failure::not_found("no endpoint at this path"));
    }
    if *call.method != Method::GET {
        return Err(Failure::method_not_allowed("GET"));
    }
    if segment.is_empty() {
        return Err(Failure::missing_param(
            "the task name is missing from the path",
        ));
    }
    let name = percent_decode(segment)
        .ok_or_else(|| Failure::invalid_param("the task name must be UTF-8"))?;
    get(state, &name)
}

fn get(state: &mut State, name: &str) -> Answer {
    let task = state
        .task(name)
        .ok_or_else(|| Failure::not_found("no such task"))?;
    let answer = success(TASK_MEMBER, task, &[]);
    count_read(state, name);
    answer
}

/// The state of a task that is being worked on, and the one it ends in when all goes well;
/// both are among [`assumed::FAKE_TASK_STATES`].
const RUNNING: &str = "running";
const FINISHED: &str = "finished";

/// How many reads of a running task move it on, unless set otherwise.
const DEFAULT_PROGRESS_READS: u32 = 3;

/// The seeded task that fails when it ends, and how: its download finds nothing.
const SEEDED_FAILURE: (&str, &str) = (
    "ExampleOrg-tempura-0001-1741003200-dltar",
    r#"{"exception": {"httpDownloadFailed": {"httpStatus": 404, "sizeBytesActual": 0,
        "sizeBytesExpected": 2147483648}}}"#,
);

/// How running tasks move on: reads stand in for time, so that tests need no clock.
#[derive(Debug)]
pub(super) struct Progress {
    /// How many reads of a running task move it on one step; 0 holds every task still.
    reads: u32,
    /// The reads of each running task since it last moved on.
    counted: HashMap<String, u32>,
    /// The alert each named task fails with the next time it ends, instead of finishing.
    failures: HashMap<String, Alert>,
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            reads: DEFAULT_PROGRESS_READS,
            counted: HashMap::new(),
            failures: HashMap::new(),
        }
    }
}

impl Progress {
    /// The default pace, with the seeded `tempura` download bound to fail.
    pub(super) fn seeded() -> Self {
        let mut progress = Progress::default();
        let (name, alert) = SEEDED_FAILURE;
        if let Ok(alert) = serde_json::from_str(alert) {
            progress.failures.insert(name.to_owned(), alert);
        }
        progress
    }
}

impl FakeEdge {
    /// Sets how many reads of a `running` task (`GET /be/v1/tasks/{taskName}`; lists do not
    /// count) move it one step on: a task without `steps.started` starts, and a started one
    /// ends, `finished` with `steps.finished` set, or `failed` with an alert when
    /// [`FakeEdge::set_task_failure`] says so. Both times are the time of the move. The read
    /// that completes the count still shows the task as it was; the next one shows the move.
    ///
    /// A fake starts at 3; 0 holds every task still. Setting the pace starts every count
    /// again. [`FakeEdge::seeded`] has its running `tempura` download fail with an
    /// `httpDownloadFailed` alert.
    ///
    /// ```
    /// use rockit_edge::fake::FakeEdge;
    /// use rockit_edge::tasks::GetTask;
    ///
    /// let fake = FakeEdge::seeded();
    /// fake.set_task_progress(1);
    /// let client = fake.client();
    /// let deploy = GetTask::new("ExampleOrg-sushi-0004-1739452800-deploy");
    /// assert_eq!(client.send(&deploy).unwrap().status.as_str(), "running");
    /// let ended = client.send(&deploy).unwrap();
    /// assert_eq!(ended.status.as_str(), "finished");
    /// assert!(ended.steps.finished.is_value());
    /// ```
    pub fn set_task_progress(&self, reads: u32) {
        let mut state = self.lock();
        state.task_progress.reads = reads;
        state.task_progress.counted.clear();
    }

    /// Makes the task named `name` fail with `alert` the next time it ends by being read,
    /// instead of finishing; once it has failed, it would finish the time after (as after a
    /// retry). A later call for the same task replaces the alert.
    ///
    /// ```
    /// use rockit_edge::fake::FakeEdge;
    /// use rockit_edge::tasks::{Alert, GetTask};
    ///
    /// let fake = FakeEdge::seeded();
    /// fake.set_task_progress(1);
    /// let deploy = "ExampleOrg-sushi-0004-1739452800-deploy";
    /// let alert: Alert = serde_json::from_str(r#"{"exception": {"error": {"httpStatus": 403}}}"#).unwrap();
    /// fake.set_task_failure(deploy, alert.clone());
    ///
    /// let client = fake.client();
    /// client.send(&GetTask::new(deploy)).unwrap();
    /// let failed = client.send(&GetTask::new(deploy)).unwrap();
    /// assert!(failed.status.is_failed());
    /// assert_eq!(failed.alert.get(), Some(&alert));
    /// ```
    pub fn set_task_failure(&self, name: &str, alert: Alert) {
        self.lock()
            .task_progress
            .failures
            .insert(name.to_owned(), alert);
    }
}

/// Counts a read of the task named `name`, and moves it on when the count is complete.
fn count_read(state: &mut State, name: &str) {
    let progress = &mut state.task_progress;
    let Some(task) = state
        .task_index
        .get(name)
        .and_then(|&at| state.tasks.get_mut(at))
    else {
        return;
    };
    if progress.reads == 0 || task.status.as_str() != RUNNING {
        progress.counted.remove(name);
        return;
    }
    let count = progress.counted.entry(name.to_owned()).or_insert(0);
    *count = count.saturating_add(1);
    if *count < progress.reads {
        return;
    }
    progress.counted.remove(name);
    let event = move_on(task, &mut progress.failures);
    let task = task.clone();
    super::webhooks::task_changed(state, &task, event);
}

/// Moves a running task one step on; the only place where reading changes a task. Returns
/// the webhook event the step is.
fn move_on(task: &mut Task, failures: &mut HashMap<String, Alert>) -> Event {
    let at = Field::Value(Timestamp::from(now()));
    if !task.steps.started.is_value() {
        task.steps.started = at;
        return Event::Begin;
    }
    let event = match failures.remove(&task.name) {
        Some(alert) => {
            task.status = TaskStatus::from(TaskStatus::FAILED);
            task.alert = Field::Value(alert);
            Event::Error
        }
        None => {
            task.status = TaskStatus::from(FINISHED);
            Event::End
        }
    };
    task.steps.finished = at;
    event
}

/// What a list request asks for.
struct Filter<'a> {
    app_name: Option<&'a str>,
    group: Option<&'a str>,
    status: Option<&'a str>,
    task_type: Option<&'a str>,
    created_from: Option<&'a str>,
    created_to: Option<&'a str>,
}

impl<'a> Filter<'a> {
    fn from_params(params: &'a Params) -> Result<Self, Failure> {
        Ok(Filter {
            app_name: params.one(APP_NAME)?,
            group: params.one(assumed::TASKS_QUERY_GROUP)?,
            status: params.one(assumed::TASKS_QUERY_STATUS)?,
            task_type: params.one(assumed::TASKS_QUERY_TYPE)?,
            created_from: params.one(assumed::TASKS_QUERY_CREATED_FROM)?,
            created_to: params.one(assumed::TASKS_QUERY_CREATED_TO)?,
        })
    }

    fn matches(&self, task: &Task) -> bool {
        let created = task.steps.created.get().map(Timestamp::as_str);
        self.app_name.is_none_or(|a| task.app_name.contains(a))
            && self.group.is_none_or(|g| group(task) == g)
            && self.status.is_none_or(|s| task.status.as_str() == s)
            && self.task_type.is_none_or(|t| task.task_type.as_str() == t)
            && self
                .created_from
                .is_none_or(|from| created.is_some_and(|c| c >= from))
            && self
                .created_to
                .is_none_or(|to| created.is_some_and(|c| c <= to))
    }
}

fn group(task: &Task) -> &str {
    if let Some(Value::String(group)) = task.extra.get(GROUP_MEMBER) {
        return group;
    }
    task.name
        .strip_suffix(task.task_type.as_str())
        .and_then(|rest| rest.strip_suffix('-'))
        .unwrap_or(&task.name)
}

/// One key of the sort order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct SortKey {
    field: SortField,
    descending: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SortField {
    Name,
    Created,
}

impl SortKey {
    /// Reads `[+field]`, `[-field]` or `[field]`.
    fn parse(text: &str) -> Result<Self, Failure> {
        let invalid = || {
            Failure::invalid_param(format!(
                "`{}` takes `[+field]` or `[-field]` with the field `name` or `created`",
                assumed::QUERY_ORDER
            ))
        };
        let inner = text
            .strip_prefix('[')
            .and_then(|t| t.strip_suffix(']'))
            .ok_or_else(invalid)?;
        let (descending, field) = match (inner.strip_prefix('+'), inner.strip_prefix('-')) {
            (Some(field), _) => (false, field),
            (_, Some(field)) => (true, field),
            _ => (false, inner),
        };
        let field = match field {
            "name" => SortField::Name,
            "created" => SortField::Created,
            _ => return Err(invalid()),
        };
        Ok(SortKey { field, descending })
    }

    fn compare(&self, a: &Task, b: &Task) -> Ordering {
        let ordering = match self.field {
            SortField::Name => a.name.cmp(&b.name),
            SortField::Created => a.steps.created.get().cmp(&b.steps.created.get()),
        };
        if self.descending {
            ordering.reverse()
        } else {
            ordering
        }
    }
}

fn list(state: &State, query: &str) -> Answer {
    let params = Params::parse(query)?;
    let offset = params.number(OFFSET, 0)?.unwrap_or(0);
    let limit = params.number(LIMIT, 1)?.unwrap_or(DEFAULT_LIMIT);
    let filter = Filter::from_params(&params)?;
    let order = params
        .all(assumed::QUERY_ORDER)
        .map(SortKey::parse)
        .collect::<Result<Vec<_>, _>>()?;

    let mut matching: Vec<&Task> = state.tasks.iter().filter(|t| filter.matches(t)).collect();
    // A stable sort keeps insertion order among tasks the keys do not tell apart.
    matching.sort_by(|a, b| {
        order
            .iter()
            .map(|key| key.compare(a, b))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    });
    let total = matching.len();
    let page: Vec<&Task> = matching
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .collect();

    success(
        assumed::TASK_LIST_MEMBER,
        &page,
        &[
            (assumed::LIST_TOTAL_MEMBER, Value::from(total)),
            (OFFSET, Value::from(offset)),
            (LIMIT, Value::from(limit)),
        ],
    )
}

/// What a `PATCH` asks to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Change {
    Acknowledge,
    Expire,
}

/// Reads the assumed body: the task's name and exactly one of the two actions set to `true`.
fn read_patch(body: &[u8]) -> Result<(String, Change), Failure> {
    let body: Map<String, Value> = serde_json::from_slice(body)
        .map_err(|_| Failure::invalid_body("the body must be a JSON object"))?;

    let name = match body.get(assumed::TASK_PATCH_NAME) {
        None | Some(Value::Null) => None,
        Some(Value::String(name)) => Some(name.as_str()),
        Some(_) => {
            return Err(Failure::invalid_param(format!(
                "`{}` must be text",
                assumed::TASK_PATCH_NAME
            )))
        }
    };
    let name = name.filter(|n| !n.trim().is_empty()).ok_or_else(|| {
        Failure::missing_param(format!(
            "`{}` names the task to change",
            assumed::TASK_PATCH_NAME
        ))
    })?;

    let flag = |member: &str| match body.get(member) {
        None | Some(Value::Null) | Some(Value::Bool(false)) => Ok(false),
        Some(Value::Bool(true)) => Ok(true),
        Some(_) => Err(Failure::invalid_param(format!(
            "`{member}` must be true or false"
        ))),
    };
    let change = match (
        flag(assumed::TASK_PATCH_ACKNOWLEDGE)?,
        flag(assumed::TASK_PATCH_EXPIRE)?,
    ) {
        (true, false) => Change::Acknowledge,
        (false, true) => Change::Expire,
        _ => {
            return Err(Failure::invalid_param(format!(
                "set exactly one of `{}` and `{}` to true",
                assumed::TASK_PATCH_ACKNOWLEDGE,
                assumed::TASK_PATCH_EXPIRE
            )))
        }
    };
    Ok((name.to_owned(), change))
}

fn patch(state: &mut State, body: &[u8]) -> Answer {
    let (name, change) = read_patch(body)?;

    let task = state
        .task_mut(&name)
        .ok_or_else(|| Failure::not_found("no such task"))?;
    match change {
        Change::Acknowledge => {
            let alert = task
                .alert
                .get_mut()
                .ok_or_else(|| Failure::invalid_state("the task has no alert to acknowledge"))?;
            alert.extra.insert(ACKNOWLEDGED.into(), Value::Bool(true));
        }
        Change::Expire => {
            let changed = task.status.as_str() != EXPIRED;
            task.status = TaskStatus::from(EXPIRED);
            if !task.steps.finished.is_value() {
                task.steps.finished = Field::Value(Timestamp::from(now()));
            }
            if changed {
                let task = task.clone();
                super::webhooks::task_changed(state, &task, Event::Error);
                return success(TASK_MEMBER, &task, &[]);
            }
        }
    }

    success(TASK_MEMBER, &*task, &[])
}

/// The current time as the API writes it, such as `2025-02-11T11:39:31.541Z`.
pub(super) fn now() -> String {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let millis = i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX);
    rfc3339_millis(millis)
}

/// Writes milliseconds since the Unix epoch as RFC 3339 UTC text.
fn rfc3339_millis(millis: i64) -> String {
    const MILLIS_PER_DAY: i64 = 86_400_000;
    let days = millis.div_euclid(MILLIS_PER_DAY);
    let in_day = millis.rem_euclid(MILLIS_PER_DAY);
    let (year, month, day) = civil_date(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000
    )
}

/// The proleptic Gregorian date `days` days after 1970-01-01.
fn civil_date(days: i64) -> (i64, i64, i64) {
    // Count from 0000-03-01 so that the leap day ends each 4-, 100- and 400-year cycle.
    const DAYS_PER_400_YEARS: i64 = 146_097;
    let since_march_0000 = days + 719_468;
    let cycle = since_march_0000.div_euclid(DAYS_PER_400_YEARS);
    let day_of_cycle = since_march_0000.rem_euclid(DAYS_PER_400_YEARS);
    let year_of_cycle = (day_of_cycle - day_of_cycle / 1460 + day_of_cycle / 36_524
        - day_of_cycle / (DAYS_PER_400_YEARS - 1))
        / 365;
    let day_of_year =
        day_of_cycle - (365 * year_of_cycle + year_of_cycle / 4 - year_of_cycle / 100);
    // Months from March, each run of five alternating 31 and 30 days spanning 153 days.
    let march_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * march_month + 2) / 5 + 1;
    let month = if march_month < 10 {
        march_month + 3
    } else {
        march_month - 9
    };
    let year = year_of_cycle + cycle * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tasks::TaskType;

    #[test]
    fn sorts_by_exactly_the_assumed_fields() {
        for field in assumed::TASKS_ORDER_FIELDS {
            for sign in ["", "+", "-"] {
                assert!(
                    SortKey::parse(&format!("[{sign}{field}]")).is_ok(),
                    "{field}"
                );
            }
        }
        assert!(SortKey::parse("[-appName]").is_err());
    }

    #[test]
    fn the_seed_covers_every_type_and_the_states_in_use() {
        let tasks = seed();
        assert_eq!(tasks.len(), 8);
        assert_eq!(tasks[0].name, "ExampleOrg-sushi-0003-1739273968-dltar");
        for task_type in TaskType::KNOWN {
            assert!(
                tasks.iter().any(|t| &t.task_type == task_type),
                "{task_type}"
            );
        }
        for status in ["failed", "running", "finished", "warning"] {
            assert!(
                tasks.iter().any(|t| t.status.as_str() == status),
                "{status}"
            );
        }
        for task in &tasks {
            let status = task.status.as_str();
            assert!(
                task.status.is_failed() || assumed::FAKE_TASK_STATES.contains(&status),
                "{status}"
            );
            assert!(task.extra.is_empty(), "{}", task.name);
        }
        assert!(assumed::FAKE_TASK_STATES.contains(&EXPIRED));
        let kinds: Vec<&str> = tasks
            .iter()
            .filter_map(|t| t.alert.get()?.exception.get())
            .flat_map(|e| e.kinds())
            .collect();
        assert_eq!(kinds, ["httpDownloadFailed", "fileReadFailed", "error"]);
    }

    #[test]
    fn progress_uses_fake_states_and_the_seeded_failure_names_a_running_task() {
        for status in [RUNNING, FINISHED] {
            assert!(assumed::FAKE_TASK_STATES.contains(&status), "{status}");
        }
        let progress = Progress::seeded();
        let (name, alert) = progress.failures.iter().next().unwrap();
        assert_eq!(progress.failures.len(), 1);
        let task = seed().into_iter().find(|t| &t.name == name).unwrap();
        assert_eq!(task.status.as_str(), RUNNING);
        let kinds = alert.exception.get().unwrap().kinds();
        assert_eq!(kinds, ["httpDownloadFailed"]);
        assert!(Progress::default().failures.is_empty());
    }

    #[test]
    fn groups_come_from_a_member_or_the_name() {
        let mut task = seed().remove(2);
        assert_eq!(group(&task), "ExampleOrg-sushi-0004-1739452800");
        task.extra
            .insert(GROUP_MEMBER.into(), Value::from("nightly"));
        assert_eq!(group(&task), "nightly");
        task.extra.clear();
        task.name = "odd".into();
        assert_eq!(group(&task), "odd");
    }

    #[test]
    fn sort_keys_parse_both_directions_and_refuse_other_fields() {
        let key = |field, descending| SortKey { field, descending };
        assert_eq!(
            SortKey::parse("[+name]").unwrap(),
            key(SortField::Name, false)
        );
        assert_eq!(
            SortKey::parse("[name]").unwrap(),
            key(SortField::Name, false)
        );
        assert_eq!(
            SortKey::parse("[-created]").unwrap(),
            key(SortField::Created, true)
        );
        for bad in ["name", "[+size]", "[]", "[-]", "-name", "[+name", ""] {
            assert_eq!(
                SortKey::parse(bad).unwrap_err().code,
                super::super::INVALID_PARAM,
                "{bad}"
            );
        }
    }

    #[test]
    fn patch_bodies_need_a_name_and_exactly_one_action() {
        let read = |body: &str| read_patch(body.as_bytes());
        assert_eq!(
            read(r#"{"name":"t","acknowledge":true}"#).unwrap(),
            ("t".to_owned(), Change::Acknowledge)
        );
        assert_eq!(
            read(r#"{"name":"t","expire":true,"acknowledge":false}"#).unwrap(),
            ("t".to_owned(), Change::Expire)
        );
        for (body, code) in [
            ("", "invalid-body"),
            ("[1]", "invalid-body"),
            ("{", "invalid-body"),
            (r#"{"expire":true}"#, "missing-param"),
            (r#"{"name":"  ","expire":true}"#, "missing-param"),
            (r#"{"name":null,"expire":true}"#, "missing-param"),
            (r#"{"name":7,"expire":true}"#, "invalid-param"),
            (r#"{"name":"t"}"#, "invalid-param"),
            (
                r#"{"name":"t","expire":true,"acknowledge":true}"#,
                "invalid-param",
            ),
            (r#"{"name":"t","expire":"yes"}"#, "invalid-param"),
        ] {
            assert_eq!(read(body).unwrap_err().code, code, "{body}");
        }
    }

    #[test]
    fn times_are_written_as_rfc3339_utc_with_milliseconds() {
        assert_eq!(rfc3339_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            rfc3339_millis(1_739_273_971_541),
            "2025-02-11T11:39:31.541Z"
        );
        assert_eq!(rfc3339_millis(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(
            rfc3339_millis(4_107_542_399_999),
            "2100-02-28T23:59:59.999Z"
        );
        assert_eq!(rfc3339_millis(-1), "1969-12-31T23:59:59.999Z");
        let now = now();
        assert_eq!(now.len(), 24, "{now}");
        assert!(now.as_str() > "2025-01-01T00:00:00.000Z", "{now}");
    }
}

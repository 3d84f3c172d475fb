//! The fake's triggers: `POST /be/v1/trigger`, told apart by the body's
//! [`crate::assumed::triggers::TRIGGER_KIND_MEMBER`].
//!
//! - Retry Task takes the name of a `failed` task (`404 not-found` if unknown, `409
//!   invalid-state` if it has not failed) and puts it back to `running`: started now, not
//!   finished, without its alert.
//! - Process Traces takes the name of an app that has tasks (`404 not-found` otherwise) and
//!   adds a `running` `mkraw` task for the app's latest build, named like the others
//!   (`{org}-{app}-{build}-{seconds}-mkraw`).
//!
//! Both answer the task as `{"status": "success", "task": …}`, and tell the webhooks: a
//! retried task `begin`s, a new one is `submit`ted.

use http::Method;

use super::login::{object, text};
use super::tasks::now;
use super::{success, Answer, Call, Failure, State};
use crate::assumed::triggers::{
    TRIGGER_ANSWER_TASK_MEMBER, TRIGGER_APP_MEMBER, TRIGGER_KIND_MEMBER, TRIGGER_PROCESS_TRACES,
    TRIGGER_RETRY_TASK, TRIGGER_TASK_MEMBER,
};
use crate::model::{Extra, Field};
use crate::names::NamePattern;
use crate::subscriptions::Event;
use crate::tasks::{Steps, Task, TaskStatus, TaskType, Timestamp};

/// The path of both triggers.
pub(super) const PATH: &str = "/be/v1/trigger";

/// The state of a task that is being worked on, one of the fake's task states.
const RUNNING: &str = "running";

/// Answers every request below [`PATH`].
pub(super) fn handle(state: &mut State, call: &Call<'_>) -> Answer {
    if !call.rest.is_empty() {
        return Err(Failure::not_found("no endpoint at this path"));
    }
    if *call.method != Method::POST {
        return Err(Failure::method_not_allowed("POST"));
    }
    let body = object(call.body)?;
    match text(&body, TRIGGER_KIND_MEMBER)?.as_str() {
        TRIGGER_RETRY_TASK => retry(state, &text(&body, TRIGGER_TASK_MEMBER)?),
        TRIGGER_PROCESS_TRACES => process_traces(state, &text(&body, TRIGGER_APP_MEMBER)?),
        _ => Err(Failure::invalid_param(format!(
            "`{TRIGGER_KIND_MEMBER}` is `{TRIGGER_RETRY_TASK}` or `{TRIGGER_PROCESS_TRACES}`"
        ))),
    }
}

fn retry(state: &mut State, name: &str) -> Answer {
    let task = state
        .task_mut(name)
        .ok_or_else(|| Failure::not_found("no such task"))?;
    if !task.status.is_failed() {
        return Err(Failure::invalid_state(format!(
            "only a failed task can be retried; this one is {}",
            task.status
        )));
    }
    task.status = TaskStatus::from(RUNNING);
    task.steps.started = Field::Value(Timestamp::from(now()));
    task.steps.finished = Field::Null;
    task.alert = Field::Absent;
    let task = task.clone();
    super::webhooks::task_changed(state, &task, Event::Begin);
    success(TRIGGER_ANSWER_TASK_MEMBER, &task, &[])
}

fn process_traces(state: &mut State, app_name: &str) -> Answer {
    NamePattern::Standard
        .check("app name", app_name)
        .map_err(|e| Failure::invalid_param(e.to_string()))?;
    let latest = state
        .tasks
        .iter()
        .rev()
        .find(|t| t.app_name == app_name)
        .ok_or_else(|| Failure::not_found("no such app"))?;
    let build_name = latest.build_name.clone();
    let org_name = latest
        .name
        .split_once(&format!("-{app_name}-{build_name}-"))
        .map_or(super::VALID_ORG_NAME, |(org, _)| org)
        .to_owned();

    let created = now();
    let mut seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let name = loop {
        let name = format!("{org_name}-{app_name}-{build_name}-{seconds}-mkraw");
        if state.task(&name).is_none() {
            break name;
        }
        seconds += 1;
    };
    let task = Task {
        name: name.clone(),
        app_name: app_name.to_owned(),
        build_name,
        task_type: TaskType::Mkraw,
        status: TaskStatus::from(RUNNING),
        steps: Steps {
            created: Field::Value(Timestamp::from(created)),
            started: Field::Absent,
            finished: Field::Absent,
            extra: Extra::new(),
        },
        user_data: Field::Absent,
        alert: Field::Absent,
        extra: Extra::new(),
    };
    state.insert_task(task.clone());
    super::webhooks::task_changed(state, &task, Event::Submit);
    success(TRIGGER_ANSWER_TASK_MEMBER, &task, &[])
}

#[cfg(test)]
mod tests {
    use super::RUNNING;
    use crate::assumed::FAKE_TASK_STATES;

    #[test]
    fn running_is_one_of_the_fake_task_states() {
        assert!(FAKE_TASK_STATES.contains(&RUNNING));
    }
}

//! The fake's triggers through the client: retrying failed tasks and processing traces.

mod common;

use rockit_edge::fake::FakeEdge;
use rockit_edge::raw::RawRequest;
use rockit_edge::tasks::{GetTask, ListTasks, TaskType};
use rockit_edge::triggers::{ProcessTraces, RetryTask};
use rockit_edge::Client;
use serde_json::json;

use common::api_error;

const FAILED_DEPLOY: &str = "ExampleOrg-ramen-0012-1740047400-deploy";
const WARNING_MKRAW: &str = "ExampleOrg-sushi-0004-1739452800-mkraw";

#[test]
fn a_retried_task_runs_again_without_its_alert() {
    let fake = FakeEdge::seeded();
    let before = fake.task(FAILED_DEPLOY).unwrap();
    assert!(before.status.is_failed());
    assert!(before.alert.is_value());

    let answer = fake.client().send(&RetryTask::new(FAILED_DEPLOY)).unwrap();
    assert_eq!(answer["task"]["name"], FAILED_DEPLOY);

    let after = fake.client().send(&GetTask::new(FAILED_DEPLOY)).unwrap();
    assert_eq!(after.status.as_str(), "running");
    assert!(after.alert.is_absent());
    assert!(after.steps.finished.is_null());
    assert_ne!(after.steps.started, before.steps.started);
    assert_eq!(after.steps.created, before.steps.created);
    assert_eq!(answer["task"], serde_json::to_value(&after).unwrap());
}

#[test]
fn only_failed_tasks_are_retried() {
    let fake = FakeEdge::seeded();
    let client = fake.client();
    let warning = client.send(&RetryTask::new(WARNING_MKRAW));
    assert_eq!(api_error(warning), (409, "invalid-state".into()));
    client.send(&RetryTask::new(FAILED_DEPLOY)).unwrap();
    let twice = client.send(&RetryTask::new(FAILED_DEPLOY));
    assert_eq!(api_error(twice), (409, "invalid-state".into()));
    let unknown = client.send(&RetryTask::new("ExampleOrg-nope-0001-1-dltar"));
    assert_eq!(api_error(unknown), (404, "not-found".into()));
}

#[test]
fn processing_traces_adds_an_mkraw_task_for_the_latest_build() {
    let fake = FakeEdge::seeded();
    let count = fake.tasks().len();
    let answer = fake.client().send(&ProcessTraces::new("sushi")).unwrap();
    let name = answer["task"]["name"].as_str().unwrap().to_owned();
    assert!(name.starts_with("ExampleOrg-sushi-0004-"), "{name}");
    assert!(name.ends_with("-mkraw"), "{name}");

    let tasks = fake.tasks();
    assert_eq!(tasks.len(), count + 1);
    let task = fake.client().send(&GetTask::new(&name)).unwrap();
    assert_eq!(task.task_type, TaskType::Mkraw);
    assert_eq!(task.status.as_str(), "running");
    assert_eq!(task.build_name, "0004");
    assert!(task.steps.created.is_value());

    // A second trigger adds a second task rather than replacing the first.
    fake.client().send(&ProcessTraces::new("sushi")).unwrap();
    let sushi_mkraw = fake
        .client()
        .send(
            &ListTasks::new()
                .app_name("sushi")
                .task_type(TaskType::Mkraw),
        )
        .unwrap();
    assert_eq!(sushi_mkraw.items.len(), 3);
}

#[test]
fn traces_of_an_unknown_app_are_not_found() {
    let fake = FakeEdge::seeded();
    let result = fake.client().send(&ProcessTraces::new("udon"));
    assert_eq!(api_error(result), (404, "not-found".into()));
}

#[test]
fn trigger_bodies_are_checked() {
    let fake = FakeEdge::seeded();
    let client = fake.client();
    let trigger = |body| RawRequest::new(http::Method::POST, "/be/v1/trigger").body(body);
    for (body, code) in [
        (json!({"taskName": FAILED_DEPLOY}), "missing-param"),
        (json!({"trigger": "retryTask"}), "missing-param"),
        (json!({"trigger": "processTraces"}), "missing-param"),
        (
            json!({"trigger": "reboot", "taskName": FAILED_DEPLOY}),
            "invalid-param",
        ),
        (
            json!({"trigger": "processTraces", "appName": "su shi"}),
            "invalid-param",
        ),
    ] {
        assert_eq!(
            api_error(client.send(&trigger(body.clone()))),
            (400, code.into()),
            "{body}"
        );
    }
    let get = RawRequest::new(http::Method::GET, "/be/v1/trigger");
    assert_eq!(
        api_error(client.send(&get)),
        (405, "method-not-allowed".into())
    );
    assert!(fake.task(FAILED_DEPLOY).unwrap().status.is_failed());
}

#[test]
fn triggers_need_backend_credentials() {
    let fake = FakeEdge::seeded();
    let stranger = Client::new(
        fake.clone(),
        fake.base_url(),
        rockit_edge::Credentials::backend_token("guess").unwrap(),
    );
    let result = stranger.send(&RetryTask::new(FAILED_DEPLOY));
    assert_eq!(api_error(result), (401, "invalid-token".into()));
    assert!(fake.task(FAILED_DEPLOY).unwrap().status.is_failed());
}

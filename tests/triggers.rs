//! Triggers: two operations on one method and path, told apart by the body.

mod common;

use http::{Method, StatusCode};
use rockit_edge::assumed::triggers::{
    TRIGGER_KIND_MEMBER, TRIGGER_PROCESS_TRACES, TRIGGER_RETRY_TASK,
};
use rockit_edge::triggers::{ProcessTraces, RetryTask};
use rockit_edge::{Credentials, Endpoint, ErrorCode};
use serde_json::json;

use common::{base, fixture_answer as answer, input_error, raw_body_json as body_json};

#[test]
fn both_triggers_post_to_one_path_with_different_bodies() {
    let creds = Credentials::backend_token("t0k").unwrap();
    let traces = ProcessTraces::new("sushi")
        .to_request(&base(), &creds)
        .unwrap();
    let retry = RetryTask::new("ExampleOrg-sushi-0003-1739273968-deploy")
        .to_request(&base(), &creds)
        .unwrap();
    for request in [&traces, &retry] {
        assert_eq!(request.method(), Method::POST);
        assert_eq!(request.uri(), "https://edge.example.com/be/v1/trigger");
        assert_eq!(request.headers()["content-type"], "application/json");
        assert_eq!(request.headers()["x-rockit-beauth-token"], "t0k");
    }
    assert_eq!(
        body_json(&traces),
        json!({"trigger": "processTraces", "appName": "sushi"})
    );
    assert_eq!(
        body_json(&retry),
        json!({"trigger": "retryTask", "taskName": "ExampleOrg-sushi-0003-1739273968-deploy"})
    );
    assert_ne!(
        body_json(&traces)[TRIGGER_KIND_MEMBER],
        body_json(&retry)[TRIGGER_KIND_MEMBER]
    );
    assert_ne!(TRIGGER_PROCESS_TRACES, TRIGGER_RETRY_TASK);
}

#[test]
fn triggers_take_api_keys_too() {
    let key = Credentials::api_key("ExampleOrg", "robot", "k3y").unwrap();
    let request = ProcessTraces::new("sushi")
        .to_request(&base(), &key)
        .unwrap();
    assert_eq!(request.headers()["x-rockit-api-key"], "k3y");
    assert_eq!(request.headers()["x-rockit-username"], "robot");
}

#[test]
fn names_are_checked_before_sending() {
    let creds = Credentials::backend_token("t0k").unwrap();
    for bad in ["s", "sushi-2", "", "sushi/x"] {
        let e = input_error(ProcessTraces::new(bad).to_request(&base(), &creds));
        assert_eq!(e.what(), "app name", "{bad:?}");
    }
    for bad in ["", "  "] {
        let e = input_error(RetryTask::new(bad).to_request(&base(), &creds));
        assert_eq!(e.what(), "task name");
    }
    let admin = Credentials::admin_token("adm").unwrap();
    let e = input_error(RetryTask::new("t").to_request(&base(), &admin));
    assert_eq!(e.what(), "credentials");
}

#[test]
fn answers_decode_to_their_members() {
    let members = ProcessTraces::new("sushi")
        .decode(&answer(200, "triggers_traces_200.json"))
        .unwrap();
    assert_eq!(
        members["taskName"],
        "ExampleOrg-sushi-0004-1746705604-mkraw"
    );
    let members = RetryTask::new("t")
        .decode(&answer(200, "triggers_retry_200.json"))
        .unwrap();
    assert!(members.is_empty());
    let err = RetryTask::new("t")
        .decode(&answer(400, "triggers_retry_400.json"))
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::BAD_REQUEST));
    assert_eq!(err.code(), Some(&ErrorCode::MissingParam));
}

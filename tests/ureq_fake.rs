//! The ureq transport over a real socket, against the fake served on 127.0.0.1: the same
//! answers as in memory, with the same typed errors.
#![cfg(feature = "ureq")]

use std::time::Duration;

use rockit_edge::fake::{serve, FakeEdge};
use rockit_edge::tasks::{AcknowledgeTask, GetTask, ListTasks};
use rockit_edge::ureq_transport::UreqTransport;
use rockit_edge::{Client, Credentials, Error, ErrorCode};

const REFERENCE_TASK: &str = "ExampleOrg-sushi-0003-1739273968-dltar";

fn transport() -> UreqTransport {
    // No proxy from the environment may take these requests off loopback.
    UreqTransport::builder()
        .proxy_from_env(false)
        .timeout_global(Duration::from_secs(20))
        .build()
}

#[test]
fn decodes_the_reference_task_over_a_socket() {
    let fake = FakeEdge::seeded();
    let server = serve(fake.clone()).unwrap();
    let client = Client::new(transport(), server.base_url(), fake.credentials());

    let task = client.send(&GetTask::new(REFERENCE_TASK)).unwrap();

    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/tasks_get_200.json")).unwrap();
    assert_eq!(serde_json::to_value(&task).unwrap(), fixture["task"]);
    let all: Vec<_> = client
        .all(ListTasks::new().limit(3))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(all.len(), fake.tasks().len());
}

#[test]
fn api_keys_work_and_a_patch_changes_the_fake() {
    let fake = FakeEdge::seeded();
    let server = serve(fake.clone()).unwrap();
    let client = Client::new(transport(), server.base_url(), fake.api_key_credentials());

    client.send(&AcknowledgeTask::new(REFERENCE_TASK)).unwrap();

    let alert = fake
        .task(REFERENCE_TASK)
        .unwrap()
        .alert
        .into_option()
        .unwrap();
    assert_eq!(
        alert.extra[rockit_edge::assumed::TASK_ALERT_ACKNOWLEDGED],
        true
    );
}

#[test]
fn missing_param_and_token_expired_arrive_typed() {
    let fake = FakeEdge::seeded();
    let server = serve(fake.clone()).unwrap();
    let client = Client::new(transport(), server.base_url(), fake.credentials());

    // The path segment cannot be empty through `GetTask`; a raw request can send it.
    let raw = rockit_edge::raw::RawRequest::new(http::Method::GET, "/be/v1/tasks/");
    let err = client.send(&raw).unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::BAD_REQUEST), "{err}");
    assert_eq!(err.code(), Some(&ErrorCode::MissingParam), "{err}");

    let expiring = "soon-expired-token";
    fake.add_token(expiring);
    fake.expire_token(expiring);
    let client = Client::new(
        transport(),
        server.base_url(),
        Credentials::backend_token(expiring).unwrap(),
    );
    match client.send(&GetTask::new(REFERENCE_TASK)).unwrap_err() {
        Error::Api(e) => {
            assert_eq!(e.status(), 401);
            assert_eq!(e.code(), Some(&ErrorCode::TokenExpired));
            assert!(e.message().is_some());
        }
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[test]
fn a_stopped_server_gives_a_connect_error() {
    let fake = FakeEdge::seeded();
    let server = serve(fake.clone()).unwrap();
    let base = server.base_url();
    server.shutdown();

    let client = Client::new(transport(), base, fake.credentials());
    match client.send(&GetTask::new(REFERENCE_TASK)).unwrap_err() {
        Error::Transport(e) => {
            assert_eq!(e.kind(), rockit_edge::TransportErrorKind::Connect, "{e}")
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
}

//! Watching tasks through the client against the fake, whose running tasks move on as they
//! are read.

use std::time::Duration;

use http::{Request, Response};
use rockit_edge::fake::FakeEdge;
use rockit_edge::tasks::Task;
use rockit_edge::watch::{self, Ending, Event, WatchPolicy, Watcher};
use rockit_edge::{Client, Error, TransportError, TransportErrorKind};
use serde_json::json;

const DEPLOY: &str = "ExampleOrg-sushi-0004-1739452800-deploy";
const TEMPURA_DLTAR: &str = "ExampleOrg-tempura-0001-1741003200-dltar";
const REFERENCE: &str = "ExampleOrg-sushi-0003-1739273968-dltar";

fn watcher(names: &[&str]) -> Watcher {
    let policy = WatchPolicy {
        first_delay: Duration::from_millis(1),
        growth: 2.0,
        max_delay: Duration::from_millis(4),
    };
    Watcher::with_policy(names.iter().copied(), policy)
}

/// Each event as the task's name, what the event says and the task's status.
fn describe(event: &Event) -> (String, &'static str, String) {
    let (what, task) = match event {
        Event::Changed(task) => ("changed", task),
        Event::Unchanged(task) => ("unchanged", task),
        Event::Ended(task, Ending::Succeeded) => ("succeeded", task),
        Event::Ended(task, Ending::Failed) => ("failed", task),
        Event::Idle => return (String::new(), "idle", String::new()),
    };
    (task.name.clone(), what, task.status.as_str().to_owned())
}

#[test]
fn watches_until_one_task_finishes_and_the_others_fail() {
    let fake = FakeEdge::seeded();
    let mut events = Vec::new();

    let ended = watch::watch(
        &fake.client(),
        watcher(&[DEPLOY, TEMPURA_DLTAR, REFERENCE]),
        |e| events.push(describe(e)),
    )
    .unwrap();

    let summary: Vec<(&str, &str, Ending)> = ended
        .iter()
        .map(|(t, how)| (t.name.as_str(), t.status.as_str(), *how))
        .collect();
    assert_eq!(
        summary,
        [
            (DEPLOY, "finished", Ending::Succeeded),
            (TEMPURA_DLTAR, "failed", Ending::Failed),
            (REFERENCE, "failed", Ending::Failed),
        ]
    );
    for (task, _) in &ended {
        assert_eq!(Some(task), fake.task(&task.name).as_ref());
    }
    let alert = ended[1].0.alert.get().unwrap();
    assert_eq!(
        alert.exception.get().unwrap().kinds(),
        ["httpDownloadFailed"]
    );

    let of = |name: &str| -> Vec<&str> {
        events
            .iter()
            .filter(|(n, _, _)| n == name)
            .map(|(_, what, _)| *what)
            .collect()
    };
    let moving = ["changed", "unchanged", "unchanged"];
    assert_eq!(of(DEPLOY), [&moving[..], &["succeeded"]].concat());
    assert_eq!(of(TEMPURA_DLTAR), [&moving[..], &["failed"]].concat());
    assert_eq!(of(REFERENCE), ["failed"]);
    // A round asks for every task still running; the reference task ended in the first.
    assert_eq!(fake.requests(), 3 + 2 + 2 + 2);
    assert_eq!(events.len() as u64, fake.requests());
}

#[test]
fn the_fakes_pace_sets_how_many_answers_come_before_the_end() {
    for reads in [1, 2, 6] {
        let fake = FakeEdge::seeded();
        fake.set_task_progress(reads);
        let mut events = Vec::new();
        watch::watch(&fake.client(), watcher(&[DEPLOY]), |e| {
            events.push(describe(e).1)
        })
        .unwrap();
        assert_eq!(events.len(), reads as usize + 1, "{events:?}");
        assert_eq!(events.last(), Some(&"succeeded"));
    }
}

#[test]
fn a_task_that_starts_first_is_reported_at_each_change() {
    let fake = FakeEdge::new();
    fake.set_task_progress(1);
    let task: Task = serde_json::from_value(json!({
        "name": "MyOrg-pong-0001-1740819600-mkraw",
        "appName": "pong",
        "buildName": "0001",
        "taskType": "mkraw",
        "status": "running",
        "steps": {"created": "2025-03-01T09:00:00.000Z"}
    }))
    .unwrap();
    fake.insert_task(task.clone());

    let mut events = Vec::new();
    let ended = watch::watch(&fake.client(), watcher(&[&task.name]), |e| {
        events.push(e.clone())
    })
    .unwrap();

    assert_eq!(events.len(), 3);
    assert_eq!(events[0], Event::Changed(task));
    let Event::Changed(started) = &events[1] else {
        panic!("{:?}", events[1]);
    };
    assert!(started.steps.started.is_value());
    assert_eq!(
        events[2],
        Event::Ended(ended[0].0.clone(), Ending::Succeeded)
    );
}

#[test]
fn an_unknown_task_ends_the_watch_with_its_error_answer() {
    let fake = FakeEdge::seeded();
    let mut heard = 0;
    let result = watch::watch(
        &fake.client(),
        watcher(&["ExampleOrg-nope-0001-1-dltar", DEPLOY]),
        |_| heard += 1,
    );
    match result {
        Err(Error::Api(e)) => {
            assert_eq!(e.status(), 404);
            assert_eq!(e.code().map(|c| c.as_str()), Some("not-found"));
        }
        other => panic!("expected a 404, got {other:?}"),
    }
    assert_eq!(heard, 0);
    assert_eq!(fake.requests(), 1);
}

#[test]
fn a_name_the_api_refuses_fails_before_anything_is_sent() {
    let fake = FakeEdge::seeded();
    let result = watch::watch(&fake.client(), watcher(&[DEPLOY, ".."]), |_| {
        panic!("no event expected")
    });
    assert!(matches!(result, Err(Error::Input(_))), "{result:?}");
    assert_eq!(fake.requests(), 0);
}

#[test]
fn a_transport_failure_is_returned_and_nothing_to_watch_returns_at_once() {
    let fake = FakeEdge::seeded();
    let failing = |_: Request<Vec<u8>>| -> Result<Response<Vec<u8>>, TransportError> {
        Err(TransportError::new(TransportErrorKind::Connect, "refused"))
    };
    let client = Client::new(failing, fake.base_url(), fake.credentials());
    match watch::watch(&client, watcher(&[DEPLOY]), |_| {}) {
        Err(Error::Transport(e)) => assert_eq!(e.kind(), TransportErrorKind::Connect),
        other => panic!("expected a transport error, got {other:?}"),
    }

    let none: [&str; 0] = [];
    let ended = watch::watch(&client, Watcher::new(none), |_| {}).unwrap();
    assert!(ended.is_empty());
}

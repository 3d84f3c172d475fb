//! Running tasks of the fake move on as they are read, without a clock.

use rockit_edge::fake::FakeEdge;
use rockit_edge::tasks::{Alert, ExpireTask, GetTask, ListTasks, Task};
use rockit_edge::triggers::RetryTask;
use serde_json::json;

const DEPLOY: &str = "ExampleOrg-sushi-0004-1739452800-deploy";
const TEMPURA_DLTAR: &str = "ExampleOrg-tempura-0001-1741003200-dltar";

fn read(fake: &FakeEdge, name: &str) -> Task {
    fake.client().send(&GetTask::new(name)).unwrap()
}

/// The status of each of `count` reads in turn.
fn statuses(fake: &FakeEdge, name: &str, count: usize) -> Vec<String> {
    (0..count)
        .map(|_| read(fake, name).status.as_str().to_owned())
        .collect()
}

fn running_task(name: &str) -> Task {
    serde_json::from_value(json!({
        "name": name,
        "appName": "pong",
        "buildName": "0001",
        "taskType": "mkraw",
        "status": "running",
        "steps": {"created": "2025-03-01T09:00:00.000Z"}
    }))
    .unwrap()
}

#[test]
fn a_running_task_finishes_after_three_reads_by_default() {
    let fake = FakeEdge::seeded();
    let before = fake.task(DEPLOY).unwrap();

    assert_eq!(
        statuses(&fake, DEPLOY, 5),
        ["running", "running", "running", "finished", "finished"]
    );

    let after = fake.task(DEPLOY).unwrap();
    assert!(after.steps.finished.is_value());
    assert_eq!(after.steps.started, before.steps.started);
    assert_eq!(after.steps.created, before.steps.created);
    assert!(after.alert.is_absent());
    assert!(after.steps.finished.get() > before.steps.started.get());
}

#[test]
fn the_pace_is_configurable_and_zero_holds_tasks_still() {
    for reads in [1, 2, 7] {
        let fake = FakeEdge::seeded();
        fake.set_task_progress(reads);
        let seen = statuses(&fake, DEPLOY, reads as usize + 1);
        let running = seen.iter().filter(|s| *s == "running").count();
        assert_eq!(running, reads as usize, "{seen:?}");
        assert_eq!(seen.last().unwrap(), "finished");
    }

    let fake = FakeEdge::seeded();
    fake.set_task_progress(0);
    assert!(statuses(&fake, DEPLOY, 20).iter().all(|s| s == "running"));
    fake.set_task_progress(1);
    assert_eq!(statuses(&fake, DEPLOY, 2), ["running", "finished"]);
}

#[test]
fn setting_the_pace_starts_every_count_again() {
    let fake = FakeEdge::seeded();
    statuses(&fake, DEPLOY, 2);
    fake.set_task_progress(3);
    assert_eq!(
        statuses(&fake, DEPLOY, 4),
        ["running", "running", "running", "finished"]
    );
}

#[test]
fn lists_and_the_fakes_own_accessors_are_not_reads() {
    let fake = FakeEdge::seeded();
    fake.set_task_progress(1);
    for _ in 0..5 {
        fake.client()
            .send(&ListTasks::new().status("running"))
            .unwrap();
        fake.task(DEPLOY).unwrap();
        fake.tasks();
    }
    assert_eq!(statuses(&fake, DEPLOY, 2), ["running", "finished"]);
}

#[test]
fn tasks_that_are_not_running_stay_as_they_are() {
    let fake = FakeEdge::seeded();
    fake.set_task_progress(1);
    let still: Vec<Task> = fake
        .tasks()
        .into_iter()
        .filter(|t| t.status.as_str() != "running")
        .collect();
    assert_eq!(still.len(), 6);
    for task in &still {
        for _ in 0..3 {
            assert_eq!(&read(&fake, &task.name), task);
        }
    }

    fake.client().send(&ExpireTask::new(DEPLOY)).unwrap();
    assert_eq!(statuses(&fake, DEPLOY, 3), ["expired"; 3]);
}

#[test]
fn a_task_without_a_start_starts_before_it_ends() {
    let fake = FakeEdge::new();
    fake.set_task_progress(1);
    let name = "MyOrg-pong-0001-1740819600-mkraw";
    fake.insert_task(running_task(name));

    let first = read(&fake, name);
    let started = read(&fake, name);
    let ended = read(&fake, name);

    assert!(first.steps.started.is_absent());
    assert_eq!(started.status.as_str(), "running");
    assert!(started.steps.started.is_value());
    assert!(started.steps.finished.is_absent());
    assert_eq!(ended.status.as_str(), "finished");
    assert_eq!(ended.steps.started, started.steps.started);
    assert!(ended.steps.finished.is_value());
}

#[test]
fn the_seeded_tempura_download_fails_and_finishes_once_retried() {
    let fake = FakeEdge::seeded();
    fake.set_task_progress(1);

    assert_eq!(statuses(&fake, TEMPURA_DLTAR, 2), ["running", "failed"]);
    let failed = fake.task(TEMPURA_DLTAR).unwrap();
    let exception = failed.alert.get().unwrap().exception.get().unwrap();
    assert_eq!(exception.kinds(), ["httpDownloadFailed"]);
    let download = exception.http_download_failed.get().unwrap();
    assert_eq!(download.http_status.get(), Some(&404));
    assert!(failed.steps.finished.is_value());

    fake.client().send(&RetryTask::new(TEMPURA_DLTAR)).unwrap();
    assert_eq!(statuses(&fake, TEMPURA_DLTAR, 2), ["running", "finished"]);
    assert!(fake.task(TEMPURA_DLTAR).unwrap().alert.is_absent());
}

#[test]
fn a_failure_set_for_a_task_is_used_by_its_name_only() {
    let fake = FakeEdge::new();
    fake.set_task_progress(1);
    let alert: Alert =
        serde_json::from_value(json!({"exception": {"fileReadFailed": {"filename": "a.bundle"}}}))
            .unwrap();
    let (failing, finishing) = (
        "MyOrg-pong-0001-1740819600-mkraw",
        "MyOrg-pong-0002-1740819700-mkraw",
    );
    for name in [failing, finishing] {
        let mut task = running_task(name);
        task.steps.started = task.steps.created.clone();
        fake.insert_task(task);
    }
    fake.set_task_failure(failing, alert.clone());

    assert_eq!(statuses(&fake, failing, 2), ["running", "failed"]);
    assert_eq!(statuses(&fake, finishing, 2), ["running", "finished"]);
    assert_eq!(fake.task(failing).unwrap().alert.get(), Some(&alert));

    // Only the seeded fake plans a failure for the tempura download.
    let fresh = FakeEdge::new();
    fresh.set_task_progress(1);
    let mut task = running_task(TEMPURA_DLTAR);
    task.steps.started = task.steps.created.clone();
    fresh.insert_task(task);
    assert_eq!(statuses(&fresh, TEMPURA_DLTAR, 2), ["running", "finished"]);
}

//! The fake's build imports through the client: the build counter, eviction, the `dltar`
//! task they start and the upload URL.

mod common;

use http::Method;
use rockit_edge::apps::{CreateApp, GetApp};
use rockit_edge::builds::ImportBuild;
use rockit_edge::fake::FakeEdge;
use rockit_edge::raw::RawRequest;
use rockit_edge::tasks::{GetTask, ListTasks, TaskType};
use serde_json::json;

use common::api_error;

const TAR: &str = "https://downloads.example.com/sushi/0005/native-build.tar";

#[test]
fn a_download_starts_a_dltar_task_for_the_next_build() {
    let fake = FakeEdge::seeded();
    let build = fake
        .client()
        .send(&ImportBuild::download("sushi", TAR).size(1_800_000_000))
        .unwrap();
    assert_eq!(build.name.get().unwrap(), "0005");
    assert_eq!(build.app_name.get().unwrap(), "sushi");
    assert!(build.upload_url.is_absent());

    let task_name = build.task_name.get().unwrap();
    assert!(
        task_name.starts_with("ExampleOrg-sushi-0005-"),
        "{task_name}"
    );
    assert!(task_name.ends_with("-dltar"), "{task_name}");
    let task = fake.client().send(&GetTask::new(task_name)).unwrap();
    assert_eq!(task.task_type, TaskType::Dltar);
    assert_eq!(task.build_name, "0005");
    let dltar = task.user_data.get().unwrap().dltar.get().unwrap();
    assert_eq!(dltar.url.get().unwrap(), TAR);
    assert_eq!(dltar.size_bytes.get(), Some(&1_800_000_000));

    let listed = fake
        .client()
        .send(
            &ListTasks::new()
                .app_name("sushi")
                .task_type(TaskType::Dltar),
        )
        .unwrap();
    assert!(listed.items.iter().any(|t| &t.name == task_name));

    let sushi = fake.client().send(&GetApp::new("sushi")).unwrap();
    assert_eq!(sushi.i_cur_build.get(), Some(&5));
    assert_eq!(sushi.processing.get(), Some(&true));
    assert_eq!(fake.builds("sushi"), ["0001", "0002", "0004", "0005"]);
}

#[test]
fn builds_beyond_max_builds_are_evicted_and_patches_follow() {
    let fake = FakeEdge::new();
    fake.client()
        .send(&CreateApp::new("pong", "Pong").max_builds(2))
        .unwrap();
    for size in [100, 200, 300] {
        fake.client()
            .send(&ImportBuild::download("pong", TAR).size(size))
            .unwrap();
    }
    assert_eq!(fake.builds("pong"), ["0002", "0003"]);
    let pong = fake.client().send(&GetApp::new("pong")).unwrap();
    assert_eq!(pong.i_cur_build.get(), Some(&3));
    assert_eq!(pong.size_bytes.get(), Some(&500));
    let patches: Vec<(u64, u64)> = pong
        .patches
        .get()
        .unwrap()
        .iter()
        .map(|p| {
            (
                *p.from_build_id.get().unwrap(),
                *p.to_build_id.get().unwrap(),
            )
        })
        .collect();
    assert_eq!(patches, [(2, 3)]);
    assert_eq!(fake.tasks().len(), 3);
}

#[test]
fn an_upload_hands_back_a_url_on_the_fake() {
    let fake = FakeEdge::seeded();
    let build = fake.client().send(&ImportBuild::upload("tempura")).unwrap();
    assert_eq!(build.name.get().unwrap(), "0002");
    let url = build.upload_url.get().unwrap();
    assert!(url.starts_with(&fake.base_url().join("/upload/")), "{url}");
    let again = fake.client().send(&ImportBuild::upload("tempura")).unwrap();
    assert_ne!(again.upload_url.get(), Some(url));

    let task = fake.task(build.task_name.get().unwrap()).unwrap();
    assert!(task.user_data.is_absent());
}

#[test]
fn imports_are_checked_like_the_client_checks_them() {
    let fake = FakeEdge::seeded();
    let unknown = fake.client().send(&ImportBuild::download("udon", TAR));
    assert_eq!(api_error(unknown), (404, "not-found".into()));
    for (body, code) in [
        (json!({"url": TAR}), "missing-param"),
        (json!({"appName": "", "url": TAR}), "missing-param"),
        (
            json!({"appName": "sushi", "url": "ftp://x/b.tar"}),
            "invalid-param",
        ),
        (
            json!({"appName": "sushi", "url": TAR, "size": 0}),
            "invalid-param",
        ),
        (json!({"appName": "sushi", "url": 7}), "invalid-param"),
        (json!({"appName": "su shi"}), "invalid-param"),
    ] {
        let answer = fake
            .client()
            .send(&RawRequest::new(Method::POST, "/be/v1/builds").body(body.clone()));
        assert_eq!(api_error(answer), (400, code.into()), "{body}");
    }
    let get = fake
        .client()
        .send(&RawRequest::new(Method::GET, "/be/v1/builds"));
    assert_eq!(api_error(get), (405, "method-not-allowed".into()));
    assert_eq!(fake.builds("sushi"), ["0001", "0002", "0004"]);
}

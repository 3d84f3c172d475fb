//! Decoding speed: the reference task body and a list page of 1,000 tasks, decoded by this
//! crate, by plain serde derive structs of the same shape (the floor), and into
//! `serde_json::Value`.
//!
//! Prints `decode_vs_floor: R` (our throughput / the floor's; target ≥ 0.9) and
//! `decode_vs_value: R` (ours / `Value`'s; target ≥ 2).

mod common;

use std::hint::black_box;

use rockit_edge::tasks::{GetTask, ListTasks};
use rockit_edge::Endpoint;
use serde::Deserialize;
use serde_json::Value;

/// The same shape as the crate's models, with none of their extras.
#[allow(dead_code)]
mod floor {
    use super::Deserialize;

    #[derive(Deserialize)]
    pub struct One {
        pub status: String,
        pub task: Task,
    }

    #[derive(Deserialize)]
    pub struct List {
        pub status: String,
        pub tasks: Vec<Task>,
        pub total: Option<u64>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Task {
        pub name: String,
        pub app_name: String,
        pub build_name: String,
        pub task_type: String,
        pub status: String,
        pub steps: Steps,
        pub user_data: Option<UserData>,
        pub alert: Option<Alert>,
    }

    #[derive(Deserialize)]
    pub struct Steps {
        pub created: Option<String>,
        pub started: Option<String>,
        pub finished: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct UserData {
        pub dltar: Option<Dltar>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Dltar {
        pub url: Option<String>,
        pub size_bytes: Option<u64>,
    }

    #[derive(Deserialize)]
    pub struct Alert {
        pub exception: Option<Exception>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Exception {
        pub http_download_failed: Option<HttpDownloadFailed>,
        pub file_read_failed: Option<FileReadFailed>,
        pub error: Option<serde_json::Value>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct HttpDownloadFailed {
        pub http_status: Option<u16>,
        pub exit_code: Option<i64>,
        pub size_bytes_actual: Option<u64>,
        pub size_bytes_expected: Option<u64>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct FileReadFailed {
        pub filename: Option<String>,
        pub type_expected: Option<String>,
        pub type_detected: Option<String>,
    }
}

const REFERENCE: &str = include_str!("../tests/fixtures/tasks_get_200.json");

/// A list body of 1,000 tasks made from the reference task with varied names, types, states
/// and alerts.
fn list_body() -> Vec<u8> {
    let reference: Value = serde_json::from_str(REFERENCE).unwrap();
    let types = ["dltar", "mkraw", "deploy"];
    let states = ["failed", "running", "finished", "warning"];
    let tasks: Vec<Value> = (0..1000)
        .map(|i| {
            let mut task = reference["task"].clone();
            task["name"] = format!("ExampleOrg-app{}-{:04}-{}-{}", i % 7, i, 1_739_273_968 + i, types[i % 3]).into();
            task["taskType"] = types[i % 3].into();
            task["status"] = states[i % 4].into();
            match i % 3 {
                0 => {}
                1 => {
                    task["alert"] = serde_json::json!({"exception": {"fileReadFailed": {
                        "filename": format!("data/level{i}.pak"), "typeExpected": "pak", "typeDetected": "zip"}}});
                    task.as_object_mut().unwrap().remove("userData");
                }
                _ => {
                    task.as_object_mut().unwrap().remove("alert");
                }
            }
            task
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({"status": "success", "tasks": tasks, "total": 1000}))
        .unwrap()
}

/// Times our decoder, the floor and `Value`, taking their samples in turn, and prints their
/// times and our speed relative to each; returns those two ratios and our median time.
fn compare<A, B, C>(
    label: &str,
    mut ours: impl FnMut() -> A,
    mut floor: impl FnMut() -> B,
    mut value: impl FnMut() -> C,
) -> (f64, f64, std::time::Duration) {
    let (samples, sample) = common::settings();
    let times = common::time_in_turn(
        samples,
        sample,
        &mut [
            &mut || {
                black_box(ours());
            },
            &mut || {
                black_box(floor());
            },
            &mut || {
                black_box(value());
            },
        ],
    );
    // A speed ratio: their time per call over ours, taken round by round.
    let (vs_floor, vs_value) = (times.ratio(1, 0), times.ratio(2, 0));
    println!("{label}_ours_ns: {}", times.median(0).as_nanos());
    println!("{label}_floor_ns: {}", times.median(1).as_nanos());
    println!("{label}_value_ns: {}", times.median(2).as_nanos());
    println!("{label}_vs_floor: {vs_floor:.2}");
    println!("{label}_vs_value: {vs_value:.2}");
    (vs_floor, vs_value, times.median(0))
}

fn main() {
    let one = REFERENCE.as_bytes().to_vec();
    let one_response = http::Response::new(one.clone());
    let list = list_body();
    let list_response = http::Response::new(list.clone());

    // Both decoders must agree on what they decode, or the comparison means nothing.
    let ours = GetTask::new("x").decode(&one_response).unwrap();
    let theirs: floor::One = serde_json::from_slice(&one).unwrap();
    assert_eq!(ours.name, theirs.task.name);
    assert_eq!(theirs.status, "success");
    let page = ListTasks::new().decode(&list_response).unwrap();
    let theirs: floor::List = serde_json::from_slice(&list).unwrap();
    assert_eq!(page.items.len(), theirs.tasks.len());
    assert_eq!(page.total(), theirs.total);

    let get = GetTask::new("x");
    let (one_vs_floor, one_vs_value, _) = compare(
        "decode_task",
        || get.decode(black_box(&one_response)).unwrap(),
        || serde_json::from_slice::<floor::One>(black_box(&one)).unwrap(),
        || serde_json::from_slice::<Value>(black_box(&one)).unwrap(),
    );

    let lister = ListTasks::new();
    let (list_vs_floor, list_vs_value, list_ours) = compare(
        "decode_list",
        || lister.decode(black_box(&list_response)).unwrap(),
        || serde_json::from_slice::<floor::List>(black_box(&list)).unwrap(),
        || serde_json::from_slice::<Value>(black_box(&list)).unwrap(),
    );

    let mb = list.len() as f64 / 1e6;
    println!("decode_list_mb_per_s: {:.1}", mb / list_ours.as_secs_f64());
    // The headline figures: the worse of the two bodies.
    println!("decode_vs_floor: {:.2}", one_vs_floor.min(list_vs_floor));
    println!("decode_vs_value: {:.2}", one_vs_value.min(list_vs_value));
}

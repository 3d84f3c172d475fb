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

/// Times our decoder, the floor and `Value`, taking their samples in turn.
fn in_turn<A, B, C>(
    samples: usize,
    sample: std::time::Duration,
    mut ours: impl FnMut() -> A,
    mut floor: impl FnMut() -> B,
    mut value: impl FnMut() -> C,
) -> [std::time::Duration; 3] {
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
    [times[0], times[1], times[2]]
}

fn report(label: &str, ours: f64, floor: f64, value: f64) {
    println!("{label}_ours_ns: {ours:.0}");
    println!("{label}_floor_ns: {floor:.0}");
    println!("{label}_value_ns: {value:.0}");
    println!("{label}_vs_floor: {:.2}", floor / ours);
    println!("{label}_vs_value: {:.2}", value / ours);
}

fn main() {
    let (samples, sample) = common::settings();
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
    let [one_ours, one_floor, one_value] = in_turn(
        samples,
        sample,
        || get.decode(black_box(&one_response)).unwrap(),
        || serde_json::from_slice::<floor::One>(black_box(&one)).unwrap(),
        || serde_json::from_slice::<Value>(black_box(&one)).unwrap(),
    );
    report(
        "decode_task",
        one_ours.as_nanos() as f64,
        one_floor.as_nanos() as f64,
        one_value.as_nanos() as f64,
    );

    let lister = ListTasks::new();
    let [list_ours, list_floor, list_value] = in_turn(
        samples,
        sample,
        || lister.decode(black_box(&list_response)).unwrap(),
        || serde_json::from_slice::<floor::List>(black_box(&list)).unwrap(),
        || serde_json::from_slice::<Value>(black_box(&list)).unwrap(),
    );
    report(
        "decode_list",
        list_ours.as_nanos() as f64,
        list_floor.as_nanos() as f64,
        list_value.as_nanos() as f64,
    );

    let mb = list.len() as f64 / 1e6;
    println!("decode_list_mb_per_s: {:.1}", mb / list_ours.as_secs_f64());
    // The headline figures: the worse of the two bodies.
    let vs_floor = (one_floor.as_secs_f64() / one_ours.as_secs_f64())
        .min(list_floor.as_secs_f64() / list_ours.as_secs_f64());
    let vs_value = (one_value.as_secs_f64() / one_ours.as_secs_f64())
        .min(list_value.as_secs_f64() / list_ours.as_secs_f64());
    println!("decode_vs_floor: {vs_floor:.2}");
    println!("decode_vs_value: {vs_value:.2}");
}

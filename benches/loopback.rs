//! End to end over loopback: sequential task fetches from the fake served on 127.0.0.1,
//! through this crate's client and ureq transport, and through raw ureq plus `serde_json`
//! into plain structs, both reusing one connection.
//!
//! Prints `client_vs_raw_ureq: R` (our throughput / raw ureq's; target ≥ 0.95).

mod common;

use std::time::Instant;

use rockit_edge::fake::{serve, FakeEdge, VALID_TOKEN};
use rockit_edge::tasks::GetTask;
use rockit_edge::ureq_transport::UreqTransport;
use rockit_edge::Client;
use serde::Deserialize;

const NAME: &str = "ExampleOrg-sushi-0003-1739273968-dltar";

#[derive(Deserialize)]
#[allow(dead_code)]
struct Answer {
    status: String,
    task: PlainTask,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct PlainTask {
    name: String,
    app_name: String,
    build_name: String,
    task_type: String,
    status: String,
    steps: serde_json::Map<String, serde_json::Value>,
    user_data: Option<serde_json::Value>,
    alert: Option<serde_json::Value>,
}

fn main() {
    common::on_one_core();
    let fetches: usize = if common::quick() { 200 } else { 10_000 };
    let rounds = if common::quick() { 2 } else { 40 };
    let fake = FakeEdge::seeded();
    let server = serve(fake.clone()).expect("serve the fake on 127.0.0.1");
    let url = format!("{}/be/v1/tasks/{NAME}", server.base_url());

    // Loopback only: no proxy from the environment.
    let transport = UreqTransport::builder().proxy_from_env(false).build();
    let client = Client::new(transport, server.base_url(), fake.credentials());
    let raw: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .build()
        .into();

    let ours_once = || {
        let task = client.send(&GetTask::new(NAME)).unwrap();
        assert_eq!(task.name, NAME);
    };
    let raw_once = || {
        let mut response = raw
            .get(&url)
            .header("accept", "application/json")
            .header("x-rockit-beauth-token", VALID_TOKEN)
            .call()
            .unwrap();
        let body = response.body_mut().read_to_vec().unwrap();
        let answer: Answer = serde_json::from_slice(&body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&body)));
        assert_eq!(answer.task.name, NAME);
    };
    ours_once();
    raw_once();

    // 10,000 fetches each, in short rounds in which the two take turns, each going first
    // every other round: a slow spell of the machine then spoils a few rounds for both
    // rather than one contender's whole run. The ratio is the median of the rounds' ratios.
    let time = |once: &dyn Fn()| {
        let start = Instant::now();
        for _ in 0..fetches / rounds {
            once();
        }
        start.elapsed().as_secs_f64()
    };
    let times = common::alternate(rounds, || time(&ours_once), || time(&raw_once));
    let ratio = common::median(times.iter().map(|(ours, raw)| raw / ours).collect());
    let ours_rate = fetches as f64 / times.iter().map(|t| t.0).sum::<f64>();
    let raw_rate = fetches as f64 / times.iter().map(|t| t.1).sum::<f64>();
    println!("loopback_fetches: {fetches}");
    println!("client_fetches_per_s: {ours_rate:.0}");
    println!("raw_ureq_fetches_per_s: {raw_rate:.0}");
    println!("client_vs_raw_ureq: {ratio:.2}");
}

//! The `edge` example, run as a user runs it: each command against the embedded fake, its
//! output and its exit codes.
#![cfg(feature = "ureq")]

mod common;

use common::edge::{edge, json, run, stderr, stdout};

const REFERENCE_TASK: &str = "ExampleOrg-sushi-0003-1739273968-dltar";

#[test]
fn tasks_list_prints_an_aligned_table() {
    let out = run(&["tasks", "list"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("NAME"), "{text}");
    assert!(
        lines.iter().any(|l| l.starts_with(REFERENCE_TASK)),
        "{text}"
    );
    let status_column = lines[0].find("STATUS").unwrap();
    for line in &lines[1..] {
        let status = line[status_column..].split_whitespace().next().unwrap();
        assert!(!status.is_empty(), "{line}");
    }
}

#[test]
fn tasks_list_filters_and_pages() {
    let out = run(&[
        "tasks", "list", "--app", "sushi", "--type", "dltar", "--limit", "1", "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let body: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let tasks = body["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0]["appName"], "sushi");
    assert_eq!(tasks[0]["taskType"], "dltar");
    assert!(body["total"].as_u64().unwrap() >= 1);

    let out = run(&["tasks", "list", "--status", "no-such-state"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out).lines().count(),
        1,
        "only the header: {}",
        stdout(&out)
    );
}

#[test]
fn tasks_show_json_prints_the_reference_task_exactly() {
    let out = run(&["tasks", "show", REFERENCE_TASK, "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/tasks_get_200.json")).unwrap();
    assert_eq!(printed, fixture["task"]);
}

#[test]
fn tasks_show_prints_a_readable_block() {
    let out = run(&["tasks", "show", REFERENCE_TASK]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    for expected in [
        "status:",
        "failed",
        "1788272645 bytes",
        "httpDownloadFailed",
        "sizeBytesActual=178827264",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
}

#[test]
fn ack_and_expire_succeed_and_unknown_tasks_fail_with_exit_1() {
    let out = run(&["tasks", "ack", REFERENCE_TASK]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out).trim(),
        format!("acknowledged {REFERENCE_TASK}")
    );

    let out = run(&["tasks", "expire", REFERENCE_TASK, "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        answer["task"]["status"],
        rockit_edge::assumed::TASK_STATUS_EXPIRED
    );

    let out = run(&["tasks", "show", "no-such-task"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("HTTP 404") && err.contains("not-found"),
        "{err}"
    );
    assert!(stdout(&out).is_empty());
}

const RUNNING_DEPLOY: &str = "ExampleOrg-sushi-0004-1739452800-deploy";
const FAILING_DLTAR: &str = "ExampleOrg-tempura-0001-1741003200-dltar";

/// The progress lines of `tasks watch` as name and status, in order.
fn progress(err: &str) -> Vec<(String, String)> {
    err.lines()
        .filter(|l| !l.starts_with("edge:"))
        .map(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            assert_eq!(words.len(), 3, "{l}");
            assert!(words[2].ends_with('s'), "{l}");
            assert!(words[2].trim_end_matches('s').parse::<f64>().is_ok(), "{l}");
            (words[0].to_owned(), words[1].to_owned())
        })
        .collect()
}

#[test]
fn tasks_watch_follows_a_running_task_until_it_finishes() {
    let out = run(&["tasks", "watch", RUNNING_DEPLOY]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let changes = progress(&stderr(&out));
    let expected = [
        (RUNNING_DEPLOY.to_owned(), "running".to_owned()),
        (RUNNING_DEPLOY.to_owned(), "finished".to_owned()),
    ];
    assert_eq!(changes, expected);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].starts_with("NAME") && lines[0].contains("STATUS"),
        "{text}"
    );
    let row: Vec<&str> = lines[1].split_whitespace().collect();
    assert_eq!(row[..2], [RUNNING_DEPLOY, "finished"]);
    assert_eq!(row.last(), Some(&"-"));
}

#[test]
fn tasks_watch_exits_1_naming_the_alert_when_a_task_fails() {
    let out = run(&["tasks", "watch", RUNNING_DEPLOY, FAILING_DLTAR, "--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "edge: {FAILING_DLTAR} ended failed (httpDownloadFailed)"
        )),
        "{err}"
    );
    assert!(err.contains("1 of 2 tasks failed"), "{err}");
    let last: Vec<String> = progress(&err)
        .into_iter()
        .filter(|(_, status)| status != "running")
        .map(|(name, status)| format!("{name} {status}"))
        .collect();
    assert_eq!(
        last,
        [
            format!("{RUNNING_DEPLOY} finished"),
            format!("{FAILING_DLTAR} failed")
        ]
    );

    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let tasks = printed.as_array().unwrap();
    assert_eq!(tasks.len(), 2);
    assert_eq!(tasks[0]["name"], RUNNING_DEPLOY);
    assert_eq!(tasks[0]["status"], "finished");
    assert_eq!(tasks[1]["status"], "failed");
    assert_eq!(
        tasks[1]["alert"]["exception"]["httpDownloadFailed"]["httpStatus"],
        404
    );
    assert!(tasks[1]["steps"]["finished"].is_string());
}

#[test]
fn tasks_watch_of_an_unknown_task_exits_1_with_the_404() {
    let out = run(&["tasks", "watch", "ExampleOrg-nope-0001-1-dltar"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("HTTP 404") && err.contains("not-found"),
        "{err}"
    );
    assert!(stdout(&out).is_empty());
}

#[test]
fn options_end_at_a_double_dash() {
    let plain = json(&run(&["tasks", "show", "--json", REFERENCE_TASK]));
    let dashed = json(&run(&["tasks", "show", "--json", "--", REFERENCE_TASK]));
    assert_eq!(dashed, plain);
    assert_eq!(plain["name"], REFERENCE_TASK);

    // `--json` after `--` is the name of a task, which the fake does not have.
    let out = run(&["tasks", "show", "--", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no such task"), "{}", stderr(&out));
}

#[test]
fn usage_errors_exit_2_and_say_what_is_wrong() {
    for (args, says) in [
        (&[][..], "missing a command"),
        (&["nope"][..], "unknown command `nope`"),
        (
            &["tasks", "list", "--limit", "ten"][..],
            "--limit needs a whole number",
        ),
        (
            &["tasks", "list", "--limit", "0"][..],
            "--limit must be at least 1",
        ),
        (
            &["tasks", "list", "--bogus"][..],
            "unknown option `--bogus`",
        ),
        (&["tasks", "show"][..], "missing a task name"),
        (&["tasks", "show", "a", "b"][..], "unexpected argument `b`"),
        (&["tasks", "show", ".."][..], "invalid task name"),
        (
            &["tasks", "list", "--limit", "5", "--limit", "6"][..],
            "`--limit` is given more than once",
        ),
        (
            &["tasks", "list", "--json", "--json"][..],
            "`--json` is given more than once",
        ),
        (&["tasks", "watch"][..], "missing a task name"),
        (&["tasks", "watch", "a_b", ".."][..], "invalid task name"),
        (&["tasks", "list", "--app", ""][..], "--app needs a value"),
        (&["tasks", "list", "--app="][..], "--app needs a value"),
        // After `--`, a word is positional even when it looks like an option.
        (
            &["tasks", "list", "--", "--json"][..],
            "unexpected argument `--json`",
        ),
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(err.contains("usage: edge"), "{args:?}: {err}");
    }
    let out = run(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("usage: edge"));
}

#[test]
fn a_real_server_needs_complete_credentials() {
    let out = edge()
        .args(["tasks", "list"])
        .env("ROCKIT_EDGE_URL", "http://127.0.0.1:9")
        .env("ROCKIT_EDGE_ORG", "ExampleOrg")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("ROCKIT_EDGE_TOKEN"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_failing_or_closed_stdout_ends_cleanly() {
    if let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") {
        let out = edge()
            .args(["tasks", "list", "--json"])
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(
            stderr(&out).contains("cannot write the output"),
            "{}",
            stderr(&out)
        );
    }

    let mut child = edge()
        .args(["tasks", "list", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
}

//! The `edge` example's apps, builds and deployments commands against the embedded fake:
//! output, exit codes, and no origin secret on screen.
#![cfg(feature = "ureq")]

mod common;

use std::process::Output;

use common::edge::{edge, json, run, stderr, stdout};

fn run_with(args: &[&str], secret: Option<&str>) -> Output {
    let mut command = edge();
    if let Some(secret) = secret {
        command.env("ROCKIT_EDGE_ORIGIN_SECRET_KEY", secret);
    }
    command.args(args).output().unwrap()
}

#[test]
fn apps_list_and_show() {
    let out = run(&["apps", "list"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("NAME"), "{text}");
    let ramen = text.lines().find(|l| l.starts_with("ramen")).unwrap();
    assert!(ramen.contains("0012") && ramen.contains("error"), "{ramen}");

    let sushi = json(&run(&["apps", "show", "sushi", "--json"]));
    assert_eq!(sushi["iCurBuild"], 4);
    let label_only = json(&run(&[
        "apps", "show", "sushi", "--fields", "label", "--json",
    ]));
    assert_eq!(label_only, serde_json::json!({"label": "Sushi Shop"}));
    let listed = json(&run(&["apps", "list", "--limit", "1", "--json"]));
    assert_eq!(listed["apps"].as_array().unwrap().len(), 1);
    assert_eq!(listed["total"], 3);
}

#[test]
fn apps_changes_and_their_exit_codes() {
    let out = run(&["apps", "create", "pong", "--label", "Pong"]);
    assert_eq!(stdout(&out).trim(), "created app pong", "{}", stderr(&out));
    let out = run(&["apps", "create", "sushi", "--label", "Sushi"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("app-exists"), "{}", stderr(&out));
    let out = run(&["apps", "create", "pong"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["apps", "delete", "su-shi"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("invalid app name"),
        "{}",
        stderr(&out)
    );
    let patched = json(&run(&[
        "apps",
        "patch",
        "sushi",
        "--register",
        "cdn_eu",
        "--deregister",
        "gcore",
        "--json",
    ]));
    let registered: Vec<&String> = patched["app"]["deployments"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(registered, ["cdn_eu"]);
    let out = run(&["apps", "delete", "tempura"]);
    assert_eq!(stdout(&out).trim(), "deleted app tempura");
}

#[test]
fn builds_import_downloads_only() {
    let out = run(&[
        "builds",
        "import",
        "--app",
        "sushi",
        "--url",
        "https://downloads.example.com/sushi/0005/native-build.tar",
        "--size",
        "1024",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("build:  0005"), "{text}");
    assert!(text.contains("ExampleOrg-sushi-0005-"), "{text}");

    let out = run(&["builds", "import", "--app", "sushi"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&[
        "builds",
        "import",
        "--app",
        "sushi",
        "--url",
        "ftp://x/b.tar",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&[
        "builds",
        "import",
        "--app",
        "udon",
        "--url",
        "https://x/b.tar",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not-found"), "{}", stderr(&out));
}

#[test]
fn deployments_commands_keep_the_secret_off_screen() {
    let list = json(&run(&[
        "deployments",
        "list",
        "--status",
        "error",
        "--json",
    ]));
    assert_eq!(list["deployments"][0]["name"], "cdn_eu");
    let out = run(&["deployments", "show", "cdn_eu"]);
    assert!(stdout(&out).contains("HTTP 403"), "{}", stdout(&out));

    let create = [
        "deployments",
        "create",
        "akamai_us",
        "--type",
        "s3",
        "--endpoint",
        "s3.us-east-1.amazonaws.com",
        "--bucket",
        "games",
        "--access-key-id",
        "AKIAEXAMPLE",
        "--json",
    ];
    let out = run_with(&create, Some("sup3r-s3cret"));
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        text.contains("AKIAEXAMPLE") && !text.contains("sup3r-s3cret"),
        "{text}"
    );
    let out = run(&create);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("ROCKIT_EDGE_ORIGIN_SECRET_KEY"),
        "{}",
        stderr(&out)
    );

    let out = run(&["deployments", "modify", "cdn_eu", "--no-auth-group"]);
    assert_eq!(
        stdout(&out).trim(),
        "modified deployment cdn_eu",
        "{}",
        stderr(&out)
    );
    let out = run(&["deployments", "modify", "cdn_eu"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["deployments", "delete", "gcore"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("deployment-in-use"),
        "{}",
        stderr(&out)
    );
}

//! The `edge` example's login, admin, subscriptions, trigger and raw commands against the
//! embedded fake: output, hidden secrets and exit codes.
#![cfg(feature = "ureq")]

mod common;

use common::edge::{json, run, stderr, stdout};

use rockit_edge::fake::{VALID_LOGIN_USERNAME, VALID_ORG_NAME};

#[test]
fn login_hides_tokens_unless_asked() {
    let out = run(&["login", "old", VALID_ORG_NAME, VALID_LOGIN_USERNAME]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("tasks crudx"), "{text}");
    assert!(!text.contains("fake-edge-"), "{text}");

    let hidden = json(&run(&["login", "new", VALID_LOGIN_USERNAME, "--json"]));
    assert_eq!(hidden["accessToken"], "[redacted]");
    assert_eq!(hidden["refreshToken"], "[redacted]");
    let shown = json(&run(&[
        "login",
        "new",
        VALID_LOGIN_USERNAME,
        "--refresh",
        "--show-secrets",
        "--json",
    ]));
    let access = shown["accessToken"].as_str().unwrap();
    assert!(access.starts_with("fake-edge-access-"), "{access}");
}

#[test]
fn login_failures_and_usage_errors_have_their_exit_codes() {
    let out = run(&["login", "old", "OtherOrg", VALID_LOGIN_USERNAME]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("invalid-credentials"),
        "{}",
        stderr(&out)
    );
    let out = run(&["login", "sideways"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["login", "new"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn admin_commands_answer() {
    let out = run(&["admin", "ping"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("pong"));
    let versions = json(&run(&["admin", "versions", "--json"]));
    assert!(versions["edge"].is_string(), "{versions}");
    let hello = json(&run(&["admin", "hello", "--message", "hi", "--json"]));
    assert_eq!(
        hello,
        serde_json::json!({"message": "hi", "maintenance": false})
    );
}

#[test]
fn subscriptions_are_listed_created_and_deleted() {
    let list = json(&run(&[
        "subscriptions",
        "list",
        "--order",
        "name",
        "--json",
    ]));
    let names: Vec<&str> = list["subscriptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ci_hook", "releases"]);

    let created = json(&run(&[
        "subscriptions",
        "create",
        "hook",
        "--url",
        "https://hooks.example.com/edge",
        "--events",
        "deploy:end,error",
        "--json",
    ]));
    assert_eq!(created["secret"], "[redacted]");
    assert_eq!(
        created["subscription"]["events"],
        serde_json::json!({"deploy": ["end", "error"]})
    );

    let out = run(&["subscriptions", "create", "hook"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = run(&["subscriptions", "delete", "nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("404"), "{}", stderr(&out));
}

#[test]
fn triggers_report_the_task() {
    let out = run(&[
        "trigger",
        "retry",
        "ExampleOrg-ramen-0012-1740047400-deploy",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).ends_with("is running\n"), "{}", stdout(&out));
    let traces = json(&run(&["trigger", "traces", "sushi", "--json"]));
    assert_eq!(traces["task"]["taskType"], "mkraw");
}

#[test]
fn raw_sends_any_request() {
    let page = json(&run(&[
        "raw",
        "GET",
        "/be/v1/subscriptions",
        "--param",
        "limit=1",
        "--json",
    ]));
    assert_eq!(page["status"], 200);
    assert_eq!(page["body"]["subscriptions"].as_array().unwrap().len(), 1);
    let versions = json(&run(&[
        "raw",
        "GET",
        "/adm/v1/versions",
        "--admin",
        "--json",
    ]));
    assert_eq!(versions["body"]["status"], "success");
    let out = run(&[
        "raw",
        "POST",
        "--body",
        r#"{"trigger":"retryTask"}"#,
        "/be/v1/trigger",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("missing-param"), "{}", stderr(&out));
    let out = run(&["raw", "GET", "/be/v1/tasks", "--body", "{not json"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Serves `answers` on 127.0.0.1, one request per connection, each answered with the next JSON
/// body; returns the base URL and the thread, which ends after the last answer.
fn stub_server(answers: Vec<&'static str>) -> (String, std::thread::JoinHandle<()>) {
    use std::io::{BufRead, BufReader, Read, Write};

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let thread = std::thread::spawn(move || {
        for body in answers {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line.trim().is_empty() {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("content-length") {
                        length = value.trim().parse().unwrap();
                    }
                }
            }
            reader.read_exact(&mut vec![0; length]).unwrap();
            let mut stream = stream;
            write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                 connection: close\r\n\r\n{body}",
                body.len()
            )
            .unwrap();
        }
    });
    (base, thread)
}

#[test]
fn login_json_hides_members_it_does_not_know_unless_asked() {
    let answers = || {
        vec![
            r#"{"status":"success","sessionToken":"st-1","idToken":"ID-SECRET-Tk88"}"#,
            r#"{"status":"success","authToken":"at-1","expiresIn":300}"#,
        ]
    };
    let login = |show: bool| {
        let (base, server) = stub_server(answers());
        let mut args = vec!["login", "old", "ExampleOrg", "jane", "--json"];
        if show {
            args.push("--show-secrets");
        }
        let out = common::edge::edge()
            .args(&args)
            .env("ROCKIT_EDGE_URL", &base)
            .env("ROCKIT_EDGE_PASSWORD", "pw-12345678")
            .output()
            .unwrap();
        server.join().unwrap();
        json(&out)
    };

    let hidden = login(false);
    assert_eq!(hidden["session"]["idToken"], "[redacted]");
    assert_eq!(hidden["session"]["sessionToken"], "[redacted]");
    assert_eq!(hidden["auth"]["expiresIn"], 300);

    let shown = login(true);
    assert_eq!(shown["session"]["idToken"], "ID-SECRET-Tk88");
    assert_eq!(shown["session"]["sessionToken"], "st-1");
}

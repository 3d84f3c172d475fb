//! The `edge` example's users, roles and orgs commands against the embedded fake: output,
//! exit codes, and no API key or password on screen unless asked for.
#![cfg(feature = "ureq")]

mod common;

use common::edge::{json, run, stderr, stdout};

#[test]
fn users_list_and_show() {
    let out = run(&["users", "list"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("USERNAME"), "{text}");
    let admin = text
        .lines()
        .find(|l| l.starts_with("adminPrincipal"))
        .unwrap();
    assert!(
        admin.contains("machine") && admin.contains("Administrators"),
        "{admin}"
    );
    assert!(stderr(&out).contains("3 of 3 users"));

    let listed = json(&run(&["users", "list", "--limit", "1", "--json"]));
    assert_eq!(listed["users"].as_array().unwrap().len(), 1);
    assert_eq!(listed["total"], 3);

    let jdoe = json(&run(&["users", "show", "jdoe", "--json"]));
    assert_eq!(jdoe["surname"], "Doe");
    let out = run(&["users", "show", "ghost"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not-found"), "{}", stderr(&out));
}

#[test]
fn a_machine_users_key_is_shown_only_when_asked() {
    let args = [
        "users",
        "create",
        "ci_bot",
        "--label",
        "CI",
        "--role",
        "CI Pipeline Services",
    ];
    let out = run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stdout(&out).contains("fake-key"), "{}", stdout(&out));
    assert!(stdout(&out).contains("--show-secrets"));

    let shown = run(&[&args[..], &["--show-secrets", "--json"]].concat());
    let body = json(&shown);
    assert!(body["apiKey"]
        .as_str()
        .unwrap()
        .starts_with("fake-key-ci_bot"));
    let hidden = json(&run(&[&args[..], &["--json"]].concat()));
    assert_eq!(hidden["apiKey"], "[redacted]");
}

#[test]
fn users_create_and_delete() {
    let person = [
        "users",
        "create",
        "bob",
        "--email",
        "bob@example.com",
        "--firstname",
        "Bob",
        "--surname",
        "B",
    ];
    assert_eq!(run(&person).status.code(), Some(0));
    let out = run(&["users", "create", "bob", "--email", "bob@example.com"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--firstname"), "{}", stderr(&out));
    let out = run(&["users", "create", "b-b", "--label", "x"]);
    assert_eq!(out.status.code(), Some(2), "refused before sending");
    assert_eq!(run(&["users", "delete", "jdoe"]).status.code(), Some(0));
    assert_eq!(run(&["users", "delete", "ghost"]).status.code(), Some(1));
}

#[test]
fn roles_list_show_create_delete() {
    let out = run(&["roles", "list"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let ci = stdout(&out)
        .lines()
        .find(|l| l.starts_with("CI Pipeline Services"))
        .unwrap()
        .to_owned();
    assert!(ci.ends_with("apps=crud-"), "{ci}");

    let out = run(&["roles", "show", "Administrators"]);
    let text = stdout(&out);
    assert!(
        text.contains("tasks:") && text.contains("crudx (31)"),
        "{text}"
    );
    let role = json(&run(&["roles", "show", "Testers", "--json"]));
    assert_eq!(role["permissions"]["bundles"], 2);

    let create = [
        "roles",
        "create",
        "Trainers",
        "--allow",
        "trainings=ru",
        "--allow",
        "tasks=18",
    ];
    assert_eq!(run(&create).status.code(), Some(0));
    let out = run(&["roles", "create", "Bad", "--allow", "trainings=crud"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("trainings allows at most"),
        "{}",
        stderr(&out)
    );
    let out = run(&["roles", "create", "Bad", "--allow", "trainings"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["roles", "delete", "Administrators"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("invalid-state"), "{}", stderr(&out));
    assert_eq!(
        run(&["roles", "delete", "System Engineers"]).status.code(),
        Some(0)
    );
}

#[test]
fn orgs_create_and_delete() {
    let out = run(&["orgs", "create", "NewOrg", "--email", "ops@example.com"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stdout(&out).contains("fake-initial"), "{}", stdout(&out));
    let shown = run(&["orgs", "create", "NewOrg", "--show-secrets"]);
    assert!(
        stdout(&shown).contains("fake-initial-NewOrg"),
        "{}",
        stdout(&shown)
    );

    let out = run(&["orgs", "create", "ExampleOrg"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("already-exists"), "{}", stderr(&out));
    assert_eq!(
        run(&["orgs", "delete", "ExampleOrg", "--prune"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(run(&["orgs", "delete", "NoSuchOrg"]).status.code(), Some(1));
    assert_eq!(run(&["orgs", "delete", "Bad-Org"]).status.code(), Some(2));
}

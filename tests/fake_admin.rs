//! The fake's admin API through the client: both prefixes, the fallback, organisations.

mod common;

use rockit_edge::admin::{
    send_with_legacy_fallback, AdminPrefix, CreateOrg, DeleteOrg, GetVersions, Ping, SubmitTestTask,
};
use rockit_edge::fake::{FakeEdge, VALID_ORG_NAME};
use rockit_edge::login::Login;
use rockit_edge::raw::RawRequest;
use rockit_edge::{Auth, Client, Credentials};
use serde_json::{json, Value};

use common::api_error;

fn admin(fake: &FakeEdge) -> Client<FakeEdge> {
    Client::new(fake.clone(), fake.base_url(), fake.admin_credentials())
}

#[test]
fn ping_hello_and_versions_answer_under_both_prefixes() {
    let fake = FakeEdge::new();
    let client = admin(&fake);
    for prefix in [AdminPrefix::Current, AdminPrefix::Legacy] {
        let pong = client.send(&Ping::new().prefix(prefix)).unwrap();
        assert_eq!(pong["message"], "pong");
        let versions = client.send(&GetVersions::new().prefix(prefix)).unwrap();
        assert!(versions.edge.get().is_some_and(Value::is_string));
    }
}

#[test]
fn the_engine_version_is_known_after_a_test_task() {
    let fake = FakeEdge::new();
    let client = admin(&fake);
    assert!(client.send(&GetVersions::new()).unwrap().engine.is_null());
    let hello = client
        .send(&SubmitTestTask::new("Hello World", true))
        .unwrap();
    assert_eq!(hello["message"], "Hello World");
    assert_eq!(hello["maintenance"], true);
    let versions = client.send(&GetVersions::new()).unwrap();
    assert!(versions.engine.get().is_some_and(Value::is_string));
}

#[test]
fn hello_needs_both_members() {
    let fake = FakeEdge::new();
    let client = admin(&fake);
    let hello = |body| {
        RawRequest::new(http::Method::POST, "/srv/v1/hello")
            .auth(Auth::Admin)
            .body(body)
    };
    for (body, code) in [
        (json!({"message": "hi"}), "missing-param"),
        (json!({"maintenance": false}), "missing-param"),
        (
            json!({"message": "hi", "maintenance": "no"}),
            "invalid-param",
        ),
    ] {
        assert_eq!(api_error(client.send(&hello(body))), (400, code.into()));
    }
}

#[test]
fn the_fallback_finds_whichever_prefix_is_served() {
    let fake = FakeEdge::new();
    let client = admin(&fake);
    let (_, prefix) = send_with_legacy_fallback(&client, &Ping::new()).unwrap();
    assert_eq!(prefix, AdminPrefix::Current);

    fake.disable_admin_prefix(AdminPrefix::Current);
    let before = fake.requests();
    let (versions, prefix) = send_with_legacy_fallback(&client, &GetVersions::new()).unwrap();
    assert_eq!(prefix, AdminPrefix::Legacy);
    assert!(versions.edge.is_value());
    assert_eq!(fake.requests() - before, 2);
    let current = client.send(&Ping::new());
    assert_eq!(api_error(current), (404, "not-found".into()));

    fake.enable_admin_prefix(AdminPrefix::Current);
    fake.disable_admin_prefix(AdminPrefix::Legacy);
    let (_, prefix) = send_with_legacy_fallback(&client, &SubmitTestTask::new("m", false)).unwrap();
    assert_eq!(prefix, AdminPrefix::Current);

    fake.disable_admin_prefix(AdminPrefix::Current);
    let neither = send_with_legacy_fallback(&client, &Ping::new());
    assert_eq!(api_error(neither), (404, "not-found".into()));
}

#[test]
fn only_the_admin_token_opens_the_admin_api() {
    let fake = FakeEdge::new();
    let stranger = Client::new(
        fake.clone(),
        fake.base_url(),
        Credentials::admin_token("guess").unwrap(),
    );
    assert_eq!(
        api_error(stranger.send(&Ping::new())),
        (401, "invalid-token".into())
    );
    let backend = fake.client();
    let as_backend = RawRequest::new(http::Method::GET, "/srv/v1/versions");
    assert_eq!(
        api_error(backend.send(&as_backend)),
        (401, "missing-credentials".into())
    );
    // The admin token is no backend token either.
    let tasks = RawRequest::new(http::Method::GET, "/be/v1/tasks").auth(Auth::Admin);
    assert_eq!(api_error(admin(&fake).send(&tasks)).0, 401);
}

#[test]
fn organisations_are_created_and_deleted() {
    let fake = FakeEdge::new();
    let client = admin(&fake);
    let created = client
        .send(&CreateOrg::new("NewOrg").admin_username("boss"))
        .unwrap();
    assert_eq!(created.org_name.get().map(String::as_str), Some("NewOrg"));
    // An older server's answer: the initial password, which logs the administrator in.
    let password = created.initial_password.get().unwrap().clone();
    let anonymous = fake.client();
    let session = anonymous
        .send(&Login::new("NewOrg", "boss", password))
        .unwrap();
    assert!(session.permissions.is_value());

    // A newer one's: an invitation to the address, no password.
    let invited = client
        .send(&CreateOrg::new("ThirdOrg").email("boss@example.com"))
        .unwrap();
    assert!(invited.initial_password.is_absent());
    assert_eq!(invited.extra["email"], "boss@example.com");

    assert_eq!(fake.admin_orgs(), [VALID_ORG_NAME, "NewOrg", "ThirdOrg"]);
    let again = client.send(&CreateOrg::new("NewOrg"));
    assert_eq!(api_error(again), (409, "invalid-state".into()));

    client.send(&DeleteOrg::new("NewOrg")).unwrap();
    assert_eq!(fake.admin_orgs(), [VALID_ORG_NAME, "ThirdOrg"]);
    let gone = client.send(&DeleteOrg::new("NewOrg"));
    assert_eq!(api_error(gone), (404, "not-found".into()));
}

#[test]
fn organisation_endpoints_live_under_the_legacy_prefix_only() {
    let fake = FakeEdge::new();
    let client = admin(&fake);
    let current = RawRequest::new(http::Method::POST, "/srv/v1/orgs")
        .auth(Auth::Admin)
        .body(json!({"orgName": "NewOrg"}));
    assert_eq!(api_error(client.send(&current)), (404, "not-found".into()));
    let bad_name = RawRequest::new(http::Method::POST, "/adm/v1/orgs")
        .auth(Auth::Admin)
        .body(json!({"orgName": "New Org"}));
    assert_eq!(
        api_error(client.send(&bad_name)),
        (400, "invalid-param".into())
    );
    let wrong_method = RawRequest::new(http::Method::GET, "/adm/v1/orgs").auth(Auth::Admin);
    assert_eq!(
        api_error(client.send(&wrong_method)),
        (405, "method-not-allowed".into())
    );
}

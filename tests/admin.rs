//! The admin API: requests under both prefixes, the legacy fallback, and answers.

mod common;

use std::cell::RefCell;

use http::{Method, Request, Response, StatusCode};
use proptest::prelude::*;
use rockit_edge::admin::{
    send_with_legacy_fallback, AdminPrefix, CreateOrg, CreatedOrg, DeleteOrg, GetVersions, Ping,
    Prefixed, SubmitTestTask, Versions,
};
use rockit_edge::auth::ADMIN_TOKEN;
use rockit_edge::login::Password;
use rockit_edge::{BaseUrl, Client, Credentials, Endpoint, Extra, Field, TransportError};
use serde_json::{json, Value};

use common::strategies::{field, non_null_json_leaf, untyped_extra};
use common::{
    fixture, fixture_answer as answer, gw_base as base, input_error, round_trip, survives,
};

fn admin() -> Credentials {
    Credentials::admin_token("adm-t0k").unwrap()
}

fn assert_admin_only(request: &Request<Vec<u8>>) {
    assert_eq!(request.headers()[ADMIN_TOKEN], "adm-t0k");
    assert!(request.headers()[ADMIN_TOKEN].is_sensitive());
    for other in [
        "x-rockit-beauth-token",
        "x-rockit-api-key",
        "x-rockit-besession-token",
    ] {
        assert!(!request.headers().contains_key(other), "{other}");
    }
}

#[test]
fn ping_hello_and_versions_go_to_either_prefix() {
    for (prefix, path) in [
        (AdminPrefix::Current, "/gw/srv/v1"),
        (AdminPrefix::Legacy, "/gw/adm/v1"),
    ] {
        let ping = Ping::new()
            .prefix(prefix)
            .to_request(&base(), &admin())
            .unwrap();
        assert_eq!(ping.method(), Method::POST);
        assert_eq!(ping.uri(), &*format!("https://edge.example.com{path}/ping"));
        assert!(ping.body().is_empty());
        assert!(!ping.headers().contains_key("content-type"));
        assert_admin_only(&ping);

        let hello = SubmitTestTask::new("Hello World", true)
            .prefix(prefix)
            .to_request(&base(), &admin())
            .unwrap();
        assert_eq!(hello.method(), Method::POST);
        assert_eq!(
            hello.uri(),
            &*format!("https://edge.example.com{path}/hello")
        );
        assert_eq!(hello.headers()["content-type"], "application/json");
        let body: Value = serde_json::from_slice(hello.body()).unwrap();
        assert_eq!(body, json!({"message": "Hello World", "maintenance": true}));
        assert_admin_only(&hello);

        let versions = GetVersions::new()
            .prefix(prefix)
            .to_request(&base(), &admin())
            .unwrap();
        assert_eq!(versions.method(), Method::GET);
        assert_eq!(
            versions.uri(),
            &*format!("https://edge.example.com{path}/versions")
        );
        assert!(!versions.headers().contains_key("content-type"));
        assert_admin_only(&versions);
    }
}

#[test]
fn the_current_prefix_is_the_default() {
    assert_eq!(Ping::new().admin_prefix(), AdminPrefix::Current);
    assert_eq!(
        SubmitTestTask::new("m", false).admin_prefix(),
        AdminPrefix::Current
    );
    let legacy = GetVersions::new().with_prefix(AdminPrefix::Legacy);
    assert_eq!(legacy, GetVersions::new().prefix(AdminPrefix::Legacy));
    assert_eq!(legacy.path().unwrap(), "/adm/v1/versions");
}

#[test]
fn admin_endpoints_take_only_an_admin_token() {
    let token = Credentials::backend_token("t0k").unwrap();
    let e = input_error(Ping::new().to_request(&base(), &token));
    assert_eq!(e.what(), "credentials");
    assert!(e.problem().contains("an admin token"), "{e}");
    let e = input_error(DeleteOrg::new("OldOrg").to_request(&base(), &token));
    assert_eq!(e.what(), "credentials");
}

#[test]
fn create_org_sends_only_what_was_set() {
    let request = CreateOrg::new("NewOrg")
        .to_request(&base(), &admin())
        .unwrap();
    assert_eq!(request.method(), Method::POST);
    assert_eq!(request.uri(), "https://edge.example.com/gw/adm/v1/orgs");
    assert_eq!(request.headers()["content-type"], "application/json");
    assert_admin_only(&request);
    let body: Value = serde_json::from_slice(request.body()).unwrap();
    assert_eq!(body, json!({"orgName": "NewOrg"}));

    let pem = "-----BEGIN PUBLIC KEY-----\nMIIC\n-----END PUBLIC KEY-----\n";
    let request = CreateOrg::new("NewOrg")
        .admin_username("boss")
        .email("boss@example.com")
        .public_key(pem)
        .to_request(&base(), &admin())
        .unwrap();
    let body: Value = serde_json::from_slice(request.body()).unwrap();
    assert_eq!(
        body,
        json!({"orgName": "NewOrg", "username": "boss", "email": "boss@example.com", "publicKey": pem})
    );
}

#[test]
fn create_org_checks_its_values() {
    let e = input_error(CreateOrg::new("New Org").to_request(&base(), &admin()));
    assert_eq!(e.what(), "organisation name");
    let e = input_error(
        CreateOrg::new("NewOrg")
            .admin_username("b")
            .to_request(&base(), &admin()),
    );
    assert_eq!(e.what(), "user name");
    let e = input_error(
        CreateOrg::new("NewOrg")
            .email("boss.example.com")
            .to_request(&base(), &admin()),
    );
    assert_eq!(e.what(), "e-mail address");
    let e = input_error(
        CreateOrg::new("NewOrg")
            .public_key("ssh-rsa AAAA")
            .to_request(&base(), &admin()),
    );
    assert_eq!(e.what(), "public key");
}

#[test]
fn delete_org_names_the_org_in_one_checked_segment() {
    let request = DeleteOrg::new("OldOrg")
        .to_request(&base(), &admin())
        .unwrap();
    assert_eq!(request.method(), Method::DELETE);
    assert_eq!(
        request.uri(),
        "https://edge.example.com/gw/adm/v1/orgs/OldOrg"
    );
    assert!(request.body().is_empty());
    assert!(!request.headers().contains_key("content-type"));
    for bad in ["Old/Org", "..", "", "Old%2FOrg"] {
        let e = input_error(DeleteOrg::new(bad).to_request(&base(), &admin()));
        assert_eq!(e.what(), "organisation name", "{bad:?}");
    }
}

#[test]
fn answers_decode() {
    let ping = Ping::new()
        .decode(&answer(200, "admin_ping_200.json"))
        .unwrap();
    assert_eq!(ping["message"], "pong");
    let hello = SubmitTestTask::new("Hello World", false)
        .decode(&answer(200, "admin_hello_200.json"))
        .unwrap();
    assert_eq!(hello["message"], "Hello World");

    let versions = GetVersions::new()
        .decode(&answer(200, "admin_versions_200.json"))
        .unwrap();
    assert_eq!(versions.edge, Field::Value(json!("159")));
    assert_eq!(versions.engine.get().unwrap()["runtime"], "2.4.1");
    assert_eq!(versions.extra["launcher"], "1.9.3");

    let deleted = DeleteOrg::new("OldOrg")
        .decode(&answer(200, "admin_delete_org_200.json"))
        .unwrap();
    assert!(deleted.is_empty());
}

#[test]
fn created_org_carries_a_password_on_older_servers_only() {
    let older = CreateOrg::new("NewOrg")
        .decode(&answer(200, "admin_create_org_200.json"))
        .unwrap();
    assert_eq!(older.org_name.get().map(String::as_str), Some("NewOrg"));
    let password = older.initial_password.get().unwrap();
    assert_eq!(password.expose(), "Initial pass w0rd!");
    assert!(!format!("{older:?}").contains("w0rd"));

    let newer = CreateOrg::new("NewOrg")
        .decode(&answer(200, "admin_create_org_invited_200.json"))
        .unwrap();
    assert!(newer.initial_password.is_absent());
    assert_eq!(newer.extra["email"], "boss@example.com");
}

#[test]
fn not_found_is_an_api_error() {
    let err = GetVersions::new()
        .decode(&answer(404, "admin_versions_404.json"))
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(err.code().map(|c| c.as_str()), Some("not-found"));
}

/// A transport that answers 404 under the prefixes in `missing` and records every path.
fn server<'a>(
    missing: &'static [&'static str],
    log: &'a RefCell<Vec<String>>,
) -> Client<impl rockit_edge::Transport + 'a> {
    let transport = move |request: Request<Vec<u8>>| -> Result<Response<Vec<u8>>, TransportError> {
        let path = request.uri().path().to_owned();
        log.borrow_mut().push(path.clone());
        let (status, name) = if missing.iter().any(|m| path.starts_with(m)) {
            (404, "admin_versions_404.json")
        } else if path.ends_with("/versions") {
            (200, "admin_versions_200.json")
        } else {
            (200, "admin_ping_200.json")
        };
        Ok(answer(status, name))
    };
    Client::new(
        transport,
        BaseUrl::parse("http://127.0.0.1:9").unwrap(),
        admin(),
    )
}

#[test]
fn fallback_uses_the_current_prefix_when_it_answers() {
    let log = RefCell::new(Vec::new());
    let client = server(&[], &log);
    let (versions, prefix) = send_with_legacy_fallback(&client, &GetVersions::new()).unwrap();
    assert_eq!(prefix, AdminPrefix::Current);
    assert_eq!(versions.edge.get().unwrap(), "159");
    assert_eq!(*log.borrow(), ["/srv/v1/versions"]);
}

#[test]
fn fallback_tries_the_legacy_prefix_after_a_404() {
    let log = RefCell::new(Vec::new());
    let client = server(&["/srv/v1"], &log);
    // The endpoint's own prefix does not matter: the current one is always tried first.
    let ping = Ping::new().prefix(AdminPrefix::Legacy);
    let (members, prefix) = send_with_legacy_fallback(&client, &ping).unwrap();
    assert_eq!(prefix, AdminPrefix::Legacy);
    assert_eq!(members["message"], "pong");
    assert_eq!(*log.borrow(), ["/srv/v1/ping", "/adm/v1/ping"]);
}

#[test]
fn fallback_returns_the_legacy_error_when_both_fail() {
    let log = RefCell::new(Vec::new());
    let client = server(&["/srv/v1", "/adm/v1"], &log);
    let err = send_with_legacy_fallback(&client, &SubmitTestTask::new("hi", false)).unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(*log.borrow(), ["/srv/v1/hello", "/adm/v1/hello"]);
}

#[test]
fn fallback_keeps_other_errors_of_the_first_try() {
    let log = RefCell::new(Vec::new());
    let unauthorized = |request: Request<Vec<u8>>| -> Result<Response<Vec<u8>>, TransportError> {
        log.borrow_mut().push(request.uri().path().to_owned());
        let mut response = Response::new(br#"{"status":"error","code":"token-expired"}"#.to_vec());
        *response.status_mut() = StatusCode::UNAUTHORIZED;
        Ok(response)
    };
    let client = Client::new(unauthorized, base(), admin());
    let err = send_with_legacy_fallback(&client, &GetVersions::new()).unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(log.borrow().len(), 1);
}

/// A scalar or an object of scalars, never `null`: a `Field<Value>` reads `null` as
/// `Field::Null`.
fn json_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        non_null_json_leaf(),
        prop::collection::btree_map("[a-z]{1,6}", non_null_json_leaf(), 0..3)
            .prop_map(|m| Value::Object(m.into_iter().collect())),
    ]
}

/// Members no model here types: their names start with `x_`.
fn extra() -> impl Strategy<Value = Extra> {
    untyped_extra(json_value())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn versions_round_trip(
        edge in field(json_value()),
        engine in field(json_value()),
        extra in extra(),
    ) {
        let model = Versions { edge, engine, extra };
        prop_assert_eq!(round_trip(&model), model.clone());
        survives::<Versions>(serde_json::to_value(&model).unwrap());
    }

    #[test]
    fn created_org_round_trips(
        org_name in field("[A-Za-z0-9_]{2,20}"),
        username in field("[A-Za-z0-9_]{2,20}"),
        initial_password in field("\\PC{0,20}".prop_map(Password::new)),
        extra in extra(),
    ) {
        let model = CreatedOrg { org_name, username, initial_password, extra };
        prop_assert_eq!(round_trip(&model), model.clone());
        survives::<CreatedOrg>(serde_json::to_value(&model).unwrap());
    }
}

#[test]
fn fixtures_survive_decode_and_encode() {
    let members = |name: &str| {
        let mut json: Value = serde_json::from_slice(&fixture(name)).unwrap();
        json.as_object_mut().unwrap().remove("status");
        json
    };
    survives::<CreatedOrg>(members("admin_create_org_200.json"));
    survives::<CreatedOrg>(members("admin_create_org_invited_200.json"));
    survives::<Versions>(members("admin_versions_200.json")["versions"].clone());
}

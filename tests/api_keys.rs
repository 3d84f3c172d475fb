//! API keys: creating one, using it, revoking it.

mod common;

use http::{Method, StatusCode};
use rockit_edge::api_keys::{CreateApiKey, DeleteApiKey};
use rockit_edge::raw::RawRequest;
use rockit_edge::users::GetUser;
use rockit_edge::{Endpoint, Error, Secret};
use serde_json::json;

use common::{admin_principal_key as key, answer, base, body_json, fixture, token};

#[test]
fn create_api_key_request() {
    let request = CreateApiKey::new().to_request(&base(), &token()).unwrap();
    assert_eq!(request.method(), Method::POST);
    assert_eq!(request.uri(), "https://edge.example.com/be/v1/apikeys");
    assert_eq!(request.headers()["x-rockit-beauth-token"], "t0k");
    assert!(request.body().is_empty());
    assert!(request.headers().get("content-type").is_none());

    let request = CreateApiKey::new()
        .username("ci_bot")
        .to_request(&base(), &key())
        .unwrap();
    assert_eq!(request.headers()["x-rockit-api-key"], "k-123");
    assert_eq!(body_json(&request), json!({"username": "ci_bot"}));

    match CreateApiKey::new()
        .username("ci bot")
        .to_request(&base(), &key())
    {
        Err(Error::Input(e)) => assert_eq!(e.what(), "username"),
        other => panic!("expected an input error, got {other:?}"),
    }
}

#[test]
fn delete_api_key_request() {
    let delete = DeleteApiKey::new(Secret::new("rk_live_93ab").unwrap());
    let request = delete.to_request(&base(), &key()).unwrap();
    assert_eq!(request.method(), Method::DELETE);
    assert_eq!(request.uri(), "https://edge.example.com/be/v1/apikeys");
    assert_eq!(body_json(&request), json!({"apiKey": "rk_live_93ab"}));
    assert!(!format!("{delete:?}").contains("rk_live"));
}

#[test]
fn the_path_form_of_delete_goes_raw() {
    let raw = RawRequest::new(Method::DELETE, "/be/v1/apikeys/rk_live_93ab");
    let request = raw.to_request(&base(), &token()).unwrap();
    assert_eq!(
        request.uri(),
        "https://edge.example.com/be/v1/apikeys/rk_live_93ab"
    );
    assert!(request.body().is_empty());
}

#[test]
fn create_api_key_answer() {
    let created = CreateApiKey::new()
        .decode(&answer(200, fixture("api_keys_create_200.json")))
        .unwrap();
    assert_eq!(created.api_key.expose(), "rk_live_93ab07c1e5d84f26b0aa");
    assert_eq!(created.extra["created"], "2025-11-03T17:49:48.000Z");
    assert!(!created.extra.contains_key("apiKey"));
    assert!(!format!("{created:?}").contains("rk_live"));

    let credentials = created.credentials("ExampleOrg", "ci_bot").unwrap();
    let request = GetUser::new("ci_bot")
        .to_request(&base(), &credentials)
        .unwrap();
    assert_eq!(request.headers()["x-rockit-username"], "ci_bot");
    assert_eq!(
        request.headers()["x-rockit-api-key"],
        "rk_live_93ab07c1e5d84f26b0aa"
    );

    let err = CreateApiKey::new()
        .decode(&answer(401, fixture("api_keys_create_401.json")))
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(err.code().unwrap().as_str(), "token-expired");

    let not_success = br#"{"status":"error","code":"forbidden","apiKey":"x"}"#.to_vec();
    let err = CreateApiKey::new()
        .decode(&answer(200, not_success))
        .unwrap_err();
    assert!(matches!(err, Error::Api(_)), "{err:?}");
}

#[test]
fn delete_api_key_answer() {
    let delete = DeleteApiKey::new(Secret::new("rk_live_93ab").unwrap());
    let ack = delete
        .decode(&answer(200, fixture("api_keys_delete_200.json")))
        .unwrap();
    assert!(ack.is_empty());
    let err = delete
        .decode(&answer(401, fixture("api_keys_create_401.json")))
        .unwrap_err();
    assert_eq!(err.code().unwrap().as_str(), "token-expired");
}

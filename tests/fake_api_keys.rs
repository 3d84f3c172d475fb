//! The fake's API keys through the client: a created key is a credential at once, a deleted
//! one stops working.

mod common;

use http::Method;
use rockit_edge::api_keys::{CreateApiKey, DeleteApiKey};
use rockit_edge::fake::{FakeEdge, VALID_ORG_NAME, VALID_USERNAME};
use rockit_edge::raw::RawRequest;
use rockit_edge::users::{CreateMachineUser, ListUsers};
use rockit_edge::Client;
use serde_json::json;

use common::api_error;

#[test]
fn a_key_created_by_a_key_user_is_that_users_and_works_at_once() {
    let fake = FakeEdge::new();
    let with_key = Client::new(fake.clone(), fake.base_url(), fake.api_key_credentials());
    let created = with_key.send(&CreateApiKey::new()).unwrap();
    let second = Client::new(
        fake.clone(),
        fake.base_url(),
        created.credentials(VALID_ORG_NAME, VALID_USERNAME).unwrap(),
    );
    assert_eq!(second.send(&ListUsers::new()).unwrap().total(), Some(2));
    let as_alice = Client::new(
        fake.clone(),
        fake.base_url(),
        created.credentials(VALID_ORG_NAME, "alice").unwrap(),
    );
    assert_eq!(
        api_error(as_alice.send(&ListUsers::new())),
        (401, "invalid-token".into())
    );
}

#[test]
fn a_key_for_a_named_user() {
    let fake = FakeEdge::seeded();
    let created = fake
        .client()
        .send(&CreateApiKey::new().username("jdoe"))
        .unwrap();
    let as_jdoe = Client::new(
        fake.clone(),
        fake.base_url(),
        created.credentials(VALID_ORG_NAME, "jdoe").unwrap(),
    );
    as_jdoe.send(&ListUsers::new()).unwrap();

    let ghost = CreateApiKey::new().username("ghost");
    assert_eq!(
        api_error(fake.client().send(&ghost)),
        (404, "not-found".into())
    );
    // With an auth token the fake cannot tell whose key it would be.
    assert_eq!(
        api_error(fake.client().send(&CreateApiKey::new())),
        (400, "missing-param".into())
    );
    let bad = RawRequest::new(Method::POST, "/be/v1/apikeys").body(json!({"username": "j d"}));
    assert_eq!(
        api_error(fake.client().send(&bad)),
        (400, "invalid-param".into())
    );
}

#[test]
fn a_deleted_key_stops_working() {
    let fake = FakeEdge::seeded();
    let created = fake
        .client()
        .send(&CreateMachineUser::new("ci_bot", "CI"))
        .unwrap();
    let as_bot = Client::new(
        fake.clone(),
        fake.base_url(),
        created.credentials(VALID_ORG_NAME).unwrap(),
    );
    as_bot.send(&ListUsers::new()).unwrap();

    let another = as_bot.send(&CreateApiKey::new()).unwrap();
    assert_ne!(another.api_key, created.api_key);
    fake.client()
        .send(&DeleteApiKey::new(created.api_key.clone()))
        .unwrap();
    assert_eq!(
        api_error(as_bot.send(&ListUsers::new())),
        (401, "invalid-token".into())
    );
    let still = Client::new(
        fake.clone(),
        fake.base_url(),
        another.credentials(VALID_ORG_NAME, "ci_bot").unwrap(),
    );
    still.send(&ListUsers::new()).unwrap();

    let again = DeleteApiKey::new(created.api_key.clone());
    assert_eq!(
        api_error(fake.client().send(&again)),
        (404, "not-found".into())
    );
    let nothing = RawRequest::new(Method::DELETE, "/be/v1/apikeys").body(json!({}));
    assert_eq!(
        api_error(fake.client().send(&nothing)),
        (400, "missing-param".into())
    );
}

#[test]
fn the_path_form_of_delete_works_too() {
    let fake = FakeEdge::new();
    let created = fake
        .client()
        .send(&CreateApiKey::new().username("alice"))
        .unwrap();
    let path = format!("/be/v1/apikeys/{}", created.api_key.expose());
    fake.client()
        .send(&RawRequest::new(Method::DELETE, path.as_str()))
        .unwrap();
    let as_alice = Client::new(
        fake.clone(),
        fake.base_url(),
        created.credentials(VALID_ORG_NAME, "alice").unwrap(),
    );
    assert_eq!(
        api_error(as_alice.send(&ListUsers::new())),
        (401, "invalid-token".into())
    );
    let get = RawRequest::new(Method::GET, path.as_str());
    assert_eq!(
        api_error(fake.client().send(&get)),
        (405, "method-not-allowed".into())
    );
}

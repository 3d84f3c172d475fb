//! The fake's organisations through the client: created with an auth token only, names
//! taken once, deleted with and without `prune`.

mod common;

use http::Method;
use rockit_edge::fake::{FakeEdge, VALID_ORG_NAME};
use rockit_edge::orgs::{CreateOrganization, DeleteOrganization};
use rockit_edge::raw::RawRequest;
use rockit_edge::users::ListUsers;
use rockit_edge::{Client, Error};
use serde_json::json;

use common::api_error;

const PEM: &str =
    "-----BEGIN PUBLIC KEY-----\nMIICIjANBgkqhkiG9w0BAQEFAAOCAg8A\n-----END PUBLIC KEY-----\n";

#[test]
fn creating_answers_an_initial_password() {
    let fake = FakeEdge::new();
    let create = CreateOrganization::new("NewOrg")
        .admin_email("ops@example.com")
        .public_key(PEM);
    let created = fake.client().send(&create).unwrap();
    assert_eq!(created.org_name, "NewOrg");
    assert!(!created.initial_password.unwrap().expose().is_empty());
    assert_eq!(created.extra["orgName"], "NewOrg");
    assert_eq!(fake.org_names(), ["ExampleOrg", "NewOrg"]);
    assert_eq!(
        api_error(fake.client().send(&create)),
        (409, "already-exists".into())
    );
    let existing = CreateOrganization::new(VALID_ORG_NAME);
    assert_eq!(
        api_error(fake.client().send(&existing)),
        (409, "already-exists".into())
    );
}

#[test]
fn the_fake_checks_bodies_as_the_client_does() {
    let fake = FakeEdge::new();
    let private = "-----BEGIN RSA PRIVATE KEY-----\nMIIJ\n-----END RSA PRIVATE KEY-----\n";
    let cases = [
        (json!({}), "missing-param"),
        (json!({"orgName": "New Org"}), "invalid-param"),
        (
            json!({"orgName": "NewOrg", "email": "ops"}),
            "invalid-param",
        ),
        (
            json!({"orgName": "NewOrg", "publicKey": private}),
            "invalid-param",
        ),
        (
            json!({"orgName": "NewOrg", "publicKey": "ssh-rsa AAAA"}),
            "invalid-param",
        ),
    ];
    for (body, code) in cases {
        let raw = RawRequest::new(Method::POST, "/be/v1/orgs").body(body.clone());
        assert_eq!(
            api_error(fake.client().send(&raw)),
            (400, code.into()),
            "{body}"
        );
    }
    assert_eq!(fake.org_names(), ["ExampleOrg"]);
}

#[test]
fn api_keys_are_refused() {
    let fake = FakeEdge::new();
    let with_key = Client::new(fake.clone(), fake.base_url(), fake.api_key_credentials());
    match with_key.send(&CreateOrganization::new("NewOrg")) {
        Err(Error::Input(e)) => assert_eq!(e.what(), "credentials"),
        other => panic!("the client refuses first, got {other:?}"),
    }
    let raw = RawRequest::new(Method::POST, "/be/v1/orgs").body(json!({"orgName": "NewOrg"}));
    assert_eq!(api_error(with_key.send(&raw)), (403, "forbidden".into()));
    let raw = RawRequest::new(Method::DELETE, "/be/v1/orgs/ExampleOrg");
    assert_eq!(api_error(with_key.send(&raw)), (403, "forbidden".into()));
    assert_eq!(fake.org_names(), ["ExampleOrg"]);
}

#[test]
fn deleting_with_and_without_prune() {
    let fake = FakeEdge::new();
    for name in ["OrgA", "OrgB"] {
        fake.client().send(&CreateOrganization::new(name)).unwrap();
    }
    fake.client()
        .send(&DeleteOrganization::new("OrgA"))
        .unwrap();
    fake.client()
        .send(&DeleteOrganization::new("OrgB").prune(true))
        .unwrap();
    assert_eq!(fake.org_names(), ["ExampleOrg"]);
    assert_eq!(
        api_error(
            fake.client()
                .send(&DeleteOrganization::new("OrgA").prune(false))
        ),
        (404, "not-found".into())
    );
    let odd = RawRequest::new(Method::DELETE, "/be/v1/orgs/ExampleOrg").param("prune", "maybe");
    assert_eq!(
        api_error(fake.client().send(&odd)),
        (400, "invalid-param".into())
    );
    let bad = RawRequest::new(Method::DELETE, "/be/v1/orgs/Example-Org");
    assert_eq!(
        api_error(fake.client().send(&bad)),
        (400, "invalid-param".into())
    );
}

#[test]
fn deleting_an_organisation_revokes_its_api_keys() {
    let fake = FakeEdge::new();
    let with_key = Client::new(fake.clone(), fake.base_url(), fake.api_key_credentials());
    with_key.send(&ListUsers::new()).unwrap();
    fake.client()
        .send(&DeleteOrganization::new(VALID_ORG_NAME).prune(true))
        .unwrap();
    assert_eq!(
        api_error(with_key.send(&ListUsers::new())),
        (401, "invalid-token".into())
    );
}

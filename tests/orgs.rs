//! Backend organisations: created and deleted with an administrator's auth token.

mod common;

use http::{Method, StatusCode};
use rockit_edge::orgs::{CreateOrganization, DeleteOrganization};
use rockit_edge::{BaseUrl, Credentials, Endpoint, Error};
use serde_json::json;

use common::{answer, body_json, fixture, input_error_what as input_error};

const PEM: &str = "-----BEGIN PUBLIC KEY-----\n\
MIICIjANBgkqhkiG9w0BAQEFAAOCAg8AMIICCgKCAgEAu1SU1LfVLPHCozMxH2Mo\n\
-----END PUBLIC KEY-----\n";

fn base() -> BaseUrl {
    BaseUrl::parse("https://edge.example.com/base").unwrap()
}

fn token() -> Credentials {
    Credentials::backend_token("adm1n").unwrap()
}

#[test]
fn create_organization_request() {
    let create = CreateOrganization::new("NewOrg")
        .admin_email("ops@example.com")
        .public_key(PEM);
    let request = create.to_request(&base(), &token()).unwrap();
    assert_eq!(request.method(), Method::POST);
    assert_eq!(request.uri(), "https://edge.example.com/base/be/v1/orgs");
    assert_eq!(request.headers()["x-rockit-beauth-token"], "adm1n");
    assert_eq!(
        body_json(&request),
        json!({"orgName": "NewOrg", "email": "ops@example.com", "publicKey": PEM})
    );
    let bare = CreateOrganization::new("NewOrg")
        .to_request(&base(), &token())
        .unwrap();
    assert_eq!(body_json(&bare), json!({"orgName": "NewOrg"}));
}

#[test]
fn create_organization_refuses_bad_input() {
    let private = "-----BEGIN RSA PRIVATE KEY-----\nMIIJKQ...\n-----END RSA PRIVATE KEY-----\n";
    let cases = [
        (CreateOrganization::new("New-Org"), "organisation name"),
        (CreateOrganization::new("N"), "organisation name"),
        (
            CreateOrganization::new("NewOrg").admin_email("ops"),
            "administrator e-mail",
        ),
        (
            CreateOrganization::new("NewOrg").public_key(private),
            "public key",
        ),
        (
            CreateOrganization::new("NewOrg").public_key("ssh-rsa AAAAB3Nza"),
            "public key",
        ),
    ];
    for (create, what) in cases {
        assert_eq!(input_error(create.to_request(&base(), &token())), what);
    }
    let err = CreateOrganization::new("NewOrg")
        .public_key(private)
        .to_request(&base(), &token())
        .unwrap_err();
    assert!(err.to_string().contains("is a private key"), "{err}");
}

#[test]
fn org_endpoints_refuse_api_keys() {
    let key = Credentials::api_key("ExampleOrg", "adminPrincipal", "k-123").unwrap();
    assert_eq!(
        input_error(CreateOrganization::new("NewOrg").to_request(&base(), &key)),
        "credentials"
    );
    assert_eq!(
        input_error(DeleteOrganization::new("NewOrg").to_request(&base(), &key)),
        "credentials"
    );
}

#[test]
fn delete_organization_request() {
    let request = DeleteOrganization::new("ExampleOrg")
        .to_request(&base(), &token())
        .unwrap();
    assert_eq!(request.method(), Method::DELETE);
    assert_eq!(
        request.uri(),
        "https://edge.example.com/base/be/v1/orgs/ExampleOrg"
    );
    assert_eq!(request.headers()["x-rockit-beauth-token"], "adm1n");
    assert!(request.body().is_empty());
    assert!(request.headers().get("content-type").is_none());

    let pruned = DeleteOrganization::new("ExampleOrg").prune(true);
    let request = pruned.to_request(&base(), &token()).unwrap();
    assert_eq!(request.uri().query(), Some("prune=true"));
    let kept = DeleteOrganization::new("ExampleOrg").prune(false);
    assert_eq!(
        kept.to_request(&base(), &token()).unwrap().uri().query(),
        Some("prune=false")
    );

    for bad in ["", "..", "Example/Org", "Example Org"] {
        let result = DeleteOrganization::new(bad).to_request(&base(), &token());
        assert_eq!(input_error(result), "organisation name", "{bad:?}");
    }
}

#[test]
fn create_organization_answer() {
    let create = CreateOrganization::new("NewOrg");
    let created = create
        .decode(&answer(200, fixture("orgs_create_200.json")))
        .unwrap();
    assert_eq!(created.org_name, "NewOrg");
    assert_eq!(
        created.initial_password.as_ref().unwrap().expose(),
        "Vq7-xT2m-Lp9w"
    );
    assert_eq!(created.extra["username"], "adminPrincipal");
    assert!(!created.extra.contains_key("password"));
    assert!(!format!("{created:?}").contains("Vq7"));

    let invited = create
        .decode(&answer(201, br#"{"status":"success"}"#.to_vec()))
        .unwrap();
    assert!(invited.initial_password.is_none());

    let err = create
        .decode(&answer(409, fixture("orgs_create_409.json")))
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::CONFLICT));
    assert_eq!(err.code().unwrap().as_str(), "conflict");
}

#[test]
fn create_organization_answer_that_does_not_fit_keeps_no_password() {
    let create = CreateOrganization::new("NewOrg");
    let cases: [&[u8]; 2] = [
        br#"{"status":"success","password":["Vq7-S3CR"]}"#,
        br#"{"status":"success","password":"Vq7-S3CR""#,
    ];
    for body in cases {
        match create.decode(&answer(200, body.to_vec())) {
            Err(Error::Decode(e)) => {
                assert!(e.body().is_withheld() && e.body().bytes().is_empty());
                assert!(!e.to_string().contains("S3CR"), "{e}");
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
    }
}

#[test]
fn delete_organization_answer() {
    let delete = DeleteOrganization::new("ExampleOrg").prune(true);
    assert!(delete
        .decode(&answer(200, fixture("orgs_delete_200.json")))
        .unwrap()
        .is_empty());
    let err = delete
        .decode(&answer(401, br#"{"code":"token-expired"}"#.to_vec()))
        .unwrap_err();
    assert_eq!(err.code().unwrap().as_str(), "token-expired");
}

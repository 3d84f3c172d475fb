//! Deployments: the requests each endpoint builds, how answers decode, that secrets stay out
//! of `Debug`, and that the models survive a JSON round trip.

mod common;

use http::{Method, StatusCode};
use proptest::prelude::*;
use rockit_edge::assumed::deployments as assumed;
use rockit_edge::deployments::{
    CreateDeployment, DeleteDeployment, Deployment, GetDeployment, ListDeployments,
    ModifyDeployment, OriginCredentials, OriginType, SecretText,
};
use rockit_edge::tasks::Timestamp;
use rockit_edge::{Endpoint, ErrorCode, Field};
use serde_json::{json, Value};

use common::strategies::{extra, field, text};
use common::{answer, built, fixture, gw_base as base, gw_input_error_what as input_error, token};

const URI: &str = "https://edge.example.com/gw/be/v1/deployments";

#[test]
fn create_sends_the_whole_origin_configuration() {
    let create = CreateDeployment::new("gcore", OriginType::S3)
        .endpoint("s3.us-east-1.amazonaws.com")
        .bucket("rockit-origin")
        .credentials(OriginCredentials::s3(
            "AKIAEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG",
        ))
        .origin_prefix("games")
        .download_auth_group("streaminstaller");
    let body = built(&create, Method::POST, URI).unwrap();
    assert_eq!(
        body,
        json!({
            "name": "gcore",
            "originType": "s3",
            "endpoint": "s3.us-east-1.amazonaws.com",
            "bucket": "rockit-origin",
            "credentials": {"accessKeyId": "AKIAEXAMPLE", "secretAccessKey": "wJalrXUtnFEMI/K7MDENG"},
            "originPrefix": "games",
            "downloadAuthGroup": "streaminstaller",
        })
    );
}

#[test]
fn create_of_another_origin_type_sends_its_own_members() {
    let mut credentials = OriginCredentials::default();
    credentials
        .extra
        .insert("uploadKey".into(), json!("n3tst0rage"));
    let create = CreateDeployment::new("akamai", "netstorage")
        .endpoint("rockit-nsu.akamaihd.net")
        .credentials(credentials)
        .member("cpCode", json!(123456));
    let body = built(&create, Method::POST, URI).unwrap();
    assert_eq!(
        body,
        json!({
            "name": "akamai",
            "originType": "netstorage",
            "endpoint": "rockit-nsu.akamaihd.net",
            "credentials": {"uploadKey": "n3tst0rage"},
            "cpCode": 123456,
        })
    );
    assert_eq!(
        create.deployment().origin_type.get(),
        Some(&OriginType::Other("netstorage".into()))
    );
}

#[test]
fn create_refuses_what_the_reference_rules_out() {
    let s3 = |endpoint: &str| {
        CreateDeployment::new("gcore", OriginType::S3)
            .endpoint(endpoint)
            .bucket("rockit-origin")
    };
    assert_eq!(
        input_error(&s3("rockit-origin.s3.us-east-1.amazonaws.com")),
        "deployment endpoint"
    );
    assert_eq!(input_error(&s3("s3.amazonaws.com")), "deployment endpoint");
    assert_eq!(
        input_error(&CreateDeployment::new("g", OriginType::S3)),
        "deployment name"
    );
    assert_eq!(
        input_error(&CreateDeployment::new("g core", OriginType::S3)),
        "deployment name"
    );
    assert_eq!(
        input_error(&CreateDeployment::new("gcore", OriginType::S3).bucket("")),
        "bucket"
    );
    // Square brackets are allowed in deployment names.
    assert!(CreateDeployment::new("gcore[eu]", OriginType::S3)
        .to_request(&base(), &token())
        .is_ok());
}

#[test]
fn create_decodes_the_answer_as_it_is() {
    let create = CreateDeployment::new("gcore", OriginType::S3);
    let answer = create
        .decode(&answer(200, fixture("deployments_create_200.json")))
        .unwrap();
    assert!(!answer.contains_key("status"));
    assert_eq!(answer["deployment"]["name"], "gcore");
}

#[test]
fn get_encodes_the_name_as_one_segment() {
    built(
        &GetDeployment::new("gcore"),
        Method::GET,
        "https://edge.example.com/gw/be/v1/deployments/gcore",
    );
    built(
        &GetDeployment::new("gcore[eu]"),
        Method::GET,
        "https://edge.example.com/gw/be/v1/deployments/gcore%5Beu%5D",
    );
    for bad in ["", "g", "a/b", "..", "gcore?x=1", "caf\u{e9}"] {
        assert_eq!(input_error(&GetDeployment::new(bad)), "deployment name");
    }
}

#[test]
fn get_decodes_status_message_and_origin() {
    let deployment = GetDeployment::new("gcore")
        .decode(&answer(200, fixture("deployments_get_200.json")))
        .unwrap();
    assert_eq!(deployment.name, "gcore");
    assert_eq!(deployment.origin_type.get(), Some(&OriginType::S3));
    assert_eq!(
        deployment.endpoint.get().unwrap(),
        "s3.us-east-1.amazonaws.com"
    );
    assert_eq!(deployment.bucket.get().unwrap(), "rockit-origin");
    assert_eq!(deployment.origin_prefix.get().unwrap(), "games");
    assert!(deployment.download_auth_group.is_null());
    assert!(deployment.has_error());
    assert_eq!(
        deployment.message.get().unwrap(),
        "the origin refused the upload (HTTP 403)"
    );
    let credentials = deployment.credentials.get().unwrap();
    assert_eq!(
        credentials.access_key_id.get().unwrap(),
        "AKIAIOSFODNN7EXAMPLE"
    );
    assert!(credentials.secret_access_key.is_absent());
    assert_eq!(
        deployment.updated.get().map(Timestamp::as_str),
        Some("2025-02-11T11:41:02.007Z")
    );
}

#[test]
fn get_reports_a_missing_deployment_as_an_api_error() {
    let body = br#"{"status":"error","code":"not-found","message":"no deployment gcore"}"#;
    let err = GetDeployment::new("gcore")
        .decode(&answer(404, body.to_vec()))
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(err.code(), Some(&ErrorCode::from("not-found")));
}

#[test]
fn list_sends_filters_sort_and_paging() {
    built(&ListDeployments::new(), Method::GET, URI);
    let list = ListDeployments::new()
        .offset(20)
        .limit(10)
        .name("core")
        .in_error()
        .created_from("2025-01-01T00:00:00Z")
        .created_to("2025-02-01T00:00:00Z")
        .updated_from("2025-02-01T00:00:00Z")
        .updated_to("2025-03-01T00:00:00Z")
        .order_by("name", true)
        .order_by("created", false)
        .param("x-extra", "1");
    built(
        &list,
        Method::GET,
        &format!(
            "{URI}?offset=20&limit=10&name=core&status=error\
             &createdFrom=2025-01-01T00%3A00%3A00Z&createdTo=2025-02-01T00%3A00%3A00Z\
             &updatedFrom=2025-02-01T00%3A00%3A00Z&updatedTo=2025-03-01T00%3A00%3A00Z\
             &order%5B%5D=%5B-name%5D&order%5B%5D=%5B%2Bcreated%5D&x-extra=1"
        ),
    );
    assert_eq!(input_error(&ListDeployments::new().limit(0)), "limit");
}

#[test]
fn list_decodes_items_total_and_unknown_members() {
    let page = ListDeployments::new()
        .decode(&answer(200, fixture("deployments_list_200.json")))
        .unwrap();
    assert_eq!(page.total(), Some(2));
    let names: Vec<&str> = page.items.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["akamai", "gcore"]);
    let akamai = &page.items[0];
    assert_eq!(
        akamai.origin_type.get(),
        Some(&OriginType::Other("netstorage".into()))
    );
    assert_eq!(akamai.extra["cpCode"], 123456);
    assert!(!akamai.has_error());
    assert!(page.items[1].has_error());
}

#[test]
fn modify_sends_only_what_changes_and_null_to_remove() {
    let modify = ModifyDeployment::new("gcore")
        .credentials(OriginCredentials::s3("AKIANEW", "n3w-s3cret"))
        .remove_download_auth_group();
    let body = built(&modify, Method::PATCH, URI).unwrap();
    assert_eq!(
        body,
        json!({
            "name": "gcore",
            "credentials": {"accessKeyId": "AKIANEW", "secretAccessKey": "n3w-s3cret"},
            "downloadAuthGroup": null,
        })
    );

    let modify = ModifyDeployment::new("gcore")
        .endpoint("s3.eu-west-1.amazonaws.com")
        .remove_origin_prefix();
    let body = built(&modify, Method::PATCH, URI).unwrap();
    assert_eq!(
        body,
        json!({"name": "gcore", "endpoint": "s3.eu-west-1.amazonaws.com", "originPrefix": null})
    );
}

#[test]
fn modify_refuses_an_empty_change_and_bad_values() {
    assert_eq!(
        input_error(&ModifyDeployment::new("gcore")),
        "deployment changes"
    );
    assert_eq!(
        input_error(&ModifyDeployment::new("g/core").bucket("b")),
        "deployment name"
    );
    assert_eq!(
        input_error(
            &ModifyDeployment::new("gcore")
                .endpoint("b.s3.us-east-1.amazonaws.com")
                .bucket("b")
        ),
        "deployment endpoint"
    );
}

#[test]
fn modify_decodes_the_answer_as_it_is() {
    let answer = ModifyDeployment::new("gcore")
        .bucket("b")
        .decode(&answer(200, fixture("deployments_modify_200.json")))
        .unwrap();
    assert_eq!(answer["deployment"]["status"], "ok");
}

#[test]
fn delete_checks_the_name_and_reports_a_deployment_in_use() {
    built(
        &DeleteDeployment::new("gcore"),
        Method::DELETE,
        "https://edge.example.com/gw/be/v1/deployments/gcore",
    );
    assert_eq!(
        input_error(&DeleteDeployment::new("gc ore")),
        "deployment name"
    );

    let delete = DeleteDeployment::new("gcore");
    let ok = delete
        .decode(&answer(200, fixture("deployments_delete_200.json")))
        .unwrap();
    assert!(ok.is_empty());
    let err = delete
        .decode(&answer(409, fixture("deployments_delete_409.json")))
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::CONFLICT));
    assert_eq!(
        err.code(),
        Some(&ErrorCode::from(assumed::DEPLOYMENTS_IN_USE_CODE))
    );
}

#[test]
fn secrets_never_show_in_debug() {
    let mut credentials = OriginCredentials::s3("AKIAEXAMPLE", "wJalrXUtnFEMI");
    credentials
        .extra
        .insert("password".into(), json!("hunter2-pw"));
    let create = CreateDeployment::new("gcore", OriginType::S3).credentials(credentials.clone());
    let modify = ModifyDeployment::new("gcore").credentials(credentials.clone());
    let mut deployment = Deployment::named("gcore");
    deployment.credentials = Field::Value(credentials.clone());
    for printed in [
        format!("{credentials:?}"),
        format!("{create:?}"),
        format!("{modify:?}"),
        format!("{deployment:?}"),
        format!("{:?}", SecretText::new("wJalrXUtnFEMI")),
        format!("{}", SecretText::new("wJalrXUtnFEMI")),
    ] {
        assert!(!printed.contains("wJalrXUtnFEMI"), "{printed}");
        assert!(!printed.contains("hunter2-pw"), "{printed}");
    }
    let printed = format!("{credentials:?}");
    assert!(printed.contains("AKIAEXAMPLE") && printed.contains("password"));
    // The body does carry the secret: the server needs it.
    let request = create.to_request(&base(), &token()).unwrap();
    let body = String::from_utf8(request.body().clone()).unwrap();
    assert!(body.contains("wJalrXUtnFEMI") && body.contains("hunter2-pw"));
}

#[test]
fn credentials_refuse_duplicate_members() {
    let dup = r#"{"accessKeyId":"a","accessKeyId":"b"}"#;
    assert!(serde_json::from_str::<OriginCredentials>(dup).is_err());
}

// Round trips.

fn credentials() -> impl Strategy<Value = OriginCredentials> {
    (
        field(text()),
        field(text().prop_map(SecretText::new)),
        extra(assumed::DEPLOYMENTS_CREDENTIALS_MEMBERS),
    )
        .prop_map(
            |(access_key_id, secret_access_key, extra)| OriginCredentials {
                access_key_id,
                secret_access_key,
                extra,
            },
        )
}

fn origin_type() -> impl Strategy<Value = OriginType> {
    prop_oneof![
        Just(OriginType::S3),
        "[a-z0-9]{1,8}".prop_map(|s| OriginType::from(s.as_str()))
    ]
}

fn deployment() -> impl Strategy<Value = Deployment> {
    (
        (
            text(),
            field(origin_type()),
            field(text()),
            field(text()),
            field(credentials()),
            field(text()),
        ),
        (
            field(text()),
            field(text()),
            field(text()),
            field(text().prop_map(Timestamp::from)),
            field(text().prop_map(Timestamp::from)),
            extra(assumed::DEPLOYMENTS_MEMBERS),
        ),
    )
        .prop_map(
            |(
                (name, origin_type, endpoint, bucket, credentials, origin_prefix),
                (download_auth_group, status, message, created, updated, extra),
            )| Deployment {
                name,
                origin_type,
                endpoint,
                bucket,
                credentials,
                origin_prefix,
                download_auth_group,
                status,
                message,
                created,
                updated,
                extra,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn deployments_survive_a_round_trip(deployment in deployment()) {
        let json = serde_json::to_value(&deployment).unwrap();
        let back: Deployment = serde_json::from_value(json).unwrap();
        prop_assert_eq!(back, deployment);
    }

    #[test]
    fn credentials_survive_a_round_trip(credentials in credentials()) {
        let json = serde_json::to_string(&credentials).unwrap();
        let back: OriginCredentials = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, credentials);
    }

    #[test]
    fn unknown_members_survive_decode_and_encode(
        deployment in deployment(),
        more in extra(assumed::DEPLOYMENTS_MEMBERS),
        more_credentials in extra(assumed::DEPLOYMENTS_CREDENTIALS_MEMBERS),
    ) {
        let mut json = serde_json::to_value(&deployment).unwrap();
        let object = json.as_object_mut().unwrap();
        object.extend(more);
        object.insert("credentials".into(), Value::Object(more_credentials.into_map()));
        let decoded: Deployment = serde_json::from_value(json.clone()).unwrap();
        prop_assert_eq!(serde_json::to_value(&decoded).unwrap(), json);
    }
}

#[test]
fn an_empty_origin_type_is_refused() {
    use rockit_edge::deployments::CreateDeployment;

    assert_eq!(
        input_error(&CreateDeployment::new("gcore", "")),
        "origin type"
    );
}

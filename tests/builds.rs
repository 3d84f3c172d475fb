//! Builds: the import request in both modes, its answer, and the models' JSON round trip.

mod common;

use http::{Method, StatusCode};
use proptest::prelude::*;
use rockit_edge::assumed::builds as assumed;
use rockit_edge::builds::{build_name, BuildImport, ImportBuild, ImportedBuild};
use rockit_edge::{Endpoint, Error, Extra};
use serde_json::{json, Value};

use common::strategies::{extra_of, field, json_leaf_of, text};
use common::{answer, api_key, base, fixture, token};

/// Builds the request with both kinds of backend credentials, checks method, URI and
/// headers, and returns the body as JSON.
fn body_of(import: &ImportBuild) -> Value {
    let with_key = import.to_request(&base(), &api_key()).unwrap();
    assert_eq!(with_key.headers()["x-rockit-api-key"], "k3y");
    assert_eq!(with_key.headers()["x-rockit-orgname"], "ExampleOrg");
    assert_eq!(with_key.headers()["x-rockit-username"], "ci_bot");

    let request = import.to_request(&base(), &token()).unwrap();
    assert_eq!(request.method(), Method::POST);
    assert_eq!(request.uri(), "https://edge.example.com/be/v1/builds");
    assert_eq!(request.headers()["x-rockit-beauth-token"], "t0k");
    assert!(!request.headers().contains_key("x-rockit-api-key"));
    assert_eq!(request.headers()["content-type"], "application/json");
    assert_eq!(with_key.body(), request.body());
    serde_json::from_slice(request.body()).unwrap()
}

fn input_error(import: &ImportBuild) -> (String, String) {
    match import.to_request(&base(), &token()) {
        Err(Error::Input(e)) => (e.what().to_owned(), e.to_string()),
        other => panic!("expected an input error, got {other:?}"),
    }
}

const SIGNED: &str = "https://rockitplay-demo.akamaized.net/engine-fixtures/sushi/native-build.tar\
                      ?token=exp=2041235666~acl=/engine-fixtures/sushi/*~hmac=df869da8";

#[test]
fn a_download_sends_app_url_and_size() {
    assert_eq!(
        body_of(&ImportBuild::download("sushi", SIGNED)),
        json!({"appName": "sushi", "url": SIGNED})
    );
    assert_eq!(
        body_of(&ImportBuild::download("sushi", SIGNED).size(1_788_272_645)),
        json!({"appName": "sushi", "url": SIGNED, "size": 1_788_272_645_u64})
    );
}

#[test]
fn an_upload_sends_the_app_only() {
    assert_eq!(
        body_of(&ImportBuild::upload("sushi")),
        json!({"appName": "sushi"})
    );
    assert_eq!(
        body_of(&ImportBuild::upload("sushi").member("label", json!("nightly"))),
        json!({"appName": "sushi", "label": "nightly"})
    );
}

#[test]
fn bad_input_is_refused_before_sending_and_never_echoed() {
    for bad in [
        "ftp://files.example.com/b.tar",
        "files.example.com/b.tar",
        "https:///b.tar",
        "https://files.example.com/b c.tar",
    ] {
        let (what, message) = input_error(&ImportBuild::download("sushi", bad));
        assert_eq!(what, "build URL");
        assert!(!message.contains("files.example.com"), "{message}");
    }
    assert_eq!(
        input_error(&ImportBuild::download("su-shi", SIGNED)).0,
        "app name"
    );
    assert_eq!(input_error(&ImportBuild::upload("")).0, "app name");
    assert_eq!(
        input_error(&ImportBuild::download("sushi", SIGNED).size(0)).0,
        "build size"
    );
}

#[test]
fn the_answer_names_the_build_and_its_task() {
    let build = ImportBuild::download("sushi", SIGNED)
        .decode(&answer(200, fixture("builds_import_200.json")))
        .unwrap();
    assert_eq!(build.name.get().unwrap(), &build_name(4));
    assert_eq!(build.app_name.get().unwrap(), "sushi");
    assert_eq!(
        build.task_name.get().unwrap(),
        "ExampleOrg-sushi-0004-1739290001-dltar"
    );
    assert!(build.upload_url.is_absent());
}

#[test]
fn the_upload_answer_hands_back_the_upload_url() {
    let build = ImportBuild::upload("sushi")
        .decode(&answer(200, fixture("builds_upload_200.json")))
        .unwrap();
    assert_eq!(
        build.upload_url.get().unwrap(),
        "https://uploads.edge.example.com/t/5b0f6a3e9d1c?expires=1739293601&sig=9f2c41"
    );
    assert_eq!(build.extra["uploadExpires"], "2025-02-11T17:06:41.000Z");
}

#[test]
fn an_unknown_app_is_an_api_error() {
    let body = br#"{"status":"error","code":"not-found","message":"no app sushi"}"#;
    let err = ImportBuild::upload("sushi")
        .decode(&answer(404, body.to_vec()))
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(err.code().map(|c| c.as_str()), Some("not-found"));
}

#[test]
fn build_names_have_at_least_four_digits() {
    assert_eq!(build_name(0), "0000");
    assert_eq!(build_name(1), "0001");
    assert_eq!(build_name(999), "0999");
    assert_eq!(build_name(10_000), "10000");
}

// Round trips.

/// Up to three members a model does not type, holding scalars whose strings are [`text`].
fn extra(typed: &'static [&'static str]) -> impl Strategy<Value = Extra> {
    extra_of(typed, json_leaf_of(text()), 0..4)
}

fn import() -> impl Strategy<Value = BuildImport> {
    (
        text(),
        field(text()),
        field(any::<u64>()),
        extra(assumed::BUILDS_IMPORT_MEMBERS),
    )
        .prop_map(|(app_name, url, size, extra)| BuildImport {
            app_name,
            url,
            size,
            extra,
        })
}

fn imported() -> impl Strategy<Value = ImportedBuild> {
    (
        field(text()),
        field(text()),
        field(text()),
        field(text()),
        extra(assumed::BUILDS_IMPORTED_MEMBERS),
    )
        .prop_map(
            |(name, app_name, task_name, upload_url, extra)| ImportedBuild {
                name,
                app_name,
                task_name,
                upload_url,
                extra,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn imports_survive_a_round_trip(import in import(), imported in imported()) {
        let back: BuildImport = serde_json::from_str(&serde_json::to_string(&import).unwrap()).unwrap();
        prop_assert_eq!(back, import);
        let back: ImportedBuild =
            serde_json::from_str(&serde_json::to_string(&imported).unwrap()).unwrap();
        prop_assert_eq!(back, imported);
    }

    #[test]
    fn unknown_members_survive_decode_and_encode(
        imported in imported(),
        more in extra(assumed::BUILDS_IMPORTED_MEMBERS),
    ) {
        let mut json = serde_json::to_value(&imported).unwrap();
        json.as_object_mut().unwrap().extend(more);
        let decoded: ImportedBuild = serde_json::from_value(json.clone()).unwrap();
        prop_assert_eq!(serde_json::to_value(&decoded).unwrap(), json);
    }

    #[test]
    fn build_names_read_back_as_their_number(number in any::<u64>()) {
        let name = build_name(number);
        prop_assert!(name.len() >= 4);
        prop_assert_eq!(name.parse::<u64>().unwrap(), number);
    }
}

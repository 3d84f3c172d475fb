//! Apps: the requests each endpoint builds, how answers decode, and that the models survive a
//! JSON round trip.

mod common;

use std::collections::BTreeMap;

use http::{Method, StatusCode};
use proptest::prelude::*;
use rockit_edge::apps::{
    App, AppChanges, AppDeployment, CreateApp, DeleteApp, GetApp, ListApps, NewApp, Patch,
    PatchApp, DEFAULT_MAX_BUILDS,
};
use rockit_edge::assumed::apps as assumed;
use rockit_edge::tasks::Timestamp;
use rockit_edge::{Endpoint, Error, ErrorCode, Field};
use serde_json::{json, Value};

use common::strategies::{extra, field, json_value, text};
use common::{answer, built, fixture, gw_base as base, gw_input_error_what as input_error, token};

const URI: &str = "https://edge.example.com/gw/be/v1/apps";

#[test]
fn create_sends_name_label_and_max_builds_when_given() {
    let body = built(&CreateApp::new("sushi", "Sushi Shop"), Method::POST, URI).unwrap();
    assert_eq!(body, json!({"name": "sushi", "label": "Sushi Shop"}));

    let create = CreateApp::new("ramen_2", "Ramen Rush")
        .max_builds(DEFAULT_MAX_BUILDS + 3)
        .member("tier", json!("gold"));
    let body = built(&create, Method::POST, URI).unwrap();
    assert_eq!(
        body,
        json!({"name": "ramen_2", "label": "Ramen Rush", "maxBuilds": 8, "tier": "gold"})
    );
}

#[test]
fn create_refuses_bad_names_labels_and_max_builds() {
    for bad in ["s", "sushi-shop", "sushi shop", "", &"a".repeat(51)] {
        assert_eq!(input_error(&CreateApp::new(bad, "Sushi")), "app name");
    }
    assert_eq!(input_error(&CreateApp::new("sushi", " ")), "app label");
    assert_eq!(
        input_error(&CreateApp::new("sushi", "Sushi").max_builds(0)),
        "max builds"
    );
    assert!(CreateApp::new("sushi", "Sushi")
        .max_builds(1)
        .to_request(&base(), &token())
        .is_ok());
}

#[test]
fn create_decodes_the_answer_and_a_taken_name() {
    let create = CreateApp::new("ramen", "Ramen Rush");
    let ok = create
        .decode(&answer(200, fixture("apps_create_200.json")))
        .unwrap();
    assert_eq!(ok["app"]["maxBuilds"], 8);
    let err = create
        .decode(&answer(409, fixture("apps_create_409.json")))
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::CONFLICT));
    assert_eq!(
        err.code(),
        Some(&ErrorCode::from(assumed::APPS_EXISTS_CODE))
    );
}

#[test]
fn get_sends_the_name_and_each_field_as_its_own_pair() {
    built(
        &GetApp::new("sushi"),
        Method::GET,
        "https://edge.example.com/gw/be/v1/apps/sushi",
    );
    built(
        &GetApp::new("sushi")
            .fields(["name", "label"])
            .fields(vec![String::from("iCurBuild")]),
        Method::GET,
        "https://edge.example.com/gw/be/v1/apps/sushi\
         ?fields%5B%5D=name&fields%5B%5D=label&fields%5B%5D=iCurBuild",
    );
    for bad in ["", "..", "a/b", "sushi?x", "sushi%2F", "s"] {
        assert_eq!(input_error(&GetApp::new(bad)), "app name");
    }
    assert_eq!(input_error(&GetApp::new("sushi").fields([""])), "field");
}

#[test]
fn get_decodes_every_named_member() {
    let app = GetApp::new("sushi")
        .decode(&answer(200, fixture("apps_get_200.json")))
        .unwrap();
    assert_eq!(app.name.get().unwrap(), "sushi");
    assert_eq!(app.label.get().unwrap(), "Sushi Shop");
    assert_eq!(app.i_cur_build.get(), Some(&3));
    assert_eq!(app.max_builds.get(), Some(&DEFAULT_MAX_BUILDS));
    assert_eq!(app.processing.get(), Some(&false));
    assert_eq!(app.exporting.get(), Some(&false));
    assert_eq!(app.size_bytes.get(), Some(&5_364_817_935));
    assert_eq!(
        app.created.get().map(Timestamp::as_str),
        Some("2025-01-20T08:05:12.331Z")
    );
    assert_eq!(app.dxf_name.get().unwrap(), "sushi-dxf-0003");
    let patches: Vec<(u64, u64)> = app
        .patches
        .get()
        .unwrap()
        .iter()
        .map(|p| {
            (
                *p.from_build_id.get().unwrap(),
                *p.to_build_id.get().unwrap(),
            )
        })
        .collect();
    assert_eq!(patches, [(1, 3), (2, 3)]);
    assert!(app.error.is_null());
    assert!(!app.in_error());
    let gcore = &app.deployments.get().unwrap()["gcore"];
    assert_eq!(gcore.status.get().unwrap(), "ok");
    assert!(app.extra.is_empty());
}

#[test]
fn get_decodes_a_partial_app() {
    let body = br#"{"status":"success","app":{"label":"Sushi Shop"}}"#;
    let app = GetApp::new("sushi")
        .fields(["label"])
        .decode(&answer(200, body.to_vec()))
        .unwrap();
    assert!(app.name.is_absent());
    assert_eq!(app.label.get().unwrap(), "Sushi Shop");
}

#[test]
fn get_names_the_member_that_fails_to_decode() {
    let body = br#"{"status":"success","app":{"name":"sushi","iCurBuild":"three"}}"#;
    let err = GetApp::new("sushi")
        .decode(&answer(200, body.to_vec()))
        .unwrap_err();
    match err {
        Error::Decode(e) => assert_eq!(e.path(), "app.iCurBuild"),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[test]
fn list_sends_paging_and_fields() {
    built(&ListApps::new(), Method::GET, URI);
    built(
        &ListApps::new()
            .offset(0)
            .limit(25)
            .fields(["name", "sizeBytes"])
            .param("label", "Sushi Shop"),
        Method::GET,
        &format!(
            "{URI}?offset=0&limit=25&fields%5B%5D=name&fields%5B%5D=sizeBytes&label=Sushi%20Shop"
        ),
    );
    assert_eq!(input_error(&ListApps::new().limit(0)), "limit");
}

#[test]
fn list_decodes_apps_in_error_and_unknown_members() {
    let page = ListApps::new()
        .decode(&answer(200, fixture("apps_list_200.json")))
        .unwrap();
    assert_eq!(page.total(), Some(2));
    let ramen = &page.items[0];
    assert!(!ramen.in_error());
    assert!(ramen.deployments.get().unwrap().is_empty());
    let sushi = &page.items[1];
    assert!(sushi.in_error());
    assert_eq!(sushi.error.get().unwrap()["deployment"], "gcore");
    assert_eq!(sushi.extra["tier"], "gold");
    assert_eq!(
        sushi.deployments.get().unwrap()["gcore"]
            .status
            .get()
            .unwrap(),
        "error"
    );
}

#[test]
fn patch_sends_label_and_deployment_changes() {
    let body = built(
        &PatchApp::new("sushi").label("Sushi Shop Deluxe"),
        Method::PATCH,
        URI,
    )
    .unwrap();
    assert_eq!(body, json!({"name": "sushi", "label": "Sushi Shop Deluxe"}));

    let mut settings = AppDeployment::default();
    settings.extra.insert("enabled".into(), json!(false));
    let patch = PatchApp::new("sushi")
        .register("gcore")
        .register_with("akamai[eu]", settings)
        .deregister("fastly")
        .member("note", json!("moved"));
    let body = built(&patch, Method::PATCH, URI).unwrap();
    assert_eq!(
        body,
        json!({
            "name": "sushi",
            "deployments": {"gcore": {}, "akamai[eu]": {"enabled": false}, "fastly": null},
            "note": "moved",
        })
    );

    // The last word on a deployment wins.
    let body = built(
        &PatchApp::new("sushi").register("gcore").deregister("gcore"),
        Method::PATCH,
        URI,
    )
    .unwrap();
    assert_eq!(
        body,
        json!({"name": "sushi", "deployments": {"gcore": null}})
    );
}

#[test]
fn patch_refuses_empty_changes_and_bad_names() {
    assert_eq!(input_error(&PatchApp::new("sushi")), "app changes");
    assert_eq!(input_error(&PatchApp::new("su shi").label("x")), "app name");
    assert_eq!(input_error(&PatchApp::new("sushi").label("")), "app label");
    assert_eq!(
        input_error(&PatchApp::new("sushi").register("g/core")),
        "deployment name"
    );
}

#[test]
fn patch_and_delete_decode_their_answers() {
    let patched = PatchApp::new("sushi")
        .label("Sushi Shop Deluxe")
        .decode(&answer(200, fixture("apps_patch_200.json")))
        .unwrap();
    assert_eq!(patched["app"]["label"], "Sushi Shop Deluxe");

    let deleted = DeleteApp::new("sushi")
        .decode(&answer(200, fixture("apps_delete_200.json")))
        .unwrap();
    assert!(deleted.is_empty());
}

#[test]
fn delete_checks_the_name() {
    built(
        &DeleteApp::new("sushi_2"),
        Method::DELETE,
        "https://edge.example.com/gw/be/v1/apps/sushi_2",
    );
    for bad in ["", "x", "a/b", "sushi[1]", "..", "sushi\n"] {
        assert_eq!(input_error(&DeleteApp::new(bad)), "app name");
    }
}

#[test]
fn a_body_that_does_not_report_success_is_an_error() {
    let body = br#"{"status":"token-expired","message":"token expired"}"#;
    let err = DeleteApp::new("sushi")
        .decode(&answer(200, body.to_vec()))
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::TokenExpired));
}

// Round trips.

fn app_deployment() -> impl Strategy<Value = AppDeployment> {
    (
        field(text()),
        field(text()),
        extra(assumed::APPS_DEPLOYMENT_MEMBERS),
    )
        .prop_map(|(status, message, extra)| AppDeployment {
            status,
            message,
            extra,
        })
}

fn patch() -> impl Strategy<Value = Patch> {
    (
        field(any::<u64>()),
        field(any::<u64>()),
        extra(Patch::MEMBERS),
    )
        .prop_map(|(from_build_id, to_build_id, extra)| Patch {
            from_build_id,
            to_build_id,
            extra,
        })
}

fn app() -> impl Strategy<Value = App> {
    let timestamp = || field(text().prop_map(Timestamp::from));
    (
        (
            field(text()),
            field(text()),
            field(any::<u64>()),
            field(any::<u64>()),
            field(any::<bool>()),
            field(any::<bool>()),
            field(any::<u64>()),
        ),
        (
            timestamp(),
            timestamp(),
            field(text()),
            field(prop::collection::vec(patch(), 0..3)),
            // A `null` error decodes as `Field::Null`, never as a `null` value.
            field(json_value().prop_filter("not null", |v| !v.is_null())),
            field(prop::collection::btree_map(
                "[a-z_]{2,8}",
                app_deployment(),
                0..3,
            )),
            extra(assumed::APPS_APP_MEMBERS),
        ),
    )
        .prop_map(
            |(
                (name, label, i_cur_build, max_builds, processing, exporting, size_bytes),
                (created, updated, dxf_name, patches, error, deployments, extra),
            )| App {
                name,
                label,
                i_cur_build,
                max_builds,
                processing,
                exporting,
                size_bytes,
                created,
                updated,
                dxf_name,
                patches,
                error,
                deployments,
                extra,
            },
        )
}

fn new_app() -> impl Strategy<Value = NewApp> {
    (text(), text(), field(any::<u64>()), extra(NewApp::MEMBERS)).prop_map(
        |(name, label, max_builds, extra)| NewApp {
            name,
            label,
            max_builds,
            extra,
        },
    )
}

fn app_changes() -> impl Strategy<Value = AppChanges> {
    (
        text(),
        field(text()),
        field(prop::collection::btree_map(
            "[a-z\\[\\]]{2,8}",
            field(app_deployment()).prop_filter("absent entries are not sent", |f| !f.is_absent()),
            0..3,
        )),
        extra(assumed::APPS_PATCH_MEMBERS),
    )
        .prop_map(|(name, label, deployments, extra)| AppChanges {
            name,
            label,
            deployments,
            extra,
        })
}

fn model_survives<T>(model: &T) -> Result<(), TestCaseError>
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let json = serde_json::to_string(model).unwrap();
    let back: T = serde_json::from_str(&json).unwrap();
    prop_assert_eq!(&back, model);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn apps_survive_a_round_trip(app in app()) {
        model_survives(&app)?;
    }

    #[test]
    fn request_bodies_survive_a_round_trip(new in new_app(), changes in app_changes()) {
        model_survives(&new)?;
        model_survives(&changes)?;
    }

    #[test]
    fn parts_survive_a_round_trip(deployment in app_deployment(), patch in patch()) {
        model_survives(&deployment)?;
        model_survives(&patch)?;
    }

    #[test]
    fn unknown_members_survive_decode_and_encode(
        app in app(),
        more in extra(assumed::APPS_APP_MEMBERS),
        more_in_deployment in extra(assumed::APPS_DEPLOYMENT_MEMBERS),
        more_in_patch in extra(Patch::MEMBERS),
    ) {
        let mut json = serde_json::to_value(&app).unwrap();
        let object = json.as_object_mut().unwrap();
        object.extend(more);
        object.insert(
            "deployments".into(),
            json!({"gcore": Value::Object(more_in_deployment.into_map())}),
        );
        object.insert("patches".into(), json!([Value::Object(more_in_patch.into_map())]));
        let decoded: App = serde_json::from_value(json.clone()).unwrap();
        prop_assert_eq!(serde_json::to_value(&decoded).unwrap(), json);
    }
}

#[test]
fn a_registration_map_keeps_null_apart_from_a_value() {
    let changes: AppChanges =
        serde_json::from_str(r#"{"name":"sushi","deployments":{"a":null,"b":{}}}"#).unwrap();
    let deployments: &BTreeMap<String, Field<AppDeployment>> = changes.deployments.get().unwrap();
    assert!(deployments["a"].is_null());
    assert_eq!(deployments["b"], Field::Value(AppDeployment::default()));
}

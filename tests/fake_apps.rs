//! The fake's apps through the client: list, fields, create, patch, delete, and the same
//! checks of names and credentials as the client makes.

mod common;

use http::Method;
use rockit_edge::apps::{CreateApp, DeleteApp, GetApp, ListApps, PatchApp, DEFAULT_MAX_BUILDS};
use rockit_edge::assumed::apps::APPS_EXISTS_CODE;
use rockit_edge::deployments::DeleteDeployment;
use rockit_edge::fake::FakeEdge;
use rockit_edge::raw::RawRequest;
use rockit_edge::tasks::ListTasks;
use rockit_edge::{Auth, Client};
use serde_json::json;

use common::api_error;

fn names(fake: &FakeEdge) -> Vec<String> {
    let apps = fake.client().send(&ListApps::new()).unwrap().items;
    apps.into_iter()
        .map(|a| a.name.into_option().unwrap())
        .collect()
}

#[test]
fn the_seeded_apps_are_those_of_the_seeded_tasks() {
    let fake = FakeEdge::seeded();
    assert_eq!(names(&fake), ["sushi", "ramen", "tempura"]);
    let task_apps = fake.client().send(&ListTasks::new().limit(50)).unwrap();
    for task in task_apps.items {
        assert!(names(&fake).contains(&task.app_name), "{}", task.app_name);
    }
    let ramen = fake.client().send(&GetApp::new("ramen")).unwrap();
    assert!(ramen.in_error());
    assert!(ramen.deployments.get().unwrap().contains_key("cdn_eu"));
}

#[test]
fn lists_page_and_echo_their_paging() {
    let fake = FakeEdge::seeded();
    let page = fake
        .client()
        .send(&ListApps::new().offset(1).limit(1))
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].name.get().unwrap(), "ramen");
    assert_eq!(page.total(), Some(3));
    assert_eq!(page.extra["offset"], 1);
    assert_eq!(page.extra["limit"], 1);
    let all: Vec<_> = fake
        .client()
        .all(ListApps::new().limit(2))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(all, fake.apps());
}

#[test]
fn fields_select_members() {
    let fake = FakeEdge::seeded();
    let app = fake
        .client()
        .send(&GetApp::new("sushi").fields(["name", "iCurBuild"]))
        .unwrap();
    assert_eq!(app.name.get().unwrap(), "sushi");
    assert_eq!(app.i_cur_build.get(), Some(&4));
    assert!(app.label.is_absent() && app.patches.is_absent());

    let page = fake
        .client()
        .send(&ListApps::new().fields(["label"]))
        .unwrap();
    assert!(page
        .items
        .iter()
        .all(|a| a.name.is_absent() && a.label.is_value()));

    let unknown = fake.client().send(&GetApp::new("sushi").fields(["colour"]));
    assert_eq!(api_error(unknown), (400, "invalid-param".into()));
}

#[test]
fn created_apps_start_empty_with_the_default_max_builds() {
    let fake = FakeEdge::new();
    let answer = fake.client().send(&CreateApp::new("pong", "Pong")).unwrap();
    assert_eq!(answer["app"]["name"], "pong");
    let app = fake.client().send(&GetApp::new("pong")).unwrap();
    assert_eq!(app.max_builds.get(), Some(&DEFAULT_MAX_BUILDS));
    assert_eq!(app.i_cur_build.get(), Some(&0));
    assert_eq!(app.label.get().unwrap(), "Pong");
    assert!(app.created.is_value() && !app.in_error());

    fake.client()
        .send(&CreateApp::new("pong_2", "Pong 2").max_builds(2))
        .unwrap();
    assert_eq!(fake.apps()[1].max_builds.get(), Some(&2));
}

#[test]
fn a_taken_name_is_a_conflict() {
    let fake = FakeEdge::seeded();
    let again = fake.client().send(&CreateApp::new("sushi", "Another"));
    assert_eq!(api_error(again), (409, APPS_EXISTS_CODE.into()));
    assert_eq!(fake.apps().len(), 3);
}

#[test]
fn the_fake_checks_what_the_client_checks() {
    let fake = FakeEdge::seeded();
    let raw = |method, path: &str, body| {
        fake.client()
            .send(&RawRequest::new(method, path).body(body))
    };
    for (body, code) in [
        (json!({"label": "x"}), "missing-param"),
        (json!({"name": "pong"}), "missing-param"),
        (json!({"name": "  ", "label": "x"}), "missing-param"),
        (json!({"name": "po-ng", "label": "x"}), "invalid-param"),
        (
            json!({"name": "pong", "label": "x", "maxBuilds": 0}),
            "invalid-param",
        ),
        (
            json!({"name": "pong", "label": "x", "maxBuilds": "5"}),
            "invalid-param",
        ),
    ] {
        let answer = raw(Method::POST, "/be/v1/apps", body.clone());
        assert_eq!(api_error(answer), (400, code.into()), "{body}");
    }
    let answer = fake
        .client()
        .send(&RawRequest::new(Method::GET, "/be/v1/apps/su-shi"));
    assert_eq!(api_error(answer), (400, "invalid-param".into()));
    let answer = fake
        .client()
        .send(&RawRequest::new(Method::PUT, "/be/v1/apps"));
    assert_eq!(api_error(answer), (405, "method-not-allowed".into()));
    assert_eq!(
        api_error(fake.client().send(&GetApp::new("udon"))),
        (404, "not-found".into())
    );
}

#[test]
fn credentials_are_checked_like_everywhere() {
    let fake = FakeEdge::seeded();
    let by_key = Client::new(fake.clone(), fake.base_url(), fake.api_key_credentials());
    assert_eq!(by_key.send(&ListApps::new()).unwrap().items.len(), 3);
    let none = fake
        .client()
        .send(&RawRequest::new(Method::GET, "/be/v1/apps").auth(Auth::None));
    assert_eq!(api_error(none), (401, "missing-credentials".into()));
    fake.expire_token(rockit_edge::fake::VALID_TOKEN);
    assert_eq!(
        api_error(fake.client().send(&GetApp::new("sushi"))),
        (401, "token-expired".into())
    );
}

#[test]
fn patches_change_the_label_and_the_registrations() {
    let fake = FakeEdge::seeded();
    let answer = fake
        .client()
        .send(
            &PatchApp::new("sushi")
                .label("Sushi Shop Deluxe")
                .register("cdn_eu")
                .deregister("gcore"),
        )
        .unwrap();
    assert_eq!(answer["app"]["label"], "Sushi Shop Deluxe");
    let sushi = fake.client().send(&GetApp::new("sushi")).unwrap();
    let registered: Vec<&String> = sushi.deployments.get().unwrap().keys().collect();
    assert_eq!(registered, ["cdn_eu"]);

    let unknown = fake
        .client()
        .send(&PatchApp::new("sushi").register("akamai"));
    assert_eq!(api_error(unknown), (404, "not-found".into()));
    let no_app = fake.client().send(&PatchApp::new("udon").label("Udon"));
    assert_eq!(api_error(no_app), (404, "not-found".into()));
    let no_label = fake.client().send(
        &RawRequest::new(Method::PATCH, "/be/v1/apps")
            .body(json!({"name": "sushi", "label": null})),
    );
    assert_eq!(api_error(no_label), (400, "invalid-param".into()));
}

#[test]
fn deleting_an_app_removes_its_builds_and_frees_its_deployments() {
    let fake = FakeEdge::seeded();
    assert_eq!(fake.builds("sushi"), ["0001", "0002", "0004"]);
    let in_use = fake.client().send(&DeleteDeployment::new("gcore"));
    assert_eq!(api_error(in_use), (409, "deployment-in-use".into()));

    let answer = fake.client().send(&DeleteApp::new("sushi")).unwrap();
    assert!(answer.is_empty());
    assert!(fake.builds("sushi").is_empty());
    assert_eq!(names(&fake), ["ramen", "tempura"]);
    assert_eq!(
        api_error(fake.client().send(&GetApp::new("sushi"))),
        (404, "not-found".into())
    );
    assert_eq!(
        api_error(fake.client().send(&DeleteApp::new("sushi"))),
        (404, "not-found".into())
    );
    fake.client().send(&DeleteDeployment::new("gcore")).unwrap();
}

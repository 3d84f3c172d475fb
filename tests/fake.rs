//! The in-memory fake, spoken to through the client as any caller would.

mod common;

use http::{Method, Request, Response};
use rockit_edge::fake::{FakeEdge, VALID_API_KEY, VALID_ORG_NAME, VALID_TOKEN, VALID_USERNAME};
use rockit_edge::pager::Paged;
use rockit_edge::raw::RawRequest;
use rockit_edge::tasks::{AcknowledgeTask, ExpireTask, GetTask, ListTasks, Task, TaskType};
use rockit_edge::{Auth, BaseUrl, Client, Credentials, Endpoint, Error, ErrorCode, TransportError};
use serde_json::{json, Value};

use common::api_error;

const FIXTURE: &str = include_str!("fixtures/tasks_get_200.json");
const REFERENCE: &str = "ExampleOrg-sushi-0003-1739273968-dltar";
const SUSHI_MKRAW: &str = "ExampleOrg-sushi-0004-1739452800-mkraw";
const TEMPURA_DLTAR: &str = "ExampleOrg-tempura-0001-1741003200-dltar";

fn names(tasks: &[Task]) -> Vec<&str> {
    tasks.iter().map(|t| t.name.as_str()).collect()
}

fn list(fake: &FakeEdge, query: ListTasks) -> Vec<String> {
    let page = fake.client().send(&query).unwrap();
    page.items.into_iter().map(|t| t.name).collect()
}

#[test]
fn the_reference_task_is_served_as_the_reference_shows_it() {
    let fake = FakeEdge::seeded();
    let fixture: Value = serde_json::from_str(FIXTURE).unwrap();

    let task = fake.client().send(&GetTask::new(REFERENCE)).unwrap();
    assert_eq!(json!({"status": "success", "task": task}), fixture);

    let request = GetTask::new(REFERENCE)
        .to_request(&fake.base_url(), &fake.credentials())
        .unwrap();
    let response = fake.handle(&request);
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body: Value = serde_json::from_slice(response.body()).unwrap();
    assert_eq!(body, fixture);
}

#[test]
fn listing_defaults_to_ten_from_the_start_in_insertion_order() {
    let fake = FakeEdge::seeded();
    let page = fake.client().send(&ListTasks::new()).unwrap();
    assert_eq!(names(&page.items), names(&fake.tasks()));
    assert_eq!(page.items.len(), 8);
    assert_eq!(page.total(), Some(8));
    assert_eq!(page.extra["offset"], 0);
    assert_eq!(page.extra["limit"], 10);
}

#[test]
fn pages_walk_every_task_once() {
    let fake = FakeEdge::seeded();
    let client = fake.client();
    let query = ListTasks::new().limit(3);
    let mut seen = Vec::new();
    for offset in [0, 3, 6] {
        let page = client.send(&query.at_offset(offset)).unwrap();
        assert_eq!(page.total(), Some(8));
        assert_eq!(page.extra["offset"], offset);
        assert_eq!(page.extra["limit"], 3);
        seen.extend(page.items);
    }
    assert_eq!(names(&seen), names(&fake.tasks()));
    let beyond = client.send(&query.at_offset(100)).unwrap();
    assert!(beyond.items.is_empty());
    assert_eq!(beyond.total(), Some(8));
}

#[test]
fn each_filter_narrows_the_list() {
    let fake = FakeEdge::seeded();
    let sushi_0004 = [
        "ExampleOrg-sushi-0004-1739452800-dltar",
        SUSHI_MKRAW,
        "ExampleOrg-sushi-0004-1739452800-deploy",
    ];
    assert_eq!(
        list(&fake, ListTasks::new().app_name("ame")),
        [
            "ExampleOrg-ramen-0012-1740047400-dltar",
            "ExampleOrg-ramen-0012-1740047400-mkraw",
            "ExampleOrg-ramen-0012-1740047400-deploy",
        ]
    );
    assert!(list(&fake, ListTasks::new().app_name("Sushi")).is_empty());
    assert_eq!(
        list(
            &fake,
            ListTasks::new().group("ExampleOrg-sushi-0004-1739452800")
        ),
        sushi_0004
    );
    assert_eq!(
        list(&fake, ListTasks::new().status("running")),
        ["ExampleOrg-sushi-0004-1739452800-deploy", TEMPURA_DLTAR]
    );
    assert_eq!(
        list(&fake, ListTasks::new().task_type(TaskType::Mkraw)),
        [SUSHI_MKRAW, "ExampleOrg-ramen-0012-1740047400-mkraw"]
    );
    assert_eq!(
        list(
            &fake,
            ListTasks::new().created_from("2025-02-20T10:38:55.902Z")
        ),
        ["ExampleOrg-ramen-0012-1740047400-deploy", TEMPURA_DLTAR]
    );
    assert_eq!(
        list(
            &fake,
            ListTasks::new().created_to("2025-02-13T13:24:12.204Z")
        ),
        [
            REFERENCE,
            "ExampleOrg-sushi-0004-1739452800-dltar",
            SUSHI_MKRAW
        ]
    );
    let both = ListTasks::new()
        .app_name("sushi")
        .status("finished")
        .created_from("2025-02-13T00:00:00.000Z")
        .created_to("2025-02-13T23:59:59.999Z");
    assert_eq!(
        list(&fake, both),
        ["ExampleOrg-sushi-0004-1739452800-dltar"]
    );

    let page = fake
        .client()
        .send(&ListTasks::new().status("failed").limit(1))
        .unwrap();
    assert_eq!(names(&page.items), [REFERENCE]);
    assert_eq!(page.total(), Some(2));
}

#[test]
fn a_group_member_of_the_task_wins_over_its_name() {
    let fake = FakeEdge::seeded();
    let mut task = fake.task(TEMPURA_DLTAR).unwrap();
    task.extra.insert("group".into(), json!("nightly"));
    fake.insert_task(task);
    assert_eq!(
        list(&fake, ListTasks::new().group("nightly")),
        [TEMPURA_DLTAR]
    );
    assert!(list(
        &fake,
        ListTasks::new().group("ExampleOrg-tempura-0001-1741003200")
    )
    .is_empty());
}

#[test]
fn lists_sort_by_name_and_creation_time() {
    let fake = FakeEdge::seeded();
    let mut by_name: Vec<String> = fake.tasks().into_iter().map(|t| t.name).collect();
    by_name.sort();
    assert_eq!(
        list(&fake, ListTasks::new().order_by("name", false)),
        by_name
    );
    by_name.reverse();
    assert_eq!(
        list(&fake, ListTasks::new().order_by("name", true)),
        by_name
    );

    let newest_first = list(&fake, ListTasks::new().order_by("created", true).limit(2));
    assert_eq!(
        newest_first,
        [TEMPURA_DLTAR, "ExampleOrg-ramen-0012-1740047400-deploy"]
    );

    let (status, code) = api_error(
        fake.client()
            .send(&ListTasks::new().order_by("size", false)),
    );
    assert_eq!((status, code.as_str()), (400, "invalid-param"));
}

#[test]
fn bad_paging_values_are_refused_and_unknown_parameters_ignored() {
    let fake = FakeEdge::seeded();
    let client = fake.client();
    for (key, value) in [
        ("limit", "0"),
        ("limit", "-1"),
        ("limit", "ten"),
        ("limit", ""),
        ("offset", "-1"),
        ("offset", "1.5"),
    ] {
        let (status, code) = api_error(client.send(&ListTasks::new().param(key, value)));
        assert_eq!(
            (status, code.as_str()),
            (400, "invalid-param"),
            "{key}={value}"
        );
    }
    let twice = ListTasks::new().limit(2).param("limit", "3");
    assert_eq!(api_error(client.send(&twice)).1, "invalid-param");

    let page = client
        .send(&ListTasks::new().param("colour", "blue").limit(1))
        .unwrap();
    assert_eq!(page.items.len(), 1);
}

#[test]
fn acknowledging_marks_the_alert_and_answers_the_task() {
    let fake = FakeEdge::seeded();
    let answer = fake
        .client()
        .send(&AcknowledgeTask::new(SUSHI_MKRAW))
        .unwrap();
    assert_eq!(answer["task"]["name"], SUSHI_MKRAW);
    assert_eq!(answer["task"]["alert"]["acknowledged"], true);
    assert!(answer["task"]["alert"]["exception"]["fileReadFailed"].is_object());

    let task = fake.task(SUSHI_MKRAW).unwrap();
    assert_eq!(task.alert.get().unwrap().extra["acknowledged"], true);
    assert_eq!(task.status.as_str(), "warning");

    let (status, code) = api_error(fake.client().send(&AcknowledgeTask::new(TEMPURA_DLTAR)));
    assert_eq!((status, code.as_str()), (409, "invalid-state"));
    assert!(fake.task(TEMPURA_DLTAR).unwrap().alert.is_absent());
}

#[test]
fn expiring_sets_the_state_and_a_finish_time_once() {
    let fake = FakeEdge::seeded();
    let client = fake.client();

    let answer = client.send(&ExpireTask::new(TEMPURA_DLTAR)).unwrap();
    assert_eq!(answer["task"]["status"], "expired");
    let finished = answer["task"]["steps"]["finished"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        finished.len(),
        "2025-02-11T11:39:31.541Z".len(),
        "{finished}"
    );
    assert!(finished.ends_with('Z'), "{finished}");
    let task = client.send(&GetTask::new(TEMPURA_DLTAR)).unwrap();
    assert_eq!(task.status.as_str(), "expired");
    assert_eq!(task.steps.finished.get().unwrap().as_str(), finished);

    client.send(&ExpireTask::new(REFERENCE)).unwrap();
    let task = fake.task(REFERENCE).unwrap();
    assert_eq!(task.status.as_str(), "expired");
    assert_eq!(
        task.steps.finished.get().unwrap().as_str(),
        "2025-02-11T11:40:52.577Z"
    );
    assert_eq!(list(&fake, ListTasks::new().status("expired")).len(), 2);
}

#[test]
fn changing_an_unknown_task_is_not_found() {
    let fake = FakeEdge::seeded();
    for result in [
        fake.client().send(&ExpireTask::new("nope")),
        fake.client().send(&AcknowledgeTask::new("nope")),
    ] {
        let (status, code) = api_error(result);
        assert_eq!((status, code.as_str()), (404, "not-found"));
    }
}

#[test]
fn patch_bodies_are_checked() {
    let fake = FakeEdge::seeded();
    let client = fake.client();
    let patch = |body: Value| RawRequest::new(Method::PATCH, "/be/v1/tasks").body(body);

    let err = client.send(&patch(json!({"expire": true}))).unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::MissingParam));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    for body in [
        json!({"name": REFERENCE}),
        json!({"name": REFERENCE, "expire": true, "acknowledge": true}),
        json!({"name": REFERENCE, "expire": 1}),
    ] {
        let (status, code) = api_error(client.send(&patch(body.clone())));
        assert_eq!((status, code.as_str()), (400, "invalid-param"), "{body}");
    }
    let (status, code) = api_error(client.send(&patch(json!("expire it"))));
    assert_eq!((status, code.as_str()), (400, "invalid-body"));

    let mut request = patch(json!({}))
        .to_request(&fake.base_url(), &fake.credentials())
        .unwrap();
    *request.body_mut() = b"name=x&expire=true".to_vec();
    let response = fake.handle(&request);
    assert_eq!(response.status(), 400);
    let body: Value = serde_json::from_slice(response.body()).unwrap();
    assert_eq!(body["status"], "error");
    assert_eq!(body["code"], "invalid-body");
    assert!(body["message"].is_string());

    assert_eq!(fake.task(REFERENCE).unwrap().status.as_str(), "failed");
}

#[test]
fn a_missing_task_name_is_a_missing_parameter() {
    let fake = FakeEdge::seeded();
    let err = fake
        .client()
        .send(&RawRequest::new(Method::GET, "/be/v1/tasks/"))
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::MissingParam));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
}

#[test]
fn unknown_tasks_and_paths_are_not_found_and_wrong_methods_not_allowed() {
    let fake = FakeEdge::seeded();
    let client = fake.client();
    let (status, code) = api_error(client.send(&GetTask::new("ExampleOrg-sushi-9999-1-dltar")));
    assert_eq!((status, code.as_str()), (404, "not-found"));
    for path in ["/be/v1/nothing", "/be/v1/tasksx", "/be/v1/tasks/a/b", "/"] {
        let (status, code) = api_error(client.send(&RawRequest::new(Method::GET, path)));
        assert_eq!((status, code.as_str()), (404, "not-found"), "{path}");
    }
    for (method, path, allow) in [
        (Method::DELETE, "/be/v1/tasks", "GET, PATCH"),
        (Method::POST, "/be/v1/tasks", "GET, PATCH"),
        (Method::PATCH, "/be/v1/tasks/x", "GET"),
    ] {
        let request = RawRequest::new(method.clone(), path)
            .to_request(&fake.base_url(), &fake.credentials())
            .unwrap();
        let response = fake.handle(&request);
        assert_eq!(response.status(), 405, "{method} {path}");
        assert_eq!(response.headers()["allow"], allow);
        let body: Value = serde_json::from_slice(response.body()).unwrap();
        assert_eq!(body["code"], "method-not-allowed");
    }
}

#[test]
fn task_names_are_percent_decoded_from_the_path() {
    let fake = FakeEdge::new();
    let mut task = FakeEdge::seeded().task(REFERENCE).unwrap();
    task.name = "odd/name 100% caf\u{e9}+".into();
    fake.insert_task(task);
    let got = fake
        .client()
        .send(&GetTask::new("odd/name 100% caf\u{e9}+"))
        .unwrap();
    assert_eq!(got.name, "odd/name 100% caf\u{e9}+");
    let (status, _) = api_error(
        fake.client()
            .send(&GetTask::new("odd/name 100% caf\u{e9} ")),
    );
    assert_eq!(status, 404);
}

#[test]
fn a_new_fake_starts_empty_and_holds_what_is_inserted() {
    let fake = FakeEdge::new();
    assert!(fake.tasks().is_empty());
    let page = fake.client().send(&ListTasks::new()).unwrap();
    assert!(page.items.is_empty());
    assert_eq!(page.total(), Some(0));

    let seeded = FakeEdge::seeded().tasks();
    for task in seeded.iter().rev() {
        fake.insert_task(task.clone());
    }
    let mut changed = seeded[3].clone();
    changed.status = "finished".into();
    fake.insert_task(changed);
    let held = fake.tasks();
    assert_eq!(held.len(), 8);
    assert_eq!(held[0].name, seeded[7].name);
    assert_eq!(held[4].name, seeded[3].name);
    assert_eq!(held[4].status.as_str(), "finished");
}

#[test]
fn clones_share_one_state_and_count_requests() {
    fn shareable<T: Send + Sync + Clone>(_: &T) {}
    let fake = FakeEdge::seeded();
    let other = fake.clone();
    shareable(&other);
    assert_eq!(fake.requests(), 0);
    other.client().send(&ExpireTask::new(REFERENCE)).unwrap();
    other.client().send(&GetTask::new("nope")).unwrap_err();
    assert_eq!(fake.task(REFERENCE).unwrap().status.as_str(), "expired");
    assert_eq!(fake.requests(), 2);
}

#[test]
fn any_host_reaches_the_fake() {
    let fake = FakeEdge::seeded();
    let base = BaseUrl::parse("https://edge.example.com:8443").unwrap();
    let client = Client::new(fake.clone(), base, fake.credentials());
    assert_eq!(
        client.send(&GetTask::new(REFERENCE)).unwrap().name,
        REFERENCE
    );
}

#[test]
fn tokens_and_api_keys_are_both_accepted() {
    let fake = FakeEdge::seeded();
    let by_token = fake.client();
    let by_key = Client::new(fake.clone(), fake.base_url(), fake.api_key_credentials());
    assert_eq!(
        by_token.send(&GetTask::new(REFERENCE)).unwrap().name,
        REFERENCE
    );
    assert_eq!(
        by_key.send(&GetTask::new(REFERENCE)).unwrap().name,
        REFERENCE
    );
    assert_eq!(
        fake.credentials(),
        Credentials::backend_token(VALID_TOKEN).unwrap()
    );
    assert_eq!(
        fake.api_key_credentials(),
        Credentials::api_key(VALID_ORG_NAME, VALID_USERNAME, VALID_API_KEY).unwrap()
    );
}

/// A transport that changes the request's headers before the fake answers it.
fn with_headers(
    fake: &FakeEdge,
    change: fn(&mut http::HeaderMap),
) -> impl Fn(Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
    let fake = fake.clone();
    move |mut request: Request<Vec<u8>>| {
        change(request.headers_mut());
        Ok(fake.handle(&request))
    }
}

#[test]
fn a_token_and_an_api_key_together_are_refused() {
    let fake = FakeEdge::seeded();
    let transport = with_headers(&fake, |headers| {
        headers.insert("x-rockit-orgname", VALID_ORG_NAME.parse().unwrap());
        headers.insert("x-rockit-username", VALID_USERNAME.parse().unwrap());
        headers.insert("x-rockit-api-key", VALID_API_KEY.parse().unwrap());
    });
    let client = Client::new(transport, fake.base_url(), fake.credentials());
    let (status, code) = api_error(client.send(&GetTask::new(REFERENCE)));
    assert_eq!((status, code.as_str()), (400, "conflicting-credentials"));
}

#[test]
fn no_credentials_or_part_of_an_api_key_are_missing_credentials() {
    let fake = FakeEdge::seeded();
    let anonymous = RawRequest::new(Method::GET, "/be/v1/tasks").auth(Auth::None);
    let (status, code) = api_error(fake.client().send(&anonymous));
    assert_eq!((status, code.as_str()), (401, "missing-credentials"));

    for change in [
        (|h: &mut http::HeaderMap| {
            h.remove("x-rockit-api-key");
        }) as fn(&mut http::HeaderMap),
        |h| {
            h.remove("x-rockit-orgname");
        },
        |h| {
            h.remove("x-rockit-orgname");
            h.remove("x-rockit-username");
        },
    ] {
        let transport = with_headers(&fake, change);
        let client = Client::new(transport, fake.base_url(), fake.api_key_credentials());
        let (status, code) = api_error(client.send(&GetTask::new(REFERENCE)));
        assert_eq!((status, code.as_str()), (401, "missing-credentials"));
    }
}

#[test]
fn unknown_tokens_and_keys_are_invalid() {
    let fake = FakeEdge::seeded();
    for credentials in [
        Credentials::backend_token("not-the-token").unwrap(),
        Credentials::api_key(VALID_ORG_NAME, VALID_USERNAME, "not-the-key").unwrap(),
        Credentials::api_key("OtherOrg", VALID_USERNAME, VALID_API_KEY).unwrap(),
        Credentials::api_key(VALID_ORG_NAME, "someoneElse", VALID_API_KEY).unwrap(),
    ] {
        let client = Client::new(fake.clone(), fake.base_url(), credentials.clone());
        let (status, code) = api_error(client.send(&ListTasks::new()));
        assert_eq!(
            (status, code.as_str()),
            (401, "invalid-token"),
            "{credentials:?}"
        );
    }
}

#[test]
fn an_expired_token_is_token_expired() {
    let fake = FakeEdge::seeded();
    let client = fake.client();
    fake.expire_token(VALID_TOKEN);

    let err = client.send(&GetTask::new(REFERENCE)).unwrap_err();
    let Error::Api(api) = &err else {
        panic!("expected an error answer, got {err:?}");
    };
    assert_eq!(api.status(), 401);
    assert_eq!(api.code(), Some(&ErrorCode::TokenExpired));
    assert!(api.message().is_some_and(|m| !m.is_empty()));

    fake.add_token(VALID_TOKEN);
    assert!(client.send(&GetTask::new(REFERENCE)).is_ok());
}

#[test]
fn added_tokens_and_keys_are_accepted() {
    let fake = FakeEdge::seeded();
    fake.add_token("second-token");
    fake.add_api_key("OtherOrg", "ciBot", "k-42");
    for credentials in [
        Credentials::backend_token("second-token").unwrap(),
        Credentials::api_key("OtherOrg", "ciBot", "k-42").unwrap(),
    ] {
        let client = Client::new(fake.clone(), fake.base_url(), credentials);
        assert_eq!(client.send(&ListTasks::new()).unwrap().total(), Some(8));
    }
    fake.expire_token("never-issued");
    let client = Client::new(
        fake.clone(),
        fake.base_url(),
        Credentials::backend_token("never-issued").unwrap(),
    );
    assert_eq!(api_error(client.send(&ListTasks::new())).1, "token-expired");
}

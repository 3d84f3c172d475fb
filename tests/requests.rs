//! The requests each endpoint builds: method, full URL, headers and body, byte for byte where
//! the wire is fixed, and the wire assumptions stated through the constants that hold them.

mod common;

use http::header::{ACCEPT, CONTENT_TYPE, USER_AGENT};
use http::{HeaderMap, Method, Request};
use rockit_edge::assumed;
use rockit_edge::auth::{ADMIN_TOKEN, API_KEY, BEAUTH_TOKEN, BESESSION_TOKEN, ORGNAME, USERNAME};
use rockit_edge::endpoint::USER_AGENT_VALUE;
use rockit_edge::pager::Paged;
use rockit_edge::raw::RawRequest;
use rockit_edge::tasks::{AcknowledgeTask, ExpireTask, GetTask, ListTasks, TaskType};
use rockit_edge::{Auth, BaseUrl, Credentials, Endpoint, Error};
use serde_json::{json, Map, Value};

use common::{base, input_error, raw_body_json as body_json};

const TOKEN: &str = "tok-4b1d";
const ORG: &str = "ExampleOrg";
const USER: &str = "adminPrincipal";
const KEY: &str = "key-9e7c";

fn token() -> Credentials {
    Credentials::backend_token(TOKEN).unwrap()
}

fn api_key() -> Credentials {
    Credentials::api_key(ORG, USER, KEY).unwrap()
}

fn build(endpoint: &impl Endpoint, credentials: &Credentials) -> Request<Vec<u8>> {
    endpoint
        .to_request(&base(), credentials)
        .unwrap_or_else(|e| panic!("the request should build: {e}"))
}

/// The headers every request carries, and no `Content-Type` without a body.
fn assert_standard_headers(headers: &HeaderMap, has_body: bool) {
    assert_eq!(headers[ACCEPT], "application/json");
    assert_eq!(headers[USER_AGENT], USER_AGENT_VALUE);
    assert_eq!(
        USER_AGENT_VALUE,
        format!("rockit-edge/{}", env!("CARGO_PKG_VERSION"))
    );
    if has_body {
        assert_eq!(headers[CONTENT_TYPE], "application/json");
    } else {
        assert!(headers.get(CONTENT_TYPE).is_none(), "{headers:?}");
    }
}

fn assert_token_headers(headers: &HeaderMap) {
    assert_eq!(headers[BEAUTH_TOKEN], TOKEN);
    assert!(headers[BEAUTH_TOKEN].is_sensitive());
    for absent in [ORGNAME, USERNAME, API_KEY, ADMIN_TOKEN, BESESSION_TOKEN] {
        assert!(headers.get(&absent).is_none(), "{absent} sent");
    }
}

fn assert_api_key_headers(headers: &HeaderMap) {
    assert_eq!(headers[ORGNAME], ORG);
    assert_eq!(headers[USERNAME], USER);
    assert_eq!(headers[API_KEY], KEY);
    assert!(headers[API_KEY].is_sensitive());
    for absent in [BEAUTH_TOKEN, ADMIN_TOKEN, BESESSION_TOKEN] {
        assert!(headers.get(&absent).is_none(), "{absent} sent");
    }
}

#[test]
fn get_task_with_a_token() {
    let request = build(
        &GetTask::new("ExampleOrg-sushi-0003-1739273968-dltar"),
        &token(),
    );

    assert_eq!(request.method(), Method::GET);
    assert_eq!(
        request.uri(),
        "https://edge.example.com/be/v1/tasks/ExampleOrg-sushi-0003-1739273968-dltar"
    );
    assert_eq!(request.uri().query(), None);
    assert_standard_headers(request.headers(), false);
    assert_token_headers(request.headers());
    assert_eq!(request.headers().len(), 3);
    assert!(request.body().is_empty());
}

#[test]
fn get_task_with_an_api_key() {
    let request = build(&GetTask::new("t1"), &api_key());

    assert_eq!(request.uri(), "https://edge.example.com/be/v1/tasks/t1");
    assert_standard_headers(request.headers(), false);
    assert_api_key_headers(request.headers());
    assert_eq!(request.headers().len(), 5);
}

#[test]
fn awkward_task_names_are_one_encoded_segment() {
    for (name, segment) in [
        ("a/b", "a%2Fb"),
        ("what?", "what%3F"),
        ("#1", "%231"),
        ("100%", "100%25"),
        ("%2F", "%252F"),
        ("two words", "two%20words"),
        ("a+b&c=d", "a%2Bb%26c%3Dd"),
        ("sushi-\u{00e9}t\u{00e9}", "sushi-%C3%A9t%C3%A9"),
        ("\u{1F363}", "%F0%9F%8D%A3"),
        ("tab\there\r\n", "tab%09here%0D%0A"),
        ("nul\u{0}", "nul%00"),
        ("...", "..."),
        ("./..", ".%2F.."),
        ("~un.reserved_-", "~un.reserved_-"),
    ] {
        let request = build(&GetTask::new(name), &token());

        assert_eq!(
            request.uri().to_string(),
            format!("https://edge.example.com/be/v1/tasks/{segment}"),
            "{name:?}"
        );
        assert_eq!(request.uri().query(), None, "{name:?}");
    }
}

#[test]
fn names_that_cannot_be_a_segment_are_refused() {
    for name in ["", ".", ".."] {
        let err = input_error(GetTask::new(name).to_request(&base(), &token()));

        assert_eq!(err.what(), "task name", "{name:?}");
        assert!(err.to_string().contains("task name"), "{err}");
    }
}

#[test]
fn list_tasks_without_filters_has_no_query() {
    let request = build(&ListTasks::new(), &token());

    assert_eq!(request.method(), Method::GET);
    assert_eq!(request.uri(), "https://edge.example.com/be/v1/tasks");
    assert_eq!(request.uri().query(), None);
    assert_standard_headers(request.headers(), false);
    assert_token_headers(request.headers());
    assert!(request.body().is_empty());
}

#[test]
fn list_tasks_with_every_filter() {
    // The filters besides offset, limit and appName are assumed names; they must be plain
    // words for the expected query below to need no encoding.
    for name in [
        assumed::TASKS_QUERY_GROUP,
        assumed::TASKS_QUERY_STATUS,
        assumed::TASKS_QUERY_TYPE,
        assumed::TASKS_QUERY_CREATED_FROM,
        assumed::TASKS_QUERY_CREATED_TO,
    ] {
        assert!(name.bytes().all(|b| b.is_ascii_alphanumeric()), "{name}");
    }
    assert_eq!(assumed::QUERY_ORDER, "order[]");
    let list = ListTasks::new()
        .order_by("created", true)
        .param("x-debug", "1 2")
        .created_to("2025-02-12T00:00:00Z")
        .created_from("2025-02-11T00:00:00.5+01:00")
        .task_type(TaskType::Mkraw)
        .status("failed")
        .group("nightly builds")
        .app_name("sushi")
        .limit(50)
        .offset(20)
        .order_by("name", false);

    let request = build(&list, &api_key());

    let want = format!(
        "offset=20&limit=50&appName=sushi&{group}=nightly%20builds&{status}=failed\
         &{task_type}=mkraw&{from}=2025-02-11T00%3A00%3A00.5%2B01%3A00\
         &{to}=2025-02-12T00%3A00%3A00Z&order%5B%5D=%5B-created%5D&order%5B%5D=%5B%2Bname%5D\
         &x-debug=1%202",
        group = assumed::TASKS_QUERY_GROUP,
        status = assumed::TASKS_QUERY_STATUS,
        task_type = assumed::TASKS_QUERY_TYPE,
        from = assumed::TASKS_QUERY_CREATED_FROM,
        to = assumed::TASKS_QUERY_CREATED_TO,
    );
    assert_eq!(request.uri().query(), Some(want.as_str()));
    assert_eq!(
        request.uri().to_string(),
        format!("https://edge.example.com/be/v1/tasks?{want}")
    );
    assert_eq!(request.method(), Method::GET);
    assert_standard_headers(request.headers(), false);
    assert_api_key_headers(request.headers());
    assert!(request.body().is_empty());
}

#[test]
fn list_tasks_task_type_takes_unknown_values() {
    let request = build(&ListTasks::new().task_type("mk patch"), &token());

    assert_eq!(
        request.uri().query(),
        Some(format!("{}=mk%20patch", assumed::TASKS_QUERY_TYPE).as_str())
    );
}

#[test]
fn list_tasks_with_offset_keeps_the_filters() {
    let list = ListTasks::new().app_name("sushi").limit(10).offset(0);

    let next = list.at_offset(10);

    assert_eq!(
        next,
        ListTasks::new().app_name("sushi").limit(10).offset(10)
    );
    assert_eq!(
        build(&next, &token()).uri().query(),
        Some("offset=10&limit=10&appName=sushi")
    );
    assert_eq!(
        build(&list, &token()).uri().query(),
        Some("offset=0&limit=10&appName=sushi")
    );
}

#[test]
fn list_tasks_refuses_a_limit_of_zero() {
    let err = input_error(ListTasks::new().limit(0).to_request(&base(), &token()));

    assert_eq!(err.what(), "limit");
    let request = build(&ListTasks::new().limit(1), &token());
    assert_eq!(request.uri().query(), Some("limit=1"));
}

fn patch_body(action: &str, name: &str) -> Value {
    let mut body = Map::new();
    body.insert(assumed::TASK_PATCH_NAME.to_owned(), Value::from(name));
    body.insert(action.to_owned(), Value::Bool(true));
    Value::Object(body)
}

#[test]
fn acknowledge_and_expire_send_the_assumed_body() {
    let name = "ExampleOrg-sushi-0003-1739273968-dltar";
    for (request, action) in [
        (
            build(&AcknowledgeTask::new(name), &token()),
            assumed::TASK_PATCH_ACKNOWLEDGE,
        ),
        (
            build(&ExpireTask::new(name), &token()),
            assumed::TASK_PATCH_EXPIRE,
        ),
    ] {
        assert_eq!(request.method(), Method::PATCH, "{action}");
        assert_eq!(request.uri(), "https://edge.example.com/be/v1/tasks");
        assert_standard_headers(request.headers(), true);
        assert_token_headers(request.headers());
        assert_eq!(body_json(&request), patch_body(action, name), "{action}");
    }
    assert_ne!(assumed::TASK_PATCH_ACKNOWLEDGE, assumed::TASK_PATCH_EXPIRE);
}

#[test]
fn patch_bodies_carry_awkward_names_as_they_are() {
    for name in ["a/b?c#d", "\"quoted\"\\", "\u{1F363} \n", "..."] {
        let request = build(&ExpireTask::new(name), &api_key());

        assert_eq!(
            body_json(&request),
            patch_body(assumed::TASK_PATCH_EXPIRE, name)
        );
        assert_api_key_headers(request.headers());
    }
}

#[test]
fn patch_requests_refuse_the_names_a_task_path_refuses() {
    for name in ["", ".", ".."] {
        let err = input_error(AcknowledgeTask::new(name).to_request(&base(), &token()));
        assert_eq!(err.what(), "task name");

        let err = input_error(ExpireTask::new(name).to_request(&base(), &token()));
        assert_eq!(err.what(), "task name");
    }
}

#[test]
fn raw_request_without_a_body() {
    let raw = RawRequest::new(Method::GET, "/be/v1/activities")
        .param("limit", "5")
        .param("order[]", "[-created]")
        .param("q", "a b&c");

    let request = build(&raw, &token());

    assert_eq!(request.method(), Method::GET);
    assert_eq!(
        request.uri(),
        "https://edge.example.com/be/v1/activities?limit=5&order%5B%5D=%5B-created%5D&q=a%20b%26c"
    );
    assert_standard_headers(request.headers(), false);
    assert_token_headers(request.headers());
    assert!(request.body().is_empty());
}

#[test]
fn raw_request_with_a_body() {
    let body = json!({ "appName": "sushi", "nested": { "list": [1, null, "\u{e9}"] } });
    let raw = RawRequest::new(Method::POST, "/be/v1/apps/sushi%20two").body(body.clone());

    let request = build(&raw, &api_key());

    assert_eq!(request.method(), Method::POST);
    assert_eq!(
        request.uri(),
        "https://edge.example.com/be/v1/apps/sushi%20two"
    );
    assert_standard_headers(request.headers(), true);
    assert_api_key_headers(request.headers());
    assert_eq!(body_json(&request), body);
}

#[test]
fn raw_request_sends_the_credentials_it_is_told_to() {
    let admin = Credentials::admin_token("adm-77").unwrap();
    let request = build(
        &RawRequest::new(Method::POST, "/srv/v1/ping").auth(Auth::Admin),
        &admin,
    );
    assert_eq!(request.headers()[ADMIN_TOKEN], "adm-77");
    assert!(request.headers()[ADMIN_TOKEN].is_sensitive());
    assert_eq!(request.headers().len(), 3);

    let session = Credentials::session_token("ses-12").unwrap();
    let request = build(
        &RawRequest::new(Method::POST, "/be/v1/auth").auth(Auth::Session),
        &session,
    );
    assert_eq!(request.headers()[BESESSION_TOKEN], "ses-12");
    assert!(request.headers()[BESESSION_TOKEN].is_sensitive());
    assert_eq!(request.headers().len(), 3);

    let request = build(
        &RawRequest::new(Method::GET, "/be/v1/version").auth(Auth::None),
        &token(),
    );
    assert_standard_headers(request.headers(), false);
    assert_eq!(request.headers().len(), 2);

    let request = build(
        &RawRequest::new(Method::GET, "/be/v1/me").auth(Auth::BackendToken),
        &token(),
    );
    assert_token_headers(request.headers());
}

#[test]
fn raw_request_refuses_paths_it_would_have_to_rewrite() {
    for path in [
        "",
        "be/v1/tasks",
        "/be/v1/tasks?limit=1",
        "/be/v1/tasks#top",
        "/be/v1/tasks/two words",
        "/be/v1/tasks/tab\t",
        "/be/v1/tasks/\u{e9}",
    ] {
        let err = input_error(RawRequest::new(Method::GET, path).to_request(&base(), &token()));

        assert_eq!(err.what(), "path", "{path:?}");
    }
}

#[test]
fn a_base_url_prefix_is_kept_with_or_without_its_slash() {
    for (base, want) in [
        (
            "https://gw.example.com/edge",
            "https://gw.example.com/edge/be/v1/tasks/t1",
        ),
        (
            "https://gw.example.com/edge/",
            "https://gw.example.com/edge/be/v1/tasks/t1",
        ),
        (
            "https://gw.example.com/a/b/",
            "https://gw.example.com/a/b/be/v1/tasks/t1",
        ),
        (
            "https://gw.example.com/",
            "https://gw.example.com/be/v1/tasks/t1",
        ),
        (
            "http://127.0.0.1:8080",
            "http://127.0.0.1:8080/be/v1/tasks/t1",
        ),
        (
            "http://127.0.0.1:8080/x/",
            "http://127.0.0.1:8080/x/be/v1/tasks/t1",
        ),
    ] {
        let base = BaseUrl::parse(base).unwrap();

        let request = GetTask::new("t1").to_request(&base, &token()).unwrap();

        assert_eq!(request.uri().to_string(), want, "{base:?}");
    }

    let base = BaseUrl::parse("https://gw.example.com/edge/").unwrap();
    let list = ListTasks::new()
        .limit(2)
        .to_request(&base, &token())
        .unwrap();
    assert_eq!(
        list.uri(),
        "https://gw.example.com/edge/be/v1/tasks?limit=2"
    );
    let raw = RawRequest::new(Method::GET, "/be/v1/apps")
        .to_request(&base, &token())
        .unwrap();
    assert_eq!(raw.uri(), "https://gw.example.com/edge/be/v1/apps");
}

type Builds = dyn Fn(&Credentials) -> Result<Request<Vec<u8>>, Error>;

#[test]
fn credentials_an_endpoint_does_not_take_are_refused() {
    let session = Credentials::session_token("ses-12").unwrap();
    let admin = Credentials::admin_token("adm-77").unwrap();
    let endpoints: [&Builds; 4] = [
        &|c| GetTask::new("t").to_request(&base(), c),
        &|c| ListTasks::new().to_request(&base(), c),
        &|c| AcknowledgeTask::new("t").to_request(&base(), c),
        &|c| ExpireTask::new("t").to_request(&base(), c),
    ];

    for (i, build) in endpoints.iter().enumerate() {
        for creds in [&session, &admin] {
            let err = input_error(build(creds));
            assert_eq!(
                err.what(),
                "credentials",
                "endpoint {i} with {}",
                creds.kind()
            );
            assert!(err.problem().contains(creds.kind()), "{err}");
        }
        assert!(build(&token()).is_ok());
        assert!(build(&api_key()).is_ok());
    }

    for (auth, creds) in [
        (Auth::BackendToken, api_key()),
        (Auth::Admin, token()),
        (Auth::Session, api_key()),
        (Auth::Backend, admin.clone()),
    ] {
        let raw = RawRequest::new(Method::GET, "/x").auth(auth);
        let err = input_error(raw.to_request(&base(), &creds));
        assert_eq!(err.what(), "credentials", "{auth:?} with {}", creds.kind());
    }
}

#[test]
fn endpoints_report_their_parts() {
    assert_eq!(GetTask::new("a b").path().unwrap(), "/be/v1/tasks/a%20b");
    assert_eq!(ListTasks::new().path().unwrap(), "/be/v1/tasks");
    assert_eq!(AcknowledgeTask::new("t").method(), Method::PATCH);
    assert_eq!(ExpireTask::new("t").path().unwrap(), "/be/v1/tasks");
    for auth in [
        GetTask::new("t").auth(),
        ListTasks::new().auth(),
        AcknowledgeTask::new("t").auth(),
        ExpireTask::new("t").auth(),
        Endpoint::auth(&RawRequest::new(Method::GET, "/x")),
    ] {
        assert_eq!(auth, Auth::Backend);
    }
}

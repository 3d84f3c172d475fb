//! Properties every endpoint shares: no answer makes a decoder panic, and every name that
//! goes into a path becomes exactly one path segment or is refused before anything is sent.

use std::fs;

use http::{HeaderValue, Response, StatusCode};
use percent_encoding::percent_decode_str;
use proptest::prelude::*;
use rockit_edge::{admin, apps, builds, deployments, login, subscriptions, tasks, triggers};
use rockit_edge::{api_keys, orgs, roles, users};
use rockit_edge::{BaseUrl, Credentials, Endpoint, Error};

type Decode = fn(&Response<Vec<u8>>) -> Result<(), Error>;

/// Decodes with `endpoint` and forgets the output.
macro_rules! decoders {
    ($($endpoint:expr),* $(,)?) => {
        &[$(|response: &Response<Vec<u8>>| $endpoint.decode(response).map(drop)),*]
    };
}

const DECODERS: &[Decode] = decoders![
    tasks::GetTask::new("t"),
    tasks::ListTasks::new(),
    tasks::AcknowledgeTask::new("t"),
    tasks::ExpireTask::new("t"),
    apps::CreateApp::new("app", "App"),
    apps::GetApp::new("app"),
    apps::ListApps::new(),
    apps::PatchApp::new("app").label("L"),
    apps::DeleteApp::new("app"),
    builds::ImportBuild::upload("app"),
    deployments::GetDeployment::new("gcore"),
    deployments::ListDeployments::new(),
    deployments::ModifyDeployment::new("gcore"),
    deployments::DeleteDeployment::new("gcore"),
    login::Login::new("Org", "user", "pw"),
    login::Authenticate::new(),
    login::LoginWithPassword::new("user", "pw"),
    login::LoginToOrg::new("Org"),
    login::Refresh::new(),
    login::Logout::new(),
    admin::Ping::new(),
    admin::SubmitTestTask::new("hello", false),
    admin::GetVersions::new(),
    admin::CreateOrg::new("Org"),
    admin::DeleteOrg::new("Org"),
    triggers::ProcessTraces::new("app"),
    triggers::RetryTask::new("t"),
    subscriptions::ListSubscriptions::new(),
    subscriptions::GetSubscription::new("hook"),
    subscriptions::Unsubscribe::new("hook"),
    users::GetUser::new("jdoe"),
    users::ListUsers::new(),
    users::ModifyUser::new("jdoe").surname("Doe"),
    users::DeleteUser::new("jdoe"),
    users::CreateUser::new("jdoe", "j@example.com", "Jane", "Doe"),
    users::CreateMachineUser::new("ci_bot", "CI"),
    api_keys::CreateApiKey::new(),
    roles::ListRoles::new(),
    roles::GetRole::new("Testers"),
    roles::CreateRole::new("Testers"),
    roles::PatchRole::new("Testers"),
    roles::DeleteRole::new("Testers"),
    orgs::CreateOrganization::new("Org"),
    orgs::DeleteOrganization::new("Org"),
    rockit_edge::raw::RawRequest::new(http::Method::GET, "/x"),
];

fn answer(status: u16, content_type: &str, body: Vec<u8>) -> Response<Vec<u8>> {
    let mut response = Response::new(body);
    *response.status_mut() = StatusCode::from_u16(status).unwrap();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        response
            .headers_mut()
            .insert(http::header::CONTENT_TYPE, value);
    }
    response
}

/// Every failure is one of the typed kinds that describe an answer.
fn check(result: Result<(), Error>, status: u16) {
    match result {
        Ok(()) => assert!((200..300).contains(&status), "success from HTTP {status}"),
        Err(Error::Api(e)) => assert_eq!(e.status().as_u16(), status),
        Err(Error::Decode(e)) => assert_eq!(e.status().as_u16(), status),
        Err(other) => panic!("an answer gave {other:?}"),
    }
}

/// The bodies of every fixture, as real material to mutate.
fn fixtures() -> Vec<Vec<u8>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let mut bodies: Vec<Vec<u8>> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| fs::read(entry.unwrap().path()).unwrap())
        .collect();
    bodies.sort();
    bodies
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn no_answer_makes_a_decoder_panic(
        status in 100u16..=999,
        content_type in prop::sample::select(vec!["application/json", "text/html", "text/plain", "", "application/json; charset=utf-8"]),
        body in prop::collection::vec(any::<u8>(), 0..256),
    ) {
        for decode in DECODERS {
            check(decode(&answer(status, content_type, body.clone())), status);
        }
    }

    #[test]
    fn mutated_real_bodies_never_make_a_decoder_panic(
        pick in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8),
        status in prop::sample::select(vec![200u16, 201, 400, 401, 404, 500]),
    ) {
        let bodies = fixtures();
        let mut body = pick.get(&bodies).clone();
        for (at, byte, how) in edits {
            if body.is_empty() {
                body.push(byte);
                continue;
            }
            let i = at.index(body.len());
            match how {
                0 => body[i] = byte,
                1 => body.insert(i, byte),
                _ => { body.remove(i); }
            }
        }
        for decode in DECODERS {
            check(decode(&answer(status, "application/json", body.clone())), status);
        }
    }
}

#[test]
fn every_fixture_decodes_as_some_endpoint_without_error() {
    // Each fixture is a success or error body some endpoint reads; none may fail to decode
    // as the endpoint it was written for, which the resource tests check one by one. Here:
    // every 2xx fixture is accepted by at least one decoder.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with("_200.json") {
            continue;
        }
        let body = fs::read(&path).unwrap();
        let accepted = DECODERS
            .iter()
            .any(|decode| decode(&answer(200, "application/json", body.clone())).is_ok());
        assert!(accepted, "no decoder accepts {name}");
    }
}

/// A request built from one name that goes into the path.
type WithName<'a> = Box<dyn Fn(&str) -> Result<http::Request<Vec<u8>>, Error> + 'a>;

/// Every endpoint with a name in its path: what the name is, the fixed path before it, and
/// how to build the request.
fn requests(base: &BaseUrl) -> Vec<(&'static str, &'static str, WithName<'_>)> {
    let backend = Credentials::backend_token("t0k").unwrap();
    let admin = Credentials::admin_token("adm").unwrap();
    macro_rules! with {
        ($credentials:expr, $endpoint:expr) => {{
            let credentials = $credentials.clone();
            Box::new(move |name: &str| $endpoint(name).to_request(base, &credentials))
        }};
    }
    vec![
        (
            "task name",
            "/be/v1/tasks/",
            with!(backend, tasks::GetTask::new),
        ),
        (
            "app name",
            "/be/v1/apps/",
            with!(backend, apps::GetApp::new),
        ),
        (
            "app name",
            "/be/v1/apps/",
            with!(backend, apps::DeleteApp::new),
        ),
        (
            "deployment name",
            "/be/v1/deployments/",
            with!(backend, deployments::GetDeployment::new),
        ),
        (
            "deployment name",
            "/be/v1/deployments/",
            with!(backend, deployments::DeleteDeployment::new),
        ),
        (
            "subscription name",
            "/be/v1/subscriptions/",
            with!(backend, subscriptions::GetSubscription::new),
        ),
        (
            "subscription name",
            "/be/v1/subscriptions/",
            with!(backend, subscriptions::Unsubscribe::new),
        ),
        (
            "organisation name",
            "/adm/v1/orgs/",
            with!(admin, admin::DeleteOrg::new),
        ),
        (
            "username",
            "/be/v1/users/",
            with!(backend, users::GetUser::new),
        ),
        (
            "username",
            "/be/v1/users/",
            with!(backend, users::DeleteUser::new),
        ),
        (
            "role name",
            "/be/v1/roles/",
            with!(backend, roles::GetRole::new),
        ),
        (
            "role name",
            "/be/v1/roles/",
            with!(backend, roles::DeleteRole::new),
        ),
        (
            "organisation name",
            "/be/v1/orgs/",
            with!(backend, orgs::DeleteOrganization::new),
        ),
    ]
}

/// Either one segment that decodes back to `name`, or an input error before sending.
fn one_segment_or_refused(prefix: &str, name: &str, result: Result<http::Request<Vec<u8>>, Error>) {
    match result {
        Ok(request) => {
            let path = request.uri().path();
            let segment = path
                .strip_prefix(prefix)
                .unwrap_or_else(|| panic!("{path} does not start with {prefix}"));
            assert!(
                !segment.contains('/'),
                "{name:?} gave more than one segment: {path}"
            );
            let decoded = percent_decode_str(segment).decode_utf8().unwrap();
            assert_eq!(decoded, name, "{path}");
            assert!(segment != "." && segment != "..");
        }
        Err(Error::Input(_)) => {}
        Err(other) => panic!("{name:?} gave {other:?}"),
    }
}

const AWKWARD: &[&str] = &[
    "",
    ".",
    "..",
    "/",
    "a/b",
    "a?b",
    "a#b",
    "100%",
    "%2F",
    "two words",
    "caf\u{e9}",
    "\u{1F600}",
    "tab\there",
    "line\nbreak",
    "nul\0",
    "../../etc",
    "a;b",
    "a+b",
    "[0]",
    "gcore[0]",
];

#[test]
fn awkward_names_are_one_segment_or_refused_in_every_path() {
    let base = BaseUrl::parse("https://edge.example.com/api/").unwrap();
    for (what, fixed, build) in requests(&base) {
        let prefix = format!("/api{fixed}");
        for name in AWKWARD {
            let result = build(name);
            if let Err(Error::Input(e)) = &result {
                assert_eq!(e.what(), what, "{name:?}");
            }
            one_segment_or_refused(&prefix, name, result);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_name_is_one_segment_or_refused_in_every_path(name in "\\PC{0,12}|[a-zA-Z0-9_\\[\\]]{0,60}|.{0,8}") {
        let base = BaseUrl::parse("https://edge.example.com").unwrap();
        for (_, prefix, build) in requests(&base) {
            one_segment_or_refused(prefix, &name, build(&name));
        }
    }
}

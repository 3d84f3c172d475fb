//! Whatever arrives from the network, decoding returns a value or a typed error and never
//! panics; whatever a caller passes, building a request does the same.

mod common;

use http::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use http::{Method, Response, StatusCode};
use percent_encoding::percent_decode_str;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use rockit_edge::decode::api_error;
use rockit_edge::raw::RawRequest;
use rockit_edge::tasks::{AcknowledgeTask, ExpireTask, GetTask, ListTasks};
use rockit_edge::{BaseUrl, Credentials, Endpoint, Error};
use serde_json::{json, Value};

use common::token;

const FIXTURE: &[u8] = include_bytes!("fixtures/tasks_get_200.json");

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Decoding is expected to fail only with an answer-side error that carries the status.
fn check_error(err: &Error, status: StatusCode) -> Result<(), TestCaseError> {
    prop_assert!(
        matches!(err, Error::Api(_) | Error::Decode(_)),
        "decoding gave {:?}",
        err
    );
    prop_assert_eq!(err.status(), Some(status));
    if !status.is_success() {
        prop_assert!(matches!(err, Error::Api(_)), "{:?}", err);
    }
    prop_assert!(!err.to_string().is_empty());
    let _ = format!("{err:?} {err:#?}");
    Ok(())
}

/// Every decoder sees the same answer, since each reads error bodies on its own path.
fn decode_all(response: &Response<Vec<u8>>) -> Result<(), TestCaseError> {
    let status = response.status();
    let errors = [
        GetTask::new("t").decode(response).err(),
        ListTasks::new().decode(response).err(),
        AcknowledgeTask::new("t").decode(response).err(),
        ExpireTask::new("t").decode(response).err(),
        RawRequest::new(Method::GET, "/x").decode(response).err(),
    ];
    for err in errors.iter().flatten() {
        check_error(err, status)?;
    }

    let body = response.body();
    let api = api_error(status, response.headers(), body);
    prop_assert_eq!(api.status(), status);
    let unmarked = body.strip_prefix(BOM).unwrap_or(body);
    prop_assert_eq!(api.body().len(), unmarked.len());
    prop_assert!(unmarked.starts_with(api.body().bytes()));
    let _ = (api.to_string(), format!("{api:?}"), api.body().text());
    Ok(())
}

fn response(
    status: u16,
    headers: &[(HeaderName, HeaderValue)],
    body: Vec<u8>,
) -> Response<Vec<u8>> {
    let mut response = Response::new(body);
    *response.status_mut() = StatusCode::from_u16(status).unwrap();
    for (name, value) in headers {
        response.headers_mut().append(name.clone(), value.clone());
    }
    response
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        100_u16..=999,
        select(vec![200_u16, 201, 204, 299, 400, 401, 404, 500, 502, 503]),
    ]
}

fn content_type() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        select(vec![
            "application/json",
            "application/json; charset=utf-8",
            "text/plain",
            "TEXT/PLAIN; charset=latin1",
            "text/html",
            ";",
            "",
            "text/plain;;;",
            "multipart/form-data; boundary=\"x\"",
            "application/problem+json",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        vec(any::<u8>(), 0..24),
    ]
}

fn headers() -> impl Strategy<Value = Vec<(HeaderName, HeaderValue)>> {
    let named = prop_oneof![
        Just(CONTENT_TYPE),
        Just(CONTENT_TYPE),
        Just(HeaderName::from_static("x-rockit-error")),
        Just(http::header::CONTENT_LENGTH),
    ];
    vec((named, content_type()), 0..4).prop_map(|pairs| {
        pairs
            .into_iter()
            .filter_map(|(name, value)| Some((name, HeaderValue::from_bytes(&value).ok()?)))
            .collect()
    })
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<String>().prop_map(Value::from),
        select(vec![
            "success",
            "error",
            "failed",
            "token-expired",
            "missing-param"
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        let key = prop_oneof![
            select(vec![
                "status",
                "task",
                "tasks",
                "code",
                "message",
                "error",
                "name",
                "steps",
                "taskType",
                "userData",
                "dltar",
                "sizeBytes",
                "alert",
                "exception",
            ])
            .prop_map(str::to_owned),
            any::<String>(),
        ];
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            vec((key, inner), 0..5).prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

/// Bodies that look like answers often enough to get past the first byte.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        vec(any::<u8>(), 0..64),
        json_value().prop_map(|v| serde_json::to_vec(&v).unwrap()),
        (json_value(), json_value()).prop_map(|(task, rest)| {
            serde_json::to_vec(
                &json!({ "status": "success", "task": task, "tasks": [task], "x": rest }),
            )
            .unwrap()
        }),
        (any::<bool>(), vec(any::<u8>(), 0..32)).prop_map(|(bom, mut tail)| {
            let mut body = if bom { BOM.to_vec() } else { Vec::new() };
            body.extend_from_slice(b"{\"status\":");
            body.append(&mut tail);
            body
        }),
    ]
}

proptest! {
    #[test]
    fn arbitrary_answers_never_panic(status in status(), headers in headers(), body in body()) {
        decode_all(&response(status, &headers, body))?;
    }
}

/// One edit of a byte string: what fuzzers do to find the bytes a parser did not expect.
#[derive(Clone, Debug)]
enum Mutation {
    Flip { at: usize, mask: u8 },
    Insert { at: usize, byte: u8 },
    Delete { at: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let interesting = select(vec![
        b'"', b'{', b'}', b'[', b']', b':', b',', b'\\', b'-', b'0', 0x80, 0xff,
    ]);
    prop_oneof![
        (any::<usize>(), 1_u8..=255).prop_map(|(at, mask)| Mutation::Flip { at, mask }),
        (any::<usize>(), prop_oneof![any::<u8>(), interesting])
            .prop_map(|(at, byte)| Mutation::Insert { at, byte }),
        any::<usize>().prop_map(|at| Mutation::Delete { at }),
    ]
}

fn mutate(mut body: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for mutation in mutations {
        match *mutation {
            Mutation::Flip { at, mask } if !body.is_empty() => {
                let at = at % body.len();
                body[at] ^= mask;
            }
            Mutation::Insert { at, byte } => {
                let at = at % (body.len() + 1);
                body.insert(at, byte);
            }
            Mutation::Delete { at } if !body.is_empty() => {
                let at = at % body.len();
                body.remove(at);
            }
            _ => {}
        }
    }
    body
}

fn json_headers() -> Vec<(HeaderName, HeaderValue)> {
    vec![(CONTENT_TYPE, HeaderValue::from_static("application/json"))]
}

proptest! {
    #[test]
    fn mutated_reference_bodies_never_panic(
        status in status(),
        mutations in vec(mutation(), 1..8),
    ) {
        let body = mutate(FIXTURE.to_vec(), &mutations);

        decode_all(&response(status, &json_headers(), body))?;
    }
}

#[test]
fn every_truncation_of_the_reference_body_is_a_decode_error() {
    let end = FIXTURE.iter().rposition(|b| *b == b'}').unwrap() + 1;

    for len in 0..=FIXTURE.len() {
        let response = response(200, &json_headers(), FIXTURE[..len].to_vec());
        decode_all(&response).unwrap();

        let complete = len >= end;
        let task = GetTask::new("t").decode(&response);
        let acknowledged = AcknowledgeTask::new("t").decode(&response);
        let raw = RawRequest::new(Method::GET, "/x").decode(&response);
        assert_eq!(task.is_ok(), complete, "GetTask at {len}");
        assert_eq!(acknowledged.is_ok(), complete, "AcknowledgeTask at {len}");
        if !complete {
            assert!(matches!(task, Err(Error::Decode(_))), "GetTask at {len}");
            assert!(
                matches!(acknowledged, Err(Error::Decode(_))),
                "AcknowledgeTask at {len}"
            );
            // An empty body is a valid raw answer without JSON.
            assert_eq!(raw.is_ok(), len == 0, "RawRequest at {len}");
        }
        // The reference body has no `tasks`, so it is never a list.
        assert!(
            ListTasks::new().decode(&response).is_err(),
            "ListTasks at {len}"
        );
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let depth = 100_000;
    let mut nested = "[".repeat(depth);
    nested.push_str(&"]".repeat(depth));
    for body in [
        format!(r#"{{"status":"success","task":{{"extra":{nested}}}}}"#),
        format!(r#"{{"status":"success","tasks":{nested}}}"#),
        format!(r#"{{"status":"error","code":{nested}}}"#),
        format!(r#"{{"status":"success","x":{nested}}}"#),
        nested.clone(),
    ] {
        for status in [200, 500] {
            let response = response(status, &json_headers(), body.clone().into_bytes());
            decode_all(&response).unwrap();
            assert!(GetTask::new("t").decode(&response).is_err());
        }
    }
}

fn base() -> BaseUrl {
    BaseUrl::parse("https://edge.example.com/prefix/").unwrap()
}

fn query_pairs(query: &str) -> Vec<(String, String)> {
    let decode = |s: &str| percent_decode_str(s).decode_utf8().unwrap().into_owned();
    query
        .split('&')
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap();
            (decode(key), decode(value))
        })
        .collect()
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        select(vec![
            "", ".", "..", "...", "/", "%", "%2F", "a/../b", "?#", " "
        ])
        .prop_map(str::to_owned),
        "[./%?#]{0,4}",
    ]
}

proptest! {
    #[test]
    fn any_task_name_is_one_segment_or_refused(name in name()) {
        let result = GetTask::new(name.as_str()).to_request(&base(), &token());

        match result {
            Ok(request) => {
                prop_assert!(!matches!(name.as_str(), "" | "." | ".."));
                let path = request.uri().path();
                let segment = path.strip_prefix("/prefix/be/v1/tasks/").unwrap();
                prop_assert!(!segment.contains('/'), "{}", path);
                prop_assert!(!matches!(segment, "" | "." | ".."), "{}", path);
                let decoded = percent_decode_str(segment).decode_utf8().unwrap();
                prop_assert_eq!(decoded, name.as_str());
                prop_assert_eq!(request.uri().query(), None);
            }
            Err(Error::Input(e)) => {
                prop_assert_eq!(e.what(), "task name");
                prop_assert!(matches!(name.as_str(), "" | "." | ".."), "{:?} refused", name);
            }
            Err(other) => prop_assert!(false, "{:?} gave {:?}", name, other),
        }
    }

    #[test]
    fn any_task_name_goes_into_a_patch_body_or_is_refused(name in name(), expire in any::<bool>()) {
        let result = if expire {
            ExpireTask::new(name.as_str()).to_request(&base(), &token())
        } else {
            AcknowledgeTask::new(name.as_str()).to_request(&base(), &token())
        };

        match result {
            Ok(request) => {
                let body: Value = serde_json::from_slice(request.body()).unwrap();
                prop_assert_eq!(&body[rockit_edge::assumed::TASK_PATCH_NAME], &Value::from(name.as_str()));
                prop_assert_eq!(request.uri().path(), "/prefix/be/v1/tasks");
            }
            Err(Error::Input(e)) => {
                prop_assert_eq!(e.what(), "task name");
                prop_assert!(matches!(name.as_str(), "" | "." | ".."), "{:?}", name);
            }
            Err(other) => prop_assert!(false, "{:?} gave {:?}", name, other),
        }
    }

    #[test]
    fn any_query_text_is_encoded_and_reads_back(
        app in any::<String>(),
        group in any::<String>(),
        status in any::<String>(),
        task_type in any::<String>(),
        key in any::<String>(),
        value in any::<String>(),
        order in any::<String>(),
    ) {
        let list = ListTasks::new()
            .app_name(app.as_str())
            .group(group.as_str())
            .status(status.as_str())
            .task_type(task_type.as_str())
            .order_by(&order, true)
            .param(key.as_str(), value.as_str());

        let request = list.to_request(&base(), &token()).unwrap();

        let query = request.uri().query().unwrap();
        let values: Vec<String> = query_pairs(query).into_iter().map(|(_, v)| v).collect();
        prop_assert_eq!(values, vec![app, group, status, task_type, format!("[-{order}]"), value]);
        prop_assert_eq!(&query_pairs(query)[5].0, &key);
    }

    #[test]
    fn any_raw_path_and_params_build_or_are_refused(
        path in prop_oneof![any::<String>(), "/[ -~]{0,16}"],
        key in any::<String>(),
        value in any::<String>(),
    ) {
        let result = RawRequest::new(Method::GET, path.as_str())
            .param(key.as_str(), value.as_str())
            .to_request(&base(), &token());

        match result {
            Ok(request) => {
                prop_assert_eq!(request.uri().path(), format!("/prefix{path}"));
                let pairs = query_pairs(request.uri().query().unwrap());
                prop_assert_eq!(pairs, vec![(key, value)]);
            }
            Err(Error::Input(e)) => {
                prop_assert!(matches!(e.what(), "path" | "request URL"), "{}", e);
            }
            Err(other) => prop_assert!(false, "{:?} gave {:?}", path, other),
        }
    }

    #[test]
    fn any_credential_text_is_kept_or_refused(text in any::<String>()) {
        for made in [
            Credentials::backend_token(&text),
            Credentials::session_token(&text),
            Credentials::admin_token(&text),
            Credentials::api_key(&text, "bot", "k3y"),
            Credentials::api_key("Org", &text, "k3y"),
            Credentials::api_key("Org", "bot", &text),
        ] {
            let fits_a_header = !text.is_empty()
                && text.trim() == text
                && text.bytes().all(|b| (b' '..=b'~').contains(&b));
            prop_assert_eq!(made.is_ok(), fits_a_header, "{:?}", text);
        }
    }
}

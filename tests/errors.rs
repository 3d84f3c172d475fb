//! Answers that are not a success become typed errors that keep the status, the API's code
//! and message, and the start of the body; success answers of the wrong shape name the JSON
//! path that failed.

use http::header::CONTENT_TYPE;
use http::{HeaderMap, Method, Response, StatusCode};
use rockit_edge::decode::api_error;
use rockit_edge::error::BODY_EXCERPT_LIMIT;
use rockit_edge::raw::RawRequest;
use rockit_edge::tasks::{AcknowledgeTask, ExpireTask, GetTask, ListTasks};
use rockit_edge::{
    ApiError, DecodeError, Endpoint, Error, ErrorCode, TransportError, TransportErrorKind,
};
use serde_json::{json, Value};

const FIXTURE: &str = include_str!("fixtures/tasks_get_200.json");

fn response(
    status: u16,
    content_type: Option<&str>,
    body: impl Into<Vec<u8>>,
) -> Response<Vec<u8>> {
    let mut builder = Response::builder().status(status);
    if let Some(content_type) = content_type {
        builder = builder.header(CONTENT_TYPE, content_type);
    }
    builder.body(body.into()).unwrap()
}

fn json_response(status: u16, body: &Value) -> Response<Vec<u8>> {
    response(
        status,
        Some("application/json"),
        serde_json::to_vec(body).unwrap(),
    )
}

fn get_task(response: &Response<Vec<u8>>) -> Error {
    match GetTask::new("ExampleOrg-sushi-0003-1739273968-dltar").decode(response) {
        Ok(task) => panic!("expected an error, got {task:?}"),
        Err(err) => err,
    }
}

fn api(err: Error) -> ApiError {
    match err {
        Error::Api(e) => e,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

fn decode_error(err: Error) -> DecodeError {
    match err {
        Error::Decode(e) => e,
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

/// Messages read as part of a sentence: they start lower-case and end without a period.
fn assert_message_style(text: &str) {
    let first = text.chars().next().expect("an empty message");
    assert!(first.is_lowercase(), "starts upper-case: {text:?}");
    assert!(!text.ends_with('.'), "ends with a period: {text:?}");
}

fn fixture_with(from: &str, to: &str) -> String {
    assert!(FIXTURE.contains(from), "the fixture has no {from:?}");
    FIXTURE.replacen(from, to, 1)
}

struct ApiCase {
    status: u16,
    content_type: Option<&'static str>,
    body: &'static str,
    code: Option<ErrorCode>,
    message: Option<&'static str>,
}

fn api_cases() -> Vec<ApiCase> {
    vec![
        ApiCase {
            status: 400,
            content_type: Some("application/json"),
            body: r#"{"status":"error","code":"missing-param","message":"taskName is required"}"#,
            code: Some(ErrorCode::MissingParam),
            message: Some("taskName is required"),
        },
        ApiCase {
            status: 401,
            content_type: Some("application/json"),
            body: r#"{"status":"error","code":"token-expired","message":"the token has expired"}"#,
            code: Some(ErrorCode::TokenExpired),
            message: Some("the token has expired"),
        },
        ApiCase {
            status: 429,
            content_type: Some("application/json; charset=utf-8"),
            body: r#"{"status":"error","code":"quota-exceeded","message":"slow down"}"#,
            code: Some(ErrorCode::Other("quota-exceeded".into())),
            message: Some("slow down"),
        },
        ApiCase {
            status: 401,
            content_type: Some("application/json"),
            body: r#"{"status":"token-expired"}"#,
            code: Some(ErrorCode::TokenExpired),
            message: None,
        },
        ApiCase {
            status: 502,
            content_type: Some("text/html"),
            body: "<html><head><title>502 Bad Gateway</title></head>\
                   <body><h1>502 Bad Gateway</h1></body></html>",
            code: None,
            message: None,
        },
        ApiCase {
            status: 502,
            content_type: None,
            body: "\n  <!DOCTYPE html><html><body>bad gateway</body></html>",
            code: None,
            message: None,
        },
        ApiCase {
            status: 503,
            content_type: Some("text/plain"),
            body: "upstream down",
            code: None,
            message: Some("upstream down"),
        },
        ApiCase {
            status: 503,
            content_type: Some("text/plain; charset=utf-8"),
            body: "\n\n  upstream down  \nretry later\n",
            code: None,
            message: Some("upstream down"),
        },
        ApiCase {
            status: 500,
            content_type: Some("application/json"),
            body: "",
            code: None,
            message: None,
        },
        ApiCase {
            status: 404,
            content_type: Some("application/json"),
            body: r#""no such task""#,
            code: None,
            message: Some("no such task"),
        },
        ApiCase {
            status: 500,
            content_type: Some("application/json"),
            body: "[1, 2]",
            code: None,
            message: None,
        },
        ApiCase {
            status: 200,
            content_type: Some("application/json"),
            body: r#"{"status":"error","code":"missing-param","message":"appName is required"}"#,
            code: Some(ErrorCode::MissingParam),
            message: Some("appName is required"),
        },
        ApiCase {
            status: 200,
            content_type: Some("application/json"),
            body: r#"{"status":"failed","task":5}"#,
            code: None,
            message: None,
        },
    ]
}

#[test]
fn error_answers_keep_status_code_message_and_body() {
    for case in api_cases() {
        let what = format!("{} {:?}", case.status, case.body);
        let response = response(case.status, case.content_type, case.body);

        let err = get_task(&response);

        assert_eq!(
            err.status(),
            Some(StatusCode::from_u16(case.status).unwrap()),
            "{what}"
        );
        assert_eq!(err.code(), case.code.as_ref(), "{what}");
        assert_message_style(&err.to_string());
        let err = api(err);
        assert_eq!(err.status().as_u16(), case.status, "{what}");
        assert_eq!(err.code(), case.code.as_ref(), "{what}");
        assert_eq!(err.message(), case.message, "{what}");
        assert_eq!(err.body().bytes(), case.body.as_bytes(), "{what}");
        assert_eq!(err.body().text(), case.body, "{what}");
        assert_eq!(err.body().len(), case.body.len(), "{what}");
        assert_eq!(err.body().is_empty(), case.body.is_empty(), "{what}");
        assert!(!err.body().is_truncated(), "{what}");
    }
}

#[test]
fn every_decoder_reads_error_answers_the_same_way() {
    for case in api_cases() {
        let response = response(case.status, case.content_type, case.body);
        let want = api_error(response.status(), response.headers(), response.body());

        let errors = [
            GetTask::new("t").decode(&response).err(),
            ListTasks::new().decode(&response).err(),
            AcknowledgeTask::new("t").decode(&response).err(),
            ExpireTask::new("t").decode(&response).err(),
            RawRequest::new(Method::GET, "/x").decode(&response).err(),
        ];

        for (i, err) in errors.into_iter().enumerate() {
            let err = err.unwrap_or_else(|| panic!("decoder {i} accepted {:?}", case.body));
            assert_eq!(api(err), want, "decoder {i} on {:?}", case.body);
        }
    }
}

#[test]
fn display_names_status_code_and_message() {
    let err = get_task(&response(
        400,
        Some("application/json"),
        r#"{"status":"error","code":"missing-param","message":"taskName is required"}"#,
    ));
    assert_eq!(
        err.to_string(),
        "server answered HTTP 400 Bad Request with error code missing-param: taskName is required"
    );

    let err = get_task(&response(503, Some("text/plain"), "upstream down"));
    assert_eq!(
        err.to_string(),
        "server answered HTTP 503 Service Unavailable: upstream down"
    );

    let err = get_task(&response(500, None, ""));
    assert_eq!(
        err.to_string(),
        "server answered HTTP 500 Internal Server Error"
    );
}

#[test]
fn a_long_body_is_cut_but_its_length_kept() {
    let body = "x".repeat(BODY_EXCERPT_LIMIT * 3 + 7);

    let err = api(get_task(&response(500, Some("text/plain"), body.clone())));

    assert_eq!(err.body().bytes(), &body.as_bytes()[..BODY_EXCERPT_LIMIT]);
    assert_eq!(err.body().len(), body.len());
    assert!(err.body().is_truncated());
    let message = err.message().unwrap();
    assert!(message.starts_with("xxxx"), "{message}");
    assert!(message.len() < body.len(), "the message is the whole body");
}

#[test]
fn the_code_of_a_long_body_is_read_from_all_of_it() {
    let body = json!({
        "status": "error",
        "padding": "p".repeat(BODY_EXCERPT_LIMIT * 2),
        "code": "token-expired",
        "message": "log in again",
    });

    let err = api(get_task(&json_response(401, &body)));

    assert_eq!(err.code(), Some(&ErrorCode::TokenExpired));
    assert_eq!(err.message(), Some("log in again"));
    assert!(err.body().is_truncated());
    assert_eq!(err.body().bytes().len(), BODY_EXCERPT_LIMIT);
}

#[test]
fn a_byte_order_mark_is_not_part_of_an_error_body() {
    let json = r#"{"status":"error","code":"missing-param","message":"m"}"#;
    let body = [b"\xEF\xBB\xBF".as_slice(), json.as_bytes()].concat();

    let err = api(get_task(&response(400, Some("application/json"), body)));

    assert_eq!(err.code(), Some(&ErrorCode::MissingParam));
    assert_eq!(err.body().bytes(), json.as_bytes());
}

#[test]
fn api_error_reads_any_body_without_a_decoder() {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, "application/json".parse().unwrap());

    let err = api_error(
        StatusCode::FORBIDDEN,
        &headers,
        br#"{"errorCode":"no-permission","msg":"tasks.read is missing"}"#,
    );

    assert_eq!(err.status(), StatusCode::FORBIDDEN);
    assert_eq!(err.code(), Some(&ErrorCode::Other("no-permission".into())));
    assert_eq!(err.message(), Some("tasks.read is missing"));
}

#[test]
fn an_error_body_may_nest_its_code_and_message() {
    let headers = HeaderMap::new();
    let read = |body: &str| {
        let err = api_error(StatusCode::NOT_FOUND, &headers, body.as_bytes());
        (
            err.code().map(|c| c.as_str().to_owned()),
            err.message().map(str::to_owned),
        )
    };
    let both = |code: &str, message: &str| (Some(code.to_owned()), Some(message.to_owned()));

    // As many HTTP APIs write it, numeric code and all.
    assert_eq!(
        read(r#"{"error":{"code":404,"status":"NOT_FOUND","message":"no task t"}}"#),
        both("NOT_FOUND", "no task t")
    );
    assert_eq!(
        read(r#"{"status":"error","error":{"code":"no-such-task","message":"no task t"}}"#),
        both("no-such-task", "no task t")
    );
    // JSON:API's list of errors: the first object counts.
    assert_eq!(
        read(r#"{"errors":[7,{"code":"no-such-task","description":"no task t"},{"code":"x"}]}"#),
        both("no-such-task", "no task t")
    );
    // The top level wins over what is nested, each for its own part.
    assert_eq!(
        read(r#"{"code":"top","error":{"code":"inner","message":"inner message"}}"#),
        both("top", "inner message")
    );
    // A flat `error` string is still the code.
    assert_eq!(read(r#"{"error":"flat","message":"m"}"#), both("flat", "m"));
    // Nothing to read.
    assert_eq!(read(r#"{"error":{"details":[]}}"#), (None, None));
    assert_eq!(read(r#"{"errors":[]}"#), (None, None));
}

struct DecodeCase {
    body: String,
    path: &'static str,
    mentions: &'static str,
}

fn decode_cases() -> Vec<DecodeCase> {
    vec![
        DecodeCase {
            body: fixture_with("\"2025-02-11T11:39:31.541Z\"", "5"),
            path: "task.steps.created",
            mentions: "integer",
        },
        DecodeCase {
            body: fixture_with("\"sizeBytes\": 1788272645", "\"sizeBytes\": \"big\""),
            path: "task.userData.dltar.sizeBytes",
            mentions: "big",
        },
        DecodeCase {
            body: fixture_with("\"sizeBytes\": 1788272645", "\"sizeBytes\": -1"),
            path: "task.userData.dltar.sizeBytes",
            mentions: "-1",
        },
        DecodeCase {
            body: fixture_with(
                "\"sizeBytes\": 1788272645",
                "\"sizeBytes\": 18446744073709551616",
            ),
            path: "task.userData.dltar.sizeBytes",
            mentions: "u64",
        },
        DecodeCase {
            body: fixture_with(
                "\"sizeBytesActual\"",
                "\"httpStatus\": 70000, \"sizeBytesActual\"",
            ),
            path: "task.alert.exception.httpDownloadFailed.httpStatus",
            mentions: "70000",
        },
        DecodeCase {
            body: fixture_with("\"taskType\": \"dltar\"", "\"taskType\": [\"dltar\"]"),
            path: "task.taskType",
            mentions: "sequence",
        },
        DecodeCase {
            body: fixture_with("\"appName\": \"sushi\"", "\"appName\": null"),
            path: "task.appName",
            mentions: "null",
        },
        DecodeCase {
            body: fixture_with("\"appName\": \"sushi\",", ""),
            path: "task",
            mentions: "`appName`",
        },
        DecodeCase {
            body: fixture_with("\"userData\": {", "\"userData\": [], \"x\": {"),
            path: "task.userData",
            mentions: "sequence",
        },
        DecodeCase {
            body: "<html>not json</html>".into(),
            path: ".",
            mentions: "line 1",
        },
        DecodeCase {
            body: String::new(),
            path: ".",
            mentions: "EOF",
        },
        DecodeCase {
            body: format!("{FIXTURE} trailing"),
            path: ".",
            mentions: "trailing",
        },
        DecodeCase {
            body: r#"{"status":"success"}"#.into(),
            path: ".",
            mentions: "`task`",
        },
        DecodeCase {
            body: r#"{"status":"success","task":null}"#.into(),
            path: "task",
            mentions: "null",
        },
        DecodeCase {
            body: "[]".into(),
            path: ".",
            mentions: "`task`",
        },
    ]
}

#[test]
fn malformed_success_bodies_name_the_failing_path() {
    for case in decode_cases() {
        let response = response(200, Some("application/json"), case.body.clone());

        let err = get_task(&response);

        assert_eq!(err.status(), Some(StatusCode::OK));
        assert_eq!(err.code(), None);
        assert_message_style(&err.to_string());
        let err = decode_error(err);
        assert_eq!(err.path(), case.path, "{}", case.body);
        assert!(
            err.message().contains(case.mentions),
            "{:?} does not mention {:?}",
            err.message(),
            case.mentions
        );
        assert!(err.to_string().contains(case.path), "{err}");
        assert_eq!(err.body().len(), case.body.len());
        assert_eq!(
            err.body().bytes(),
            &case.body.as_bytes()[..case.body.len().min(BODY_EXCERPT_LIMIT)]
        );
    }
}

#[test]
fn a_list_names_the_index_of_the_bad_task() {
    let task: Value = serde_json::from_str::<Value>(FIXTURE).unwrap()["task"].clone();
    let mut bad = task.clone();
    bad["steps"]["finished"] = json!(false);
    let body = json!({ "status": "success", "tasks": [task, bad] });

    let err = ListTasks::new()
        .decode(&json_response(200, &body))
        .unwrap_err();

    assert_eq!(decode_error(err).path(), "tasks[1].steps.finished");
}

fn duplicate_bodies() -> Vec<String> {
    let task = || serde_json::from_str::<Value>(FIXTURE).unwrap()["task"].to_string();
    vec![
        fixture_with(
            "\"appName\": \"sushi\",",
            "\"appName\": \"sushi\", \"appName\": \"sushi\",",
        ),
        fixture_with("\"created\"", "\"created\": null, \"created\""),
        fixture_with(
            "\"appName\": \"sushi\",",
            "\"appName\": \"sushi\", \"x\": 1, \"x\": 1,",
        ),
        fixture_with(
            "\"sizeBytesActual\"",
            "\"kind\": 1, \"kind\": 2, \"sizeBytesActual\"",
        ),
        format!(
            r#"{{"status":"success","task":{},"task":{}}}"#,
            task(),
            task()
        ),
        format!(
            r#"{{"status":"success","page":1,"page":1,"task":{}}}"#,
            task()
        ),
    ]
}

#[test]
fn duplicate_members_are_refused() {
    for body in duplicate_bodies() {
        let err = get_task(&response(200, Some("application/json"), body.clone()));

        let err = decode_error(err);
        assert!(err.message().contains("duplicate"), "{err}: {body}");
    }
}

#[test]
fn a_repeated_status_member_is_refused() {
    let body = fixture_with(
        "\"status\": \"success\",",
        "\"status\": \"error\", \"status\": \"success\",",
    );

    let result = GetTask::new("t").decode(&response(200, Some("application/json"), body));

    assert!(matches!(result, Err(Error::Decode(_))), "{result:?}");
}

#[test]
fn acknowledgement_answers_refuse_repeated_members() {
    for body in [
        r#"{"status":"error","status":"success"}"#,
        r#"{"status":"success","changed":1,"changed":2}"#,
    ] {
        let response = response(200, Some("application/json"), body);

        let result = AcknowledgeTask::new("t").decode(&response);

        assert!(
            matches!(result, Err(Error::Decode(_))),
            "{body}: {result:?}"
        );
    }
}

#[test]
fn acknowledgement_answers() {
    let ok = json_response(200, &json!({ "status": "success", "acknowledged": 1 }));
    let map = AcknowledgeTask::new("t").decode(&ok).unwrap();
    assert_eq!(Value::Object(map), json!({ "acknowledged": 1 }));
    let map = ExpireTask::new("t").decode(&ok).unwrap();
    assert!(!map.contains_key("status"));

    let err = ExpireTask::new("t")
        .decode(&json_response(
            200,
            &json!({ "status": "error", "code": "x" }),
        ))
        .unwrap_err();
    assert_eq!(api(err).status(), StatusCode::OK);

    // Without a status string the server reported no failure: the body has the wrong shape.
    for (body, path) in [(json!({}), "."), (json!({ "status": 1 }), "status")] {
        let err = ExpireTask::new("t")
            .decode(&json_response(200, &body))
            .unwrap_err();
        let err = decode_error(err);
        assert_eq!(err.path(), path, "{body}");
        assert!(err.message().contains("status"), "{body}");
    }

    for body in ["", "[]", "not json"] {
        let response = response(200, Some("application/json"), body);
        let err = decode_error(AcknowledgeTask::new("t").decode(&response).unwrap_err());
        assert_eq!(err.path(), ".", "{body:?}");
    }
}

#[test]
fn raw_answers() {
    let raw = RawRequest::new(Method::GET, "/be/v1/activities");

    let empty = raw.decode(&response(204, None, "")).unwrap();
    assert_eq!(empty.status, StatusCode::NO_CONTENT);
    assert_eq!(empty.body, None);

    let answer = response(
        200,
        Some("application/json"),
        r#"{"status":"success","n":[1]}"#,
    );
    let ok = raw.decode(&answer).unwrap();
    assert_eq!(ok.body, Some(json!({ "status": "success", "n": [1] })));
    assert_eq!(ok.headers[CONTENT_TYPE], "application/json");

    let unenveloped = raw.decode(&response(200, None, "[1, 2]")).unwrap();
    assert_eq!(unenveloped.body, Some(json!([1, 2])));

    let err = raw
        .decode(&response(
            200,
            None,
            r#"{"status":"error","code":"missing-param"}"#,
        ))
        .unwrap_err();
    assert_eq!(api(err).code(), Some(&ErrorCode::MissingParam));

    let err = raw.decode(&response(200, None, "{")).unwrap_err();
    assert_eq!(decode_error(err).path(), ".");
}

#[test]
fn input_errors_name_the_value_and_read_as_a_sentence() {
    let base = rockit_edge::BaseUrl::parse("https://edge.example.com").unwrap();
    let creds = rockit_edge::Credentials::backend_token("t0k").unwrap();

    let err = GetTask::new("").to_request(&base, &creds).unwrap_err();

    assert_eq!(err.to_string(), "invalid task name: must not be empty");
    assert_eq!(err.status(), None);
    assert_eq!(err.code(), None);
    match &err {
        Error::Input(e) => {
            assert_eq!(e.what(), "task name");
            assert_eq!(e.problem(), "must not be empty");
        }
        other => panic!("expected Error::Input, got {other:?}"),
    }
    for err in [
        GetTask::new("..").to_request(&base, &creds).unwrap_err(),
        ListTasks::new()
            .limit(0)
            .to_request(&base, &creds)
            .unwrap_err(),
        RawRequest::new(Method::GET, "no-slash")
            .to_request(&base, &creds)
            .unwrap_err(),
        RawRequest::new(Method::GET, "/a b")
            .to_request(&base, &creds)
            .unwrap_err(),
    ] {
        assert!(matches!(err, Error::Input(_)), "{err:?}");
        assert_message_style(&err.to_string());
    }
    for url in [
        "",
        "edge.example.com",
        "ftp://e.example.com",
        "https://e.example.com/?q",
    ] {
        let err = rockit_edge::BaseUrl::parse(url).unwrap_err();
        assert_eq!(err.what(), "base URL");
        assert_message_style(&err.to_string());
    }
}

#[test]
fn error_chains_show_each_message_once_and_reach_the_cause() {
    /// The messages of `error` and of every source below it.
    fn chain(error: &dyn std::error::Error) -> Vec<String> {
        let mut messages = vec![error.to_string()];
        let mut next = error.source();
        while let Some(source) = next {
            messages.push(source.to_string());
            next = source.source();
        }
        messages
    }

    let api_err = get_task(&response(503, Some("text/plain"), "upstream down"));
    assert_eq!(chain(&api_err).len(), 1, "{:?}", chain(&api_err));
    assert!(api_err.to_string().contains("upstream down"));

    let base = rockit_edge::BaseUrl::parse("https://edge.example.com").unwrap();
    let creds = rockit_edge::Credentials::backend_token("t0k").unwrap();
    let input_err = ListTasks::new()
        .limit(0)
        .to_request(&base, &creds)
        .unwrap_err();
    assert_eq!(chain(&input_err), ["invalid limit: must be at least 1"]);

    let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused by peer");
    let transport_err = Error::from(
        TransportError::new(TransportErrorKind::Connect, "cannot connect to 127.0.0.1:9")
            .with_source(io),
    );
    assert_message_style(&transport_err.to_string());
    assert_eq!(
        chain(&transport_err),
        [
            "transport failed: cannot connect to 127.0.0.1:9",
            "refused by peer"
        ]
    );
    let cause = std::error::Error::source(&transport_err)
        .unwrap()
        .downcast_ref::<std::io::Error>()
        .unwrap();
    assert_eq!(cause.kind(), std::io::ErrorKind::ConnectionRefused);

    let wrapped = TransportError::other("custom transport gave up");
    assert_eq!(wrapped.kind(), TransportErrorKind::Other);
    assert_eq!(wrapped.message(), "custom transport gave up");
    assert_eq!(
        chain(&Error::from(wrapped)),
        ["transport failed: custom transport gave up"]
    );
}

#[test]
fn control_characters_from_the_server_are_escaped_when_shown() {
    let body = br#"{"status":"error","code":"bad\u001b[2J","message":"token X\u001b[31mRED\nforged line"}"#;
    let mut response = http::Response::new(body.to_vec());
    *response.status_mut() = http::StatusCode::UNAUTHORIZED;
    let err = rockit_edge::tasks::GetTask::new("t")
        .decode(&response)
        .unwrap_err();
    let shown = err.to_string();
    assert!(!shown.chars().any(char::is_control), "{shown:?}");
    assert!(shown.contains("\\u{1b}[31mRED\\nforged line"), "{shown}");
    // The message itself is kept as it was sent.
    assert_eq!(
        err.code().map(|c| c.as_str()),
        Some("bad\u{1b}[2J"),
        "the code is kept as sent"
    );
}

#[test]
fn a_huge_message_is_cut_but_the_body_excerpt_stays() {
    let message = "x".repeat(5_000_000);
    let body = json!({"status": "error", "code": "big", "message": message});
    let err = api(get_task(&json_response(500, &body)));
    let kept = err.message().unwrap();
    assert!(kept.chars().count() <= 1001, "{}", kept.len());
    assert!(kept.ends_with('…'));
    assert!(err.body().is_truncated());
}

#[test]
fn a_status_that_is_not_a_string_is_named() {
    for status in [
        "1",
        "-1",
        "1.5",
        "true",
        "null",
        r#"[1, {"a": 2}]"#,
        r#"{"a": [1]}"#,
    ] {
        let body = fixture_with(
            "\"status\": \"success\",",
            &format!("\"status\": {status},"),
        );

        let err = decode_error(get_task(&response(200, Some("application/json"), body)));

        assert_eq!(err.path(), "status", "{status}");
        assert!(err.message().contains("not a string"), "{status}: {err}");
    }
}

#[test]
fn a_success_code_with_another_status_string_is_an_api_error() {
    let body = fixture_with("\"status\": \"success\",", "\"status\": \"failed\",");

    let err = api(get_task(&response(200, Some("application/json"), body)));

    assert_eq!(err.status(), StatusCode::OK);
}

#[test]
fn a_body_that_is_not_utf8_is_refused_where_it_breaks() {
    let mut body = FIXTURE.as_bytes().to_vec();
    let at = FIXTURE.find("\"sushi\"").expect("the fixture names sushi") + 3;
    body[at] = 0xFF;

    let err = decode_error(get_task(&response(200, Some("application/json"), body)));

    assert_eq!(err.path(), "task.appName");
}

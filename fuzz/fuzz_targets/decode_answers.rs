//! Every decoder of the crate on arbitrary answers: status, a content type and a body.
//! Decoding may fail, but only with a typed error, and never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rockit_edge::tasks::{AcknowledgeTask, GetTask, ListTasks};
use rockit_edge::Endpoint;

fuzz_target!(|data: &[u8]| {
    let (status, content_type, body) = match data {
        [a, b, c, rest @ ..] => (
            100 + u16::from_le_bytes([*a, *b]) % 900,
            ["application/json", "text/plain", "text/html", "application/json; charset=utf-8"]
                [usize::from(*c) % 4],
            rest,
        ),
        _ => return,
    };
    let response = http::Response::builder()
        .status(status)
        .header("content-type", content_type)
        .body(body.to_vec())
        .expect("status and header are valid");

    let _ = GetTask::new("t").decode(&response);
    let _ = ListTasks::new().decode(&response);
    let _ = AcknowledgeTask::new("t").decode(&response);
    let _ = rockit_edge::raw::RawRequest::new(http::Method::GET, "/x").decode(&response);
    let _ = rockit_edge::decode::api_error(response.status(), response.headers(), body);
});

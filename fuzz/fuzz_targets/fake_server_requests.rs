//! The in-memory fake on arbitrary requests: any method, path and body, with valid
//! credentials, answers without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rockit_edge::fake::FakeEdge;
use rockit_edge::Transport;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let split = rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len());
    let (path, body) = rest.split_at(split);
    let Ok(path) = std::str::from_utf8(path) else {
        return;
    };
    let method = ["GET", "POST", "PATCH", "DELETE", "PUT"][usize::from(selector) % 5];
    let Ok(request) = http::Request::builder()
        .method(method)
        .uri(format!("http://fake-edge.invalid/{}", path.trim_start_matches('/')))
        .header("x-rockit-beauth-token", rockit_edge::fake::VALID_TOKEN)
        .header("content-type", "application/json")
        .body(body.to_vec())
    else {
        return;
    };
    let fake = FakeEdge::seeded();
    let _ = fake.send(request);
});

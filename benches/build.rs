//! Request building speed: `GET /be/v1/tasks/{taskName}` with API-key credentials, built by
//! this crate and by hand with `http::Request::builder()` and the same headers.
//!
//! Prints `build_vs_handwritten: R` (our time / the hand-written one's; target ≤ 1.2).

mod common;

use std::hint::black_box;

use http::header::{ACCEPT, USER_AGENT};
use http::HeaderValue;
use rockit_edge::endpoint::USER_AGENT_VALUE;
use rockit_edge::tasks::GetTask;
use rockit_edge::{BaseUrl, Credentials, Endpoint};

const NAME: &str = "ExampleOrg-sushi-0003-1739273968-dltar";

fn handwritten(
    base: &str,
    name: &str,
    org: &HeaderValue,
    user: &HeaderValue,
    key: &HeaderValue,
) -> http::Request<Vec<u8>> {
    let mut key = key.clone();
    key.set_sensitive(true);
    http::Request::builder()
        .method(http::Method::GET)
        .uri(format!("{base}/be/v1/tasks/{name}"))
        .header(ACCEPT, "application/json")
        .header(USER_AGENT, USER_AGENT_VALUE)
        .header("x-rockit-orgname", org.clone())
        .header("x-rockit-username", user.clone())
        .header("x-rockit-api-key", key)
        .body(Vec::new())
        .unwrap()
}

fn main() {
    let (samples, sample) = common::settings();
    let base = BaseUrl::parse("https://edge.example.com").unwrap();
    let credentials =
        Credentials::api_key("ExampleOrg", "adminPrincipal", "k-0123456789abcdef").unwrap();
    let (org, user, key) = (
        HeaderValue::from_static("ExampleOrg"),
        HeaderValue::from_static("adminPrincipal"),
        HeaderValue::from_static("k-0123456789abcdef"),
    );

    // The two must build the same request, or the comparison means nothing.
    let ours = GetTask::new(NAME).to_request(&base, &credentials).unwrap();
    let theirs = handwritten("https://edge.example.com", NAME, &org, &user, &key);
    assert_eq!(ours.uri(), theirs.uri());
    assert_eq!(ours.headers(), theirs.headers());

    let mut ours = || {
        black_box(
            GetTask::new(black_box(NAME))
                .to_request(black_box(&base), black_box(&credentials))
                .unwrap(),
        );
    };
    let mut theirs = || {
        black_box(handwritten(
            black_box("https://edge.example.com"),
            black_box(NAME),
            &org,
            &user,
            &key,
        ));
    };
    let times = common::time_in_turn(samples, sample, &mut [&mut ours, &mut theirs]);
    println!("build_ours_ns: {}", times.median(0).as_nanos());
    println!("build_handwritten_ns: {}", times.median(1).as_nanos());
    println!("build_vs_handwritten: {:.2}", times.ratio(0, 1));
}

//! Helpers shared by the integration tests: base URLs, credentials, fixtures, answers, request
//! bodies and JSON round trips; proptest strategies are in [`strategies`].
#![allow(dead_code)]

pub mod edge;
pub mod strategies;

use http::{Method, Request, Response, StatusCode};
use rockit_edge::{BaseUrl, Credentials, Endpoint, Error, InputError};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// The base URL of a server at the root of its host.
pub fn base() -> BaseUrl {
    BaseUrl::parse("https://edge.example.com").unwrap()
}

/// The base URL of a server behind a `/gw/` gateway prefix.
pub fn gw_base() -> BaseUrl {
    BaseUrl::parse("https://edge.example.com/gw/").unwrap()
}

/// A backend auth token, sent as `x-rockit-beauth-token: t0k`.
pub fn token() -> Credentials {
    Credentials::backend_token("t0k").unwrap()
}

/// The API key `k3y` of the user `ci_bot` in `ExampleOrg`.
pub fn api_key() -> Credentials {
    Credentials::api_key("ExampleOrg", "ci_bot", "k3y").unwrap()
}

/// The API key `k-123` of the user `adminPrincipal` in `ExampleOrg`.
pub fn admin_principal_key() -> Credentials {
    Credentials::api_key("ExampleOrg", "adminPrincipal", "k-123").unwrap()
}

/// The bytes of `tests/fixtures/{name}`.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// An answer with this status and body and no headers.
pub fn answer(status: u16, body: Vec<u8>) -> Response<Vec<u8>> {
    let mut response = Response::new(body);
    *response.status_mut() = StatusCode::from_u16(status).unwrap();
    response
}

/// An answer with this status whose body is the fixture `name`.
pub fn fixture_answer(status: u16, name: &str) -> Response<Vec<u8>> {
    answer(status, fixture(name))
}

/// The input error a request refused to build with.
pub fn input_error<T: std::fmt::Debug>(result: Result<T, Error>) -> InputError {
    match result {
        Err(Error::Input(e)) => e,
        other => panic!("expected an input error, got {other:?}"),
    }
}

/// What value the input error names, such as `"username"`.
pub fn input_error_what<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
    input_error(result).what().to_owned()
}

/// Builds under [`gw_base`] with both credentials; checks method, URI, headers; returns any body.
pub fn built<E: Endpoint>(endpoint: &E, method: Method, uri: &str) -> Option<Value> {
    let with_key = endpoint.to_request(&gw_base(), &api_key()).unwrap();
    assert_eq!(with_key.headers()["x-rockit-orgname"], "ExampleOrg");
    assert_eq!(with_key.headers()["x-rockit-username"], "ci_bot");
    assert_eq!(with_key.headers()["x-rockit-api-key"], "k3y");
    assert!(!with_key.headers().contains_key("x-rockit-beauth-token"));

    let request = endpoint.to_request(&gw_base(), &token()).unwrap();
    assert_eq!(request.method(), method);
    assert_eq!(request.uri(), uri);
    assert_eq!(request.headers()["x-rockit-beauth-token"], "t0k");
    assert!(!request.headers().contains_key("x-rockit-api-key"));
    assert_eq!(with_key.body(), request.body());
    if request.body().is_empty() {
        assert!(request.headers().get("content-type").is_none());
        None
    } else {
        assert_eq!(request.headers()["content-type"], "application/json");
        Some(serde_json::from_slice(request.body()).unwrap())
    }
}

/// What value the input error names when `endpoint` is built under [`gw_base`] with [`token`].
pub fn gw_input_error_what<E: Endpoint>(endpoint: &E) -> String {
    input_error_what(endpoint.to_request(&gw_base(), &token()))
}

/// The status and code of the error answer a call got, such as `(404, "not-found")`.
pub fn api_error<T: std::fmt::Debug>(result: Result<T, Error>) -> (u16, String) {
    match result {
        Err(Error::Api(e)) => (
            e.status().as_u16(),
            e.code().map(|c| c.as_str().to_owned()).unwrap_or_default(),
        ),
        other => panic!("expected an error answer, got {other:?}"),
    }
}

/// The body of a request as JSON, after checking that it is sent as `application/json`.
pub fn body_json(request: &Request<Vec<u8>>) -> Value {
    assert_eq!(request.headers()["content-type"], "application/json");
    serde_json::from_slice(request.body()).unwrap()
}

/// The body of a request as JSON, whatever content type the request names.
pub fn raw_body_json(request: &Request<Vec<u8>>) -> Value {
    serde_json::from_slice(request.body()).expect("the body is JSON")
}

/// Checks that a request has no body and names no content type.
pub fn assert_no_body(request: &Request<Vec<u8>>) {
    assert!(request.body().is_empty());
    assert!(request.headers().get("content-type").is_none());
}

/// The model that encoding `model` as JSON and decoding it again gives.
pub fn round_trip<T: Serialize + DeserializeOwned>(model: &T) -> T {
    serde_json::from_value(serde_json::to_value(model).unwrap()).unwrap()
}

/// Checks that decoding `json` as a `T` and encoding the model again gives `json` back.
pub fn survives<T: Serialize + DeserializeOwned>(json: Value) {
    let model: T = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(serde_json::to_value(&model).unwrap(), json);
}

//! Walking lists: the next page is asked for only when needed, and the walk ends on a short
//! or empty page, at the reported total, or with an error when the server ignores `offset`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use http::{Request, Response};
use rockit_edge::pager::{Pager, DEFAULT_PAGE_SIZE};
use rockit_edge::tasks::ListTasks;
use rockit_edge::{BaseUrl, Client, Credentials, Endpoint, Error, TransportError};
use serde_json::{json, Value};

fn task(i: u64) -> Value {
    json!({"name": format!("t{i}"), "appName": "a", "buildName": "0001", "taskType": "mkraw",
           "status": "running", "steps": {}})
}

/// A transport that answers in memory.
type Server = Box<dyn Fn(Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError>>;

/// A server holding `count` tasks that pages them as asked (or, when `ignore_offset`, always
/// from the start), optionally reporting the total; it counts the requests it gets.
fn server(count: u64, total: bool, ignore_offset: bool) -> (Server, Arc<AtomicUsize>) {
    let requests = Arc::new(AtomicUsize::new(0));
    let seen = requests.clone();
    let transport = move |request: Request<Vec<u8>>| {
        seen.fetch_add(1, Ordering::SeqCst);
        let query = request.uri().query().unwrap_or("");
        let param = |key: &str| {
            query
                .split('&')
                .find_map(|pair| pair.strip_prefix(&format!("{key}=")))
                .and_then(|v| v.parse::<u64>().ok())
        };
        let offset = if ignore_offset {
            0
        } else {
            param("offset").unwrap_or(0)
        };
        let limit = param("limit").unwrap_or(DEFAULT_PAGE_SIZE);
        let tasks: Vec<Value> = (offset..count.min(offset + limit)).map(task).collect();
        let mut body = json!({"status": "success", "tasks": tasks});
        if total {
            body["total"] = json!(count);
        }
        Ok(Response::new(serde_json::to_vec(&body).unwrap()))
    };
    (Box::new(transport), requests)
}

fn client<T: rockit_edge::Transport>(transport: T) -> Client<T> {
    Client::new(
        transport,
        BaseUrl::parse("https://edge.example.com").unwrap(),
        Credentials::backend_token("t").unwrap(),
    )
}

#[test]
fn a_short_last_page_ends_the_walk() {
    let (transport, requests) = server(23, false, false);
    let names: Vec<String> = client(transport)
        .all(ListTasks::new().limit(5))
        .map(|t| t.unwrap().name)
        .collect();
    assert_eq!(names.len(), 23);
    assert_eq!(names[22], "t22");
    assert_eq!(requests.load(Ordering::SeqCst), 5);
}

#[test]
fn an_empty_page_ends_the_walk_and_the_default_page_size_is_assumed() {
    let (transport, requests) = server(20, false, false);
    let count = client(transport).all(ListTasks::new()).count();
    assert_eq!(count, 20);
    // Pages of 10, 10, then an empty one.
    assert_eq!(requests.load(Ordering::SeqCst), 3);
}

#[test]
fn the_reported_total_saves_the_last_request() {
    let (transport, requests) = server(20, true, false);
    assert_eq!(client(transport).all(ListTasks::new()).count(), 20);
    assert_eq!(requests.load(Ordering::SeqCst), 2);
}

#[test]
fn pages_are_fetched_only_when_their_items_are_needed() {
    let (transport, requests) = server(100, false, false);
    let client = client(transport);
    let first: Vec<_> = client.all(ListTasks::new().limit(10)).take(12).collect();
    assert_eq!(first.len(), 12);
    assert_eq!(requests.load(Ordering::SeqCst), 2);
}

#[test]
fn a_server_that_ignores_offset_ends_with_an_error_not_a_loop() {
    let (transport, requests) = server(1000, false, true);
    let results: Vec<_> = client(transport).all(ListTasks::new().limit(10)).collect();
    assert_eq!(results.len(), 11, "one page of items, then the error");
    match results.last().unwrap() {
        Err(Error::Paging(e)) => assert!(e.message().contains("offset"), "{e}"),
        other => panic!("expected a paging error, got {other:?}"),
    }
    assert_eq!(requests.load(Ordering::SeqCst), 2);
}

#[test]
fn the_sans_io_pager_hands_out_requests_and_takes_answers() {
    let (transport, _) = server(7, false, false);
    let base = BaseUrl::parse("https://edge.example.com").unwrap();
    let credentials = Credentials::backend_token("t").unwrap();
    let mut pager = Pager::new(ListTasks::new().limit(3).offset(1));
    let mut offsets = Vec::new();
    let mut names = Vec::new();
    while let Some(list) = pager.next_request() {
        let request = list.to_request(&base, &credentials).unwrap();
        offsets.push(request.uri().query().unwrap().to_owned());
        let answer = transport(request).unwrap();
        names.extend(pager.feed(&answer).unwrap().into_iter().map(|t| t.name));
    }
    // Two full pages say nothing of the end; the third, empty, does.
    assert_eq!(
        offsets,
        ["offset=1&limit=3", "offset=4&limit=3", "offset=7&limit=3"]
    );
    assert_eq!(names, ["t1", "t2", "t3", "t4", "t5", "t6"]);
    assert_eq!(pager.pages(), 3);
    assert!(pager.next_request().is_none());
}

#[test]
fn an_error_answer_ends_the_walk_with_that_error() {
    let failing = |_: Request<Vec<u8>>| -> Result<Response<Vec<u8>>, TransportError> {
        let mut response = Response::new(br#"{"status":"error","code":"token-expired"}"#.to_vec());
        *response.status_mut() = http::StatusCode::UNAUTHORIZED;
        Ok(response)
    };
    let results: Vec<_> = client(failing).all(ListTasks::new()).collect();
    assert_eq!(results.len(), 1);
    assert!(matches!(&results[0], Err(Error::Api(e)) if e.status() == 401));
}

#[test]
fn a_server_that_caps_pages_is_walked_to_its_reported_total() {
    // Pages of at most 3, whatever the size asked for, with the total reported.
    let capped = |request: Request<Vec<u8>>| -> Result<Response<Vec<u8>>, TransportError> {
        let query = request.uri().query().unwrap_or("");
        let offset: u64 = query
            .split('&')
            .find_map(|p| p.strip_prefix("offset="))
            .map_or(0, |v| v.parse().unwrap());
        let tasks: Vec<Value> = (offset..8.min(offset + 3)).map(task).collect();
        let body = json!({"status": "success", "tasks": tasks, "total": 8});
        Ok(Response::new(serde_json::to_vec(&body).unwrap()))
    };
    let names: Vec<String> = client(capped)
        .all(ListTasks::new().limit(100))
        .map(|t| t.unwrap().name)
        .collect();
    assert_eq!(names, (0..8).map(|i| format!("t{i}")).collect::<Vec<_>>());
}

#[test]
fn offset_and_limit_set_only_what_is_given() {
    let base = BaseUrl::parse("https://edge.example.com").unwrap();
    let credentials = Credentials::backend_token("t").unwrap();
    let query = |list: ListTasks| {
        list.to_request(&base, &credentials)
            .map(|r| r.uri().query().unwrap_or("").to_owned())
    };
    assert_eq!(
        query(ListTasks::new().offset_and_limit(Some(5), None)).unwrap(),
        "offset=5"
    );
    assert_eq!(
        query(ListTasks::new().offset_and_limit(None, Some(7))).unwrap(),
        "limit=7"
    );
    assert_eq!(
        query(ListTasks::new().limit(3).offset_and_limit(None, None)).unwrap(),
        "limit=3"
    );
    assert!(matches!(
        query(ListTasks::new().offset_and_limit(None, Some(0))),
        Err(Error::Input(e)) if e.what() == "limit"
    ));
}

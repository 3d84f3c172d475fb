//! Subscriptions: requests, answers, paging, and the webhook body Edge sends.

mod common;

use http::{Method, Response, StatusCode};
use proptest::prelude::*;
use rockit_edge::auth::BEAUTH_TOKEN;
use rockit_edge::pager::Pager;
use rockit_edge::subscriptions::{
    Event, EventFilter, EventType, GetSubscription, ListSubscriptions, Subscribe, Subscribed,
    Subscription, Target, Unsubscribe, WebhookEvent, WEBHOOK_TOKEN_HEADER,
};
use rockit_edge::tasks::Exception;
use rockit_edge::{Credentials, Endpoint, Extra, Field, Secret};
use serde_json::{json, Value};

use common::strategies::{field, non_null_json_leaf, untyped_extra};
use common::{
    base, fixture, fixture_answer as answer, input_error, raw_body_json as body_json, round_trip,
    survives, token,
};

#[test]
fn subscribe_sends_name_target_and_filter() {
    let request = Subscribe::new("ci_hook", Target::webhook("https://ci.example.com/edge"))
        .events(EventType::Deploy, [Event::End, Event::Error])
        .events("mkraw", ["error", "error"])
        .events(EventType::Deploy, [Event::End])
        .to_request(&base(), &token())
        .unwrap();
    assert_eq!(request.method(), Method::POST);
    assert_eq!(
        request.uri(),
        "https://edge.example.com/be/v1/subscriptions"
    );
    assert_eq!(request.headers()["content-type"], "application/json");
    assert_eq!(request.headers()[BEAUTH_TOKEN], "t0k");
    assert_eq!(
        body_json(&request),
        json!({
            "name": "ci_hook",
            "url": "https://ci.example.com/edge",
            "events": {"deploy": ["end", "error"], "mkraw": ["error"]}
        })
    );
}

#[test]
fn subscribe_a_slack_channel_without_filter() {
    let creds = Credentials::api_key("ExampleOrg", "robot", "k3y").unwrap();
    let request = Subscribe::new("releases", Target::slack("#releases"))
        .to_request(&base(), &creds)
        .unwrap();
    assert_eq!(request.headers()["x-rockit-api-key"], "k3y");
    assert_eq!(request.headers()["x-rockit-orgname"], "ExampleOrg");
    assert!(!request.headers().contains_key(BEAUTH_TOKEN));
    assert_eq!(
        body_json(&request),
        json!({"name": "releases", "slackChannel": "#releases"})
    );
}

#[test]
fn subscribe_checks_name_and_target() {
    let e = input_error(Subscribe::new(" ", Target::slack("#x")).to_request(&base(), &token()));
    assert_eq!(e.what(), "subscription name");
    for url in [
        "ftp://x.example.com",
        "ci.example.com",
        "https://",
        "https://a b",
    ] {
        let e =
            input_error(Subscribe::new("hook", Target::webhook(url)).to_request(&base(), &token()));
        assert_eq!(e.what(), "webhook URL", "{url}");
    }
    assert!(Target::webhook("HTTPS://ci.example.com").check().is_ok());
    let e = input_error(Subscribe::new("hook", Target::slack("")).to_request(&base(), &token()));
    assert_eq!(e.what(), "Slack channel");
}

#[test]
fn subscribed_carries_the_secret_hidden_from_debug() {
    let subscribed = Subscribe::new("ci_hook", Target::webhook("https://ci.example.com/edge"))
        .decode(&answer(200, "subscriptions_create_200.json"))
        .unwrap();
    let secret = subscribed.secret.get().unwrap();
    assert_eq!(secret.expose(), "whsec_9f8e7d6c5b4a");
    assert!(!format!("{subscribed:?}").contains("whsec"));
    let subscription = subscribed.subscription.get().unwrap();
    assert_eq!(
        subscription.target(),
        Some(Target::webhook("https://ci.example.com/edge"))
    );
    let filter = subscription.events.get().unwrap();
    assert_eq!(filter[&EventType::Deploy], [Event::End, Event::Error]);
}

#[test]
fn list_sends_paging_and_order() {
    let request = ListSubscriptions::new()
        .offset(0)
        .limit(1)
        .order_by_name(true)
        .to_request(&base(), &token())
        .unwrap();
    assert_eq!(request.method(), Method::GET);
    // The reference's curl sample, percent-encoded: offset=0&limit=1&order[]=[-name].
    assert_eq!(
        request.uri(),
        "https://edge.example.com/be/v1/subscriptions?offset=0&limit=1&order%5B%5D=%5B-name%5D"
    );
    assert!(request.body().is_empty());
    assert!(!request.headers().contains_key("content-type"));

    let request = ListSubscriptions::new()
        .order_by_name(false)
        .order_by("created", true)
        .param("x", "y z")
        .to_request(&base(), &token())
        .unwrap();
    assert_eq!(
        request.uri().query(),
        Some("order%5B%5D=%5B%2Bname%5D&order%5B%5D=%5B-created%5D&x=y%20z")
    );
    let plain = ListSubscriptions::new()
        .to_request(&base(), &token())
        .unwrap();
    assert_eq!(plain.uri().query(), None);

    let e = input_error(
        ListSubscriptions::new()
            .limit(0)
            .to_request(&base(), &token()),
    );
    assert_eq!(e.what(), "limit");
}

#[test]
fn list_decodes_targets_filters_and_total() {
    let page = ListSubscriptions::new()
        .decode(&answer(200, "subscriptions_list_200.json"))
        .unwrap();
    assert_eq!(page.total(), Some(2));
    let names: Vec<&str> = page.items.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["releases", "ci_hook"]);
    assert_eq!(page.items[0].target(), Some(Target::slack("#releases")));
    assert_eq!(page.items[0].extra["created"], "2025-05-08T12:00:04.000Z");
    let filter = page.items[1].events.get().unwrap();
    assert_eq!(filter[&EventType::Dltar].len(), 4);
    // Unknown types and events are kept, not refused.
    let audit = EventType::from("audit");
    assert!(!audit.is_known());
    assert_eq!(filter[&audit], [Event::Other("expired".into())]);
}

#[test]
fn list_pages_by_offset() {
    let mut pager = Pager::new(ListSubscriptions::new().limit(2));
    let first = pager.next_request().unwrap().clone();
    let items = pager
        .feed(&answer(200, "subscriptions_list_200.json"))
        .unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(
        first.to_request(&base(), &token()).unwrap().uri().query(),
        Some("limit=2")
    );
    // The total of 2 is reached, so the walk ends.
    assert!(pager.next_request().is_none());

    let mut pager = Pager::new(ListSubscriptions::new().limit(2).order_by_name(true));
    let body = br#"{"status":"success","subscriptions":[{"name":"a"},{"name":"b"}],"total":5}"#;
    pager.feed(&Response::new(body.to_vec())).unwrap();
    let next = pager.next_request().unwrap();
    assert_eq!(
        next.to_request(&base(), &token()).unwrap().uri().query(),
        Some("offset=2&limit=2&order%5B%5D=%5B-name%5D")
    );
}

#[test]
fn get_and_unsubscribe_name_one_segment() {
    let get = GetSubscription::new("ci_hook")
        .to_request(&base(), &token())
        .unwrap();
    assert_eq!(get.method(), Method::GET);
    assert_eq!(
        get.uri(),
        "https://edge.example.com/be/v1/subscriptions/ci_hook"
    );
    let delete = Unsubscribe::new("a/b?c")
        .to_request(&base(), &token())
        .unwrap();
    assert_eq!(delete.method(), Method::DELETE);
    assert_eq!(
        delete.uri(),
        "https://edge.example.com/be/v1/subscriptions/a%2Fb%3Fc"
    );
    assert!(delete.body().is_empty());
    for bad in ["", ".."] {
        let e = input_error(Unsubscribe::new(bad).to_request(&base(), &token()));
        assert_eq!(e.what(), "subscription name");
        let e = input_error(GetSubscription::new(bad).to_request(&base(), &token()));
        assert_eq!(e.what(), "subscription name");
    }
}

#[test]
fn get_and_unsubscribe_answers_decode() {
    let subscription = GetSubscription::new("ci_hook")
        .decode(&answer(200, "subscriptions_get_200.json"))
        .unwrap();
    assert_eq!(subscription.name, "ci_hook");
    let err = GetSubscription::new("nope")
        .decode(&answer(404, "subscriptions_get_404.json"))
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    let members = Unsubscribe::new("ci_hook")
        .decode(&answer(200, "subscriptions_delete_200.json"))
        .unwrap();
    assert!(members.is_empty());
}

#[test]
fn webhook_body_of_the_reference_decodes() {
    // The reference's example of the schema (cut off after `dxfName`).
    let text = fixture("subscriptions_webhook_body.json");
    let event: WebhookEvent = serde_json::from_slice(&text).unwrap();
    assert_eq!(event.event_type, EventType::Dltar);
    assert_eq!(event.event, Event::Submit);
    assert_eq!(event.dxf_name.get().map(String::as_str), Some("string"));
    assert_eq!(WEBHOOK_TOKEN_HEADER, "x-rockit-subscriptions");

    let failed = json!({
        "type": "mkraw", "event": "error", "orgName": "ExampleOrg", "appName": "sushi",
        "exception": {"fileReadFailed": {"filename": "a.pak", "typeExpected": "pak", "typeDetected": "zip"}}
    });
    let event: WebhookEvent = serde_json::from_value(failed).unwrap();
    let exception = event.exception.get().unwrap();
    assert_eq!(exception.kinds(), ["fileReadFailed"]);
    let missing = json!({"type": "mkraw", "event": "error", "orgName": "ExampleOrg"});
    assert!(serde_json::from_value::<WebhookEvent>(missing).is_err());
}

/// Members no model here types: their names start with `x_`.
fn extra() -> impl Strategy<Value = Extra> {
    untyped_extra(non_null_json_leaf())
}

fn event_type() -> impl Strategy<Value = EventType> {
    prop_oneof![
        Just(EventType::Dltar),
        Just(EventType::Mkraw),
        Just(EventType::Deploy),
        "[a-z]{1,8}".prop_map(|s| EventType::from(s.as_str())),
    ]
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        Just(Event::Submit),
        Just(Event::Begin),
        Just(Event::End),
        Just(Event::Error),
        "[a-z]{1,8}".prop_map(|s| Event::from(s.as_str())),
    ]
}

fn filter() -> impl Strategy<Value = EventFilter> {
    prop::collection::btree_map(event_type(), prop::collection::vec(event(), 0..5), 0..4)
}

prop_compose! {
    fn subscription()(
        name in "[A-Za-z0-9_]{2,20}",
        url in field("https://[a-z]{1,10}\\.example\\.com/[a-z]{0,8}"),
        slack_channel in field("#[a-z]{1,10}"),
        events in field(filter()),
        extra in extra(),
    ) -> Subscription {
        Subscription { name, url, slack_channel, events, extra }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn subscription_round_trips(model in subscription()) {
        prop_assert_eq!(round_trip(&model), model.clone());
        survives::<Subscription>(serde_json::to_value(&model).unwrap());
    }

    #[test]
    fn subscribed_round_trips(
        secret in field("[A-Za-z0-9_+/=]{1,30}".prop_map(|s| Secret::new(s).unwrap())),
        subscription in field(subscription()),
        extra in extra(),
    ) {
        let model = Subscribed { secret, subscription, extra };
        prop_assert_eq!(round_trip(&model), model.clone());
        survives::<Subscribed>(serde_json::to_value(&model).unwrap());
    }

    #[test]
    fn webhook_event_round_trips(
        event_type in event_type(),
        event in event(),
        org_name in "[A-Za-z0-9_]{2,20}",
        app_name in "[A-Za-z0-9_]{2,20}",
        build_name in field("[0-9]{4}"),
        dxf_name in field("[a-z]{1,10}"),
        deployment in field(non_null_json_leaf()),
        extra in extra(),
    ) {
        let exception = Field::Value(Box::new(Exception {
            http_download_failed: Field::Absent,
            file_read_failed: Field::Absent,
            error: Field::Value(json!({"message": "origin unreachable"})),
            extra: Extra::new(),
        }));
        let model = WebhookEvent {
            event_type, event, org_name, app_name, build_name, dxf_name, exception, deployment, extra,
        };
        prop_assert_eq!(round_trip(&model), model.clone());
        survives::<WebhookEvent>(serde_json::to_value(&model).unwrap());
    }
}

#[test]
fn fixtures_survive_decode_and_encode() {
    let mut created: Value =
        serde_json::from_slice(&fixture("subscriptions_create_200.json")).unwrap();
    created.as_object_mut().unwrap().remove("status");
    survives::<Subscribed>(created);
    let list: Value = serde_json::from_slice(&fixture("subscriptions_list_200.json")).unwrap();
    for item in list["subscriptions"].as_array().unwrap() {
        survives::<Subscription>(item.clone());
    }
}

#[test]
fn a_name_that_could_not_be_deleted_later_is_refused_at_once() {
    use rockit_edge::subscriptions::{Subscribe, Target};
    use rockit_edge::{BaseUrl, Credentials, Endpoint, Error};

    let base = BaseUrl::parse("https://edge.example.com").unwrap();
    let credentials = Credentials::backend_token("t").unwrap();
    for name in [".", ".."] {
        let err = Subscribe::new(name, Target::slack("#c"))
            .to_request(&base, &credentials)
            .unwrap_err();
        assert!(
            matches!(&err, Error::Input(e) if e.what() == "subscription name"),
            "{err}"
        );
    }
}

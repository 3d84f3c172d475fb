//! The fake's subscriptions through the client: create, list in order, get, delete.

mod common;

use rockit_edge::fake::FakeEdge;
use rockit_edge::raw::RawRequest;
use rockit_edge::subscriptions::{
    Event, EventType, GetSubscription, ListSubscriptions, Subscribe, Target, Unsubscribe,
};
use rockit_edge::Client;
use serde_json::json;

use common::api_error;

fn names(fake: &FakeEdge, list: ListSubscriptions) -> Vec<String> {
    let page = fake.client().send(&list).unwrap();
    page.items.into_iter().map(|s| s.name).collect()
}

#[test]
fn a_webhook_gets_a_secret_the_fake_keeps() {
    let fake = FakeEdge::seeded();
    let subscribe = Subscribe::new("ops_hook", Target::webhook("https://ops.example.com/edge"))
        .events(EventType::Deploy, [Event::Error]);
    let subscribed = fake.client().send(&subscribe).unwrap();
    let secret = subscribed.secret.get().unwrap();
    assert_eq!(
        fake.webhook_secret("ops_hook").as_deref(),
        Some(secret.expose())
    );
    let stored = fake
        .client()
        .send(&GetSubscription::new("ops_hook"))
        .unwrap();
    assert_eq!(Some(&stored), subscribed.subscription.get());
    assert_eq!(
        stored.events.get().unwrap()[&EventType::Deploy],
        [Event::Error]
    );
    assert_eq!(fake.subscriptions().len(), 3);
}

#[test]
fn a_slack_channel_gets_no_secret() {
    let fake = FakeEdge::new();
    let subscribed = fake
        .client()
        .send(&Subscribe::new("alerts", Target::slack("#alerts")))
        .unwrap();
    assert!(subscribed.secret.is_absent());
    let stored = subscribed.subscription.get().unwrap();
    assert_eq!(stored.target(), Some(Target::slack("#alerts")));
    assert!(stored.events.is_absent());
    assert_eq!(fake.webhook_secret("alerts"), None);
}

#[test]
fn lists_page_and_sort_by_name() {
    let fake = FakeEdge::seeded();
    for name in ["zeta", "alpha"] {
        fake.client()
            .send(&Subscribe::new(name, Target::slack("#x")))
            .unwrap();
    }
    assert_eq!(
        names(&fake, ListSubscriptions::new()),
        ["releases", "ci_hook", "zeta", "alpha"]
    );
    assert_eq!(
        names(&fake, ListSubscriptions::new().order_by_name(false)),
        ["alpha", "ci_hook", "releases", "zeta"]
    );
    assert_eq!(
        names(
            &fake,
            ListSubscriptions::new()
                .order_by_name(true)
                .offset(1)
                .limit(2)
        ),
        ["releases", "ci_hook"]
    );
    let page = fake
        .client()
        .send(&ListSubscriptions::new().limit(1))
        .unwrap();
    assert_eq!(page.total(), Some(4));
    let all: Vec<String> = fake
        .client()
        .all(ListSubscriptions::new().limit(3).order_by_name(true))
        .map(|s| s.unwrap().name)
        .collect();
    assert_eq!(all, ["zeta", "releases", "ci_hook", "alpha"]);

    let by_label = fake
        .client()
        .send(&ListSubscriptions::new().order_by("created", true));
    assert_eq!(api_error(by_label), (400, "invalid-param".into()));
}

#[test]
fn unsubscribe_removes_and_unknown_names_are_not_found() {
    let fake = FakeEdge::seeded();
    let client = fake.client();
    assert!(client
        .send(&Unsubscribe::new("ci_hook"))
        .unwrap()
        .is_empty());
    assert_eq!(fake.webhook_secret("ci_hook"), None);
    assert_eq!(names(&fake, ListSubscriptions::new()), ["releases"]);
    for result in [
        client.send(&Unsubscribe::new("ci_hook")).map(drop),
        client.send(&GetSubscription::new("ci_hook")).map(drop),
    ] {
        assert_eq!(api_error(result), (404, "not-found".into()));
    }
}

#[test]
fn names_in_use_and_bad_bodies_are_refused() {
    let fake = FakeEdge::seeded();
    let client = fake.client();
    let taken = client.send(&Subscribe::new("releases", Target::slack("#other")));
    assert_eq!(api_error(taken), (409, "invalid-state".into()));

    let create = |body| RawRequest::new(http::Method::POST, "/be/v1/subscriptions").body(body);
    for (body, status, code) in [
        (
            json!({"url": "https://x.example.com"}),
            400,
            "missing-param",
        ),
        (json!({"name": "n"}), 400, "missing-param"),
        (
            json!({"name": "n", "url": "https://x.example.com", "slackChannel": "#x"}),
            400,
            "invalid-param",
        ),
        (
            json!({"name": "n", "url": "ftp://x.example.com"}),
            400,
            "invalid-param",
        ),
        (
            json!({"name": "n", "slackChannel": "#x", "events": {"build": ["end"]}}),
            400,
            "invalid-param",
        ),
        (
            json!({"name": "n", "slackChannel": "#x", "events": {"deploy": ["done"]}}),
            400,
            "invalid-param",
        ),
        (json!("n"), 400, "invalid-body"),
    ] {
        assert_eq!(
            api_error(client.send(&create(body.clone()))),
            (status, code.into()),
            "{body}"
        );
    }
    assert_eq!(fake.subscriptions().len(), 2);
}

#[test]
fn subscriptions_take_backend_credentials() {
    let fake = FakeEdge::seeded();
    let by_key = Client::new(fake.clone(), fake.base_url(), fake.api_key_credentials());
    assert_eq!(
        by_key.send(&ListSubscriptions::new()).unwrap().items.len(),
        2
    );
    let admin = Client::new(fake.clone(), fake.base_url(), fake.admin_credentials());
    let raw =
        RawRequest::new(http::Method::GET, "/be/v1/subscriptions").auth(rockit_edge::Auth::Admin);
    assert_eq!(api_error(admin.send(&raw)).0, 401);
}

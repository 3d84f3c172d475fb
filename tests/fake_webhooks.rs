//! The webhook calls the fake records when tasks change: which subscriptions get them and
//! what they hold. Signatures are checked in `tests/webhooks.rs`.

use rockit_edge::fake::FakeEdge;
use rockit_edge::subscriptions::{
    Event, EventType, Subscribe, Target, Unsubscribe, WEBHOOK_TOKEN_HEADER,
};
use rockit_edge::tasks::ExpireTask;
use rockit_edge::triggers::{ProcessTraces, RetryTask};
use rockit_edge::Client;

const FAILED_DEPLOY: &str = "ExampleOrg-ramen-0012-1740047400-deploy";

fn subscribe(client: &Client<FakeEdge>, subscribe: Subscribe) {
    client.send(&subscribe).unwrap();
}

fn names(fake: &FakeEdge) -> Vec<String> {
    fake.take_webhook_calls()
        .into_iter()
        .map(|c| c.subscription)
        .collect()
}

#[test]
fn a_change_goes_to_every_webhook_whose_filter_takes_it() {
    let fake = FakeEdge::seeded();
    let client = fake.client();
    subscribe(
        &client,
        Subscribe::new("everything", Target::webhook("https://a.example.com/all")),
    );
    subscribe(
        &client,
        Subscribe::new("submits", Target::webhook("https://a.example.com/s"))
            .events(EventType::Mkraw, [Event::Submit]),
    );
    subscribe(
        &client,
        Subscribe::new("deploy_ends", Target::webhook("https://a.example.com/d"))
            .events(EventType::Deploy, [Event::End]),
    );
    subscribe(
        &client,
        Subscribe::new("slack_all", Target::slack("#everything")),
    );

    client.send(&ProcessTraces::new("tempura")).unwrap();
    assert_eq!(names(&fake), ["everything", "submits"]);

    client.send(&RetryTask::new(FAILED_DEPLOY)).unwrap();
    assert_eq!(names(&fake), ["everything"]);

    // The seeded `ci_hook` takes deploy errors.
    client.send(&ExpireTask::new(FAILED_DEPLOY)).unwrap();
    assert_eq!(names(&fake), ["ci_hook", "everything"]);

    client.send(&Unsubscribe::new("everything")).unwrap();
    client.send(&ProcessTraces::new("tempura")).unwrap();
    assert_eq!(names(&fake), ["submits"]);
}

#[test]
fn a_call_posts_the_event_as_json_to_the_webhook() {
    let fake = FakeEdge::seeded();
    let client = fake.client();
    subscribe(
        &client,
        Subscribe::new("all", Target::webhook("https://hooks.example.com/edge?k=1")),
    );
    let task = client.send(&ProcessTraces::new("ramen")).unwrap();

    let calls = fake.webhook_calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        fake.webhook_calls(),
        calls,
        "looking does not empty the list"
    );
    let call = &calls[0];
    let body: serde_json::Value = serde_json::from_slice(&call.body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            "type": "mkraw",
            "event": "submit",
            "orgName": "ExampleOrg",
            "appName": "ramen",
            "buildName": "0012",
        })
    );
    assert_eq!(task["task"]["buildName"], "0012");
    let event = call.event().unwrap();
    assert_eq!(event.event_type, EventType::Mkraw);

    let request = call.to_request().unwrap();
    assert_eq!(request.method(), http::Method::POST);
    assert_eq!(request.uri(), "https://hooks.example.com/edge?k=1");
    assert_eq!(request.headers()["content-type"], "application/json");
    assert_eq!(request.body(), &call.body);
    assert_eq!(
        call.headers.contains_key(WEBHOOK_TOKEN_HEADER),
        cfg!(feature = "webhooks"),
        "only the webhooks feature signs"
    );
}

#[test]
fn the_seeded_fake_has_recorded_nothing() {
    assert!(FakeEdge::seeded().webhook_calls().is_empty());
    assert!(FakeEdge::new().take_webhook_calls().is_empty());
}

#[test]
fn tasks_that_move_on_while_watched_tell_the_webhooks_how_they_ended() {
    let fake = FakeEdge::seeded();
    fake.set_task_progress(1);
    let client = fake.client();
    subscribe(
        &client,
        Subscribe::new("endings", Target::webhook("https://a.example.com/e"))
            .events(EventType::Deploy, [Event::End])
            .events(EventType::Dltar, [Event::Error]),
    );
    fake.take_webhook_calls();

    for name in [
        "ExampleOrg-sushi-0004-1739452800-deploy",
        "ExampleOrg-tempura-0001-1741003200-dltar",
    ] {
        // One read counts, the next shows the task ended.
        for _ in 0..2 {
            client
                .send(&rockit_edge::tasks::GetTask::new(name))
                .unwrap();
        }
    }

    let events: Vec<(String, Event)> = fake
        .take_webhook_calls()
        .into_iter()
        .filter(|c| c.subscription == "endings")
        .map(|c| {
            let event = c.event().unwrap();
            (event.app_name.clone(), event.event.clone())
        })
        .collect();
    assert_eq!(
        events,
        [
            ("sushi".to_owned(), Event::End),
            ("tempura".to_owned(), Event::Error)
        ]
    );
}

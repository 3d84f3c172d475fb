//! The fake's subscriptions. No event is ever sent: the fake only keeps them.
//!
//! - `POST /be/v1/subscriptions`: takes `name`, exactly one of `url` (an `http` or `https`
//!   URL) and `slackChannel`, and optionally `events`, an object from event type (`dltar`,
//!   `mkraw`, `deploy`) to a list of events (`submit`, `begin`, `end`, `error`). A name in
//!   use is `409 invalid-state`. Answers the subscription, and for a webhook its secret.
//! - `GET /be/v1/subscriptions`: a page, as `{"status": "success", "subscriptions": […],
//!   "total": …, "offset": …, "limit": …}`, taking `offset`, `limit` (default 10) and any
//!   number of `order[]` keys `[+name]`, `[-name]` or `[name]`; without one, subscriptions
//!   come in the order they were made.
//! - `GET /be/v1/subscriptions/{subscriptionName}`: one subscription.
//! - `DELETE /be/v1/subscriptions/{subscriptionName}`: removes it.
//!
//! Member names are those of [`crate::assumed::subscriptions`]. The seeded fake holds a
//! Slack subscription `releases` and a webhook `ci_hook`.

use std::collections::HashMap;

use http::Method;
use serde_json::{Map, Value};

use super::login::{flat_success, object, text};
use super::{percent_decode, success, Answer, Call, Failure, FakeEdge, Params, State};
use crate::assumed;
use crate::assumed::subscriptions::{
    SUBSCRIPTIONS_EVENTS_MEMBER, SUBSCRIPTIONS_ITEM_MEMBER, SUBSCRIPTIONS_LIST_MEMBER,
    SUBSCRIPTIONS_NAME_MEMBER, SUBSCRIPTIONS_SLACK_MEMBER, SUBSCRIPTIONS_WEBHOOK_MEMBER,
};
use crate::model::{Extra, Field};
use crate::secret::Secret;
use crate::subscriptions::{Event, EventFilter, EventType, Subscribed, Subscription, Target};

/// The path of the subscription resource.
pub(super) const PATH: &str = "/be/v1/subscriptions";

const DEFAULT_LIMIT: u64 = 10;

/// The secret of the seeded webhook.
const SEEDED_SECRET: &str = "fake-edge-whsec-seeded";

/// The subscriptions, in the order they were made, and the secrets of the webhooks.
#[derive(Debug, Default)]
pub(super) struct Subscriptions {
    items: Vec<Subscription>,
    secrets: HashMap<String, String>,
    issued: u64,
}

impl Subscriptions {
    /// The webhook subscriptions, each with its secret.
    pub(super) fn webhooks(&self) -> impl Iterator<Item = (&Subscription, &str)> {
        self.items
            .iter()
            .filter_map(|s| Some((s, self.secrets.get(&s.name)?.as_str())))
    }
}

/// The seeded subscriptions.
pub(super) fn seed() -> Subscriptions {
    let events = |pairs: &[(EventType, &[Event])]| {
        Field::Value(
            pairs
                .iter()
                .map(|(t, e)| (t.clone(), e.to_vec()))
                .collect::<EventFilter>(),
        )
    };
    let releases = Subscription {
        name: "releases".into(),
        url: Field::Absent,
        slack_channel: Field::Value("#releases".into()),
        events: events(&[(EventType::Deploy, &[Event::End, Event::Error])]),
        extra: Extra::new(),
    };
    let ci_hook = Subscription {
        name: "ci_hook".into(),
        url: Field::Value("https://ci.example.com/rockit-edge".into()),
        slack_channel: Field::Absent,
        events: events(&[
            (EventType::Dltar, &[Event::Error]),
            (EventType::Mkraw, &[Event::End, Event::Error]),
            (EventType::Deploy, &[Event::End, Event::Error]),
        ]),
        extra: Extra::new(),
    };
    let mut secrets = HashMap::new();
    secrets.insert(ci_hook.name.clone(), SEEDED_SECRET.to_owned());
    Subscriptions {
        items: vec![releases, ci_hook],
        secrets,
        issued: 0,
    }
}

impl FakeEdge {
    /// Every subscription, in the order they were made.
    pub fn subscriptions(&self) -> Vec<Subscription> {
        self.lock().subscriptions.items.clone()
    }

    /// The secret of the webhook subscription `name`.
    pub fn webhook_secret(&self, name: &str) -> Option<String> {
        self.lock().subscriptions.secrets.get(name).cloned()
    }
}

/// Answers every request below [`PATH`].
pub(super) fn handle(state: &mut State, call: &Call<'_>) -> Answer {
    if call.rest.is_empty() {
        return match *call.method {
            Method::GET => list(&state.subscriptions, call.query),
            Method::POST => create(&mut state.subscriptions, call.body),
            _ => Err(Failure::method_not_allowed("GET, POST")),
        };
    }
    let segment = call.rest.strip_prefix('/').unwrap_or(call.rest);
    if segment.contains('/') {
        return Err(Failure::not_found("no endpoint at this path"));
    }
    if segment.is_empty() {
        return Err(Failure::missing_param(
            "the subscription name is missing from the path",
        ));
    }
    let name = percent_decode(segment)
        .ok_or_else(|| Failure::invalid_param("the subscription name must be UTF-8"))?;
    let subscriptions = &mut state.subscriptions;
    let at = subscriptions.items.iter().position(|s| s.name == name);
    match (call.method, at) {
        (&Method::GET, Some(at)) => {
            success(SUBSCRIPTIONS_ITEM_MEMBER, &subscriptions.items[at], &[])
        }
        (&Method::DELETE, Some(at)) => {
            subscriptions.items.remove(at);
            subscriptions.secrets.remove(&name);
            flat_success(&Map::new())
        }
        (&Method::GET | &Method::DELETE, None) => Err(Failure::not_found("no such subscription")),
        _ => Err(Failure::method_not_allowed("GET, DELETE")),
    }
}

fn list(subscriptions: &Subscriptions, query: &str) -> Answer {
    let params = Params::parse(query)?;
    let offset = params.number(assumed::LIST_OFFSET_MEMBER, 0)?.unwrap_or(0);
    let limit = params
        .number(assumed::LIST_LIMIT_MEMBER, 1)?
        .unwrap_or(DEFAULT_LIMIT);
    let descending = params
        .all(assumed::QUERY_ORDER)
        .map(|key| match key {
            "[name]" | "[+name]" => Ok(false),
            "[-name]" => Ok(true),
            _ => Err(Failure::invalid_param(format!(
                "`{}` takes `[+name]` or `[-name]`",
                assumed::QUERY_ORDER
            ))),
        })
        .collect::<Result<Vec<bool>, _>>()?;

    let mut items: Vec<&Subscription> = subscriptions.items.iter().collect();
    // Names are unique, so the first key decides.
    if let Some(descending) = descending.first() {
        items.sort_by(|a, b| a.name.cmp(&b.name));
        if *descending {
            items.reverse();
        }
    }
    let total = items.len();
    let page: Vec<&Subscription> = items
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .collect();
    success(
        SUBSCRIPTIONS_LIST_MEMBER,
        &page,
        &[
            (assumed::LIST_TOTAL_MEMBER, Value::from(total)),
            (assumed::LIST_OFFSET_MEMBER, Value::from(offset)),
            (assumed::LIST_LIMIT_MEMBER, Value::from(limit)),
        ],
    )
}

fn create(subscriptions: &mut Subscriptions, body: &[u8]) -> Answer {
    let body = object(body)?;
    let name = text(&body, SUBSCRIPTIONS_NAME_MEMBER)?;
    let present = |member| !matches!(body.get(member), None | Some(Value::Null));
    let target = match (
        present(SUBSCRIPTIONS_WEBHOOK_MEMBER),
        present(SUBSCRIPTIONS_SLACK_MEMBER),
    ) {
        (true, false) => Target::Webhook(text(&body, SUBSCRIPTIONS_WEBHOOK_MEMBER)?),
        (false, true) => Target::Slack(text(&body, SUBSCRIPTIONS_SLACK_MEMBER)?),
        (false, false) => {
            return Err(Failure::missing_param(format!(
                "`{SUBSCRIPTIONS_WEBHOOK_MEMBER}` or `{SUBSCRIPTIONS_SLACK_MEMBER}` is required"
            )))
        }
        (true, true) => {
            return Err(Failure::invalid_param(format!(
                "give `{SUBSCRIPTIONS_WEBHOOK_MEMBER}` or `{SUBSCRIPTIONS_SLACK_MEMBER}`, not both"
            )))
        }
    };
    target
        .check()
        .map_err(|e| Failure::invalid_param(e.to_string()))?;
    let events = match body.get(SUBSCRIPTIONS_EVENTS_MEMBER) {
        None | Some(Value::Null) => Field::Absent,
        Some(value) => Field::Value(event_filter(value)?),
    };
    if subscriptions.items.iter().any(|s| s.name == name) {
        return Err(Failure::invalid_state("a subscription of this name exists"));
    }

    let (url, slack_channel) = match target {
        Target::Webhook(url) => (Field::Value(url), Field::Absent),
        Target::Slack(channel) => (Field::Absent, Field::Value(channel)),
    };
    let secret = if url.is_value() {
        subscriptions.issued += 1;
        let secret = format!("fake-edge-whsec-{}", subscriptions.issued);
        subscriptions.secrets.insert(name.clone(), secret.clone());
        Secret::new(secret)
            .map(Field::Value)
            .unwrap_or(Field::Absent)
    } else {
        Field::Absent
    };
    let subscription = Subscription {
        name,
        url,
        slack_channel,
        events,
        extra: Extra::new(),
    };
    subscriptions.items.push(subscription.clone());
    flat_success(&Subscribed {
        secret,
        subscription: Field::Value(subscription),
        extra: Extra::new(),
    })
}

/// Reads an event filter made of known event types and events only.
fn event_filter(value: &Value) -> Result<EventFilter, Failure> {
    let invalid = || {
        Failure::invalid_param(format!(
            "`{SUBSCRIPTIONS_EVENTS_MEMBER}` maps dltar, mkraw or deploy to a list of submit, \
             begin, end or error"
        ))
    };
    let Value::Object(map) = value else {
        return Err(invalid());
    };
    let mut filter = EventFilter::new();
    for (event_type, events) in map {
        let event_type = EventType::from(event_type.as_str());
        let Value::Array(events) = events else {
            return Err(invalid());
        };
        let events = events
            .iter()
            .map(|e| match e.as_str().map(Event::from) {
                Some(event) if event.is_known() => Ok(event),
                _ => Err(invalid()),
            })
            .collect::<Result<Vec<_>, _>>()?;
        if !event_type.is_known() {
            return Err(invalid());
        }
        filter.insert(event_type, events);
    }
    Ok(filter)
}

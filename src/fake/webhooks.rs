//! The webhook requests the fake would send. Nothing goes over the network: each request is
//! recorded, and [`FakeEdge::webhook_calls`] shows them.
//!
//! A task change becomes an event: a task made by Process Traces is `submit`, a retried task
//! `begin`, an expired task `error`; acknowledging a warning changes no state and sends
//! nothing. Every webhook subscription whose filter takes the event's type and event, or that
//! has no filter, gets one call: a `POST` of the [`WebhookEvent`] as JSON to its URL. With the
//! `webhooks` feature the call carries a token in [`WEBHOOK_TOKEN_HEADER`], signed with the
//! subscription's secret as [`crate::webhooks::verify`] checks it and valid for five
//! minutes; without it the call is recorded without a token.

use http::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
use http::{Method, Request};

use super::{FakeEdge, State, VALID_ORG_NAME};
use crate::model::{Extra, Field};
use crate::subscriptions::{Event, EventType, WebhookEvent};
use crate::tasks::Task;

#[cfg(feature = "webhooks")]
use crate::subscriptions::WEBHOOK_TOKEN_HEADER;

/// How long a recorded call's token stays valid.
#[cfg(feature = "webhooks")]
const TOKEN_LIFETIME: std::time::Duration = std::time::Duration::from_secs(300);

/// A request the fake would have sent to a webhook.
///
/// `Debug` shows the token header as sensitive, never its value.
///
/// ```
/// use rockit_edge::fake::FakeEdge;
/// use rockit_edge::subscriptions::{Subscribe, Target};
/// use rockit_edge::tasks::ExpireTask;
///
/// let fake = FakeEdge::seeded();
/// let client = fake.client();
/// client.send(&Subscribe::new("all", Target::webhook("https://ci.example.com/all"))).unwrap();
/// client.send(&ExpireTask::new("ExampleOrg-sushi-0004-1739452800-deploy")).unwrap();
///
/// let calls = fake.webhook_calls();
/// let call = calls.iter().find(|c| c.subscription == "all").unwrap();
/// assert_eq!(call.url, "https://ci.example.com/all");
/// let event = call.event().unwrap();
/// assert_eq!((event.event_type.as_str(), event.event.as_str()), ("deploy", "error"));
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct WebhookCall {
    /// The name of the subscription it is for.
    pub subscription: String,
    /// The webhook's URL.
    pub url: String,
    /// `Content-Type: application/json`, and with the `webhooks` feature the token.
    pub headers: HeaderMap,
    /// The [`WebhookEvent`], as JSON.
    pub body: Vec<u8>,
}

impl WebhookCall {
    /// The body, decoded.
    pub fn event(&self) -> Result<WebhookEvent, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }

    /// The call as a `POST` request, for handing to the code that would receive it; fails
    /// only when the URL is not one `http` takes.
    pub fn to_request(&self) -> Result<Request<Vec<u8>>, http::Error> {
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(self.url.as_str())
            .body(self.body.clone())?;
        *request.headers_mut() = self.headers.clone();
        Ok(request)
    }
}

impl FakeEdge {
    /// Every webhook call recorded since the fake was made or last emptied, oldest first.
    pub fn webhook_calls(&self) -> Vec<WebhookCall> {
        self.lock().webhook_calls.clone()
    }

    /// Like [`FakeEdge::webhook_calls`], and forgets them.
    pub fn take_webhook_calls(&self) -> Vec<WebhookCall> {
        std::mem::take(&mut self.lock().webhook_calls)
    }
}

/// Records a call to every webhook that wants `event` about `task`.
pub(super) fn task_changed(state: &mut State, task: &Task, event: Event) {
    let event_type = EventType::from(task.task_type.as_str());
    if !event_type.is_known() {
        return;
    }
    let exception = match event {
        Event::Error => task
            .alert
            .get()
            .map_or(Field::Absent, |alert| alert.exception.clone()),
        _ => Field::Absent,
    };
    let body = WebhookEvent {
        event_type: event_type.clone(),
        event: event.clone(),
        org_name: org_name(task).to_owned(),
        app_name: task.app_name.clone(),
        build_name: Field::Value(task.build_name.clone()),
        dxf_name: Field::Absent,
        exception,
        deployment: Field::Absent,
        extra: Extra::new(),
    };
    // A model of strings and JSON values always serializes.
    let Ok(body) = serde_json::to_vec(&body) else {
        return;
    };

    let mut calls = Vec::new();
    for (subscription, secret) in state.subscriptions.webhooks() {
        let Some(url) = subscription.url.get() else {
            continue;
        };
        let wanted = match subscription.events.get() {
            Some(filter) => filter
                .get(&event_type)
                .is_some_and(|events| events.contains(&event)),
            None => true,
        };
        if !wanted {
            continue;
        }
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        sign(&mut headers, &body, secret);
        calls.push(WebhookCall {
            subscription: subscription.name.clone(),
            url: url.clone(),
            headers,
            body: body.clone(),
        });
    }
    state.webhook_calls.extend(calls);
}

#[cfg(feature = "webhooks")]
fn sign(headers: &mut HeaderMap, body: &[u8], secret: &str) {
    let token = crate::webhooks::sign(
        body,
        secret.as_bytes(),
        std::time::SystemTime::now(),
        TOKEN_LIFETIME,
    );
    // A token is base64url and dots, always a valid header value.
    if let Ok(mut value) = HeaderValue::from_str(&token) {
        value.set_sensitive(true);
        headers.insert(WEBHOOK_TOKEN_HEADER, value);
    }
}

#[cfg(not(feature = "webhooks"))]
fn sign(_headers: &mut HeaderMap, _body: &[u8], _secret: &str) {}

/// The organisation in a task's name `{org}-{app}-{build}-…`, else the fake's own.
fn org_name(task: &Task) -> &str {
    task.name
        .split_once(&format!("-{}-{}-", task.app_name, task.build_name))
        .map_or(VALID_ORG_NAME, |(org, _)| org)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_organisation_comes_from_the_task_name() {
        let mut task = super::super::tasks::seed().remove(0);
        task.name = "Acme-sushi-0003-1739273968-dltar".into();
        assert_eq!(org_name(&task), "Acme");
        task.name = "odd".into();
        assert_eq!(org_name(&task), VALID_ORG_NAME);
    }
}

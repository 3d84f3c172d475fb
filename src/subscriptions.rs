//! Subscriptions: webhooks and Slack channels that Edge tells about task events.
//!
//! - `POST /be/v1/subscriptions`: [`Subscribe`]
//! - `GET /be/v1/subscriptions`: [`ListSubscriptions`]
//! - `GET /be/v1/subscriptions/{subscriptionName}`: [`GetSubscription`]
//! - `DELETE /be/v1/subscriptions/{subscriptionName}`: [`Unsubscribe`]
//!
//! Events come by task type ([`EventType`]: `dltar`, `mkraw`, `deploy`) and stage ([`Event`]:
//! `submit`, `begin`, `end`, `error`). A webhook receives a [`WebhookEvent`] body with a JWT in
//! the [`WEBHOOK_TOKEN_HEADER`] header, which verifies with the secret [`Subscribe`] answers.
//! The reference shows Subscribe's purpose and List's parameters but no body or answer; the
//! member names used are those of [`crate::assumed::subscriptions`].

use std::collections::BTreeMap;

use http::{Method, Response};
use serde_json::{Map, Value};

use crate::assumed::subscriptions::{
    SUBSCRIPTIONS_EVENTS_MEMBER, SUBSCRIPTIONS_ITEM_MEMBER, SUBSCRIPTIONS_LIST_MEMBER,
    SUBSCRIPTIONS_NAME_MEMBER, SUBSCRIPTIONS_SECRET_MEMBER, SUBSCRIPTIONS_SLACK_MEMBER,
    SUBSCRIPTIONS_WEBHOOK_MEMBER,
};
use crate::decode;
use crate::endpoint::{json_body, Endpoint, PathBuilder, Query};
use crate::error::{Error, InputError};
use crate::login::decode_body;
use crate::model::{model, open_enum};
use crate::page::{list_request, ListParams, Page};
use crate::secret::Secret;
use crate::tasks::Exception;

const SUBSCRIPTIONS: &str = "/be/v1/subscriptions";

/// The header of a webhook request that carries a JWT, verifiable with the subscription's
/// secret.
pub const WEBHOOK_TOKEN_HEADER: &str = "x-rockit-subscriptions";

open_enum! {
    /// The kind of task an event is about.
    pub enum EventType {
        /// An import request task (`dltar`).
        Dltar = "dltar",
        /// A build task (`mkraw`).
        Mkraw = "mkraw",
        /// A publish task (`deploy`).
        Deploy = "deploy",
    }
}

open_enum! {
    /// The stage of a task an event reports.
    pub enum Event {
        /// The task was submitted.
        Submit = "submit",
        /// It started.
        Begin = "begin",
        /// It ended well.
        End = "end",
        /// It failed.
        Error = "error",
    }
}

/// Which events a subscription receives: for each event type, the events wanted.
pub type EventFilter = BTreeMap<EventType, Vec<Event>>;

/// Where a subscription sends its events.
///
/// ```
/// use rockit_edge::subscriptions::Target;
///
/// assert!(Target::webhook("https://hooks.example.com/edge").check().is_ok());
/// assert!(Target::webhook("hooks.example.com").check().is_err());
/// assert!(Target::slack("#releases").check().is_ok());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// A web service that receives a `POST` per event.
    Webhook(String),
    /// A Slack channel that receives a readable message per event.
    Slack(String),
}

impl Target {
    /// A webhook at `url`.
    pub fn webhook(url: impl Into<String>) -> Self {
        Target::Webhook(url.into())
    }

    /// The Slack channel `channel`.
    pub fn slack(channel: impl Into<String>) -> Self {
        Target::Slack(channel.into())
    }

    /// Checks that a webhook URL is an `http` or `https` URL and a channel is not empty.
    pub fn check(&self) -> Result<(), InputError> {
        match self {
            Target::Webhook(url) => {
                let scheme_ok = ["https://", "http://"].iter().any(|s| {
                    url.get(..s.len())
                        .is_some_and(|head| head.eq_ignore_ascii_case(s))
                });
                if !scheme_ok || url.len() <= "https://".len() {
                    return Err(InputError::new(
                        "webhook URL",
                        "must be an http:// or https:// URL",
                    ));
                }
                if url.chars().any(char::is_whitespace) {
                    return Err(InputError::new(
                        "webhook URL",
                        "must not contain white space",
                    ));
                }
                Ok(())
            }
            Target::Slack(channel) if channel.trim().is_empty() => {
                Err(InputError::new("Slack channel", "must not be empty"))
            }
            Target::Slack(_) => Ok(()),
        }
    }
}

model! {
    /// A subscription.
    pub struct Subscription {
        /// Its name.
        required name: String = SUBSCRIPTIONS_NAME_MEMBER,
        /// The URL of its webhook, if it is one.
        optional url: String = SUBSCRIPTIONS_WEBHOOK_MEMBER,
        /// Its Slack channel, if it is one.
        optional slack_channel: String = SUBSCRIPTIONS_SLACK_MEMBER,
        /// The events it receives.
        optional events: EventFilter = SUBSCRIPTIONS_EVENTS_MEMBER,
    }
}

impl Subscription {
    /// Where it sends events: its webhook, else its Slack channel.
    pub fn target(&self) -> Option<Target> {
        if let Some(url) = self.url.get() {
            return Some(Target::Webhook(url.clone()));
        }
        self.slack_channel.get().cloned().map(Target::Slack)
    }
}

model! {
    secret
    /// The answer to [`Subscribe`].
    pub struct Subscribed {
        /// The secret that verifies the token of the webhook's requests.
        optional secret: Secret = SUBSCRIPTIONS_SECRET_MEMBER,
        /// The new subscription, when the server returns it.
        optional subscription: Subscription = SUBSCRIPTIONS_ITEM_MEMBER,
    }
}

model! {
    /// The body of a request Edge sends to a webhook, as the reference's schema shows it.
    ///
    /// ```
    /// use rockit_edge::subscriptions::{Event, EventType, WebhookEvent};
    ///
    /// let body = br#"{"type":"mkraw","event":"end","orgName":"ExampleOrg","appName":"sushi"}"#;
    /// let event: WebhookEvent = serde_json::from_slice(body).unwrap();
    /// assert_eq!((event.event_type, event.event), (EventType::Mkraw, Event::End));
    /// ```
    pub struct WebhookEvent {
        /// The kind of task.
        required event_type: EventType = "type",
        /// What happened to it.
        required event: Event = "event",
        /// The organisation.
        required org_name: String = "orgName",
        /// The app.
        required app_name: String = "appName",
        /// The build.
        optional build_name: String = "buildName",
        /// The FastStart image.
        optional dxf_name: String = "dxfName",
        /// What went wrong, for `error` events; boxed as in [`crate::tasks::Alert`].
        optional exception: Box<Exception> = "exception",
        /// The deployment concerned.
        optional deployment: Value = "deployment",
    }
}

/// `POST /be/v1/subscriptions`: subscribes a webhook or a Slack channel to events.
///
/// Needs the `subscriptions.create` permission. Without [`Subscribe::events`] no filter is
/// sent and the server's default applies.
///
/// ```
/// use rockit_edge::subscriptions::{Event, EventType, Subscribe, Target};
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let creds = Credentials::backend_token("t0k").unwrap();
/// let subscribe = Subscribe::new("ci_hook", Target::webhook("https://ci.example.com/edge"))
///     .events(EventType::Deploy, [Event::End, Event::Error]);
/// let request = subscribe.to_request(&base, &creds).unwrap();
/// let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
/// assert_eq!(body["events"], serde_json::json!({"deploy": ["end", "error"]}));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subscribe {
    name: String,
    target: Target,
    events: EventFilter,
}

impl Subscribe {
    /// Subscribes `target` under the name `name`.
    pub fn new(name: impl Into<String>, target: Target) -> Self {
        Subscribe {
            name: name.into(),
            target,
            events: EventFilter::new(),
        }
    }

    /// Receives `events` of tasks of `event_type` (added to those already chosen).
    pub fn events<E: Into<Event>>(
        mut self,
        event_type: impl Into<EventType>,
        events: impl IntoIterator<Item = E>,
    ) -> Self {
        let chosen = self.events.entry(event_type.into()).or_default();
        for event in events {
            let event = event.into();
            if !chosen.contains(&event) {
                chosen.push(event);
            }
        }
        self
    }
}

impl Endpoint for Subscribe {
    type Output = Subscribed;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(SUBSCRIPTIONS.to_owned())
    }

    fn body(&self) -> Result<Option<Vec<u8>>, InputError> {
        if self.name.trim().is_empty() {
            return Err(InputError::new("subscription name", "must not be empty"));
        }
        // The name must later fit one path segment, to get or delete the subscription.
        crate::endpoint::check_segment("subscription name", &self.name)?;
        self.target.check()?;
        let mut body = Map::new();
        body.insert(
            SUBSCRIPTIONS_NAME_MEMBER.into(),
            Value::from(self.name.as_str()),
        );
        let (member, value) = match &self.target {
            Target::Webhook(url) => (SUBSCRIPTIONS_WEBHOOK_MEMBER, url),
            Target::Slack(channel) => (SUBSCRIPTIONS_SLACK_MEMBER, channel),
        };
        body.insert(member.into(), Value::from(value.as_str()));
        if !self.events.is_empty() {
            let events = serde_json::to_value(&self.events)
                .map_err(|e| InputError::new("events", e.to_string()))?;
            body.insert(SUBSCRIPTIONS_EVENTS_MEMBER.into(), events);
        }
        json_body(&body)
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Subscribed, Error> {
        decode_body(response)
    }
}

/// `GET /be/v1/subscriptions`: the organisation's subscriptions, paged and sorted.
///
/// Needs the `subscriptions.read` permission. The server's default page size is 10; the
/// reference names `name` as the field to sort by.
///
/// ```
/// use rockit_edge::subscriptions::ListSubscriptions;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let creds = Credentials::backend_token("t0k").unwrap();
/// let list = ListSubscriptions::new().offset(0).limit(1).order_by_name(true);
/// let request = list.to_request(&base, &creds).unwrap();
/// assert_eq!(request.uri().query(), Some("offset=0&limit=1&order%5B%5D=%5B-name%5D"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListSubscriptions {
    list: ListParams,
}

impl ListSubscriptions {
    /// All subscriptions, first page, server's default page size and order.
    pub fn new() -> Self {
        ListSubscriptions::default()
    }

    /// Sorts by name, ascending or descending.
    pub fn order_by_name(self, descending: bool) -> Self {
        self.order_by("name", descending)
    }
}

list_request!(ListSubscriptions, Subscription);

impl Endpoint for ListSubscriptions {
    type Output = Page<Subscription>;

    fn method(&self) -> Method {
        Method::GET
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(SUBSCRIPTIONS.to_owned())
    }

    fn query(&self, query: &mut Query) -> Result<(), InputError> {
        self.list.write_head(query)?;
        self.list.write_tail(query);
        Ok(())
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Page<Subscription>, Error> {
        let envelope = decode::envelope(response, SUBSCRIPTIONS_LIST_MEMBER)?;
        Ok(Page {
            items: envelope.value,
            extra: envelope.rest,
        })
    }
}

/// `GET /be/v1/subscriptions/{subscriptionName}`: one subscription.
///
/// The route exists on servers since May 2025; the reference has no page for it.
///
/// ```
/// use rockit_edge::subscriptions::GetSubscription;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let creds = Credentials::backend_token("t0k").unwrap();
/// let request = GetSubscription::new("ci hook").to_request(&base, &creds).unwrap();
/// assert_eq!(request.uri().path(), "/be/v1/subscriptions/ci%20hook");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetSubscription {
    name: String,
}

impl GetSubscription {
    /// The subscription named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        GetSubscription { name: name.into() }
    }
}

impl Endpoint for GetSubscription {
    type Output = Subscription;

    fn method(&self) -> Method {
        Method::GET
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(PathBuilder::new(SUBSCRIPTIONS)
            .segment("subscription name", &self.name)?
            .finish())
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Subscription, Error> {
        decode::member(response, SUBSCRIPTIONS_ITEM_MEMBER)
    }
}

/// `DELETE /be/v1/subscriptions/{subscriptionName}`: removes a subscription; no more events go
/// to its target.
///
/// Needs the `subscriptions.delete` permission. The answer's members other than `status` are
/// returned as they are.
///
/// ```
/// use rockit_edge::subscriptions::Unsubscribe;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let creds = Credentials::backend_token("t0k").unwrap();
/// let request = Unsubscribe::new("example_Name").to_request(&base, &creds).unwrap();
/// assert_eq!(request.method(), http::Method::DELETE);
/// assert_eq!(request.uri().path(), "/be/v1/subscriptions/example_Name");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsubscribe {
    name: String,
}

impl Unsubscribe {
    /// Removes the subscription named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Unsubscribe { name: name.into() }
    }
}

impl Endpoint for Unsubscribe {
    type Output = Map<String, Value>;

    fn method(&self) -> Method {
        Method::DELETE
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(PathBuilder::new(SUBSCRIPTIONS)
            .segment("subscription name", &self.name)?
            .finish())
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Map<String, Value>, Error> {
        decode::acknowledgement(response)
    }
}

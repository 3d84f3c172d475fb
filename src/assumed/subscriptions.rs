//! Assumed wire shapes of `crate::subscriptions`.

/// List Subscriptions answers `{"status": "success", "subscriptions": […]}`.
pub const SUBSCRIPTIONS_LIST_MEMBER: &str = "subscriptions";

/// Subscription Details answers `{"status": "success", "subscription": {…}}`, and Subscribe
/// answers the new subscription in the same member.
pub const SUBSCRIPTIONS_ITEM_MEMBER: &str = "subscription";

/// A subscription is named by `name`, in Subscribe's body and in answers.
pub const SUBSCRIPTIONS_NAME_MEMBER: &str = "name";

/// A webhook subscription gives its URL as `url`.
pub const SUBSCRIPTIONS_WEBHOOK_MEMBER: &str = "url";

/// A Slack subscription gives its channel as `slackChannel`.
pub const SUBSCRIPTIONS_SLACK_MEMBER: &str = "slackChannel";

/// A subscription filters events as `events`: an object from event type to a list of events.
pub const SUBSCRIPTIONS_EVENTS_MEMBER: &str = "events";

/// Subscribe answers the secret that verifies the webhook's token as `secret`.
pub const SUBSCRIPTIONS_SECRET_MEMBER: &str = "secret";

/// A webhook's token is a JWT signed with HS256, keyed with the bytes of the secret as
/// Subscribe answers it.
pub const SUBSCRIPTIONS_WEBHOOK_ALGORITHM: &str = "HS256";

/// A webhook's token binds the body: its claims carry the SHA-256 of the raw body, in hex, as
/// `bodySha256`.
pub const SUBSCRIPTIONS_WEBHOOK_BODY_CLAIM: &str = "bodySha256";

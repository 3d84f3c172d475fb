//! A client: a transport, a base URL and credentials, ready to send endpoints.

use crate::auth::Credentials;
use crate::base_url::BaseUrl;
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::pager::{Items, Paged, Pager};
use crate::redact;
use crate::transport::Transport;

/// Sends endpoints over a transport and decodes their answers.
///
/// A client is `Send + Sync` when its transport is, and can be shared between threads.
///
/// ```
/// use rockit_edge::fake::FakeEdge;
/// use rockit_edge::tasks::GetTask;
/// use rockit_edge::Client;
///
/// let fake = FakeEdge::seeded();
/// let client = Client::new(fake.clone(), fake.base_url(), fake.credentials());
/// let task = client.send(&GetTask::new("ExampleOrg-sushi-0003-1739273968-dltar")).unwrap();
/// assert_eq!(task.app_name, "sushi");
/// ```
#[derive(Clone, Debug)]
pub struct Client<T> {
    transport: T,
    base: BaseUrl,
    credentials: Credentials,
}

impl<T: Transport> Client<T> {
    /// A client that sends requests to `base` with `credentials` over `transport`.
    pub fn new(transport: T, base: BaseUrl, credentials: Credentials) -> Self {
        Client {
            transport,
            base,
            credentials,
        }
    }

    /// Builds the endpoint's request, sends it and decodes the answer.
    ///
    /// An error answer that repeats a secret of the request (see [`Endpoint::body_secrets`])
    /// shows `[redacted]` in its place.
    pub fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, Error> {
        redact::exchange(&self.transport, endpoint, &self.base, &self.credentials)
    }

    /// Every item of a list, fetching the next page only when the items so far are used up.
    ///
    /// ```
    /// use rockit_edge::fake::FakeEdge;
    /// use rockit_edge::tasks::ListTasks;
    ///
    /// let fake = FakeEdge::seeded();
    /// let client = fake.client();
    /// let tasks: Vec<_> = client.all(ListTasks::new().limit(2)).collect::<Result<_, _>>().unwrap();
    /// assert_eq!(tasks.len(), fake.tasks().len());
    /// ```
    pub fn all<E: Paged>(&self, list: E) -> Items<'_, T, E> {
        Items {
            client: self,
            pager: Pager::new(list),
            buffered: Vec::new().into_iter(),
        }
    }

    /// The base URL.
    pub fn base_url(&self) -> &BaseUrl {
        &self.base
    }

    /// The credentials.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// Replaces the credentials, for instance with a fresh auth token.
    pub fn set_credentials(&mut self, credentials: Credentials) {
        self.credentials = credentials;
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }
}

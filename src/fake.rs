//! An in-memory, stateful ROCKIT Edge, for examples and for testing code that uses this crate.
//!
//! [`FakeEdge`] answers `http::Request`s directly: it is a [`Transport`], so a [`Client`] can
//! talk to it without a network, and [`serve`] puts any transport, the fake included, behind
//! a small HTTP/1.1 server on `127.0.0.1` for clients that need a socket.
//!
//! Wherever the reference leaves a wire shape open, the fake answers the way [`crate::assumed`]
//! says, so tests against it state those choices rather than hide them. It serves:
//!
//! - `GET /be/v1/tasks/{taskName}`
//! - `GET /be/v1/tasks`
//! - `PATCH /be/v1/tasks`
//! - `POST /be/v1/login`, `POST /be/v1/auth`, `POST /be/v1/refresh`, `POST /be/v1/logout`
//! - `POST /srv/v1/ping`, `POST /srv/v1/hello`, `GET /srv/v1/versions`, the same three under
//!   `/adm/v1`, `POST /adm/v1/orgs` and `DELETE /adm/v1/orgs/{org}`
//! - `POST /be/v1/subscriptions`, `GET /be/v1/subscriptions`,
//!   `GET /be/v1/subscriptions/{subscriptionName}`,
//!   `DELETE /be/v1/subscriptions/{subscriptionName}`
//! - `POST /be/v1/trigger`
//! - `POST /be/v1/apps`, `GET /be/v1/apps`, `GET /be/v1/apps/{appName}`, `PATCH /be/v1/apps`,
//!   `DELETE /be/v1/apps/{appname}`, `POST /be/v1/builds`, `POST /be/v1/deployments`,
//!   `GET /be/v1/deployments`, `GET /be/v1/deployments/{deployment}`,
//!   `PATCH /be/v1/deployments`, `DELETE /be/v1/deployments/{DEPLOYMENT_NAME}`
//! - `GET /be/v1/users`, `GET /be/v1/users/{username}`, `POST /be/v1/users`,
//!   `PATCH /be/v1/users`, `DELETE /be/v1/users/{username}`, `POST /be/v1/apikeys`,
//!   `DELETE /be/v1/apikeys`, `DELETE /be/v1/apikeys/{key}`, `GET /be/v1/roles`,
//!   `GET /be/v1/roles/{roleName}`, `POST /be/v1/roles`, `PATCH /be/v1/roles`,
//!   `DELETE /be/v1/roles/{roleName}`, `POST /be/v1/orgs`, `DELETE /be/v1/orgs/{ORG_NAME}`
//! - `PUT /upload/{token}`: the upload URLs that `POST /be/v1/builds` hands out, which take no
//!   credentials (the token is the permission) and answer as an object store does; see
//!   [`FakeEdge::uploads`]
//!
//! Task changes that Edge would tell webhooks about are recorded as [`WebhookCall`]s,
//! never sent; see [`FakeEdge::webhook_calls`].
//!
//! Routing looks at the request path only; scheme and host are ignored, so the fake answers
//! whatever base URL without a path prefix the request was built for.
//!
//! Every backend endpoint takes either `x-rockit-beauth-token` or all three of
//! `x-rockit-orgname`, `x-rockit-username` and `x-rockit-api-key`, as the reference says.
//! Auth and access tokens handed out by logging in join them. The logins take a password or
//! their own token instead ([`VALID_LOGIN_USERNAME`] logs in with [`VALID_LOGIN_PASSWORD`]),
//! and the admin API takes `x-rockit-admin-token` ([`VALID_ADMIN_TOKEN`]).
//! Success bodies are `{"status": "success", <member>: …}`; error bodies are
//! `{"status": "error", "code": …, "message": …}` with these codes:
//!
//! | status | code | when |
//! |---|---|---|
//! | 400 | `missing-param` | a required parameter or body member is missing or blank |
//! | 400 | `invalid-param` | a parameter or body member has a value the endpoint cannot use |
//! | 400 | `invalid-body` | the request body is not the JSON object the endpoint takes |
//! | 400 | `conflicting-credentials` | an auth token and API-key headers were sent together |
//! | 401 | `missing-credentials` | no credentials, or only part of the API-key triple |
//! | 401 | `invalid-token` | the auth token or the API key is not known |
//! | 401 | `invalid-credentials` | a login's user name, password or organisation is wrong |
//! | 401 | `token-expired` | a token expired by [`FakeEdge::clock`] or [`FakeEdge::expire_token`] |
//! | 404 | `not-found` | no endpoint at this path, or no such task |
//! | 405 | `method-not-allowed` | the path is known but not with this method |
//! | 409 | `invalid-state` | the task is not in a state the change applies to |
//! | 409 | `app-exists`, `deployment-exists`, `deployment-in-use` | the name is taken, or an app has the deployment registered |
//! | 403 | `forbidden` | an organisation endpoint was sent an API key, not an auth token |
//! | 403 | `wrong-password` | a password change gave a wrong `oldPW` |
//! | 409 | `already-exists` | a user, role or organisation name is taken |
//! | 500 | `internal-error` | the answer could not be written |
//!
//! [`serve`] adds its own codes for what goes wrong at the HTTP level; see there.
//!
//! ```
//! use rockit_edge::fake::FakeEdge;
//! use rockit_edge::tasks::{ExpireTask, GetTask};
//!
//! let fake = FakeEdge::seeded();
//! let client = fake.client();
//! let name = "ExampleOrg-sushi-0003-1739273968-dltar";
//! client.send(&ExpireTask::new(name)).unwrap();
//! assert_eq!(client.send(&GetTask::new(name)).unwrap().status.as_str(), "expired");
//! ```
//!
//! [`Client`]: crate::Client

mod admin;
mod api_keys;
mod apps;
mod builds;
mod deployments;
mod login;
mod orgs;
mod roles;
mod serve;
mod subscriptions;
mod tasks;
mod triggers;
mod users;
mod webhooks;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use http::header::{HeaderMap, HeaderValue, ALLOW, CONTENT_TYPE};
use http::{Method, Request, Response, StatusCode, Uri};
use percent_encoding::percent_decode_str;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

use crate::assumed;
use crate::auth::{self, Credentials};
use crate::base_url::BaseUrl;
use crate::client::Client;
use crate::decode::SUCCESS;
use crate::error::TransportError;
use crate::tasks::Task;
use crate::transport::Transport;

pub use admin::VALID_ADMIN_TOKEN;
pub use builds::ReceivedUpload;
pub use login::{TokenLifetimes, VALID_LOGIN_PASSWORD, VALID_LOGIN_USERNAME};
pub use serve::{
    serve, Server, MAX_BODY_BYTES, MAX_CONNECTIONS, MAX_HEAD_BYTES, MAX_UPLOAD_BYTES, READ_TIMEOUT,
    REQUEST_DEADLINE, UPLOAD_DEADLINE,
};
pub use webhooks::WebhookCall;

/// The backend auth token every fake accepts from the start.
pub const VALID_TOKEN: &str = "fake-edge-beauth-token";
/// The organisation of the API key every fake accepts from the start.
pub const VALID_ORG_NAME: &str = "ExampleOrg";
/// The machine user of the API key every fake accepts from the start.
pub const VALID_USERNAME: &str = "adminPrincipal";
/// The API key every fake accepts from the start.
pub const VALID_API_KEY: &str = "fake-edge-api-key";

/// The base URL the fake reports; `.invalid` never resolves, so nothing is ever sent there.
const BASE_URL: &str = "http://fake-edge.invalid";

const NOT_FOUND: &str = "not-found";
const METHOD_NOT_ALLOWED: &str = "method-not-allowed";
const MISSING_PARAM: &str = "missing-param";
const INVALID_PARAM: &str = "invalid-param";
const INVALID_BODY: &str = "invalid-body";
const INVALID_STATE: &str = "invalid-state";
const CONFLICTING_CREDENTIALS: &str = "conflicting-credentials";
const MISSING_CREDENTIALS: &str = "missing-credentials";
const INVALID_TOKEN: &str = "invalid-token";
const TOKEN_EXPIRED: &str = "token-expired";
const INTERNAL_ERROR: &str = "internal-error";

/// The member an error body carries its code in: the first one a client looks for.
const CODE_MEMBER: &str = assumed::ERROR_CODE_MEMBERS[0];
/// The member an error body carries its message in: the first one a client looks for.
const MESSAGE_MEMBER: &str = assumed::ERROR_MESSAGE_MEMBERS[0];

/// A fake ROCKIT Edge held in memory.
///
/// A `FakeEdge` is a handle: clones share one state, so a test can keep one clone to look at
/// and change what the fake holds while a [`Client`] sends requests through
/// another. It never fails as a transport; every problem is an error answer.
///
/// Start from [`FakeEdge::seeded`] for a handful of tasks of every type, or from
/// [`FakeEdge::new`] and add your own:
///
/// ```
/// use rockit_edge::fake::FakeEdge;
/// use rockit_edge::tasks::{ListTasks, Task};
/// use rockit_edge::Client;
///
/// let task: Task = serde_json::from_value(serde_json::json!({
///     "name": "MyOrg-pong-0001-1700000000-dltar",
///     "appName": "pong",
///     "buildName": "0001",
///     "taskType": "dltar",
///     "status": "running",
///     "steps": {"created": "2023-11-14T22:13:20.000Z"}
/// })).unwrap();
/// let fake = FakeEdge::new();
/// fake.insert_task(task);
///
/// let client = Client::new(fake.clone(), fake.base_url(), fake.api_key_credentials());
/// let page = client.send(&ListTasks::new()).unwrap();
/// assert_eq!(page.items.len(), 1);
/// assert_eq!(page.total(), Some(1));
/// ```
#[derive(Clone, Default)]
pub struct FakeEdge {
    state: Arc<Mutex<State>>,
}

/// Everything the fake holds.
struct State {
    /// In the order they were first inserted, which is the order lists use by default.
    tasks: Vec<Task>,
    /// Task name to position in `tasks`.
    task_index: HashMap<String, usize>,
    /// Auth token to whether it has expired.
    tokens: HashMap<Vec<u8>, bool>,
    /// Organisation, user and key.
    api_keys: HashSet<(String, String, String)>,
    requests: u64,
    logins: login::Logins,
    admin: admin::Admin,
    subscriptions: subscriptions::Subscriptions,
    apps: apps::Apps,
    builds: builds::Builds,
    deployments: deployments::Deployments,
    task_progress: tasks::Progress,
    /// The requests it would have sent to webhooks, oldest first.
    webhook_calls: Vec<webhooks::WebhookCall>,
    users: users::Users,
    roles: roles::Roles,
    orgs: orgs::Orgs,
}

impl Default for State {
    fn default() -> Self {
        let mut state = State {
            tasks: Vec::new(),
            task_index: HashMap::new(),
            tokens: HashMap::new(),
            api_keys: HashSet::new(),
            requests: 0,
            logins: login::Logins::default(),
            admin: admin::Admin::default(),
            subscriptions: subscriptions::Subscriptions::default(),
            apps: apps::Apps::default(),
            builds: builds::Builds::default(),
            deployments: deployments::Deployments::default(),
            task_progress: tasks::Progress::default(),
            webhook_calls: Vec::new(),
            users: users::Users::default(),
            roles: roles::Roles::default(),
            orgs: orgs::Orgs::default(),
        };
        state.tokens.insert(VALID_TOKEN.as_bytes().to_vec(), false);
        state.api_keys.insert((
            VALID_ORG_NAME.to_owned(),
            VALID_USERNAME.to_owned(),
            VALID_API_KEY.to_owned(),
        ));
        state
    }
}

impl State {
    fn insert_task(&mut self, task: Task) {
        match self.task_index.get(&task.name) {
            Some(&at) => {
                if let Some(slot) = self.tasks.get_mut(at) {
                    *slot = task;
                }
            }
            None => {
                self.task_index.insert(task.name.clone(), self.tasks.len());
                self.tasks.push(task);
            }
        }
    }

    fn task(&self, name: &str) -> Option<&Task> {
        self.task_index.get(name).and_then(|&at| self.tasks.get(at))
    }

    fn task_mut(&mut self, name: &str) -> Option<&mut Task> {
        let at = *self.task_index.get(name)?;
        self.tasks.get_mut(at)
    }
}

impl FakeEdge {
    /// A fake without tasks that accepts [`VALID_TOKEN`] and the API key of
    /// [`VALID_ORG_NAME`], [`VALID_USERNAME`] and [`VALID_API_KEY`].
    pub fn new() -> Self {
        FakeEdge::default()
    }

    /// Like [`FakeEdge::new`], holding eight tasks of the apps `sushi`, `ramen` and
    /// `tempura`: the reference's Task Details example, and tasks of every type (`dltar`,
    /// `mkraw`, `deploy`) in the states `failed`, `running`, `finished` and `warning`, with
    /// download, file-read and deploy exceptions among them.
    ///
    /// The apps themselves are there too, with their builds, and the deployments `gcore`,
    /// registered to `sushi`, and `cdn_eu`, registered to `ramen` and in error like it.
    ///
    /// So are the person `jdoe` and the roles of the reference's example table.
    ///
    /// Running tasks move on as they are read; see [`FakeEdge::set_task_progress`].
    pub fn seeded() -> Self {
        let fake = FakeEdge::new();
        {
            let mut state = fake.lock();
            for task in tasks::seed() {
                state.insert_task(task);
            }
            state.subscriptions = subscriptions::seed();
            let (apps, builds) = apps::seed();
            state.apps = apps;
            state.builds = builds::seed(builds);
            state.deployments = deployments::seed();
            state.task_progress = tasks::Progress::seeded();
            users::seed(&mut state);
            roles::seed(&mut state);
        }
        fake
    }

    /// The base URL to build requests for: `http://fake-edge.invalid`. No request is ever
    /// sent there; the fake answers in memory.
    pub fn base_url(&self) -> BaseUrl {
        BaseUrl::parse(BASE_URL).expect("the fake's base URL is a constant that parses")
    }

    /// Credentials with the auth token the fake accepts from the start ([`VALID_TOKEN`]).
    pub fn credentials(&self) -> Credentials {
        Credentials::backend_token(VALID_TOKEN).expect("the fake's token is printable ASCII")
    }

    /// A client of this fake with [`FakeEdge::credentials`].
    pub fn client(&self) -> Client<FakeEdge> {
        Client::new(self.clone(), self.base_url(), self.credentials())
    }

    /// Credentials with the API key the fake accepts from the start.
    pub fn api_key_credentials(&self) -> Credentials {
        Credentials::api_key(VALID_ORG_NAME, VALID_USERNAME, VALID_API_KEY)
            .expect("the fake's API key triple is printable ASCII")
    }

    /// Makes `token` a valid auth token, also when it had expired.
    pub fn add_token(&self, token: &str) {
        let mut state = self.lock();
        state.tokens.insert(token.as_bytes().to_vec(), false);
        state.logins.forget_expiry(token);
    }

    /// Makes the API key `key` of user `username` in organisation `org_name` valid.
    pub fn add_api_key(&self, org_name: &str, username: &str, key: &str) {
        self.lock()
            .api_keys
            .insert((org_name.to_owned(), username.to_owned(), key.to_owned()));
    }

    /// Expires `token`: requests that carry it are answered `401` with code
    /// `token-expired`, whether the fake knew the token before or not.
    pub fn expire_token(&self, token: &str) {
        self.lock().tokens.insert(token.as_bytes().to_vec(), true);
    }

    /// Adds `task`, or replaces the task of the same name where it stands.
    pub fn insert_task(&self, task: Task) {
        self.lock().insert_task(task);
    }

    /// The task named `name`, as the fake holds it now.
    pub fn task(&self, name: &str) -> Option<Task> {
        self.lock().task(name).cloned()
    }

    /// Every task, in the order they were first inserted.
    pub fn tasks(&self) -> Vec<Task> {
        self.lock().tasks.clone()
    }

    /// How many requests the fake has answered, whatever the answer.
    pub fn requests(&self) -> u64 {
        self.lock().requests
    }

    /// Answers `request` as ROCKIT Edge would, changing the fake's state where the request
    /// asks to.
    pub fn handle(&self, request: &Request<Vec<u8>>) -> Response<Vec<u8>> {
        let mut state = self.lock();
        state.requests = state.requests.saturating_add(1);
        dispatch(&mut state, request).unwrap_or_else(Failure::into_response)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Every change to the state is complete before anything that could panic, so a
        // poisoned lock still guards a consistent state.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Transport for FakeEdge {
    fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
        Ok(self.handle(&request))
    }
}

impl fmt::Debug for FakeEdge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("FakeEdge")
            .field("tasks", &state.tasks.len())
            .field("requests", &state.requests)
            .finish_non_exhaustive()
    }
}

/// What a resource module answers with: a response, or the error that becomes one.
type Answer = Result<Response<Vec<u8>>, Failure>;

/// Answers the requests below one resource path.
type Handler = fn(&mut State, &Call<'_>) -> Answer;

/// Every resource the fake serves, by path. A request whose path is one of these, or starts
/// with one and `/`, goes to that handler once its credentials pass.
const RESOURCES: &[(&str, Handler)] = &[
    (tasks::PATH, tasks::handle),
    (subscriptions::PATH, subscriptions::handle),
    (triggers::PATH, triggers::handle),
    (apps::PATH, apps::handle),
    (builds::PATH, builds::handle),
    (deployments::PATH, deployments::handle),
    (users::PATH, users::handle),
    (api_keys::PATH, api_keys::handle),
    (roles::PATH, roles::handle),
    (orgs::PATH, orgs::handle),
];

/// Resources that take other credentials than the backend's, and check them themselves.
const OWN_CREDENTIALS: &[(&str, Handler)] = &[
    (login::LOGIN_PATH, login::login),
    (login::AUTH_PATH, login::auth),
    (login::REFRESH_PATH, login::refresh),
    (login::LOGOUT_PATH, login::logout),
    (admin::CURRENT_PATH, admin::handle_current),
    (admin::LEGACY_PATH, admin::handle_legacy),
    (builds::UPLOAD_PATH, builds::handle_upload),
];

/// One request, as a resource handler sees it.
struct Call<'a> {
    method: &'a Method,
    uri: &'a Uri,
    /// The path below the resource's path: empty, or starting with `/`.
    rest: &'a str,
    /// The raw query, without `?`; empty when there is none.
    query: &'a str,
    body: &'a [u8],
    headers: &'a HeaderMap,
}

fn dispatch(state: &mut State, request: &Request<Vec<u8>>) -> Answer {
    let path = request.uri().path();
    let find = |table: &'static [(&str, Handler)]| {
        table.iter().find_map(|(prefix, handler)| {
            let rest = path.strip_prefix(prefix)?;
            (rest.is_empty() || rest.starts_with('/')).then_some((handler, rest))
        })
    };
    let (handler, rest) = match find(OWN_CREDENTIALS) {
        Some(found) => found,
        None => {
            let found =
                find(RESOURCES).ok_or_else(|| Failure::not_found("no endpoint at this path"))?;
            authenticate(state, request.headers())?;
            found
        }
    };

    let call = Call {
        method: request.method(),
        uri: request.uri(),
        rest,
        query: request.uri().query().unwrap_or(""),
        body: request.body(),
        headers: request.headers(),
    };
    handler(state, &call)
}

/// Checks backend credentials: an auth token, or the full API-key triple, never both.
fn authenticate(state: &State, headers: &HeaderMap) -> Result<(), Failure> {
    let token = headers.get(auth::BEAUTH_TOKEN);
    let org_name = headers.get(auth::ORGNAME);
    let username = headers.get(auth::USERNAME);
    let key = headers.get(auth::API_KEY);

    let key_headers = [&org_name, &username, &key];
    let key_parts = key_headers.iter().filter(|h| h.is_some()).count();
    if token.is_some() && key_parts > 0 {
        return Err(Failure::new(
            StatusCode::BAD_REQUEST,
            CONFLICTING_CREDENTIALS,
            "send either x-rockit-beauth-token or an API key, not both",
        ));
    }

    if let Some(token) = token {
        let outlived = state.logins.has_expired(token.as_bytes());
        return match state.tokens.get(token.as_bytes()) {
            Some(false) if !outlived => Ok(()),
            Some(_) => Err(Failure::unauthorized(
                TOKEN_EXPIRED,
                "the auth token has expired",
            )),
            None => Err(Failure::unauthorized(INVALID_TOKEN, "unknown auth token")),
        };
    }

    match (org_name, username, key) {
        (Some(org_name), Some(username), Some(key)) => {
            let text = |v: &HeaderValue| v.to_str().map(str::to_owned).ok();
            let known = match (text(org_name), text(username), text(key)) {
                (Some(o), Some(u), Some(k)) => state.api_keys.contains(&(o, u, k)),
                _ => false,
            };
            if known {
                Ok(())
            } else {
                Err(Failure::unauthorized(INVALID_TOKEN, "unknown API key"))
            }
        }
        _ if key_parts == 0 => Err(Failure::unauthorized(
            MISSING_CREDENTIALS,
            "send x-rockit-beauth-token, or x-rockit-orgname, x-rockit-username and \
             x-rockit-api-key",
        )),
        _ => Err(Failure::unauthorized(
            MISSING_CREDENTIALS,
            "an API key needs all of x-rockit-orgname, x-rockit-username and x-rockit-api-key",
        )),
    }
}

/// An error answer: status, code and message of the assumed error body.
#[derive(Debug)]
struct Failure {
    status: StatusCode,
    code: &'static str,
    message: String,
    /// The methods a path takes, for `405` answers.
    allow: Option<&'static str>,
}

impl Failure {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Failure {
            status,
            code,
            message: message.into(),
            allow: None,
        }
    }

    fn unauthorized(code: &'static str, message: &str) -> Self {
        Failure::new(StatusCode::UNAUTHORIZED, code, message)
    }

    fn not_found(message: impl Into<String>) -> Self {
        Failure::new(StatusCode::NOT_FOUND, NOT_FOUND, message)
    }

    fn method_not_allowed(allow: &'static str) -> Self {
        Failure {
            allow: Some(allow),
            ..Failure::new(
                StatusCode::METHOD_NOT_ALLOWED,
                METHOD_NOT_ALLOWED,
                format!("this path takes {allow}"),
            )
        }
    }

    fn missing_param(message: impl Into<String>) -> Self {
        Failure::new(StatusCode::BAD_REQUEST, MISSING_PARAM, message)
    }

    fn invalid_param(message: impl Into<String>) -> Self {
        Failure::new(StatusCode::BAD_REQUEST, INVALID_PARAM, message)
    }

    fn invalid_body(message: impl Into<String>) -> Self {
        Failure::new(StatusCode::BAD_REQUEST, INVALID_BODY, message)
    }

    fn invalid_state(message: impl Into<String>) -> Self {
        Failure::new(StatusCode::CONFLICT, INVALID_STATE, message)
    }

    fn into_response(self) -> Response<Vec<u8>> {
        let mut response = error_response(self.status, self.code, &self.message);
        if let Some(allow) = self.allow {
            response
                .headers_mut()
                .insert(ALLOW, HeaderValue::from_static(allow));
        }
        response
    }
}

/// `{"status": "error", "code": …, "message": …}` with `status`.
fn error_response(status: StatusCode, code: &str, message: &str) -> Response<Vec<u8>> {
    struct ErrorBody<'a> {
        code: &'a str,
        message: &'a str,
    }

    impl Serialize for ErrorBody<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(Some(3))?;
            map.serialize_entry("status", assumed::ERROR_STATUS)?;
            map.serialize_entry(CODE_MEMBER, self.code)?;
            map.serialize_entry(MESSAGE_MEMBER, self.message)?;
            map.end()
        }
    }

    match serde_json::to_vec(&ErrorBody { code, message }) {
        Ok(body) => json_response(status, body),
        // Strings always serialize; an empty body still carries the status.
        Err(_) => json_response(status, Vec::new()),
    }
}

/// `{"status": "success", member: value, …more}` with `200 OK`.
fn success<T: Serialize>(member: &str, value: &T, more: &[(&str, Value)]) -> Answer {
    struct SuccessBody<'a, T> {
        member: &'a str,
        value: &'a T,
        more: &'a [(&'a str, Value)],
    }

    impl<T: Serialize> Serialize for SuccessBody<'_, T> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(Some(2 + self.more.len()))?;
            map.serialize_entry("status", SUCCESS)?;
            map.serialize_entry(self.member, self.value)?;
            for (key, value) in self.more {
                map.serialize_entry(key, value)?;
            }
            map.end()
        }
    }

    let body = SuccessBody {
        member,
        value,
        more,
    };
    match serde_json::to_vec(&body) {
        Ok(bytes) => Ok(json_response(StatusCode::OK, bytes)),
        Err(e) => Err(Failure::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            INTERNAL_ERROR,
            format!("cannot write the answer: {e}"),
        )),
    }
}

fn json_response(status: StatusCode, body: Vec<u8>) -> Response<Vec<u8>> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// Percent-decodes a path segment or query component as UTF-8. A `%` not followed by two
/// hex digits stays as it is; `+` stays a plus sign, since this crate's client encodes a
/// space as `%20`.
fn percent_decode(raw: &str) -> Option<String> {
    percent_decode_str(raw)
        .decode_utf8()
        .ok()
        .map(|text| text.into_owned())
}

/// The decoded pairs of a query string.
#[derive(Debug, PartialEq)]
struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Splits at `&` and each pair at its first `=` (a key without `=` has an empty value),
    /// skips empty pieces and percent-decodes keys and values.
    fn parse(query: &str) -> Result<Self, Failure> {
        let mut pairs = Vec::new();
        for piece in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = piece.split_once('=').unwrap_or((piece, ""));
            let decode = |raw| {
                percent_decode(raw)
                    .ok_or_else(|| Failure::invalid_param("query parameters must be UTF-8"))
            };
            pairs.push((decode(key)?, decode(value)?));
        }
        Ok(Params { pairs })
    }

    /// Every value of `key`, in order.
    fn all<'s>(&'s self, key: &'s str) -> impl Iterator<Item = &'s str> + 's {
        self.pairs
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The value of a parameter that may appear once.
    fn one(&self, key: &str) -> Result<Option<&str>, Failure> {
        let mut values = self
            .pairs
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str());
        let first = values.next();
        if values.next().is_some() {
            return Err(Failure::invalid_param(format!(
                "`{key}` is given more than once"
            )));
        }
        Ok(first)
    }

    /// The value of a parameter that may appear once, as a whole number of at least `min`.
    fn number(&self, key: &str, min: u64) -> Result<Option<u64>, Failure> {
        let Some(text) = self.one(key)? else {
            return Ok(None);
        };
        match text.parse::<u64>() {
            Ok(n) if n >= min => Ok(Some(n)),
            _ => Err(Failure::invalid_param(format!(
                "`{key}` must be a whole number of at least {min}"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_decode_keys_and_values_and_keep_plus() {
        let params =
            Params::parse("order%5B%5D=%5B-name%5D&a=x+y&b=two%20words&flag&&c=1=2").unwrap();
        let want = [
            ("order[]", "[-name]"),
            ("a", "x+y"),
            ("b", "two words"),
            ("flag", ""),
            ("c", "1=2"),
        ];
        let got: Vec<(&str, &str)> = params
            .pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(got, want);
        assert!(Params::parse("").unwrap().pairs.is_empty());
    }

    #[test]
    fn queries_refuse_bytes_that_are_not_utf8() {
        let err = Params::parse("appName=%FF").unwrap_err();
        assert_eq!(err.code, INVALID_PARAM);
        assert_eq!(err.status, StatusCode::BAD_REQUEST);
    }

    #[test]
    fn single_parameters_may_not_repeat_and_numbers_must_be_numbers() {
        let params = Params::parse("limit=5&offset=1&offset=2&bad=-1&worse=x").unwrap();
        assert_eq!(params.number("limit", 1).unwrap(), Some(5));
        assert_eq!(params.number("absent", 1).unwrap(), None);
        assert_eq!(params.one("offset").unwrap_err().code, INVALID_PARAM);
        assert_eq!(params.number("bad", 0).unwrap_err().code, INVALID_PARAM);
        assert_eq!(params.number("worse", 0).unwrap_err().code, INVALID_PARAM);
        assert_eq!(params.number("limit", 6).unwrap_err().code, INVALID_PARAM);
        assert_eq!(params.all("offset").collect::<Vec<_>>(), ["1", "2"]);
    }

    #[test]
    fn percent_decoding_is_lenient_about_stray_percent_signs_only() {
        assert_eq!(percent_decode("a%2Fb").as_deref(), Some("a/b"));
        assert_eq!(percent_decode("caf%C3%A9").as_deref(), Some("caf\u{e9}"));
        assert_eq!(percent_decode("100%").as_deref(), Some("100%"));
        assert_eq!(percent_decode("%zz+").as_deref(), Some("%zz+"));
        assert_eq!(percent_decode("%C3"), None);
    }

    #[test]
    fn error_bodies_have_the_assumed_shape() {
        let response = error_response(StatusCode::NOT_FOUND, NOT_FOUND, "no \"such\" task");
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
        let body: Value = serde_json::from_slice(response.body()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"status": "error", "code": "not-found", "message": "no \"such\" task"})
        );
    }

    #[test]
    fn success_bodies_put_status_first() {
        let response = success("task", &1, &[("total", Value::from(2))]).unwrap();
        assert_eq!(
            response.body(),
            br#"{"status":"success","task":1,"total":2}"#
        );
        assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
    }

    #[test]
    fn constants_make_valid_urls_and_credentials() {
        assert!(BaseUrl::parse(BASE_URL).is_ok());
        assert!(Credentials::backend_token(VALID_TOKEN).is_ok());
        assert!(Credentials::api_key(VALID_ORG_NAME, VALID_USERNAME, VALID_API_KEY).is_ok());
        assert_eq!(
            FakeEdge::new().base_url().to_string(),
            "http://fake-edge.invalid"
        );
    }

    #[test]
    fn a_poisoned_lock_still_answers() {
        let fake = FakeEdge::seeded();
        let clone = fake.clone();
        let _ = std::thread::spawn(move || {
            let _guard = clone.state.lock();
            panic!("poison the lock");
        })
        .join();
        assert!(fake.state.is_poisoned());
        assert_eq!(fake.tasks().len(), 8);
    }
}

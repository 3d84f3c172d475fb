//! Sessions through the client against the fake, whose tokens expire by a clock the test
//! moves: renewal before expiry, after an early `401 token-expired`, rotation, logout, the
//! end of a session, and many threads sharing one session.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::time::Duration;

use http::{Request, Response};
use rockit_edge::fake::{
    FakeEdge, TokenLifetimes, VALID_LOGIN_PASSWORD, VALID_LOGIN_USERNAME, VALID_ORG_NAME,
};
use rockit_edge::login::{
    Authenticate, Login, LoginToOrg, LoginWithPassword, Refresh, AUTH_TOKEN_LIFETIME,
};
use rockit_edge::session::{Clock, LoginRequiredReason, SessionClient, TokenSession};
use rockit_edge::tasks::{GetTask, ListTasks};
use rockit_edge::{
    Client, Credentials, Error, ErrorCode, Transport, TransportError, TransportErrorKind,
};

const TASK: &str = "ExampleOrg-sushi-0003-1739273968-dltar";

fn minutes(n: u64) -> Duration {
    Duration::from_secs(n * 60)
}

/// The fake, behind a transport that records every path it is sent and can be told to
/// misbehave.
#[derive(Clone)]
struct Recorder {
    fake: FakeEdge,
    paths: Arc<Mutex<Vec<String>>>,
    /// Renewal requests fail without an answer.
    refresh_unreachable: Arc<AtomicBool>,
    /// Every backend token is expired on the fake just before it arrives there.
    expire_on_arrival: Arc<AtomicBool>,
    /// How many of the next task requests wait at `gate` before going on.
    gated: Arc<AtomicUsize>,
    gate: Arc<Barrier>,
}

impl Recorder {
    fn new(fake: &FakeEdge) -> Self {
        Recorder {
            fake: fake.clone(),
            paths: Arc::default(),
            refresh_unreachable: Arc::default(),
            expire_on_arrival: Arc::default(),
            gated: Arc::default(),
            gate: Arc::new(Barrier::new(1)),
        }
    }

    /// Holds the next `n` task requests until all `n` have arrived.
    fn gate(mut self, n: usize) -> Self {
        self.gated = Arc::new(AtomicUsize::new(n));
        self.gate = Arc::new(Barrier::new(n.max(1)));
        self
    }

    fn count(&self, path: &str) -> usize {
        self.paths
            .lock()
            .unwrap()
            .iter()
            .filter(|p| *p == path)
            .count()
    }

    fn total(&self) -> usize {
        self.paths.lock().unwrap().len()
    }
}

impl Transport for Recorder {
    fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
        let path = request.uri().path().to_owned();
        self.paths.lock().unwrap().push(path.clone());
        let renewal = path == "/be/v1/refresh" || path == "/be/v1/auth";
        if renewal && self.refresh_unreachable.load(Ordering::SeqCst) {
            return Err(TransportError::new(
                TransportErrorKind::Connect,
                "connection refused",
            ));
        }
        let take_one = |n: usize| n.checked_sub(1);
        if path.starts_with("/be/v1/tasks")
            && self
                .gated
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, take_one)
                .is_ok()
        {
            self.gate.wait();
        }
        if self.expire_on_arrival.load(Ordering::SeqCst) {
            if let Some(token) = request.headers().get("x-rockit-beauth-token") {
                self.fake.expire_token(token.to_str().unwrap());
            }
        }
        self.fake.send(request)
    }
}

fn session_client(fake: &FakeEdge) -> (SessionClient<Recorder, impl Clock>, Recorder) {
    gated_session_client(fake, 0)
}

fn gated_session_client(
    fake: &FakeEdge,
    gated: usize,
) -> (SessionClient<Recorder, impl Clock>, Recorder) {
    let recorder = Recorder::new(fake).gate(gated);
    let client = SessionClient::new(recorder.clone(), fake.base_url()).with_clock(fake.clock());
    (client, recorder)
}

fn log_in_old<C: Clock>(client: &SessionClient<Recorder, C>) {
    client
        .login(&Login::new(
            VALID_ORG_NAME,
            VALID_LOGIN_USERNAME,
            VALID_LOGIN_PASSWORD,
        ))
        .unwrap();
}

fn log_in_new<C: Clock>(client: &SessionClient<Recorder, C>) {
    let selection = client
        .login_with_password(&LoginWithPassword::new(
            VALID_LOGIN_USERNAME,
            VALID_LOGIN_PASSWORD,
        ))
        .unwrap();
    client
        .login_to_org(&selection, &LoginToOrg::new(VALID_ORG_NAME))
        .unwrap();
}

fn backend_token(credentials: Option<Credentials>) -> String {
    match credentials {
        Some(Credentials::BackendToken(token)) => token.expose().to_owned(),
        other => panic!("expected a backend token, got {other:?}"),
    }
}

fn refresh_token(session: &TokenSession) -> Credentials {
    session.long_lived_credentials().clone()
}

/// What the fake answers a plain client that sends `credentials` as they are.
fn plain_answer(fake: &FakeEdge, credentials: Credentials) -> Result<(), (u16, String)> {
    Client::new(fake.clone(), fake.base_url(), credentials)
        .send(&GetTask::new(TASK))
        .map(drop)
        .map_err(|e| api(&e))
}

fn api(error: &Error) -> (u16, String) {
    (
        error.status().map_or(0, |s| s.as_u16()),
        error
            .code()
            .map(|c| c.as_str().to_owned())
            .unwrap_or_default(),
    )
}

fn login_required(result: Result<impl std::fmt::Debug, Error>) -> LoginRequiredReason {
    match result {
        Err(Error::LoginRequired(required)) => required.reason(),
        other => panic!("expected a login to be required, got {other:?}"),
    }
}

#[test]
fn the_fake_expires_its_tokens_by_its_clock() {
    let fake = FakeEdge::seeded();
    let anonymous = Client::new(
        fake.clone(),
        fake.base_url(),
        Credentials::backend_token("none").unwrap(),
    );
    let session = anonymous
        .send(&Login::new(
            VALID_ORG_NAME,
            VALID_LOGIN_USERNAME,
            VALID_LOGIN_PASSWORD,
        ))
        .unwrap();
    let by_session = Client::new(fake.clone(), fake.base_url(), session.credentials());
    let auth = by_session.send(&Authenticate::new()).unwrap();
    assert_eq!(auth.lifetime(), AUTH_TOKEN_LIFETIME);

    fake.advance(AUTH_TOKEN_LIFETIME - Duration::from_nanos(1));
    assert_eq!(plain_answer(&fake, auth.credentials()), Ok(()));
    fake.advance(Duration::from_nanos(1));
    assert_eq!(
        plain_answer(&fake, auth.credentials()),
        Err((401, "token-expired".into()))
    );
    // A token the fake did not hand out is still merely unknown.
    assert_eq!(
        plain_answer(&fake, Credentials::backend_token("made-up").unwrap()),
        Err((401, "invalid-token".into()))
    );

    // Shortened lifetimes apply to tokens handed out afterwards.
    fake.set_token_lifetimes(TokenLifetimes {
        auth: Duration::from_secs(10),
        session: minutes(60),
        org_selection: Duration::from_secs(20),
        ..TokenLifetimes::default()
    });
    let short = by_session.send(&Authenticate::new()).unwrap();
    assert_eq!(short.expires_in.get(), Some(&10));
    fake.advance(Duration::from_secs(10));
    assert_eq!(
        plain_answer(&fake, short.credentials()),
        Err((401, "token-expired".into()))
    );
    fake.add_token(short.auth_token.expose());
    assert_eq!(plain_answer(&fake, short.credentials()), Ok(()));

    let selection = anonymous
        .send(&LoginWithPassword::new(
            VALID_LOGIN_USERNAME,
            VALID_LOGIN_PASSWORD,
        ))
        .unwrap();
    fake.advance(Duration::from_secs(20));
    let late = Client::new(fake.clone(), fake.base_url(), selection.credentials())
        .send(&LoginToOrg::new(VALID_ORG_NAME));
    assert_eq!(api(&late.unwrap_err()), (401, "token-expired".into()));

    // The session token of the older login expires after a day.
    fake.advance(minutes(24 * 60));
    let expired = by_session.send(&Authenticate::new());
    assert_eq!(api(&expired.unwrap_err()), (401, "token-expired".into()));
}

#[test]
fn the_old_flow_renews_auth_tokens_until_the_session_token_expires() {
    let fake = FakeEdge::seeded();
    let (client, recorder) = session_client(&fake);
    log_in_old(&client);
    assert_eq!(recorder.count("/be/v1/login"), 1);
    assert_eq!(recorder.count("/be/v1/auth"), 1);
    let first = backend_token(client.credentials());

    assert_eq!(client.send(&GetTask::new(TASK)).unwrap().name, TASK);
    fake.advance(minutes(4));
    client.send(&GetTask::new(TASK)).unwrap();
    assert_eq!(backend_token(client.credentials()), first);
    assert_eq!(recorder.count("/be/v1/auth"), 1);

    // 4 min 40 s in, 20 s are left: less than the 30 s margin.
    fake.advance(Duration::from_secs(40));
    client.send(&GetTask::new(TASK)).unwrap();
    assert_eq!(recorder.count("/be/v1/auth"), 2);
    let second = backend_token(client.credentials());
    assert_ne!(second, first);

    // The first auth token really expires on the fake at 5 min.
    fake.advance(Duration::from_secs(20));
    assert_eq!(
        plain_answer(&fake, Credentials::backend_token(&first).unwrap()),
        Err((401, "token-expired".into()))
    );

    // Hours pass in steps of 10 min; each request renews the auth token first.
    for _ in 0..6 {
        fake.advance(minutes(10));
        client.send(&GetTask::new(TASK)).unwrap();
    }
    assert_eq!(recorder.count("/be/v1/auth"), 8);
    assert_eq!(client.session().unwrap().refreshes(), 8);

    // A day after the login the session token has expired: log in again, nothing is sent.
    fake.advance(minutes(24 * 60));
    let sent = recorder.total();
    let result = client.send(&GetTask::new(TASK));
    assert_eq!(login_required(result), LoginRequiredReason::Expired);
    assert_eq!(recorder.total(), sent);
    assert_eq!(
        login_required(client.send(&ListTasks::new())),
        LoginRequiredReason::Expired
    );

    log_in_old(&client);
    client.send(&GetTask::new(TASK)).unwrap();
}

#[test]
fn a_session_token_the_server_ends_early_asks_for_a_new_login() {
    let fake = FakeEdge::seeded();
    // The fake keeps its lifetimes to itself: the client assumes the documented 24 h.
    fake.set_token_lifetimes(TokenLifetimes {
        session: minutes(60),
        announce: false,
        ..TokenLifetimes::default()
    });
    let (client, recorder) = session_client(&fake);
    log_in_old(&client);
    let session = client.session().unwrap();
    assert_eq!(
        session.long_lived_expires_at(),
        Some(fake.clock().now() + minutes(24 * 60))
    );
    // Without `expiresIn`, the auth token is assumed to live 5 min, as documented.
    assert_eq!(
        session.expires_at(),
        Some(fake.clock().now() + AUTH_TOKEN_LIFETIME)
    );

    fake.advance(minutes(61));
    let result = client.send(&GetTask::new(TASK));
    let Err(Error::LoginRequired(required)) = result else {
        panic!("expected a login to be required, got {result:?}");
    };
    assert_eq!(required.reason(), LoginRequiredReason::Refused);
    assert_eq!(
        required.refusal().unwrap().code(),
        Some(&ErrorCode::TokenExpired)
    );
    // One renewal was tried and refused; the request itself was never sent.
    assert_eq!(recorder.count("/be/v1/auth"), 2);
    assert_eq!(recorder.count(&format!("/be/v1/tasks/{TASK}")), 0);
    assert_eq!(
        login_required(client.send(&GetTask::new(TASK))),
        LoginRequiredReason::Refused
    );
    assert_eq!(recorder.count("/be/v1/auth"), 2);
}

#[test]
fn the_new_flow_renews_access_tokens_and_rotates_refresh_tokens() {
    let fake = FakeEdge::seeded();
    let (client, recorder) = session_client(&fake);
    log_in_new(&client);
    let first = client.session().unwrap();
    let first_access = backend_token(client.credentials());

    client.send(&GetTask::new(TASK)).unwrap();
    fake.advance(minutes(13));
    client.send(&GetTask::new(TASK)).unwrap();
    assert_eq!(recorder.count("/be/v1/refresh"), 0);

    // 14 min in, 60 s are left: less than 10 % of 15 min.
    fake.advance(minutes(1));
    client.send(&GetTask::new(TASK)).unwrap();
    assert_eq!(recorder.count("/be/v1/refresh"), 1);
    let second = client.session().unwrap();
    assert_ne!(backend_token(client.credentials()), first_access);
    assert_ne!(refresh_token(&second), refresh_token(&first));

    // The rotated refresh token is refused from now on.
    let reused = Client::new(fake.clone(), fake.base_url(), refresh_token(&first))
        .send(&Refresh::new())
        .unwrap_err();
    assert_eq!(api(&reused), (401, "invalid-token".into()));

    // The first access token expires on the fake at 15 min; the client has moved on.
    fake.advance(minutes(1));
    assert_eq!(
        plain_answer(&fake, Credentials::backend_token(&first_access).unwrap()),
        Err((401, "token-expired".into()))
    );
    client.send(&GetTask::new(TASK)).unwrap();

    // Each refresh moves the refresh token's expiry on: a session used every 14 min (each
    // time within the margin, so each time renewed) outlives the first refresh token's day.
    let steps = 110;
    assert!(minutes(14) * steps > minutes(24 * 60));
    for _ in 0..steps {
        fake.advance(minutes(14));
        client.send(&GetTask::new(TASK)).unwrap();
    }
    assert_eq!(recorder.count("/be/v1/refresh"), 1 + steps as usize);
}

#[test]
fn logging_out_ends_the_session_on_both_sides() {
    let fake = FakeEdge::seeded();
    let (client, recorder) = session_client(&fake);
    log_in_new(&client);
    let access = backend_token(client.credentials());
    let refresh = refresh_token(&client.session().unwrap());

    client.logout().unwrap();
    assert_eq!(recorder.count("/be/v1/logout"), 1);
    assert_eq!(
        plain_answer(&fake, Credentials::backend_token(&access).unwrap()),
        Err((401, "invalid-token".into()))
    );
    let refused = Client::new(fake.clone(), fake.base_url(), refresh)
        .send(&Refresh::new())
        .unwrap_err();
    assert_eq!(api(&refused), (401, "invalid-token".into()));

    let sent = recorder.total();
    assert_eq!(
        login_required(client.send(&GetTask::new(TASK))),
        LoginRequiredReason::LoggedOut
    );
    assert_eq!(
        login_required(client.refresh()),
        LoginRequiredReason::LoggedOut
    );
    client.logout().unwrap();
    assert_eq!(recorder.total(), sent);

    // The older flow has no logout to send; the tokens are forgotten all the same.
    log_in_old(&client);
    client.logout().unwrap();
    assert_eq!(recorder.count("/be/v1/logout"), 1);
    assert_eq!(
        login_required(client.send(&GetTask::new(TASK))),
        LoginRequiredReason::LoggedOut
    );
}

#[test]
fn an_early_token_expired_gets_one_renewal_and_one_retry() {
    let fake = FakeEdge::seeded();
    let (client, recorder) = session_client(&fake);
    log_in_new(&client);
    let access = backend_token(client.credentials());

    fake.expire_token(&access);
    let sent = recorder.total();
    assert_eq!(client.send(&GetTask::new(TASK)).unwrap().name, TASK);
    assert_eq!(recorder.total() - sent, 3);
    assert_eq!(recorder.count("/be/v1/refresh"), 1);
    assert_eq!(recorder.count(&format!("/be/v1/tasks/{TASK}")), 2);
    assert_ne!(backend_token(client.credentials()), access);

    // The same for the older flow.
    log_in_old(&client);
    fake.expire_token(&backend_token(client.credentials()));
    client.send(&GetTask::new(TASK)).unwrap();
    assert_eq!(recorder.count("/be/v1/auth"), 2);
}

#[test]
fn a_retry_that_fails_again_returns_the_error() {
    let fake = FakeEdge::seeded();
    let (client, recorder) = session_client(&fake);
    log_in_new(&client);
    recorder.expire_on_arrival.store(true, Ordering::SeqCst);

    let result = client.send(&GetTask::new(TASK));
    assert_eq!(api(&result.unwrap_err()), (401, "token-expired".into()));
    assert_eq!(recorder.count(&format!("/be/v1/tasks/{TASK}")), 2);
    assert_eq!(recorder.count("/be/v1/refresh"), 1);

    // The session is still good: the next request tries again, once.
    let result = client.send(&GetTask::new(TASK));
    assert!(result.is_err());
    assert_eq!(recorder.count(&format!("/be/v1/tasks/{TASK}")), 4);
    assert_eq!(recorder.count("/be/v1/refresh"), 2);
    recorder.expire_on_arrival.store(false, Ordering::SeqCst);
    client.send(&GetTask::new(TASK)).unwrap();
}

#[test]
fn an_unreachable_renewal_keeps_a_token_that_still_works() {
    let fake = FakeEdge::seeded();
    let (client, recorder) = session_client(&fake);
    log_in_new(&client);
    recorder.refresh_unreachable.store(true, Ordering::SeqCst);

    // Due for renewal, but not expired: the request goes through with the current token.
    fake.advance(minutes(14));
    client.send(&GetTask::new(TASK)).unwrap();
    assert_eq!(recorder.count("/be/v1/refresh"), 1);

    // Expired: the renewal's failure is the request's.
    fake.advance(minutes(1));
    let result = client.send(&GetTask::new(TASK));
    assert!(matches!(result, Err(Error::Transport(_))), "{result:?}");
    assert_eq!(recorder.count(&format!("/be/v1/tasks/{TASK}")), 1);

    recorder.refresh_unreachable.store(false, Ordering::SeqCst);
    client.send(&GetTask::new(TASK)).unwrap();
}

#[test]
fn eight_threads_renew_once_before_expiry() {
    let fake = FakeEdge::seeded();
    let (client, recorder) = session_client(&fake);
    log_in_new(&client);
    fake.advance(minutes(20));

    let barrier = Barrier::new(8);
    std::thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| {
                barrier.wait();
                assert_eq!(client.send(&GetTask::new(TASK)).unwrap().name, TASK);
            });
        }
    });
    assert_eq!(recorder.count("/be/v1/refresh"), 1);
    assert_eq!(recorder.count(&format!("/be/v1/tasks/{TASK}")), 8);
}

#[test]
fn eight_threads_told_token_expired_renew_once() {
    let fake = FakeEdge::seeded();
    // All eight requests reach the fake with the expired token before any answer returns.
    let (client, recorder) = gated_session_client(&fake, 8);
    log_in_new(&client);
    fake.expire_token(&backend_token(client.credentials()));

    let client = Arc::new(client);
    let barrier = Arc::new(Barrier::new(8));
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let (client, barrier) = (Arc::clone(&client), Arc::clone(&barrier));
            std::thread::spawn(move || {
                barrier.wait();
                client
                    .send(&ListTasks::new().limit(2))
                    .map(|page| page.items.len())
            })
        })
        .collect();
    for thread in threads {
        assert_eq!(thread.join().unwrap().unwrap(), 2);
    }
    assert_eq!(recorder.count("/be/v1/refresh"), 1);
    assert_eq!(recorder.count("/be/v1/tasks"), 16);
}

#[test]
fn without_a_login_nothing_is_sent_but_logins_and_walks_work() {
    let fake = FakeEdge::seeded();
    let (client, recorder) = session_client(&fake);
    assert!(client.session().is_none());
    assert!(client.credentials().is_none());
    assert_eq!(
        login_required(client.send(&GetTask::new(TASK))),
        LoginRequiredReason::NotLoggedIn
    );
    assert_eq!(
        login_required(client.refresh()),
        LoginRequiredReason::NotLoggedIn
    );
    assert_eq!(recorder.total(), 0);

    // Endpoints that take no credentials need no session.
    let selection = client
        .send(&LoginWithPassword::new(
            VALID_LOGIN_USERNAME,
            VALID_LOGIN_PASSWORD,
        ))
        .unwrap();
    assert_eq!(selection.org_names(), [VALID_ORG_NAME]);

    log_in_new(&client);
    fake.advance(minutes(30));
    let names: Vec<String> = client
        .all(ListTasks::new().limit(3))
        .map(|task| task.map(|t| t.name))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(names.len(), fake.tasks().len());
    assert_eq!(recorder.count("/be/v1/refresh"), 1);
}

#[test]
fn a_forced_refresh_and_a_kept_session() {
    let fake = FakeEdge::seeded();
    let (client, recorder) = session_client(&fake);
    log_in_new(&client);
    let before = backend_token(client.credentials());
    client.refresh().unwrap();
    assert_ne!(backend_token(client.credentials()), before);
    assert_eq!(recorder.count("/be/v1/refresh"), 1);

    // A session moves to another client and keeps working there.
    let kept = client.session().unwrap();
    let (other, _) = session_client(&fake);
    let other = other.with_session(kept);
    other.send(&GetTask::new(TASK)).unwrap();

    // API keys need no session: a plain client sends them as before.
    let by_key = Client::new(fake.clone(), fake.base_url(), fake.api_key_credentials());
    fake.advance(minutes(48 * 60));
    by_key.send(&GetTask::new(TASK)).unwrap();
}

//! The token lifecycle without I/O: expiry times and margins, renewal requests and answers,
//! the end of a session, and the one-retry decision.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use proptest::prelude::*;
use rockit_edge::login::{
    AuthToken, Session, TokenPair, ACCESS_TOKEN_LIFETIME, AUTH_TOKEN_LIFETIME,
    REFRESH_TOKEN_LIFETIME, SESSION_TOKEN_LIFETIME,
};
use rockit_edge::session::{
    is_token_expired, Flow, LoginRequiredReason, Next, RefreshMargin, TokenSession,
};
use rockit_edge::tasks::GetTask;
use rockit_edge::{BaseUrl, Credentials, Endpoint, Error, ErrorCode};
use serde_json::{json, Value};

fn t0() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_739_273_968)
}

fn at(seconds: u64) -> SystemTime {
    t0() + Duration::from_secs(seconds)
}

fn pair(access: &str, refresh: &str, more: Value) -> TokenPair {
    let mut body = json!({"accessToken": access, "refreshToken": refresh});
    body.as_object_mut()
        .unwrap()
        .extend(more.as_object().unwrap().clone());
    serde_json::from_value(body).unwrap()
}

fn session(token: &str, more: Value) -> Session {
    let mut body = json!({"sessionToken": token});
    body.as_object_mut()
        .unwrap()
        .extend(more.as_object().unwrap().clone());
    serde_json::from_value(body).unwrap()
}

fn auth(token: &str, more: Value) -> AuthToken {
    let mut body = json!({"authToken": token});
    body.as_object_mut()
        .unwrap()
        .extend(more.as_object().unwrap().clone());
    serde_json::from_value(body).unwrap()
}

/// The error a request gets for an answer of `status` with error code `code`.
fn answered(status: u16, code: &str) -> Error {
    let mut response = http::Response::new(
        serde_json::to_vec(&json!({"status": "error", "code": code, "message": "no"})).unwrap(),
    );
    *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
    GetTask::new("t").decode(&response).unwrap_err()
}

fn token_of(credentials: Option<&Credentials>) -> String {
    match credentials {
        Some(Credentials::BackendToken(token)) => token.expose().to_owned(),
        other => panic!("expected a backend token, got {other:?}"),
    }
}

fn long_lived_token(session: &TokenSession) -> String {
    match session.long_lived_credentials() {
        Credentials::RefreshToken(t) | Credentials::SessionToken(t) => t.expose().to_owned(),
        other => panic!("expected a long-lived token, got {other:?}"),
    }
}

#[test]
fn an_access_token_is_due_once_less_than_the_margin_is_left() {
    let tokens = TokenSession::from_token_pair(&pair("a1", "r1", json!({"expiresIn": 900})), t0());
    assert_eq!(tokens.flow(), Flow::New);
    assert_eq!(tokens.expires_at(), Some(at(900)));
    assert_eq!(token_of(tokens.credentials()), "a1");
    // 10 % of 15 min is 90 s, more than the 30 s minimum.
    assert!(!tokens.needs_refresh(t0()));
    assert!(!tokens.needs_refresh(at(810)));
    assert!(tokens.needs_refresh(at(811)));
    assert!(tokens.is_usable(at(899)));
    assert!(!tokens.is_usable(at(900)));
    assert!(tokens.needs_refresh(at(900)));
}

#[test]
fn an_auth_token_is_due_30_seconds_early() {
    let mut tokens = TokenSession::from_session(&session("s1", json!({})), t0());
    assert_eq!(tokens.flow(), Flow::Old);
    assert!(tokens.credentials().is_none());
    assert!(tokens.needs_refresh(t0()));
    assert!(!tokens.is_usable(t0()));

    tokens
        .apply_refresh(auth("a1", json!({"expiresIn": 300})), at(10))
        .unwrap();
    assert_eq!(token_of(tokens.credentials()), "a1");
    assert_eq!(tokens.expires_at(), Some(at(310)));
    assert!(!tokens.needs_refresh(at(280)));
    assert!(tokens.needs_refresh(at(281)));
}

#[test]
fn lifetimes_default_to_the_documented_ones() {
    let tokens = TokenSession::from_token_pair(&pair("a1", "r1", json!({})), t0());
    assert_eq!(tokens.expires_at(), Some(t0() + ACCESS_TOKEN_LIFETIME));
    assert_eq!(
        tokens.long_lived_expires_at(),
        Some(t0() + REFRESH_TOKEN_LIFETIME)
    );

    let mut old = TokenSession::from_session(&session("s1", json!({})), t0());
    assert_eq!(
        old.long_lived_expires_at(),
        Some(t0() + SESSION_TOKEN_LIFETIME)
    );
    old.apply_refresh(auth("a1", json!({})), t0()).unwrap();
    assert_eq!(old.expires_at(), Some(t0() + AUTH_TOKEN_LIFETIME));
}

#[test]
fn the_old_flow_renews_with_the_session_token() {
    let base = BaseUrl::parse("https://edge.example.com").unwrap();
    let mut tokens = TokenSession::from_session(&session("s1", json!({})), t0());
    for (n, now) in [at(0), at(290), at(580)].into_iter().enumerate() {
        let request = tokens.refresh_request(now).unwrap();
        let http = request.to_http(&base).unwrap();
        assert_eq!(http.method(), http::Method::POST);
        assert_eq!(http.uri().path(), "/be/v1/auth");
        assert_eq!(http.headers()["x-rockit-besession-token"], "s1");
        assert!(http.headers().get("x-rockit-beauth-token").is_none());

        let answer = format!("a{n}");
        tokens
            .apply_refresh(auth(&answer, json!({"expiresIn": 300})), now)
            .unwrap();
        assert_eq!(token_of(tokens.credentials()), answer);
        // The session token stays.
        assert_eq!(long_lived_token(&tokens), "s1");
        assert_eq!(tokens.long_lived_expires_at(), Some(at(86_400)));
    }
    assert_eq!(tokens.refreshes(), 3);
}

#[test]
fn the_new_flow_rotates_the_refresh_token() {
    let base = BaseUrl::parse("https://edge.example.com").unwrap();
    let mut tokens = TokenSession::from_token_pair(&pair("a1", "r1", json!({})), t0());
    let request = tokens.refresh_request(at(850)).unwrap();
    assert_eq!(
        request.credentials(),
        &Credentials::refresh_token("r1").unwrap()
    );
    let http = request.to_http(&base).unwrap();
    assert_eq!(http.uri().path(), "/be/v1/refresh");
    assert_eq!(http.headers()["x-rockit-refresh-token"], "r1");
    assert_eq!(http.body(), b"{}");

    let answer = pair(
        "a2",
        "r2",
        json!({"expiresIn": 600, "refreshExpiresIn": 3600}),
    );
    tokens.apply_refresh(answer, at(850)).unwrap();
    assert_eq!(token_of(tokens.credentials()), "a2");
    assert_eq!(long_lived_token(&tokens), "r2");
    assert_eq!(tokens.expires_at(), Some(at(1450)));
    assert_eq!(tokens.long_lived_expires_at(), Some(at(4450)));
    let next = tokens.refresh_request(at(1400)).unwrap();
    assert_eq!(
        next.credentials(),
        &Credentials::refresh_token("r2").unwrap()
    );
}

#[test]
fn the_renewal_answer_is_decoded_for_its_flow() {
    let tokens = TokenSession::from_token_pair(&pair("a1", "r1", json!({})), t0());
    let request = tokens.refresh_request(t0()).unwrap();
    let body = br#"{"status":"success","accessToken":"a2","refreshToken":"r2","expiresIn":60}"#;
    let answer = request.decode(&http::Response::new(body.to_vec())).unwrap();
    let mut tokens = tokens;
    tokens.apply_refresh(answer, at(5)).unwrap();
    assert_eq!(tokens.expires_at(), Some(at(65)));

    let old = TokenSession::from_session(&session("s1", json!({})), t0());
    let request = old.refresh_request(t0()).unwrap();
    let body = br#"{"status":"success","authToken":"a9"}"#;
    let answer = request.decode(&http::Response::new(body.to_vec())).unwrap();
    let mut old = old;
    old.apply_refresh(answer, t0()).unwrap();
    assert_eq!(token_of(old.credentials()), "a9");
}

#[test]
fn an_answer_of_the_other_flow_is_refused() {
    let mut new = TokenSession::from_token_pair(&pair("a1", "r1", json!({})), t0());
    let err = new.apply_refresh(auth("x", json!({})), t0()).unwrap_err();
    assert!(
        matches!(&err, Error::Input(e) if e.what() == "refresh answer"),
        "{err}"
    );
    assert_eq!(token_of(new.credentials()), "a1");
    assert_eq!(new.refreshes(), 0);

    let mut old = TokenSession::from_session(&session("s1", json!({})), t0());
    let err = old
        .apply_refresh(pair("a", "r", json!({})), t0())
        .unwrap_err();
    assert!(matches!(err, Error::Input(_)), "{err}");
    assert!(old.credentials().is_none());
}

#[test]
fn an_expired_long_lived_token_asks_for_a_new_login() {
    let mut tokens = TokenSession::from_session(&session("s1", json!({"expiresIn": 3600})), t0());
    tokens
        .apply_refresh(auth("a1", json!({"expiresIn": 300})), at(3500))
        .unwrap();
    assert!(tokens.login_required(at(3599)).is_none());
    assert!(tokens.refresh_request(at(3599)).is_ok());

    let required = tokens.refresh_request(at(3600)).unwrap_err();
    assert_eq!(required.reason(), LoginRequiredReason::Expired);
    assert_eq!(required.flow(), Some(Flow::Old));
    assert_eq!(tokens.login_required(at(3600)), Some(required.clone()));
    // The auth token handed out just before still works until its own expiry.
    assert!(tokens.is_usable(at(3700)));
    assert!(!tokens.is_usable(at(3800)));

    let err = Error::from(required);
    assert_eq!(
        err.to_string(),
        "log in again: the backend session token has expired"
    );
    assert_eq!(err.status(), None);

    let new = TokenSession::from_token_pair(&pair("a", "r", json!({"refreshExpiresIn": 60})), t0());
    let required = new.refresh_request(at(60)).unwrap_err();
    assert_eq!(
        required.to_string(),
        "log in again: the refresh token has expired"
    );
}

#[test]
fn a_refused_renewal_ends_the_session_and_keeps_the_answer() {
    let mut tokens = TokenSession::from_token_pair(&pair("a1", "r1", json!({})), t0());
    let err = tokens.refresh_failed(answered(401, "token-expired"));
    let Error::LoginRequired(required) = &err else {
        panic!("expected a login to be required, got {err:?}");
    };
    assert_eq!(required.reason(), LoginRequiredReason::Refused);
    assert_eq!(err.status(), Some(http::StatusCode::UNAUTHORIZED));
    assert_eq!(err.code(), Some(&ErrorCode::TokenExpired));
    assert!(std::error::Error::source(required).is_some());
    assert_eq!(
        err.to_string(),
        "log in again: the server refused the refresh token"
    );

    assert!(tokens.credentials().is_none());
    assert!(tokens.needs_refresh(t0()));
    let again = tokens.refresh_request(t0()).unwrap_err();
    assert_eq!(again.reason(), LoginRequiredReason::Refused);
    let late = tokens.apply_refresh(pair("a2", "r2", json!({})), t0());
    assert!(matches!(late, Err(Error::LoginRequired(_))));
}

#[test]
fn other_renewal_failures_leave_the_session_as_it_was() {
    let mut tokens = TokenSession::from_token_pair(&pair("a1", "r1", json!({})), t0());
    for error in [
        answered(500, "internal-error"),
        answered(403, "token-expired"),
        Error::Transport(rockit_edge::TransportError::new(
            rockit_edge::TransportErrorKind::Timeout,
            "timed out",
        )),
    ] {
        let kept = format!("{error}");
        let err = tokens.refresh_failed(error);
        assert_eq!(err.to_string(), kept);
        assert!(!matches!(err, Error::LoginRequired(_)));
        assert_eq!(token_of(tokens.credentials()), "a1");
        assert!(tokens.refresh_request(t0()).is_ok());
    }
}

#[test]
fn ending_a_session_drops_its_tokens() {
    let mut tokens = TokenSession::from_token_pair(&pair("a1", "r1", json!({})), t0());
    let (logout, credentials) = tokens.logout_request().unwrap();
    let base = BaseUrl::parse("https://edge.example.com").unwrap();
    let http = logout.to_request(&base, &credentials).unwrap();
    assert_eq!(http.uri().path(), "/be/v1/logout");
    assert_eq!(http.headers()["x-rockit-refresh-token"], "r1");

    tokens.end();
    assert!(tokens.credentials().is_none());
    assert!(tokens.logout_request().is_none());
    let required = tokens.login_required(t0()).unwrap();
    assert_eq!(required.reason(), LoginRequiredReason::LoggedOut);
    assert_eq!(
        required.to_string(),
        "log in again: the session was logged out"
    );

    let old = TokenSession::from_session(&session("s1", json!({})), t0());
    assert!(old.logout_request().is_none());
}

#[test]
fn token_expired_is_retried_once_after_one_renewal() {
    let mut tokens = TokenSession::from_token_pair(&pair("a1", "r1", json!({})), t0());
    let expired = answered(401, "token-expired");
    assert!(is_token_expired(&expired));

    let mut attempt = tokens.attempt();
    assert!(!attempt.is_retry());
    assert_eq!(
        tokens.on_error(&expired, &mut attempt),
        Next::RefreshAndRetry
    );
    assert!(attempt.is_retry());
    tokens
        .apply_refresh(pair("a2", "r2", json!({})), t0())
        .unwrap();
    // The retry failed the same way: no third try, however often asked.
    for _ in 0..3 {
        assert_eq!(tokens.on_error(&expired, &mut attempt), Next::GiveUp);
    }
}

#[test]
fn a_request_sent_before_someone_else_renewed_retries_without_renewing() {
    let mut tokens = TokenSession::from_token_pair(&pair("a1", "r1", json!({})), t0());
    let expired = answered(401, "token-expired");
    let mut first = tokens.attempt();
    let mut second = tokens.attempt();

    assert_eq!(tokens.on_error(&expired, &mut first), Next::RefreshAndRetry);
    tokens
        .apply_refresh(pair("a2", "r2", json!({})), t0())
        .unwrap();
    assert_eq!(tokens.on_error(&expired, &mut second), Next::Retry);
    assert_eq!(tokens.on_error(&expired, &mut second), Next::GiveUp);
}

#[test]
fn other_errors_are_not_retried() {
    let tokens = TokenSession::from_token_pair(&pair("a1", "r1", json!({})), t0());
    for error in [
        answered(401, "invalid-token"),
        answered(401, "missing-credentials"),
        answered(403, "token-expired"),
        answered(500, "token-expired"),
        answered(400, "missing-param"),
        Error::Transport(rockit_edge::TransportError::new(
            rockit_edge::TransportErrorKind::Connect,
            "refused",
        )),
    ] {
        assert!(!is_token_expired(&error), "{error}");
        let mut attempt = tokens.attempt();
        assert_eq!(
            tokens.on_error(&error, &mut attempt),
            Next::GiveUp,
            "{error}"
        );
        assert!(!attempt.is_retry());
    }
}

#[test]
fn a_zero_lifetime_is_expired_at_once() {
    let tokens = TokenSession::from_token_pair(
        &pair("a1", "r1", json!({"expiresIn": 0, "refreshExpiresIn": 0})),
        t0(),
    );
    assert_eq!(tokens.expires_at(), Some(t0()));
    assert!(tokens.needs_refresh(t0()));
    assert!(!tokens.is_usable(t0()));
    // The credentials are still handed out: the server has the last word.
    assert_eq!(token_of(tokens.credentials()), "a1");
    assert_eq!(
        tokens.login_required(t0()).map(|r| r.reason()),
        Some(LoginRequiredReason::Expired)
    );
}

#[test]
fn a_huge_lifetime_never_expires_and_never_overflows() {
    let huge = json!({"expiresIn": u64::MAX, "refreshExpiresIn": u64::MAX});
    let tokens = TokenSession::from_token_pair(&pair("a1", "r1", huge), t0());
    assert_eq!(tokens.expires_at(), None);
    assert_eq!(tokens.long_lived_expires_at(), None);
    let far = t0() + Duration::from_secs(100 * 365 * 24 * 60 * 60);
    assert!(!tokens.needs_refresh(far));
    assert!(tokens.is_usable(far));
    assert!(tokens.login_required(far).is_none());

    // Large but representable: the margin is a share of it, computed without overflow.
    let year = 365 * 24 * 60 * 60;
    let tokens = TokenSession::from_token_pair(&pair("a1", "r1", json!({"expiresIn": year})), t0());
    assert!(!tokens.needs_refresh(at(year - year / 10 - 1)));
    assert!(tokens.needs_refresh(at(year - year / 10 + 1)));
}

#[test]
fn a_clock_that_goes_backwards_keeps_the_tokens() {
    let mut tokens = TokenSession::from_token_pair(&pair("a1", "r1", json!({})), at(1000));
    for earlier in [at(999), t0(), UNIX_EPOCH] {
        assert!(!tokens.needs_refresh(earlier));
        assert!(tokens.is_usable(earlier));
        assert!(tokens.login_required(earlier).is_none());
    }
    // An answer applied with an earlier time than the last one is taken as it comes.
    tokens
        .apply_refresh(pair("a2", "r2", json!({"expiresIn": 60})), at(500))
        .unwrap();
    assert_eq!(tokens.expires_at(), Some(at(560)));
    assert!(tokens.needs_refresh(at(1000)));
}

#[test]
fn margins_are_configurable_and_bounded() {
    let five_minutes = Duration::from_secs(300);
    let default = RefreshMargin::default();
    assert_eq!(default.minimum, Duration::from_secs(30));
    assert_eq!(default.percent, 10);
    assert_eq!(
        RefreshMargin::none().for_lifetime(five_minutes),
        Duration::ZERO
    );
    assert_eq!(default.for_lifetime(Duration::ZERO), Duration::ZERO);
    assert_eq!(
        default.for_lifetime(Duration::from_secs(10)),
        Duration::from_secs(5)
    );
    let greedy = RefreshMargin {
        minimum: Duration::MAX,
        percent: u32::MAX,
    };
    assert_eq!(greedy.for_lifetime(Duration::MAX), Duration::MAX / 2);
    assert_eq!(greedy.for_lifetime(five_minutes), five_minutes / 2);
    let quarter = RefreshMargin {
        minimum: Duration::ZERO,
        percent: 25,
    };
    assert_eq!(
        quarter.for_lifetime(Duration::from_secs(400)),
        Duration::from_secs(100)
    );

    let tokens = TokenSession::from_token_pair(&pair("a1", "r1", json!({})), t0())
        .with_margin(RefreshMargin::none());
    assert_eq!(tokens.margin(), RefreshMargin::none());
    assert!(!tokens.needs_refresh(at(899)));
    assert!(tokens.needs_refresh(at(900)));
}

#[test]
fn debug_output_shows_no_token() {
    let mut tokens =
        TokenSession::from_token_pair(&pair("acc3ss-t0k", "refr3sh-t0k", json!({})), t0());
    let text = format!("{tokens:?} {:?}", tokens.refresh_request(t0()).unwrap());
    assert!(!text.contains("t0k"), "{text}");
    let _ = tokens.refresh_failed(answered(401, "invalid-token"));
    assert!(!format!("{tokens:?}").contains("t0k"));
}

proptest! {
    /// Renewal is due at least from expiry on, and once due stays due as time goes on.
    #[test]
    fn being_due_is_monotonic_and_covers_expiry(
        lifetime in 0u64..200_000,
        minimum in 0u64..1_000,
        percent in 0u32..150,
        a in 0u64..400_000,
        b in 0u64..400_000,
    ) {
        let tokens = TokenSession::from_token_pair(
            &pair("a", "r", json!({"expiresIn": lifetime})),
            t0(),
        )
        .with_margin(RefreshMargin { minimum: Duration::from_secs(minimum), percent });
        let (early, late) = (a.min(b), a.max(b));
        if tokens.needs_refresh(at(early)) {
            prop_assert!(tokens.needs_refresh(at(late)));
        }
        if late >= lifetime {
            prop_assert!(tokens.needs_refresh(at(late)));
            prop_assert!(!tokens.is_usable(at(late)));
        }
        // At least half the lifetime is usable without renewal.
        if early.saturating_mul(2) < lifetime {
            prop_assert!(!tokens.needs_refresh(at(early)));
        }
    }
}

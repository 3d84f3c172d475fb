//! Logging in to the fake, both flows, and using what it hands out.

mod common;

use rockit_edge::fake::{FakeEdge, VALID_LOGIN_PASSWORD, VALID_LOGIN_USERNAME, VALID_ORG_NAME};
use rockit_edge::login::{
    Authenticate, Login, LoginToOrg, LoginWithPassword, Logout, Refresh, TokenPair,
    ACCESS_TOKEN_LIFETIME, REFRESH_TOKEN_LIFETIME,
};
use rockit_edge::raw::RawRequest;
use rockit_edge::roles::Permissions as Bits;
use rockit_edge::tasks::ListTasks;
use rockit_edge::{Auth, Client, Credentials};
use serde_json::json;

use common::api_error;

fn client(fake: &FakeEdge, credentials: Credentials) -> Client<FakeEdge> {
    Client::new(fake.clone(), fake.base_url(), credentials)
}

/// A client without usable credentials: login endpoints send none.
fn anonymous(fake: &FakeEdge) -> Client<FakeEdge> {
    client(fake, Credentials::backend_token("nobody").unwrap())
}

fn new_flow(fake: &FakeEdge) -> TokenPair {
    let selection = anonymous(fake)
        .send(&LoginWithPassword::new(
            VALID_LOGIN_USERNAME,
            VALID_LOGIN_PASSWORD,
        ))
        .unwrap();
    client(fake, selection.credentials())
        .send(&LoginToOrg::new(VALID_ORG_NAME))
        .unwrap()
}

#[test]
fn the_older_flow_gives_an_auth_token_the_backend_accepts() {
    let fake = FakeEdge::seeded();
    let session = anonymous(&fake)
        .send(&Login::new(
            VALID_ORG_NAME,
            VALID_LOGIN_USERNAME,
            VALID_LOGIN_PASSWORD,
        ))
        .unwrap();
    let permissions = session.permissions.get().unwrap();
    assert!(permissions.allows("tasks", Bits::EXECUTE | Bits::READ));
    assert_eq!(permissions.bits("consumption"), Bits::READ);

    // The session token is no backend token.
    let by_session = client(&fake, session.credentials());
    let tasks = RawRequest::new(http::Method::GET, "/be/v1/tasks").auth(Auth::Session);
    assert_eq!(api_error(by_session.send(&tasks)).0, 401);

    let auth = by_session.send(&Authenticate::new()).unwrap();
    let page = client(&fake, auth.credentials())
        .send(&ListTasks::new())
        .unwrap();
    assert_eq!(page.items.len(), fake.tasks().len());
}

#[test]
fn the_newer_flow_selects_an_org_and_gives_working_tokens() {
    let fake = FakeEdge::seeded();
    fake.add_login("OtherOrg", VALID_LOGIN_USERNAME, VALID_LOGIN_PASSWORD);
    let selection = anonymous(&fake)
        .send(&LoginWithPassword::new(
            VALID_LOGIN_USERNAME,
            VALID_LOGIN_PASSWORD,
        ))
        .unwrap();
    assert_eq!(selection.org_names(), [VALID_ORG_NAME, "OtherOrg"]);

    let tokens = client(&fake, selection.credentials())
        .send(&LoginToOrg::new("OtherOrg"))
        .unwrap();
    assert_eq!(tokens.lifetime(), ACCESS_TOKEN_LIFETIME);
    assert_eq!(tokens.refresh_lifetime(), REFRESH_TOKEN_LIFETIME);
    let page = client(&fake, tokens.credentials())
        .send(&ListTasks::new().limit(2))
        .unwrap();
    assert_eq!(page.items.len(), 2);
}

#[test]
fn refresh_rotates_the_refresh_token() {
    let fake = FakeEdge::seeded();
    let first = new_flow(&fake);
    let second = client(&fake, first.refresh_credentials())
        .send(&Refresh::new())
        .unwrap();
    assert_ne!(first.refresh_token, second.refresh_token);
    assert_ne!(first.access_token, second.access_token);

    let reused = client(&fake, first.refresh_credentials()).send(&Refresh::new());
    assert_eq!(api_error(reused), (401, "invalid-token".into()));
    // Access tokens handed out before stay valid until they expire.
    for tokens in [&first, &second] {
        assert!(client(&fake, tokens.credentials())
            .send(&ListTasks::new())
            .is_ok());
    }
}

#[test]
fn logout_ends_the_session_and_its_access_tokens() {
    let fake = FakeEdge::seeded();
    let first = new_flow(&fake);
    let second = client(&fake, first.refresh_credentials())
        .send(&Refresh::new())
        .unwrap();
    let other = new_flow(&fake);

    let answer = client(&fake, second.refresh_credentials())
        .send(&Logout::new())
        .unwrap();
    assert!(answer.is_empty());

    for tokens in [&first, &second] {
        let result = client(&fake, tokens.credentials()).send(&ListTasks::new());
        assert_eq!(api_error(result), (401, "invalid-token".into()));
    }
    let again = client(&fake, second.refresh_credentials()).send(&Logout::new());
    assert_eq!(api_error(again), (401, "invalid-token".into()));
    // Another session is not touched.
    assert!(client(&fake, other.credentials())
        .send(&ListTasks::new())
        .is_ok());
}

#[test]
fn wrong_passwords_users_and_orgs_are_refused() {
    let fake = FakeEdge::new();
    let anonymous = anonymous(&fake);
    let refused = (401, "invalid-credentials".to_owned());
    let cases = [
        anonymous.send(&Login::new(VALID_ORG_NAME, VALID_LOGIN_USERNAME, "wrong")),
        anonymous.send(&Login::new(VALID_ORG_NAME, "mallory", VALID_LOGIN_PASSWORD)),
        anonymous.send(&Login::new(
            "OtherOrg",
            VALID_LOGIN_USERNAME,
            VALID_LOGIN_PASSWORD,
        )),
    ];
    for result in cases {
        assert_eq!(api_error(result), refused);
    }
    let wrong = anonymous.send(&LoginWithPassword::new(VALID_LOGIN_USERNAME, "wrong"));
    assert_eq!(api_error(wrong), refused);

    let selection = anonymous
        .send(&LoginWithPassword::new(
            VALID_LOGIN_USERNAME,
            VALID_LOGIN_PASSWORD,
        ))
        .unwrap();
    let elsewhere = client(&fake, selection.credentials()).send(&LoginToOrg::new("OtherOrg"));
    assert_eq!(api_error(elsewhere), refused);
}

#[test]
fn tokens_the_fake_did_not_hand_out_are_refused() {
    let fake = FakeEdge::new();
    let cases = [
        client(&fake, Credentials::session_token("made-up").unwrap())
            .send(&Authenticate::new())
            .map(drop),
        client(&fake, Credentials::org_selection_token("made-up").unwrap())
            .send(&LoginToOrg::new(VALID_ORG_NAME))
            .map(drop),
        client(&fake, Credentials::refresh_token("made-up").unwrap())
            .send(&Refresh::new())
            .map(drop),
    ];
    for result in cases {
        assert_eq!(api_error(result), (401, "invalid-token".into()));
    }
}

#[test]
fn missing_members_and_headers_are_named() {
    let fake = FakeEdge::new();
    let anonymous = anonymous(&fake);
    let login = |body| {
        RawRequest::new(http::Method::POST, "/be/v1/login")
            .auth(Auth::None)
            .body(body)
    };
    let no_password = anonymous.send(&login(json!({"username": VALID_LOGIN_USERNAME})));
    assert_eq!(api_error(no_password), (400, "missing-param".into()));
    let no_user = anonymous.send(&login(json!({"password": "x"})));
    assert_eq!(api_error(no_user), (400, "missing-param".into()));
    let bad_user = anonymous.send(&login(json!({"username": "a-b", "password": "x"})));
    assert_eq!(api_error(bad_user), (400, "invalid-param".into()));
    let not_json = anonymous.send(&login(json!(["username"])));
    assert_eq!(api_error(not_json), (400, "invalid-body".into()));

    let no_session =
        anonymous.send(&RawRequest::new(http::Method::POST, "/be/v1/auth").auth(Auth::None));
    assert_eq!(api_error(no_session), (401, "missing-credentials".into()));
    let wrong_method = anonymous.send(&RawRequest::new(http::Method::GET, "/be/v1/refresh"));
    assert_eq!(api_error(wrong_method), (405, "method-not-allowed".into()));
}

#[test]
fn expired_access_tokens_say_so() {
    let fake = FakeEdge::seeded();
    let tokens = new_flow(&fake);
    fake.expire_token(tokens.access_token.expose());
    let result = client(&fake, tokens.credentials()).send(&ListTasks::new());
    assert_eq!(api_error(result), (401, "token-expired".into()));
}

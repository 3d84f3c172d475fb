//! Logging in: requests of both flows, their answers, and tokens turned into credentials.

mod common;

use std::time::Duration;

use http::{Method, Request, Response, StatusCode};
use proptest::prelude::*;
use rockit_edge::auth::{ADMIN_TOKEN, API_KEY, BEAUTH_TOKEN, BESESSION_TOKEN};
use rockit_edge::auth::{ORG_SELECTION_TOKEN, REFRESH_TOKEN};
use rockit_edge::login::{
    AuthToken, Authenticate, LinkedOrg, Login, LoginToOrg, LoginWithPassword, Logout, OrgSelection,
    Password, Permissions, Refresh, Session, TokenPair, ACCESS_TOKEN_LIFETIME, AUTH_TOKEN_LIFETIME,
    ORG_SELECTION_TOKEN_LIFETIME, REFRESH_TOKEN_LIFETIME, SESSION_TOKEN_LIFETIME,
};
use rockit_edge::roles::{Permissions as Bits, Resource};
use rockit_edge::{Credentials, Endpoint, Error, ErrorCode, Extra, Secret};
use serde_json::{json, Value};

use common::strategies::{field, json_leaf, untyped_extra};
use common::{
    base, fixture, fixture_answer as answer, input_error, raw_body_json as body_json, round_trip,
    survives,
};

const CREDENTIAL_HEADERS: [&str; 7] = [
    "x-rockit-beauth-token",
    "x-rockit-api-key",
    "x-rockit-orgname",
    "x-rockit-username",
    "x-rockit-admin-token",
    "x-rockit-besession-token",
    "x-rockit-orgsel-token",
];

fn api_key() -> Credentials {
    Credentials::api_key("ExampleOrg", "robot", "k3y").unwrap()
}

/// The credential headers present, by name.
fn credential_headers(request: &Request<Vec<u8>>) -> Vec<&'static str> {
    let mut present: Vec<&'static str> = CREDENTIAL_HEADERS
        .iter()
        .copied()
        .filter(|h| request.headers().contains_key(*h))
        .collect();
    if request.headers().contains_key(REFRESH_TOKEN) {
        present.push("x-rockit-refresh-token");
    }
    present
}

fn assert_json_post(request: &Request<Vec<u8>>, uri: &str) {
    assert_eq!(request.method(), Method::POST);
    assert_eq!(request.uri(), uri);
    assert_eq!(request.headers()["content-type"], "application/json");
    assert_eq!(request.headers()["accept"], "application/json");
}

#[test]
fn login_sends_user_password_and_org_without_credentials() {
    // Whatever the client holds, login sends none of it: API keys are not accepted there.
    for creds in [api_key(), Credentials::backend_token("t0k").unwrap()] {
        let request = Login::new("ExampleOrg", "alice", "s3cret pass")
            .to_request(&base(), &creds)
            .unwrap();
        assert_json_post(&request, "https://edge.example.com/be/v1/login");
        assert!(credential_headers(&request).is_empty());
        assert_eq!(
            body_json(&request),
            json!({"username": "alice", "password": "s3cret pass", "orgName": "ExampleOrg"})
        );
    }
}

#[test]
fn password_login_sends_no_org() {
    let request = LoginWithPassword::new("alice", "p\u{e4}ss word")
        .to_request(&base(), &api_key())
        .unwrap();
    assert_json_post(&request, "https://edge.example.com/be/v1/login");
    assert!(credential_headers(&request).is_empty());
    assert_eq!(
        body_json(&request),
        json!({"username": "alice", "password": "p\u{e4}ss word"})
    );
}

#[test]
fn authenticate_sends_the_session_token_and_an_empty_object() {
    let creds = Credentials::session_token("s3ss").unwrap();
    let request = Authenticate::new().to_request(&base(), &creds).unwrap();
    assert_json_post(&request, "https://edge.example.com/be/v1/auth");
    assert_eq!(credential_headers(&request), ["x-rockit-besession-token"]);
    assert_eq!(request.headers()[BESESSION_TOKEN], "s3ss");
    assert!(request.headers()[BESESSION_TOKEN].is_sensitive());
    assert_eq!(body_json(&request), json!({}));
}

#[test]
fn org_step_sends_the_selection_token_and_the_org() {
    let creds = Credentials::org_selection_token("s3l").unwrap();
    let request = LoginToOrg::new("ExampleOrg")
        .to_request(&base(), &creds)
        .unwrap();
    assert_json_post(&request, "https://edge.example.com/be/v1/login");
    assert_eq!(credential_headers(&request), ["x-rockit-orgsel-token"]);
    assert_eq!(request.headers()[ORG_SELECTION_TOKEN], "s3l");
    assert!(request.headers()[ORG_SELECTION_TOKEN].is_sensitive());
    assert_eq!(body_json(&request), json!({"orgName": "ExampleOrg"}));
}

#[test]
fn refresh_and_logout_send_the_refresh_token_and_an_empty_object() {
    let creds = Credentials::refresh_token("r3fr").unwrap();
    let refresh = Refresh::new().to_request(&base(), &creds).unwrap();
    let logout = Logout::new().to_request(&base(), &creds).unwrap();
    for (request, uri) in [
        (&refresh, "https://edge.example.com/be/v1/refresh"),
        (&logout, "https://edge.example.com/be/v1/logout"),
    ] {
        assert_json_post(request, uri);
        assert_eq!(credential_headers(request), ["x-rockit-refresh-token"]);
        assert_eq!(request.headers()[REFRESH_TOKEN], "r3fr");
        assert!(request.headers()[REFRESH_TOKEN].is_sensitive());
    }
    // The reference's example body of Refresh.
    let documented: Value = serde_json::from_slice(b"{}").unwrap();
    assert_eq!(body_json(&refresh), documented);
    assert_eq!(body_json(&logout), documented);
}

#[test]
fn token_endpoints_refuse_other_credentials() {
    let token = Credentials::backend_token("t0k").unwrap();
    type Built = Result<Request<Vec<u8>>, Error>;
    let cases: Vec<(Built, &str)> = vec![
        (
            Authenticate::new().to_request(&base(), &token),
            "a backend session token",
        ),
        (
            LoginToOrg::new("ExampleOrg").to_request(&base(), &token),
            "an organisation selection token",
        ),
        (
            Refresh::new().to_request(&base(), &api_key()),
            "a refresh token",
        ),
        (Logout::new().to_request(&base(), &token), "a refresh token"),
    ];
    for (result, wanted) in cases {
        match result {
            Err(Error::Input(e)) => {
                assert_eq!(e.what(), "credentials");
                assert!(e.problem().contains(wanted), "{e}");
            }
            other => panic!("expected an input error, got {other:?}"),
        }
    }
}

#[test]
fn names_and_passwords_are_checked_before_sending() {
    let creds = api_key();
    let e = input_error(Login::new("Example-Org", "alice", "pw").to_request(&base(), &creds));
    assert_eq!(e.what(), "organisation name");
    let e = input_error(Login::new("ExampleOrg", "a", "pw").to_request(&base(), &creds));
    assert_eq!(e.what(), "user name");
    let e = input_error(LoginWithPassword::new("al/ice", "pw").to_request(&base(), &creds));
    assert_eq!(e.what(), "user name");
    let e = input_error(LoginWithPassword::new("alice", "").to_request(&base(), &creds));
    assert_eq!(e.what(), "password");
    let selection = Credentials::org_selection_token("s3l").unwrap();
    let e = input_error(LoginToOrg::new("../x").to_request(&base(), &selection));
    assert_eq!(e.what(), "organisation name");
}

#[test]
fn passwords_and_tokens_stay_out_of_debug_output() {
    let login = Login::new("ExampleOrg", "alice", "hunter2hunter2");
    assert!(!format!("{login:?}").contains("hunter2"));
    let session = Login::new("ExampleOrg", "alice", "pw")
        .decode(&answer(200, "login_login_200.json"))
        .unwrap();
    let debug = format!("{session:?}");
    assert!(!debug.contains("eyJ"), "{debug}");
    let tokens = LoginToOrg::new("ExampleOrg")
        .decode(&answer(200, "login_org_200.json"))
        .unwrap();
    assert!(!format!("{tokens:?}").contains("eyJ"));
}

#[test]
fn session_decodes_with_permissions_and_becomes_session_credentials() {
    let session = Login::new("ExampleOrg", "alice", "pw")
        .decode(&answer(200, "login_login_200.json"))
        .unwrap();
    assert_eq!(
        session.session_token.expose(),
        "eyJhbGciOiJIUzI1NiJ9.c2Vzc2lvbg.c2lnbmF0dXJl"
    );
    let permissions = session.permissions.get().unwrap();
    assert!(permissions.allows("tasks", Bits::EXECUTE | Bits::READ));
    assert!(!permissions.allows("roles", Bits::READ));
    assert_eq!(session.lifetime(), Duration::from_secs(86400));
    assert_eq!(session.extra["username"], "alice");

    let creds = session.credentials();
    let request = Authenticate::new().to_request(&base(), &creds).unwrap();
    assert_eq!(
        request.headers()[BESESSION_TOKEN],
        session.session_token.expose()
    );
}

#[test]
fn auth_token_decodes_and_becomes_backend_credentials() {
    let token = Authenticate::new()
        .decode(&answer(200, "login_auth_200.json"))
        .unwrap();
    assert_eq!(token.lifetime(), AUTH_TOKEN_LIFETIME);
    let creds = Credentials::from(&token);
    let request = rockit_edge::tasks::ListTasks::new()
        .to_request(&base(), &creds)
        .unwrap();
    assert_eq!(
        request.headers()[BEAUTH_TOKEN],
        "eyJhbGciOiJIUzI1NiJ9.YXV0aA.c2lnbmF0dXJl"
    );
    assert!(!request.headers().contains_key(API_KEY));
}

#[test]
fn org_selection_lists_orgs_in_either_form() {
    let selection = LoginWithPassword::new("alice", "pw")
        .decode(&answer(200, "login_password_200.json"))
        .unwrap();
    assert_eq!(selection.org_names(), ["ExampleOrg", "OtherOrg"]);
    assert_eq!(selection.lifetime(), ORG_SELECTION_TOKEN_LIFETIME);
    let creds = selection.credentials();
    let request = LoginToOrg::new("OtherOrg")
        .to_request(&base(), &creds)
        .unwrap();
    assert_eq!(
        request.headers()[ORG_SELECTION_TOKEN],
        "eyJhbGciOiJIUzI1NiJ9.b3Jnc2Vs.c2lnbmF0dXJl"
    );
}

#[test]
fn token_pair_gives_access_and_refresh_credentials() {
    let tokens = LoginToOrg::new("ExampleOrg")
        .decode(&answer(200, "login_org_200.json"))
        .unwrap();
    assert_eq!(tokens.lifetime(), Duration::from_secs(900));
    assert_eq!(tokens.refresh_lifetime(), Duration::from_secs(86400));

    let access = tokens.credentials();
    let request = rockit_edge::tasks::ListTasks::new()
        .to_request(&base(), &access)
        .unwrap();
    assert_eq!(
        request.headers()[BEAUTH_TOKEN],
        tokens.access_token.expose()
    );

    let refresh = tokens.refresh_credentials();
    let request = Refresh::new().to_request(&base(), &refresh).unwrap();
    assert_eq!(
        request.headers()[REFRESH_TOKEN],
        tokens.refresh_token.expose()
    );
    assert!(!request.headers().contains_key(ADMIN_TOKEN));
}

#[test]
fn refresh_answer_without_lifetimes_falls_back_to_the_documented_ones() {
    let tokens = Refresh::new()
        .decode(&answer(200, "login_refresh_200.json"))
        .unwrap();
    assert!(tokens.expires_in.is_absent());
    assert_eq!(tokens.lifetime(), ACCESS_TOKEN_LIFETIME);
    assert_eq!(tokens.refresh_lifetime(), REFRESH_TOKEN_LIFETIME);
    assert_eq!(SESSION_TOKEN_LIFETIME, Duration::from_secs(24 * 3600));
    assert_eq!(AUTH_TOKEN_LIFETIME, Duration::from_secs(300));
    assert_eq!(ACCESS_TOKEN_LIFETIME, ORG_SELECTION_TOKEN_LIFETIME);
}

#[test]
fn logout_returns_the_answer_members() {
    let members = Logout::new()
        .decode(&answer(200, "login_logout_200.json"))
        .unwrap();
    assert!(members.is_empty());
}

#[test]
fn error_answers_keep_status_and_code() {
    let err = Login::new("ExampleOrg", "alice", "pw")
        .decode(&answer(401, "login_login_401.json"))
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(
        err.code().map(ErrorCode::as_str),
        Some("invalid-credentials")
    );

    let err = Refresh::new()
        .decode(&answer(401, "login_refresh_401.json"))
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::TokenExpired));
}

#[test]
fn a_token_that_cannot_travel_in_a_header_is_a_decode_error_that_hides_it() {
    let body = br#"{"status":"success","authToken":"abc\ndef-s3cr3t"}"#;
    let err = Authenticate::new()
        .decode(&Response::new(body.to_vec()))
        .unwrap_err();
    match &err {
        Error::Decode(e) => {
            assert_eq!(e.path(), "authToken");
            assert!(!e.message().contains("s3cr3t"), "{}", e.message());
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert!(!err.to_string().contains("s3cr3t"));

    let missing = br#"{"status":"success","refreshToken":"r"}"#;
    let err = Refresh::new()
        .decode(&Response::new(missing.to_vec()))
        .unwrap_err();
    assert!(err.to_string().contains("accessToken"), "{err}");
}

fn token() -> impl Strategy<Value = Secret> {
    "[A-Za-z0-9._-]{1,40}".prop_map(|t| Secret::new(t).unwrap())
}

/// Members no model here types: their names start with `x_`.
fn extra() -> impl Strategy<Value = Extra> {
    untyped_extra(json_leaf())
}

fn permissions() -> impl Strategy<Value = Permissions> {
    prop::collection::btree_map("[a-zA-Z]{1,12}", 0u64..32, 0..5).prop_map(|map| {
        Permissions(
            map.into_iter()
                .map(|(resource, bits)| (Resource::from(resource), Bits::from_bits(bits)))
                .collect(),
        )
    })
}

fn linked_org() -> impl Strategy<Value = LinkedOrg> {
    prop_oneof![
        "[A-Za-z0-9_]{2,20}".prop_map(LinkedOrg::Name),
        ("[A-Za-z0-9_]{2,20}", extra()).prop_map(|(name, mut map)| {
            map.insert("orgName".into(), Value::from(name));
            LinkedOrg::Details(map.into_map())
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn session_round_trips(
        session_token in token(),
        permissions in field(permissions()),
        expires_in in field(any::<u64>()),
        extra in extra(),
    ) {
        let model = Session { session_token, permissions, expires_in, extra };
        prop_assert_eq!(round_trip(&model), model.clone());
        survives::<Session>(serde_json::to_value(&model).unwrap());
    }

    #[test]
    fn auth_token_round_trips(
        auth_token in token(),
        expires_in in field(any::<u64>()),
        extra in extra(),
    ) {
        let model = AuthToken { auth_token, expires_in, extra };
        prop_assert_eq!(round_trip(&model), model.clone());
        survives::<AuthToken>(serde_json::to_value(&model).unwrap());
    }

    #[test]
    fn org_selection_round_trips(
        orgs in field(prop::collection::vec(linked_org(), 0..4)),
        org_selection_token in token(),
        expires_in in field(any::<u64>()),
        extra in extra(),
    ) {
        let model = OrgSelection { orgs, org_selection_token, expires_in, extra };
        prop_assert_eq!(round_trip(&model), model.clone());
        survives::<OrgSelection>(serde_json::to_value(&model).unwrap());
    }

    #[test]
    fn token_pair_round_trips(
        access_token in token(),
        refresh_token in token(),
        expires_in in field(any::<u64>()),
        refresh_expires_in in field(any::<u64>()),
        extra in extra(),
    ) {
        let model = TokenPair { access_token, refresh_token, expires_in, refresh_expires_in, extra };
        prop_assert_eq!(round_trip(&model), model.clone());
        survives::<TokenPair>(serde_json::to_value(&model).unwrap());
    }

    #[test]
    fn passwords_round_trip_whatever_they_hold(text in "\\PC{0,30}") {
        let password = Password::new(text.clone());
        let decoded = round_trip(&password);
        prop_assert_eq!(decoded.expose(), text.as_str());
    }
}

/// A fixture's body without its `status`.
fn members(name: &str) -> Value {
    let mut json: Value = serde_json::from_slice(&fixture(name)).unwrap();
    json.as_object_mut().unwrap().remove("status");
    json
}

#[test]
fn fixtures_survive_decode_and_encode() {
    survives::<Session>(members("login_login_200.json"));
    survives::<AuthToken>(members("login_auth_200.json"));
    survives::<OrgSelection>(members("login_password_200.json"));
    survives::<TokenPair>(members("login_org_200.json"));
    survives::<TokenPair>(members("login_refresh_200.json"));
}

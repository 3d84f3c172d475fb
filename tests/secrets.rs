//! Secrets never show in formatted values or errors, and travel only in their own, sensitive,
//! headers.

use std::cell::RefCell;

use http::header::HeaderName;
use http::{Method, Request, Response};
use rockit_edge::auth::{
    ADMIN_TOKEN, API_KEY, BEAUTH_TOKEN, BESESSION_TOKEN, ORG_SELECTION_TOKEN, REFRESH_TOKEN,
};
use rockit_edge::raw::RawRequest;
use rockit_edge::tasks::{AcknowledgeTask, GetTask, ListTasks};
use rockit_edge::{
    ApiKey, Auth, BaseUrl, Client, Credentials, Endpoint, Error, Secret, TransportError,
    TransportErrorKind,
};
use serde_json::json;

/// Each secret has a core that appears nowhere else in this file's requests, so finding the
/// core anywhere is a leak even if the secret was cut or re-encoded.
const BACKEND_TOKEN: &str = "bt-Q7fXz3a9c-backend";
const API_KEY_VALUE: &str = "ak-W55d1e0Kp-apikey";
const SESSION_TOKEN: &str = "st-Rc0ffeeJm-session";
const ADMIN_TOKEN_VALUE: &str = "at-Nbadd1eVv-admin";
const ORG_SELECTION_TOKEN_VALUE: &str = "ot-Yq1dd3Xw-orgsel";
const REFRESH_TOKEN_VALUE: &str = "rt-Hm9zzT2r-refresh";
const CORES: [&str; 6] = [
    "Q7fXz3a9c",
    "W55d1e0Kp",
    "Rc0ffeeJm",
    "Nbadd1eVv",
    "Yq1dd3Xw",
    "Hm9zzT2r",
];

fn all_credentials() -> Vec<(Credentials, &'static str, Vec<HeaderName>, Auth)> {
    vec![
        (
            Credentials::backend_token(BACKEND_TOKEN).unwrap(),
            BACKEND_TOKEN,
            vec![BEAUTH_TOKEN],
            Auth::Backend,
        ),
        (
            Credentials::api_key("ExampleOrg", "adminPrincipal", API_KEY_VALUE).unwrap(),
            API_KEY_VALUE,
            vec![API_KEY],
            Auth::Backend,
        ),
        (
            Credentials::session_token(SESSION_TOKEN).unwrap(),
            SESSION_TOKEN,
            vec![BESESSION_TOKEN],
            Auth::Session,
        ),
        (
            Credentials::admin_token(ADMIN_TOKEN_VALUE).unwrap(),
            ADMIN_TOKEN_VALUE,
            vec![ADMIN_TOKEN],
            Auth::Admin,
        ),
        (
            Credentials::org_selection_token(ORG_SELECTION_TOKEN_VALUE).unwrap(),
            ORG_SELECTION_TOKEN_VALUE,
            vec![ORG_SELECTION_TOKEN],
            Auth::OrgSelection,
        ),
        (
            Credentials::refresh_token(REFRESH_TOKEN_VALUE).unwrap(),
            REFRESH_TOKEN_VALUE,
            vec![REFRESH_TOKEN],
            Auth::Refresh,
        ),
    ]
}

fn assert_no_secret(text: &str) {
    for core in CORES {
        assert!(!text.contains(core), "a secret shows in {text:?}");
    }
}

/// `{:#?}` goes through other code than `{:?}` in derived and hand-written impls alike.
fn assert_prints_no_secret_debug(value: &impl std::fmt::Debug) {
    assert_no_secret(&format!("{value:?}"));
    assert_no_secret(&format!("{value:#?}"));
}

fn assert_prints_no_secret(value: &(impl std::fmt::Debug + std::fmt::Display)) {
    assert_prints_no_secret_debug(value);
    assert_no_secret(&value.to_string());
    assert_no_secret(&format!("{value:>80}"));
}

fn base() -> BaseUrl {
    BaseUrl::parse("https://edge.example.com/api/").unwrap()
}

#[test]
fn credentials_print_without_their_secret() {
    for (credentials, secret, _, _) in all_credentials() {
        assert_prints_no_secret_debug(&credentials);
        assert!(format!("{credentials:?}").contains("redacted"));
        assert!(!credentials.kind().contains(secret));
    }
    let together: Vec<Credentials> = all_credentials().into_iter().map(|c| c.0).collect();
    assert_prints_no_secret_debug(&together);
}

#[test]
fn an_api_key_prints_its_names_but_not_its_key() {
    let key = ApiKey::new("ExampleOrg", "adminPrincipal", API_KEY_VALUE).unwrap();

    assert_prints_no_secret_debug(&key);
    let printed = format!("{key:?}");
    assert!(printed.contains("ExampleOrg"), "{printed}");
    assert!(printed.contains("adminPrincipal"), "{printed}");
    assert_prints_no_secret(key.key());
    assert_eq!(key.key().expose(), API_KEY_VALUE);
}

#[test]
fn a_secret_prints_as_redacted() {
    let secret = Secret::new(BACKEND_TOKEN).unwrap();

    assert_prints_no_secret(&secret);
    assert_eq!(secret.expose(), BACKEND_TOKEN);
}

/// Values that look like secrets but cannot travel in a header, each carrying a core.
fn bad_values() -> Vec<String> {
    let mut bad = Vec::new();
    for secret in [
        BACKEND_TOKEN,
        API_KEY_VALUE,
        SESSION_TOKEN,
        ADMIN_TOKEN_VALUE,
    ] {
        bad.push(format!(" {secret}"));
        bad.push(format!("{secret}\t"));
        bad.push(format!("{secret}\r\nX-Injected: 1"));
        bad.push(format!("{secret}\n"));
        bad.push(format!("{secret}\u{0}"));
        bad.push(format!("{secret}\u{7f}"));
        bad.push(format!("{secret}\u{e9}"));
        bad.push(format!("\u{1F511}{secret}"));
    }
    bad
}

#[test]
fn refused_secrets_are_not_echoed() {
    for bad in bad_values() {
        let errors = [
            Credentials::backend_token(&bad).unwrap_err(),
            Credentials::session_token(&bad).unwrap_err(),
            Credentials::admin_token(&bad).unwrap_err(),
            Credentials::org_selection_token(&bad).unwrap_err(),
            Credentials::refresh_token(&bad).unwrap_err(),
            Credentials::api_key("ExampleOrg", "adminPrincipal", &bad).unwrap_err(),
            ApiKey::new("ExampleOrg", "adminPrincipal", &bad).unwrap_err(),
            Secret::new(&bad).unwrap_err(),
        ];

        for err in errors {
            assert_prints_no_secret(&err);
            assert_no_secret(err.problem());
            assert_prints_no_secret(&Error::from(err));
        }
    }
}

#[test]
fn refused_credential_kinds_are_not_echoed() {
    for (credentials, _, _, _) in all_credentials() {
        let results = [
            GetTask::new("t").to_request(&base(), &credentials),
            ListTasks::new().to_request(&base(), &credentials),
            AcknowledgeTask::new("t").to_request(&base(), &credentials),
            RawRequest::new(Method::GET, "/x")
                .auth(Auth::Admin)
                .to_request(&base(), &credentials),
            RawRequest::new(Method::GET, "/x")
                .auth(Auth::Session)
                .to_request(&base(), &credentials),
            RawRequest::new(Method::GET, "/x")
                .auth(Auth::BackendToken)
                .to_request(&base(), &credentials),
            RawRequest::new(Method::GET, "/x")
                .auth(Auth::OrgSelection)
                .to_request(&base(), &credentials),
            RawRequest::new(Method::GET, "/x")
                .auth(Auth::Refresh)
                .to_request(&base(), &credentials),
        ];

        let mut refused = 0;
        for result in results {
            match result {
                Err(err) => {
                    assert!(matches!(err, Error::Input(_)), "{err:?}");
                    assert_prints_no_secret(&err);
                    refused += 1;
                }
                Ok(request) => assert_secret_only_in_its_headers(&request),
            }
        }
        // Each kind fits some of these endpoints and not the others.
        assert!(refused > 0 && refused < 8, "{credentials:?}: {refused}");
    }
}

#[test]
fn other_request_errors_are_not_echoed() {
    for (credentials, _, _, auth) in all_credentials() {
        let results = [
            GetTask::new("").to_request(&base(), &credentials),
            ListTasks::new().limit(0).to_request(&base(), &credentials),
            RawRequest::new(Method::GET, "no-slash")
                .auth(auth)
                .to_request(&base(), &credentials),
        ];

        for result in results {
            let err = result.unwrap_err();
            assert_prints_no_secret(&err);
        }
    }
}

#[test]
fn base_url_errors_do_not_echo_a_password() {
    for url in [
        "https://user:pw-Q7fXz3a9c@edge.example.com",
        "https://user:pw-Q7fXz3a9c@edge.example.com/api",
        "http://pw-Q7fXz3a9c@127.0.0.1:8080/",
        "https://user:pw-Q7fXz3a9c@edge example.com",
        "https://edge.example.com/?token=Q7fXz3a9c",
        "https://edge.example.com/#Q7fXz3a9c",
    ] {
        let err = BaseUrl::parse(url).unwrap_err();

        assert_eq!(err.what(), "base URL");
        assert_prints_no_secret(&err);
    }
}

/// The secret is in exactly the credential header, which is marked sensitive, and nowhere
/// else: not in the URL, the body, another header or the request's `Debug`.
fn assert_secret_only_in_its_headers(request: &Request<Vec<u8>>) {
    assert_no_secret(&request.uri().to_string());
    assert_no_secret(&String::from_utf8_lossy(request.body()));
    assert_prints_no_secret_debug(request);
    let credential_headers = [
        BEAUTH_TOKEN,
        API_KEY,
        BESESSION_TOKEN,
        ADMIN_TOKEN,
        ORG_SELECTION_TOKEN,
        REFRESH_TOKEN,
    ];
    for (name, value) in request.headers() {
        let text = String::from_utf8_lossy(value.as_bytes());
        if CORES.iter().any(|core| text.contains(core)) {
            assert!(credential_headers.contains(name), "a secret in {name}");
            assert!(value.is_sensitive(), "{name} is not marked sensitive");
        }
    }
}

#[test]
fn requests_carry_each_secret_only_in_its_header() {
    for (credentials, secret, headers, auth) in all_credentials() {
        let endpoint = RawRequest::new(Method::POST, "/be/v1/anything")
            .param("q", "v")
            .body(json!({ "name": "t" }))
            .auth(auth);

        let request = endpoint.to_request(&base(), &credentials).unwrap();

        assert_secret_only_in_its_headers(&request);
        let carrying: Vec<&HeaderName> = request
            .headers()
            .iter()
            .filter(|(_, v)| v.as_bytes() == secret.as_bytes())
            .map(|(n, _)| n)
            .collect();
        assert_eq!(
            carrying,
            headers.iter().collect::<Vec<_>>(),
            "{credentials:?}"
        );
    }
}

#[test]
fn typed_endpoints_carry_the_backend_secrets_only_in_their_headers() {
    for (credentials, _, _, auth) in all_credentials() {
        if auth != Auth::Backend {
            continue;
        }
        for request in [
            GetTask::new("t").to_request(&base(), &credentials),
            ListTasks::new()
                .app_name("sushi")
                .to_request(&base(), &credentials),
            AcknowledgeTask::new("t").to_request(&base(), &credentials),
        ] {
            assert_secret_only_in_its_headers(&request.unwrap());
        }
    }
}

type Plain = fn(Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError>;

fn unreachable_server(_: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
    Err(TransportError::new(
        TransportErrorKind::Connect,
        "no server in this test",
    ))
}

#[test]
fn a_client_and_its_errors_print_without_the_secret() {
    for (credentials, _, _, _) in all_credentials() {
        let client = Client::new(unreachable_server as Plain, base(), credentials);

        assert_prints_no_secret_debug(&client);
        let err = client.send(&GetTask::new("t")).unwrap_err();
        assert_prints_no_secret(&err);
    }
}

#[test]
fn a_transport_sees_the_secret_only_in_its_header() {
    let seen = RefCell::new(Vec::new());
    let transport = |request: Request<Vec<u8>>| {
        seen.borrow_mut().push(request);
        Ok(Response::new(br#"{"status":"success"}"#.to_vec()))
    };
    let credentials = Credentials::backend_token(BACKEND_TOKEN).unwrap();
    let client = Client::new(transport, base(), credentials);

    client.send(&AcknowledgeTask::new("t")).unwrap();

    let seen = seen.into_inner();
    assert_eq!(seen.len(), 1);
    assert_secret_only_in_its_headers(&seen[0]);
    assert_eq!(seen[0].headers()[BEAUTH_TOKEN], BACKEND_TOKEN);
}

/// A server that repeats what it was sent: every header value in the error code, the message
/// and (with `/` escaped, as some servers write JSON) another member, and the request body.
fn echoing_server(
    status: u16,
) -> impl Fn(Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
    move |request| {
        let said: Vec<&str> = request
            .headers()
            .values()
            .map(|v| v.to_str().unwrap())
            .collect();
        let said = said.join(" ");
        let body = json!({
            "status": "error",
            "code": said,
            "message": format!("refused {said}"),
            "escaped": said.replace('/', "\\/"),
            "request": String::from_utf8_lossy(request.body()),
        });
        let body = serde_json::to_vec(&body).unwrap();
        Ok(Response::builder().status(status).body(body).unwrap())
    }
}

fn assert_redacted(err: &Error) {
    assert_prints_no_secret(err);
    let body = match err {
        Error::Api(e) => e.body(),
        Error::Decode(e) => e.body(),
        other => panic!("expected an answer's error, got {other:?}"),
    };
    assert_no_secret(&body.text());
    assert!(body.text().contains("[redacted]"), "{}", body.text());
}

#[test]
fn an_error_answer_that_repeats_the_credentials_shows_them_redacted() {
    for (credentials, secret, _, auth) in all_credentials() {
        let client = Client::new(echoing_server(401), base(), credentials);

        let err = client
            .send(&RawRequest::new(Method::GET, "/x").auth(auth))
            .unwrap_err();

        assert_redacted(&err);
        assert!(err.to_string().contains("[redacted]"), "{err}");
        assert!(!err.to_string().contains(secret), "{err}");
    }
}

#[test]
fn a_decode_error_that_quotes_the_credentials_shows_them_redacted() {
    let credentials = Credentials::backend_token(BACKEND_TOKEN).unwrap();
    let echo = |request: Request<Vec<u8>>| -> Result<Response<Vec<u8>>, TransportError> {
        let token = request.headers()[BEAUTH_TOKEN].to_str().unwrap().to_owned();
        let body = json!({"status": "success", "task": token});
        Ok(Response::new(serde_json::to_vec(&body).unwrap()))
    };
    let client = Client::new(echo, base(), credentials);

    let err = client.send(&GetTask::new("t")).unwrap_err();

    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert_redacted(&err);
    assert!(err.to_string().contains("[redacted]"), "{err}");
}

#[test]
fn an_error_answer_that_repeats_a_secret_of_the_body_shows_it_redacted() {
    use rockit_edge::api_keys::DeleteApiKey;
    use rockit_edge::deployments::{CreateDeployment, OriginCredentials};
    use rockit_edge::login::LoginWithPassword;
    use rockit_edge::users::ModifyUser;

    let mut origin = OriginCredentials::s3("AKIAEXAMPLE", "sk-Pz0o9Lq-secretkey");
    origin
        .extra
        .insert("sessionToken".into(), json!("sx-Jj4Ug8Ff-session"));
    let credentials = Credentials::backend_token(BACKEND_TOKEN).unwrap();
    let client = Client::new(echoing_server(400), base(), credentials);
    let cores = ["Pz0o9Lq", "Jj4Ug8Ff", "Vv2Kk7Mm", "Gg5Tt1Rr", "Bb8Nn3Cc"];

    let errors = [
        client.send(&CreateDeployment::new("cdn", "s3").credentials(origin)),
        client
            .send(&LoginWithPassword::new("jane", "pw-Vv2Kk7Mm-login"))
            .map(|_| Default::default()),
        client.send(&ModifyUser::new("jane").change_password("pw-Gg5Tt1Rr-old", "pw-Bb8Nn3Cc-new")),
        client.send(&DeleteApiKey::new(
            Secret::new("ak-Vv2Kk7Mm-revoked").unwrap(),
        )),
    ];

    for err in errors {
        let err = err.unwrap_err();
        assert_redacted(&err);
        let printed = format!("{err} {err:?}");
        for core in cores {
            assert!(!printed.contains(core), "{core} shows in {printed}");
        }
    }
}

#[test]
fn a_secret_cut_off_at_the_end_of_the_excerpt_does_not_show_its_start() {
    use rockit_edge::error::BODY_EXCERPT_LIMIT;

    let credentials = Credentials::backend_token(BACKEND_TOKEN).unwrap();
    let echo = |request: Request<Vec<u8>>| -> Result<Response<Vec<u8>>, TransportError> {
        let token = request.headers()[BEAUTH_TOKEN].to_str().unwrap();
        // The excerpt ends six bytes into the token.
        let mut body = vec![b'x'; BODY_EXCERPT_LIMIT - 6];
        body.extend_from_slice(token.as_bytes());
        Ok(Response::builder().status(500).body(body).unwrap())
    };
    let client = Client::new(echo, base(), credentials);

    let Error::Api(err) = client.send(&GetTask::new("t")).unwrap_err() else {
        panic!("expected an API error");
    };

    assert!(err.body().is_truncated());
    let text = err.body().text();
    assert!(
        text.ends_with("xxx[redacted]"),
        "{}",
        &text[text.len() - 20..]
    );
    assert!(!text.contains(&BACKEND_TOKEN[..6]));
    assert_eq!(
        err.body().len(),
        BODY_EXCERPT_LIMIT - 6 + BACKEND_TOKEN.len()
    );
}

#[test]
fn an_answer_that_repeats_nothing_secret_is_kept_as_it_came() {
    let credentials = Credentials::backend_token(BACKEND_TOKEN).unwrap();
    let answer = |_: Request<Vec<u8>>| -> Result<Response<Vec<u8>>, TransportError> {
        let body = br#"{"status":"error","code":"no-such-task","message":"no task t"}"#;
        Ok(Response::builder().status(404).body(body.to_vec()).unwrap())
    };
    let client = Client::new(answer, base(), credentials);

    let Error::Api(err) = client.send(&GetTask::new("t")).unwrap_err() else {
        panic!("expected an API error");
    };

    assert_eq!(err.message(), Some("no task t"));
    assert_eq!(err.code().map(|c| c.as_str()), Some("no-such-task"));
    assert!(!err.body().text().contains("[redacted]"));
}

/// A member a future server might add to an answer that carries secrets.
const FUTURE_SECRET: &str = "ft-Rc0ffeeJm-future";

fn assert_extra_name_only(printed: String) {
    assert!(printed.contains("futureToken"), "{printed}");
    assert!(printed.contains("[redacted]"), "{printed}");
    assert_no_secret(&printed);
}

#[test]
fn answers_that_carry_secrets_print_the_names_of_unknown_members_only() {
    use rockit_edge::admin::CreatedOrg;
    use rockit_edge::login::{AuthToken, OrgSelection, Session, TokenPair};
    use rockit_edge::subscriptions::Subscribed;

    let with_future = |known: serde_json::Value| {
        let mut body = known;
        body["futureToken"] = json!(FUTURE_SECRET);
        body
    };
    let debug = |value: &dyn std::fmt::Debug| format!("{value:?} {value:#?}");

    let session: Session =
        serde_json::from_value(with_future(json!({"sessionToken": "s"}))).unwrap();
    let auth: AuthToken = serde_json::from_value(with_future(json!({"authToken": "a"}))).unwrap();
    let selection: OrgSelection =
        serde_json::from_value(with_future(json!({"orgSelectionToken": "o"}))).unwrap();
    let pair: TokenPair = serde_json::from_value(with_future(
        json!({"accessToken": "a", "refreshToken": "r"}),
    ))
    .unwrap();
    let subscribed: Subscribed =
        serde_json::from_value(with_future(json!({"secret": "w"}))).unwrap();
    let org: CreatedOrg = serde_json::from_value(with_future(json!({"orgName": "o"}))).unwrap();
    for printed in [
        debug(&session),
        debug(&auth),
        debug(&selection),
        debug(&pair),
        debug(&subscribed),
        debug(&org),
    ] {
        assert_extra_name_only(printed);
    }
    // The value is kept all the same.
    assert_eq!(session.extra["futureToken"], FUTURE_SECRET);
}

#[test]
fn created_keys_users_and_organisations_print_the_names_of_unknown_members_only() {
    use rockit_edge::api_keys::CreateApiKey;
    use rockit_edge::orgs::CreateOrganization;
    use rockit_edge::users::CreateMachineUser;

    let body = json!({"status": "success", "apiKey": "k-1", "futureToken": FUTURE_SECRET});
    let answer = Response::new(serde_json::to_vec(&body).unwrap());

    let key = CreateApiKey::new().decode(&answer).unwrap();
    let user = CreateMachineUser::new("bot", "Bot")
        .decode(&answer)
        .unwrap();
    let org = CreateOrganization::new("NewOrg").decode(&answer).unwrap();

    assert_extra_name_only(format!("{key:?}"));
    assert_extra_name_only(format!("{user:#?}"));
    assert_extra_name_only(format!("{org:?}"));
    assert_eq!(org.extra["futureToken"], FUTURE_SECRET);
}

#[test]
fn other_models_print_their_unknown_members_whole() {
    let mut body: serde_json::Value =
        serde_json::from_slice(include_bytes!("fixtures/tasks_get_200.json")).unwrap();
    body["task"]["queue"] = json!("fast-lane");
    let task = GetTask::new("t")
        .decode(&Response::new(serde_json::to_vec(&body).unwrap()))
        .unwrap();

    assert!(format!("{task:?}").contains(r#"extra: {"queue": String("fast-lane")}"#));
}

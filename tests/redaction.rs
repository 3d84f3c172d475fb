//! An error answer that repeats a secret the request carried shows `[redacted]` in its place,
//! whatever form the secret takes in the answer and whichever way the request was sent.

use http::{Method, Request, Response};
use rockit_edge::api_keys::DeleteApiKey;
use rockit_edge::deployments::{CreateDeployment, OriginCredentials};
use rockit_edge::login::LoginWithPassword;
use rockit_edge::raw::RawRequest;
use rockit_edge::tasks::GetTask;
use rockit_edge::users::ModifyUser;
use rockit_edge::{BaseUrl, Client, Credentials, Error, Secret, TransportError};
use serde_json::json;

type Answer = Result<Response<Vec<u8>>, TransportError>;

const TOKEN: &str = "bt-Q7fXz3a9c-backend";

fn base() -> BaseUrl {
    BaseUrl::parse("https://edge.example.com/").unwrap()
}

fn client<F: Fn(Request<Vec<u8>>) -> Answer>(f: F) -> Client<F> {
    Client::new(f, base(), Credentials::backend_token(TOKEN).unwrap())
}

fn reply(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Answer {
    Ok(Response::builder()
        .status(status)
        .header("content-type", content_type)
        .body(body.into())
        .unwrap())
}

fn json_reply(status: u16, body: &serde_json::Value) -> Answer {
    reply(
        status,
        "application/json",
        serde_json::to_vec(body).unwrap(),
    )
}

/// The backend token a request carries.
fn token_of(request: &Request<Vec<u8>>) -> String {
    request.headers()["x-rockit-beauth-token"]
        .to_str()
        .unwrap()
        .to_owned()
}

/// Asserts that nothing a caller can print or read of `err` contains `core`.
fn assert_hidden(err: &Error, core: &str) {
    let all = everything(err);
    assert!(!all.contains(core), "{core} shows in {all}");
}

/// Everything a caller can print or read of an error, in one string.
fn everything(err: &Error) -> String {
    let body = match err {
        Error::Api(e) => e.body().text().into_owned(),
        Error::Decode(e) => e.body().text().into_owned(),
        _ => String::new(),
    };
    format!("{err}\n{err:?}\n{body}")
}

#[test]
fn a_token_cut_off_by_the_message_limit_leaves_no_start() {
    let c = client(|r: Request<Vec<u8>>| {
        let token = token_of(&r);
        let message = format!("{}{token}", "x".repeat(990));
        json_reply(401, &json!({"status":"error","message":message}))
    });
    let err = c.send(&GetTask::new("t")).unwrap_err();
    let shown = err.to_string();
    assert!(
        !shown.contains("bt-Q7fXz3a"),
        "Display leaks: …{}",
        &shown[shown.len() - 20..]
    );
}

#[test]
fn a_token_cut_off_by_the_code_limit_leaves_no_start() {
    let c = client(|r: Request<Vec<u8>>| {
        let token = token_of(&r);
        let code = format!("{}{token}", "x".repeat(992));
        json_reply(401, &json!({"status":"error","code":code}))
    });
    let err = c.send(&GetTask::new("t")).unwrap_err();
    let code = err.code().unwrap().as_str().to_owned();
    assert!(
        !code.contains("bt-Q7fX"),
        "code leaks: …{}",
        &code[code.len() - 12..]
    );
}

#[test]
fn a_password_cut_off_by_the_text_message_limit_leaves_no_start() {
    let password = "pw-Vv2Kk7Mm-login-0123456789";
    let c = client(move |_r: Request<Vec<u8>>| {
        reply(
            400,
            "text/plain",
            format!("{}{password}\n", "y".repeat(185)),
        )
    });
    let err = c
        .send(&LoginWithPassword::new("jane", password))
        .unwrap_err();
    let shown = err.to_string();
    assert!(
        !shown.contains("Vv2Kk7Mm"),
        "Display leaks: …{}",
        &shown[shown.len() - 20..]
    );
}

#[test]
fn a_password_with_trailing_space_is_found_in_a_trimmed_message() {
    let password = "Gg5Tt1Rr-secret ";
    let c = client(move |_r: Request<Vec<u8>>| {
        let body = json!({"status":"error","message": format!("wrong password: {password}")});
        json_reply(401, &body)
    });
    let err = c
        .send(&LoginWithPassword::new("jane", password))
        .unwrap_err();
    assert!(!err.to_string().contains("Gg5Tt1Rr"), "{err}");
}

fn excerpt_value(err: &Error) -> serde_json::Value {
    let Error::Api(e) = err else {
        panic!("{err:?}")
    };
    serde_json::from_slice(e.body().bytes()).unwrap()
}

#[test]
fn go_style_html_safe_escapes_are_found_in_the_excerpt() {
    let password = "Bb8Nn3Cc<&>x";
    let c = client(move |_r: Request<Vec<u8>>| {
        // What Go's encoding/json writes by default.
        let echoed = r#"Bb8Nn3Cc\u003c\u0026\u003ex"#;
        reply(
            400,
            "application/json",
            format!(r#"{{"status":"error","code":"bad","message":"nope","echo":"{echoed}"}}"#),
        )
    });
    let err = c
        .send(&ModifyUser::new("jane").reset_password(password))
        .unwrap_err();
    assert_eq!(
        excerpt_value(&err)["echo"],
        "[redacted]",
        "{}",
        everything(&err)
    );
}

#[test]
fn python_style_ascii_escapes_are_found_in_the_excerpt() {
    let password = "pässwörd-Jj4Ug8Ff";
    let c = client(move |_r: Request<Vec<u8>>| {
        // json.dumps / PHP json_encode default (ensure_ascii), lower- and upper-case hex.
        let body = r#"{"status":"error","message":"nope","a":"p\u00e4ssw\u00f6rd-Jj4Ug8Ff","b":"p\u00E4ssw\u00F6rd-Jj4Ug8Ff"}"#;
        reply(400, "application/json", body)
    });
    let err = c
        .send(&LoginWithPassword::new("jane", password))
        .unwrap_err();
    let v = excerpt_value(&err);
    assert!(
        v["a"] == "[redacted]" && v["b"] == "[redacted]",
        "{}",
        everything(&err)
    );
}

#[test]
fn an_html_escaped_password_in_a_proxy_page_is_found() {
    let password = "Pz0o9Lq&<secret>";
    let c = client(move |_r: Request<Vec<u8>>| {
        reply(
            502,
            "text/html",
            "<html><body>bad request: Pz0o9Lq&amp;&lt;secret&gt;</body></html>",
        )
    });
    let err = c
        .send(&LoginWithPassword::new("jane", password))
        .unwrap_err();
    assert_hidden(&err, "Pz0o9Lq");
}

#[test]
fn a_login_answer_that_fails_to_decode_keeps_none_of_its_tokens() {
    let c = client(|_r: Request<Vec<u8>>| {
        let body =
            json!({"status":"success","orgSelectionToken":"ot-FRESH-Yq1dd3Xw","orgs":"not-a-list"});
        json_reply(200, &body)
    });
    let err = c
        .send(&LoginWithPassword::new("jane", "pw-123456"))
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)));
    assert_hidden(&err, "Yq1dd3Xw");
}

#[test]
fn a_refresh_answer_that_fails_to_decode_keeps_none_of_its_tokens() {
    use rockit_edge::login::TokenPair;
    use rockit_edge::session::{SessionClient, TokenSession};
    use std::time::{Duration, SystemTime};

    let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let pair: TokenPair =
        serde_json::from_str(r#"{"accessToken":"a1-old","refreshToken":"r1-old","expiresIn":900}"#)
            .unwrap();
    let transport = |_r: Request<Vec<u8>>| {
        let body = r#"{"status":"success","accessToken":"a2-NEW-Rc0ffeeJm","refreshToken":"r2-NEW-Hm9zzT2r","expiresIn":"15m"}"#;
        reply(200, "application/json", body)
    };
    let client = SessionClient::new(transport, base())
        .with_clock(move || t0)
        .with_session(TokenSession::from_token_pair(&pair, t0));
    let err = client.refresh().unwrap_err();
    let all = everything(&err);
    assert!(
        !all.contains("Rc0ffeeJm") && !all.contains("Hm9zzT2r"),
        "{all}"
    );
}

#[test]
fn a_raw_request_names_the_secrets_of_its_body() {
    let c = client(|r: Request<Vec<u8>>| {
        let sent: serde_json::Value = serde_json::from_slice(r.body()).unwrap();
        let body = json!({"status":"error","message": format!("bad password {}", sent["password"].as_str().unwrap())});
        json_reply(401, &body)
    });
    let raw = RawRequest::new(Method::POST, "/be/v1/login")
        .auth(rockit_edge::Auth::None)
        .body(json!({"username":"jane","password":"pw-Vv2Kk7Mm-raw"}))
        .secret("pw-Vv2Kk7Mm-raw");
    let err = c.send(&raw).unwrap_err();
    assert!(!err.to_string().contains("Vv2Kk7Mm"), "{err}");
}

#[test]
fn nested_origin_credentials_are_redacted() {
    let mut origin = OriginCredentials::s3("AKIAEXAMPLE", "sk-Pz0o9Lq-secretkey");
    origin.extra.insert(
        "serviceAccount".into(),
        json!({"private_key": "-----BEGIN PRIVATE KEY-----\nMIIEv-Nest3dK3y\n-----END PRIVATE KEY-----\n"}),
    );
    let c = client(|r: Request<Vec<u8>>| {
        let sent: serde_json::Value = serde_json::from_slice(r.body()).unwrap();
        let body = json!({"status":"error","message": format!("rejected {}", sent)});
        json_reply(400, &body)
    });
    let err = c
        .send(&CreateDeployment::new("cdn", "s3").credentials(origin))
        .unwrap_err();
    assert!(!err.to_string().contains("Nest3dK3y"), "{err}");
    assert!(!err.to_string().contains("Pz0o9Lq"), "{err}");
}

#[test]
fn overlapping_passwords_go_whole() {
    let c = client(|_r: Request<Vec<u8>>| {
        let body = json!({"status":"error","message": "history: Gg5Tt1Rr-Bb8Nn3Cc"});
        json_reply(400, &body)
    });
    let err = c
        .send(&ModifyUser::new("jane").change_password("Gg5Tt1Rr-Bb", "Rr-Bb8Nn3Cc"))
        .unwrap_err();
    assert!(!err.to_string().contains("Nn3Cc"), "{err}");
}

#[test]
fn a_short_password_does_not_match_inside_a_marker() {
    let c = client(|r: Request<Vec<u8>>| {
        let token = token_of(&r);
        let body = json!({"status":"error","code":"bad-request","message": format!("token {token} refused")});
        json_reply(400, &body)
    });
    // A password of one character (accepted) that also occurs in "[redacted]".
    let err = c
        .send(&ModifyUser::new("jane").reset_password("e"))
        .unwrap_err();
    assert_eq!(err.to_string(), "server answered HTTP 400 Bad Request with error code bad-r[redacted]qu[redacted]st: tok[redacted]n [redacted] r[redacted]fus[redacted]d");
}

#[test]
fn every_text_of_origin_credentials_counts_as_secret() {
    let mut origin = OriginCredentials::s3("AKIAEXAMPLE", "sk-Pz0o9Lq-secretkey");
    origin.extra.insert("region".into(), json!("eu-west-1"));
    let c = client(|_r: Request<Vec<u8>>| {
        let body = json!({"status":"error","message": "bucket cdn not found in eu-west-1"});
        json_reply(404, &body)
    });
    let err = c
        .send(&CreateDeployment::new("cdn", "s3").credentials(origin))
        .unwrap_err();
    // Any member of origin credentials may be a secret, so each is taken for one.
    assert_eq!(
        err.to_string(),
        "server answered HTTP 404 Not Found: bucket cdn not found in [redacted]"
    );
}

#[test]
fn an_escaped_password_cut_off_at_the_excerpt_limit_leaves_no_start() {
    use rockit_edge::error::BODY_EXCERPT_LIMIT;
    let password = r#"ab"c\d/Jj4Ug8Ff"#;
    let c = client(move |_r: Request<Vec<u8>>| {
        let escaped = serde_json::to_string(password).unwrap();
        let escaped = escaped.trim_matches('"').replace('/', "\\/");
        let mut body = vec![b'x'; BODY_EXCERPT_LIMIT - 8];
        body.extend_from_slice(escaped.as_bytes());
        reply(500, "application/octet-stream", body)
    });
    let err = c
        .send(&LoginWithPassword::new("jane", password))
        .unwrap_err();
    let Error::Api(e) = &err else { panic!() };
    assert!(
        e.body().text().ends_with("x[redacted]"),
        "{}",
        &e.body().text()[4080..]
    );
}

#[test]
fn a_revoked_api_key_is_redacted_in_a_nested_error() {
    let c = client(|r: Request<Vec<u8>>| {
        let body = json!({"status":"error","error":{"message": String::from_utf8_lossy(r.body())}});
        json_reply(400, &body)
    });
    let err = c
        .send(&DeleteApiKey::new(
            Secret::new("ak-W55d1e0Kp-apikey").unwrap(),
        ))
        .unwrap_err();
    assert_hidden(&err, "W55d1e0Kp");
}

#[cfg(feature = "ureq")]
#[test]
fn over_ureq_an_echoed_token_is_redacted_however_escaped() {
    use rockit_edge::retry::RetryPolicy;
    use rockit_edge::ureq_transport::UreqTransport;
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpListener;

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut token = String::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if line
                .to_ascii_lowercase()
                .starts_with("x-rockit-beauth-token:")
            {
                token = line.split_once(':').unwrap().1.trim().to_owned();
            }
        }
        let body = format!(
            r#"{{"status":"error","code":"token-expired","message":"token {token} expired","echo":"{}"}}"#,
            token.replace('-', "\\u002d")
        );
        let mut s = stream;
        write!(s, "HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\nx-echo: {token}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len()).unwrap();
    });
    let transport = UreqTransport::builder()
        .proxy_from_env(false)
        .retry(RetryPolicy::never())
        .build();
    let base = BaseUrl::parse(&format!("http://127.0.0.1:{port}/")).unwrap();
    let c = Client::new(transport, base, Credentials::backend_token(TOKEN).unwrap());
    let err = c.send(&GetTask::new("t")).unwrap_err();
    server.join().unwrap();
    assert!(!err.to_string().contains("Q7fXz3a9c"));
    assert_hidden(&err, "Q7fXz3a9c");
    // The server did see the token, and repeated it twice in the body.
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        api.body().text().matches("[redacted]").count(),
        2,
        "{}",
        api.body().text()
    );
}

#[test]
fn a_session_retry_after_token_expired_redacts_every_token() {
    use rockit_edge::login::TokenPair;
    use rockit_edge::session::{SessionClient, TokenSession};
    use std::time::{Duration, SystemTime};

    let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let pair: TokenPair = serde_json::from_str(
        r#"{"accessToken":"a1-Nbadd1eVv","refreshToken":"r1-Hm9zzT2r","expiresIn":900}"#,
    )
    .unwrap();
    let seen = std::sync::Mutex::new(Vec::new());
    let transport = |r: Request<Vec<u8>>| {
        let headers: Vec<String> = r
            .headers()
            .values()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        seen.lock().unwrap().push(r.uri().path().to_owned());
        if r.uri().path().ends_with("/refresh") {
            return reply(
                200,
                "application/json",
                r#"{"status":"success","accessToken":"a2-Rc0ffeeJm","refreshToken":"r2-Yq1dd3Xw","expiresIn":900}"#,
            );
        }
        let body = json!({"status":"error","code":"token-expired","message": headers.join(" ")});
        json_reply(401, &body)
    };
    let client = SessionClient::new(transport, base())
        .with_clock(move || t0)
        .with_session(TokenSession::from_token_pair(&pair, t0));
    let err = client.send(&GetTask::new("t")).unwrap_err();
    let all = everything(&err);
    for core in ["Nbadd1eVv", "Hm9zzT2r", "Rc0ffeeJm", "Yq1dd3Xw"] {
        assert!(!all.contains(core), "{core}: {all}");
    }
    assert_eq!(seen.lock().unwrap().len(), 3);
}

#[test]
fn watch_and_all_redact() {
    use rockit_edge::tasks::ListTasks;
    use rockit_edge::watch::{self, Watcher};
    let c = client(|r: Request<Vec<u8>>| {
        let token = token_of(&r);
        let body =
            json!({"status":"error","code":"no-such-task","message": format!("{token} may not")});
        json_reply(403, &body)
    });
    let err = watch::watch(&c, Watcher::new(["t"]), |_| {}).unwrap_err();
    assert_hidden(&err, "Q7fXz3a9c");
    let err = c.all(ListTasks::new()).next().unwrap().unwrap_err();
    assert_hidden(&err, "Q7fXz3a9c");
}

#[test]
fn a_non_utf8_secret_does_not_match_inside_a_character() {
    use rockit_edge::endpoint::Endpoint;
    struct Custom;
    impl Endpoint for Custom {
        type Output = ();
        fn method(&self) -> Method {
            Method::GET
        }
        fn path(&self) -> Result<String, rockit_edge::error::InputError> {
            Ok("/x".into())
        }
        fn auth(&self) -> rockit_edge::Auth {
            rockit_edge::Auth::None
        }
        fn to_request(&self, base: &BaseUrl, c: &Credentials) -> Result<Request<Vec<u8>>, Error> {
            let mut r = RawRequest::new(Method::GET, "/x")
                .auth(rockit_edge::Auth::None)
                .to_request(base, c)?;
            let mut v = http::HeaderValue::from_bytes(b"\xa9").unwrap();
            v.set_sensitive(true);
            r.headers_mut().insert("x-legacy-key", v);
            Ok(r)
        }
        fn decode<B: AsRef<[u8]>>(&self, r: &Response<B>) -> Result<(), Error> {
            Err(rockit_edge::decode::api_error(r.status(), r.headers(), r.body().as_ref()).into())
        }
    }
    let c = client(|_r: Request<Vec<u8>>| {
        reply(
            400,
            "application/json",
            r#"{"status":"error","message":"caf\u00e9 is closed"}"#,
        )
    });
    let err = c.send(&Custom).unwrap_err();
    assert_eq!(
        err.to_string(),
        "server answered HTTP 400 Bad Request: café is closed"
    );
}

#[test]
fn numeric_html_entities_are_found() {
    // Python's html.escape writes `'` as `&#x27;`; Go's html.EscapeString writes `"` as `&#34;`.
    for (password, page) in [
        ("it's-Zq9Wv", "<p>bad password it&#x27;s-Zq9Wv</p>"),
        ("say\"Zq9Wv", "<p>bad password say&#34;Zq9Wv</p>"),
    ] {
        let c = client(move |_r: Request<Vec<u8>>| reply(400, "text/html", page));
        let err = c
            .send(&LoginWithPassword::new("jane", password))
            .unwrap_err();
        assert_hidden(&err, "Zq9Wv");
    }
}

#[test]
fn a_percent_encoded_password_is_found() {
    for echo in ["p%2Fss%20Kx7Lm", "p%2Fss+Kx7Lm", "p%2fss%20Kx7Lm"] {
        let body = format!("rejected password={echo}");
        let c = client(move |_r: Request<Vec<u8>>| reply(400, "text/plain", body.clone()));
        let err = c
            .send(&LoginWithPassword::new("jane", "p/ss Kx7Lm"))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "server answered HTTP 400 Bad Request: rejected password=[redacted]"
        );
    }
}

#[test]
fn a_request_body_repeated_inside_a_json_string_is_found() {
    let c = client(|r: Request<Vec<u8>>| {
        let sent = String::from_utf8(r.body().clone()).unwrap();
        json_reply(
            400,
            &json!({"status": "error", "message": "bad body", "request": sent}),
        )
    });
    let err = c
        .send(&LoginWithPassword::new("jane", "pa\"Hh3Jj"))
        .unwrap_err();
    assert_hidden(&err, "Hh3Jj");
}

#[test]
fn a_success_status_with_a_fresh_token_but_no_success_keeps_no_body() {
    let c = client(|_r: Request<Vec<u8>>| {
        let body = r#"{"status":"ok","orgSelectionToken":"ot-FRESH-Yq1dd3Xw","orgs":["A"]}"#;
        reply(200, "application/json", body)
    });
    let err = c
        .send(&LoginWithPassword::new("jane", "pw-123456"))
        .unwrap_err();
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert!(api.body().is_withheld());
    assert_hidden(&err, "Yq1dd3Xw");
}

#[test]
fn a_withheld_body_keeps_its_length() {
    let body = r#"{"status":"success","orgSelectionToken":"o","orgs":"x"}"#;
    let c = client(move |_r: Request<Vec<u8>>| reply(200, "application/json", body));
    let Error::Decode(err) = c
        .send(&LoginWithPassword::new("jane", "pw-123456"))
        .unwrap_err()
    else {
        panic!("expected a decode error")
    };
    assert!(err.body().is_withheld());
    assert!(err.body().bytes().is_empty());
    assert_eq!(err.body().len(), body.len());
    assert!(!err.body().is_empty());
}

#[test]
fn white_space_and_tiny_trimmed_secrets_leave_text_alone() {
    let c = client(|_r: Request<Vec<u8>>| {
        json_reply(400, &json!({"status": "error", "message": "a b,x,c"}))
    });
    let raw = RawRequest::new(Method::POST, "/x")
        .secret(" ")
        .secret(" x ");
    let err = c.send(&raw).unwrap_err();
    // `" x "` itself is not in the message, and neither `" "` nor `"x"` count alone.
    assert_eq!(
        err.to_string(),
        "server answered HTTP 400 Bad Request: a b,x,c"
    );
}

#[test]
fn more_html_percent_and_json_encodings_are_found() {
    let cases: [(&str, &str, &str); 6] = [
        // PHP's htmlspecialchars with ENT_QUOTES; Go's html/template writes `+` as `&#43;`.
        (
            "it's-Zq9Wv",
            "text/html",
            "<p>bad password it&#039;s-Zq9Wv</p>",
        ),
        (
            "ab+cdZq9Wv",
            "text/html",
            "<p>bad password ab&#43;cdZq9Wv</p>",
        ),
        // A request body quoted twice by PHP's json_encode, `/` escaped each time.
        (
            "ab/cdZq9Wv",
            "application/json",
            r#"{"status":"error","message":"bad","request":"{\"password\":\"ab\\\/cdZq9Wv\"}"}"#,
        ),
        // Percent-encoded: lower-case hex with `+`; `/` left by Python's quote; `*` by forms.
        ("p/ss Zq9Wv", "text/plain", "rejected password=p%2fss+Zq9Wv"),
        ("p/ss Zq9Wv", "text/plain", "rejected password=p/ss%20Zq9Wv"),
        ("p*ss Zq9Wv", "text/plain", "rejected password=p*ss+Zq9Wv"),
    ];
    for (password, content_type, body) in cases {
        let c = client(move |_r: Request<Vec<u8>>| reply(400, content_type, body));
        let err = c
            .send(&LoginWithPassword::new("jane", password))
            .unwrap_err();
        assert_hidden(&err, "Zq9Wv");
    }
}

#[test]
fn what_only_looks_like_a_secret_is_left_alone() {
    let cases: [(&str, &str); 3] = [
        // A secret of Unicode white space alone.
        ("\u{a0}", "50\u{a0}km away"),
        // `\u+041` is no escape, and `\\u0041` is a backslash and then `u0041`.
        ("AZq9Wv", r"plus \u+041Zq9Wv"),
        ("AZq9Wv", r"slash \\u0041Zq9Wv"),
    ];
    for (secret, message) in cases {
        let body = serde_json::to_vec(&json!({"status": "error", "message": message})).unwrap();
        let c = client(move |_r: Request<Vec<u8>>| reply(400, "application/json", body.clone()));
        let raw = RawRequest::new(Method::POST, "/x").secret(secret);
        let Error::Api(err) = c.send(&raw).unwrap_err() else {
            panic!("expected an API error")
        };
        assert_eq!(err.message(), Some(message));
        assert!(
            !err.body().text().contains("[redacted]"),
            "{}",
            err.body().text()
        );
    }
}

//! Verifying webhook requests: tokens signed here, independently of the crate's own signer,
//! and calls the fake records, verified with the secret Subscribe answered.
#![cfg(feature = "webhooks")]

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use http::{HeaderMap, HeaderValue};
use proptest::prelude::*;
use rockit_edge::fake::FakeEdge;
use rockit_edge::subscriptions::{Event, EventType, Subscribe, Target, WEBHOOK_TOKEN_HEADER};
use rockit_edge::tasks::{AcknowledgeTask, ExpireTask};
use rockit_edge::triggers::{ProcessTraces, RetryTask};
use rockit_edge::webhooks::{verify, TokenPart, Verifier, WebhookClaims, WebhookError};
use rockit_edge::Secret;
use serde_json::{json, Number, Value};
use sha2::{Digest, Sha256};

use common::strategies::field;

const SECRET: &str = "whsec-test-3f9a1c";
const NOW_SECS: u64 = 1_750_000_000;
const BODY: &[u8] = include_bytes!("fixtures/subscriptions_webhook_body.json");

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(NOW_SECS)
}

fn secret() -> Secret {
    Secret::new(SECRET).unwrap()
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn body_digest(body: &[u8]) -> String {
    Sha256::digest(body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A JWT of `header` and `claims`, HMAC-SHA-256-signed with `key` whatever the header says.
fn jwt(header: &Value, claims: &Value, key: &[u8]) -> String {
    let signed = format!(
        "{}.{}",
        b64(&serde_json::to_vec(header).unwrap()),
        b64(&serde_json::to_vec(claims).unwrap())
    );
    format!("{signed}.{}", b64(&hmac(key, signed.as_bytes())))
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

fn hs256() -> Value {
    json!({"alg": "HS256", "typ": "JWT"})
}

/// Claims for `body`, made a minute ago and valid for five more.
fn claims(body: &[u8]) -> Value {
    json!({
        "bodySha256": body_digest(body),
        "iat": NOW_SECS - 60,
        "exp": NOW_SECS + 300,
    })
}

fn headers(token: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(WEBHOOK_TOKEN_HEADER, HeaderValue::from_str(token).unwrap());
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers
}

fn check(token: &str, body: &[u8]) -> Result<rockit_edge::webhooks::VerifiedEvent, WebhookError> {
    verify(&headers(token), body, &secret(), now())
}

/// The error, after checking that neither its message nor its `Debug` repeat the token or
/// the secret.
fn refused(token: &str, body: &[u8]) -> WebhookError {
    let err = check(token, body).unwrap_err();
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(!text.contains(SECRET), "{text}");
        for part in token.split('.').filter(|p| p.len() > 3) {
            assert!(!text.contains(part), "{text} repeats {part}");
        }
    }
    let message = err.to_string();
    assert!(
        message.starts_with(|c: char| c.is_ascii_lowercase()) && !message.ends_with('.'),
        "{message}"
    );
    err
}

#[test]
fn a_valid_token_verifies_and_gives_the_event_and_the_claims() {
    let token = jwt(&hs256(), &claims(BODY), SECRET.as_bytes());
    let verified = check(&token, BODY).unwrap();

    assert_eq!(verified.event.event_type, EventType::Dltar);
    assert_eq!(verified.event.event, Event::Submit);
    assert_eq!(verified.event.org_name, "string");
    assert_eq!(verified.event.dxf_name.get().unwrap(), "string");
    let claims = &verified.claims;
    assert_eq!(claims.body_sha256.get().unwrap(), &body_digest(BODY));
    assert_eq!(
        claims.issued_at.get().unwrap().as_u64(),
        Some(NOW_SECS - 60)
    );
    assert_eq!(
        claims.expires_at.get().unwrap().as_u64(),
        Some(NOW_SECS + 300)
    );
    assert!(claims.not_before.is_absent());
    let shown = format!("{verified:?}");
    assert!(
        !shown.contains(SECRET) && !shown.contains(&token),
        "{shown}"
    );
}

#[test]
fn unknown_events_members_and_claims_are_kept() {
    let body = br#"{"type":"export","event":"paused","orgName":"ExampleOrg","appName":"sushi","region":"eu"}"#;
    let mut claims = claims(body);
    claims["iss"] = json!("edge");
    let verified = check(&jwt(&hs256(), &claims, SECRET.as_bytes()), body).unwrap();
    assert_eq!(verified.event.event_type.as_str(), "export");
    assert!(!verified.event.event_type.is_known());
    assert_eq!(verified.event.event.as_str(), "paused");
    assert_eq!(verified.event.extra["region"], "eu");
    assert_eq!(verified.claims.extra["iss"], "edge");
}

#[test]
fn a_token_signed_with_another_secret_is_refused() {
    let token = jwt(&hs256(), &claims(BODY), b"whsec-someone-else");
    assert_eq!(refused(&token, BODY), WebhookError::SignatureMismatch);
    let verified =
        Verifier::new().verify_with_key(&headers(&token), BODY, b"whsec-someone-else", now());
    assert!(verified.is_ok());
}

#[test]
fn a_token_whose_claims_or_signature_were_changed_is_refused() {
    let token = jwt(&hs256(), &claims(BODY), SECRET.as_bytes());
    let parts: Vec<&str> = token.split('.').collect();

    let mut later = claims(BODY);
    later["exp"] = json!(NOW_SECS + 999_999);
    let swapped = format!(
        "{}.{}.{}",
        parts[0],
        b64(&serde_json::to_vec(&later).unwrap()),
        parts[2]
    );
    assert_eq!(refused(&swapped, BODY), WebhookError::SignatureMismatch);

    let mut signature = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
    signature[31] ^= 1;
    let flipped = format!("{}.{}.{}", parts[0], parts[1], b64(&signature));
    assert_eq!(refused(&flipped, BODY), WebhookError::SignatureMismatch);
    let short = format!("{}.{}.{}", parts[0], parts[1], b64(&signature[..16]));
    assert_eq!(refused(&short, BODY), WebhookError::SignatureMismatch);
    let empty = format!("{}.{}.", parts[0], parts[1]);
    assert_eq!(refused(&empty, BODY), WebhookError::SignatureMismatch);
}

#[test]
fn an_altered_body_is_refused() {
    let token = jwt(&hs256(), &claims(BODY), SECRET.as_bytes());
    let changed = String::from_utf8(BODY.to_vec())
        .unwrap()
        .replace("submit", "end");
    assert_eq!(
        refused(&token, changed.as_bytes()),
        WebhookError::BodyMismatch
    );
    let mut spaced = BODY.to_vec();
    spaced.push(b'\n');
    assert_eq!(refused(&token, &spaced), WebhookError::BodyMismatch);
    assert_eq!(refused(&token, b""), WebhookError::BodyMismatch);
}

#[test]
fn the_body_claim_is_required_and_must_be_hex() {
    let mut without = claims(BODY);
    without.as_object_mut().unwrap().remove("bodySha256");
    let token = jwt(&hs256(), &without, SECRET.as_bytes());
    assert_eq!(
        refused(&token, BODY),
        WebhookError::MissingClaim {
            claim: "bodySha256"
        }
    );

    let mut null = claims(BODY);
    null["bodySha256"] = Value::Null;
    let token = jwt(&hs256(), &null, SECRET.as_bytes());
    assert!(matches!(
        refused(&token, BODY),
        WebhookError::MissingClaim { .. }
    ));

    let mut upper = claims(BODY);
    upper["bodySha256"] = json!(body_digest(BODY).to_uppercase());
    assert!(check(&jwt(&hs256(), &upper, SECRET.as_bytes()), BODY).is_ok());

    for bad in [json!("not hex"), json!(&body_digest(BODY)[1..]), json!(7)] {
        let mut claims = claims(BODY);
        claims["bodySha256"] = bad.clone();
        let token = jwt(&hs256(), &claims, SECRET.as_bytes());
        assert_eq!(
            refused(&token, BODY),
            WebhookError::InvalidClaim {
                claim: "bodySha256".into()
            },
            "{bad}"
        );
    }
    // The digest of another body is well formed but does not match.
    let mut other = claims(BODY);
    other["bodySha256"] = json!(body_digest(b"{}"));
    let token = jwt(&hs256(), &other, SECRET.as_bytes());
    assert_eq!(refused(&token, BODY), WebhookError::BodyMismatch);
}

#[test]
fn an_expired_token_is_refused_once_past_the_leeway() {
    let with_exp = |exp: u64| {
        let mut claims = claims(BODY);
        claims["exp"] = json!(exp);
        jwt(&hs256(), &claims, SECRET.as_bytes())
    };
    assert!(check(&with_exp(NOW_SECS - 59), BODY).is_ok());
    assert!(check(&with_exp(NOW_SECS - 60), BODY).is_ok());
    let err = refused(&with_exp(NOW_SECS - 61), BODY);
    assert_eq!(
        err,
        WebhookError::Expired {
            expires_at: (NOW_SECS - 61) as i64,
            now: NOW_SECS as i64
        }
    );
    assert!(err.to_string().contains("expired"), "{err}");

    let strict = Verifier::new().leeway(Duration::ZERO);
    let token = with_exp(NOW_SECS - 1);
    let err = strict
        .verify(&headers(&token), BODY, &secret(), now())
        .unwrap_err();
    assert!(matches!(err, WebhookError::Expired { .. }), "{err}");
    let fractional = {
        let mut claims = claims(BODY);
        claims["exp"] = json!(NOW_SECS as f64 - 0.5);
        jwt(&hs256(), &claims, SECRET.as_bytes())
    };
    let err = strict
        .verify(&headers(&fractional), BODY, &secret(), now())
        .unwrap_err();
    assert!(matches!(err, WebhookError::Expired { .. }), "{err}");
}

#[test]
fn a_token_from_the_future_is_refused_once_past_the_leeway() {
    for claim in ["nbf", "iat"] {
        let with = |at: u64| {
            let mut claims = claims(BODY);
            claims[claim] = json!(at);
            jwt(&hs256(), &claims, SECRET.as_bytes())
        };
        assert!(check(&with(NOW_SECS + 60), BODY).is_ok(), "{claim}");
        let err = refused(&with(NOW_SECS + 61), BODY);
        assert_eq!(
            err,
            WebhookError::NotYetValid {
                claim,
                at: (NOW_SECS + 61) as i64,
                now: NOW_SECS as i64
            }
        );
        assert!(err.to_string().contains("not yet valid"), "{err}");
    }
}

#[test]
fn time_claims_must_be_numbers() {
    for claim in ["exp", "nbf", "iat"] {
        for bad in [json!("soon"), Value::Null, json!([1])] {
            let mut claims = claims(BODY);
            claims[claim] = bad.clone();
            let token = jwt(&hs256(), &claims, SECRET.as_bytes());
            assert_eq!(
                refused(&token, BODY),
                WebhookError::InvalidClaim {
                    claim: claim.into()
                },
                "{claim}: {bad}"
            );
        }
    }
}

#[test]
fn a_maximum_age_refuses_old_tokens_and_tokens_without_iat() {
    let verifier = Verifier::new().max_age(Duration::from_secs(300));
    let run = |claims: &Value| {
        let token = jwt(&hs256(), claims, SECRET.as_bytes());
        verifier.verify(&headers(&token), BODY, &secret(), now())
    };
    assert!(run(&claims(BODY)).is_ok());

    let mut old = claims(BODY);
    old["iat"] = json!(NOW_SECS - 361);
    old["exp"] = json!(NOW_SECS + 3600);
    assert_eq!(
        run(&old).unwrap_err(),
        WebhookError::TooOld {
            issued_at: (NOW_SECS - 361) as i64,
            now: NOW_SECS as i64
        }
    );
    old["iat"] = json!(NOW_SECS - 360);
    assert!(run(&old).is_ok());

    let mut without = claims(BODY);
    without.as_object_mut().unwrap().remove("iat");
    assert_eq!(
        run(&without).unwrap_err(),
        WebhookError::MissingClaim { claim: "iat" }
    );
    // Without a maximum age, neither `iat` nor `exp` is needed.
    without.as_object_mut().unwrap().remove("exp");
    assert!(check(&jwt(&hs256(), &without, SECRET.as_bytes()), BODY).is_ok());
}

#[test]
fn alg_none_is_refused_with_or_without_a_signature() {
    for alg in ["none", "None", "NONE"] {
        let header = json!({"alg": alg, "typ": "JWT"});
        let signed = format!(
            "{}.{}",
            b64(&serde_json::to_vec(&header).unwrap()),
            b64(&serde_json::to_vec(&claims(BODY)).unwrap())
        );
        let unsigned = format!("{signed}.");
        let want = WebhookError::Algorithm {
            alg: Some(format!("{alg:?}")),
        };
        assert_eq!(refused(&unsigned, BODY), want);
        let err = refused(&jwt(&header, &claims(BODY), SECRET.as_bytes()), BODY);
        assert_eq!(err, want);
        assert!(err.to_string().contains("refused"), "{err}");
    }
}

#[test]
fn every_other_algorithm_is_refused() {
    for alg in ["HS512", "HS384", "RS256", "ES256", "hs256", "HS256 "] {
        let header = json!({"alg": alg, "typ": "JWT"});
        let token = jwt(&header, &claims(BODY), SECRET.as_bytes());
        assert_eq!(
            refused(&token, BODY),
            WebhookError::Algorithm {
                alg: Some(format!("{alg:?}"))
            },
            "{alg}"
        );
    }
    for header in [
        json!({"typ": "JWT"}),
        json!({"alg": 256}),
        json!({"alg": null}),
    ] {
        let token = jwt(&header, &claims(BODY), SECRET.as_bytes());
        assert_eq!(
            refused(&token, BODY),
            WebhookError::Algorithm { alg: None },
            "{header}"
        );
    }
    let long = "X".repeat(500);
    let token = jwt(&json!({ "alg": long }), &claims(BODY), SECRET.as_bytes());
    let err = refused(&token, BODY);
    assert!(err.to_string().len() < 200, "{err}");
}

#[test]
fn critical_extensions_are_refused() {
    let header = json!({"alg": "HS256", "crit": ["b64"], "b64": false});
    let token = jwt(&header, &claims(BODY), SECRET.as_bytes());
    assert_eq!(refused(&token, BODY), WebhookError::CriticalHeader);
}

#[test]
fn malformed_tokens_name_what_is_wrong() {
    let good = jwt(&hs256(), &claims(BODY), SECRET.as_bytes());
    let parts: Vec<&str> = good.split('.').collect();
    let join = |a: &str, b: &str, c: &str| format!("{a}.{b}.{c}");

    for not_a_jwt in [
        "x".to_owned(),
        "a.b".to_owned(),
        format!("{good}.x"),
        "..".to_owned(),
        join("", parts[1], parts[2]),
        join(parts[0], "", parts[2]),
    ] {
        assert_eq!(
            refused(&not_a_jwt, BODY),
            WebhookError::NotAJwt,
            "{not_a_jwt}"
        );
    }

    let padded_header = URL_SAFE.encode(br#"{"alg":"HS256","t":10}"#);
    assert!(
        padded_header.ends_with('='),
        "pick a header that needs padding"
    );
    for (token, part) in [
        (join("e30*", parts[1], parts[2]), TokenPart::Header),
        (join(&padded_header, parts[1], parts[2]), TokenPart::Header),
        (join(parts[0], parts[1], "a+b/"), TokenPart::Signature),
        (join(parts[0], parts[1], "x"), TokenPart::Signature),
    ] {
        assert_eq!(
            refused(&token, BODY),
            WebhookError::BadBase64 { part },
            "{token}"
        );
    }

    for header in [
        b"not json".as_slice(),
        b"[\"HS256\"]",
        b"\"HS256\"",
        b"{\"alg\":",
    ] {
        let token = join(&b64(header), parts[1], parts[2]);
        assert_eq!(refused(&token, BODY), WebhookError::HeaderNotJson);
    }

    // Claims are decoded only once the signature verifies, so sign the bad ones.
    let signed = |header: &str, claims: &str| {
        let text = format!("{header}.{claims}");
        format!("{text}.{}", b64(&hmac(SECRET.as_bytes(), text.as_bytes())))
    };
    let bad_claims = signed(parts[0], "e30*");
    assert_eq!(
        refused(&bad_claims, BODY),
        WebhookError::BadBase64 {
            part: TokenPart::Claims
        }
    );
    for claims in [b"not json".as_slice(), b"[1,2]", b"{\"exp\":1", b"{} {}"] {
        let token = signed(parts[0], &b64(claims));
        assert_eq!(
            refused(&token, BODY),
            WebhookError::ClaimsNotJson,
            "{}",
            String::from_utf8_lossy(claims)
        );
    }
    let twice = signed(parts[0], &b64(br#"{"exp":1,"exp":2}"#));
    assert!(matches!(
        refused(&twice, BODY),
        WebhookError::ClaimsNotJson | WebhookError::InvalidClaim { .. }
    ));
}

#[test]
fn the_header_must_be_there_once_and_readable() {
    let token = jwt(&hs256(), &claims(BODY), SECRET.as_bytes());
    let empty = HeaderMap::new();
    let err = verify(&empty, BODY, &secret(), now()).unwrap_err();
    assert_eq!(err, WebhookError::MissingHeader);
    assert_eq!(
        err.to_string(),
        "the request has no x-rockit-subscriptions header"
    );

    let mut twice = headers(&token);
    twice.append(WEBHOOK_TOKEN_HEADER, HeaderValue::from_str(&token).unwrap());
    assert_eq!(
        verify(&twice, BODY, &secret(), now()).unwrap_err(),
        WebhookError::RepeatedHeader
    );

    let mut odd = HeaderMap::new();
    odd.insert(
        WEBHOOK_TOKEN_HEADER,
        HeaderValue::from_bytes(b"\xffabc.def.ghi").unwrap(),
    );
    assert_eq!(
        verify(&odd, BODY, &secret(), now()).unwrap_err(),
        WebhookError::NotAJwt
    );

    // Header names are case-insensitive, so a capitalised header is the same header.
    let mut capitalised = HeaderMap::new();
    capitalised.insert(
        http::HeaderName::from_bytes(b"X-Rockit-Subscriptions").unwrap(),
        HeaderValue::from_str(&token).unwrap(),
    );
    assert!(verify(&capitalised, BODY, &secret(), now()).is_ok());
}

#[test]
fn a_signed_body_that_is_not_an_event_names_the_json_path() {
    let cases: [(&[u8], &str); 5] = [
        (
            br#"{"type":"dltar","event":"end","orgName":5,"appName":"a"}"#,
            "orgName",
        ),
        (
            br#"{"type":"dltar","event":"end","orgName":"o","appName":"a","exception":[]}"#,
            "exception",
        ),
        (br#"{"type":"dltar","event":"end","orgName":"o"}"#, "."),
        (b"[1]", "."),
        (b"not json", "."),
    ];
    for (body, path) in cases {
        let token = jwt(&hs256(), &claims(body), SECRET.as_bytes());
        match refused(&token, body) {
            WebhookError::NotAnEvent { path: got, message } => {
                assert_eq!(got, path, "{}", String::from_utf8_lossy(body));
                assert!(!message.is_empty());
            }
            other => panic!("expected NotAnEvent, got {other:?}"),
        }
    }
    let token = jwt(&hs256(), &claims(br#"{"orgName":5}"#), SECRET.as_bytes());
    let err = refused(&token, br#"{"orgName":5}"#);
    assert!(
        err.to_string()
            .starts_with("the body is not a webhook event"),
        "{err}"
    );

    let trailing = br#"{"type":"dltar","event":"end","orgName":"o","appName":"a"} x"#;
    let token = jwt(&hs256(), &claims(trailing), SECRET.as_bytes());
    assert!(matches!(
        refused(&token, trailing),
        WebhookError::NotAnEvent { .. }
    ));
}

#[test]
fn the_fakes_calls_verify_with_the_secret_subscribe_answered() {
    let fake = FakeEdge::seeded();
    let client = fake.client();
    let subscribe = Subscribe::new("ci_builds", Target::webhook("https://ci.example.com/b"))
        .events(EventType::Mkraw, [Event::Submit])
        .events(EventType::Deploy, [Event::Begin]);
    let secret = client
        .send(&subscribe)
        .unwrap()
        .secret
        .into_option()
        .unwrap();
    fake.take_webhook_calls();

    client.send(&ProcessTraces::new("sushi")).unwrap();
    client
        .send(&RetryTask::new("ExampleOrg-ramen-0012-1740047400-deploy"))
        .unwrap();
    let calls = fake.take_webhook_calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert!(fake.webhook_calls().is_empty());

    let events: Vec<_> = calls
        .iter()
        .map(|call| {
            assert_eq!(call.subscription, "ci_builds");
            assert_eq!(call.url, "https://ci.example.com/b");
            assert_eq!(call.headers[http::header::CONTENT_TYPE], "application/json");
            let verified = verify(&call.headers, &call.body, &secret, SystemTime::now()).unwrap();
            let claims = &verified.claims;
            let iat = claims.issued_at.get().unwrap().as_i64().unwrap();
            let exp = claims.expires_at.get().unwrap().as_i64().unwrap();
            assert_eq!(exp - iat, 300);
            verified.event
        })
        .collect();
    assert_eq!(
        (&events[0].event_type, &events[0].event),
        (&EventType::Mkraw, &Event::Submit)
    );
    assert_eq!(events[0].app_name, "sushi");
    assert_eq!(events[0].org_name, "ExampleOrg");
    assert_eq!(
        (&events[1].event_type, &events[1].event),
        (&EventType::Deploy, &Event::Begin)
    );
    assert_eq!(events[1].app_name, "ramen");
    assert_eq!(events[1].build_name.get().unwrap(), "0012");

    // Another subscription's secret, a changed body, a stale clock: refused.
    let seeded = Secret::new(fake.webhook_secret("ci_hook").unwrap()).unwrap();
    let call = &calls[0];
    assert_eq!(
        verify(&call.headers, &call.body, &seeded, SystemTime::now()).unwrap_err(),
        WebhookError::SignatureMismatch
    );
    let mut body = call.body.clone();
    body[0] = b' ';
    assert_eq!(
        verify(&call.headers, &body, &secret, SystemTime::now()).unwrap_err(),
        WebhookError::BodyMismatch
    );
    let later = SystemTime::now() + Duration::from_secs(3600);
    assert!(matches!(
        verify(&call.headers, &call.body, &secret, later).unwrap_err(),
        WebhookError::Expired { .. }
    ));
}

#[test]
fn an_expired_task_tells_the_seeded_webhook_with_its_exception() {
    let fake = FakeEdge::seeded();
    let client = fake.client();
    let name = "ExampleOrg-sushi-0003-1739273968-dltar";
    let alert = fake.task(name).unwrap().alert;
    client.send(&ExpireTask::new(name)).unwrap();

    let calls = fake.take_webhook_calls();
    let call = calls.iter().find(|c| c.subscription == "ci_hook").unwrap();
    let secret = Secret::new(fake.webhook_secret("ci_hook").unwrap()).unwrap();
    let event = verify(&call.headers, &call.body, &secret, SystemTime::now())
        .unwrap()
        .event;
    assert_eq!(
        (event.event_type, event.event),
        (EventType::Dltar, Event::Error)
    );
    assert_eq!(event.exception, alert.into_option().unwrap().exception);
    assert!(event.exception.is_value());

    let shown = format!("{call:?}");
    let token = call.headers[WEBHOOK_TOKEN_HEADER].to_str().unwrap();
    assert!(!shown.contains(token), "{shown}");
    assert!(!shown.contains(secret.expose()), "{shown}");

    client.send(&ExpireTask::new(name)).unwrap();
    client
        .send(&AcknowledgeTask::new(
            "ExampleOrg-sushi-0004-1739452800-mkraw",
        ))
        .unwrap();
    assert!(fake.webhook_calls().is_empty(), "no state changed");
}

proptest! {
    #[test]
    fn any_header_and_body_are_refused_without_panicking(
        header in proptest::collection::vec(any::<u8>(), 0..200),
        body in proptest::collection::vec(any::<u8>(), 0..200),
    ) {
        let mut headers = HeaderMap::new();
        if let Ok(value) = HeaderValue::from_bytes(&header) {
            headers.insert(WEBHOOK_TOKEN_HEADER, value);
        }
        prop_assert!(verify(&headers, &body, &secret(), now()).is_err());
    }

    #[test]
    fn tokens_of_arbitrary_parts_are_refused_without_panicking(
        header in proptest::collection::vec(any::<u8>(), 0..60),
        claims in proptest::collection::vec(any::<u8>(), 0..60),
        signature in proptest::collection::vec(any::<u8>(), 0..40),
        sign in any::<bool>(),
        body in proptest::collection::vec(any::<u8>(), 0..60),
    ) {
        let signed = format!("{}.{}", b64(&header), b64(&claims));
        let signature = if sign { hmac(SECRET.as_bytes(), signed.as_bytes()) } else { signature };
        let token = format!("{signed}.{}", b64(&signature));
        let result = verify(&headers(&token), &body, &secret(), now());
        // Nothing random names HS256 and carries the body's digest.
        prop_assert!(result.is_err());
    }

    #[test]
    fn only_the_signed_body_verifies(
        flip in 0..BODY.len(),
        bit in 0u8..8,
    ) {
        let token = jwt(&hs256(), &claims(BODY), SECRET.as_bytes());
        let mut body = BODY.to_vec();
        body[flip] ^= 1 << bit;
        prop_assert_eq!(check(&token, &body).unwrap_err(), WebhookError::BodyMismatch);
    }
}

fn number() -> impl Strategy<Value = Number> {
    prop_oneof![
        any::<i64>().prop_map(Number::from),
        any::<u64>().prop_map(Number::from),
        // Quarter seconds print and parse back exactly, as serde_json's default float
        // parsing does not promise for every float.
        (-8_000_000_000i64..8_000_000_000)
            .prop_filter_map("finite", |q| Number::from_f64(q as f64 / 4.0)),
    ]
}

fn claims_model() -> impl Strategy<Value = WebhookClaims> {
    let extra = proptest::collection::btree_map(
        "[a-z]{1,8}".prop_filter("not typed", |k| {
            !WebhookClaims::MEMBERS.contains(&k.as_str())
        }),
        prop_oneof![
            any::<i64>().prop_map(Value::from),
            ".{0,12}".prop_map(Value::from),
            Just(Value::Null),
            Just(json!({"nested": [1, "two"]})),
        ],
        0..4,
    );
    (
        field("[0-9a-f]{64}"),
        field(number()),
        field(number()),
        field(number()),
        extra,
    )
        .prop_map(
            |(body_sha256, issued_at, not_before, expires_at, extra)| WebhookClaims {
                body_sha256,
                issued_at,
                not_before,
                expires_at,
                extra: extra.into_iter().collect(),
            },
        )
}

proptest! {
    #[test]
    fn claims_encode_and_decode_to_themselves(claims in claims_model()) {
        let bytes = serde_json::to_vec(&claims).unwrap();
        let back: WebhookClaims = serde_json::from_slice(&bytes).unwrap();
        prop_assert_eq!(&back, &claims);
        let value = serde_json::to_value(&claims).unwrap();
        let again: Value = serde_json::to_value(serde_json::from_value::<WebhookClaims>(value.clone()).unwrap()).unwrap();
        prop_assert_eq!(again, value);
    }
}

//! Verification of the requests Edge sends to webhooks (feature `webhooks`).
//!
//! Edge posts a [`WebhookEvent`] as JSON to every webhook subscribed to it, with a JWT in the
//! [`WEBHOOK_TOKEN_HEADER`] header that verifies with the secret Subscribe answered. This
//! module checks such a request without doing any I/O: give [`verify`] the headers and the
//! raw body your server received, the secret and the current time, and it answers the event
//! or a [`WebhookError`] naming what is wrong.
//!
//! The reference names the header and says the token verifies with the secret; the rest is
//! assumed in [`crate::assumed::subscriptions`]: the token is signed with
//! [`SUBSCRIPTIONS_WEBHOOK_ALGORITHM`] (HS256, keyed with the secret's bytes; every other
//! algorithm, `none` included, is refused) and its claims carry the SHA-256 of the raw body
//! as [`SUBSCRIPTIONS_WEBHOOK_BODY_CLAIM`], which verification requires, so that a body
//! altered on the way fails even under a valid token. `exp`, `nbf` and `iat` are checked
//! when present, with a leeway for clocks that disagree; a [`Verifier`] sets the leeway and
//! a maximum token age.
//!
//! ```
//! use std::time::SystemTime;
//!
//! use rockit_edge::fake::FakeEdge;
//! use rockit_edge::subscriptions::{Event, EventType, Subscribe, Target};
//! use rockit_edge::triggers::ProcessTraces;
//! use rockit_edge::webhooks;
//!
//! let fake = FakeEdge::seeded();
//! let client = fake.client();
//! let subscribe = Subscribe::new("builds", Target::webhook("https://ci.example.com/edge"))
//!     .events(EventType::Mkraw, [Event::Submit]);
//! let secret = client.send(&subscribe).unwrap().secret.into_option().unwrap();
//! client.send(&ProcessTraces::new("sushi")).unwrap();
//!
//! // What a webhook server would have received:
//! let call = fake.take_webhook_calls().pop().unwrap();
//! let verified = webhooks::verify(&call.headers, &call.body, &secret, SystemTime::now()).unwrap();
//! assert_eq!(verified.event.event, Event::Submit);
//! assert_eq!(verified.event.app_name, "sushi");
//!
//! let mut altered = call.body.clone();
//! altered.push(b' ');
//! let err = webhooks::verify(&call.headers, &altered, &secret, SystemTime::now()).unwrap_err();
//! assert_eq!(err, webhooks::WebhookError::BodyMismatch);
//! ```

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use http::HeaderMap;
use serde_json::{Map, Number, Value};
use sha2::{Digest, Sha256};

use crate::assumed::subscriptions::{
    SUBSCRIPTIONS_WEBHOOK_ALGORITHM, SUBSCRIPTIONS_WEBHOOK_BODY_CLAIM,
};
use crate::model::{model, Extra, Field};
use crate::secret::Secret;
pub use crate::subscriptions::{WebhookEvent, WEBHOOK_TOKEN_HEADER};

type HmacSha256 = Hmac<Sha256>;

/// The JOSE header member that names the algorithm.
const ALG: &str = "alg";
/// The JOSE header member that lists extensions a receiver must understand; this module
/// understands none.
const CRIT: &str = "crit";
const ISSUED_AT: &str = "iat";
const NOT_BEFORE: &str = "nbf";
const EXPIRES_AT: &str = "exp";

/// How much of an unexpected `alg` value an error repeats.
const MAX_ALG_CHARS: usize = 32;
/// How much of a decoding message an error repeats.
const MAX_MESSAGE_CHARS: usize = 200;

model! {
    /// The claims of a webhook's token, once its signature has been verified.
    ///
    /// Times are JSON numbers of seconds since the Unix epoch, as JWTs write them.
    pub struct WebhookClaims {
        /// The SHA-256 of the raw body, in hex.
        optional body_sha256: String = SUBSCRIPTIONS_WEBHOOK_BODY_CLAIM,
        /// When the token was made (`iat`).
        optional issued_at: Number = ISSUED_AT,
        /// The token is not valid before this time (`nbf`).
        optional not_before: Number = NOT_BEFORE,
        /// The token is not valid after this time (`exp`).
        optional expires_at: Number = EXPIRES_AT,
    }
}

/// A webhook request whose token verified and whose body is the event it claims.
///
/// `Debug` shows the event and the claims; neither holds the token or the secret.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct VerifiedEvent {
    /// The body, decoded; unknown members and event values are kept.
    pub event: WebhookEvent,
    /// The token's claims.
    pub claims: WebhookClaims,
}

/// The part of a token that failed to decode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenPart {
    /// The JOSE header, the first part.
    Header,
    /// The claims, the second part.
    Claims,
    /// The signature, the third part.
    Signature,
}

impl fmt::Display for TokenPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TokenPart::Header => "header",
            TokenPart::Claims => "claims",
            TokenPart::Signature => "signature",
        })
    }
}

/// Why a webhook request did not verify.
///
/// Messages are lower case and name the reason; none repeats the token or the secret.
///
/// ```
/// use rockit_edge::webhooks::WebhookError;
///
/// assert_eq!(
///     WebhookError::MissingHeader.to_string(),
///     "the request has no x-rockit-subscriptions header"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// The request has no [`WEBHOOK_TOKEN_HEADER`] header.
    MissingHeader,
    /// The request has the header more than once.
    RepeatedHeader,
    /// The header is not three parts joined by dots in printable ASCII.
    NotAJwt,
    /// A part of the token is not unpadded base64url.
    BadBase64 {
        /// Which part.
        part: TokenPart,
    },
    /// The token's header is not a JSON object.
    HeaderNotJson,
    /// The token's algorithm is not HS256.
    Algorithm {
        /// The `alg` the token names, shortened and escaped; `None` when it names none as
        /// text.
        alg: Option<String>,
    },
    /// The token's header lists extensions (`crit`) that must be understood.
    CriticalHeader,
    /// The signature was not made with this secret over this token.
    SignatureMismatch,
    /// The token's claims are not a JSON object.
    ClaimsNotJson,
    /// A claim has a value of the wrong kind.
    InvalidClaim {
        /// The claim, as a JSON path.
        claim: String,
    },
    /// A claim that verification needs is missing or `null`.
    MissingClaim {
        /// Its name.
        claim: &'static str,
    },
    /// The token expired: its `exp` is further in the past than the leeway allows.
    Expired {
        /// Its `exp`, in whole seconds since the Unix epoch.
        expires_at: i64,
        /// The time verified at, likewise.
        now: i64,
    },
    /// The token's `nbf` or `iat` is further in the future than the leeway allows.
    NotYetValid {
        /// `nbf` or `iat`.
        claim: &'static str,
        /// Its value, in whole seconds since the Unix epoch.
        at: i64,
        /// The time verified at, likewise.
        now: i64,
    },
    /// The token was made longer ago than [`Verifier::max_age`] allows.
    TooOld {
        /// Its `iat`, in whole seconds since the Unix epoch.
        issued_at: i64,
        /// The time verified at, likewise.
        now: i64,
    },
    /// The body is not the one the token was made for.
    BodyMismatch,
    /// The body verified but is not a webhook event.
    NotAnEvent {
        /// The JSON path of the value that failed; `.` for the body as a whole.
        path: String,
        /// What is wrong with it.
        message: String,
    },
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::MissingHeader => {
                write!(f, "the request has no {WEBHOOK_TOKEN_HEADER} header")
            }
            WebhookError::RepeatedHeader => {
                write!(f, "the request has more than one {WEBHOOK_TOKEN_HEADER} header")
            }
            WebhookError::NotAJwt => write!(
                f,
                "the {WEBHOOK_TOKEN_HEADER} header is not a JWT of three dot-separated parts"
            ),
            WebhookError::BadBase64 { part } => {
                write!(f, "the token's {part} is not unpadded base64url")
            }
            WebhookError::HeaderNotJson => f.write_str("the token's header is not a JSON object"),
            WebhookError::Algorithm { alg: Some(alg) } => write!(
                f,
                "the token's algorithm {alg} is refused; only {SUBSCRIPTIONS_WEBHOOK_ALGORITHM} is accepted"
            ),
            WebhookError::Algorithm { alg: None } => write!(
                f,
                "the token names no algorithm; only {SUBSCRIPTIONS_WEBHOOK_ALGORITHM} is accepted"
            ),
            WebhookError::CriticalHeader => {
                f.write_str("the token's header lists critical extensions, which are not supported")
            }
            WebhookError::SignatureMismatch => {
                f.write_str("the token's signature does not match the secret")
            }
            WebhookError::ClaimsNotJson => f.write_str("the token's claims are not a JSON object"),
            WebhookError::InvalidClaim { claim } => {
                write!(f, "the token's claim `{claim}` has a value of the wrong kind")
            }
            WebhookError::MissingClaim { claim } => {
                write!(f, "the token has no `{claim}` claim")
            }
            WebhookError::Expired { expires_at, now } => write!(
                f,
                "the token expired: `exp` is {expires_at}, now is {now}"
            ),
            WebhookError::NotYetValid { claim, at, now } => write!(
                f,
                "the token is not yet valid: `{claim}` is {at}, now is {now}"
            ),
            WebhookError::TooOld { issued_at, now } => write!(
                f,
                "the token is too old: `iat` is {issued_at}, now is {now}"
            ),
            WebhookError::BodyMismatch => f.write_str("the body does not match the token"),
            WebhookError::NotAnEvent { path, message } => {
                write!(f, "the body is not a webhook event: at {path}: {message}")
            }
        }
    }
}

impl std::error::Error for WebhookError {}

/// Verifies a webhook request with the default [`Verifier`]: 60 s of leeway, no maximum age.
///
/// `headers` and `body` are the request as received, `secret` the one Subscribe answered,
/// `now` the current time (`SystemTime::now()`, or a fixed time in tests).
///
/// ```
/// use std::time::SystemTime;
///
/// use rockit_edge::webhooks::{verify, WebhookError};
/// use rockit_edge::Secret;
///
/// let secret = Secret::new("whsec-1").unwrap();
/// let headers = http::HeaderMap::new();
/// let err = verify(&headers, b"{}", &secret, SystemTime::now()).unwrap_err();
/// assert_eq!(err, WebhookError::MissingHeader);
/// ```
pub fn verify(
    headers: &HeaderMap,
    body: &[u8],
    secret: &Secret,
    now: SystemTime,
) -> Result<VerifiedEvent, WebhookError> {
    Verifier::new().verify(headers, body, secret, now)
}

/// How webhook requests are verified: the leeway for clocks and the maximum token age.
///
/// ```
/// use std::time::Duration;
///
/// use rockit_edge::webhooks::Verifier;
///
/// let verifier = Verifier::new()
///     .leeway(Duration::from_secs(5))
///     .max_age(Duration::from_secs(300));
/// assert_eq!(verifier.leeway_duration(), Duration::from_secs(5));
/// assert_eq!(Verifier::new().leeway_duration(), Verifier::DEFAULT_LEEWAY);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verifier {
    leeway: Duration,
    max_age: Option<Duration>,
}

impl Default for Verifier {
    fn default() -> Self {
        Verifier {
            leeway: Verifier::DEFAULT_LEEWAY,
            max_age: None,
        }
    }
}

impl Verifier {
    /// The leeway unless [`Verifier::leeway`] sets another: 60 seconds.
    pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(60);

    /// 60 seconds of leeway and no maximum age.
    pub fn new() -> Self {
        Verifier::default()
    }

    /// How far the sender's clock may be from `now`: a token counts as expired only
    /// `leeway` after its `exp`, and as not yet valid only when its `nbf` or `iat` is more
    /// than `leeway` ahead.
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// Refuses tokens made more than `max_age` (plus the leeway) before `now`, and tokens
    /// without `iat`. Without it a token without `exp` never expires, so a request captured
    /// on the way could be replayed.
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = Some(max_age);
        self
    }

    /// The leeway in use.
    pub fn leeway_duration(&self) -> Duration {
        self.leeway
    }

    /// The maximum age in use, if any.
    pub fn max_age_duration(&self) -> Option<Duration> {
        self.max_age
    }

    /// Verifies a webhook request with the secret Subscribe answered; see [`verify`].
    pub fn verify(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        secret: &Secret,
        now: SystemTime,
    ) -> Result<VerifiedEvent, WebhookError> {
        self.verify_with_key(headers, body, secret.expose().as_bytes(), now)
    }

    /// Like [`Verifier::verify`], keyed with `key` as it is: for a secret kept in another
    /// form than the text Subscribe answered.
    pub fn verify_with_key(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        key: &[u8],
        now: SystemTime,
    ) -> Result<VerifiedEvent, WebhookError> {
        let token = token(headers)?;
        let claims = verified_claims(token, key)?;
        self.check_times(&claims, now)?;
        check_body(&claims, body)?;
        let event = decode_event(body)?;
        Ok(VerifiedEvent { event, claims })
    }

    fn check_times(&self, claims: &WebhookClaims, now: SystemTime) -> Result<(), WebhookError> {
        let now = seconds_since_epoch(now);
        let leeway = self.leeway.as_secs_f64();
        let whole = |seconds: f64| seconds.floor() as i64;

        if let Some(exp) = time_claim(&claims.expires_at, EXPIRES_AT)? {
            if now > exp + leeway {
                return Err(WebhookError::Expired {
                    expires_at: whole(exp),
                    now: whole(now),
                });
            }
        }
        for (claim, field) in [
            (NOT_BEFORE, &claims.not_before),
            (ISSUED_AT, &claims.issued_at),
        ] {
            if let Some(at) = time_claim(field, claim)? {
                if at > now + leeway {
                    return Err(WebhookError::NotYetValid {
                        claim,
                        at: whole(at),
                        now: whole(now),
                    });
                }
            }
        }
        if let Some(max_age) = self.max_age {
            let issued_at = time_claim(&claims.issued_at, ISSUED_AT)?
                .ok_or(WebhookError::MissingClaim { claim: ISSUED_AT })?;
            if now - issued_at > max_age.as_secs_f64() + leeway {
                return Err(WebhookError::TooOld {
                    issued_at: whole(issued_at),
                    now: whole(now),
                });
            }
        }
        Ok(())
    }
}

/// The token of the one token header.
fn token(headers: &HeaderMap) -> Result<&str, WebhookError> {
    let mut values = headers.get_all(WEBHOOK_TOKEN_HEADER).iter();
    let value = values.next().ok_or(WebhookError::MissingHeader)?;
    if values.next().is_some() {
        return Err(WebhookError::RepeatedHeader);
    }
    value.to_str().map_err(|_| WebhookError::NotAJwt)
}

/// Checks the token's header and signature, then decodes its claims.
fn verified_claims(token: &str, key: &[u8]) -> Result<WebhookClaims, WebhookError> {
    let mut parts = token.split('.');
    let (Some(header), Some(claims), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(WebhookError::NotAJwt);
    };
    if header.is_empty() || claims.is_empty() {
        return Err(WebhookError::NotAJwt);
    }

    check_header(&base64url(header, TokenPart::Header)?)?;

    let signature = base64url(signature, TokenPart::Signature)?;
    let mut mac = HmacSha256::new_from_slice(key).map_err(|_| WebhookError::SignatureMismatch)?;
    // What was signed is the text of the first two parts, dot included.
    let signed = token
        .get(..header.len() + 1 + claims.len())
        .ok_or(WebhookError::NotAJwt)?;
    mac.update(signed.as_bytes());
    mac.verify_slice(&signature)
        .map_err(|_| WebhookError::SignatureMismatch)?;

    decode_claims(&base64url(claims, TokenPart::Claims)?)
}

fn base64url(part: &str, which: TokenPart) -> Result<Vec<u8>, WebhookError> {
    URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| WebhookError::BadBase64 { part: which })
}

/// Accepts only a header that names HS256 and asks for no extension.
fn check_header(bytes: &[u8]) -> Result<(), WebhookError> {
    let header: Map<String, Value> =
        serde_json::from_slice(bytes).map_err(|_| WebhookError::HeaderNotJson)?;
    match header.get(ALG) {
        Some(Value::String(alg)) if alg == SUBSCRIPTIONS_WEBHOOK_ALGORITHM => {}
        Some(Value::String(alg)) => {
            let shown: String = alg.chars().take(MAX_ALG_CHARS).collect();
            return Err(WebhookError::Algorithm {
                alg: Some(format!("{shown:?}")),
            });
        }
        _ => return Err(WebhookError::Algorithm { alg: None }),
    }
    if header.contains_key(CRIT) {
        return Err(WebhookError::CriticalHeader);
    }
    Ok(())
}

fn decode_claims(bytes: &[u8]) -> Result<WebhookClaims, WebhookError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let claims: WebhookClaims = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_data() && path != "." {
            WebhookError::InvalidClaim { claim: path }
        } else {
            WebhookError::ClaimsNotJson
        }
    })?;
    de.end().map_err(|_| WebhookError::ClaimsNotJson)?;
    Ok(claims)
}

/// A time claim in seconds since the Unix epoch, when present; `null` is refused.
fn time_claim(field: &Field<Number>, claim: &'static str) -> Result<Option<f64>, WebhookError> {
    match field {
        Field::Absent => Ok(None),
        Field::Value(n) => n
            .as_f64()
            .filter(|s| s.is_finite())
            .map(Some)
            .ok_or_else(|| WebhookError::InvalidClaim {
                claim: claim.to_owned(),
            }),
        Field::Null => Err(WebhookError::InvalidClaim {
            claim: claim.to_owned(),
        }),
    }
}

fn seconds_since_epoch(time: SystemTime) -> f64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => after.as_secs_f64(),
        Err(before) => -before.duration().as_secs_f64(),
    }
}

/// Checks that the token was made for exactly these bytes.
fn check_body(claims: &WebhookClaims, body: &[u8]) -> Result<(), WebhookError> {
    let claimed = claims.body_sha256.get().ok_or(WebhookError::MissingClaim {
        claim: SUBSCRIPTIONS_WEBHOOK_BODY_CLAIM,
    })?;
    let claimed = from_hex(claimed).ok_or_else(|| WebhookError::InvalidClaim {
        claim: SUBSCRIPTIONS_WEBHOOK_BODY_CLAIM.to_owned(),
    })?;
    // The digest of a body is no secret, so a plain comparison leaks nothing.
    if claimed.as_slice() == Sha256::digest(body).as_slice() {
        Ok(())
    } else {
        Err(WebhookError::BodyMismatch)
    }
}

fn decode_event(body: &[u8]) -> Result<WebhookEvent, WebhookError> {
    let not_an_event = |path: String, message: String| {
        let mut message = message;
        if let Some((cut, _)) = message.char_indices().nth(MAX_MESSAGE_CHARS) {
            message.truncate(cut);
            message.push('…');
        }
        WebhookError::NotAnEvent { path, message }
    };
    let mut de = serde_json::Deserializer::from_slice(body);
    let event = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| not_an_event(e.path().to_string(), e.into_inner().to_string()))?;
    de.end()
        .map_err(|e| not_an_event(".".to_owned(), e.to_string()))?;
    Ok(event)
}

/// Lower-case hex, as the body claim carries it.
fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        text.push(char::from(DIGITS[usize::from(b >> 4)]));
        text.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    text
}

/// Hex of either case; `None` for anything else, an odd length included.
fn from_hex(text: &str) -> Option<Vec<u8>> {
    let digit = |c: u8| {
        char::from(c)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    };
    let bytes = text.as_bytes();
    if bytes.len() % 2 != 0 {
        return None;
    }
    bytes
        .chunks_exact(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

/// Signs `body` the way this module verifies it: HS256 over claims that carry the body's
/// digest, made at `issued_at` and expiring `lifetime` later.
pub(crate) fn sign(body: &[u8], key: &[u8], issued_at: SystemTime, lifetime: Duration) -> String {
    let issued = seconds_since_epoch(issued_at).floor() as i64;
    let expires = issued.saturating_add(i64::try_from(lifetime.as_secs()).unwrap_or(i64::MAX));
    let claims = WebhookClaims {
        body_sha256: Field::Value(to_hex(&Sha256::digest(body))),
        issued_at: Field::Value(Number::from(issued)),
        not_before: Field::Absent,
        expires_at: Field::Value(Number::from(expires)),
        extra: Extra::new(),
    };
    let header = serde_json::json!({ ALG: SUBSCRIPTIONS_WEBHOOK_ALGORITHM, "typ": "JWT" });
    // Maps of strings and numbers always serialize.
    let encode = |value: Vec<u8>| URL_SAFE_NO_PAD.encode(value);
    let mut token = format!(
        "{}.{}",
        encode(serde_json::to_vec(&header).unwrap_or_default()),
        encode(serde_json::to_vec(&claims).unwrap_or_default())
    );
    // HMAC takes a key of any length, so this never falls back.
    if let Ok(mut mac) = HmacSha256::new_from_slice(key) {
        mac.update(token.as_bytes());
        let signature = encode(mac.finalize().into_bytes().to_vec());
        token.push('.');
        token.push_str(&signature);
    }
    token
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_refuses_what_is_not_hex() {
        let bytes = [0x00, 0x7f, 0x80, 0xff, 0x1a];
        assert_eq!(to_hex(&bytes), "007f80ff1a");
        assert_eq!(from_hex("007f80ff1a").unwrap(), bytes);
        assert_eq!(from_hex("007F80FF1A").unwrap(), bytes);
        assert_eq!(from_hex("").unwrap(), Vec::<u8>::new());
        for bad in ["0", "0g", "+1", " 1", "é1"] {
            assert_eq!(from_hex(bad), None, "{bad}");
        }
    }

    #[test]
    fn signed_tokens_verify_and_carry_the_times_asked_for() {
        let at = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let token = sign(b"{}", b"k", at, Duration::from_secs(300));
        let claims = verified_claims(&token, b"k").unwrap();
        assert_eq!(claims.issued_at.get(), Some(&Number::from(1_700_000_000)));
        assert_eq!(claims.expires_at.get(), Some(&Number::from(1_700_000_300)));
        assert_eq!(
            claims.body_sha256.get().map(String::as_str),
            Some("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")
        );
        assert_eq!(
            verified_claims(&token, b"other").unwrap_err(),
            WebhookError::SignatureMismatch
        );
    }

    #[test]
    fn times_before_the_epoch_are_negative() {
        let before = UNIX_EPOCH - Duration::from_secs(5);
        assert_eq!(seconds_since_epoch(before), -5.0);
    }
}

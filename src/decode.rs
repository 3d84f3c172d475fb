//! Reading answers: the success envelope, error bodies of any shape, and decode errors that
//! name the JSON path of the value that failed.
//!
//! Success bodies look like `{"status": "success", "<member>": …}` (the reference's Task
//! Details example). Error bodies are not shown by the reference; see [`crate::assumed::ERROR_CODE_MEMBERS`].

use std::fmt;

use http::header::CONTENT_TYPE;
use http::{HeaderMap, Response, StatusCode};
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::Deserializer;
use serde_json::{Map, Value};

use crate::assumed::{
    ERROR_CODE_MEMBERS, ERROR_MESSAGE_MEMBERS, ERROR_NESTED_MEMBERS, ERROR_STATUS,
};
use crate::error::{ApiError, BodyExcerpt, DecodeError, Error, ErrorCode};
use crate::model::{Extra, ReadInto};

/// The `status` of a success body.
pub const SUCCESS: &str = "success";

/// The most a code or message taken from a JSON error body may hold, in characters.
const JSON_MESSAGE_LIMIT: usize = 1000;

/// The most a message taken from a non-JSON body may hold, in characters.
const TEXT_MESSAGE_LIMIT: usize = 200;

/// A decoded success envelope: the one member an endpoint wants, and every other member
/// except `status`.
#[derive(Debug)]
pub(crate) struct Envelope<T> {
    pub value: T,
    pub rest: Extra,
}

/// Decodes `{"status": "success", "<member>": T, …}`; any other answer becomes an error.
pub(crate) fn envelope<T: ReadInto, B: AsRef<[u8]>>(
    response: &Response<B>,
    member: &'static str,
) -> Result<Envelope<T>, Error> {
    let mut value = None;
    let rest = success_body(response, Some(member), &mut value)?;
    match value {
        Some(value) => Ok(Envelope { value, rest }),
        None => Err(missing_member(response, member)),
    }
}

/// Like [`envelope`], for an endpoint that wants only `member`.
pub(crate) fn member<T: ReadInto, B: AsRef<[u8]>>(
    response: &Response<B>,
    member: &'static str,
) -> Result<T, Error> {
    let mut value = None;
    success_body(response, Some(member), &mut value)?;
    value.ok_or_else(|| missing_member(response, member))
}

fn missing_member<B: AsRef<[u8]>>(response: &Response<B>, member: &str) -> Error {
    DecodeError::new(
        response.status(),
        ".".into(),
        format!("missing field `{member}`"),
        strip_bom(response.body().as_ref()),
    )
    .into()
}

/// Decodes `{"status": "success", …}` into its other members, putting `member` into `value`
/// when it is given and present.
///
/// The member is written in place rather than returned so that a large model is not moved
/// through every layer of the envelope.
fn success_body<T: ReadInto, B: AsRef<[u8]>>(
    response: &Response<B>,
    member: Option<&'static str>,
    value: &mut Option<T>,
) -> Result<Extra, Error> {
    let status = response.status();
    let body = strip_bom(response.body().as_ref());
    if !status.is_success() {
        return Err(api_error(status, response.headers(), body).into());
    }

    let seed = EnvelopeSeed { member, value };
    // Checking the whole body as UTF-8 once is cheaper than serde_json checking every string
    // of it; a body that is not UTF-8 goes the byte way, which names where it goes wrong.
    let decoded = match std::str::from_utf8(body) {
        Ok(text) => read_whole(seed, serde_json::Deserializer::from_str(text)),
        Err(_) => read_whole(seed, serde_json::Deserializer::from_slice(body)),
    };
    let wrong_shape = |path: &str, message: &str| -> Error {
        DecodeError::new(status, path.into(), message.into(), body).into()
    };
    match decoded {
        Ok(raw) => match raw.status {
            Some(Reported::Success) => Ok(raw.rest),
            // A success status without `"status": "success"` is a body of the wrong shape, not
            // an error answer: without a status string, the server said nothing of failing.
            None => Err(wrong_shape(".", "missing field `status`")),
            Some(Reported::NotAString) => Err(wrong_shape("status", "`status` is not a string")),
            Some(Reported::Other) => Err(api_error(status, response.headers(), body).into()),
        },
        Err(e) => {
            // A body that does not report success is an error answer, whatever its shape.
            if matches!(reported_status(body), Some(Reported::Other)) {
                return Err(api_error(status, response.headers(), body).into());
            }
            let (path, message) =
                locate_failure::<T>(body, member).unwrap_or_else(|| (".".into(), e.to_string()));
            Err(DecodeError::new(status, path, message, body).into())
        }
    }
}

/// Reads an envelope that must be all of the input.
fn read_whole<'de, T: ReadInto, R: serde_json::de::Read<'de>>(
    seed: EnvelopeSeed<'_, T>,
    mut de: serde_json::Deserializer<R>,
) -> Result<RawEnvelope, serde_json::Error> {
    let raw = seed.deserialize(&mut de)?;
    de.end()?;
    Ok(raw)
}

/// Decodes `body` again, tracking the JSON path, to name where the first decode failed.
///
/// Tracking costs an allocation per member, so the fast path decodes without it and only a
/// failed decode pays for it.
fn locate_failure<T: ReadInto>(
    body: &[u8],
    member: Option<&'static str>,
) -> Option<(String, String)> {
    let seed = EnvelopeSeed::<T> {
        member,
        value: &mut None,
    };
    let mut track = serde_path_to_error::Track::new();
    let mut de = serde_json::Deserializer::from_slice(body);
    let failure =
        match seed.deserialize(serde_path_to_error::Deserializer::new(&mut de, &mut track)) {
            Ok(_) => de.end().err()?,
            Err(e) => e,
        };
    Some((track.path().to_string(), failure.to_string()))
}

/// For an answer that carries a secret (a fresh token, key or password): a decode error
/// without any of the body.
///
/// An answer with an error status is the server's error message and is kept; a success
/// status whose body does not report success may still carry the secret. The code and message
/// read from such a body are kept: they are the server's words about what went wrong.
pub(crate) fn without_body(e: Error) -> Error {
    match e {
        Error::Decode(e) => e.without_body().into(),
        Error::Api(e) if e.status().is_success() => e.without_body().into(),
        other => other,
    }
}

/// A decode error for an answer that carries a secret, with none of its body.
pub(crate) fn withheld_decode_error<B: AsRef<[u8]>>(
    response: &Response<B>,
    path: String,
    message: String,
) -> Error {
    DecodeError::new(response.status(), path, message, b"")
        .withholding(response.body().as_ref().len())
        .into()
}

/// Decodes a success answer whose body is only `{"status": "success", …}`, keeping the rest.
pub(crate) fn acknowledgement<B: AsRef<[u8]>>(
    response: &Response<B>,
) -> Result<Map<String, Value>, Error> {
    success_body::<Value, B>(response, None, &mut None).map(Extra::into_map)
}

fn strip_bom(body: &[u8]) -> &[u8] {
    body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body)
}

/// The `status` member of a JSON object body, if it has one.
fn reported_status(body: &[u8]) -> Option<Reported> {
    #[derive(serde::Deserialize)]
    struct Status {
        status: Option<Reported>,
    }
    serde_json::from_slice::<Status>(body).ok()?.status
}

/// Builds the error for an answer that is not a success, from a body of any shape.
pub fn api_error(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ApiError {
    let body = strip_bom(body);
    let (code, message) = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => {
            let nested = nested_error(&map);
            let code = error_code(&map).or_else(|| nested.and_then(error_code));
            let message = first_string(&map, ERROR_MESSAGE_MEMBERS)
                .or_else(|| nested.and_then(|n| first_string(n, ERROR_MESSAGE_MEMBERS)));
            (code, message)
        }
        Ok(Value::String(text)) => (None, text_message(&text)),
        Ok(_) => (None, None),
        Err(_) if is_text(headers, body) => (None, text_message(&String::from_utf8_lossy(body))),
        Err(_) => (None, None),
    };
    ApiError::new(status, code, message, BodyExcerpt::new(body))
}

/// The object an error body nests its details in, such as `{"error": {"code": …}}`.
fn nested_error(map: &Map<String, Value>) -> Option<&Map<String, Value>> {
    ERROR_NESTED_MEMBERS
        .iter()
        .find_map(|member| match map.get(*member)? {
            Value::Object(inner) => Some(inner),
            Value::Array(items) => items.iter().find_map(Value::as_object),
            _ => None,
        })
}

fn error_code(map: &Map<String, Value>) -> Option<ErrorCode> {
    if let Some(code) = first_string(map, ERROR_CODE_MEMBERS) {
        return Some(ErrorCode::from(code));
    }
    match map.get("status") {
        Some(Value::String(s))
            if !matches!(s.as_str(), SUCCESS | ERROR_STATUS | "fail" | "failed") =>
        {
            Some(ErrorCode::from(s.as_str()))
        }
        _ => None,
    }
}

fn first_string(map: &Map<String, Value>, members: &[&str]) -> Option<String> {
    members.iter().find_map(|m| match map.get(*m) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(capped(s.trim())),
        _ => None,
    })
}

/// At most [`JSON_MESSAGE_LIMIT`] characters of a server's code or message; the whole body
/// stays in the error's excerpt.
fn capped(text: &str) -> String {
    let mut kept: String = text.chars().take(JSON_MESSAGE_LIMIT).collect();
    if kept.len() < text.len() {
        kept.push('…');
    }
    kept
}

/// Plain text is shown as the message; an HTML page is not (its body is still kept).
fn is_text(headers: &HeaderMap, body: &[u8]) -> bool {
    let declared = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
    let looks_like_html = body
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'<');
    match declared.as_deref() {
        Some("text/plain") => true,
        Some(_) => false,
        None => !looks_like_html,
    }
}

fn text_message(text: &str) -> Option<String> {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    let mut message: String = line.chars().take(TEXT_MESSAGE_LIMIT).collect();
    if message.len() < line.len() {
        message.push('…');
    }
    Some(message)
}

/// The `status` member of a body, as far as the success check needs it.
enum Reported {
    Success,
    Other,
    NotAString,
}

impl<'de> serde::Deserialize<'de> for Reported {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ReportedVisitor;

        impl<'de> Visitor<'de> for ReportedVisitor {
            type Value = Reported;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any value")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Reported, E> {
                Ok(if v == SUCCESS {
                    Reported::Success
                } else {
                    Reported::Other
                })
            }

            fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Reported, E> {
                Ok(Reported::NotAString)
            }

            fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Reported, E> {
                Ok(Reported::NotAString)
            }

            fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Reported, E> {
                Ok(Reported::NotAString)
            }

            fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Reported, E> {
                Ok(Reported::NotAString)
            }

            fn visit_unit<E: serde::de::Error>(self) -> Result<Reported, E> {
                Ok(Reported::NotAString)
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Reported, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Reported::NotAString)
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Reported, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Reported::NotAString)
            }
        }

        deserializer.deserialize_any(ReportedVisitor)
    }
}

/// The envelope as read, before the success check; the wanted member is written elsewhere.
struct RawEnvelope {
    status: Option<Reported>,
    rest: Extra,
}

/// Reads an envelope, writing the member named `member` into `value`.
struct EnvelopeSeed<'v, T> {
    member: Option<&'static str>,
    value: &'v mut Option<T>,
}

impl<'de, T: ReadInto> DeserializeSeed<'de> for EnvelopeSeed<'_, T> {
    type Value = RawEnvelope;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: ReadInto> Visitor<'de> for EnvelopeSeed<'_, T> {
    type Value = RawEnvelope;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.member {
            Some(member) => write!(f, "an object with `status` and `{member}`"),
            None => f.write_str("an object with `status`"),
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        use serde::de::Error as _;

        let mut raw = RawEnvelope {
            status: None,
            rest: Extra::new(),
        };
        while let Some(key) = map.next_key::<EnvelopeKey>()? {
            match key {
                EnvelopeKey::Status => {
                    // A repeated status could make an error answer pass for a success.
                    if raw.status.is_some() {
                        return Err(A::Error::duplicate_field("status"));
                    }
                    raw.status = Some(map.next_value()?);
                }
                EnvelopeKey::Other(key) if Some(key.as_ref()) == self.member => {
                    if self.value.is_some() {
                        return Err(A::Error::duplicate_field(self.member.unwrap_or_default()));
                    }
                    map.next_value_seed(IntoSlot(self.value))?;
                }
                EnvelopeKey::Other(key) => {
                    if raw.rest.contains_key(key.as_ref()) {
                        return Err(A::Error::custom(format_args!("duplicate field `{key}`")));
                    }
                    let value = map.next_value::<Value>()?;
                    raw.rest.insert(key.into_owned(), value);
                }
            }
        }
        Ok(raw)
    }
}

/// Decodes a value into a slot.
struct IntoSlot<'v, T>(&'v mut Option<T>);

impl<'de, T: ReadInto> DeserializeSeed<'de> for IntoSlot<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        T::read_into(deserializer, self.0)
    }
}

/// A top-level member name, borrowed from the body when it has no escapes.
enum EnvelopeKey<'de> {
    Status,
    Other(std::borrow::Cow<'de, str>),
}

impl<'de> serde::Deserialize<'de> for EnvelopeKey<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = EnvelopeKey<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }

            fn visit_borrowed_str<E: serde::de::Error>(
                self,
                v: &'de str,
            ) -> Result<Self::Value, E> {
                Ok(match v {
                    "status" => EnvelopeKey::Status,
                    _ => EnvelopeKey::Other(v.into()),
                })
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(match v {
                    "status" => EnvelopeKey::Status,
                    _ => EnvelopeKey::Other(v.to_owned().into()),
                })
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

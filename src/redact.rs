//! Keeps the secrets a request carried out of the error its answer becomes.
//!
//! A server that repeats a token or a password in an error message would otherwise put it
//! into every log that prints the error. [`crate::Client`] and
//! [`crate::session::SessionClient`] do this for every call; a [`Redactor`] does it for a
//! caller that sends requests and decodes answers itself.

use std::fmt;

use http::header::{AUTHORIZATION, COOKIE, PROXY_AUTHORIZATION};
use http::Request;
use percent_encoding::{utf8_percent_encode, AsciiSet};

use crate::auth::Credentials;
use crate::base_url::BaseUrl;
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::transport::Transport;

/// What a secret becomes in an error.
pub(crate) const REDACTED: &str = "[redacted]";

/// The shortest cut-off start of a secret that is still taken out of the end of a truncated
/// body excerpt; shorter ones tell next to nothing.
const SHORTEST_FRAGMENT: usize = 4;

/// Builds the endpoint's request, sends it and decodes the answer; an error keeps no secret
/// the request carried.
pub(crate) fn exchange<T: Transport, E: Endpoint>(
    transport: &T,
    endpoint: &E,
    base: &BaseUrl,
    credentials: &Credentials,
) -> Result<E::Output, Error> {
    let request = endpoint.to_request(base, credentials)?;
    let redactor = Redactor::new(&request, &endpoint.body_secrets());

    let response = transport.send(request)?;

    endpoint.decode(&response).map_err(|e| redactor.redact(e))
}

/// The secrets one request carries, to take out of the error its answer becomes: the values of
/// its sensitive headers (the credentials) and the secrets of its body.
///
/// Noting them costs a copy of each; the forms an answer may repeat them in (escaped, trimmed,
/// cut off) are worked out only for an error. `Debug` shows how many there are, not what.
///
/// ```
/// use rockit_edge::redact::Redactor;
/// use rockit_edge::tasks::GetTask;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let task = GetTask::new("ExampleOrg-sushi-0003-1739273968-dltar");
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let credentials = Credentials::backend_token("tok-5f1d2a").unwrap();
/// let request = task.to_request(&base, &credentials).unwrap();
/// let redactor = Redactor::new(&request, &task.body_secrets());
///
/// // …send `request` with any HTTP client; the server answers with the token in its message.
/// let body = br#"{"status": "error", "message": "token tok-5f1d2a has expired"}"#;
/// let answer = http::Response::builder().status(401).body(body.to_vec()).unwrap();
///
/// let error = redactor.redact(task.decode(&answer).unwrap_err());
/// assert_eq!(error.to_string(), "server answered HTTP 401 Unauthorized: token [redacted] has expired");
/// assert!(!format!("{redactor:?}").contains("tok-5f1d2a"));
/// ```
#[derive(Default)]
pub struct Redactor {
    secrets: Vec<Vec<u8>>,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redactor")
            .field("secrets", &self.secrets.len())
            .finish()
    }
}

impl Redactor {
    /// The secrets of `request`: the values of its sensitive headers (and of
    /// `Authorization`, `Proxy-Authorization` and `Cookie`), and `body_secrets`, such as an
    /// endpoint's [`Endpoint::body_secrets`].
    pub fn new<B>(request: &Request<B>, body_secrets: &[&str]) -> Self {
        let headers = request.headers().iter().filter(|(name, value)| {
            value.is_sensitive() || [AUTHORIZATION, PROXY_AUTHORIZATION, COOKIE].contains(name)
        });
        let secrets = headers
            .map(|(_, value)| value.as_bytes())
            .chain(body_secrets.iter().map(|secret| secret.as_bytes()))
            .filter(|secret| !secret.is_empty())
            .map(<[u8]>::to_vec)
            .collect();
        Redactor { secrets }
    }

    /// `error` with every secret in what the server said (an API or decode error's code,
    /// message, path and body excerpt) replaced by `[redacted]`.
    pub fn redact(&self, mut error: Error) -> Error {
        if !self.secrets.is_empty() {
            error.redact(&Forms::of(&self.secrets, 1));
        }
        error
    }
}

/// Secrets in the forms an answer may repeat them in: as they are and trimmed; as JSON
/// escapes them, also with `/` escaped, once or twice (a request body repeated inside a JSON
/// string); as HTML escapers write them; and percent-encoded. A form is also found where the
/// answer writes some of its characters as JSON `\uXXXX` escapes, as Python, PHP and Go do
/// for non-ASCII characters or `<`, `>` and `&`.
pub(crate) struct Forms {
    forms: Vec<Vec<u8>>,
}

impl Forms {
    /// The forms of each of `secrets` that is at least `shortest` bytes long once trimmed:
    /// white space alone, or a short core padded with it, cannot be told from the text around
    /// it.
    pub(crate) fn of(secrets: &[Vec<u8>], shortest: usize) -> Self {
        let mut forms: Vec<Vec<u8>> = Vec::new();
        let mut add = |form: Vec<u8>| {
            if !form.is_empty() && !forms.contains(&form) {
                forms.push(form);
            }
        };
        for secret in secrets {
            let core = match std::str::from_utf8(secret) {
                Ok(text) => text.trim().len(),
                Err(_) => secret.trim_ascii().len(),
            };
            if core < shortest.max(1) {
                continue;
            }
            add(secret.clone());
            let Ok(text) = std::str::from_utf8(secret) else {
                continue;
            };
            // A message is shown trimmed; a secret trimmed to almost nothing would match
            // everywhere.
            let trimmed = Some(text.trim()).filter(|t| t.len() >= SHORTEST_FRAGMENT);
            for text in std::iter::once(text).chain(trimmed) {
                add(text.as_bytes().to_vec());
                encoded(text)
                    .into_iter()
                    .for_each(|form| add(form.into_bytes()));
            }
        }
        Forms { forms }
    }

    /// `text` with every secret replaced, or `None` when it holds none. A text cut short by
    /// the error (it ends with `…`) also loses the start of a secret just before the cut.
    pub(crate) fn text(&self, text: &str) -> Option<String> {
        // Only forms that are text can be matched in text, or a byte of one could match inside
        // a character.
        let forms = self.forms.iter().filter(|f| std::str::from_utf8(f).is_ok());
        let replaced = replace_all(text.as_bytes(), forms);
        let current = replaced.as_deref().unwrap_or(text.as_bytes());
        let cut = current
            .strip_suffix("…".as_bytes())
            .and_then(|head| self.cut_tail(head))
            .map(|mut head| {
                head.extend_from_slice("…".as_bytes());
                head
            });
        // Whole secrets and whole characters out of UTF-8 leave UTF-8.
        cut.or(replaced)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
    }

    /// `bytes` with every secret replaced, or `None` when they hold none.
    pub(crate) fn bytes(&self, bytes: &[u8]) -> Option<Vec<u8>> {
        replace_all(bytes, self.forms.iter())
    }

    /// `bytes`, the start of a longer text, without a secret's start at its very end.
    pub(crate) fn cut_tail(&self, bytes: &[u8]) -> Option<Vec<u8>> {
        let fragment = self
            .forms
            .iter()
            .filter_map(|form| {
                (SHORTEST_FRAGMENT..form.len())
                    .rev()
                    .find(|&n| bytes.ends_with(&form[..n]))
            })
            .max()?;
        let mut cut = bytes[..bytes.len() - fragment].to_vec();
        cut.extend_from_slice(REDACTED.as_bytes());
        Some(cut)
    }
}

/// The escaped forms of `text`.
fn encoded(text: &str) -> Vec<String> {
    let json = json_escaped(text);
    let slashes = json.replace('/', "\\/");
    let mut forms = vec![
        // Quoted once more, as when a server repeats the request body inside a JSON string.
        json_escaped(&json),
        json_escaped(&slashes).replace('/', "\\/"),
        json_escaped(&slashes),
        slashes,
        json,
    ];
    // HTML, as the common escapers write it: `&`, `<` and `>` as named entities, quotes as
    // named or numeric ones (Python's `&#x27;`, PHP's `&#039;`, Go's `&#34;`, `&#39;` and, in
    // templates, `&#43;` for `+`).
    for (double, single, plus) in [
        ("&quot;", "&#39;", "+"),
        ("&quot;", "&#x27;", "+"),
        ("&quot;", "&#039;", "+"),
        ("&#34;", "&#39;", "+"),
        ("&#34;", "&#39;", "&#43;"),
    ] {
        forms.push(map_chars(text, |c| {
            let entity = match c {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => double,
                '\'' => single,
                '+' => plus,
                _ => return None,
            };
            Some(entity.to_owned())
        }));
    }
    // Percent-encoded, as in a query string or a form body: with `%20` or `+` for a space,
    // hex digits in either case, and `/` or `*` left as they are by some encoders.
    for set in [URL_UNRESERVED, URL_PATH, URL_FORM] {
        let percent = utf8_percent_encode(text, set).to_string();
        let lower = lower_case_hex(&percent);
        forms.push(lower.replace("%20", "+"));
        forms.push(percent.replace("%20", "+"));
        forms.push(lower);
        forms.push(percent);
    }
    forms
}

/// Every byte but RFC 3986's unreserved characters, as path segments are encoded.
const URL_UNRESERVED: &AsciiSet = crate::endpoint::SEGMENT;

/// As Python's `quote` encodes: `/` left as it is.
const URL_PATH: &AsciiSet = &URL_UNRESERVED.remove(b'/');

/// As form encoding leaves it: `*` as it is.
const URL_FORM: &AsciiSet = &URL_UNRESERVED.remove(b'*');

fn json_escaped(text: &str) -> String {
    let quoted = serde_json::to_string(text).unwrap_or_default();
    quoted
        .strip_prefix('"')
        .and_then(|q| q.strip_suffix('"'))
        .unwrap_or(&quoted)
        .to_owned()
}

/// `percent_encoded` with the two hex digits after each `%` in lower case.
fn lower_case_hex(percent_encoded: &str) -> String {
    let mut out = String::with_capacity(percent_encoded.len());
    let mut hex_left = 0;
    for c in percent_encoded.chars() {
        if hex_left > 0 {
            out.push(c.to_ascii_lowercase());
            hex_left -= 1;
        } else {
            hex_left = if c == '%' { 2 } else { 0 };
            out.push(c);
        }
    }
    out
}

fn map_chars(text: &str, mut map: impl FnMut(char) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match map(c) {
            Some(replacement) => out.push_str(&replacement),
            None => out.push(c),
        }
    }
    out
}

/// `haystack` with every stretch covered by a match of any form replaced by [`REDACTED`], or
/// `None` without a match. All matches are found in the original, so overlapping secrets go
/// whole and a short secret cannot match inside a marker put in for another.
fn replace_all<'f>(haystack: &[u8], forms: impl Iterator<Item = &'f Vec<u8>>) -> Option<Vec<u8>> {
    let (decoded, origins) = decode_unicode_escapes(haystack);
    let mut matches: Vec<(usize, usize)> = Vec::new();
    for form in forms {
        let mut from = 0;
        while let Some(i) = find(&haystack[from..], form) {
            matches.push((from + i, from + i + form.len()));
            from += i + 1;
        }
        if let Some(decoded) = &decoded {
            let mut from = 0;
            while let Some(i) = find(&decoded[from..], form) {
                let (start, end) = (from + i, from + i + form.len());
                matches.push((origins[start].0, origins[end - 1].1));
                from += i + 1;
            }
        }
    }
    if matches.is_empty() {
        return None;
    }
    matches.sort_unstable();
    let mut out = Vec::with_capacity(haystack.len());
    let mut done = 0;
    let mut pending: Option<(usize, usize)> = None;
    for (start, end) in matches {
        match &mut pending {
            Some((_, pending_end)) if start <= *pending_end => {
                *pending_end = (*pending_end).max(end)
            }
            _ => {
                if let Some((s, e)) = pending.replace((start, end)) {
                    out.extend_from_slice(&haystack[done..s]);
                    out.extend_from_slice(REDACTED.as_bytes());
                    done = e;
                }
            }
        }
    }
    if let Some((s, e)) = pending {
        out.extend_from_slice(&haystack[done..s]);
        out.extend_from_slice(REDACTED.as_bytes());
        done = e;
    }
    out.extend_from_slice(&haystack[done..]);
    Some(out)
}

/// `bytes` with every JSON `\uXXXX` escape (a surrogate pair as one) written as the UTF-8 of
/// its character, and for each byte of that the range of `bytes` it stands for; `None`
/// without an escape.
fn decode_unicode_escapes(bytes: &[u8]) -> (Option<Vec<u8>>, Vec<(usize, usize)>) {
    fn unit(bytes: &[u8], at: usize) -> Option<u16> {
        let digits = bytes.get(at..at + 6)?.strip_prefix(b"\\u")?;
        if !digits.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        u16::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
    }
    if find(bytes, b"\\u").is_none() {
        return (None, Vec::new());
    }
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut origins = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        // An escaped backslash starts no escape: `\\u0041` is a backslash, then `u0041`.
        if bytes[i..].starts_with(b"\\\\") {
            for at in [i, i + 1] {
                decoded.push(bytes[at]);
                origins.push((at, at + 1));
            }
            i += 2;
            continue;
        }
        let escaped =
            unit(bytes, i).and_then(|first| match char::decode_utf16([first]).next()?.ok() {
                Some(c) => Some((c, 6)),
                None => {
                    let second = unit(bytes, i + 6)?;
                    let c = char::decode_utf16([first, second]).next()?.ok()?;
                    Some((c, 12))
                }
            });
        match escaped {
            Some((c, len)) => {
                let mut utf8 = [0; 4];
                for &b in c.encode_utf8(&mut utf8).as_bytes() {
                    decoded.push(b);
                    origins.push((i, i + len));
                }
                i += len;
            }
            None => {
                decoded.push(bytes[i]);
                origins.push((i, i + 1));
                i += 1;
            }
        }
    }
    (Some(decoded), origins)
}

/// Where `needle` first occurs in `haystack`.
pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(secrets: &[&str]) -> Forms {
        Forms::of(&Redactor::new(&Request::new(()), secrets).secrets, 1)
    }

    #[test]
    fn every_occurrence_of_every_form_is_replaced() {
        let c = forms(&["s3/cr\"t"]);
        assert_eq!(
            c.text("a s3/cr\"t b s3/cr\"t").as_deref(),
            Some("a [redacted] b [redacted]")
        );
        assert_eq!(
            c.bytes(br#"{"m":"s3/cr\"t","n":"s3\/cr\"t"}"#).unwrap(),
            br#"{"m":"[redacted]","n":"[redacted]"}"#
        );
        assert_eq!(c.text("nothing here"), None);
    }

    #[test]
    fn a_longer_secret_is_replaced_whole_before_one_inside_it() {
        let c = forms(&["abcd", "xxabcdyy"]);
        assert_eq!(
            c.text("1 xxabcdyy 2 abcd").as_deref(),
            Some("1 [redacted] 2 [redacted]")
        );
    }

    #[test]
    fn a_cut_off_secret_start_leaves_the_excerpt() {
        let c = forms(&["tok-123456"]);
        assert_eq!(
            c.cut_tail(b"message tok-12").unwrap(),
            b"message [redacted]"
        );
        assert_eq!(c.cut_tail(b"message to"), None);
        assert_eq!(c.cut_tail(b"message done"), None);
    }

    #[test]
    fn sensitive_and_authorization_headers_count_as_secrets() {
        let mut request = Request::new(());
        let mut key = http::HeaderValue::from_static("hidden-key");
        key.set_sensitive(true);
        request.headers_mut().insert("x-key", key);
        request
            .headers_mut()
            .insert(AUTHORIZATION, http::HeaderValue::from_static("Bearer b-77"));
        request
            .headers_mut()
            .insert("x-plain", http::HeaderValue::from_static("visible"));
        let c = Forms::of(&Redactor::new(&request, &[]).secrets, 1);
        assert_eq!(
            c.text("hidden-key Bearer b-77 visible").as_deref(),
            Some("[redacted] [redacted] visible")
        );
    }
}

//! Keeps the secrets a request carried out of the error its answer becomes.
//!
//! A server that repeats a token or a password in an error message would otherwise put it
//! into every log that prints the error.

use http::header::{AUTHORIZATION, COOKIE, PROXY_AUTHORIZATION};
use http::Request;

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
    let carried = Carried::by(&request, &endpoint.body_secrets());

    let response = transport.send(request)?;

    endpoint.decode(&response).map_err(|e| carried.redact(e))
}

/// The secrets of one request. Noting them costs a copy of each; the forms an answer may
/// repeat them in are worked out only for an error.
#[derive(Debug, Default)]
pub(crate) struct Carried {
    secrets: Vec<Vec<u8>>,
}

impl Carried {
    /// The values of the request's sensitive headers, and `body_secrets`.
    pub(crate) fn by<B>(request: &Request<B>, body_secrets: &[&str]) -> Self {
        let headers = request.headers().iter().filter(|(name, value)| {
            value.is_sensitive() || [AUTHORIZATION, PROXY_AUTHORIZATION, COOKIE].contains(name)
        });
        let secrets = headers
            .map(|(_, value)| value.as_bytes())
            .chain(body_secrets.iter().map(|secret| secret.as_bytes()))
            .filter(|secret| !secret.is_empty())
            .map(<[u8]>::to_vec)
            .collect();
        Carried { secrets }
    }

    /// `error` with every secret in its server-sent parts replaced by `[redacted]`.
    pub(crate) fn redact(&self, mut error: Error) -> Error {
        if !self.secrets.is_empty() {
            error.redact(&Forms::of(&self.secrets));
        }
        error
    }
}

/// Secrets as an answer may repeat them: as they are, and as JSON would escape them (`/`
/// escaped too, as some servers write it).
pub(crate) struct Forms {
    /// Longest first, so that a secret that contains another is replaced whole.
    forms: Vec<Vec<u8>>,
}

impl Forms {
    fn of(secrets: &[Vec<u8>]) -> Self {
        let mut forms: Vec<Vec<u8>> = Vec::new();
        let mut add = |form: Vec<u8>| {
            if !forms.contains(&form) {
                forms.push(form);
            }
        };
        for secret in secrets {
            add(secret.clone());
            if let Ok(text) = std::str::from_utf8(secret) {
                let quoted = serde_json::to_string(text).unwrap_or_default();
                let escaped = quoted.trim_matches('"');
                add(escaped.as_bytes().to_vec());
                add(escaped.replace('/', "\\/").into_bytes());
            }
        }
        forms.sort_by_key(|form| std::cmp::Reverse(form.len()));
        Forms { forms }
    }

    /// `text` with every secret replaced, or `None` when it holds none.
    pub(crate) fn text(&self, text: &str) -> Option<String> {
        let replaced = self.bytes(text.as_bytes())?;
        // Whole secrets out of valid UTF-8 leave valid UTF-8; a secret that is not UTF-8
        // cannot have matched.
        Some(String::from_utf8_lossy(&replaced).into_owned())
    }

    /// `bytes` with every secret replaced, or `None` when they hold none.
    pub(crate) fn bytes(&self, bytes: &[u8]) -> Option<Vec<u8>> {
        let mut out: Option<Vec<u8>> = None;
        for form in &self.forms {
            let current = out.as_deref().unwrap_or(bytes);
            if let Some(replaced) = replace(current, form) {
                out = Some(replaced);
            }
        }
        out
    }

    /// `bytes`, the start of a longer body, without a secret's start at its very end.
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

/// `haystack` with every `needle` replaced by [`REDACTED`], or `None` without one.
fn replace(haystack: &[u8], needle: &[u8]) -> Option<Vec<u8>> {
    let first = find(haystack, needle)?;
    let mut out = Vec::with_capacity(haystack.len());
    let mut rest = haystack;
    let mut at = Some(first);
    while let Some(i) = at {
        out.extend_from_slice(&rest[..i]);
        out.extend_from_slice(REDACTED.as_bytes());
        rest = &rest[i + needle.len()..];
        at = find(rest, needle);
    }
    out.extend_from_slice(rest);
    Some(out)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(secrets: &[&str]) -> Forms {
        Forms::of(&Carried::by(&Request::new(()), secrets).secrets)
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
        let c = Forms::of(&Carried::by(&request, &[]).secrets);
        assert_eq!(
            c.text("hidden-key Bearer b-77 visible").as_deref(),
            Some("[redacted] [redacted] visible")
        );
    }
}

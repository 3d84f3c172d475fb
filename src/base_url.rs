//! Where the API lives: scheme, host and an optional path prefix.

use std::fmt;

use http::uri::{Authority, Scheme};
use http::Uri;

use crate::error::InputError;

/// The base URL of a ROCKIT Edge server, such as `https://edge.example.com` or, behind a
/// gateway, `https://gateway.example.com/edge/`.
///
/// A path prefix is kept without its trailing slash, so that joining an endpoint path never
/// doubles or drops a slash.
///
/// ```
/// use rockit_edge::BaseUrl;
///
/// let base = BaseUrl::parse("https://edge.example.com/api/").unwrap();
/// assert_eq!(base.join("/be/v1/tasks"), "https://edge.example.com/api/be/v1/tasks");
/// assert!(BaseUrl::parse("edge.example.com").is_err());
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct BaseUrl {
    scheme: Scheme,
    authority: Authority,
    /// Either empty or `/segment…`, never ending in `/`.
    prefix: String,
    /// `scheme://authority/prefix`, precomputed for [`BaseUrl::join`].
    origin_and_prefix: String,
}

impl BaseUrl {
    /// Parses an `http` or `https` URL with a host, an optional port and an optional path
    /// prefix. User information (`user:password@`), a query and a fragment are refused.
    pub fn parse(url: &str) -> Result<Self, InputError> {
        const WHAT: &str = "base URL";
        if url.contains('#') {
            return Err(InputError::new(WHAT, "must not have a fragment"));
        }
        let uri: Uri = url.parse().map_err(|e: http::uri::InvalidUri| {
            InputError::new(WHAT, format!("is not a URL ({e})"))
        })?;
        let scheme = match uri.scheme() {
            Some(s) if *s == Scheme::HTTP || *s == Scheme::HTTPS => s.clone(),
            Some(_) => return Err(InputError::new(WHAT, "scheme must be http or https")),
            None => return Err(InputError::new(WHAT, "must start with http:// or https://")),
        };
        let authority = match uri.authority() {
            Some(a) if a.as_str().contains('@') => {
                return Err(InputError::new(
                    WHAT,
                    "must not carry user information; pass credentials separately",
                ))
            }
            Some(a) if !a.host().is_empty() => a.clone(),
            _ => return Err(InputError::new(WHAT, "must name a host")),
        };
        check_port(&authority, WHAT)?;
        if uri.query().is_some() {
            return Err(InputError::new(WHAT, "must not have a query"));
        }
        let prefix = uri.path().trim_end_matches('/');
        if prefix.contains("//") {
            return Err(InputError::new(
                WHAT,
                "path must not contain an empty segment",
            ));
        }
        let prefix = prefix.to_owned();
        let origin_and_prefix = format!("{scheme}://{authority}{prefix}");
        Ok(BaseUrl {
            scheme,
            authority,
            prefix,
            origin_and_prefix,
        })
    }

    /// `http` or `https`.
    pub fn scheme(&self) -> &str {
        self.scheme.as_str()
    }

    /// The host, without port.
    pub fn host(&self) -> &str {
        self.authority.host()
    }

    /// The port, when the URL names one.
    pub fn port(&self) -> Option<u16> {
        self.authority.port_u16()
    }

    /// The path prefix, empty or starting with `/`, never ending with `/`.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The full URL of `path_and_query`, which starts with `/`.
    pub fn join(&self, path_and_query: &str) -> String {
        let mut url = String::with_capacity(self.origin_and_prefix.len() + path_and_query.len());
        url.push_str(&self.origin_and_prefix);
        url.push_str(path_and_query);
        url
    }

    /// `scheme://authority/prefix`, the start of every request URL.
    pub(crate) fn origin_and_prefix(&self) -> &str {
        &self.origin_and_prefix
    }
}

impl fmt::Debug for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BaseUrl({})", self.origin_and_prefix)
    }
}

/// Shows `scheme://host[:port][/prefix]`, never ending with `/`, so that
/// `format!("{base}/be/v1/tasks")` is a well-formed URL.
impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.origin_and_prefix)
    }
}

impl std::str::FromStr for BaseUrl {
    type Err = InputError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        BaseUrl::parse(s)
    }
}

/// Refuses a port `http::Uri` keeps but cannot read as a `u16` (`:99999`, `:+80`, `:`) or `:0`:
/// a client would quietly use the scheme's default port instead, credentials and all.
pub(crate) fn check_port(
    authority: &http::uri::Authority,
    what: &'static str,
) -> Result<(), InputError> {
    let host_end = authority.as_str().rfind(']').map_or(0, |i| i + 1);
    if let Some((_, port)) = authority.as_str()[host_end..].rsplit_once(':') {
        let valid = !port.is_empty()
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u16>().is_ok_and(|p| p > 0);
        if !valid {
            return Err(InputError::new(
                what,
                "port must be a number from 1 to 65535",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joining_keeps_exactly_one_slash() {
        for (base, want) in [
            ("https://e.example.com", "https://e.example.com/be/v1/tasks"),
            (
                "https://e.example.com/",
                "https://e.example.com/be/v1/tasks",
            ),
            (
                "https://e.example.com/api",
                "https://e.example.com/api/be/v1/tasks",
            ),
            (
                "https://e.example.com/api/",
                "https://e.example.com/api/be/v1/tasks",
            ),
            (
                "http://127.0.0.1:8080/a/b///",
                "http://127.0.0.1:8080/a/b/be/v1/tasks",
            ),
        ] {
            assert_eq!(
                BaseUrl::parse(base).unwrap().join("/be/v1/tasks"),
                want,
                "{base}"
            );
        }
    }

    #[test]
    fn refuses_what_cannot_be_a_base() {
        for (url, problem) in [
            ("", "is not a URL"),
            ("edge.example.com", "must start with"),
            ("ftp://e.example.com", "scheme must be"),
            ("https://user:pw@e.example.com", "user information"),
            ("https://e.example.com/?a=1", "query"),
            ("https://e.example.com/#x", "fragment"),
            ("https://e.example.com/a//b", "empty segment"),
            ("https://e.example.com:99999", "port must be"),
            ("http://e.example.com:65536", "port must be"),
            ("http://e.example.com:+80", "port must be"),
            ("http://e.example.com:", "port must be"),
            ("http://e.example.com:0", "port must be"),
        ] {
            let err = BaseUrl::parse(url).unwrap_err();
            assert!(err.to_string().contains(problem), "{url}: {err}");
            assert!(!err.to_string().contains("pw@"), "{err}");
        }
    }

    #[test]
    fn parts_are_readable() {
        let base = BaseUrl::parse("http://127.0.0.1:9000/x/").unwrap();
        assert_eq!(base.scheme(), "http");
        assert_eq!(base.host(), "127.0.0.1");
        assert_eq!(base.port(), Some(9000));
        assert_eq!(base.prefix(), "/x");
        assert_eq!(base.to_string(), "http://127.0.0.1:9000/x");
        let v6 = BaseUrl::parse("http://[::1]:8080/x").unwrap();
        assert_eq!(v6.port(), Some(8080));
        assert!(BaseUrl::parse("http://[::1]").unwrap().port().is_none());
        let bare = BaseUrl::parse("http://127.0.0.1:9000/").unwrap();
        assert_eq!(format!("{bare}/be/v1"), "http://127.0.0.1:9000/be/v1");
    }
}

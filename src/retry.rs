//! When to try a request again, and after how long: a pure policy, with no clock and no
//! randomness of its own (the caller passes the current time and a random number).
//!
//! Idempotent requests (`GET`, `HEAD`, `PUT`, `DELETE`, `OPTIONS`, `TRACE`) are retried after
//! connection failures, timeouts, broken answers and the statuses 429, 502, 503 and 504.
//! Other methods are retried only when the caller opts in, since the server may already have
//! acted on them. A `Retry-After` header, in seconds or as an HTTP date, sets the wait; a wait
//! longer than [`RetryPolicy::max_retry_after`] ends the retries instead of asking too early.
//! Otherwise the wait grows exponentially from [`RetryPolicy::base_delay`] with jitter,
//! capped per wait and in total.

use std::time::{Duration, SystemTime};

use http::header::RETRY_AFTER;
use http::{HeaderMap, Method, StatusCode};

use crate::error::TransportErrorKind;

/// How a try ended, as far as retrying cares.
#[derive(Clone, Copy, Debug)]
pub enum Outcome<'a> {
    /// An answer arrived.
    Response {
        /// Its status.
        status: StatusCode,
        /// Its headers, for `Retry-After`.
        headers: &'a HeaderMap,
    },
    /// No answer arrived.
    Failed(TransportErrorKind),
}

/// Whether and when to try again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Wait this long, then send the request again.
    RetryAfter(Duration),
    /// Keep this outcome.
    Stop,
}

/// Limits and switches of retrying. [`RetryPolicy::default`] gives the values documented on
/// each field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// How many tries in all, the first one included (default 4; 1 turns retries off).
    pub max_attempts: u32,
    /// The wait before the first retry, before jitter (default 200 ms).
    pub base_delay: Duration,
    /// The longest single wait the backoff may reach (default 5 s).
    pub max_delay: Duration,
    /// The most time spent waiting over all retries of one request (default 20 s).
    pub max_total_delay: Duration,
    /// The longest `Retry-After` honoured; a longer one stops retrying (default 30 s).
    pub max_retry_after: Duration,
    /// Whether `POST` and `PATCH` requests are retried too (default no).
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            max_total_delay: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(30),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Decides after try number `attempt` (1 for the first) of a `method` request that ended
    /// with `outcome`, when `waited` was already spent waiting for earlier retries. `now` is
    /// the current time (for `Retry-After` dates) and `random` any random number (for jitter).
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// use rockit_edge::retry::{Decision, Outcome, RetryPolicy};
    ///
    /// let policy = RetryPolicy::default();
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert("retry-after", "3".parse().unwrap());
    /// let outcome = Outcome::Response { status: http::StatusCode::SERVICE_UNAVAILABLE, headers: &headers };
    /// let decision = policy.decide(&http::Method::GET, 1, Duration::ZERO, outcome, SystemTime::now(), 7);
    /// assert_eq!(decision, Decision::RetryAfter(Duration::from_secs(3)));
    /// ```
    pub fn decide(
        &self,
        method: &Method,
        attempt: u32,
        waited: Duration,
        outcome: Outcome<'_>,
        now: SystemTime,
        random: u64,
    ) -> Decision {
        if attempt >= self.max_attempts || !(is_idempotent(method) || self.retry_non_idempotent) {
            return Decision::Stop;
        }
        let wait = match outcome {
            Outcome::Failed(kind) => {
                if !retriable_failure(kind) {
                    return Decision::Stop;
                }
                self.backoff(attempt, random)
            }
            Outcome::Response { status, headers } => {
                if !retriable_status(status) {
                    return Decision::Stop;
                }
                match retry_after(headers, now) {
                    Some(asked) if asked > self.max_retry_after => return Decision::Stop,
                    Some(asked) => asked,
                    None => self.backoff(attempt, random),
                }
            }
        };
        if waited.saturating_add(wait) > self.max_total_delay {
            return Decision::Stop;
        }
        Decision::RetryAfter(wait)
    }

    /// The wait before retry number `attempt`: `base_delay · 2^(attempt-1)`, capped at
    /// `max_delay`, of which the upper half is random.
    pub fn backoff(&self, attempt: u32, random: u64) -> Duration {
        let exponent = attempt.saturating_sub(1).min(31);
        let full = self
            .base_delay
            .saturating_mul(1u32 << exponent)
            .min(self.max_delay);
        let half = full / 2;
        let spread = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
        let jitter = if spread == 0 {
            0
        } else {
            random % (spread + 1)
        };
        half + Duration::from_nanos(jitter)
    }
}

/// Whether sending `method` twice has the effect of sending it once.
pub fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

fn retriable_failure(kind: TransportErrorKind) -> bool {
    matches!(
        kind,
        TransportErrorKind::Connect
            | TransportErrorKind::Timeout
            | TransportErrorKind::Io
            | TransportErrorKind::Protocol
    )
}

fn retriable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

/// The wait a `Retry-After` header asks for: whole seconds, or an HTTP date (a date in the
/// past asks for no wait). `None` when the header is missing or unreadable.
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, headers: &HeaderMap) -> Outcome<'_> {
        Outcome::Response {
            status: StatusCode::from_u16(status).unwrap(),
            headers,
        }
    }

    #[test]
    fn idempotent_requests_retry_on_the_listed_statuses_only() {
        let policy = RetryPolicy::default();
        let none = HeaderMap::new();
        let now = SystemTime::now();
        for status in [429, 502, 503, 504] {
            let d = policy.decide(
                &Method::GET,
                1,
                Duration::ZERO,
                response(status, &none),
                now,
                0,
            );
            assert!(matches!(d, Decision::RetryAfter(_)), "{status}");
        }
        for status in [200, 400, 401, 404, 409, 500, 501] {
            let d = policy.decide(
                &Method::GET,
                1,
                Duration::ZERO,
                response(status, &none),
                now,
                0,
            );
            assert_eq!(d, Decision::Stop, "{status}");
        }
    }

    #[test]
    fn non_idempotent_requests_retry_only_when_asked() {
        let now = SystemTime::now();
        let failed = Outcome::Failed(TransportErrorKind::Connect);
        let policy = RetryPolicy::default();
        for method in [Method::POST, Method::PATCH] {
            assert_eq!(
                policy.decide(&method, 1, Duration::ZERO, failed, now, 0),
                Decision::Stop
            );
        }
        let opted_in = RetryPolicy {
            retry_non_idempotent: true,
            ..RetryPolicy::default()
        };
        let d = opted_in.decide(&Method::POST, 1, Duration::ZERO, failed, now, 0);
        assert!(matches!(d, Decision::RetryAfter(_)));
    }

    #[test]
    fn failures_that_may_pass_are_retried() {
        let policy = RetryPolicy::default();
        let now = SystemTime::now();
        for (kind, retried) in [
            (TransportErrorKind::Connect, true),
            (TransportErrorKind::Timeout, true),
            (TransportErrorKind::Io, true),
            (TransportErrorKind::Protocol, true),
            (TransportErrorKind::BodyTooLarge, false),
            (TransportErrorKind::Redirect, false),
            (TransportErrorKind::Tls, false),
        ] {
            let d = policy.decide(
                &Method::DELETE,
                1,
                Duration::ZERO,
                Outcome::Failed(kind),
                now,
                0,
            );
            assert_eq!(matches!(d, Decision::RetryAfter(_)), retried, "{kind:?}");
        }
    }

    #[test]
    fn attempts_and_total_wait_are_bounded() {
        let policy = RetryPolicy::default();
        let now = SystemTime::now();
        let failed = Outcome::Failed(TransportErrorKind::Connect);
        let last = policy.max_attempts;
        assert_eq!(
            policy.decide(&Method::GET, last, Duration::ZERO, failed, now, 0),
            Decision::Stop
        );
        let almost_spent = policy.max_total_delay - Duration::from_millis(1);
        assert_eq!(
            policy.decide(&Method::GET, 1, almost_spent, failed, now, 0),
            Decision::Stop
        );
        assert_eq!(
            RetryPolicy::never().decide(&Method::GET, 1, Duration::ZERO, failed, now, 0),
            Decision::Stop
        );
    }

    #[test]
    fn backoff_grows_is_jittered_and_capped() {
        let policy = RetryPolicy::default();
        for attempt in 1..40 {
            let full = policy
                .base_delay
                .saturating_mul(1 << (attempt - 1).min(31))
                .min(policy.max_delay);
            for random in [0, 1, 12345, u64::MAX] {
                let wait = policy.backoff(attempt, random);
                assert!(
                    wait >= full / 2 && wait <= full,
                    "{attempt} {random} {wait:?}"
                );
            }
        }
        assert_ne!(policy.backoff(3, 1), policy.backoff(3, 987_654_321));
        assert_eq!(policy.backoff(1, 0), policy.base_delay / 2);
    }

    #[test]
    fn retry_after_in_seconds_and_as_a_date() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, "120".parse().unwrap());
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(120)));
        h.insert(
            RETRY_AFTER,
            "Sun, 06 Nov 1994 08:49:47 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(10)));
        h.insert(
            RETRY_AFTER,
            "Sun, 06 Nov 1994 08:00:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&h, now), Some(Duration::ZERO));
        h.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&h, now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn a_long_retry_after_stops_and_a_short_one_is_used_as_is() {
        let policy = RetryPolicy::default();
        let now = SystemTime::now();
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, "3600".parse().unwrap());
        assert_eq!(
            policy.decide(&Method::GET, 1, Duration::ZERO, response(429, &h), now, 0),
            Decision::Stop
        );
        h.insert(RETRY_AFTER, "2".parse().unwrap());
        assert_eq!(
            policy.decide(&Method::GET, 1, Duration::ZERO, response(503, &h), now, 0),
            Decision::RetryAfter(Duration::from_secs(2))
        );
    }
}

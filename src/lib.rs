//! A client for the ROCKIT Edge API of ROCKITPLAY.
//!
//! ROCKIT Edge takes native game builds and has background tasks turn them into FastStart
//! images and patches and publish them to CDN origins. This crate speaks its HTTP API:
//!
//! - a **sans-IO core**: every endpoint is a value that builds an `http::Request<Vec<u8>>`
//!   ([`Endpoint::to_request`]) and decodes the answer into typed models or a typed
//!   [`Error`] ([`Endpoint::decode`]);
//! - a one-method [`Transport`] trait, which any closure satisfies, and a [`Client`] that
//!   sends endpoints over it;
//! - with the `ureq` feature, a blocking transport over ureq 3 (`ureq_transport`) and
//!   streaming build uploads (`upload`);
//! - a [`session::SessionClient`] that logs in and renews its tokens before they expire;
//! - an in-memory [`fake`] ROCKIT Edge, for examples and for testing code that uses this crate;
//! - with the `webhooks` feature, verification of the signed requests Edge sends to webhooks
//!   (`webhooks`).
//!
//! Models keep what they do not type: unknown members stay in `extra` (an [`Extra`]), unknown
//! enumeration values in `Other`, so that decoding and encoding again gives back the same JSON.
//! Where the reference does not show a wire shape, the choice made is listed in [`assumed`].
//!
//! ```
//! use rockit_edge::fake::FakeEdge;
//! use rockit_edge::tasks::ListTasks;
//! use rockit_edge::Client;
//!
//! let fake = FakeEdge::seeded();
//! let client = Client::new(fake.clone(), fake.base_url(), fake.credentials());
//! let page = client.send(&ListTasks::new().app_name("sushi")).unwrap();
//! assert!(page.items.iter().all(|task| task.app_name.contains("sushi")));
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod admin;
pub mod api_keys;
pub mod apps;
pub mod assumed;
pub mod auth;
mod base_url;
pub mod builds;
mod client;
pub mod decode;
pub mod deployments;
pub mod endpoint;
pub mod error;
pub mod fake;
pub mod login;
pub mod model;
pub mod names;
pub mod orgs;
pub mod page;
pub mod pager;
pub mod raw;
pub mod redact;
pub mod retry;
pub mod roles;
mod secret;
pub mod session;
pub mod subscriptions;
pub mod tasks;
pub mod transport;
pub mod triggers;
#[cfg(feature = "ureq")]
pub mod upload;
#[cfg(feature = "ureq")]
pub mod ureq_transport;
pub mod users;
pub mod watch;
#[cfg(feature = "webhooks")]
pub mod webhooks;

pub use auth::{ApiKey, Auth, Credentials};
pub use base_url::BaseUrl;
pub use client::Client;
pub use endpoint::Endpoint;
pub use error::{
    ApiError, DecodeError, Error, ErrorCode, InputError, PagingError, TransportError,
    TransportErrorKind,
};
pub use model::{Extra, Field};
pub use page::Page;
pub use secret::{Password, Secret};
pub use transport::Transport;

// The README's examples are compiled and run as doc tests; one of them needs `ureq`.
#[cfg(all(doctest, feature = "ureq"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

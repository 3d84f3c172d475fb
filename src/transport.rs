//! The seam to I/O: anything that turns a request into a response.

use http::{Request, Response};

use crate::error::TransportError;

/// Sends one request and returns the response, whatever its status.
///
/// A transport returns error statuses as responses, with their bodies; it fails only when no
/// answer was received. Any function or closure of the right shape is a transport:
///
/// ```
/// use rockit_edge::{Transport, TransportError};
///
/// let canned = |_request: http::Request<Vec<u8>>| -> Result<http::Response<Vec<u8>>, TransportError> {
///     Ok(http::Response::new(br#"{"status":"success"}"#.to_vec()))
/// };
/// let response = canned.send(http::Request::new(Vec::new())).unwrap();
/// assert_eq!(response.status(), 200);
/// ```
pub trait Transport {
    /// Sends `request` and returns the answer.
    fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError>;
}

impl<F> Transport for F
where
    F: Fn(Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError>,
{
    fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
        self(request)
    }
}

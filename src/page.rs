//! One page of a list answer.

use serde_json::{Map, Value};

use crate::assumed::LIST_TOTAL_MEMBER;

/// One page of a list: its items, and every other member of the list body (counts, paging)
/// except `status`, kept as received.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The other members of the list body.
    pub extra: Map<String, Value>,
}

impl<T> Page<T> {
    /// The number of all matching items, when the server reports it (see
    /// [`LIST_TOTAL_MEMBER`]).
    pub fn total(&self) -> Option<u64> {
        self.extra.get(LIST_TOTAL_MEMBER).and_then(Value::as_u64)
    }
}

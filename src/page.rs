//! One page of a list answer.

use serde_json::Value;

use crate::assumed::{LIST_TOTAL_MEMBER, QUERY_ORDER};
use crate::endpoint::Query;
use crate::error::InputError;
use crate::model::Extra;

/// One page of a list: its items, and every other member of the list body (counts, paging)
/// except `status`, kept as received.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The other members of the list body.
    pub extra: Extra,
}

impl<T> Page<T> {
    /// The number of all matching items, when the server reports it (see
    /// [`LIST_TOTAL_MEMBER`]).
    pub fn total(&self) -> Option<u64> {
        self.extra.get(LIST_TOTAL_MEMBER).and_then(Value::as_u64)
    }
}

/// Paging and sorting, shared by every list request: `offset`, `limit` (the server's default
/// is [`crate::pager::DEFAULT_PAGE_SIZE`]), sort keys and any further query parameters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListParams {
    offset: Option<u64>,
    limit: Option<u64>,
    order: Vec<String>,
    params: Vec<(String, String)>,
}

impl ListParams {
    /// The offset asked for, 0 when none was.
    pub fn offset(&self) -> u64 {
        self.offset.unwrap_or(0)
    }

    /// The page size asked for, if any.
    pub fn limit(&self) -> Option<u64> {
        self.limit
    }

    pub(crate) fn set_offset(&mut self, offset: u64) {
        self.offset = Some(offset);
    }

    pub(crate) fn set_limit(&mut self, limit: u64) {
        self.limit = Some(limit);
    }

    pub(crate) fn push_order(&mut self, field: &str, descending: bool) {
        let sign = if descending { '-' } else { '+' };
        self.order.push(format!("[{sign}{field}]"));
    }

    pub(crate) fn push_param(&mut self, key: String, value: String) {
        self.params.push((key, value));
    }

    /// Writes `offset` and `limit`, which come first in every list query.
    pub(crate) fn write_head(&self, query: &mut Query) -> Result<(), InputError> {
        if self.limit == Some(0) {
            return Err(InputError::new("limit", "must be at least 1"));
        }
        query
            .push_opt("offset", self.offset)
            .push_opt("limit", self.limit);
        Ok(())
    }

    /// Writes the sort keys and the further parameters, which come last.
    pub(crate) fn write_tail(&self, query: &mut Query) {
        for order in &self.order {
            query.push(QUERY_ORDER, order);
        }
        query.extend(&self.params);
    }
}

/// Gives a list request, which keeps its [`ListParams`] in a field `list`, the paging
/// builder methods and [`crate::pager::Paged`].
macro_rules! list_request {
    ($list:ident, $item:ty) => {
        impl $list {
            /// Skips this many items.
            pub fn offset(mut self, offset: u64) -> Self {
                self.list.set_offset(offset);
                self
            }

            /// Returns at most this many items (at least 1).
            pub fn limit(mut self, limit: u64) -> Self {
                self.list.set_limit(limit);
                self
            }

            /// Sets the offset and the page size where given, as a command line or a form
            /// relays them; a limit of 0 is refused when the request is built.
            pub fn offset_and_limit(mut self, offset: Option<u64>, limit: Option<u64>) -> Self {
                if let Some(offset) = offset {
                    self.list.set_offset(offset);
                }
                if let Some(limit) = limit {
                    self.list.set_limit(limit);
                }
                self
            }

            /// Sorts by `field`, ascending or descending; call again for further keys.
            pub fn order_by(mut self, field: &str, descending: bool) -> Self {
                self.list.push_order(field, descending);
                self
            }

            /// Adds any other query parameter, sent as given.
            pub fn param(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
                self.list.push_param(key.into(), value.into());
                self
            }
        }

        impl $crate::pager::Paged for $list {
            type Item = $item;

            fn page_offset(&self) -> u64 {
                self.list.offset()
            }

            fn page_limit(&self) -> Option<u64> {
                self.list.limit()
            }

            fn at_offset(&self, offset: u64) -> Self {
                self.clone().offset(offset)
            }
        }
    };
}

pub(crate) use list_request;

//! Walking a list page by page, sans-IO, and as an iterator on the client.
//!
//! Lists take `offset` and `limit`; the server's default page size is
//! [`DEFAULT_PAGE_SIZE`]. A walk ends on an empty page, when the reported total is reached,
//! or, when no total is reported, on a page shorter than the page size. A server that ignores
//! `offset` would answer the same page forever: the pager notices the repeat and ends with
//! [`Error::Paging`] instead.

use http::Response;

use crate::endpoint::Endpoint;
use crate::error::{Error, PagingError};
use crate::page::Page;

/// The page size the server uses when a list names no `limit`.
pub const DEFAULT_PAGE_SIZE: u64 = 10;

/// A list endpoint that can be asked for another page.
pub trait Paged: Endpoint<Output = Page<Self::Item>> + Sized {
    /// One item of the list.
    type Item: PartialEq + Clone;

    /// The offset this request starts at.
    fn page_offset(&self) -> u64;

    /// The page size this request asks for.
    fn page_limit(&self) -> Option<u64>;

    /// The same request, starting at `offset`.
    fn at_offset(&self, offset: u64) -> Self;
}

/// Walks a list: hands out the request for the next page, takes its answer, returns its items.
///
/// ```
/// use rockit_edge::pager::Pager;
/// use rockit_edge::tasks::ListTasks;
/// use rockit_edge::fake::FakeEdge;
/// use rockit_edge::{Endpoint, Transport};
///
/// let fake = FakeEdge::seeded();
/// let mut pager = Pager::new(ListTasks::new().limit(3));
/// let mut names = Vec::new();
/// while let Some(list) = pager.next_request() {
///     let request = list.to_request(&fake.base_url(), &fake.credentials()).unwrap();
///     let response = fake.send(request).unwrap();
///     names.extend(pager.feed(&response).unwrap().into_iter().map(|t| t.name));
/// }
/// assert_eq!(names.len(), fake.tasks().len());
/// ```
#[derive(Debug)]
pub struct Pager<E: Paged> {
    next: Option<E>,
    first_of_last_page: Option<E::Item>,
    pages: u64,
}

impl<E: Paged> Pager<E> {
    /// Starts at `list`'s own offset.
    pub fn new(list: E) -> Self {
        Pager {
            next: Some(list),
            first_of_last_page: None,
            pages: 0,
        }
    }

    /// The request for the next page, or `None` when the walk is over.
    pub fn next_request(&self) -> Option<&E> {
        self.next.as_ref()
    }

    /// How many pages were taken so far.
    pub fn pages(&self) -> u64 {
        self.pages
    }

    /// Decodes the answer to [`Pager::next_request`] and returns its items. An error ends the
    /// walk.
    pub fn feed<B: AsRef<[u8]>>(&mut self, response: &Response<B>) -> Result<Vec<E::Item>, Error> {
        let Some(current) = self.next.take() else {
            return Ok(Vec::new());
        };
        let page = current.decode(response)?;
        self.take_page(current, page)
    }

    /// Like [`Pager::feed`], for a page decoded elsewhere.
    pub fn take_page(&mut self, current: E, page: Page<E::Item>) -> Result<Vec<E::Item>, Error> {
        self.next = None;
        self.pages += 1;
        let Some(first) = page.items.first() else {
            return Ok(page.items);
        };
        if self.first_of_last_page.as_ref() == Some(first) {
            return Err(Error::Paging(PagingError::new(format!(
                "the page at offset {} repeats the previous page; the server seems to ignore \
                 `offset`",
                current.page_offset()
            ))));
        }
        self.first_of_last_page = Some(first.clone());

        let size = current.page_limit().unwrap_or(DEFAULT_PAGE_SIZE);
        let count = page.items.len() as u64;
        let next_offset = current.page_offset().saturating_add(count);
        // A reported total decides; a server may cap pages below the size asked for, and a
        // short page then does not mean the end. Without a total, a short page is the end.
        let more = match page.total() {
            Some(total) => next_offset < total,
            None => count >= size,
        };
        if more {
            self.next = Some(current.at_offset(next_offset));
        }
        Ok(page.items)
    }
}

/// The items of a list, page by page, fetched through a client only when needed. Made by
/// [`crate::Client::all`].
pub struct Items<'c, T, E: Paged> {
    pub(crate) client: &'c crate::Client<T>,
    pub(crate) pager: Pager<E>,
    pub(crate) buffered: std::vec::IntoIter<E::Item>,
}

impl<T: crate::Transport, E: Paged> Iterator for Items<'_, T, E> {
    type Item = Result<E::Item, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.buffered.next() {
                return Some(Ok(item));
            }
            let list = self.pager.next.take()?;
            let answer = self.client.send(&list);
            let answer = answer.and_then(|page| self.pager.take_page(list, page));
            match answer {
                Ok(items) => self.buffered = items.into_iter(),
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

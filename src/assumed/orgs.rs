//! Assumed wire shapes of `crate::orgs`.

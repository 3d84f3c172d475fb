//! Assumed wire shapes of `crate::builds`.

//! Assumed wire shapes of `crate::roles`.

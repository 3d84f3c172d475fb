//! Assumed wire shapes of `crate::admin`.

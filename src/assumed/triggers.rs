//! Assumed wire shapes of `crate::triggers`.

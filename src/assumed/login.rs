//! Assumed wire shapes of `crate::login`.

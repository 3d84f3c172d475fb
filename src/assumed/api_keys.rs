//! Assumed wire shapes of `crate::api_keys`.

//! Assumed wire shapes of `crate::subscriptions`.

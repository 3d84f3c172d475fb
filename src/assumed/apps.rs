//! Assumed wire shapes of `crate::apps`.

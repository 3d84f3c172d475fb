//! Assumed wire shapes of `crate::users`.

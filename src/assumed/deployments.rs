//! Assumed wire shapes of `crate::deployments`.

//! The name patterns the reference gives for path parameters, checked before a request is
//! built so that a bad name fails with a clear error instead of a server's 400.

use crate::error::InputError;

/// Which characters a kind of name may have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NamePattern {
    /// `^[A-Za-z0-9_]{2,50}$`: organisation, user and app names.
    Standard,
    /// `^[A-Za-z0-9_[\]]{2,50}$`: deployment names.
    Deployment,
}

impl NamePattern {
    /// The pattern as the reference writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            NamePattern::Standard => "^[A-Za-z0-9_]{2,50}$",
            NamePattern::Deployment => "^[A-Za-z0-9_[\\]]{2,50}$",
        }
    }

    /// Checks `value`, a name that plays the role `what` (such as `"app name"`).
    ///
    /// ```
    /// use rockit_edge::names::NamePattern;
    ///
    /// assert!(NamePattern::Standard.check("app name", "sushi_2").is_ok());
    /// let err = NamePattern::Standard.check("app name", "sushi-2").unwrap_err();
    /// assert_eq!(err.to_string(), "invalid app name: `-` is not allowed; names match ^[A-Za-z0-9_]{2,50}$");
    /// ```
    pub fn check(self, what: &'static str, value: &str) -> Result<(), InputError> {
        let allowed = |c: char| {
            c.is_ascii_alphanumeric()
                || c == '_'
                || (self == NamePattern::Deployment && (c == '[' || c == ']'))
        };
        let problem = if let Some(c) = value.chars().find(|c| !allowed(*c)) {
            if c.is_ascii_graphic() {
                format!("`{c}` is not allowed")
            } else {
                format!("character U+{:04X} is not allowed", c as u32)
            }
        } else if value.len() < 2 {
            "is shorter than 2 characters".to_owned()
        } else if value.len() > 50 {
            "is longer than 50 characters".to_owned()
        } else {
            return Ok(());
        };
        Err(InputError::new(
            what,
            format!("{problem}; names match {}", self.as_str()),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::NamePattern::*;

    #[test]
    fn lengths_and_characters() {
        assert!(Standard.check("n", "ab").is_ok());
        assert!(Standard.check("n", &"a".repeat(50)).is_ok());
        assert!(Standard.check("n", "a").is_err());
        assert!(Standard.check("n", &"a".repeat(51)).is_err());
        assert!(Standard.check("n", "").is_err());
        assert!(Standard.check("n", "a b").is_err());
        assert!(Standard.check("n", "caf\u{e9}").is_err());
        assert!(Standard.check("n", "a[0]").is_err());
        assert!(Deployment.check("n", "gcore[0]").is_ok());
        assert!(Deployment.check("n", "a/b").is_err());
    }
}

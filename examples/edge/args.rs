//! A small argument reader: positional words and `--name value` options, with errors that say
//! what is wrong.

use std::fmt;

/// What is wrong with the command line.
#[derive(Debug)]
pub struct UsageError(String);

impl UsageError {
    pub fn new(message: impl Into<String>) -> Self {
        UsageError(message.into())
    }
}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The words of the command line not yet used.
pub struct Args {
    words: Vec<Option<String>>,
    /// The options already taken, to tell a repeated option from an unknown one.
    taken: Vec<String>,
}

impl Args {
    pub fn new(words: impl Iterator<Item = String>) -> Self {
        Args {
            words: words.map(Some).collect(),
            taken: Vec::new(),
        }
    }

    /// Removes `--name` if it is present.
    pub fn take_flag(&mut self, name: &str) -> bool {
        self.taken.push(name.to_owned());
        match self.words.iter().position(|w| w.as_deref() == Some(name)) {
            Some(i) => {
                self.words[i] = None;
                true
            }
            None => false,
        }
    }

    /// Removes `--name VALUE` (or `--name=VALUE`) and returns the value.
    pub fn take_option(&mut self, name: &str) -> Result<Option<String>, UsageError> {
        self.taken.push(name.to_owned());
        let prefix = format!("{name}=");
        for i in 0..self.words.len() {
            let Some(word) = self.words[i].as_deref() else {
                continue;
            };
            if let Some(value) = word.strip_prefix(&prefix) {
                let value = value.to_owned();
                self.words[i] = None;
                return Ok(Some(value));
            }
            if word == name {
                self.words[i] = None;
                return match self.words.get_mut(i + 1).and_then(Option::take) {
                    Some(value) if !value.starts_with("--") => Ok(Some(value)),
                    _ => Err(UsageError::new(format!("{name} needs a value"))),
                };
            }
        }
        Ok(None)
    }

    /// Like [`Args::take_option`], for a whole number.
    pub fn take_number(&mut self, name: &str) -> Result<Option<u64>, UsageError> {
        match self.take_option(name)? {
            None => Ok(None),
            Some(text) => text
                .parse()
                .map(Some)
                .map_err(|_| UsageError::new(format!("{name} needs a whole number, not `{text}`"))),
        }
    }

    /// Removes `--offset N` and `--limit N` (at least 1), the paging options of every list.
    pub fn take_paging(&mut self) -> Result<(Option<u64>, Option<u64>), UsageError> {
        let offset = self.take_number("--offset")?;
        let limit = self.take_number("--limit")?;
        if limit == Some(0) {
            return Err(UsageError::new("--limit must be at least 1"));
        }
        Ok((offset, limit))
    }

    /// Removes the next positional word, which names `what`.
    pub fn command(&mut self, what: &str) -> Result<String, UsageError> {
        self.words
            .iter_mut()
            .find(|w| w.as_deref().is_some_and(|w| !w.starts_with("--")))
            .and_then(Option::take)
            .ok_or_else(|| UsageError::new(format!("missing {what}")))
    }

    /// Fails if any word was not used.
    pub fn finish(self) -> Result<(), UsageError> {
        match self.words.into_iter().flatten().next() {
            Some(word) if word.starts_with("--") => {
                let name = word.split('=').next().unwrap_or(&word);
                if self.taken.iter().any(|taken| taken == name) {
                    Err(UsageError::new(format!("`{name}` is given more than once")))
                } else {
                    Err(UsageError::new(format!("unknown option `{word}`")))
                }
            }
            Some(word) => Err(UsageError::new(format!("unexpected argument `{word}`"))),
            None => Ok(()),
        }
    }
}

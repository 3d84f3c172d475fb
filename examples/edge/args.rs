//! A small argument reader: positional words and `--name value` options, with errors that say
//! what is wrong. After `--`, every word is positional, even one that starts with `--`.

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
    /// Where the words after `--` start; options are looked for only before.
    literal: usize,
    /// The options already taken, to tell a repeated option from an unknown one.
    taken: Vec<String>,
}

impl Args {
    pub fn new(words: impl Iterator<Item = String>) -> Self {
        let mut words: Vec<Option<String>> = words.map(Some).collect();
        let literal = match words.iter().position(|w| w.as_deref() == Some("--")) {
            Some(end_of_options) => {
                words.remove(end_of_options);
                end_of_options
            }
            None => words.len(),
        };
        Args {
            words,
            literal,
            taken: Vec::new(),
        }
    }

    /// The words that may still hold options.
    fn options(&mut self) -> &mut [Option<String>] {
        &mut self.words[..self.literal]
    }

    /// Removes `--name` if it is present.
    pub fn take_flag(&mut self, name: &str) -> bool {
        self.taken.push(name.to_owned());
        match self
            .options()
            .iter()
            .position(|w| w.as_deref() == Some(name))
        {
            Some(i) => {
                self.words[i] = None;
                true
            }
            None => false,
        }
    }

    /// Removes `--name VALUE` (or `--name=VALUE`) and returns the value, which may not be
    /// empty.
    pub fn take_option(&mut self, name: &str) -> Result<Option<String>, UsageError> {
        self.taken.push(name.to_owned());
        let prefix = format!("{name}=");
        let needs_value = || UsageError::new(format!("{name} needs a value"));
        for i in 0..self.literal {
            let Some(word) = self.words[i].as_deref() else {
                continue;
            };
            let value = if let Some(value) = word.strip_prefix(&prefix) {
                let value = value.to_owned();
                self.words[i] = None;
                Some(value)
            } else if word == name {
                self.words[i] = None;
                let next = self.options().get_mut(i + 1).and_then(Option::take);
                Some(
                    next.filter(|v| !v.starts_with("--"))
                        .ok_or_else(needs_value)?,
                )
            } else {
                None
            };
            if let Some(value) = value {
                return match value.is_empty() {
                    true => Err(needs_value()),
                    false => Ok(Some(value)),
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
        let literal = self.literal;
        self.words
            .iter_mut()
            .enumerate()
            .find(|(i, w)| {
                w.as_deref()
                    .is_some_and(|w| *i >= literal || !w.starts_with("--"))
            })
            .and_then(|(_, w)| w.take())
            .ok_or_else(|| UsageError::new(format!("missing {what}")))
    }

    /// Fails if any word was not used.
    pub fn finish(self) -> Result<(), UsageError> {
        let literal = self.literal;
        let mut left = self.words.into_iter().enumerate();
        match left.find_map(|(i, w)| Some((i, w?))) {
            Some((i, word)) if i < literal && word.starts_with("--") => {
                let name = word.split('=').next().unwrap_or(&word);
                if self.taken.iter().any(|taken| taken == name) {
                    Err(UsageError::new(format!("`{name}` is given more than once")))
                } else {
                    Err(UsageError::new(format!("unknown option `{word}`")))
                }
            }
            Some((_, word)) => Err(UsageError::new(format!("unexpected argument `{word}`"))),
            None => Ok(()),
        }
    }
}

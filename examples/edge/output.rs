//! How results and errors are shown: aligned tables, readable blocks, or JSON.

use std::io::{self, Write};

use rockit_edge::error::Printable;
use rockit_edge::{Error, Page};
use serde::Serialize;
use serde_json::{Map, Value};

/// Writes one line on stdout. When the reader has gone (`| head`), the program ends quietly
/// with success, as command-line tools do; any other write error ends it with exit code 1.
pub fn line(args: std::fmt::Arguments<'_>) {
    let mut stdout = io::stdout().lock();
    if let Err(e) = writeln!(stdout, "{args}").and_then(|()| stdout.flush()) {
        if e.kind() == io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("edge: cannot write the output: {e}");
        std::process::exit(1);
    }
}

/// Prints `value` as pretty JSON on stdout.
pub fn json<T: Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => out!("{text}"),
        Err(e) => eprintln!("edge: cannot encode the result as JSON: {e}"),
    }
}

/// Prints `value` as JSON when `as_json`, else as `human` shows it.
pub fn json_or<T: Serialize>(as_json: bool, value: &T, human: impl FnOnce(&T)) {
    if as_json {
        json(value);
    } else {
        human(value);
    }
}

/// A list page as the server sent its body, without `status`: the items under `member`, then
/// the page's other members.
pub fn list_body<T: Serialize>(page: &Page<T>, member: &str) -> Map<String, Value> {
    let mut body = page.extra.clone().into_map();
    let items = page
        .items
        .iter()
        .map(serde_json::to_value)
        .collect::<Result<_, _>>();
    body.insert(member.to_owned(), Value::Array(items.unwrap_or_default()));
    body
}

/// A secret as the human-readable output shows it: only with `--show-secrets`.
pub fn shown(secret: &str, show: bool) -> String {
    if show {
        secret.to_owned()
    } else {
        "[hidden; --show-secrets shows it]".to_owned()
    }
}

/// An answer that carries secrets, as JSON: unless `show`, every member but the typed ones in
/// `typed` is `[redacted]`, and so are the members named in `secrets` at any depth. A member
/// this program does not know may be a secret too.
pub fn hidden_json<T: Serialize>(
    answer: &T,
    typed: &[&str],
    secrets: &[&str],
    show: bool,
) -> Value {
    fn hide(value: &mut Value, secrets: &[&str]) {
        match value {
            Value::Object(map) => {
                for (name, member) in map.iter_mut() {
                    if secrets.contains(&name.as_str()) {
                        *member = Value::from("[redacted]");
                    } else {
                        hide(member, secrets);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|item| hide(item, secrets)),
            _ => {}
        }
    }

    let mut json = serde_json::to_value(answer).unwrap_or(Value::Null);
    if !show {
        if let Value::Object(members) = &mut json {
            for (name, member) in members.iter_mut() {
                if !typed.contains(&name.as_str()) {
                    *member = Value::from("[redacted]");
                }
            }
        }
        hide(&mut json, secrets);
    }
    json
}

/// Prints rows under a header, each column as wide as its widest cell. Cells come from the
/// server, so their control characters are escaped.
pub fn table(header: &[&str], rows: &[Vec<String>]) {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|c| Printable(c).to_string()).collect())
        .collect();
    let rows = &rows;
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (i, (cell, width)) in row.iter().zip(&widths).enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.extend(std::iter::repeat_n(' ', width - cell.chars().count() + 2));
            }
        }
        out!("{}", line.trim_end());
    }
}

/// Prints `label: value` lines with the values aligned, control characters escaped.
pub fn block(lines: &[(&str, String)]) {
    let width = lines.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    for (label, value) in lines {
        out!(
            "{label:width$}  {}",
            Printable(value),
            width = width + 1,
            label = format!("{label}:")
        );
    }
}

/// One line naming the HTTP status and the API's error code, when there are any.
pub fn describe_error(error: &Error) -> String {
    match error {
        Error::Api(e) => {
            let mut text = format!("HTTP {}", e.status());
            if let Some(code) = e.code() {
                text.push_str(&format!(", error code {}", Printable(code.as_str())));
            }
            if let Some(message) = e.message() {
                text.push_str(&format!(": {}", Printable(message)));
            } else if !e.body().is_empty() {
                let body = e.body().text();
                let first: String = body
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .chars()
                    .take(80)
                    .collect();
                text.push_str(&format!(" (body starts: {})", Printable(&first)));
            }
            text
        }
        other => other.to_string(),
    }
}

//! `edge raw METHOD PATH …`: any request, for what the typed commands do not cover.

use rockit_edge::raw::RawRequest;
use rockit_edge::Auth;
use serde_json::{Map, Value};

use crate::admin::admin_client;
use crate::args::{Args, UsageError};
use crate::{connect, output, Failure};

pub fn run(mut args: Args) -> Result<(), Failure> {
    // Options first, so that a value such as a JSON body is not taken for METHOD or PATH.
    let as_json = args.take_flag("--json");
    let admin = args.take_flag("--admin");
    let body = args.take_option("--body")?;
    let mut params = Vec::new();
    while let Some(pair) = args.take_option("--param")? {
        let Some((key, value)) = pair.split_once('=') else {
            return Err(UsageError::new(format!("--param needs KEY=VALUE, not `{pair}`")).into());
        };
        params.push((key.to_owned(), value.to_owned()));
    }
    let method = args.command("a method")?;
    let path = args.command("a path")?;
    let method = http::Method::from_bytes(method.to_ascii_uppercase().as_bytes())
        .map_err(|_| UsageError::new(format!("`{method}` is not an HTTP method")))?;
    let mut request = RawRequest::new(method, path);
    if let Some(body) = body {
        let body: Value = serde_json::from_str(&body)
            .map_err(|e| UsageError::new(format!("--body is not JSON: {e}")))?;
        request = request.body(body);
    }
    for (key, value) in params {
        request = request.param(key, value);
    }
    args.finish()?;

    let answer = if admin {
        let client = admin_client()?;
        client.send(&request.auth(Auth::Admin))?
    } else {
        connect::client()?.send(&request)?
    };

    if as_json {
        let mut whole = Map::new();
        whole.insert("status".into(), Value::from(answer.status.as_u16()));
        whole.insert("body".into(), answer.body.unwrap_or(Value::Null));
        output::json(&whole);
    } else {
        eprintln!("HTTP {}", answer.status);
        if let Some(body) = &answer.body {
            output::json(body);
        }
    }
    Ok(())
}

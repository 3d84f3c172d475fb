//! `edge admin …`: the admin API's health checks, under whichever prefix the server serves.

use rockit_edge::admin::{
    send_with_legacy_fallback, AdminPrefix, GetVersions, Ping, SubmitTestTask,
};
use rockit_edge::{Client, Credentials, Error, InputError};
use serde_json::{Map, Value};

use crate::args::{Args, UsageError};
use crate::connect::Server;
use crate::login::client_with;
use crate::{output, Failure};

pub fn run(mut args: Args) -> Result<(), Failure> {
    let action = args.command("an admin command (ping, versions, hello)")?;
    let as_json = args.take_flag("--json");
    let client = admin_client()?;
    match action.as_str() {
        "ping" => {
            args.finish()?;
            let (answer, prefix) = send_with_legacy_fallback(&client, &Ping::new())?;
            report_prefix(prefix);
            members(&answer, as_json, "pong");
        }
        "hello" => {
            let message = args
                .take_option("--message")?
                .unwrap_or_else(|| "Hello World".to_owned());
            let maintenance = args.take_flag("--maintenance");
            args.finish()?;
            let hello = SubmitTestTask::new(message, maintenance);
            let (answer, prefix) = send_with_legacy_fallback(&client, &hello)?;
            report_prefix(prefix);
            members(&answer, as_json, "test task submitted");
        }
        "versions" => {
            args.finish()?;
            let (versions, prefix) = send_with_legacy_fallback(&client, &GetVersions::new())?;
            report_prefix(prefix);
            if as_json {
                output::json(&versions);
                return Ok(());
            }
            let text = |v: Option<&Value>| match v {
                Some(Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
                None => "-".to_owned(),
            };
            let mut lines = vec![
                ("edge", text(versions.edge.get())),
                ("engine", text(versions.engine.get())),
            ];
            for (name, value) in &versions.extra {
                lines.push((name.as_str(), text(Some(value))));
            }
            output::block(&lines);
        }
        other => return Err(UsageError::new(format!("unknown admin command `{other}`")).into()),
    }
    Ok(())
}

/// A client holding the fake's admin token, or `ROCKIT_EDGE_ADMIN_TOKEN` for a real server.
pub fn admin_client() -> Result<Client<Server>, Error> {
    client_with(|fake| match fake {
        Some(fake) => Ok(fake.admin_credentials()),
        None => match std::env::var("ROCKIT_EDGE_ADMIN_TOKEN") {
            Ok(token) if !token.is_empty() => Ok(Credentials::admin_token(token)?),
            _ => Err(Error::Input(InputError::new(
                "credentials",
                "set ROCKIT_EDGE_ADMIN_TOKEN for the admin API",
            ))),
        },
    })
}

fn report_prefix(prefix: AdminPrefix) {
    if prefix == AdminPrefix::Legacy {
        eprintln!("(answered under the legacy prefix {})", prefix.as_str());
    }
}

/// Prints an answer's members, or `done` when it has none.
fn members(answer: &Map<String, Value>, as_json: bool, done: &str) {
    if as_json {
        output::json(answer);
    } else if answer.is_empty() {
        out!("{done}");
    } else {
        let lines: Vec<(&str, String)> = answer
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str(),
                    v.as_str().map_or_else(|| v.to_string(), str::to_owned),
                )
            })
            .collect();
        output::block(&lines);
    }
}

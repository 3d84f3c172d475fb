//! `edge orgs …`: create and delete organisations (needs an administrator's auth token).

use rockit_edge::assumed::orgs::ORGS_CREATE_PASSWORD_MEMBER;
use rockit_edge::orgs::{CreateOrganization, DeleteOrganization};
use serde_json::Value;

use crate::args::{Args, UsageError};
use crate::{connect, output, Failure};

pub fn run(mut args: Args) -> Result<(), Failure> {
    let action = args.command("an orgs command (create, delete)")?;
    let as_json = args.take_flag("--json");
    match action.as_str() {
        "create" => create(args, as_json),
        "delete" => {
            let name = args.command("an organisation name")?;
            let prune = args.take_flag("--prune");
            args.finish()?;
            let mut request = DeleteOrganization::new(&name);
            if prune {
                request = request.prune(true);
            }
            let answer = connect::client()?.send(&request)?;
            output::json_or(as_json, &answer, |_| out!("deleted organisation {name}"));
            Ok(())
        }
        other => Err(UsageError::new(format!("unknown orgs command `{other}`")).into()),
    }
}

fn create(mut args: Args, as_json: bool) -> Result<(), Failure> {
    let show = args.take_flag("--show-secrets");
    let name = args.command("an organisation name")?;
    let mut request = CreateOrganization::new(&name);
    if let Some(email) = args.take_option("--email")? {
        request = request.admin_email(email);
    }
    if let Some(path) = args.take_option("--public-key")? {
        let pem = std::fs::read_to_string(&path)
            .map_err(|e| Failure::Unsuccessful(format!("cannot read --public-key {path}: {e}")))?;
        request = request.public_key(pem);
    }
    args.finish()?;

    let created = connect::client()?.send(&request)?;

    // No endpoint reads the password back, so this is the one chance to show it.
    let password = created.initial_password.as_ref().map(|p| p.expose());
    if as_json {
        let mut body = created.extra.clone();
        if let Some(password) = password {
            body.insert(
                ORGS_CREATE_PASSWORD_MEMBER.to_owned(),
                Value::from(password),
            );
        }
        output::json(&output::hidden_json(&body, &[], &[], show));
        return Ok(());
    }
    let mut lines = vec![("created", created.org_name.clone())];
    if let Some(password) = password {
        lines.push(("initial password", output::shown(password, show)));
    }
    output::block(&lines);
    Ok(())
}

//! `edge deployments …`: list, show, create, modify and delete deployments.
//!
//! The secret access key of an origin is read from `ROCKIT_EDGE_ORIGIN_SECRET_KEY`, never
//! from the command line, where other users of the machine could see it.

use rockit_edge::assumed::deployments as assumed;
use rockit_edge::deployments::{
    CreateDeployment, DeleteDeployment, Deployment, GetDeployment, ListDeployments,
    ModifyDeployment, OriginCredentials,
};
use rockit_edge::Field;
use serde_json::{Map, Value};

use crate::args::{Args, UsageError};
use crate::{connect, output, Failure};

/// The environment variable holding the origin's secret access key.
const SECRET_VAR: &str = "ROCKIT_EDGE_ORIGIN_SECRET_KEY";

pub fn run(mut args: Args) -> Result<(), Failure> {
    let action = args.command("a deployments command (list, show, create, modify, delete)")?;
    let as_json = args.take_flag("--json");
    match action.as_str() {
        "list" => list(args, as_json),
        "show" => {
            let name = args.command("a deployment name")?;
            args.finish()?;
            let deployment = connect::client()?.send(&GetDeployment::new(name))?;
            output::json_or(as_json, &deployment, show);
            Ok(())
        }
        "create" => {
            let name = args.command("a deployment name")?;
            let origin_type = args
                .take_option("--type")?
                .ok_or_else(|| UsageError::new("deployments create needs --type (such as s3)"))?;
            let mut create = CreateDeployment::new(&name, origin_type.as_str());
            if let Some(endpoint) = args.take_option("--endpoint")? {
                create = create.endpoint(endpoint);
            }
            if let Some(bucket) = args.take_option("--bucket")? {
                create = create.bucket(bucket);
            }
            if let Some(prefix) = args.take_option("--prefix")? {
                create = create.origin_prefix(prefix);
            }
            if let Some(group) = args.take_option("--auth-group")? {
                create = create.download_auth_group(group);
            }
            if let Some(credentials) = take_credentials(&mut args)? {
                create = create.credentials(credentials);
            }
            args.finish()?;
            let answer = connect::client()?.send(&create)?;
            done(as_json, &answer, format!("created deployment {name}"));
            Ok(())
        }
        "modify" => {
            let name = args.command("a deployment name")?;
            let mut modify = ModifyDeployment::new(&name);
            if let Some(endpoint) = args.take_option("--endpoint")? {
                modify = modify.endpoint(endpoint);
            }
            if let Some(bucket) = args.take_option("--bucket")? {
                modify = modify.bucket(bucket);
            }
            if let Some(prefix) = args.take_option("--prefix")? {
                modify = modify.origin_prefix(prefix);
            }
            match (
                args.take_option("--auth-group")?,
                args.take_flag("--no-auth-group"),
            ) {
                (Some(_), true) => {
                    return Err(UsageError::new(
                        "--auth-group and --no-auth-group exclude each other",
                    )
                    .into())
                }
                (Some(group), false) => modify = modify.download_auth_group(group),
                (None, true) => modify = modify.remove_download_auth_group(),
                (None, false) => {}
            }
            if let Some(credentials) = take_credentials(&mut args)? {
                modify = modify.credentials(credentials);
            }
            args.finish()?;
            let answer = connect::client()?.send(&modify)?;
            done(as_json, &answer, format!("modified deployment {name}"));
            Ok(())
        }
        "delete" => {
            let name = args.command("a deployment name")?;
            args.finish()?;
            let answer = connect::client()?.send(&DeleteDeployment::new(&name))?;
            done(as_json, &answer, format!("deleted deployment {name}"));
            Ok(())
        }
        other => Err(UsageError::new(format!("unknown deployments command `{other}`")).into()),
    }
}

/// `--access-key-id ID` with the secret from the environment.
fn take_credentials(args: &mut Args) -> Result<Option<OriginCredentials>, UsageError> {
    let Some(access_key_id) = args.take_option("--access-key-id")? else {
        return Ok(None);
    };
    let secret = std::env::var(SECRET_VAR)
        .ok()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            UsageError::new(format!(
                "--access-key-id needs the secret key in {SECRET_VAR}"
            ))
        })?;
    Ok(Some(OriginCredentials::s3(access_key_id, secret)))
}

/// Prints the answer of a change: as JSON, or as one line saying what was done.
fn done(as_json: bool, answer: &Map<String, Value>, line: String) {
    output::json_or(as_json, answer, |_| out!("{line}"));
}

fn list(mut args: Args, as_json: bool) -> Result<(), Failure> {
    let mut request = ListDeployments::new();
    if let Some(name) = args.take_option("--name")? {
        request = request.name(name);
    }
    if let Some(status) = args.take_option("--status")? {
        request = request.status(status);
    }
    let (offset, limit) = args.take_paging()?;
    request = request.offset_and_limit(offset, limit);
    args.finish()?;

    let page = connect::client()?.send(&request)?;

    if as_json {
        output::json(&output::list_body(&page, assumed::DEPLOYMENTS_LIST_MEMBER));
        return Ok(());
    }
    let rows: Vec<Vec<String>> = page
        .items
        .iter()
        .map(|d| {
            vec![
                d.name.clone(),
                text(&d.origin_type),
                text(&d.endpoint),
                text(&d.bucket),
                text(&d.origin_prefix),
                text(&d.status),
            ]
        })
        .collect();
    output::table(
        &["NAME", "TYPE", "ENDPOINT", "BUCKET", "PREFIX", "STATUS"],
        &rows,
    );
    if let Some(total) = page.total() {
        eprintln!("{} of {total} deployments", page.items.len());
    }
    Ok(())
}

fn show(deployment: &Deployment) {
    let access_key = deployment
        .credentials
        .get()
        .and_then(|c| c.access_key_id.get())
        .cloned()
        .unwrap_or_else(|| "-".to_owned());
    output::block(&[
        ("name", deployment.name.clone()),
        ("type", text(&deployment.origin_type)),
        ("endpoint", text(&deployment.endpoint)),
        ("bucket", text(&deployment.bucket)),
        ("prefix", text(&deployment.origin_prefix)),
        ("access key", access_key),
        ("auth group", text(&deployment.download_auth_group)),
        ("status", text(&deployment.status)),
        ("message", text(&deployment.message)),
        ("created", text(&deployment.created)),
        ("updated", text(&deployment.updated)),
    ]);
}

fn text<T: std::fmt::Display>(field: &Field<T>) -> String {
    field
        .get()
        .map_or_else(|| "-".to_owned(), ToString::to_string)
}

//! `edge roles …`: list, show, create and delete roles.

use rockit_edge::assumed::roles::ROLES_LIST_MEMBER;
use rockit_edge::roles::{CreateRole, DeleteRole, GetRole, ListRoles, Permissions, Resource, Role};

use crate::args::{Args, UsageError};
use crate::{connect, output, Failure};

pub fn run(mut args: Args) -> Result<(), Failure> {
    let action = args.command("a roles command (list, show, create, delete)")?;
    let as_json = args.take_flag("--json");
    match action.as_str() {
        "list" => list(args, as_json),
        "show" => {
            let name = args.command("a role name")?;
            args.finish()?;
            let role = connect::client()?.send(&GetRole::new(name))?;
            output::json_or(as_json, &role, show);
            Ok(())
        }
        "create" => create(args, as_json),
        "delete" => {
            let name = args.command("a role name")?;
            args.finish()?;
            let answer = connect::client()?.send(&DeleteRole::new(&name))?;
            output::json_or(as_json, &answer, |_| out!("deleted role {name}"));
            Ok(())
        }
        other => Err(UsageError::new(format!("unknown roles command `{other}`")).into()),
    }
}

fn list(mut args: Args, as_json: bool) -> Result<(), Failure> {
    let mut request = ListRoles::new();
    let (offset, limit) = args.take_paging()?;
    request = request.offset_and_limit(offset, limit);
    args.finish()?;

    let page = connect::client()?.send(&request)?;

    if as_json {
        output::json(&output::list_body(&page, ROLES_LIST_MEMBER));
        return Ok(());
    }
    let rows: Vec<Vec<String>> = page
        .items
        .iter()
        .map(|role| vec![role.name.clone(), granted(role)])
        .collect();
    output::table(&["NAME", "PERMISSIONS"], &rows);
    if let Some(total) = page.total() {
        eprintln!("{} of {total} roles", page.items.len());
    }
    Ok(())
}

/// `resource=crud-` for every resource the role allows something on.
fn granted(role: &Role) -> String {
    let parts: Vec<String> = role
        .permissions
        .get()
        .into_iter()
        .flatten()
        .filter(|(_, p)| !p.is_empty())
        .map(|(resource, p)| format!("{resource}={p}"))
        .collect();
    if parts.is_empty() {
        "-".to_owned()
    } else {
        parts.join(" ")
    }
}

fn create(mut args: Args, as_json: bool) -> Result<(), Failure> {
    let name = args.command("a role name")?;
    let mut request = CreateRole::new(&name);
    let mut granted = std::collections::BTreeSet::new();
    while let Some(grant) = args.take_option("--allow")? {
        let (resource, permissions) = grant
            .split_once('=')
            .filter(|(resource, _)| !resource.is_empty())
            .ok_or_else(|| {
                UsageError::new(format!(
                    "--allow takes RESOURCE=PERMISSIONS, such as apps=crud, not `{grant}`"
                ))
            })?;
        if !granted.insert(resource.to_owned()) {
            return Err(
                UsageError::new(format!("--allow names `{resource}` more than once")).into(),
            );
        }
        let permissions: Permissions = permissions
            .parse()
            .map_err(|e| UsageError::new(format!("--allow {grant}: {e}")))?;
        request = request.permission(Resource::from(resource), permissions);
    }
    args.finish()?;

    let answer = connect::client()?.send(&request)?;

    output::json_or(as_json, &answer, |_| out!("created role {name}"));
    Ok(())
}

fn show(role: &Role) {
    let mut lines = vec![("name", role.name.clone())];
    let table = role.permissions.get().cloned().unwrap_or_default();
    let known = Resource::KNOWN.iter().cloned();
    let others = table.keys().filter(|r| !r.is_known()).cloned();
    let rows: Vec<(String, String)> = known
        .chain(others)
        .map(|resource| {
            let p = role.permission(&resource);
            (resource.to_string(), format!("{p} ({})", p.bits()))
        })
        .collect();
    for (resource, value) in &rows {
        lines.push((resource.as_str(), value.clone()));
    }
    output::block(&lines);
}

//! `edge users …`: list, show, create and delete users.

use rockit_edge::assumed::users::{USERS_LIST_MEMBER, USERS_MACHINE_KEY_MEMBER};
use rockit_edge::users::{CreateMachineUser, CreateUser, DeleteUser, GetUser, ListUsers, User};
use rockit_edge::Field;
use serde_json::Value;

use crate::args::{Args, UsageError};
use crate::{connect, output, Failure};

pub fn run(mut args: Args) -> Result<(), Failure> {
    let action = args.command("a users command (list, show, create, delete)")?;
    let as_json = args.take_flag("--json");
    match action.as_str() {
        "list" => list(args, as_json),
        "show" => {
            let name = args.command("a username")?;
            args.finish()?;
            let user = connect::client()?.send(&GetUser::new(name))?;
            output::json_or(as_json, &user, show);
            Ok(())
        }
        "create" => create(args, as_json),
        "delete" => {
            let name = args.command("a username")?;
            args.finish()?;
            let answer = connect::client()?.send(&DeleteUser::new(&name))?;
            output::json_or(as_json, &answer, |_| out!("deleted user {name}"));
            Ok(())
        }
        other => Err(UsageError::new(format!("unknown users command `{other}`")).into()),
    }
}

fn list(mut args: Args, as_json: bool) -> Result<(), Failure> {
    let mut request = ListUsers::new();
    let (offset, limit) = args.take_paging()?;
    request = request.offset_and_limit(offset, limit);
    args.finish()?;

    let page = connect::client()?.send(&request)?;

    if as_json {
        output::json(&output::list_body(&page, USERS_LIST_MEMBER));
        return Ok(());
    }
    let rows: Vec<Vec<String>> = page
        .items
        .iter()
        .map(|u| {
            vec![
                u.username.clone(),
                kind(u).to_owned(),
                display_name(u),
                text(&u.email),
                roles(u),
            ]
        })
        .collect();
    output::table(&["USERNAME", "KIND", "NAME", "EMAIL", "ROLES"], &rows);
    if let Some(total) = page.total() {
        eprintln!("{} of {total} users", page.items.len());
    }
    Ok(())
}

/// Every `--role R`, in order.
fn take_roles(args: &mut Args) -> Result<Vec<String>, UsageError> {
    let mut roles = Vec::new();
    while let Some(role) = args.take_option("--role")? {
        roles.push(role);
    }
    Ok(roles)
}

fn create(mut args: Args, as_json: bool) -> Result<(), Failure> {
    let show = args.take_flag("--show-secrets");
    let name = args.command("a username")?;
    let roles = take_roles(&mut args)?;
    if let Some(label) = args.take_option("--label")? {
        args.finish()?;
        let request = roles.into_iter().fold(
            CreateMachineUser::new(&name, label),
            CreateMachineUser::role,
        );

        let created = connect::client()?.send(&request)?;

        // No endpoint reads a key back, so this is the one chance to show it.
        let mut body = created.extra.clone();
        body.insert(
            USERS_MACHINE_KEY_MEMBER.to_owned(),
            Value::from(created.api_key.expose()),
        );
        if as_json {
            output::json(&output::hidden_json(&body, &[], &[], show));
        } else {
            let key = output::shown(created.api_key.expose(), show);
            output::block(&[("created", created.username.clone()), ("api key", key)]);
        }
        return Ok(());
    }

    let missing = |option: &str| {
        UsageError::new(format!(
            "a person needs {option}, or give --label for a machine user"
        ))
    };
    let email = args
        .take_option("--email")?
        .ok_or_else(|| missing("--email"))?;
    let firstname = args
        .take_option("--firstname")?
        .ok_or_else(|| missing("--firstname"))?;
    let surname = args
        .take_option("--surname")?
        .ok_or_else(|| missing("--surname"))?;
    let title = args.take_option("--title")?;
    args.finish()?;
    let mut request = CreateUser::new(&name, email, firstname, surname);
    if let Some(title) = title {
        request = request.title(title);
    }
    let request = roles.into_iter().fold(request, CreateUser::role);

    let answer = connect::client()?.send(&request)?;

    output::json_or(as_json, &answer, |_| out!("created user {name}"));
    Ok(())
}

fn show(user: &User) {
    let mut lines = vec![
        ("username", user.username.clone()),
        ("kind", kind(user).to_owned()),
    ];
    if user.is_machine() {
        lines.push(("label", text(&user.label)));
    } else {
        lines.push(("title", text(&user.title)));
        lines.push(("first name", text(&user.firstname)));
        lines.push(("surname", text(&user.surname)));
        lines.push(("email", text(&user.email)));
    }
    lines.push(("roles", roles(user)));
    output::block(&lines);
}

fn kind(user: &User) -> &'static str {
    if user.is_machine() {
        "machine"
    } else {
        "person"
    }
}

fn display_name(user: &User) -> String {
    if user.is_machine() {
        return text(&user.label);
    }
    let parts: Vec<&str> = [&user.title, &user.firstname, &user.surname]
        .into_iter()
        .filter_map(|f| f.get().map(String::as_str))
        .collect();
    if parts.is_empty() {
        "-".to_owned()
    } else {
        parts.join(" ")
    }
}

fn roles(user: &User) -> String {
    match user.roles.get() {
        Some(roles) if !roles.is_empty() => roles.join(", "),
        _ => "-".to_owned(),
    }
}

fn text(field: &Field<String>) -> String {
    field.get().cloned().unwrap_or_else(|| "-".to_owned())
}

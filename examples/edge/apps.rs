//! `edge apps …`: list, show, create, change and delete apps.

use rockit_edge::apps::{App, CreateApp, DeleteApp, GetApp, ListApps, PatchApp};
use rockit_edge::assumed::apps as assumed;
use rockit_edge::builds::build_name;
use rockit_edge::Field;
use serde_json::{Map, Value};

use crate::args::{Args, UsageError};
use crate::{connect, output, Failure};

pub fn run(mut args: Args) -> Result<(), Failure> {
    let action = args.command("an apps command (list, show, create, patch, delete)")?;
    let as_json = args.take_flag("--json");
    match action.as_str() {
        "list" => list(args, as_json),
        "show" => {
            let name = args.command("an app name")?;
            let fields = take_fields(&mut args)?;
            args.finish()?;
            let app = connect::client()?.send(&GetApp::new(name).fields(fields))?;
            output::json_or(as_json, &app, show);
            Ok(())
        }
        "create" => {
            let name = args.command("an app name")?;
            let label = args
                .take_option("--label")?
                .ok_or_else(|| UsageError::new("apps create needs --label"))?;
            let mut create = CreateApp::new(&name, label);
            if let Some(max_builds) = args.take_number("--max-builds")? {
                create = create.max_builds(max_builds);
            }
            args.finish()?;
            let answer = connect::client()?.send(&create)?;
            done(as_json, &answer, format!("created app {name}"));
            Ok(())
        }
        "patch" => {
            let name = args.command("an app name")?;
            let mut patch = PatchApp::new(&name);
            if let Some(label) = args.take_option("--label")? {
                patch = patch.label(label);
            }
            while let Some(deployment) = args.take_option("--register")? {
                patch = patch.register(deployment);
            }
            while let Some(deployment) = args.take_option("--deregister")? {
                patch = patch.deregister(deployment);
            }
            args.finish()?;
            let answer = connect::client()?.send(&patch)?;
            done(as_json, &answer, format!("changed app {name}"));
            Ok(())
        }
        "delete" => {
            let name = args.command("an app name")?;
            args.finish()?;
            let answer = connect::client()?.send(&DeleteApp::new(&name))?;
            done(as_json, &answer, format!("deleted app {name}"));
            Ok(())
        }
        other => Err(UsageError::new(format!("unknown apps command `{other}`")).into()),
    }
}

/// `--fields a,b,c` as a list.
fn take_fields(args: &mut Args) -> Result<Vec<String>, UsageError> {
    Ok(args
        .take_option("--fields")?
        .map(|f| {
            f.split(',')
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default())
}

/// Prints the answer of a change: as JSON, or as one line saying what was done.
fn done(as_json: bool, answer: &Map<String, Value>, line: String) {
    output::json_or(as_json, answer, |_| out!("{line}"));
}

fn list(mut args: Args, as_json: bool) -> Result<(), Failure> {
    let mut request = ListApps::new().fields(take_fields(&mut args)?);
    let (offset, limit) = args.take_paging()?;
    request = request.offset_and_limit(offset, limit);
    args.finish()?;

    let page = connect::client()?.send(&request)?;

    if as_json {
        output::json(&output::list_body(&page, assumed::APPS_LIST_MEMBER));
        return Ok(());
    }
    let rows: Vec<Vec<String>> = page
        .items
        .iter()
        .map(|a| {
            vec![
                text(&a.name),
                text(&a.label),
                build(a),
                text(&a.max_builds),
                state(a),
                deployments(a),
            ]
        })
        .collect();
    output::table(
        &["NAME", "LABEL", "BUILD", "KEEPS", "STATE", "DEPLOYMENTS"],
        &rows,
    );
    if let Some(total) = page.total() {
        eprintln!("{} of {total} apps", page.items.len());
    }
    Ok(())
}

fn show(app: &App) {
    let mut lines = vec![
        ("name", text(&app.name)),
        ("label", text(&app.label)),
        ("current build", build(app)),
        ("keeps builds", text(&app.max_builds)),
        ("state", state(app)),
        (
            "size",
            app.size_bytes
                .get()
                .map_or_else(|| "-".into(), |s| format!("{s} bytes")),
        ),
        ("image", text(&app.dxf_name)),
        ("created", text(&app.created)),
        ("updated", text(&app.updated)),
        ("deployments", deployments(app)),
    ];
    for patch in app.patches.get().into_iter().flatten() {
        lines.push((
            "patch",
            format!(
                "{} -> {}",
                text(&patch.from_build_id),
                text(&patch.to_build_id)
            ),
        ));
    }
    if let Some(error) = app.error.get().filter(|_| app.in_error()) {
        lines.push(("error", error.to_string()));
    }
    output::block(&lines);
}

/// `error`, `processing`, `exporting` or `idle`.
fn state(app: &App) -> String {
    if app.in_error() {
        "error"
    } else if app.processing.get() == Some(&true) {
        "processing"
    } else if app.exporting.get() == Some(&true) {
        "exporting"
    } else {
        "idle"
    }
    .to_owned()
}

/// The current build's name, such as `0004`.
fn build(app: &App) -> String {
    app.i_cur_build
        .get()
        .map_or_else(|| "-".to_owned(), |b| build_name(*b))
}

fn deployments(app: &App) -> String {
    match app.deployments.get() {
        Some(map) if !map.is_empty() => map.keys().cloned().collect::<Vec<_>>().join(","),
        _ => "-".to_owned(),
    }
}

fn text<T: std::fmt::Display>(field: &Field<T>) -> String {
    field
        .get()
        .map_or_else(|| "-".to_owned(), ToString::to_string)
}

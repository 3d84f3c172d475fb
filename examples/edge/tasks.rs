//! `edge tasks …`: list, show, acknowledge, expire and watch tasks.

use std::time::{Duration, Instant};

use rockit_edge::tasks::{AcknowledgeTask, ExpireTask, GetTask, ListTasks, Task};
use rockit_edge::watch::{self, Ending, Event, WatchPolicy, Watcher};
use rockit_edge::{assumed, Field};
use serde_json::Value;

use crate::args::{Args, UsageError};
use crate::connect::Server;
use crate::{connect, output, Failure};

pub fn run(mut args: Args) -> Result<(), Failure> {
    let action = args.command("a tasks command (list, show, ack, expire, watch)")?;
    let as_json = args.take_flag("--json");
    match action.as_str() {
        "list" => list(args, as_json),
        "watch" => watch_tasks(args, as_json),
        "show" => {
            let name = args.command("a task name")?;
            args.finish()?;
            let task = connect::client()?.send(&GetTask::new(name))?;
            output::json_or(as_json, &task, show);
            Ok(())
        }
        "ack" | "expire" => {
            let name = args.command("a task name")?;
            args.finish()?;
            let client = connect::client()?;
            let answer = if action == "ack" {
                client.send(&AcknowledgeTask::new(&name))?
            } else {
                client.send(&ExpireTask::new(&name))?
            };
            if as_json {
                output::json(&answer);
            } else {
                let done = if action == "ack" {
                    "acknowledged"
                } else {
                    "expired"
                };
                out!("{done} {name}");
            }
            Ok(())
        }
        other => Err(UsageError::new(format!("unknown tasks command `{other}`")).into()),
    }
}

fn list(mut args: Args, as_json: bool) -> Result<(), Failure> {
    let mut request = ListTasks::new();
    if let Some(app) = args.take_option("--app")? {
        request = request.app_name(app);
    }
    if let Some(status) = args.take_option("--status")? {
        request = request.status(status);
    }
    if let Some(task_type) = args.take_option("--type")? {
        request = request.task_type(task_type.as_str());
    }
    let (offset, limit) = args.take_paging()?;
    request = request.offset_and_limit(offset, limit);
    args.finish()?;

    let page = connect::client()?.send(&request)?;

    if as_json {
        output::json(&output::list_body(&page, assumed::TASK_LIST_MEMBER));
        return Ok(());
    }
    let rows: Vec<Vec<String>> = page
        .items
        .iter()
        .map(|t| {
            vec![
                t.name.clone(),
                t.app_name.clone(),
                t.build_name.clone(),
                t.task_type.to_string(),
                t.status.to_string(),
                text(&t.steps.created),
            ]
        })
        .collect();
    output::table(
        &["NAME", "APP", "BUILD", "TYPE", "STATUS", "CREATED"],
        &rows,
    );
    if let Some(total) = page.total() {
        eprintln!("{} of {total} tasks", page.items.len());
    }
    Ok(())
}

/// Watches tasks until each has ended: a line on stderr for every change, the final states on
/// stdout, and a failure when any task failed.
fn watch_tasks(mut args: Args, as_json: bool) -> Result<(), Failure> {
    let mut names = vec![args.command("a task name")?];
    while let Ok(name) = args.command("a task name") {
        names.push(name);
    }
    args.finish()?;

    let client = connect::client()?;
    let policy = match client.transport() {
        // The fake's tasks move on as they are read, not as time passes; asking often ends
        // the watch in a fraction of a second.
        Server::Fake(_) => WatchPolicy {
            first_delay: Duration::from_millis(50),
            max_delay: Duration::from_millis(500),
            ..WatchPolicy::default()
        },
        Server::Http(_) => WatchPolicy::default(),
    };
    let start = Instant::now();
    let ended = watch::watch(&client, Watcher::with_policy(names, policy), |event| {
        if let Event::Changed(task) | Event::Ended(task, _) = event {
            let elapsed = start.elapsed().as_secs_f64();
            eprintln!("{}  {}  {elapsed:.1}s", task.name, task.status);
        }
    })?;

    let tasks: Vec<&Task> = ended.iter().map(|(task, _)| task).collect();
    if as_json {
        output::json(&tasks);
    } else {
        let rows: Vec<Vec<String>> = tasks
            .iter()
            .map(|t| {
                let kinds = alert_kinds(t);
                vec![
                    t.name.clone(),
                    t.status.to_string(),
                    text(&t.steps.finished),
                    if kinds.is_empty() { "-".into() } else { kinds },
                ]
            })
            .collect();
        output::table(&["NAME", "STATUS", "FINISHED", "ALERT"], &rows);
    }

    let failed: Vec<&Task> = ended
        .iter()
        .filter(|(_, how)| *how == Ending::Failed)
        .map(|(task, _)| task)
        .collect();
    if failed.is_empty() {
        return Ok(());
    }
    for task in &failed {
        let kinds = alert_kinds(task);
        let why = if kinds.is_empty() { "no alert" } else { &kinds };
        eprintln!("edge: {} ended {} ({why})", task.name, task.status);
    }
    Err(Failure::Unsuccessful(format!(
        "{} of {} tasks failed",
        failed.len(),
        ended.len()
    )))
}

/// The kinds of the task's exception, comma-separated; empty without one.
fn alert_kinds(task: &Task) -> String {
    task.alert
        .get()
        .and_then(|a| a.exception.get())
        .map(|e| e.kinds().join(","))
        .unwrap_or_default()
}

fn show(task: &Task) {
    let mut lines = vec![
        ("name", task.name.clone()),
        ("app", task.app_name.clone()),
        ("build", task.build_name.clone()),
        ("type", task.task_type.to_string()),
        ("status", task.status.to_string()),
        ("created", text(&task.steps.created)),
        ("started", text(&task.steps.started)),
        ("finished", text(&task.steps.finished)),
    ];
    if let Some(dltar) = task.user_data.get().and_then(|u| u.dltar.get()) {
        let mut source = dltar.url.get().cloned().unwrap_or_else(|| "-".into());
        if let Some(size) = dltar.size_bytes.get() {
            source.push_str(&format!(" ({size} bytes)"));
        }
        lines.push(("download", source));
    }
    if let Some(exception) = task.alert.get().and_then(|a| a.exception.get()) {
        for kind in exception.kinds() {
            let detail = serde_json::to_value(exception)
                .ok()
                .and_then(|v| v.get(kind).map(compact))
                .unwrap_or_default();
            lines.push(("alert", format!("{kind} {detail}")));
        }
    }
    output::block(&lines);
}

fn text<T: std::fmt::Display>(field: &Field<T>) -> String {
    field
        .get()
        .map_or_else(|| "-".to_owned(), ToString::to_string)
}

/// `{"a": 1, "b": 2}` as `a=1 b=2`; other values as JSON.
fn compact(value: &Value) -> String {
    match value {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) => format!("{k}={s}"),
                other => format!("{k}={other}"),
            })
            .collect::<Vec<_>>()
            .join(" "),
        other => other.to_string(),
    }
}

//! `edge trigger …`: retry a failed task, or process an app's traces.

use rockit_edge::assumed::triggers::TRIGGER_ANSWER_TASK_MEMBER;
use rockit_edge::triggers::{ProcessTraces, RetryTask};

use crate::args::{Args, UsageError};
use crate::{connect, output, Failure};

pub fn run(mut args: Args) -> Result<(), Failure> {
    let action = args.command("a trigger command (retry, traces)")?;
    let as_json = args.take_flag("--json");
    let (answer, done) = match action.as_str() {
        "retry" => {
            let task = args.command("a task name")?;
            args.finish()?;
            let answer = connect::client()?.send(&RetryTask::new(&task))?;
            (answer, format!("retrying {task}"))
        }
        "traces" => {
            let app = args.command("an app name")?;
            args.finish()?;
            let answer = connect::client()?.send(&ProcessTraces::new(&app))?;
            (answer, format!("processing the traces of {app}"))
        }
        other => return Err(UsageError::new(format!("unknown trigger command `{other}`")).into()),
    };
    if as_json {
        output::json(&answer);
        return Ok(());
    }
    // The started task, when the server answers it.
    let task = answer.get(TRIGGER_ANSWER_TASK_MEMBER);
    let field = |name: &str| task.and_then(|t| t.get(name)).and_then(|v| v.as_str());
    match (field("name"), field("status")) {
        (Some(name), Some(status)) => out!("{done}: {name} is {status}"),
        _ => out!("{done}"),
    }
    Ok(())
}

//! `edge builds …`: import a build that Edge downloads from a URL.

use rockit_edge::builds::ImportBuild;
use rockit_edge::Field;

use crate::args::{Args, UsageError};
use crate::{connect, output, Failure};

pub fn run(mut args: Args) -> Result<(), Failure> {
    let action = args.command("a builds command (import)")?;
    let as_json = args.take_flag("--json");
    match action.as_str() {
        "import" => {
            let app = args
                .take_option("--app")?
                .ok_or_else(|| UsageError::new("builds import needs --app"))?;
            let url = args
                .take_option("--url")?
                .ok_or_else(|| UsageError::new("builds import needs --url"))?;
            let mut import = ImportBuild::download(app, url);
            if let Some(size) = args.take_number("--size")? {
                import = import.size(size);
            }
            args.finish()?;

            let build = connect::client()?.send(&import)?;

            if as_json {
                output::json(&build);
            } else {
                output::block(&[
                    ("build", text(&build.name)),
                    ("app", text(&build.app_name)),
                    ("task", text(&build.task_name)),
                ]);
            }
            Ok(())
        }
        other => Err(UsageError::new(format!("unknown builds command `{other}`")).into()),
    }
}

fn text(field: &Field<String>) -> String {
    field.get().cloned().unwrap_or_else(|| "-".to_owned())
}

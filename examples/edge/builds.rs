//! `edge builds …`: import a build that Edge downloads from a URL, or upload one from a file.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use rockit_edge::builds::{ImportBuild, ImportedBuild};
use rockit_edge::tasks::GetTask;
use rockit_edge::upload::{Progress, UploadUrl, Uploaded, Uploader};
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
            let url = args.take_option("--url")?;
            let file = args.take_option("--file")?;
            let size = args.take_number("--size")?;
            args.finish()?;
            match (url, file) {
                (Some(url), None) => download(app, url, size, as_json),
                (None, Some(file)) if size.is_none() => upload(app, &file, as_json),
                (None, Some(_)) => Err(UsageError::new(
                    "--size goes with --url; an upload announces the file's own size",
                )
                .into()),
                (None, None) => Err(UsageError::new("builds import needs --url or --file").into()),
                (Some(_), Some(_)) => {
                    Err(UsageError::new("builds import takes --url or --file, not both").into())
                }
            }
        }
        other => Err(UsageError::new(format!("unknown builds command `{other}`")).into()),
    }
}

fn download(app: String, url: String, size: Option<u64>, as_json: bool) -> Result<(), Failure> {
    let mut import = ImportBuild::download(app, url);
    if let Some(size) = size {
        import = import.size(size);
    }
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

/// Imports a build without a URL and sends `file` to the upload URL the answer hands back.
/// Without a server in the environment, the fake is served on 127.0.0.1 meanwhile, so that
/// its upload URL can be reached.
fn upload(app: String, file: &str, as_json: bool) -> Result<(), Failure> {
    let metadata = std::fs::metadata(file)
        .map_err(|e| Failure::Unsuccessful(format!("cannot read {file}: {e}")))?;
    if !metadata.is_file() {
        return Err(UsageError::new(format!("{file} is not a regular file")).into());
    }
    let (client, served) = connect::served_client()?;
    let mut build = client.send(&ImportBuild::upload(app))?;
    let url = UploadUrl::from_imported(&build).map_err(rockit_edge::Error::from)?;
    let uploader = if served.is_some() {
        Uploader::builder().proxy_from_env(false).build()
    } else {
        Uploader::new()
    };

    let mut meter = Meter::new();
    let uploaded = uploader.upload_file(&url, file, |progress| meter.show(progress))?;
    meter.summary(&uploaded);
    let status = match build.task_name.get() {
        Some(task) => client
            .send(&GetTask::new(task))
            .map(|task| task.status.to_string())?,
        None => "-".to_owned(),
    };

    // The upload URL is a credential until it expires: its query string stays off screen.
    build.upload_url = Field::Value(url.redacted().to_owned());
    output::json_or(as_json, &build, |build| {
        print_upload(build, &uploaded, &status)
    });
    Ok(())
}

fn print_upload(build: &ImportedBuild, uploaded: &Uploaded, status: &str) {
    output::block(&[
        ("build", text(&build.name)),
        ("app", text(&build.app_name)),
        ("task", text(&build.task_name)),
        ("status", status.to_owned()),
        ("uploaded", format!("{} bytes", uploaded.size_bytes)),
        ("upload URL", text(&build.upload_url)),
    ]);
}

fn text(field: &Field<String>) -> String {
    field.get().cloned().unwrap_or_else(|| "-".to_owned())
}

const MIB: f64 = 1024.0 * 1024.0;
/// How often a terminal line is redrawn at most.
const REDRAW: Duration = Duration::from_millis(100);
const LINE_WIDTH: usize = 50;

/// Shows an upload's progress on stderr: one line rewritten in place on a terminal, a line
/// per tenth otherwise (a log file gets a handful of lines, not thousands).
struct Meter {
    started: Instant,
    terminal: bool,
    drawn: Option<Instant>,
    tenth: Option<u64>,
}

impl Meter {
    fn new() -> Self {
        Meter {
            started: Instant::now(),
            terminal: std::io::stderr().is_terminal(),
            drawn: None,
            tenth: None,
        }
    }

    fn show(&mut self, progress: Progress) {
        let seconds = self.started.elapsed().as_secs_f64();
        let rate = if seconds > 0.0 {
            progress.sent as f64 / MIB / seconds
        } else {
            0.0
        };
        let line = format!(
            "{:5.1}%  {:.1} of {:.1} MiB  {rate:.1} MiB/s",
            progress.fraction() * 100.0,
            progress.sent as f64 / MIB,
            progress.total as f64 / MIB,
        );
        let mut stderr = std::io::stderr().lock();
        if self.terminal {
            let due = self.drawn.is_none_or(|at| at.elapsed() >= REDRAW);
            if due || progress.is_done() {
                // Padded, so that a shorter line covers a longer one drawn before.
                let _ = write!(stderr, "\r{line:<LINE_WIDTH$}");
                self.drawn = Some(Instant::now());
            }
            if progress.is_done() {
                let _ = writeln!(stderr);
            }
        } else {
            let tenth = (progress.fraction() * 10.0).floor() as u64;
            if self.tenth != Some(tenth) {
                let _ = writeln!(stderr, "{line}");
                self.tenth = Some(tenth);
            }
        }
    }

    fn summary(&self, uploaded: &Uploaded) {
        eprintln!(
            "uploaded {} bytes ({:.1} MiB) in {:.2} s, {:.1} MiB/s",
            uploaded.size_bytes,
            uploaded.size_bytes as f64 / MIB,
            uploaded.elapsed.as_secs_f64(),
            uploaded.mib_per_second(),
        );
    }
}

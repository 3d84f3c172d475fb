//! `edge`: a command-line tool for ROCKIT Edge, and the crate's main example.
//!
//! ```text
//! cargo run --features ureq --example edge -- tasks list [--app A] [--status S] [--type T]
//!                                                         [--offset N] [--limit N] [--json]
//! cargo run --features ureq --example edge -- tasks show NAME [--json]
//! cargo run --features ureq --example edge -- tasks ack NAME
//! cargo run --features ureq --example edge -- tasks expire NAME
//! cargo run --features ureq --example edge -- tasks watch NAME [NAME...] [--json]
//! ```
//!
//! Without `ROCKIT_EDGE_URL` it talks to the embedded fake server, in memory; to upload a
//! build (`builds import --file`) it serves the fake on 127.0.0.1 while the command runs, so
//! that the upload URL can be reached. With it, it talks to that server over HTTP and sends
//! `ROCKIT_EDGE_TOKEN`, or `ROCKIT_EDGE_ORG`, `ROCKIT_EDGE_USER` and `ROCKIT_EDGE_API_KEY`.
//!
//! Progress of an upload goes to stderr: one line rewritten in place on a terminal, a line
//! per tenth otherwise, then a summary.
//!
//! Data goes to stdout, errors to stderr. Exit codes: 0 success, 1 an API or transport
//! error or a watched task that failed, 2 a usage error (including a value the API would refuse, such as an empty name, and
//! incomplete credentials in the environment).

/// Prints a line of data on stdout, like `println!`, but a closed or failing stdout ends the
/// program cleanly instead of panicking (see [`output::line`]).
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::output::line(format_args!($($arg)*))
    };
}

mod admin;
mod apps;
mod args;
mod builds;
mod connect;
mod deployments;
mod login;
mod orgs;
mod output;
mod raw;
mod roles;
mod subscriptions;
mod tasks;
mod trigger;
mod users;

use std::process::ExitCode;

use args::{Args, UsageError};

/// The whole usage text, shown with `--help` and after a usage error.
const USAGE: &str = "\
usage: edge <command> [options]

commands:
  tasks list [--app A] [--status S] [--type T] [--offset N] [--limit N] [--json]
  tasks show NAME [--json]
  tasks ack NAME [--json]
  tasks expire NAME [--json]
  tasks watch NAME [NAME...] [--json]
  login old ORG USER [--show-secrets] [--json]
  login new USER [--org ORG] [--refresh] [--logout] [--show-secrets] [--json]
  admin ping|versions [--json]
  admin hello [--message M] [--maintenance] [--json]
  subscriptions list [--offset N] [--limit N] [--order name|-name] [--json]
  subscriptions create NAME --url URL|--slack CHANNEL [--events TYPE:EVENT,...]...
                       [--show-secrets] [--json]
  subscriptions delete NAME [--json]
  trigger retry TASK [--json]
  trigger traces APP [--json]
  raw METHOD PATH [--body JSON] [--param K=V]... [--admin] [--json]
  apps list [--offset N] [--limit N] [--fields F,...] [--json]
  apps show NAME [--fields F,...] [--json]
  apps create NAME --label L [--max-builds N] [--json]
  apps patch NAME [--label L] [--register D]... [--deregister D]... [--json]
  apps delete NAME [--json]
  builds import --app A --url URL [--size N] [--json]
  builds import --app A --file PATH [--json]
  deployments list [--name N] [--status S] [--offset N] [--limit N] [--json]
  deployments show NAME [--json]
  deployments create NAME --type T [--endpoint E] [--bucket B] [--prefix P]
                     [--access-key-id ID] [--auth-group G] [--json]
  deployments modify NAME [--endpoint E] [--bucket B] [--prefix P] [--access-key-id ID]
                     [--auth-group G | --no-auth-group] [--json]
  deployments delete NAME [--json]
  users list [--offset N] [--limit N] [--json]
  users show NAME [--json]
  users create NAME --label L [--role R]... [--show-secrets] [--json]
  users create NAME --email E --firstname F --surname S [--title T] [--role R]... [--json]
  users delete NAME [--json]
  roles list [--offset N] [--limit N] [--json]
  roles show NAME [--json]
  roles create NAME [--allow RESOURCE=PERMISSIONS]... [--json]   (PERMISSIONS: crudx or 0-31)
  roles delete NAME [--json]
  orgs create NAME [--email E] [--public-key PEM_FILE] [--show-secrets] [--json]
  orgs delete NAME [--prune] [--json]

Options may come anywhere after the command; after `--`, every word is positional.

environment:
  ROCKIT_EDGE_URL      server to use; without it, the embedded fake server
  ROCKIT_EDGE_TOKEN    backend auth token, or:
  ROCKIT_EDGE_ORG, ROCKIT_EDGE_USER, ROCKIT_EDGE_API_KEY   an API key and its owner
  ROCKIT_EDGE_PASSWORD     the password for login (the fake's own without a URL)
  ROCKIT_EDGE_ADMIN_TOKEN  admin token for admin and raw --admin
  ROCKIT_EDGE_ORIGIN_SECRET_KEY  the secret key that goes with --access-key-id

exit codes: 0 success, 1 API or transport error or a watched task failed, 2 usage error";

fn main() -> ExitCode {
    let args = Args::new(std::env::args().skip(1));
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(e)) => {
            eprintln!("edge: {e}\n\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Help) => {
            out!("{USAGE}");
            ExitCode::SUCCESS
        }
        Err(Failure::Api(rockit_edge::Error::Input(e))) => {
            eprintln!("edge: {e}\n\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Api(e)) => {
            eprintln!("edge: {}", output::describe_error(&e));
            ExitCode::from(1)
        }
        Err(Failure::Unsuccessful(why)) => {
            eprintln!("edge: {why}");
            ExitCode::from(1)
        }
    }
}

/// Why a command did not succeed.
enum Failure {
    Usage(UsageError),
    Help,
    Api(rockit_edge::Error),
    /// The command ran, and what it watched did not go well.
    Unsuccessful(String),
}

impl From<UsageError> for Failure {
    fn from(e: UsageError) -> Self {
        Failure::Usage(e)
    }
}

impl From<rockit_edge::Error> for Failure {
    fn from(e: rockit_edge::Error) -> Self {
        Failure::Api(e)
    }
}

fn run(mut args: Args) -> Result<(), Failure> {
    if args.take_flag("--help") || args.take_flag("-h") {
        return Err(Failure::Help);
    }
    let resource = args.command("a command")?;
    match resource.as_str() {
        "tasks" => tasks::run(args),
        "login" => login::run(args),
        "admin" => admin::run(args),
        "subscriptions" => subscriptions::run(args),
        "trigger" => trigger::run(args),
        "raw" => raw::run(args),
        "apps" => apps::run(args),
        "builds" => builds::run(args),
        "deployments" => deployments::run(args),
        "users" => users::run(args),
        "roles" => roles::run(args),
        "orgs" => orgs::run(args),
        other => Err(UsageError::new(format!("unknown command `{other}`")).into()),
    }
}

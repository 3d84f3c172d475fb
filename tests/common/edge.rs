//! Runs the `edge` example as a user runs it, against the embedded fake.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

/// The example's command, with no `ROCKIT_EDGE_*` or proxy variable from the environment, so
/// that it talks to the fake. `cargo test` builds the examples next to the test binaries' folder.
pub fn edge() -> Command {
    let mut dir = std::env::current_exe().unwrap();
    dir.pop();
    if dir.ends_with("deps") {
        dir.pop();
    }
    let exe: PathBuf = dir
        .join("examples")
        .join(format!("edge{}", std::env::consts::EXE_SUFFIX));
    assert!(exe.exists(), "the example is built at {}", exe.display());
    let mut command = Command::new(exe);
    // No proxy either: a test that points the example at a loopback server must reach it.
    for (name, _) in std::env::vars_os() {
        let text = name.to_string_lossy();
        if text.starts_with("ROCKIT_EDGE_") || text.to_ascii_lowercase().ends_with("_proxy") {
            command.env_remove(name);
        }
    }
    command
}

/// Runs the example with `args` and waits for it.
pub fn run(args: &[&str]) -> Output {
    edge().args(args).output().unwrap()
}

/// What the example wrote to stdout.
pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// What the example wrote to stderr.
pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// The JSON the example printed, after checking that it succeeded.
pub fn json(output: &Output) -> Value {
    assert_eq!(output.status.code(), Some(0), "{}", stderr(output));
    serde_json::from_slice(&output.stdout).unwrap()
}

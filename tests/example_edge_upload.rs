//! The `edge` example's build upload, run as a user runs it: the fake served on 127.0.0.1 for
//! the command, progress and summary on stderr, the result on stdout, and exit codes.
#![cfg(feature = "ureq")]

mod common;

use std::fs;
use std::path::PathBuf;

use common::edge::{run, stderr, stdout};

struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, len: usize) -> TempFile {
        let path = std::env::temp_dir().join(format!(
            "rockit-edge-example-upload-{}-{name}",
            std::process::id()
        ));
        let bytes: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
        fs::write(&path, bytes).unwrap();
        TempFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

#[test]
fn a_file_is_uploaded_to_the_served_fake_with_progress_on_stderr() {
    let len = 3 * 1024 * 1024 + 5;
    let file = TempFile::new("three-mib", len);
    let out = run(&["builds", "import", "--app", "sushi", "--file", file.path()]);
    let (stdout, stderr) = (stdout(&out), stderr(&out));
    assert_eq!(out.status.code(), Some(0), "{stderr}");

    let field = |label: &str| {
        stdout
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{label}:")))
            .map(|v| v.trim().to_owned())
            .unwrap_or_else(|| panic!("{label} in {stdout}"))
    };
    assert_eq!(field("build"), "0005");
    assert_eq!(field("status"), "finished");
    assert_eq!(field("uploaded"), format!("{len} bytes"));
    assert!(
        field("upload URL").starts_with("http://127.0.0.1:"),
        "{stdout}"
    );

    // Not a terminal: plain lines, one per tenth at most, then the summary.
    assert!(!stderr.contains('\r'), "{stderr:?}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(lines.len() >= 3 && lines.len() <= 12, "{stderr}");
    assert!(lines[0].trim_start().starts_with("0.0%"), "{stderr}");
    assert!(lines[lines.len() - 2].starts_with("100.0%"), "{stderr}");
    assert!(lines.iter().all(|l| l.ends_with("MiB/s")), "{stderr}");
    assert!(
        lines[lines.len() - 1].starts_with(&format!("uploaded {len} bytes (3.0 MiB) in ")),
        "{stderr}"
    );
}

#[test]
fn the_json_result_is_the_import_answer() {
    let file = TempFile::new("json", 1000);
    let out = run(&[
        "builds",
        "import",
        "--app",
        "ramen",
        "--file",
        file.path(),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let build: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(build["appName"], "ramen");
    assert!(build["taskName"].as_str().unwrap().ends_with("-dltar"));
    assert!(build["uploadUrl"].as_str().unwrap().contains("/upload/"));
}

#[test]
fn upload_usage_errors_exit_2_and_api_errors_exit_1() {
    let file = TempFile::new("usage", 10);
    for args in [
        vec![
            "builds",
            "import",
            "--app",
            "sushi",
            "--file",
            file.path(),
            "--size",
            "10",
        ],
        vec![
            "builds",
            "import",
            "--app",
            "sushi",
            "--file",
            file.path(),
            "--url",
            "https://x/b",
        ],
        vec!["builds", "import", "--app", "sushi", "--file", "/"],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
    // A file that cannot be read is no usage error: exit 1, and no usage text.
    let out = run(&[
        "builds",
        "import",
        "--app",
        "sushi",
        "--file",
        "/no/such/build.tar",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("cannot read /no/such/build.tar"));
    assert!(!stderr(&out).contains("usage:"));
    let out = run(&["builds", "import", "--app", "udon", "--file", file.path()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not-found"), "{}", stderr(&out));
}

//! The README's promises that can drift from the code: CI runs the README's test command,
//! and the README lists every wire assumption the code makes.

use std::fs;

fn readme() -> String {
    fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

#[test]
fn ci_runs_the_readme_test_command() {
    let ci = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/run")).unwrap();
    let command = ci
        .lines()
        .find(|l| l.starts_with("cargo "))
        .expect(".ci/run has a cargo command line");
    assert!(command.contains("cargo test"), "{command}");
    let readme = readme();
    let in_readme = readme.lines().filter(|l| *l == command).count();
    assert_eq!(
        in_readme, 1,
        "the README shows the command CI runs, once: {command}"
    );
}

#[test]
fn readme_lists_every_assumption() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/src/");
    let mut code = fs::read_to_string(format!("{root}assumed.rs")).unwrap();
    for entry in fs::read_dir(format!("{root}assumed")).unwrap() {
        code.push_str(&fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    let readme = readme();
    let names: Vec<&str> = code
        .lines()
        .filter_map(|l| l.strip_prefix("pub const "))
        .filter_map(|l| l.split(':').next())
        .collect();
    assert!(
        names.len() >= 10,
        "found the assumption constants: {names:?}"
    );
    for name in &names {
        assert!(
            readme.contains(&format!("| `{name}` |")),
            "README's list of assumptions lacks `{name}`"
        );
    }
    let listed = readme
        .lines()
        .filter(|l| {
            l.starts_with("| `")
                && l.split('`')
                    .nth(1)
                    .is_some_and(|n| n.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
        })
        .count();
    assert_eq!(
        listed,
        names.len(),
        "README lists an assumption the code no longer has"
    );
}

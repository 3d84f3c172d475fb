//! Build uploads over loopback into the fake served on 127.0.0.1, which counts and checksums
//! what arrives: this crate's [`Uploader`] against raw ureq streaming the same sparse file
//! (`Agent::put(url).send(&file)`, which announces the file's length), taking turns.
//!
//! Prints `upload_peak_rss_mib: N`, the peak resident memory of a process that does nothing but
//! one upload through [`Uploader`] (a fresh child of this one, so the figure holds no buffers
//! of the server or of earlier runs; target < 64), `upload_vs_raw: R`, the median over rounds
//! of raw ureq's time over ours (target ≥ 0.9), and `upload_mib_per_s: N`, the best round's. The file is 1 GiB, or 64 MiB with `BENCH_QUICK=1` or `--test`;
//! being sparse, it costs no disk.

mod common;

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use rockit_edge::builds::ImportBuild;
use rockit_edge::fake::{serve, FakeEdge};
use rockit_edge::upload::{UploadUrl, Uploader};
use rockit_edge::ureq_transport::UreqTransport;
use rockit_edge::Client;

/// Set in the child process: which client uploads (`ours` or `raw`).
const CHILD: &str = "ROCKIT_EDGE_UPLOAD_BENCH_CHILD";
const CHILD_URL: &str = "ROCKIT_EDGE_UPLOAD_BENCH_URL";
const CHILD_FILE: &str = "ROCKIT_EDGE_UPLOAD_BENCH_FILE";
const MIB: u64 = 1024 * 1024;

fn main() {
    if let Ok(which) = std::env::var(CHILD) {
        child(&which);
        return;
    }
    common::on_one_core();

    let size = if common::quick() {
        64 * MIB
    } else {
        1024 * MIB
    };
    // Even 1 GiB takes well under a second over loopback, so a slow spell of the machine can
    // double a round's time: several rounds, and the median of their ratios.
    let rounds = 7;
    let dir = std::env::temp_dir().join(format!("rockit-edge-upload-bench-{}", std::process::id()));
    fs::create_dir_all(&dir).expect("make a temporary folder");
    let path = dir.join("native-build.tar");
    File::create(&path)
        .and_then(|file| file.set_len(size))
        .expect("make a sparse file");

    let fake = FakeEdge::seeded();
    let server = serve(fake.clone()).expect("serve the fake on 127.0.0.1");
    // Loopback only: no proxy from the environment.
    let transport = UreqTransport::builder().proxy_from_env(false).build();
    let client = Client::new(transport, server.base_url(), fake.credentials());
    let new_url = || {
        let build = client.send(&ImportBuild::upload("sushi")).unwrap();
        UploadUrl::from_imported(&build).unwrap()
    };
    let check_received = || {
        let received = fake.uploads().pop().expect("an upload arrived");
        assert_eq!(received.size_bytes, size, "the fake got every byte");
    };

    let ours_rss = child_peak_rss_kib("ours", &new_url(), &path);
    check_received();
    let raw_rss = child_peak_rss_kib("raw", &new_url(), &path);
    check_received();

    let uploader = Uploader::builder().proxy_from_env(false).build();
    let raw = raw_agent();
    let time_ours = || {
        let url = new_url();
        let start = Instant::now();
        upload_ours(&uploader, &url, &path);
        let seconds = start.elapsed().as_secs_f64();
        check_received();
        seconds
    };
    let time_raw = || {
        let url = new_url();
        let start = Instant::now();
        upload_raw(&raw, &url, &path);
        let seconds = start.elapsed().as_secs_f64();
        check_received();
        seconds
    };
    // The first upload of each pays for connecting and the file's first reads.
    time_ours();
    time_raw();
    // Take turns, each going first every other round, so that neither gets the machine's
    // quieter moments alone. The ratio is the median of each round's pair, which a noisy
    // round moves less than it moves either best time.
    let times = common::alternate(rounds, time_ours, time_raw);
    let ratio = common::median(times.iter().map(|(ours, raw)| raw / ours).collect());
    let ours_best = times.iter().map(|t| t.0).fold(f64::MAX, f64::min);
    let raw_best = times.iter().map(|t| t.1).fold(f64::MAX, f64::min);
    let _ = fs::remove_dir_all(&dir);

    let mib = size as f64 / MIB as f64;
    println!("upload_bytes: {size}");
    println!("upload_peak_rss_mib: {:.1}", ours_rss as f64 / 1024.0);
    println!("raw_ureq_peak_rss_mib: {:.1}", raw_rss as f64 / 1024.0);
    println!("upload_mib_per_s: {:.0}", mib / ours_best);
    println!("raw_ureq_mib_per_s: {:.0}", mib / raw_best);
    println!("upload_vs_raw: {ratio:.2}");
}

fn raw_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .build()
        .into()
}

fn upload_ours(uploader: &Uploader, url: &UploadUrl, path: &Path) {
    let uploaded = uploader.upload_file(url, path, |_| {}).unwrap();
    assert!(uploaded.status.is_success(), "{}", uploaded.status);
}

fn upload_raw(agent: &ureq::Agent, url: &UploadUrl, path: &Path) {
    let file = File::open(path).unwrap();
    let response = agent
        .put(url.expose())
        .header("content-type", "application/x-tar")
        .send(&file)
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
}

/// Runs one upload in a fresh process and returns that process's peak resident memory.
fn child_peak_rss_kib(which: &str, url: &UploadUrl, path: &PathBuf) -> u64 {
    let exe = std::env::current_exe().expect("the bench's own path");
    let output = Command::new(exe)
        .env(CHILD, which)
        .env(CHILD_URL, url.expose())
        .env(CHILD_FILE, path)
        .output()
        .expect("run the bench as a child");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the {which} child failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("peak_rss_kib: "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("the {which} child printed no peak: {stdout}"))
}

fn child(which: &str) {
    let url = UploadUrl::parse(&std::env::var(CHILD_URL).unwrap()).unwrap();
    let path = PathBuf::from(std::env::var_os(CHILD_FILE).unwrap());
    match which {
        "ours" => upload_ours(
            &Uploader::builder().proxy_from_env(false).build(),
            &url,
            &path,
        ),
        _ => upload_raw(&raw_agent(), &url, &path),
    }
    println!("peak_rss_kib: {}", peak_rss_kib());
}

/// `VmHWM` of `/proc/self/status`: the most resident memory this process has had.
fn peak_rss_kib() -> u64 {
    let status = fs::read_to_string("/proc/self/status").expect("read /proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/self/status")
}

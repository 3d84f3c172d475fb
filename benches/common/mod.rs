//! Shared by the benchmarks: a tiny timing loop that takes its samples in turn and reports
//! medians.

#![allow(dead_code)]

use std::process::Command;
use std::time::{Duration, Instant};

/// The samples of several functions, taken in rounds: in each round every function takes one
/// sample, one after the other.
pub struct Samples {
    /// `rounds[r][f]`: the time of one call of function `f` in round `r`.
    rounds: Vec<Vec<Duration>>,
}

impl Samples {
    /// The median time of one call of function `f`.
    pub fn median(&self, f: usize) -> Duration {
        let mut times: Vec<Duration> = self.rounds.iter().map(|round| round[f]).collect();
        times.sort();
        times[times.len() / 2]
    }

    /// The median over the rounds of `f`'s time divided by `g`'s time in the same round.
    ///
    /// Comparing samples taken side by side cancels most of what a shared machine does to
    /// both in the meantime (a slower spell affects a round, not one function's median).
    pub fn ratio(&self, f: usize, g: usize) -> f64 {
        median(
            self.rounds
                .iter()
                .map(|round| round[f].as_secs_f64() / round[g].as_secs_f64())
                .collect(),
        )
    }
}

/// The median of `values`; for an even count, the mean of the middle two.
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    (values[(n - 1) / 2] + values[n / 2]) / 2.0
}

/// Runs `ours` and `theirs` (each returning the seconds it took) in `rounds` turns, the one
/// going first changing every round, and returns each round's pair of times: for contenders
/// whose one call takes long, where [`time_in_turn`]'s batches would not fit.
pub fn alternate(
    rounds: usize,
    mut ours: impl FnMut() -> f64,
    mut theirs: impl FnMut() -> f64,
) -> Vec<(f64, f64)> {
    (0..rounds)
        .map(|round| {
            if round % 2 == 0 {
                let ours = ours();
                (ours, theirs())
            } else {
                let theirs = theirs();
                (ours(), theirs)
            }
        })
        .collect()
}

/// Times each of `fs`: runs it in batches that last about `sample` each, in `samples` rounds
/// in which the functions take their samples in turn, so that a machine that speeds up or
/// slows down during the run affects all of them alike. Each round starts with the next
/// function, so that none always follows the same one.
pub fn time_in_turn(samples: usize, sample: Duration, fs: &mut [&mut dyn FnMut()]) -> Samples {
    let batches: Vec<u64> = fs.iter_mut().map(|f| batch_size(sample, f)).collect();
    let n = fs.len();
    let rounds = (0..samples)
        .map(|round| {
            let mut times = vec![Duration::ZERO; n];
            for i in (0..n).map(|k| (round + k) % n) {
                let start = Instant::now();
                for _ in 0..batches[i] {
                    fs[i]();
                }
                times[i] = start.elapsed() / batches[i] as u32;
            }
            times
        })
        .collect();
    Samples { rounds }
}

/// How many calls of `f` last about `sample`.
fn batch_size(sample: Duration, f: &mut dyn FnMut()) -> u64 {
    let mut batch = 1u64;
    loop {
        let start = Instant::now();
        for _ in 0..batch {
            f();
        }
        if start.elapsed() >= sample / 4 {
            return batch.saturating_mul(4);
        }
        batch *= 2;
    }
}

/// Whether the run is a quick check (`cargo test --benches` or `BENCH_QUICK=1`) rather than a
/// measurement.
pub fn quick() -> bool {
    std::env::var_os("BENCH_QUICK").is_some() || std::env::args().any(|a| a == "--test")
}

/// Sample settings: short for a quick check; for a measurement, many short samples, so that a
/// slow spell of the machine spoils few rounds.
pub fn settings() -> (usize, Duration) {
    if quick() {
        (3, Duration::from_millis(10))
    } else {
        (41, Duration::from_millis(100))
    }
}

/// Runs the rest of this benchmark on one CPU core: re-runs it under `taskset -c N` (N the first
/// core this process may use) and exits with its status, or goes on unpinned (saying so) where
/// `taskset` is missing or cannot pin.
///
/// A client and the loopback server it talks to hand every request over between threads. With
/// more than one core, the scheduler may keep one contender's threads on a core together and
/// spread the other's, which changes their throughput two- or threefold, and the comparison
/// with it; on one core both hand over alike.
pub fn on_one_core() {
    const PINNED: &str = "ROCKIT_EDGE_BENCH_PINNED";
    if std::env::var_os(PINNED).is_some() {
        println!("cpu_cores_used: 1");
        return;
    }
    // The first core this process may use, which in a container need not be core 0.
    let core = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let list = status
                .lines()
                .find_map(|l| l.strip_prefix("Cpus_allowed_list:"))?;
            let first = list.trim().split([',', '-']).next()?;
            Some(first.to_owned())
        })
        .unwrap_or_else(|| "0".to_owned());
    let pins = Command::new("taskset")
        .args(["-c", &core, "true"])
        .status()
        .is_ok_and(|s| s.success());
    let unpinned = || {
        eprintln!(
            "cannot pin to core {core} with taskset: running on every core, figures vary more"
        );
        println!("cpu_cores_used: all");
    };
    let (true, Ok(exe)) = (pins, std::env::current_exe()) else {
        return unpinned();
    };
    let status = Command::new("taskset")
        .args(["-c", &core])
        .arg(exe)
        .args(std::env::args_os().skip(1))
        .env(PINNED, "1")
        .status();
    match status {
        Ok(status) => std::process::exit(status.code().unwrap_or(1)),
        Err(_) => unpinned(),
    }
}

//! Shared by the benchmarks: a tiny timing loop that reports the median of several samples.

#![allow(dead_code)]

use std::hint::black_box;
use std::time::{Duration, Instant};

/// Runs `f` in batches until each sample lasts about `sample`, takes `samples` samples and
/// returns the median time of one call.
pub fn time_per_call<R>(samples: usize, sample: Duration, mut f: impl FnMut() -> R) -> Duration {
    let mut batch = 1u64;
    loop {
        let start = Instant::now();
        for _ in 0..batch {
            black_box(f());
        }
        if start.elapsed() >= sample / 4 {
            break;
        }
        batch *= 2;
    }
    batch = batch.saturating_mul(4);
    let mut times: Vec<Duration> = (0..samples)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..batch {
                black_box(f());
            }
            start.elapsed() / batch as u32
        })
        .collect();
    times.sort();
    times[samples / 2]
}

/// Whether the run is a quick check (`cargo test --benches` or `BENCH_QUICK=1`) rather than a
/// measurement.
pub fn quick() -> bool {
    std::env::var_os("BENCH_QUICK").is_some() || std::env::args().any(|a| a == "--test")
}

/// Sample settings: short for a quick check, longer for a measurement.
pub fn settings() -> (usize, Duration) {
    if quick() {
        (3, Duration::from_millis(10))
    } else {
        (11, Duration::from_millis(300))
    }
}

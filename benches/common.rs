//! Shared by the benchmarks: a tiny timing loop that reports the median of several samples.

#![allow(dead_code)]

use std::time::{Duration, Instant};

/// Times each of `fs`: runs it in batches that last about `sample` each, takes `samples`
/// samples and returns the median time of one call. The functions take their samples in turn,
/// so that a machine that speeds up or slows down during the run affects all of them alike.
pub fn time_in_turn(
    samples: usize,
    sample: Duration,
    fs: &mut [&mut dyn FnMut()],
) -> Vec<Duration> {
    let batches: Vec<u64> = fs.iter_mut().map(|f| batch_size(sample, f)).collect();
    let mut times = vec![Vec::with_capacity(samples); fs.len()];
    for _ in 0..samples {
        for ((f, &batch), times) in fs.iter_mut().zip(&batches).zip(&mut times) {
            let start = Instant::now();
            for _ in 0..batch {
                f();
            }
            times.push(start.elapsed() / batch as u32);
        }
    }
    times
        .into_iter()
        .map(|mut times| {
            times.sort();
            times[samples / 2]
        })
        .collect()
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

/// Sample settings: short for a quick check, longer for a measurement.
pub fn settings() -> (usize, Duration) {
    if quick() {
        (3, Duration::from_millis(10))
    } else {
        (11, Duration::from_millis(300))
    }
}

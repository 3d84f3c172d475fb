//! Load: one client shared by eight threads sends 10,000 requests to the fake served on
//! 127.0.0.1. Every answer is right, and afterwards no connection or thread is left behind.
#![cfg(feature = "ureq")]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use rockit_edge::fake::{serve, FakeEdge};
use rockit_edge::tasks::{GetTask, ListTasks};
use rockit_edge::ureq_transport::UreqTransport;
use rockit_edge::Client;

const THREADS: usize = 8;
const REQUESTS: usize = 10_000;

/// The threads of this process, as Linux lists them; elsewhere the check is skipped.
fn thread_count() -> Option<usize> {
    std::fs::read_dir("/proc/self/task").ok().map(|d| d.count())
}

/// Waits for `done` to hold, for at most a few seconds, since sockets and threads close
/// shortly after the work that used them.
fn eventually(mut done: impl FnMut() -> bool) -> bool {
    let until = Instant::now() + Duration::from_secs(10);
    while Instant::now() < until {
        if done() {
            return true;
        }
        thread::sleep(Duration::from_millis(20));
    }
    done()
}

#[test]
fn eight_threads_share_one_client_for_ten_thousand_requests() {
    let threads_before = thread_count();
    let fake = FakeEdge::seeded();
    let server = serve(fake.clone()).unwrap();
    let transport = UreqTransport::builder().proxy_from_env(false).build();
    let client = Arc::new(Client::new(
        transport,
        server.base_url(),
        fake.credentials(),
    ));
    let names: Arc<Vec<String>> = Arc::new(fake.tasks().into_iter().map(|t| t.name).collect());
    let next = Arc::new(AtomicUsize::new(0));

    let workers: Vec<_> = (0..THREADS)
        .map(|_| {
            let (client, names, next) = (client.clone(), names.clone(), next.clone());
            thread::spawn(move || {
                let mut done = 0;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= REQUESTS {
                        return done;
                    }
                    if i % 10 == 0 {
                        let page = client.send(&ListTasks::new().limit(5)).unwrap();
                        assert_eq!(page.items.len(), 5);
                    } else {
                        let name = &names[i % names.len()];
                        let task = client.send(&GetTask::new(name.as_str())).unwrap();
                        assert_eq!(&task.name, name);
                    }
                    done += 1;
                }
            })
        })
        .collect();
    let done: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();

    assert_eq!(done, REQUESTS);
    assert_eq!(fake.requests(), REQUESTS as u64);
    assert!(
        server.open_connections() <= THREADS,
        "{}",
        server.open_connections()
    );
    drop(client);
    assert!(
        eventually(|| server.open_connections() == 0),
        "connections left open: {}",
        server.open_connections()
    );
    server.shutdown();
    if let Some(before) = threads_before {
        // Other tests of this binary may run at the same time; this file has only this one.
        assert!(
            eventually(|| thread_count() == Some(before)),
            "threads before {before}, after {:?}",
            thread_count()
        );
    }
}

//! Watching tasks until they end, sans-IO: the watcher says which task to ask for next and
//! how long to wait first, and takes the answers.
//!
//! A task has ended when its `steps.finished` is set or its status is one of
//! [`crate::assumed::TASK_SUCCESS_STATES`] or [`crate::assumed::TASK_FAILURE_STATES`]; it
//! failed when its status is one of the latter. While nothing changes the wait grows from
//! [`WatchPolicy::first_delay`] by [`WatchPolicy::growth`] up to [`WatchPolicy::max_delay`];
//! any change brings it back to the first delay.
//!
//! [`watch()`] drives a watcher over a [`Client`] to the end, sleeping the waits: the one
//! blocking part of this module, for callers that do not bring their own event loop.

use std::time::Duration;

use http::Response;

use crate::assumed::{TASK_FAILURE_STATES, TASK_SUCCESS_STATES};
use crate::client::Client;
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::redact::Redactor;
use crate::tasks::{GetTask, Task};
use crate::transport::Transport;

/// How often to ask.
#[derive(Clone, Debug, PartialEq)]
pub struct WatchPolicy {
    /// The wait before the first request, and after every change (default 1 s).
    pub first_delay: Duration,
    /// The factor by which the wait grows while nothing changes (default 1.5).
    pub growth: f64,
    /// The longest wait (default 30 s).
    pub max_delay: Duration,
}

impl Default for WatchPolicy {
    fn default() -> Self {
        WatchPolicy {
            first_delay: Duration::from_secs(1),
            growth: 1.5,
            max_delay: Duration::from_secs(30),
        }
    }
}

/// How a task ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// It ended well.
    Succeeded,
    /// It failed; its `alert` says why.
    Failed,
}

/// Whether `task` has ended, and how.
pub fn ending(task: &Task) -> Option<Ending> {
    let status = task.status.as_str();
    if TASK_FAILURE_STATES.contains(&status) {
        Some(Ending::Failed)
    } else if TASK_SUCCESS_STATES.contains(&status) || task.steps.finished.is_value() {
        Some(Ending::Succeeded)
    } else {
        None
    }
}

/// What one answer told.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// The first answer for this task, or one that differs from the one before.
    Changed(Task),
    /// The same task as before.
    Unchanged(Task),
    /// The task has ended.
    Ended(Task, Ending),
    /// Nothing was asked for: every task had already ended.
    Idle,
}

/// The next request to send, after waiting `wait`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Poll {
    /// How long to wait before sending.
    pub wait: Duration,
    /// The request.
    pub request: GetTask,
}

#[derive(Debug)]
struct Watched {
    name: String,
    last: Option<Task>,
    ended: bool,
}

/// Watches one task or several until each has ended.
///
/// ```
/// use rockit_edge::watch::{Ending, Event, Watcher};
/// use rockit_edge::fake::FakeEdge;
/// use rockit_edge::{Endpoint, Transport};
///
/// let fake = FakeEdge::seeded();
/// let mut watcher = Watcher::new(["ExampleOrg-sushi-0003-1739273968-dltar"]);
/// let poll = watcher.next_poll().unwrap();
/// let request = poll.request.to_request(&fake.base_url(), &fake.credentials()).unwrap();
/// let event = watcher.feed(&fake.send(request).unwrap()).unwrap();
/// assert!(matches!(event, Event::Ended(_, Ending::Failed)));
/// assert!(watcher.next_poll().is_none());
/// ```
#[derive(Debug)]
pub struct Watcher {
    policy: WatchPolicy,
    tasks: Vec<Watched>,
    /// The task the next request is for.
    pending: usize,
    /// The wait before a round of requests.
    delay: Duration,
    /// Whether the next request starts a round (and so comes after `delay`).
    wait_before_next: bool,
    /// Whether any answer of this round differed from the one before.
    changed_this_round: bool,
}

impl Watcher {
    /// Watches the named tasks with the default policy.
    pub fn new<S: Into<String>>(names: impl IntoIterator<Item = S>) -> Self {
        Watcher::with_policy(names, WatchPolicy::default())
    }

    /// Watches the named tasks with `policy`.
    pub fn with_policy<S: Into<String>>(
        names: impl IntoIterator<Item = S>,
        policy: WatchPolicy,
    ) -> Self {
        let tasks = names
            .into_iter()
            .map(|n| Watched {
                name: n.into(),
                last: None,
                ended: false,
            })
            .collect();
        Watcher {
            delay: policy.first_delay,
            policy,
            tasks,
            pending: 0,
            wait_before_next: false,
            changed_this_round: false,
        }
    }

    /// The next request and the wait before it, or `None` when every task has ended.
    ///
    /// The first request goes out at once; the tasks are asked for in turn, and the wait
    /// comes before each further round.
    pub fn next_poll(&self) -> Option<Poll> {
        if self.is_done() {
            return None;
        }
        Some(Poll {
            wait: if self.wait_before_next {
                self.delay
            } else {
                Duration::ZERO
            },
            request: GetTask::new(self.tasks[self.pending].name.clone()),
        })
    }

    /// The last answer for each task, by name.
    pub fn tasks(&self) -> impl Iterator<Item = (&str, Option<&Task>)> {
        self.tasks
            .iter()
            .map(|w| (w.name.as_str(), w.last.as_ref()))
    }

    /// Whether every task has ended.
    pub fn is_done(&self) -> bool {
        self.tasks.iter().all(|w| w.ended)
    }

    /// Takes the answer to the request of [`Watcher::next_poll`].
    ///
    /// An error answer is returned as it is, and the same task is asked for again after the
    /// current wait; whether to go on is the caller's choice.
    pub fn feed<B: AsRef<[u8]>>(&mut self, response: &Response<B>) -> Result<Event, Error> {
        let turn = self.pending;
        let Some(watched) = self.tasks.get_mut(turn).filter(|w| !w.ended) else {
            return Ok(Event::Idle);
        };
        let task = match GetTask::new(watched.name.clone()).decode(response) {
            Ok(task) => task,
            Err(e) => {
                self.wait_before_next = true;
                return Err(e);
            }
        };

        let changed = watched.last.as_ref() != Some(&task);
        watched.last = Some(task.clone());
        let ended = ending(&task);
        watched.ended = ended.is_some();
        self.changed_this_round |= changed;
        self.advance(turn);

        Ok(match (ended, changed) {
            (Some(how), _) => Event::Ended(task, how),
            (None, true) => Event::Changed(task),
            (None, false) => Event::Unchanged(task),
        })
    }

    /// Moves to the next task that has not ended; past the last one, a new round begins.
    fn advance(&mut self, turn: usize) {
        let n = self.tasks.len();
        let Some(next) = (1..=n)
            .map(|step| (turn + step) % n)
            .find(|&i| !self.tasks[i].ended)
        else {
            return;
        };
        self.wait_before_next = next <= turn;
        if self.wait_before_next {
            self.delay = if self.changed_this_round {
                self.policy.first_delay
            } else {
                let grown = self.delay.as_secs_f64() * self.policy.growth.max(1.0);
                Duration::try_from_secs_f64(grown)
                    .unwrap_or(self.policy.max_delay)
                    .min(self.policy.max_delay)
            };
            self.changed_this_round = false;
        }
        self.pending = next;
    }
}

/// Watches with `watcher` until every task has ended, sending its requests through `client`
/// and sleeping the thread for each wait; `on_event` hears every answer as it comes.
///
/// Returns each task as it ended, with how, in the order the watcher was given the names.
/// Every name is checked before anything is sent, so a name the API would refuse fails at
/// once with [`Error::Input`]. Any other error ends the watch and is returned as it is:
/// an unknown task, for instance, or a failure of the transport that its own retries did not
/// overcome.
///
/// ```
/// use std::time::Duration;
///
/// use rockit_edge::fake::FakeEdge;
/// use rockit_edge::watch::{self, Ending, WatchPolicy, Watcher};
///
/// let fake = FakeEdge::seeded();
/// let client = fake.client();
/// let policy = WatchPolicy {
///     first_delay: Duration::from_millis(1),
///     ..WatchPolicy::default()
/// };
/// let watcher = Watcher::with_policy(["ExampleOrg-sushi-0004-1739452800-deploy"], policy);
///
/// let mut changes = 0;
/// let ended = watch::watch(&client, watcher, |event| {
///     if !matches!(event, watch::Event::Unchanged(_)) {
///         changes += 1;
///     }
/// })?;
/// assert_eq!(ended[0].0.status.as_str(), "finished");
/// assert_eq!(ended[0].1, Ending::Succeeded);
/// assert_eq!(changes, 2);
/// # Ok::<(), rockit_edge::Error>(())
/// ```
pub fn watch<T: Transport>(
    client: &Client<T>,
    mut watcher: Watcher,
    mut on_event: impl FnMut(&Event),
) -> Result<Vec<(Task, Ending)>, Error> {
    for (name, _) in watcher.tasks() {
        GetTask::new(name).to_request(client.base_url(), client.credentials())?;
    }

    while let Some(poll) = watcher.next_poll() {
        if !poll.wait.is_zero() {
            std::thread::sleep(poll.wait);
        }
        let request = poll
            .request
            .to_request(client.base_url(), client.credentials())?;
        let redactor = Redactor::new(&request, &poll.request.body_secrets());
        let response = client.transport().send(request)?;
        let event = watcher.feed(&response).map_err(|e| redactor.redact(e))?;
        on_event(&event);
    }

    Ok(watcher
        .tasks()
        .filter_map(|(_, task)| {
            let task = task?;
            Some((task.clone(), ending(task)?))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(name: &str, status: &str, finished: bool) -> Response<Vec<u8>> {
        let finished = if finished {
            r#","finished":"2025-02-11T11:40:52.577Z""#
        } else {
            ""
        };
        let body = format!(
            r#"{{"status":"success","task":{{"name":"{name}","appName":"a","buildName":"0001",
            "taskType":"mkraw","status":"{status}","steps":{{"created":"2025-02-11T11:39:31.541Z"{finished}}}}}}}"#
        );
        Response::new(body.into_bytes())
    }

    fn policy() -> WatchPolicy {
        WatchPolicy {
            first_delay: Duration::from_secs(1),
            growth: 2.0,
            max_delay: Duration::from_secs(5),
        }
    }

    #[test]
    fn backs_off_while_nothing_changes_and_resets_on_change() {
        let mut w = Watcher::with_policy(["t"], policy());
        let mut waits = Vec::new();
        for status in [
            "running", "running", "running", "running", "running", "busy", "busy",
        ] {
            let poll = w.next_poll().unwrap();
            assert_eq!(poll.request, GetTask::new("t"));
            waits.push(poll.wait.as_secs());
            w.feed(&answer("t", status, false)).unwrap();
        }
        assert_eq!(waits, [0, 1, 2, 4, 5, 5, 1]);
        assert_eq!(w.next_poll().unwrap().wait, Duration::from_secs(2));
    }

    #[test]
    fn ends_on_terminal_states_and_on_a_finished_step() {
        for (status, finished, want) in [
            ("failed", false, Some(Ending::Failed)),
            ("expired", false, Some(Ending::Failed)),
            ("finished", false, Some(Ending::Succeeded)),
            ("someNewState", true, Some(Ending::Succeeded)),
            ("running", false, None),
        ] {
            let mut w = Watcher::new(["t"]);
            let event = w.feed(&answer("t", status, finished)).unwrap();
            match want {
                Some(how) => {
                    assert!(matches!(event, Event::Ended(_, h) if h == how), "{status}");
                    assert!(w.next_poll().is_none());
                    assert!(matches!(
                        w.feed(&answer("t", status, finished)),
                        Ok(Event::Idle)
                    ));
                }
                None => assert!(matches!(event, Event::Changed(_)), "{status}"),
            }
        }
    }

    #[test]
    fn several_tasks_are_asked_for_in_turn_with_one_wait_per_round() {
        let mut w = Watcher::with_policy(["a", "b", "c"], policy());
        let mut asked = Vec::new();
        let mut statuses = vec![("a", "running"), ("b", "finished"), ("c", "running")];
        statuses.extend([("a", "failed"), ("c", "running"), ("c", "finished")]);
        for (name, status) in statuses {
            let poll = w.next_poll().unwrap();
            asked.push((poll.request.clone(), poll.wait.as_secs()));
            assert_eq!(poll.request, GetTask::new(name));
            w.feed(&answer(name, status, false)).unwrap();
        }
        let waits: Vec<u64> = asked.iter().map(|(_, w)| *w).collect();
        assert_eq!(waits, [0, 0, 0, 1, 0, 1]);
        assert!(w.is_done());
        assert!(w.next_poll().is_none());
    }

    #[test]
    fn an_error_is_returned_and_the_same_task_is_asked_again_after_a_wait() {
        let mut w = Watcher::new(["t"]);
        let err = w.feed(&Response::builder().status(503).body(Vec::new()).unwrap());
        assert!(matches!(err, Err(Error::Api(_))));
        let poll = w.next_poll().unwrap();
        assert_eq!(poll.request, GetTask::new("t"));
        assert!(poll.wait > Duration::ZERO);
    }

    #[test]
    fn odd_policies_do_not_panic() {
        for growth in [f64::INFINITY, f64::NAN, -3.0, 1e300] {
            let p = WatchPolicy { growth, ..policy() };
            let mut w = Watcher::with_policy(["t"], p);
            for _ in 0..5 {
                w.feed(&answer("t", "running", false)).unwrap();
                assert!(w.next_poll().unwrap().wait <= Duration::from_secs(5));
            }
        }
    }
}

//! The fake's upload URLs: `PUT /upload/{token}` takes the tar of a build imported without a
//! download URL.
//!
//! Each URL takes one whole body. The fake keeps its length and Adler-32 checksum, never the
//! bytes, and moves the import on: the build's `dltar` task is `finished` with the length in
//! its `userData.dltar.sizeBytes`, the build and its app take that size, and a `running`
//! `mkraw` task starts. The answer is `200 OK` with an empty body and the checksum as `ETag`,
//! as object stores answer.
//!
//! | status | code | when |
//! |---|---|---|
//! | 404 | `not-found` | no upload URL has this token |
//! | 405 | `method-not-allowed` | the method is not `PUT` |
//! | 409 | `invalid-state` | the URL took a whole body already, or the import task has expired |
//!
//! Like an object store, a URL takes bodies sent at the same time, such as a retry while the
//! server has yet to see that the broken first attempt's connection closed; the first whole
//! body wins and the others are answered `409`.
//!
//! [`FakeEdge::handle`] takes the body it is given in memory; [`crate::fake::serve`] streams
//! bodies of any size up to [`crate::fake::MAX_UPLOAD_BYTES`] through the same steps without
//! keeping them.

use std::collections::BTreeMap;

use http::header::{HeaderValue, ETAG};
use http::{Method, Response, StatusCode};

use super::super::apps::update_from_builds;
use super::super::tasks::now;
use super::super::{Answer, Call, Failure, FakeEdge, State, VALID_ORG_NAME};
use super::unix_seconds;
use crate::assumed::TASK_STATUS_EXPIRED;
use crate::builds::build_name;
use crate::model::Field;
use crate::tasks::{DltarInput, Steps, Task, TaskStatus, TaskType, Timestamp, UserData};

/// The path below which upload URLs live.
pub(in crate::fake) const UPLOAD_PATH: &str = "/upload";

/// The state a finished download takes; one of [`crate::assumed::FAKE_TASK_STATES`].
const FINISHED: &str = "finished";
/// The state of the build task an upload starts; one of [`crate::assumed::FAKE_TASK_STATES`].
const RUNNING: &str = "running";

/// An upload the fake took in full.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReceivedUpload {
    /// The app of the imported build.
    pub app_name: String,
    /// The build's name, such as `0005`.
    pub build_name: String,
    /// The `dltar` task of the import.
    pub task_name: String,
    /// How many bytes the body had.
    pub size_bytes: u64,
    /// The body's Adler-32 checksum (RFC 1950).
    pub adler32: u32,
}

/// Upload URLs handed out, and the uploads received, in order.
#[derive(Debug, Default)]
pub(in crate::fake) struct Uploads {
    handed_out: u64,
    by_token: BTreeMap<String, Pending>,
    received: Vec<ReceivedUpload>,
}

#[derive(Debug)]
struct Pending {
    app_name: String,
    number: u64,
    task_name: String,
    /// Bodies arriving now.
    arriving: u32,
    /// Whether a whole body arrived.
    done: bool,
}

impl Uploads {
    /// A new upload URL on `origin` for build `number` of `app_name`, imported by `task_name`.
    pub(super) fn hand_out(
        &mut self,
        origin: &str,
        app_name: &str,
        number: u64,
        task_name: &str,
    ) -> String {
        self.handed_out += 1;
        let token = format!("{app_name}-{}-{:08x}", build_name(number), self.handed_out);
        self.by_token.insert(
            token.clone(),
            Pending {
                app_name: app_name.to_owned(),
                number,
                task_name: task_name.to_owned(),
                arriving: 0,
                done: false,
            },
        );
        format!("{origin}{UPLOAD_PATH}/{token}")
    }
}

/// Whether `path` is that of an upload URL, which [`crate::fake::serve`] streams.
pub(in crate::fake) fn is_upload_path(path: &str) -> bool {
    path.strip_prefix(UPLOAD_PATH)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// Answers a request below [`UPLOAD_PATH`] whose body is all in memory.
pub(in crate::fake) fn handle(state: &mut State, call: &Call<'_>) -> Answer {
    if *call.method != Method::PUT {
        return Err(Failure::method_not_allowed("PUT"));
    }
    let token = token(call.rest)?;
    begin(state, token)?;
    let mut checksum = Adler32::default();
    checksum.update(call.body);
    finish(state, token, call.body.len() as u64, checksum.value())
}

/// The token of `/{token}`: one non-empty segment.
fn token(rest: &str) -> Result<&str, Failure> {
    match rest.strip_prefix('/') {
        Some(token) if !token.is_empty() && !token.contains('/') => Ok(token),
        _ => Err(Failure::not_found("no upload URL at this path")),
    }
}

/// Marks the upload as arriving, if the URL may take it.
fn begin(state: &mut State, token: &str) -> Result<(), Failure> {
    let pending = state
        .builds
        .uploads
        .by_token
        .get(token)
        .ok_or_else(|| Failure::not_found("no upload URL has this token"))?;
    if pending.done {
        return Err(Failure::invalid_state("this upload URL was used already"));
    }
    let expired = state
        .task(&pending.task_name)
        .is_some_and(|task| task.status.as_str() == TASK_STATUS_EXPIRED);
    if expired {
        return Err(Failure::invalid_state("the import task has expired"));
    }
    if let Some(pending) = state.builds.uploads.by_token.get_mut(token) {
        pending.arriving = pending.arriving.saturating_add(1);
    }
    Ok(())
}

/// Forgets a body that did not arrive in full; the URL can take another.
fn abort(state: &mut State, token: &str) {
    if let Some(pending) = state.builds.uploads.by_token.get_mut(token) {
        pending.arriving = pending.arriving.saturating_sub(1);
    }
}

/// Records a whole body and moves the import on.
fn finish(state: &mut State, token: &str, size_bytes: u64, adler32: u32) -> Answer {
    let Some(pending) = state.builds.uploads.by_token.get_mut(token) else {
        return Err(Failure::not_found("no upload URL has this token"));
    };
    pending.arriving = pending.arriving.saturating_sub(1);
    if pending.done {
        return Err(Failure::invalid_state(
            "another upload to this URL arrived in full first",
        ));
    }
    pending.done = true;
    let (app_name, number, task_name) = (
        pending.app_name.clone(),
        pending.number,
        pending.task_name.clone(),
    );
    let finished = now();

    if let Some(task) = state.task_mut(&task_name) {
        task.status = TaskStatus::from(FINISHED);
        task.steps.finished = Field::Value(Timestamp::from(finished.as_str()));
        task.user_data = Field::Value(UserData {
            dltar: Field::Value(DltarInput {
                url: Field::Absent,
                size_bytes: Field::Value(size_bytes),
                extra: Default::default(),
            }),
            extra: Default::default(),
        });
    }
    if let (Some(app), Some(kept)) = (
        state.apps.get_mut(&app_name),
        state.builds.by_app.get_mut(&app_name),
    ) {
        if let Some(build) = kept.iter_mut().find(|b| b.number == number) {
            build.size_bytes = Some(size_bytes);
            update_from_builds(app, kept);
        }
    }
    let name = build_name(number);
    state.insert_task(Task {
        name: format!(
            "{VALID_ORG_NAME}-{app_name}-{name}-{}-mkraw",
            unix_seconds()
        ),
        app_name: app_name.clone(),
        build_name: name.clone(),
        task_type: TaskType::Mkraw,
        status: TaskStatus::from(RUNNING),
        steps: Steps {
            created: Field::Value(Timestamp::from(finished.as_str())),
            started: Field::Value(Timestamp::from(finished.as_str())),
            finished: Field::Absent,
            extra: Default::default(),
        },
        user_data: Field::Absent,
        alert: Field::Absent,
        extra: Default::default(),
    });
    state.builds.uploads.received.push(ReceivedUpload {
        app_name,
        build_name: name,
        task_name,
        size_bytes,
        adler32,
    });

    let mut response = Response::new(Vec::new());
    *response.status_mut() = StatusCode::OK;
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{adler32:08x}\"")) {
        response.headers_mut().insert(ETAG, etag);
    }
    Ok(response)
}

impl FakeEdge {
    /// Every upload the fake took in full, oldest first.
    ///
    /// ```
    /// use rockit_edge::builds::ImportBuild;
    /// use rockit_edge::fake::FakeEdge;
    ///
    /// let fake = FakeEdge::seeded();
    /// let client = fake.client();
    /// let build = client.send(&ImportBuild::upload("sushi")).unwrap();
    ///
    /// // In memory the body is handed over whole; `serve` streams it instead.
    /// let url = build.upload_url.get().unwrap().as_str();
    /// let put = http::Request::put(url).body(b"a tar".to_vec()).unwrap();
    /// assert_eq!(fake.handle(&put).status(), 200);
    ///
    /// let received = &fake.uploads()[0];
    /// assert_eq!(received.size_bytes, 5);
    /// assert_eq!(Some(&received.build_name), build.name.get());
    /// ```
    pub fn uploads(&self) -> Vec<ReceivedUpload> {
        self.lock().builds.uploads.received.clone()
    }

    /// Starts taking the body of a `PUT` to the upload URL with path `path`: the token, or
    /// the error answer when the URL cannot take it.
    pub(in crate::fake) fn begin_upload(
        &self,
        path: &str,
    ) -> Result<String, Box<Response<Vec<u8>>>> {
        let mut state = self.lock();
        let begun = path
            .strip_prefix(UPLOAD_PATH)
            .ok_or_else(|| Failure::not_found("no upload URL at this path"))
            .and_then(token)
            .and_then(|token| begin(&mut state, token).map(|()| token.to_owned()));
        begun.map_err(|failure| {
            state.requests = state.requests.saturating_add(1);
            Box::new(failure.into_response())
        })
    }

    /// Ends an upload whose body arrived in full, and answers it.
    pub(in crate::fake) fn finish_upload(
        &self,
        token: &str,
        size_bytes: u64,
        adler32: u32,
    ) -> Response<Vec<u8>> {
        let mut state = self.lock();
        state.requests = state.requests.saturating_add(1);
        finish(&mut state, token, size_bytes, adler32).unwrap_or_else(Failure::into_response)
    }

    /// Ends an upload whose body did not arrive in full; the URL can take it again.
    pub(in crate::fake) fn abort_upload(&self, token: &str) {
        abort(&mut self.lock(), token);
    }
}

/// The Adler-32 checksum of RFC 1950, fed piece by piece.
#[derive(Clone, Copy, Debug)]
pub(in crate::fake) struct Adler32 {
    a: u32,
    b: u32,
}

impl Default for Adler32 {
    fn default() -> Self {
        Adler32 { a: 1, b: 0 }
    }
}

impl Adler32 {
    const MODULUS: u64 = 65_521;
    /// Bytes summed lane by lane at a time, a width compilers turn into vector instructions.
    const LANES: usize = 32;
    /// Chunks of [`Self::LANES`] bytes summed before the sums are folded in, few enough that
    /// no lane sum can pass `u32::MAX` (255 × 1024² / 2 < 2³²).
    const CHUNKS: usize = 1024;

    pub(in crate::fake) fn update(&mut self, bytes: &[u8]) {
        let run_len = Self::LANES * Self::CHUNKS;
        let mut runs = bytes.chunks_exact(run_len);
        for run in &mut runs {
            self.run(run);
        }
        let rest = runs.remainder();
        let whole = rest.len() - rest.len() % Self::LANES;
        self.run(&rest[..whole]);
        let (mut a, mut b) = (u64::from(self.a), u64::from(self.b));
        for &byte in &rest[whole..] {
            a += u64::from(byte);
            b += a;
        }
        self.a = (a % Self::MODULUS) as u32;
        self.b = (b % Self::MODULUS) as u32;
    }

    /// Adds whole chunks of [`Self::LANES`] bytes, at most [`Self::CHUNKS`] of them.
    ///
    /// Over chunks `x_k`, `a` grows by every byte and `b` by `LANES` times each chunk's
    /// starting `a` plus `LANES - i` times the byte in lane `i`. Per lane, `sums` holds the
    /// bytes so far and `prefixes` the sum of `sums` before each chunk, which together give
    /// both without a carried dependency from byte to byte.
    fn run(&mut self, run: &[u8]) {
        let mut sums = [0_u32; Self::LANES];
        let mut prefixes = [0_u32; Self::LANES];
        let mut chunks = 0_u64;
        for chunk in run.chunks_exact(Self::LANES) {
            for lane in 0..Self::LANES {
                prefixes[lane] += sums[lane];
                sums[lane] += u32::from(chunk[lane]);
            }
            chunks += 1;
        }
        let lanes = Self::LANES as u64;
        let (a, b) = (u64::from(self.a), u64::from(self.b));
        let added: u64 = sums.iter().map(|&s| u64::from(s)).sum();
        let earlier: u64 = prefixes.iter().map(|&p| u64::from(p)).sum();
        let weighted: u64 = sums
            .iter()
            .enumerate()
            .map(|(lane, &s)| (lanes - lane as u64) * u64::from(s))
            .sum();
        let b = b + chunks * lanes * a + lanes * earlier + weighted;
        self.a = ((a + added) % Self::MODULUS) as u32;
        self.b = (b % Self::MODULUS) as u32;
    }

    pub(in crate::fake) fn value(&self) -> u32 {
        (self.b << 16) | self.a
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adler32_matches_rfc_1950_in_any_pieces() {
        let mut whole = Adler32::default();
        whole.update(b"Wikipedia");
        assert_eq!(whole.value(), 0x11E6_0398);

        // Long enough for several whole runs; all 0xFF bytes are the worst case for the sums.
        let mixed: Vec<u8> = (0..200_000_u32).map(|i| (i * 7 + 255) as u8).collect();
        let full = vec![0xFF_u8; 100_003];
        for data in [mixed, full] {
            let (mut a, mut b) = (1_u32, 0_u32);
            for &byte in &data {
                a = (a + u32::from(byte)) % 65_521;
                b = (b + a) % 65_521;
            }
            for piece_len in [1, 31, 777, 32 * 1024, data.len()] {
                let mut pieces = Adler32::default();
                for piece in data.chunks(piece_len) {
                    pieces.update(piece);
                }
                assert_eq!(pieces.value(), (b << 16) | a, "pieces of {piece_len}");
            }
        }
    }

    #[test]
    fn upload_paths_need_a_token_segment() {
        assert!(is_upload_path("/upload/x"));
        assert!(!is_upload_path("/upload"));
        assert!(!is_upload_path("/uploads/x"));
        assert!(token("/a/b").is_err());
        assert!(token("/").is_err());
        assert_eq!(token("/a").unwrap(), "a");
    }

    #[test]
    fn the_states_an_upload_sets_are_known() {
        for state in [FINISHED, RUNNING] {
            assert!(crate::assumed::FAKE_TASK_STATES.contains(&state));
        }
    }
}

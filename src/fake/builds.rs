//! The fake's builds. Nothing is downloaded or built: an import only moves the app on.
//!
//! - `POST /be/v1/builds`: takes the app's name and either `url` (an `http` or `https` URL,
//!   with `size` in bytes optionally) or neither, as
//!   [`crate::assumed::builds::BUILDS_IMPORT_MEMBERS`] says. The app's build counter
//!   `iCurBuild` moves on to the new build, whose name is the counter with 4 digits (`0005`);
//!   builds beyond the app's `maxBuilds` are evicted, oldest first, and the app's patches and
//!   size follow. A new `running` `dltar` task imports the build, visible through
//!   `GET /be/v1/tasks`: with the URL and size in its `userData.dltar` for a download, and for
//!   an upload without them, the answer handing back an upload URL instead: `/upload/{token}`
//!   on the scheme, host and port the import was sent to, so that it is the fake's base URL
//!   in memory and the server's address under [`crate::fake::serve`].
//! - `PUT /upload/{token}`: takes the tar and moves the import on; see [`uploads`].

mod uploads;

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use http::{Method, Uri};

use super::apps::update_from_builds;
use super::deployments::{check_name, read};
use super::tasks::now;
use super::{success, Answer, Call, Failure, FakeEdge, State, BASE_URL, VALID_ORG_NAME};
use crate::assumed::builds::BUILDS_IMPORTED_MEMBER;
use crate::builds::{build_name, check_url, BuildImport, ImportedBuild};
use crate::model::Field;
use crate::names::NamePattern;
use crate::tasks::{DltarInput, Steps, Task, TaskStatus, TaskType, Timestamp, UserData};

pub use uploads::ReceivedUpload;
pub(super) use uploads::{handle as handle_upload, is_upload_path, Adler32, UPLOAD_PATH};

/// The path of the build resource.
pub(super) const PATH: &str = "/be/v1/builds";

/// The status of the task that imports a new build; one of
/// [`crate::assumed::FAKE_TASK_STATES`].
const RUNNING: &str = "running";

/// One build the fake keeps for an app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Build {
    pub(super) number: u64,
    pub(super) size_bytes: Option<u64>,
}

/// The builds of every app, oldest first, and the upload URLs handed out.
#[derive(Debug, Default)]
pub(super) struct Builds {
    by_app: BTreeMap<String, Vec<Build>>,
    uploads: uploads::Uploads,
}

impl Builds {
    /// Forgets the builds of a deleted app.
    pub(super) fn forget(&mut self, app: &str) {
        self.by_app.remove(app);
    }
}

/// The builds of the seeded apps.
pub(super) fn seed(builds: Vec<(String, Vec<Build>)>) -> Builds {
    Builds {
        by_app: builds.into_iter().collect(),
        uploads: uploads::Uploads::default(),
    }
}

impl FakeEdge {
    /// The names of the builds the fake keeps for the app `app`, oldest first.
    pub fn builds(&self, app: &str) -> Vec<String> {
        self.lock()
            .builds
            .by_app
            .get(app)
            .map(|kept| kept.iter().map(|b| build_name(b.number)).collect())
            .unwrap_or_default()
    }
}

/// Answers every request below [`PATH`].
pub(super) fn handle(state: &mut State, call: &Call<'_>) -> Answer {
    if !call.rest.is_empty() {
        return Err(Failure::not_found("no endpoint at this path"));
    }
    if *call.method != Method::POST {
        return Err(Failure::method_not_allowed("POST"));
    }
    import(state, call.body, &origin(call.uri))
}

/// `scheme://host:port` of the request, where the upload URLs it hands out point.
fn origin(uri: &Uri) -> String {
    match (uri.scheme_str(), uri.authority()) {
        (Some(scheme), Some(authority)) => format!("{scheme}://{authority}"),
        _ => BASE_URL.to_owned(),
    }
}

fn import(state: &mut State, body: &[u8], origin: &str) -> Answer {
    let import: BuildImport = read(body)?;
    let app_name = import.app_name;
    if app_name.trim().is_empty() {
        return Err(Failure::missing_param("the app name is required"));
    }
    check_name(NamePattern::Standard, "app", &app_name)?;
    let url = import.url.into_option();
    if let Some(url) = &url {
        check_url(url).map_err(|e| Failure::invalid_param(e.to_string()))?;
    }
    let size_bytes = match import.size {
        Field::Value(0) => return Err(Failure::invalid_param("the size is at least 1 byte")),
        size => size.into_option(),
    };
    let app = state
        .apps
        .get_mut(&app_name)
        .ok_or_else(|| Failure::not_found("no such app"))?;

    let number = app
        .i_cur_build
        .get()
        .copied()
        .unwrap_or(0)
        .saturating_add(1);
    let max_builds = app.max_builds.get().copied().unwrap_or(1).max(1);
    let kept = state.builds.by_app.entry(app_name.clone()).or_default();
    kept.push(Build { number, size_bytes });
    let evicted = kept
        .len()
        .saturating_sub(usize::try_from(max_builds).unwrap_or(usize::MAX));
    kept.drain(..evicted);
    update_from_builds(app, kept);
    let created = now();
    app.processing = Field::Value(true);
    app.updated = Field::Value(Timestamp::from(created.as_str()));

    let name = build_name(number);
    let task_name = format!(
        "{VALID_ORG_NAME}-{app_name}-{name}-{}-dltar",
        unix_seconds()
    );
    let upload_url = if url.is_none() {
        Some(
            state
                .builds
                .uploads
                .hand_out(origin, &app_name, number, &task_name),
        )
    } else {
        None
    };
    let download = url.map(|url| UserData {
        dltar: Field::Value(DltarInput {
            url: Field::Value(url),
            size_bytes: size_bytes.into(),
            extra: Default::default(),
        }),
        extra: Default::default(),
    });
    state.insert_task(Task {
        name: task_name.clone(),
        app_name: app_name.clone(),
        build_name: name.clone(),
        task_type: TaskType::Dltar,
        status: TaskStatus::from(RUNNING),
        steps: Steps {
            created: Field::Value(Timestamp::from(created.as_str())),
            started: Field::Value(Timestamp::from(created.as_str())),
            finished: Field::Absent,
            extra: Default::default(),
        },
        user_data: download.into(),
        alert: Field::Absent,
        extra: Default::default(),
    });

    let imported = ImportedBuild {
        name: Field::Value(name),
        app_name: Field::Value(app_name),
        task_name: Field::Value(task_name),
        upload_url: upload_url.into(),
        extra: Default::default(),
    };
    success(BUILDS_IMPORTED_MEMBER, &imported, &[])
}

/// Seconds since the Unix epoch, as task names carry them.
fn unix_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_import_task_is_in_a_known_state() {
        assert!(crate::assumed::FAKE_TASK_STATES.contains(&RUNNING));
    }
}

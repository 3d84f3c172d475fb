//! The fake's apps.
//!
//! - `POST /be/v1/apps`: takes `name` (matching `^[A-Za-z0-9_]{2,50}$`), `label` and
//!   optionally `maxBuilds` (at least 1, default [`DEFAULT_MAX_BUILDS`]). A name in use is
//!   `409 app-exists`. Answers the new app, with no build yet.
//! - `GET /be/v1/apps/{appName}`: one app; `fields[]` keeps only the members named
//!   (each one of [`crate::assumed::apps::APPS_APP_MEMBERS`]).
//! - `GET /be/v1/apps`: a page, as `{"status": "success", "apps": […], "total": …,
//!   "offset": …, "limit": …}`, taking `offset`, `limit` (default 10) and `fields[]`; apps
//!   come in the order they were made.
//! - `PATCH /be/v1/apps`: sets `label` and registers (an object), updates (an object) or
//!   deregisters (`null`) the deployments in `deployments`; registering a deployment the
//!   fake does not hold is `404 not-found`. Other members are ignored. Answers the app.
//! - `DELETE /be/v1/apps/{appname}`: removes the app and its builds; its tasks stay.
//!
//! The seeded fake holds the apps of the seeded tasks: `sushi` (builds `0001`, `0002` and
//! `0004`, registered to `gcore`), `ramen` (builds `0008` to `0012`, in error since its
//! publication to `cdn_eu` failed) and `tempura` (its first build still downloading).

use std::collections::BTreeMap;

use http::{Method, StatusCode};
use serde_json::{Map, Value};

use super::builds::Build;
use super::deployments::{check_name, path_name, read};
use super::login::flat_success;
use super::tasks::now;
use super::{success, Answer, Call, Failure, FakeEdge, Params, State};
use crate::apps::{App, AppChanges, AppDeployment, NewApp, Patch, DEFAULT_MAX_BUILDS, FIELDS};
use crate::assumed;
use crate::assumed::apps::{APPS_EXISTS_CODE, APPS_LIST_MEMBER, APPS_MEMBER};
use crate::model::{Extra, Field};
use crate::names::NamePattern;
use crate::tasks::Timestamp;

/// The path of the app resource.
pub(super) const PATH: &str = "/be/v1/apps";

const DEFAULT_LIMIT: u64 = 10;

/// The apps, in the order they were made.
#[derive(Debug, Default)]
pub(super) struct Apps {
    items: Vec<App>,
}

impl Apps {
    pub(super) fn get_mut(&mut self, name: &str) -> Option<&mut App> {
        self.items
            .iter_mut()
            .find(|a| a.name.get().map(String::as_str) == Some(name))
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.items
            .iter()
            .position(|a| a.name.get().map(String::as_str) == Some(name))
    }

    /// The name of an app that has the deployment `deployment` registered, if any does.
    pub(super) fn registering(&self, deployment: &str) -> Option<&str> {
        self.items
            .iter()
            .find(|a| {
                a.deployments
                    .get()
                    .is_some_and(|d| d.contains_key(deployment))
            })
            .and_then(|a| a.name.get().map(String::as_str))
    }
}

/// A new app: no build, no deployment.
fn new_app(name: &str, label: &str, max_builds: u64, created: &str) -> App {
    App {
        name: Field::Value(name.into()),
        label: Field::Value(label.into()),
        i_cur_build: Field::Value(0),
        max_builds: Field::Value(max_builds),
        processing: Field::Value(false),
        exporting: Field::Value(false),
        size_bytes: Field::Value(0),
        created: Field::Value(Timestamp::from(created)),
        updated: Field::Value(Timestamp::from(created)),
        dxf_name: Field::Absent,
        patches: Field::Value(Vec::new()),
        error: Field::Absent,
        deployments: Field::Value(BTreeMap::new()),
        extra: Extra::new(),
    }
}

/// Sets what follows from an app's builds: the current build, the patches from every older
/// build to it and the storage taken.
pub(super) fn update_from_builds(app: &mut App, builds: &[Build]) {
    let current = builds.last().map_or(0, |b| b.number);
    app.i_cur_build = Field::Value(current.max(*app.i_cur_build.get().unwrap_or(&0)));
    let patches = builds
        .iter()
        .filter(|b| b.number != current)
        .map(|b| Patch {
            from_build_id: Field::Value(b.number),
            to_build_id: Field::Value(current),
            extra: Extra::new(),
        })
        .collect();
    app.patches = Field::Value(patches);
    app.size_bytes = Field::Value(builds.iter().filter_map(|b| b.size_bytes).sum());
}

/// The seeded apps and their builds.
pub(super) fn seed() -> (Apps, Vec<(String, Vec<Build>)>) {
    let build = |number, size_bytes| Build {
        number,
        size_bytes: Some(size_bytes),
    };
    let registered = |name: &str, status: &str, message: &str| {
        let deployment = AppDeployment {
            status: Field::Value(status.into()),
            message: Field::Value(message.into()),
            ..AppDeployment::default()
        };
        (name.to_owned(), deployment)
    };

    let mut sushi = new_app(
        "sushi",
        "Sushi Shop",
        DEFAULT_MAX_BUILDS,
        "2025-01-20T08:05:12.331Z",
    );
    let sushi_builds = vec![
        build(1, 1_776_503_808),
        build(2, 1_781_035_520),
        build(4, 1_790_113_280),
    ];
    sushi.processing = Field::Value(true);
    sushi.dxf_name = Field::Value("sushi_main".into());
    sushi.updated = Field::Value(Timestamp::from("2025-02-13T13:31:05.601Z"));
    sushi.deployments = Field::Value(
        [registered(
            "gcore",
            assumed::deployments::DEPLOYMENTS_OK_STATUS,
            "published 0002",
        )]
        .into_iter()
        .collect(),
    );

    let mut ramen = new_app("ramen", "Ramen Rush", 5, "2024-11-02T16:45:00.000Z");
    let ramen_builds = (8..=12)
        .map(|n| build(n, 930_000_000 + n * 1_000_000))
        .collect();
    ramen.dxf_name = Field::Value("ramen_main".into());
    ramen.updated = Field::Value(Timestamp::from("2025-02-20T10:39:41.018Z"));
    ramen.error = Field::Value(serde_json::json!({
        "taskName": "ExampleOrg-ramen-0012-1740047400-deploy",
        "deployment": "cdn_eu",
        "message": "the CDN origin refused the upload",
    }));
    ramen.deployments = Field::Value(
        [registered(
            "cdn_eu",
            assumed::deployments::DEPLOYMENTS_ERROR_STATUS,
            "the CDN origin refused the upload (HTTP 403)",
        )]
        .into_iter()
        .collect(),
    );

    let mut tempura = new_app("tempura", "Tempura Tower", 3, "2025-03-03T11:58:40.120Z");
    let tempura_builds = vec![Build {
        number: 1,
        size_bytes: Some(2_147_483_648),
    }];
    tempura.processing = Field::Value(true);
    tempura.updated = Field::Value(Timestamp::from("2025-03-03T12:00:04.733Z"));

    let mut apps = Apps::default();
    let mut builds = Vec::new();
    for (mut app, kept) in [
        (sushi, sushi_builds),
        (ramen, ramen_builds),
        (tempura, tempura_builds),
    ] {
        update_from_builds(&mut app, &kept);
        builds.push((app.name.get().cloned().unwrap_or_default(), kept));
        apps.items.push(app);
    }
    (apps, builds)
}

impl FakeEdge {
    /// Every app, in the order they were made.
    pub fn apps(&self) -> Vec<App> {
        self.lock().apps.items.clone()
    }
}

/// Answers every request below [`PATH`].
pub(super) fn handle(state: &mut State, call: &Call<'_>) -> Answer {
    if call.rest.is_empty() {
        return match *call.method {
            Method::GET => list(&state.apps, call.query),
            Method::POST => create(&mut state.apps, call.body),
            Method::PATCH => patch(state, call.body),
            _ => Err(Failure::method_not_allowed("GET, POST, PATCH")),
        };
    }
    let name = path_name(call.rest, "app", NamePattern::Standard)?;
    let at = state.apps.position(&name);
    match (call.method, at) {
        (&Method::GET, Some(at)) => {
            let params = Params::parse(call.query)?;
            let fields = fields(&params)?;
            success(APPS_MEMBER, &selected(&state.apps.items[at], &fields)?, &[])
        }
        (&Method::DELETE, Some(at)) => {
            state.apps.items.remove(at);
            state.builds.forget(&name);
            flat_success(&Map::new())
        }
        (&Method::GET | &Method::DELETE, None) => Err(Failure::not_found("no such app")),
        _ => Err(Failure::method_not_allowed("GET, DELETE")),
    }
}

/// The members `fields[]` asks for; empty for all of them.
fn fields(params: &Params) -> Result<Vec<&str>, Failure> {
    params
        .all(FIELDS)
        .map(|field| {
            if App::MEMBERS.contains(&field) {
                Ok(field)
            } else {
                Err(Failure::invalid_param(format!(
                    "`{FIELDS}` takes members of an app, not `{field}`"
                )))
            }
        })
        .collect()
}

/// The app with only the members in `fields` (all of them when it is empty).
fn selected(app: &App, fields: &[&str]) -> Result<Map<String, Value>, Failure> {
    let Ok(Value::Object(mut members)) = serde_json::to_value(app) else {
        return Err(Failure::invalid_state("the app cannot be written"));
    };
    if !fields.is_empty() {
        members.retain(|member, _| fields.contains(&member.as_str()));
    }
    Ok(members)
}

fn create(apps: &mut Apps, body: &[u8]) -> Answer {
    let new: NewApp = read(body)?;
    if new.name.trim().is_empty() {
        return Err(Failure::missing_param("the app name is required"));
    }
    if new.label.trim().is_empty() {
        return Err(Failure::missing_param("the app label is required"));
    }
    check_name(NamePattern::Standard, "app", &new.name)?;
    let max_builds = match new.max_builds {
        Field::Absent | Field::Null => DEFAULT_MAX_BUILDS,
        Field::Value(0) => {
            return Err(Failure::invalid_param(
                "an app keeps at least 1 build (maxBuilds)",
            ))
        }
        Field::Value(n) => n,
    };
    if apps.position(&new.name).is_some() {
        return Err(Failure::new(
            StatusCode::CONFLICT,
            APPS_EXISTS_CODE,
            format!("an app named {} exists", new.name),
        ));
    }

    let app = new_app(&new.name, &new.label, max_builds, &now());
    let answer = success(APPS_MEMBER, &app, &[]);
    apps.items.push(app);
    answer
}

fn patch(state: &mut State, body: &[u8]) -> Answer {
    let changes: AppChanges = read(body)?;
    if changes.name.trim().is_empty() {
        return Err(Failure::missing_param("the app name is required"));
    }
    if changes.label.is_null() || changes.label.get().is_some_and(|l| l.trim().is_empty()) {
        return Err(Failure::invalid_param("an app's label cannot be removed"));
    }
    let registrations = changes.deployments.into_option().unwrap_or_default();
    for (deployment, entry) in &registrations {
        check_name(NamePattern::Deployment, "deployment", deployment)?;
        if entry.is_value() && !state.deployments.contains(deployment) {
            return Err(Failure::not_found(format!("no deployment {deployment}")));
        }
    }
    let app = state
        .apps
        .get_mut(&changes.name)
        .ok_or_else(|| Failure::not_found("no such app"))?;

    if let Field::Value(label) = changes.label {
        app.label = Field::Value(label);
    }
    let mut registered = std::mem::take(&mut app.deployments)
        .into_option()
        .unwrap_or_default();
    for (deployment, entry) in registrations {
        match entry {
            Field::Value(settings) => {
                let kept = registered.entry(deployment).or_default();
                kept.extra.extend(settings.extra);
            }
            Field::Null | Field::Absent => {
                registered.remove(&deployment);
            }
        }
    }
    app.deployments = Field::Value(registered);
    app.updated = Field::Value(Timestamp::from(now()));
    success(APPS_MEMBER, &*app, &[])
}

fn list(apps: &Apps, query: &str) -> Answer {
    let params = Params::parse(query)?;
    let offset = params.number(assumed::LIST_OFFSET_MEMBER, 0)?.unwrap_or(0);
    let limit = params
        .number(assumed::LIST_LIMIT_MEMBER, 1)?
        .unwrap_or(DEFAULT_LIMIT);
    let fields = fields(&params)?;

    let page = apps
        .items
        .iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(|app| selected(app, &fields))
        .collect::<Result<Vec<_>, _>>()?;

    success(
        APPS_LIST_MEMBER,
        &page,
        &[
            (assumed::LIST_TOTAL_MEMBER, Value::from(apps.items.len())),
            (assumed::LIST_OFFSET_MEMBER, Value::from(offset)),
            (assumed::LIST_LIMIT_MEMBER, Value::from(limit)),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_matches_the_seeded_tasks() {
        let (apps, builds) = seed();
        let names: Vec<&str> = apps
            .items
            .iter()
            .filter_map(|a| a.name.get().map(String::as_str))
            .collect();
        assert_eq!(names, ["sushi", "ramen", "tempura"]);
        let sushi = &apps.items[0];
        assert_eq!(sushi.i_cur_build.get(), Some(&4));
        let patches: Vec<(u64, u64)> = sushi
            .patches
            .get()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    *p.from_build_id.get().unwrap(),
                    *p.to_build_id.get().unwrap(),
                )
            })
            .collect();
        assert_eq!(patches, [(1, 4), (2, 4)]);
        assert!(apps.items[1].in_error());
        assert_eq!(apps.registering("cdn_eu"), Some("ramen"));
        assert_eq!(apps.registering("nowhere"), None);
        for (name, kept) in &builds {
            let app = &apps.items[apps.position(name).unwrap()];
            assert!(
                kept.len() as u64 <= *app.max_builds.get().unwrap(),
                "{name}"
            );
        }
    }

    #[test]
    fn fields_keep_only_the_members_named() {
        let (apps, _) = seed();
        let all = selected(&apps.items[0], &[]).unwrap();
        assert!(all.contains_key("patches"));
        let some = selected(&apps.items[0], &["name", "iCurBuild"]).unwrap();
        assert_eq!(some.keys().collect::<Vec<_>>(), ["iCurBuild", "name"]);
    }
}

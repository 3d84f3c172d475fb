//! The fake's deployments. Nothing is ever published: the fake only keeps the configurations.
//!
//! - `POST /be/v1/deployments`: takes a deployment (see
//!   [`crate::assumed::deployments::DEPLOYMENTS_MEMBERS`]) with at least `name` and
//!   `originType`, checked as the client checks it. A name in use is
//!   `409 deployment-exists`. Answers the deployment.
//! - `GET /be/v1/deployments`: a page, as `{"status": "success", "deployments": […],
//!   "total": …, "offset": …, "limit": …}`, taking `offset`, `limit` (default 10), the name
//!   filter (the name contains it), the status filter (exact), the created and updated
//!   filters (inclusive, compared as text) and any number of `order[]` keys on `name`,
//!   `created` or `updated`; without one, deployments come in the order they were made.
//! - `GET /be/v1/deployments/{deployment}`: one deployment.
//! - `PATCH /be/v1/deployments`: changes the members the body sets and removes those it sets
//!   to `null`; `status`, `message`, `created` and `updated` belong to the server
//!   (`400 invalid-param`). A change clears an error: the deployment is working again.
//! - `DELETE /be/v1/deployments/{DEPLOYMENT_NAME}`: removes it, unless an app has it
//!   registered (`409 deployment-in-use`).
//!
//! Answers never carry a secret: credentials come back with their `accessKeyId` only. The
//! seeded fake holds `gcore`, which works, and `cdn_eu`, in error since the seeded `deploy`
//! task of `ramen` failed to publish to it.

use std::cmp::Ordering;

use http::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::login::{flat_success, object};
use super::tasks::now;
use super::{percent_decode, success, Answer, Call, Failure, FakeEdge, Params, State};
use crate::assumed;
use crate::assumed::deployments::{
    DEPLOYMENTS_ERROR_STATUS, DEPLOYMENTS_EXISTS_CODE, DEPLOYMENTS_IN_USE_CODE,
    DEPLOYMENTS_LIST_MEMBER, DEPLOYMENTS_MEMBER, DEPLOYMENTS_OK_STATUS,
};
use crate::deployments::{check_body, Deployment, OriginCredentials, OriginType};
use crate::model::Field;
use crate::names::NamePattern;
use crate::tasks::Timestamp;

/// The path of the deployment resource.
pub(super) const PATH: &str = "/be/v1/deployments";

const DEFAULT_LIMIT: u64 = 10;

/// The deployments, in the order they were made, with their credentials in full.
#[derive(Debug, Default)]
pub(super) struct Deployments {
    items: Vec<Deployment>,
}

impl Deployments {
    fn position(&self, name: &str) -> Option<usize> {
        self.items.iter().position(|d| d.name == name)
    }

    pub(super) fn contains(&self, name: &str) -> bool {
        self.position(name).is_some()
    }
}

/// The seeded deployments.
pub(super) fn seed() -> Deployments {
    let s3 = |name: &str, endpoint: &str, bucket: &str, status: &str| {
        let mut d = Deployment::named(name);
        d.origin_type = Field::Value(OriginType::S3);
        d.endpoint = Field::Value(endpoint.into());
        d.bucket = Field::Value(bucket.into());
        d.credentials = Field::Value(OriginCredentials::s3(
            format!("AKIAFAKE{}", name.to_ascii_uppercase()),
            format!("fake-edge-origin-secret-{name}"),
        ));
        d.origin_prefix = Field::Value("rockit".into());
        d.status = Field::Value(status.into());
        d.created = Field::Value(Timestamp::from("2025-01-15T09:00:00.000Z"));
        d.updated = Field::Value(Timestamp::from("2025-01-15T09:00:00.000Z"));
        d
    };
    let gcore = s3(
        "gcore",
        "s-ed1.cloud.gcore.lu",
        "rockit-origin",
        DEPLOYMENTS_OK_STATUS,
    );
    let mut cdn_eu = s3(
        "cdn_eu",
        "s3.eu-central-1.amazonaws.com",
        "rockit-origin-eu",
        DEPLOYMENTS_ERROR_STATUS,
    );
    cdn_eu.message = Field::Value("the CDN origin refused the upload (HTTP 403)".into());
    cdn_eu.updated = Field::Value(Timestamp::from("2025-02-20T10:39:41.018Z"));
    Deployments {
        items: vec![gcore, cdn_eu],
    }
}

impl FakeEdge {
    /// Every deployment, in the order they were made, with its credentials in full.
    pub fn deployments(&self) -> Vec<Deployment> {
        self.lock().deployments.items.clone()
    }
}

/// A deployment as answers show it: credentials without anything secret.
fn shown(deployment: &Deployment) -> Deployment {
    let mut shown = deployment.clone();
    if let Some(credentials) = shown.credentials.get_mut() {
        credentials.secret_access_key = Field::Absent;
        credentials.extra.clear();
    }
    shown
}

/// Answers every request below [`PATH`].
pub(super) fn handle(state: &mut State, call: &Call<'_>) -> Answer {
    if call.rest.is_empty() {
        return match *call.method {
            Method::GET => list(&state.deployments, call.query),
            Method::POST => create(&mut state.deployments, call.body),
            Method::PATCH => modify(&mut state.deployments, call.body),
            _ => Err(Failure::method_not_allowed("GET, POST, PATCH")),
        };
    }
    let name = path_name(call.rest, "deployment", NamePattern::Deployment)?;
    let at = state.deployments.position(&name);
    match (call.method, at) {
        (&Method::GET, Some(at)) => success(
            DEPLOYMENTS_MEMBER,
            &shown(&state.deployments.items[at]),
            &[],
        ),
        (&Method::DELETE, Some(at)) => {
            if let Some(app) = state.apps.registering(&name) {
                return Err(Failure::new(
                    StatusCode::CONFLICT,
                    DEPLOYMENTS_IN_USE_CODE,
                    format!("deployment {name} is registered to app {app}"),
                ));
            }
            state.deployments.items.remove(at);
            flat_success(&Map::new())
        }
        (&Method::GET | &Method::DELETE, None) => Err(Failure::not_found("no such deployment")),
        _ => Err(Failure::method_not_allowed("GET, DELETE")),
    }
}

/// The one name segment below a resource path, decoded and checked against `pattern`.
pub(super) fn path_name(rest: &str, what: &str, pattern: NamePattern) -> Result<String, Failure> {
    let segment = rest.strip_prefix('/').unwrap_or(rest);
    if segment.contains('/') {
        return Err(Failure::not_found("no endpoint at this path"));
    }
    if segment.is_empty() {
        return Err(Failure::missing_param(format!(
            "the {what} name is missing from the path"
        )));
    }
    let name = percent_decode(segment)
        .ok_or_else(|| Failure::invalid_param(format!("the {what} name must be UTF-8")))?;
    check_name(pattern, what, &name)?;
    Ok(name)
}

/// Checks a name as the client does, answering `invalid-param`.
pub(super) fn check_name(pattern: NamePattern, what: &str, name: &str) -> Result<(), Failure> {
    pattern
        .check("name", name)
        .map_err(|e| Failure::invalid_param(format!("the {what} name {}", e.problem())))
}

/// Reads a request body into its model: a missing member is `missing-param`, one of the
/// wrong type `invalid-param`.
pub(super) fn read<T: DeserializeOwned>(body: &[u8]) -> Result<T, Failure> {
    let body = object(body)?;
    serde_json::from_value(Value::Object(body)).map_err(|e| {
        let message = e.to_string();
        if message.starts_with("missing field") {
            Failure::missing_param(message)
        } else {
            Failure::invalid_param(message)
        }
    })
}

/// Checks a deployment as the client does before sending it.
fn check(deployment: &Deployment) -> Result<(), Failure> {
    if deployment.name.trim().is_empty() {
        return Err(Failure::missing_param("the deployment name is required"));
    }
    check_name(NamePattern::Deployment, "deployment", &deployment.name)?;
    check_body(deployment).map_err(|e| Failure::invalid_param(e.to_string()))
}

fn refuse_server_members(deployment: &Deployment) -> Result<(), Failure> {
    let set_by_request = deployment.status.is_absent()
        && deployment.message.is_absent()
        && deployment.created.is_absent()
        && deployment.updated.is_absent();
    if set_by_request {
        Ok(())
    } else {
        Err(Failure::invalid_param(
            "status, message and times of a deployment are set by the server",
        ))
    }
}

fn create(deployments: &mut Deployments, body: &[u8]) -> Answer {
    let mut deployment: Deployment = read(body)?;
    check(&deployment)?;
    if !deployment.origin_type.is_value() {
        return Err(Failure::missing_param("the origin type is required"));
    }
    refuse_server_members(&deployment)?;
    if deployments.contains(&deployment.name) {
        return Err(Failure::new(
            StatusCode::CONFLICT,
            DEPLOYMENTS_EXISTS_CODE,
            format!("a deployment named {} exists", deployment.name),
        ));
    }

    let now = Timestamp::from(now());
    deployment.status = Field::Value(DEPLOYMENTS_OK_STATUS.into());
    deployment.created = Field::Value(now.clone());
    deployment.updated = Field::Value(now);
    let answer = shown(&deployment);
    deployments.items.push(deployment);
    success(DEPLOYMENTS_MEMBER, &answer, &[])
}

/// Applies one member of a partial update: absent keeps, `null` removes, a value replaces.
fn apply<T>(member: &mut Field<T>, change: Field<T>) {
    match change {
        Field::Absent => {}
        Field::Null => *member = Field::Absent,
        value => *member = value,
    }
}

fn modify(deployments: &mut Deployments, body: &[u8]) -> Answer {
    let changes: Deployment = read(body)?;
    if changes.name.trim().is_empty() {
        return Err(Failure::missing_param("the deployment name is required"));
    }
    refuse_server_members(&changes)?;
    let at = deployments
        .position(&changes.name)
        .ok_or_else(|| Failure::not_found("no such deployment"))?;

    let mut changed = deployments.items[at].clone();
    apply(&mut changed.origin_type, changes.origin_type);
    apply(&mut changed.endpoint, changes.endpoint);
    apply(&mut changed.bucket, changes.bucket);
    apply(&mut changed.credentials, changes.credentials);
    apply(&mut changed.origin_prefix, changes.origin_prefix);
    apply(
        &mut changed.download_auth_group,
        changes.download_auth_group,
    );
    for (member, value) in changes.extra {
        if value.is_null() {
            changed.extra.remove(&member);
        } else {
            changed.extra.insert(member, value);
        }
    }
    check(&changed)?;
    if !changed.origin_type.is_value() {
        return Err(Failure::invalid_param("the origin type cannot be removed"));
    }
    changed.status = Field::Value(DEPLOYMENTS_OK_STATUS.into());
    changed.message = Field::Absent;
    changed.updated = Field::Value(Timestamp::from(now()));

    let answer = shown(&changed);
    deployments.items[at] = changed;
    success(DEPLOYMENTS_MEMBER, &answer, &[])
}

/// One key of the sort order: a member and whether it sorts descending.
fn sort_key(text: &str) -> Result<(&str, bool), Failure> {
    let invalid = || {
        Failure::invalid_param(format!(
            "`{}` takes `[+field]` or `[-field]` with the field `name`, `created` or `updated`",
            assumed::QUERY_ORDER
        ))
    };
    let inner = text
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .ok_or_else(invalid)?;
    let (descending, field) = match (inner.strip_prefix('+'), inner.strip_prefix('-')) {
        (Some(field), _) => (false, field),
        (_, Some(field)) => (true, field),
        _ => (false, inner),
    };
    match field {
        "name" | "created" | "updated" => Ok((field, descending)),
        _ => Err(invalid()),
    }
}

fn compare(a: &Deployment, b: &Deployment, field: &str) -> Ordering {
    match field {
        "created" => a.created.get().cmp(&b.created.get()),
        "updated" => a.updated.get().cmp(&b.updated.get()),
        _ => a.name.cmp(&b.name),
    }
}

fn list(deployments: &Deployments, query: &str) -> Answer {
    use crate::assumed::deployments as q;

    let params = Params::parse(query)?;
    let offset = params.number(assumed::LIST_OFFSET_MEMBER, 0)?.unwrap_or(0);
    let limit = params
        .number(assumed::LIST_LIMIT_MEMBER, 1)?
        .unwrap_or(DEFAULT_LIMIT);
    let name = params.one(q::DEPLOYMENTS_QUERY_NAME)?;
    let status = params.one(q::DEPLOYMENTS_QUERY_STATUS)?;
    let created_from = params.one(q::DEPLOYMENTS_QUERY_CREATED_FROM)?;
    let created_to = params.one(q::DEPLOYMENTS_QUERY_CREATED_TO)?;
    let updated_from = params.one(q::DEPLOYMENTS_QUERY_UPDATED_FROM)?;
    let updated_to = params.one(q::DEPLOYMENTS_QUERY_UPDATED_TO)?;
    let order = params
        .all(assumed::QUERY_ORDER)
        .map(sort_key)
        .collect::<Result<Vec<_>, _>>()?;

    let within = |time: &Field<Timestamp>, from: Option<&str>, to: Option<&str>| {
        let time = time.get().map(Timestamp::as_str);
        from.is_none_or(|from| time.is_some_and(|t| t >= from))
            && to.is_none_or(|to| time.is_some_and(|t| t <= to))
    };
    let mut matching: Vec<&Deployment> = deployments
        .items
        .iter()
        .filter(|d| name.is_none_or(|n| d.name.contains(n)))
        .filter(|d| status.is_none_or(|s| d.status.get().map(String::as_str) == Some(s)))
        .filter(|d| within(&d.created, created_from, created_to))
        .filter(|d| within(&d.updated, updated_from, updated_to))
        .collect();
    // A stable sort keeps the order they were made in among equal keys.
    matching.sort_by(|a, b| {
        order
            .iter()
            .map(|(field, descending)| {
                let ordering = compare(a, b, field);
                if *descending {
                    ordering.reverse()
                } else {
                    ordering
                }
            })
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    });
    let total = matching.len();
    let page: Vec<Deployment> = matching
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(shown)
        .collect();

    success(
        DEPLOYMENTS_LIST_MEMBER,
        &page,
        &[
            (assumed::LIST_TOTAL_MEMBER, Value::from(total)),
            (assumed::LIST_OFFSET_MEMBER, Value::from(offset)),
            (assumed::LIST_LIMIT_MEMBER, Value::from(limit)),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_is_valid_and_keeps_secrets_out_of_answers() {
        let seeded = seed();
        for deployment in &seeded.items {
            assert!(check_body(deployment).is_ok(), "{}", deployment.name);
            let credentials = deployment.credentials.get().unwrap();
            assert!(credentials.secret_access_key.is_value());
            let answer = serde_json::to_string(&shown(deployment)).unwrap();
            assert!(!answer.contains("fake-edge-origin-secret"), "{answer}");
            assert!(answer.contains("AKIAFAKE"), "{answer}");
        }
        assert!(seeded.items.iter().any(Deployment::has_error));
    }

    #[test]
    fn sort_keys_take_three_fields_both_ways() {
        assert_eq!(sort_key("[-updated]").unwrap(), ("updated", true));
        assert_eq!(sort_key("[name]").unwrap(), ("name", false));
        assert_eq!(sort_key("[+created]").unwrap(), ("created", false));
        for bad in ["name", "[+bucket]", "[]", ""] {
            assert!(sort_key(bad).is_err(), "{bad}");
        }
    }
}

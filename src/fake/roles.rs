//! The fake's roles.
//!
//! - `GET /be/v1/roles`: a page of roles, as `{"status": "success", "roles": […], "total":
//!   …, "offset": …, "limit": …}`, in the order they were created.
//! - `GET /be/v1/roles/{roleName}`: the role, as `{"status": "success", "role": …}`.
//! - `POST /be/v1/roles`: creates a role and answers it.
//! - `PATCH /be/v1/roles`: sets the values of the resources named and answers the role.
//! - `DELETE /be/v1/roles/{roleName}`: deletes a role.
//!
//! Both lists and details take `fields[]`: each role then carries only the members named,
//! and always `name`. Every fake holds `Administrators` with every resource's maximum; the
//! seeded fake adds the roles of the reference's example table (`Access Control`, `Account
//! Admins`, `CI Pipeline Services`, `System Engineers`, `Testers`).
//!
//! Values are checked as the client checks them: a non-negative integer within its
//! resource's maximum (`400 invalid-param`). A taken name is `409 already-exists`;
//! `Administrators` and roles that users hold cannot be deleted (`409 invalid-state`).

use std::collections::BTreeMap;

use http::{Method, StatusCode};
use serde_json::{Map, Value};

use super::users::{acknowledged, object, page, path_name, required_text, ALREADY_EXISTS};
use super::{success, Answer, Call, Failure, FakeEdge, Params, State};
use crate::assumed::roles::{ROLES_GET_MEMBER, ROLES_LIST_MEMBER, ROLES_PERMISSIONS_MEMBER};
use crate::model::{Extra, Field};
use crate::roles::{check_role_name, Permissions, Resource, Role, ADMINISTRATORS, NAME_MEMBER};

/// The path of the role resource.
pub(super) const PATH: &str = "/be/v1/roles";

const FIELDS: &str = "fields[]";

/// The reference's example roles, with one value per resource in the order of
/// [`Resource::KNOWN`]. Its `Managers` row is left out: it holds 31 for `bundles`, whose
/// maximum is 15.
const EXAMPLES: [(&str, [u64; 12]); 5] = [
    ("Access Control", [0, 0, 2, 0, 0, 0, 15, 0, 0, 0, 0, 2]),
    ("Account Admins", [0, 15, 0, 0, 0, 0, 0, 15, 0, 0, 0, 0]),
    (
        "CI Pipeline Services",
        [15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ),
    ("System Engineers", [0, 0, 0, 0, 0, 15, 0, 0, 15, 15, 0, 0]),
    ("Testers", [0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
];

/// The fake's roles, in the order they were created.
pub(super) struct Roles {
    list: Vec<Role>,
}

impl Default for Roles {
    fn default() -> Self {
        Roles {
            list: vec![Role::administrators()],
        }
    }
}

impl Roles {
    /// Whether a role named `name` exists.
    pub(super) fn exists(&self, name: &str) -> bool {
        self.list.iter().any(|r| r.name == name)
    }
}

/// Adds the reference's example roles to the one every fake holds.
pub(super) fn seed(state: &mut State) {
    for (name, values) in EXAMPLES {
        let role = Resource::KNOWN
            .iter()
            .zip(values)
            .fold(Role::new(name), |role, (resource, bits)| {
                role.with(resource.clone(), Permissions::from_bits(bits))
            });
        state.roles.list.push(role);
    }
}

impl FakeEdge {
    /// Every role the fake holds, in the order they were created.
    pub fn roles(&self) -> Vec<Role> {
        self.lock().roles.list.clone()
    }
}

/// Answers every request below [`PATH`].
pub(super) fn handle(state: &mut State, call: &Call<'_>) -> Answer {
    if call.rest.is_empty() {
        return match *call.method {
            Method::GET => list(state, call.query),
            Method::POST => create(state, call.body),
            Method::PATCH => patch(state, call.body),
            _ => Err(Failure::method_not_allowed("GET, POST, PATCH")),
        };
    }
    let name = path_name(call.rest, "role name")?;
    match *call.method {
        Method::GET => {
            let params = Params::parse(call.query)?;
            let role = find(state, &name)?;
            success(ROLES_GET_MEMBER, &select(role, &params)?, &[])
        }
        Method::DELETE => delete(state, &name),
        _ => Err(Failure::method_not_allowed("GET, DELETE")),
    }
}

fn find<'s>(state: &'s State, name: &str) -> Result<&'s Role, Failure> {
    state
        .roles
        .list
        .iter()
        .find(|r| r.name == name)
        .ok_or_else(|| Failure::not_found("no such role"))
}

/// The role with only the members `fields[]` names, and `name`; all of it without `fields[]`.
fn select(role: &Role, params: &Params) -> Result<Value, Failure> {
    let fields: Vec<&str> = params.all(FIELDS).collect();
    let mut value = serde_json::to_value(role).map_err(|e| Failure::invalid_body(e.to_string()))?;
    if let (false, Value::Object(members)) = (fields.is_empty(), &mut value) {
        members.retain(|key, _| key == NAME_MEMBER || fields.contains(&key.as_str()));
    }
    Ok(value)
}

fn list(state: &State, query: &str) -> Answer {
    let params = Params::parse(query)?;
    let roles = state
        .roles
        .list
        .iter()
        .map(|role| select(role, &params))
        .collect::<Result<Vec<_>, _>>()?;
    page(ROLES_LIST_MEMBER, &roles, &params)
}

/// The `permissions` member: integers by resource, each within its resource's maximum.
fn permissions(body: &Map<String, Value>) -> Result<BTreeMap<Resource, Permissions>, Failure> {
    let members = match body.get(ROLES_PERMISSIONS_MEMBER) {
        None | Some(Value::Null) => return Ok(BTreeMap::new()),
        Some(Value::Object(members)) => members,
        Some(_) => {
            return Err(Failure::invalid_param(format!(
                "`{ROLES_PERMISSIONS_MEMBER}` must be an object of integers by resource"
            )))
        }
    };
    let mut table = BTreeMap::new();
    for (resource, value) in members {
        let bits = value.as_u64().ok_or_else(|| {
            Failure::invalid_param(format!("`{resource}` must be a whole number"))
        })?;
        let resource = Resource::from(resource.as_str());
        let permissions = Permissions::from_bits(bits);
        resource
            .check(permissions)
            .map_err(|e| Failure::invalid_param(e.to_string()))?;
        table.insert(resource, permissions);
    }
    Ok(table)
}

fn named(body: &Map<String, Value>) -> Result<&str, Failure> {
    let name = required_text(body, NAME_MEMBER)?;
    check_role_name(name).map_err(|e| Failure::invalid_param(e.to_string()))?;
    Ok(name)
}

fn create(state: &mut State, body: &[u8]) -> Answer {
    let body = object(body)?;
    let name = named(&body)?;
    let table = permissions(&body)?;
    if state.roles.exists(name) {
        return Err(Failure::new(
            StatusCode::CONFLICT,
            ALREADY_EXISTS,
            format!("a role named `{name}` exists"),
        ));
    }
    let role = Role {
        name: name.to_owned(),
        permissions: Field::Value(table),
        extra: Extra::new(),
    };
    state.roles.list.push(role.clone());
    success(ROLES_GET_MEMBER, &role, &[])
}

fn patch(state: &mut State, body: &[u8]) -> Answer {
    let body = object(body)?;
    let name = named(&body)?;
    let changes = permissions(&body)?;
    if changes.is_empty() {
        return Err(Failure::missing_param(format!(
            "`{ROLES_PERMISSIONS_MEMBER}` names the resources to change"
        )));
    }
    let role = state
        .roles
        .list
        .iter_mut()
        .find(|r| r.name == name)
        .ok_or_else(|| Failure::not_found("no such role"))?;
    let changed = changes
        .into_iter()
        .fold(role.clone(), |role, (resource, p)| role.with(resource, p));
    *role = changed;
    success(ROLES_GET_MEMBER, role, &[])
}

fn delete(state: &mut State, name: &str) -> Answer {
    find(state, name)?;
    if name == ADMINISTRATORS {
        return Err(Failure::invalid_state(
            "every organisation keeps its Administrators role",
        ));
    }
    if state.users.hold(name) {
        return Err(Failure::invalid_state("users hold this role"));
    }
    state.roles.list.retain(|r| r.name != name);
    acknowledged()
}

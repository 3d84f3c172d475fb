//! The fake's users.
//!
//! - `GET /be/v1/users/{username}`: the user, as `{"status": "success", "user": …}`.
//! - `GET /be/v1/users`: a page of users, as `{"status": "success", "users": […], "total":
//!   …, "offset": …, "limit": …}`, in the order they were created.
//! - `PATCH /be/v1/users`: changes the named user's details or password and answers the user.
//! - `DELETE /be/v1/users/{username}`: deletes the user and revokes its API keys.
//! - `POST /be/v1/users`: with a `label`, creates a machine user and answers its new API key,
//!   valid at once; without one, creates a person's account (`email`, `firstname` and
//!   `surname` required) and answers the user.
//!
//! Every fake holds the machine user `adminPrincipal`, owner of the API key it accepts from
//! the start, and the person `alice`, who logs in with [`super::VALID_LOGIN_PASSWORD`]; both
//! hold the `Administrators` role. The seeded fake adds the person `jdoe`, holder of
//! `Testers`, who has no password until one is reset; a password set here is the one logging
//! in takes.
//! Usernames must match `^[A-Za-z0-9_]{2,50}$` and roles must exist (`400 invalid-param`);
//! a username that is taken is `409 already-exists`. A password change needs the current
//! password (`403 wrong-password` otherwise); no answer ever carries a password.

use http::{Method, StatusCode};
use serde_json::{Map, Value};

use super::login::{VALID_LOGIN_PASSWORD, VALID_LOGIN_USERNAME};
use super::{
    json_response, percent_decode, success, Answer, Call, Failure, FakeEdge, Params, State,
};
use crate::assumed;
use crate::assumed::users::{
    USERS_GET_MEMBER, USERS_LIST_MEMBER, USERS_MACHINE_KEY_MEMBER, USERS_PATCH_TARGET,
};
use crate::decode::SUCCESS;
use crate::model::{Extra, Field};
use crate::names::NamePattern;
use crate::roles::ADMINISTRATORS;
use crate::users::{check_email, check_text, User};

/// The path of the user resource.
pub(super) const PATH: &str = "/be/v1/users";

/// The code of a `409` answer to creating something whose name is taken.
pub(super) const ALREADY_EXISTS: &str = "already-exists";

const WRONG_PASSWORD: &str = "wrong-password";

const OFFSET: &str = "offset";
const LIMIT: &str = "limit";
const DEFAULT_LIMIT: u64 = 10;

/// The fake's users, in the order they were created.
pub(super) struct Users {
    records: Vec<Record>,
}

struct Record {
    user: User,
    /// Only ever compared, never answered.
    password: Option<String>,
}

impl Default for Users {
    fn default() -> Self {
        let admin = User {
            username: super::VALID_USERNAME.to_owned(),
            email: Field::Absent,
            firstname: Field::Absent,
            surname: Field::Absent,
            title: Field::Absent,
            label: Field::Value("organisation automation".to_owned()),
            roles: Field::Value(vec![ADMINISTRATORS.to_owned()]),
            extra: Extra::new(),
        };
        let alice = User {
            username: VALID_LOGIN_USERNAME.to_owned(),
            email: Field::Value("alice@example.com".to_owned()),
            firstname: Field::Value("Alice".to_owned()),
            surname: Field::Value("Example".to_owned()),
            title: Field::Absent,
            label: Field::Absent,
            roles: Field::Value(vec![ADMINISTRATORS.to_owned()]),
            extra: Extra::new(),
        };
        Users {
            records: vec![
                Record {
                    user: admin,
                    password: None,
                },
                Record {
                    user: alice,
                    password: Some(VALID_LOGIN_PASSWORD.to_owned()),
                },
            ],
        }
    }
}

impl Users {
    fn get(&self, username: &str) -> Option<&Record> {
        self.records.iter().find(|r| r.user.username == username)
    }

    fn get_mut(&mut self, username: &str) -> Option<&mut Record> {
        self.records
            .iter_mut()
            .find(|r| r.user.username == username)
    }

    /// Whether any user holds the role named `role`.
    pub(super) fn hold(&self, role: &str) -> bool {
        self.records.iter().any(|r| {
            r.user
                .roles
                .get()
                .is_some_and(|roles| roles.iter().any(|n| n == role))
        })
    }

    /// Whether a user named `username` exists.
    pub(super) fn exists(&self, username: &str) -> bool {
        self.get(username).is_some()
    }
}

/// Adds the person `jdoe` to the users every fake holds.
pub(super) fn seed(state: &mut State) {
    let jdoe = User {
        username: "jdoe".to_owned(),
        email: Field::Value("jane.doe@example.com".to_owned()),
        firstname: Field::Value("Jane".to_owned()),
        surname: Field::Value("Doe".to_owned()),
        title: Field::Value("Dr".to_owned()),
        label: Field::Absent,
        roles: Field::Value(vec!["Testers".to_owned()]),
        extra: Extra::new(),
    };
    state.users.records.push(Record {
        user: jdoe,
        password: None,
    });
}

impl FakeEdge {
    /// Every user the fake holds, in the order they were created.
    pub fn users(&self) -> Vec<User> {
        let state = self.lock();
        state.users.records.iter().map(|r| r.user.clone()).collect()
    }
}

/// Answers every request below [`PATH`].
pub(super) fn handle(state: &mut State, call: &Call<'_>) -> Answer {
    if call.rest.is_empty() {
        return match *call.method {
            Method::GET => list(state, call.query),
            Method::POST => create(state, call.body),
            Method::PATCH => modify(state, call.body),
            _ => Err(Failure::method_not_allowed("GET, POST, PATCH")),
        };
    }
    let username = path_name(call.rest, "username")?;
    NamePattern::Standard
        .check("username", &username)
        .map_err(|e| Failure::invalid_param(e.to_string()))?;
    match *call.method {
        Method::GET => {
            let record = state
                .users
                .get(&username)
                .ok_or_else(|| Failure::not_found("no such user"))?;
            success(USERS_GET_MEMBER, &record.user, &[])
        }
        Method::DELETE => delete(state, &username),
        _ => Err(Failure::method_not_allowed("GET, DELETE")),
    }
}

/// The one decoded segment after a resource path, naming `what`.
pub(super) fn path_name(rest: &str, what: &str) -> Result<String, Failure> {
    let segment = rest.strip_prefix('/').unwrap_or(rest);
    if segment.contains('/') {
        return Err(Failure::not_found("no endpoint at this path"));
    }
    if segment.is_empty() {
        return Err(Failure::missing_param(format!(
            "the {what} is missing from the path"
        )));
    }
    percent_decode(segment)
        .ok_or_else(|| Failure::invalid_param(format!("the {what} must be UTF-8")))
}

/// A page of `items` as a list answer under `member`, with `offset` and `limit` from `params`.
pub(super) fn page<T: serde::Serialize>(member: &str, items: &[T], params: &Params) -> Answer {
    let offset = params.number(OFFSET, 0)?.unwrap_or(0);
    let limit = params.number(LIMIT, 1)?.unwrap_or(DEFAULT_LIMIT);
    let page: Vec<&T> = items
        .iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .collect();
    success(
        member,
        &page,
        &[
            (assumed::LIST_TOTAL_MEMBER, Value::from(items.len())),
            (OFFSET, Value::from(offset)),
            (LIMIT, Value::from(limit)),
        ],
    )
}

fn list(state: &State, query: &str) -> Answer {
    let params = Params::parse(query)?;
    let users: Vec<&User> = state.users.records.iter().map(|r| &r.user).collect();
    page(USERS_LIST_MEMBER, &users, &params)
}

/// The request body as a JSON object.
pub(super) fn object(body: &[u8]) -> Result<Map<String, Value>, Failure> {
    serde_json::from_slice(body)
        .map_err(|_| Failure::invalid_body("the body must be a JSON object"))
}

/// A member that may be absent or `null`, else text.
pub(super) fn text<'b>(
    body: &'b Map<String, Value>,
    member: &str,
) -> Result<Option<&'b str>, Failure> {
    match body.get(member) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(_) => Err(Failure::invalid_param(format!("`{member}` must be text"))),
    }
}

/// A member that must be text and not blank.
pub(super) fn required_text<'b>(
    body: &'b Map<String, Value>,
    member: &str,
) -> Result<&'b str, Failure> {
    text(body, member)?
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| Failure::missing_param(format!("`{member}` is required")))
}

fn invalid(e: crate::error::InputError) -> Failure {
    Failure::invalid_param(e.to_string())
}

/// The `roles` member: a list of names of roles the fake holds.
fn roles(state: &State, body: &Map<String, Value>) -> Result<Vec<String>, Failure> {
    let Some(value) = body.get("roles") else {
        return Err(Failure::missing_param("`roles` is required"));
    };
    let names: Vec<String> = serde_json::from_value(value.clone())
        .map_err(|_| Failure::invalid_param("`roles` must be a list of role names"))?;
    if let Some(unknown) = names.iter().find(|n| !state.roles.exists(n)) {
        return Err(Failure::invalid_param(format!("no role named `{unknown}`")));
    }
    Ok(names)
}

fn create(state: &mut State, body: &[u8]) -> Answer {
    let body = object(body)?;
    let username = required_text(&body, "username")?;
    NamePattern::Standard
        .check("username", username)
        .map_err(invalid)?;
    let label = text(&body, "label")?;
    let roles = roles(state, &body)?;
    if state.users.exists(username) {
        return Err(Failure::new(
            StatusCode::CONFLICT,
            ALREADY_EXISTS,
            format!("a user named `{username}` exists"),
        ));
    }

    let mut user = User {
        username: username.to_owned(),
        email: Field::Absent,
        firstname: Field::Absent,
        surname: Field::Absent,
        title: Field::Absent,
        label: Field::Absent,
        roles: Field::Value(roles),
        extra: Extra::new(),
    };
    if let Some(label) = label {
        check_text("label", label).map_err(invalid)?;
        user.label = Field::Value(label.to_owned());
        state.users.records.push(Record {
            user,
            password: None,
        });
        let key = super::api_keys::issue(state, super::VALID_ORG_NAME, username);
        return success(USERS_MACHINE_KEY_MEMBER, &key, &[]);
    }

    let email = required_text(&body, "email")?;
    check_email("email", email).map_err(invalid)?;
    let firstname = required_text(&body, "firstname")?;
    let surname = required_text(&body, "surname")?;
    user.email = Field::Value(email.to_owned());
    user.firstname = Field::Value(firstname.to_owned());
    user.surname = Field::Value(surname.to_owned());
    if let Some(title) = text(&body, "title")? {
        check_text("title", title).map_err(invalid)?;
        user.title = Field::Value(title.to_owned());
    }
    state.users.records.push(Record {
        user: user.clone(),
        password: None,
    });
    success(USERS_GET_MEMBER, &user, &[])
}

fn modify(state: &mut State, body: &[u8]) -> Answer {
    let body = object(body)?;
    let username = required_text(&body, USERS_PATCH_TARGET)?;
    NamePattern::Standard
        .check("username", username)
        .map_err(invalid)?;

    // Everything is checked before anything changes, so a refused request changes nothing.
    let mut details = Vec::new();
    for member in ["email", "firstname", "surname", "title"] {
        match body.get(member) {
            None => {}
            Some(Value::Null) if member == "title" => details.push((member, None)),
            Some(Value::String(text)) => {
                if member == "email" {
                    check_email("email", text).map_err(invalid)?;
                } else {
                    check_text(member, text).map_err(invalid)?;
                }
                details.push((member, Some(text.clone())));
            }
            Some(_) => return Err(Failure::invalid_param(format!("`{member}` must be text"))),
        }
    }
    let old = text(&body, "oldPW")?;
    let new = text(&body, "newPW")?;
    let reset = text(&body, "resetCreds")?;
    let password = match (old, new, reset) {
        (None, None, None) => None,
        (Some(old), Some(new), None) if !new.is_empty() => Some((Some(old), new)),
        (None, None, Some(reset)) if !reset.is_empty() => Some((None, reset)),
        (_, _, Some(_)) if old.is_some() || new.is_some() => {
            return Err(Failure::invalid_param(
                "change a password with `oldPW` and `newPW`, or reset it with `resetCreds`",
            ))
        }
        _ => {
            return Err(Failure::missing_param(
                "a password change takes both `oldPW` and `newPW`, neither empty",
            ))
        }
    };
    if details.is_empty() && password.is_none() {
        return Err(Failure::missing_param("nothing to change"));
    }

    let record = state
        .users
        .get_mut(username)
        .ok_or_else(|| Failure::not_found("no such user"))?;
    if let Some((Some(old), _)) = password {
        if record.password.as_deref() != Some(old) {
            return Err(Failure::new(
                StatusCode::FORBIDDEN,
                WRONG_PASSWORD,
                "`oldPW` is not the user's password",
            ));
        }
    }
    for (member, value) in details {
        let field = value.map_or(Field::Null, Field::Value);
        match member {
            "email" => record.user.email = field,
            "firstname" => record.user.firstname = field,
            "surname" => record.user.surname = field,
            _ => record.user.title = field,
        }
    }
    if let Some((_, new)) = password {
        record.password = Some(new.to_owned());
    }
    let user = record.user.clone();
    if let Some((_, new)) = password {
        // The new password is the one logging in takes from now on.
        state.logins.add(super::VALID_ORG_NAME, username, new);
    }
    success(USERS_GET_MEMBER, &user, &[])
}

fn delete(state: &mut State, username: &str) -> Answer {
    let before = state.users.records.len();
    state.users.records.retain(|r| r.user.username != username);
    if state.users.records.len() == before {
        return Err(Failure::not_found("no such user"));
    }
    state.api_keys.retain(|(_, user, _)| user != username);
    acknowledged()
}

/// `{"status": "success"}`, for changes whose answer carries nothing else.
pub(super) fn acknowledged() -> Answer {
    let body = format!(r#"{{"status":"{SUCCESS}"}}"#);
    Ok(json_response(StatusCode::OK, body.into_bytes()))
}

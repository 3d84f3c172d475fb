//! Users of an organisation: people, who sign in with a password, and machine users, who
//! authenticate with an API key.
//!
//! - `GET /be/v1/users/{username}`: [`GetUser`]
//! - `GET /be/v1/users`: [`ListUsers`]
//! - `PATCH /be/v1/users`: [`ModifyUser`]
//! - `DELETE /be/v1/users/{username}`: [`DeleteUser`]
//! - `POST /be/v1/users`: [`CreateUser`], [`CreateMachineUser`]

use std::fmt;

use http::{Method, Response};
use serde_json::{Map, Value};

use crate::assumed::users::{
    USERS_GET_MEMBER, USERS_LIST_MEMBER, USERS_MACHINE_KEY_MEMBER, USERS_PATCH_TARGET,
};
use crate::auth::Credentials;
use crate::decode;
use crate::endpoint::{json_body, Endpoint, PathBuilder, Query};
use crate::error::{Error, InputError};
use crate::model::{model, Extra, Field, ValuesHidden};
use crate::names::NamePattern;
use crate::page::{list_request, ListParams, Page};
use crate::secret::Secret;

const USERS: &str = "/be/v1/users";

model! {
    /// A user of the organisation, as Get User Details and List Users return it.
    ///
    /// The reference shows no answer; the members typed here are the ones Create User and
    /// Modify User name. `roles` is taken to be a list of role names.
    pub struct User {
        /// The user's name, such as `adminPrincipal`; matches `^[A-Za-z0-9_]{2,50}$`.
        required username: String = "username",
        /// A person's e-mail address.
        optional email: String = "email",
        /// A person's first name.
        optional firstname: String = "firstname",
        /// A person's surname.
        optional surname: String = "surname",
        /// A person's title, such as `Dr`.
        optional title: String = "title",
        /// A machine user's label, saying what it is for.
        optional label: String = "label",
        /// The names of the roles the user holds.
        optional roles: Vec<String> = "roles",
    }
}

impl User {
    /// Whether this is a machine user: only machine users are created with a label.
    pub fn is_machine(&self) -> bool {
        self.label.is_value()
    }
}

pub use crate::secret::Password;

/// Refuses what cannot be an e-mail address; the server has the last word on the rest.
pub(crate) fn check_email(what: &'static str, email: &str) -> Result<(), InputError> {
    let shape_ok = email
        .split_once('@')
        .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty());
    if !shape_ok || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(InputError::new(
            what,
            "must be an e-mail address, such as name@example.com",
        ));
    }
    Ok(())
}

/// Refuses an empty text member.
pub(crate) fn check_text(what: &'static str, text: &str) -> Result<(), InputError> {
    if text.trim().is_empty() {
        return Err(InputError::new(what, "must not be empty"));
    }
    Ok(())
}

/// `GET /be/v1/users/{username}`: one user of the caller's organisation.
///
/// Needs the `users.read` permission.
///
/// ```
/// use rockit_edge::users::GetUser;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let creds = Credentials::api_key("ExampleOrg", "adminPrincipal", "k-123").unwrap();
/// let request = GetUser::new("adminPrincipal").to_request(&base, &creds).unwrap();
/// assert_eq!(request.uri(), "https://edge.example.com/be/v1/users/adminPrincipal");
/// assert!(GetUser::new("no/such").to_request(&base, &creds).is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetUser {
    username: String,
}

impl GetUser {
    /// The user named `username`.
    pub fn new(username: impl Into<String>) -> Self {
        GetUser {
            username: username.into(),
        }
    }
}

impl Endpoint for GetUser {
    type Output = User;

    fn method(&self) -> Method {
        Method::GET
    }

    fn path(&self) -> Result<String, InputError> {
        NamePattern::Standard.check("username", &self.username)?;
        Ok(PathBuilder::new(USERS)
            .segment("username", &self.username)?
            .finish())
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<User, Error> {
        decode::member(response, USERS_GET_MEMBER)
    }
}

/// `GET /be/v1/users`: the organisation's users, paged.
///
/// The reference does not show this page; it takes `offset` and `limit` like the other
/// lists, and [`ListUsers::param`] adds any other parameter.
///
/// ```
/// use rockit_edge::users::ListUsers;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let creds = Credentials::backend_token("t0k").unwrap();
/// let request = ListUsers::new().offset(10).limit(10).to_request(&base, &creds).unwrap();
/// assert_eq!(request.uri(), "https://edge.example.com/be/v1/users?offset=10&limit=10");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListUsers {
    list: ListParams,
}

impl ListUsers {
    /// All users, first page, server's default page size.
    pub fn new() -> Self {
        ListUsers::default()
    }
}

list_request!(ListUsers, User);

impl Endpoint for ListUsers {
    type Output = Page<User>;

    fn method(&self) -> Method {
        Method::GET
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(USERS.to_owned())
    }

    fn query(&self, query: &mut Query) -> Result<(), InputError> {
        self.list.write_head(query)?;
        self.list.write_tail(query);
        Ok(())
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Page<User>, Error> {
        let envelope = decode::envelope(response, USERS_LIST_MEMBER)?;
        Ok(Page {
            items: envelope.value,
            extra: envelope.rest,
        })
    }
}

/// `PATCH /be/v1/users`: changes a user's details or password.
///
/// Needs the `users.update` permission, or being that user. Only the members set are sent;
/// [`ModifyUser::clear_title`] sends `"title": null`. A user changes their own password with
/// [`ModifyUser::change_password`] (`oldPW`, `newPW`); one with full permission on users sets
/// someone else's with [`ModifyUser::reset_password`] (`resetCreds`). The user is named in the
/// body (see [`USERS_PATCH_TARGET`]). The answer's members other than `status` are returned as
/// they are.
///
/// ```
/// use rockit_edge::users::ModifyUser;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let creds = Credentials::backend_token("t0k").unwrap();
/// let modify = ModifyUser::new("jdoe").surname("Doe-Smith").clear_title();
/// let request = modify.to_request(&base, &creds).unwrap();
/// let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
/// let expected = serde_json::json!({"username": "jdoe", "surname": "Doe-Smith", "title": null});
/// assert_eq!(body, expected);
///
/// let reset = ModifyUser::new("jdoe").reset_password("n3w-Secret");
/// assert!(!format!("{reset:?}").contains("n3w-Secret"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModifyUser {
    username: String,
    email: Field<String>,
    firstname: Field<String>,
    surname: Field<String>,
    title: Field<String>,
    password_change: Option<(Password, Password)>,
    reset: Option<Password>,
}

impl ModifyUser {
    /// Changes the user named `username`.
    pub fn new(username: impl Into<String>) -> Self {
        ModifyUser {
            username: username.into(),
            email: Field::Absent,
            firstname: Field::Absent,
            surname: Field::Absent,
            title: Field::Absent,
            password_change: None,
            reset: None,
        }
    }

    /// Sets the e-mail address.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Field::Value(email.into());
        self
    }

    /// Sets the first name.
    pub fn firstname(mut self, firstname: impl Into<String>) -> Self {
        self.firstname = Field::Value(firstname.into());
        self
    }

    /// Sets the surname.
    pub fn surname(mut self, surname: impl Into<String>) -> Self {
        self.surname = Field::Value(surname.into());
        self
    }

    /// Sets the title.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Field::Value(title.into());
        self
    }

    /// Removes the title, by sending `null`.
    pub fn clear_title(mut self) -> Self {
        self.title = Field::Null;
        self
    }

    /// Changes the caller's own password from `old` to `new`.
    pub fn change_password(mut self, old: impl Into<String>, new: impl Into<String>) -> Self {
        self.password_change = Some((Password::new(old), Password::new(new)));
        self
    }

    /// Sets the user's password to `new` without the old one (needs full permission on users).
    pub fn reset_password(mut self, new: impl Into<String>) -> Self {
        self.reset = Some(Password::new(new));
        self
    }
}

impl Endpoint for ModifyUser {
    type Output = Map<String, Value>;

    fn method(&self) -> Method {
        Method::PATCH
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(USERS.to_owned())
    }

    fn body(&self) -> Result<Option<Vec<u8>>, InputError> {
        NamePattern::Standard.check("username", &self.username)?;
        let mut body = Map::new();
        body.insert(
            USERS_PATCH_TARGET.into(),
            Value::from(self.username.as_str()),
        );
        let details = [
            ("email", "email", &self.email),
            ("firstname", "first name", &self.firstname),
            ("surname", "surname", &self.surname),
            ("title", "title", &self.title),
        ];
        for (member, what, field) in details {
            match field {
                Field::Absent => continue,
                Field::Null => body.insert(member.into(), Value::Null),
                Field::Value(text) => {
                    if member == "email" {
                        check_email(what, text)?;
                    } else {
                        check_text(what, text)?;
                    }
                    body.insert(member.into(), Value::from(text.as_str()))
                }
            };
        }
        if self.password_change.is_some() && self.reset.is_some() {
            return Err(InputError::new(
                "password",
                "change it or reset it, not both in one request",
            ));
        }
        if let Some((old, new)) = &self.password_change {
            old.check("old password")?;
            new.check("new password")?;
            body.insert("oldPW".into(), Value::from(old.expose()));
            body.insert("newPW".into(), Value::from(new.expose()));
        }
        if let Some(new) = &self.reset {
            new.check("new password")?;
            body.insert("resetCreds".into(), Value::from(new.expose()));
        }
        if body.len() == 1 {
            return Err(InputError::new(
                "user changes",
                "set at least one member to change",
            ));
        }
        json_body(&body)
    }

    fn body_secrets(&self) -> Vec<&str> {
        let change = self
            .password_change
            .iter()
            .flat_map(|(old, new)| [old, new]);
        change.chain(&self.reset).map(Password::expose).collect()
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Map<String, Value>, Error> {
        decode::acknowledgement(response)
    }
}

/// `DELETE /be/v1/users/{username}`: deletes a user.
///
/// The reference does not show this page; the answer's members other than `status` are
/// returned as they are.
///
/// ```
/// use rockit_edge::users::DeleteUser;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let creds = Credentials::backend_token("t0k").unwrap();
/// let request = DeleteUser::new("ci_bot").to_request(&base, &creds).unwrap();
/// assert_eq!(request.method(), "DELETE");
/// assert_eq!(request.uri().path(), "/be/v1/users/ci_bot");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteUser {
    username: String,
}

impl DeleteUser {
    /// Deletes the user named `username`.
    pub fn new(username: impl Into<String>) -> Self {
        DeleteUser {
            username: username.into(),
        }
    }
}

impl Endpoint for DeleteUser {
    type Output = Map<String, Value>;

    fn method(&self) -> Method {
        Method::DELETE
    }

    fn path(&self) -> Result<String, InputError> {
        NamePattern::Standard.check("username", &self.username)?;
        Ok(PathBuilder::new(USERS)
            .segment("username", &self.username)?
            .finish())
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Map<String, Value>, Error> {
        decode::acknowledgement(response)
    }
}

fn roles_value(roles: &[String]) -> Result<Value, InputError> {
    for role in roles {
        crate::roles::check_role_name(role)?;
    }
    Ok(Value::from(roles.to_vec()))
}

/// `POST /be/v1/users`: creates a user account for a person, who gets an invitation e-mail
/// and is enabled once they confirm the address.
///
/// Needs the `users.create` permission. The same method and path create machine users, see
/// [`CreateMachineUser`]. The reference does not show the answer; its members other than
/// `status` are returned as they are.
///
/// ```
/// use rockit_edge::users::CreateUser;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let creds = Credentials::backend_token("t0k").unwrap();
/// let create = CreateUser::new("jdoe", "jane@example.com", "Jane", "Doe").role("Testers");
/// let request = create.to_request(&base, &creds).unwrap();
/// let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
/// assert_eq!(body["roles"], serde_json::json!(["Testers"]));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateUser {
    username: String,
    title: Option<String>,
    email: String,
    firstname: String,
    surname: String,
    roles: Vec<String>,
}

impl CreateUser {
    /// A user named `username`, for the person with this e-mail address and name.
    pub fn new(
        username: impl Into<String>,
        email: impl Into<String>,
        firstname: impl Into<String>,
        surname: impl Into<String>,
    ) -> Self {
        CreateUser {
            username: username.into(),
            title: None,
            email: email.into(),
            firstname: firstname.into(),
            surname: surname.into(),
            roles: Vec::new(),
        }
    }

    /// The person's title, such as `Dr`.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Gives the user the role named `role`; call again for more.
    pub fn role(mut self, role: impl Into<String>) -> Self {
        self.roles.push(role.into());
        self
    }
}

impl Endpoint for CreateUser {
    type Output = Map<String, Value>;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(USERS.to_owned())
    }

    fn body(&self) -> Result<Option<Vec<u8>>, InputError> {
        NamePattern::Standard.check("username", &self.username)?;
        check_email("email", &self.email)?;
        check_text("first name", &self.firstname)?;
        check_text("surname", &self.surname)?;
        let mut body = Map::new();
        body.insert("username".into(), Value::from(self.username.as_str()));
        if let Some(title) = &self.title {
            check_text("title", title)?;
            body.insert("title".into(), Value::from(title.as_str()));
        }
        body.insert("email".into(), Value::from(self.email.as_str()));
        body.insert("firstname".into(), Value::from(self.firstname.as_str()));
        body.insert("surname".into(), Value::from(self.surname.as_str()));
        body.insert("roles".into(), roles_value(&self.roles)?);
        json_body(&body)
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Map<String, Value>, Error> {
        decode::acknowledgement(response)
    }
}

/// `POST /be/v1/users`: creates a machine user, for automation, and returns its API key.
///
/// Needs the `users.create` permission. The answer carries the key (see
/// [`USERS_MACHINE_KEY_MEMBER`]); [`CreatedMachineUser::credentials`] turns it into
/// credentials for later requests.
///
/// ```
/// use rockit_edge::users::CreateMachineUser;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let creds = Credentials::backend_token("t0k").unwrap();
/// let create = CreateMachineUser::new("ci_bot", "CI pipeline").role("CI Pipeline Services");
/// let request = create.to_request(&base, &creds).unwrap();
///
/// let answer = br#"{"status": "success", "apiKey": "k-9f2c"}"#;
/// let created = create.decode(&http::Response::new(answer.to_vec())).unwrap();
/// let ci = created.credentials("ExampleOrg").unwrap();
/// assert_eq!(created.username, "ci_bot");
/// assert!(!format!("{created:?} {ci:?}").contains("k-9f2c"));
/// # let _ = request;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateMachineUser {
    username: String,
    label: String,
    roles: Vec<String>,
}

impl CreateMachineUser {
    /// A machine user named `username`, with a label saying what it is for.
    pub fn new(username: impl Into<String>, label: impl Into<String>) -> Self {
        CreateMachineUser {
            username: username.into(),
            label: label.into(),
            roles: Vec::new(),
        }
    }

    /// Gives the user the role named `role`; call again for more.
    pub fn role(mut self, role: impl Into<String>) -> Self {
        self.roles.push(role.into());
        self
    }
}

/// A machine user just created, with its API key.
#[derive(Clone, PartialEq, Eq)]
pub struct CreatedMachineUser {
    /// The machine user's name, as it was asked for.
    pub username: String,
    /// Its API key. `Debug` does not show it.
    pub api_key: Secret,
    /// The answer's other members, except `status`. `Debug` shows their names only.
    pub extra: Extra,
}

impl fmt::Debug for CreatedMachineUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreatedMachineUser")
            .field("username", &self.username)
            .field("api_key", &self.api_key)
            .field("extra", &ValuesHidden(&self.extra))
            .finish()
    }
}

impl CreatedMachineUser {
    /// Credentials that authenticate as this machine user in the organisation `org_name`.
    pub fn credentials(&self, org_name: impl AsRef<str>) -> Result<Credentials, InputError> {
        Credentials::api_key(org_name, &self.username, self.api_key.expose())
    }
}

impl Endpoint for CreateMachineUser {
    type Output = CreatedMachineUser;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(USERS.to_owned())
    }

    fn body(&self) -> Result<Option<Vec<u8>>, InputError> {
        NamePattern::Standard.check("username", &self.username)?;
        check_text("label", &self.label)?;
        let mut body = Map::new();
        body.insert("username".into(), Value::from(self.username.as_str()));
        body.insert("label".into(), Value::from(self.label.as_str()));
        body.insert("roles".into(), roles_value(&self.roles)?);
        json_body(&body)
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<CreatedMachineUser, Error> {
        let (api_key, extra) = secret_member(response, USERS_MACHINE_KEY_MEMBER)?;
        Ok(CreatedMachineUser {
            username: self.username.clone(),
            api_key,
            extra,
        })
    }
}

/// Decodes a success answer that carries a new API key in `member`.
///
/// The body holds the key, so a decode error keeps none of it.
pub(crate) fn secret_member<B: AsRef<[u8]>>(
    response: &Response<B>,
    member: &'static str,
) -> Result<(Secret, Extra), Error> {
    let envelope = decode::envelope::<String, B>(response, member).map_err(decode::without_body)?;
    let key = Secret::new(&envelope.value).map_err(|e| {
        decode::withheld_decode_error(response, member.to_owned(), e.problem().to_owned())
    })?;
    Ok((key, envelope.rest))
}

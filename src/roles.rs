//! Roles: named sets of permissions, one value per resource. A value is a bitmask of create
//! (1), read (2), update (4), delete (8) and execute (16); each resource allows only some of
//! them. Every organisation has an `Administrators` role that holds every resource's maximum.
//!
//! - `GET /be/v1/roles`: [`ListRoles`]
//! - `POST /be/v1/roles`: [`CreateRole`]
//! - `PATCH /be/v1/roles`: [`PatchRole`]
//! - `GET /be/v1/roles/{roleName}`: [`GetRole`]
//! - `DELETE /be/v1/roles/{roleName}`: [`DeleteRole`]

use std::collections::BTreeMap;
use std::fmt;
use std::ops::{BitAnd, BitOr, BitOrAssign};
use std::str::FromStr;

use http::{Method, Response};
use serde::de::{Deserializer, Error as _, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::assumed::roles::{ROLES_GET_MEMBER, ROLES_LIST_MEMBER, ROLES_PERMISSIONS_MEMBER};
use crate::decode;
use crate::endpoint::{json_body, Endpoint, PathBuilder, Query};
use crate::error::{Error, InputError};
use crate::model::{open_enum, Extra, Field};
use crate::page::{list_request, ListParams, Page};

const ROLES: &str = "/be/v1/roles";

/// The member of a role that holds its name; the reference's `fields[]` example selects it.
pub const NAME_MEMBER: &str = "name";

/// The name of the role every organisation has, holding every resource's maximum.
pub const ADMINISTRATORS: &str = "Administrators";

/// What a role allows on one resource: a bitmask of [`CREATE`](Permissions::CREATE),
/// [`READ`](Permissions::READ), [`UPDATE`](Permissions::UPDATE),
/// [`DELETE`](Permissions::DELETE) and [`EXECUTE`](Permissions::EXECUTE).
///
/// On the wire it is the integer. Bits the reference does not define are kept as received, so
/// a decoded role encodes back unchanged; [`Resource::check`] refuses them before sending.
/// `Display` writes one letter per bit, `-` where it is not set (`crud-` for 15), and
/// `FromStr` reads that form or the integer.
///
/// ```
/// use rockit_edge::roles::Permissions;
///
/// let rw = Permissions::READ | Permissions::UPDATE;
/// assert_eq!(rw.bits(), 6);
/// assert_eq!(rw.to_string(), "-ru--");
/// assert!(rw.contains(Permissions::READ));
/// assert!(!rw.contains(Permissions::DELETE));
/// assert_eq!("crud".parse::<Permissions>().unwrap().bits(), 15);
/// assert_eq!("31".parse::<Permissions>().unwrap(), Permissions::ALL);
/// assert_eq!(serde_json::to_string(&rw).unwrap(), "6");
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Permissions(u64);

/// The defined bits in order, with their letter and name.
const BITS: [(u64, char, &str); 5] = [
    (1, 'c', "create"),
    (2, 'r', "read"),
    (4, 'u', "update"),
    (8, 'd', "delete"),
    (16, 'x', "execute"),
];

impl Permissions {
    /// Nothing allowed (0).
    pub const NONE: Permissions = Permissions(0);
    /// Create, by `POST` (1).
    pub const CREATE: Permissions = Permissions(1);
    /// Read, by `GET` (2).
    pub const READ: Permissions = Permissions(2);
    /// Update, by `PATCH` (4).
    pub const UPDATE: Permissions = Permissions(4);
    /// Delete, by `DELETE` (8).
    pub const DELETE: Permissions = Permissions(8);
    /// Execute, such as triggering a task (16).
    pub const EXECUTE: Permissions = Permissions(16);
    /// Create, read, update and delete (15), the maximum of most resources.
    pub const CRUD: Permissions = Permissions(15);
    /// Every defined bit (31).
    pub const ALL: Permissions = Permissions(31);

    /// The value with exactly these bits, undefined ones included.
    pub const fn from_bits(bits: u64) -> Self {
        Permissions(bits)
    }

    /// The value as the integer sent on the wire.
    pub const fn bits(self) -> u64 {
        self.0
    }

    /// Whether every bit of `other` is set here.
    pub const fn contains(self, other: Permissions) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether no bit is set.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The bits set that the reference does not define (above 16).
    pub const fn undefined_bits(self) -> u64 {
        self.0 & !Self::ALL.0
    }

    /// The names of the defined bits set, in order: `create`, `read`, `update`, `delete`,
    /// `execute`.
    ///
    /// ```
    /// use rockit_edge::roles::Permissions;
    ///
    /// assert_eq!(Permissions::from_bits(6).names(), ["read", "update"]);
    /// ```
    pub fn names(self) -> Vec<&'static str> {
        BITS.iter()
            .filter(|(bit, _, _)| self.0 & bit != 0)
            .map(|(_, _, name)| *name)
            .collect()
    }
}

impl BitOr for Permissions {
    type Output = Permissions;

    fn bitor(self, rhs: Permissions) -> Permissions {
        Permissions(self.0 | rhs.0)
    }
}

impl BitOrAssign for Permissions {
    fn bitor_assign(&mut self, rhs: Permissions) {
        self.0 |= rhs.0;
    }
}

impl BitAnd for Permissions {
    type Output = Permissions;

    fn bitand(self, rhs: Permissions) -> Permissions {
        Permissions(self.0 & rhs.0)
    }
}

impl fmt::Display for Permissions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (bit, letter, _) in BITS {
            let shown = if self.0 & bit != 0 { letter } else { '-' };
            fmt::Write::write_char(f, shown)?;
        }
        match self.undefined_bits() {
            0 => Ok(()),
            rest => write!(f, "+{rest}"),
        }
    }
}

impl fmt::Debug for Permissions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Permissions({} {self})", self.0)
    }
}

impl FromStr for Permissions {
    type Err = InputError;

    /// Reads an integer such as `15`, or letters of `crudx` with `-` anywhere, such as
    /// `crud-`, `-r---` or `ru`.
    fn from_str(text: &str) -> Result<Self, InputError> {
        if let Ok(bits) = text.parse::<u64>() {
            return Ok(Permissions(bits));
        }
        if text.is_empty() {
            return Err(InputError::new("permissions", "must not be empty"));
        }
        let mut bits = 0;
        for c in text.chars() {
            match BITS
                .iter()
                .find(|(_, letter, _)| *letter == c.to_ascii_lowercase())
            {
                Some((bit, _, _)) => bits |= bit,
                None if c == '-' => {}
                None => {
                    return Err(InputError::new(
                        "permissions",
                        "must be a whole number or letters of `crudx`, with `-` for a bit not set",
                    ))
                }
            }
        }
        Ok(Permissions(bits))
    }
}

impl Serialize for Permissions {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.0)
    }
}

impl<'de> Deserialize<'de> for Permissions {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        u64::deserialize(deserializer).map(Permissions)
    }
}

open_enum! {
    /// A resource that roles grant permissions on, by its id in the reference's roles table.
    pub enum Resource {
        /// ROCKIT-enabled apps (`apps`), at most create, read, update, delete.
        Apps = "apps",
        /// Backend users (`beUsers`), at most create, read, update, delete.
        BeUsers = "beUsers",
        /// Bundles (`bundles`), at most create, read, update, delete.
        Bundles = "bundles",
        /// Consumption figures (`consumption`), read only.
        Consumption = "consumption",
        /// Dependencies (`dependencies`), at most create, read, update, delete.
        Dependencies = "dependencies",
        /// CDN origins (`deployments`), at most create, read, update, delete.
        Deployments = "deployments",
        /// Keys (`keys`), at most create, read, update, delete.
        Keys = "keys",
        /// Roles (`roles`), at most create, read, update, delete.
        Roles = "roles",
        /// Sources (`sources`), at most create, read, update, delete.
        Sources = "sources",
        /// Subscriptions to events (`subscriptions`), at most create, read, update, delete.
        Subscriptions = "subscriptions",
        /// Compute tasks (`tasks`), create, read, update, delete and execute.
        Tasks = "tasks",
        /// Trainings (`trainings`), at most read and update.
        Trainings = "trainings",
    }
}

impl Resource {
    /// The most a role may allow on this resource, as the reference's table gives it; `None`
    /// for a resource this crate does not know.
    ///
    /// ```
    /// use rockit_edge::roles::{Permissions, Resource};
    ///
    /// assert_eq!(Resource::Tasks.maximum(), Some(Permissions::ALL));
    /// assert_eq!(Resource::Trainings.maximum().unwrap().bits(), 6);
    /// assert_eq!(Resource::from("gadgets").maximum(), None);
    /// ```
    pub fn maximum(&self) -> Option<Permissions> {
        let bits = match self {
            Resource::Apps
            | Resource::BeUsers
            | Resource::Bundles
            | Resource::Dependencies
            | Resource::Deployments
            | Resource::Keys
            | Resource::Roles
            | Resource::Sources
            | Resource::Subscriptions => 15,
            Resource::Consumption => 2,
            Resource::Tasks => 31,
            Resource::Trainings => 6,
            Resource::Other(_) => return None,
        };
        Some(Permissions(bits))
    }

    /// Checks that a role may hold `permissions` on this resource: every bit set must be
    /// within the resource's [maximum](Resource::maximum). On a resource this crate does not
    /// know, only the bits the reference does not define are refused.
    ///
    /// ```
    /// use rockit_edge::roles::{Permissions, Resource};
    ///
    /// assert!(Resource::Apps.check(Permissions::CRUD).is_ok());
    /// let err = Resource::Consumption.check(Permissions::CREATE).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "invalid permissions: consumption allows at most -r--- (2), not c---- (1)"
    /// );
    /// ```
    pub fn check(&self, permissions: Permissions) -> Result<(), InputError> {
        let maximum = self.maximum().unwrap_or(Permissions::ALL);
        if maximum.contains(permissions) {
            return Ok(());
        }
        Err(InputError::new(
            "permissions",
            format!(
                "{self} allows at most {maximum} ({}), not {permissions} ({})",
                maximum.bits(),
                permissions.bits()
            ),
        ))
    }
}

/// A role: its name and what it allows on each resource.
///
/// On the wire, `{"name": …, "permissions": {"<resource>": <integer>, …}, …}` (the
/// `permissions` member is assumed, see [`ROLES_PERMISSIONS_MEMBER`]). Other members are kept
/// in `extra`. `permissions` is absent when a `fields[]` selection left it out.
///
/// ```
/// use rockit_edge::roles::{Permissions, Resource, Role};
///
/// let role = Role::new("CI Pipeline Services").with(Resource::Apps, Permissions::CRUD);
/// assert_eq!(role.permission(&Resource::Apps), Permissions::CRUD);
/// assert_eq!(role.permission(&Resource::Tasks), Permissions::NONE);
/// assert!(role.check().is_ok());
/// let json = serde_json::to_value(&role).unwrap();
/// let expected = serde_json::json!({"name": "CI Pipeline Services", "permissions": {"apps": 15}});
/// assert_eq!(json, expected);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Role {
    /// The role's name, unique in its organisation, such as `Testers`.
    pub name: String,
    /// The value per resource.
    pub permissions: Field<BTreeMap<Resource, Permissions>>,
    /// Members this crate does not type, kept as they were received.
    pub extra: Extra,
}

impl Role {
    /// A role named `name` that allows nothing yet.
    pub fn new(name: impl Into<String>) -> Self {
        Role {
            name: name.into(),
            permissions: Field::Value(BTreeMap::new()),
            extra: Extra::new(),
        }
    }

    /// The `Administrators` role every organisation has: the maximum on every resource.
    ///
    /// ```
    /// use rockit_edge::roles::{Permissions, Resource, Role};
    ///
    /// let admins = Role::administrators();
    /// assert_eq!(admins.name, "Administrators");
    /// assert_eq!(admins.permission(&Resource::Tasks), Permissions::ALL);
    /// assert_eq!(admins.permission(&Resource::Consumption), Permissions::READ);
    /// ```
    pub fn administrators() -> Self {
        let mut role = Role::new(ADMINISTRATORS);
        for resource in Resource::KNOWN {
            if let Some(maximum) = resource.maximum() {
                role = role.with(resource.clone(), maximum);
            }
        }
        role
    }

    /// The same role, allowing `permissions` on `resource` (replacing any value it had).
    pub fn with(mut self, resource: impl Into<Resource>, permissions: Permissions) -> Self {
        if !self.permissions.is_value() {
            self.permissions = Field::Value(BTreeMap::new());
        }
        if let Some(map) = self.permissions.get_mut() {
            map.insert(resource.into(), permissions);
        }
        self
    }

    /// What the role allows on `resource`: nothing when the resource is not listed.
    pub fn permission(&self, resource: &Resource) -> Permissions {
        self.permissions
            .get()
            .and_then(|map| map.get(resource))
            .copied()
            .unwrap_or_default()
    }

    /// Checks the name and every value against its resource's maximum, as the client does
    /// before sending a role.
    pub fn check(&self) -> Result<(), InputError> {
        check_role_name(&self.name)?;
        check_permissions(self.permissions.get().into_iter().flatten())
    }
}

/// Role names carry no pattern in the reference (the roles table has `CI Pipeline Services`),
/// so only an empty name and control characters are refused.
pub(crate) fn check_role_name(name: &str) -> Result<(), InputError> {
    if name.trim().is_empty() {
        return Err(InputError::new("role name", "must not be empty"));
    }
    if name.chars().any(char::is_control) {
        return Err(InputError::new(
            "role name",
            "must not contain control characters",
        ));
    }
    Ok(())
}

/// Checks each value against its resource's maximum.
pub(crate) fn check_permissions<'a>(
    values: impl IntoIterator<Item = (&'a Resource, &'a Permissions)>,
) -> Result<(), InputError> {
    values
        .into_iter()
        .try_for_each(|(resource, permissions)| resource.check(*permissions))
}

impl Serialize for Role {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry(NAME_MEMBER, &self.name)?;
        if !self.permissions.is_absent() {
            map.serialize_entry(ROLES_PERMISSIONS_MEMBER, &self.permissions)?;
        }
        for (key, value) in &self.extra {
            if key != NAME_MEMBER && key != ROLES_PERMISSIONS_MEMBER {
                map.serialize_entry(key, value)?;
            }
        }
        map.end()
    }
}

impl crate::model::ReadInto for Role {}

impl<'de> Deserialize<'de> for Role {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RoleVisitor;

        impl<'de> Visitor<'de> for RoleVisitor {
            type Value = Role;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a Role object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Role, A::Error> {
                let mut name: Option<String> = None;
                let mut permissions = None;
                let mut extra = Extra::new();
                while let Some(key) = access.next_key::<String>()? {
                    if key == NAME_MEMBER {
                        if name.is_some() {
                            return Err(A::Error::duplicate_field(NAME_MEMBER));
                        }
                        name = Some(access.next_value()?);
                    } else if key == ROLES_PERMISSIONS_MEMBER {
                        if permissions.is_some() {
                            return Err(A::Error::duplicate_field(ROLES_PERMISSIONS_MEMBER));
                        }
                        permissions = Some(access.next_value::<Field<PermissionTable>>()?);
                    } else {
                        let value: Value = access.next_value()?;
                        if extra.contains_key(&key) {
                            return Err(A::Error::custom(format_args!("duplicate field `{key}`")));
                        }
                        extra.insert(key, value);
                    }
                }
                Ok(Role {
                    name: name.ok_or_else(|| A::Error::missing_field(NAME_MEMBER))?,
                    permissions: match permissions {
                        Some(Field::Value(table)) => Field::Value(table.0),
                        Some(Field::Null) => Field::Null,
                        Some(Field::Absent) | None => Field::Absent,
                    },
                    extra,
                })
            }
        }

        deserializer.deserialize_map(RoleVisitor)
    }
}

/// The per-resource values as received, refusing a resource named twice (which a plain map
/// would silently collapse, losing one of the two values).
struct PermissionTable(BTreeMap<Resource, Permissions>);

impl<'de> Deserialize<'de> for PermissionTable {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TableVisitor;

        impl<'de> Visitor<'de> for TableVisitor {
            type Value = PermissionTable;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of integers by resource")
            }

            fn visit_map<A: MapAccess<'de>>(
                self,
                mut access: A,
            ) -> Result<PermissionTable, A::Error> {
                let mut table = BTreeMap::new();
                while let Some(resource) = access.next_key::<Resource>()? {
                    let value = access.next_value()?;
                    if table.contains_key(&resource) {
                        return Err(A::Error::custom(format_args!(
                            "duplicate resource `{resource}`"
                        )));
                    }
                    table.insert(resource, value);
                }
                Ok(PermissionTable(table))
            }
        }

        deserializer.deserialize_map(TableVisitor)
    }
}

/// Adds `fields[]` pairs, and `name` with them: items are told apart by name, so a selection
/// always includes it.
fn push_fields(query: &mut Query, fields: &[String]) {
    for field in fields {
        query.push("fields[]", field);
    }
    if !fields.is_empty() && !fields.iter().any(|f| f == NAME_MEMBER) {
        query.push("fields[]", NAME_MEMBER);
    }
}

/// `GET /be/v1/roles`: the organisation's roles, paged.
///
/// Needs the `roles.read` permission. The server's default page size is 10. With
/// [`ListRoles::field`], only the fields named are returned, and always `name`.
///
/// ```
/// use rockit_edge::roles::ListRoles;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let creds = Credentials::backend_token("t0k").unwrap();
/// let request = ListRoles::new().limit(20).field("name").to_request(&base, &creds).unwrap();
/// assert_eq!(request.uri().query(), Some("limit=20&fields%5B%5D=name"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListRoles {
    list: ListParams,
    fields: Vec<String>,
}

impl ListRoles {
    /// All roles, first page, server's default page size.
    pub fn new() -> Self {
        ListRoles::default()
    }

    /// Returns this field of each role; call again for more.
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.fields.push(field.into());
        self
    }
}

list_request!(ListRoles, Role);

impl Endpoint for ListRoles {
    type Output = Page<Role>;

    fn method(&self) -> Method {
        Method::GET
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(ROLES.to_owned())
    }

    fn query(&self, query: &mut Query) -> Result<(), InputError> {
        self.list.write_head(query)?;
        push_fields(query, &self.fields);
        self.list.write_tail(query);
        Ok(())
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Page<Role>, Error> {
        let envelope = decode::envelope(response, ROLES_LIST_MEMBER)?;
        Ok(Page {
            items: envelope.value,
            extra: envelope.rest,
        })
    }
}

/// `GET /be/v1/roles/{roleName}`: one role.
///
/// Needs the `roles.read` permission. The reference's own example leaves the role name out
/// of the path; this endpoint always puts it in, as one encoded segment.
///
/// ```
/// use rockit_edge::roles::GetRole;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let creds = Credentials::backend_token("t0k").unwrap();
/// let request = GetRole::new("CI Pipeline Services").to_request(&base, &creds).unwrap();
/// assert_eq!(request.uri().path(), "/be/v1/roles/CI%20Pipeline%20Services");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetRole {
    name: String,
    fields: Vec<String>,
}

impl GetRole {
    /// The role named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        GetRole {
            name: name.into(),
            fields: Vec::new(),
        }
    }

    /// Returns this field of the role (and always `name`); call again for more.
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.fields.push(field.into());
        self
    }
}

impl Endpoint for GetRole {
    type Output = Role;

    fn method(&self) -> Method {
        Method::GET
    }

    fn path(&self) -> Result<String, InputError> {
        check_role_name(&self.name)?;
        Ok(PathBuilder::new(ROLES)
            .segment("role name", &self.name)?
            .finish())
    }

    fn query(&self, query: &mut Query) -> Result<(), InputError> {
        push_fields(query, &self.fields);
        Ok(())
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Role, Error> {
        decode::member(response, ROLES_GET_MEMBER)
    }
}

/// `POST /be/v1/roles`: creates a role.
///
/// Needs the `roles.create` permission. Each value is checked against its resource's maximum
/// before anything is sent. The reference does not show the answer; its members other than
/// `status` are returned as they are.
///
/// ```
/// use rockit_edge::roles::{CreateRole, Permissions, Resource};
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let creds = Credentials::backend_token("t0k").unwrap();
/// let create = CreateRole::new("Testers").permission(Resource::Bundles, Permissions::READ);
/// let request = create.to_request(&base, &creds).unwrap();
/// let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
/// assert_eq!(body, serde_json::json!({"name": "Testers", "permissions": {"bundles": 2}}));
///
/// let too_much = CreateRole::new("Trainers").permission(Resource::Trainings, Permissions::ALL);
/// assert!(too_much.to_request(&base, &creds).is_err());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CreateRole {
    role: Role,
}

impl CreateRole {
    /// A role named `name` that allows nothing until [`CreateRole::permission`] adds values.
    pub fn new(name: impl Into<String>) -> Self {
        CreateRole {
            role: Role::new(name),
        }
    }

    /// Allows `permissions` on `resource`.
    pub fn permission(mut self, resource: impl Into<Resource>, permissions: Permissions) -> Self {
        self.role = self.role.with(resource, permissions);
        self
    }
}

impl From<Role> for CreateRole {
    /// Creates `role` with its name and values; its `extra` members are not sent.
    fn from(role: Role) -> Self {
        CreateRole {
            role: Role {
                extra: Extra::new(),
                ..role
            },
        }
    }
}

impl Endpoint for CreateRole {
    type Output = Map<String, Value>;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(ROLES.to_owned())
    }

    fn body(&self) -> Result<Option<Vec<u8>>, InputError> {
        self.role.check()?;
        let table = self.role.permissions.get().cloned().unwrap_or_default();
        json_body(&role_body(&self.role.name, &table))
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Map<String, Value>, Error> {
        decode::acknowledgement(response)
    }
}

fn role_body(name: &str, table: &BTreeMap<Resource, Permissions>) -> Map<String, Value> {
    let values = table
        .iter()
        .map(|(resource, p)| (resource.as_str().to_owned(), Value::from(p.bits())))
        .collect();
    let mut body = Map::new();
    body.insert(NAME_MEMBER.into(), Value::from(name));
    body.insert(ROLES_PERMISSIONS_MEMBER.into(), Value::Object(values));
    body
}

/// `PATCH /be/v1/roles`: changes the values of a role on the resources named; the others
/// keep theirs.
///
/// The reference does not show this page; the body follows Create Role's (see
/// [`ROLES_PERMISSIONS_MEMBER`]), and the answer's members other than `status` are returned
/// as they are. Each value is checked against its resource's maximum before sending.
///
/// ```
/// use rockit_edge::roles::{PatchRole, Permissions, Resource};
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let creds = Credentials::backend_token("t0k").unwrap();
/// let patch = PatchRole::new("Testers").permission(Resource::Tasks, Permissions::READ);
/// let request = patch.to_request(&base, &creds).unwrap();
/// let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
/// assert_eq!(body, serde_json::json!({"name": "Testers", "permissions": {"tasks": 2}}));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatchRole {
    name: String,
    permissions: BTreeMap<Resource, Permissions>,
}

impl PatchRole {
    /// Changes the role named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        PatchRole {
            name: name.into(),
            permissions: BTreeMap::new(),
        }
    }

    /// Sets the role's value on `resource` to `permissions` ([`Permissions::NONE`] takes
    /// everything away).
    pub fn permission(mut self, resource: impl Into<Resource>, permissions: Permissions) -> Self {
        self.permissions.insert(resource.into(), permissions);
        self
    }
}

impl Endpoint for PatchRole {
    type Output = Map<String, Value>;

    fn method(&self) -> Method {
        Method::PATCH
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(ROLES.to_owned())
    }

    fn body(&self) -> Result<Option<Vec<u8>>, InputError> {
        check_role_name(&self.name)?;
        if self.permissions.is_empty() {
            return Err(InputError::new(
                "role changes",
                "name at least one resource to change",
            ));
        }
        check_permissions(&self.permissions)?;
        json_body(&role_body(&self.name, &self.permissions))
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Map<String, Value>, Error> {
        decode::acknowledgement(response)
    }
}

/// `DELETE /be/v1/roles/{roleName}`: deletes a role.
///
/// Needs the `roles.delete` permission. The reference does not show the answer; its members
/// other than `status` are returned as they are.
///
/// ```
/// use rockit_edge::roles::DeleteRole;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let creds = Credentials::backend_token("t0k").unwrap();
/// let request = DeleteRole::new("Testers").to_request(&base, &creds).unwrap();
/// assert_eq!(request.method(), "DELETE");
/// assert_eq!(request.uri().path(), "/be/v1/roles/Testers");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteRole {
    name: String,
}

impl DeleteRole {
    /// Deletes the role named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        DeleteRole { name: name.into() }
    }
}

impl Endpoint for DeleteRole {
    type Output = Map<String, Value>;

    fn method(&self) -> Method {
        Method::DELETE
    }

    fn path(&self) -> Result<String, InputError> {
        check_role_name(&self.name)?;
        Ok(PathBuilder::new(ROLES)
            .segment("role name", &self.name)?
            .finish())
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Map<String, Value>, Error> {
        decode::acknowledgement(response)
    }
}

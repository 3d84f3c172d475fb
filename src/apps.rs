//! Apps: the ROCKIT-enabled games of an organisation. Each app keeps its last
//! [`App::max_builds`] builds (and the patches between them) and is published to the
//! deployments registered to it.
//!
//! - `POST /be/v1/apps`: [`CreateApp`]
//! - `GET /be/v1/apps/{appName}`: [`GetApp`]
//! - `GET /be/v1/apps`: [`ListApps`]
//! - `PATCH /be/v1/apps`: [`PatchApp`]
//! - `DELETE /be/v1/apps/{appname}`: [`DeleteApp`]
//!
//! Builds are added with [`crate::builds::ImportBuild`].

use std::collections::BTreeMap;

use http::{Method, Response};
use serde_json::{Map, Value};

use crate::assumed::apps as assumed;
use crate::decode;
use crate::endpoint::{json_body, Endpoint, PathBuilder, Query};
use crate::error::{Error, InputError};
use crate::model::{model, Extra, Field};
use crate::names::NamePattern;
use crate::page::{list_request, ListParams, Page};
use crate::tasks::Timestamp;

const APPS: &str = "/be/v1/apps";

/// The query parameter that selects the members of the apps returned.
pub(crate) const FIELDS: &str = "fields[]";

/// How many builds an app keeps when [`CreateApp::max_builds`] is not given.
pub const DEFAULT_MAX_BUILDS: u64 = 5;

model! {
    /// An app, as App Details and List Apps return it.
    ///
    /// Every member is optional: `fields[]` can leave any of them out.
    pub struct App {
        /// The app's unique, immutable name, matching `^[A-Za-z0-9_]{2,50}$`.
        optional name: String = "name",
        /// Its label, for people.
        optional label: String = "label",
        /// The number of its current build; published paths write it with 4 digits, as
        /// [`crate::builds::build_name`] does.
        optional i_cur_build: u64 = "iCurBuild",
        /// How many builds it keeps (and `max_builds - 1` patches).
        optional max_builds: u64 = "maxBuilds",
        /// Whether a build of it is being processed.
        optional processing: bool = "processing",
        /// Whether it is being exported.
        optional exporting: bool = "exporting",
        /// The storage it takes, in bytes.
        optional size_bytes: u64 = "sizeBytes",
        /// When it was created.
        optional created: Timestamp = "created",
        /// When it was last changed.
        optional updated: Timestamp = "updated",
        /// The name of its current DxF image.
        optional dxf_name: String = "dxfName",
        /// The patches published for it, each from an older build to a newer one.
        optional patches: Vec<Patch> = "patches",
        /// Why it is in error, such as a failed publication; absent or `null` when it is not.
        /// The reference does not show its shape.
        optional error: Value = "error",
        /// The deployments registered to it, by deployment name.
        optional deployments: BTreeMap<String, AppDeployment> = "deployments",
    }
}

impl App {
    /// Whether the app is in an error state.
    ///
    /// ```
    /// use rockit_edge::apps::App;
    ///
    /// let app: App = serde_json::from_str(r#"{"name":"sushi","error":null}"#).unwrap();
    /// assert!(!app.in_error());
    /// let app: App = serde_json::from_str(r#"{"name":"sushi","error":"deploy failed"}"#).unwrap();
    /// assert!(app.in_error());
    /// ```
    pub fn in_error(&self) -> bool {
        match self.error.get() {
            None | Some(Value::Null | Value::Bool(false)) => false,
            Some(Value::String(s)) => !s.is_empty(),
            Some(Value::Object(m)) => !m.is_empty(),
            Some(_) => true,
        }
    }
}

model! {
    /// A patch of an app: from one build to a newer one.
    pub struct Patch {
        /// The build the patch starts from.
        optional from_build_id: u64 = "fromBuildId",
        /// The build the patch leads to.
        optional to_build_id: u64 = "toBuildId",
    }
}

model! {
    /// A deployment as registered to an app: in an app, how its last publication went; in
    /// [`PatchApp`], the settings of the registration.
    pub struct AppDeployment {
        /// How the last publication to it went.
        optional status: String = "status",
        /// A message about that.
        optional message: String = "message",
    }
}

impl Default for AppDeployment {
    fn default() -> Self {
        AppDeployment {
            status: Field::Absent,
            message: Field::Absent,
            extra: Extra::new(),
        }
    }
}

model! {
    /// The body of [`CreateApp`].
    pub struct NewApp {
        /// The app's unique, immutable name.
        required name: String = "name",
        /// Its label.
        required label: String = "label",
        /// How many builds it keeps; the server's default is [`DEFAULT_MAX_BUILDS`].
        optional max_builds: u64 = "maxBuilds",
    }
}

model! {
    /// The body of [`PatchApp`]: the app, and what changes.
    pub struct AppChanges {
        /// The app to change.
        required name: String = "name",
        /// Its new label.
        optional label: String = "label",
        /// Deployments to register or update (an object) or to deregister (`null`), by name.
        optional deployments: BTreeMap<String, Field<AppDeployment>> = "deployments",
    }
}

fn check_max_builds(max_builds: &Field<u64>) -> Result<(), InputError> {
    if max_builds.get() == Some(&0) {
        return Err(InputError::new("max builds", "must be at least 1"));
    }
    Ok(())
}

fn check_label(label: &str) -> Result<(), InputError> {
    if label.trim().is_empty() {
        return Err(InputError::new("app label", "must not be empty"));
    }
    Ok(())
}

fn app_path(name: &str) -> Result<String, InputError> {
    NamePattern::Standard.check("app name", name)?;
    Ok(PathBuilder::new(APPS).segment("app name", name)?.finish())
}

/// `POST /be/v1/apps`: creates an app.
///
/// Needs the `apps.create` permission. The reference does not show the answer; its members
/// other than `status` are returned as they are.
///
/// ```
/// use rockit_edge::apps::CreateApp;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let creds = Credentials::backend_token("t0k").unwrap();
/// let request = CreateApp::new("sushi", "Sushi Shop").max_builds(8).to_request(&base, &creds).unwrap();
/// assert_eq!(request.body(), br#"{"name":"sushi","label":"Sushi Shop","maxBuilds":8}"#);
/// assert!(CreateApp::new("sushi bar", "Sushi").to_request(&base, &creds).is_err());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CreateApp {
    app: NewApp,
}

impl CreateApp {
    /// An app named `name` (matching `^[A-Za-z0-9_]{2,50}$`) with a label for people.
    pub fn new(name: impl Into<String>, label: impl Into<String>) -> Self {
        CreateApp {
            app: NewApp {
                name: name.into(),
                label: label.into(),
                max_builds: Field::Absent,
                extra: Extra::new(),
            },
        }
    }

    /// Keeps this many builds (at least 1) instead of [`DEFAULT_MAX_BUILDS`]: more builds
    /// take more storage and give players a direct patch from more builds.
    pub fn max_builds(mut self, max_builds: u64) -> Self {
        self.app.max_builds = Field::Value(max_builds);
        self
    }

    /// Sets any other member of the body, sent as given.
    pub fn member(mut self, name: impl Into<String>, value: Value) -> Self {
        self.app.extra.insert(name.into(), value);
        self
    }
}

impl Endpoint for CreateApp {
    type Output = Map<String, Value>;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(APPS.to_owned())
    }

    fn body(&self) -> Result<Option<Vec<u8>>, InputError> {
        NamePattern::Standard.check("app name", &self.app.name)?;
        check_label(&self.app.label)?;
        check_max_builds(&self.app.max_builds)?;
        json_body(&self.app)
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Self::Output, Error> {
        decode::acknowledgement(response)
    }
}

/// `GET /be/v1/apps/{appName}`: one app.
///
/// Needs the `apps.read` permission. [`GetApp::fields`] limits the members returned.
///
/// ```
/// use rockit_edge::apps::GetApp;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let creds = Credentials::backend_token("t0k").unwrap();
/// let request = GetApp::new("sushi").fields(["name", "iCurBuild"]).to_request(&base, &creds).unwrap();
/// assert_eq!(
///     request.uri(),
///     "https://edge.example.com/be/v1/apps/sushi?fields%5B%5D=name&fields%5B%5D=iCurBuild"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetApp {
    name: String,
    fields: Vec<String>,
}

impl GetApp {
    /// The app named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        GetApp {
            name: name.into(),
            fields: Vec::new(),
        }
    }

    /// Returns only these members (such as `name`, `label`, `iCurBuild`; see
    /// [`App::MEMBERS`]); call again to add more.
    pub fn fields<S: Into<String>>(mut self, fields: impl IntoIterator<Item = S>) -> Self {
        self.fields.extend(fields.into_iter().map(Into::into));
        self
    }
}

impl Endpoint for GetApp {
    type Output = App;

    fn method(&self) -> Method {
        Method::GET
    }

    fn path(&self) -> Result<String, InputError> {
        app_path(&self.name)
    }

    fn query(&self, query: &mut Query) -> Result<(), InputError> {
        push_fields(query, &self.fields)
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<App, Error> {
        decode::member(response, assumed::APPS_MEMBER)
    }
}

fn push_fields(query: &mut Query, fields: &[String]) -> Result<(), InputError> {
    for field in fields {
        if field.is_empty() {
            return Err(InputError::new("field", "must not be empty"));
        }
        query.push(FIELDS, field);
    }
    Ok(())
}

/// `GET /be/v1/apps`: the organisation's apps, paged.
///
/// Needs the `apps.read` permission. The server's default page size is 10.
///
/// ```
/// use rockit_edge::apps::ListApps;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let creds = Credentials::backend_token("t0k").unwrap();
/// let request = ListApps::new().offset(10).limit(10).fields(["name"]).to_request(&base, &creds).unwrap();
/// assert_eq!(request.uri().query(), Some("offset=10&limit=10&fields%5B%5D=name"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListApps {
    list: ListParams,
    fields: Vec<String>,
}

impl ListApps {
    /// All apps, first page, server's default page size.
    pub fn new() -> Self {
        ListApps::default()
    }

    /// Returns only these members of each app; call again to add more.
    pub fn fields<S: Into<String>>(mut self, fields: impl IntoIterator<Item = S>) -> Self {
        self.fields.extend(fields.into_iter().map(Into::into));
        self
    }
}

list_request!(ListApps, App);

impl Endpoint for ListApps {
    type Output = Page<App>;

    fn method(&self) -> Method {
        Method::GET
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(APPS.to_owned())
    }

    fn query(&self, query: &mut Query) -> Result<(), InputError> {
        self.list.write_head(query)?;
        push_fields(query, &self.fields)?;
        self.list.write_tail(query);
        Ok(())
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Page<App>, Error> {
        let envelope = decode::envelope(response, assumed::APPS_LIST_MEMBER)?;
        Ok(Page {
            items: envelope.value,
            extra: envelope.rest,
        })
    }
}

/// `PATCH /be/v1/apps`: changes an app's label and registers, updates or deregisters its
/// deployments.
///
/// A registered deployment receives each new build of the app; a deregistered one no longer
/// does. Only what was set is sent. Needs the `apps.update` permission. The reference does
/// not show the answer; its members other than `status` are returned as they are.
///
/// ```
/// use rockit_edge::apps::PatchApp;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let creds = Credentials::backend_token("t0k").unwrap();
/// let patch = PatchApp::new("sushi").register("gcore").deregister("akamai");
/// let request = patch.to_request(&base, &creds).unwrap();
/// assert_eq!(
///     request.body(),
///     br#"{"name":"sushi","deployments":{"akamai":null,"gcore":{}}}"#
/// );
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct PatchApp {
    changes: AppChanges,
}

impl PatchApp {
    /// Changes to the app named `name`; set at least one.
    pub fn new(name: impl Into<String>) -> Self {
        PatchApp {
            changes: AppChanges {
                name: name.into(),
                label: Field::Absent,
                deployments: Field::Absent,
                extra: Extra::new(),
            },
        }
    }

    /// Sets the label.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.changes.label = Field::Value(label.into());
        self
    }

    /// Registers the deployment named `deployment`, with default settings.
    pub fn register(self, deployment: impl Into<String>) -> Self {
        self.register_with(deployment, AppDeployment::default())
    }

    /// Registers the deployment named `deployment`, or updates its registration, with these
    /// settings.
    pub fn register_with(self, deployment: impl Into<String>, settings: AppDeployment) -> Self {
        self.set_deployment(deployment.into(), Field::Value(settings))
    }

    /// Deregisters the deployment named `deployment`.
    pub fn deregister(self, deployment: impl Into<String>) -> Self {
        self.set_deployment(deployment.into(), Field::Null)
    }

    /// Sets any other member of the body, sent as given.
    pub fn member(mut self, name: impl Into<String>, value: Value) -> Self {
        self.changes.extra.insert(name.into(), value);
        self
    }

    fn set_deployment(mut self, name: String, entry: Field<AppDeployment>) -> Self {
        let mut deployments = std::mem::take(&mut self.changes.deployments)
            .into_option()
            .unwrap_or_default();
        deployments.insert(name, entry);
        self.changes.deployments = Field::Value(deployments);
        self
    }
}

impl Endpoint for PatchApp {
    type Output = Map<String, Value>;

    fn method(&self) -> Method {
        Method::PATCH
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(APPS.to_owned())
    }

    fn body(&self) -> Result<Option<Vec<u8>>, InputError> {
        let c = &self.changes;
        NamePattern::Standard.check("app name", &c.name)?;
        if let Some(label) = c.label.get() {
            check_label(label)?;
        }
        for name in c.deployments.get().into_iter().flat_map(BTreeMap::keys) {
            NamePattern::Deployment.check("deployment name", name)?;
        }
        if c.label.is_absent() && c.deployments.is_absent() && c.extra.is_empty() {
            return Err(InputError::new(
                "app changes",
                "must set at least one member",
            ));
        }
        json_body(c)
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Self::Output, Error> {
        decode::acknowledgement(response)
    }
}

/// `DELETE /be/v1/apps/{appname}`: deletes an app with all its stored images and patches,
/// irreversibly.
///
/// Needs the `apps.delete` permission. The reference does not show the answer; its members
/// other than `status` are returned as they are.
///
/// ```
/// use rockit_edge::apps::DeleteApp;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let creds = Credentials::backend_token("t0k").unwrap();
/// let request = DeleteApp::new("sushi").to_request(&base, &creds).unwrap();
/// assert_eq!(request.uri().path(), "/be/v1/apps/sushi");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteApp {
    name: String,
}

impl DeleteApp {
    /// Deletes the app named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        DeleteApp { name: name.into() }
    }
}

impl Endpoint for DeleteApp {
    type Output = Map<String, Value>;

    fn method(&self) -> Method {
        Method::DELETE
    }

    fn path(&self) -> Result<String, InputError> {
        app_path(&self.name)
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Self::Output, Error> {
        decode::acknowledgement(response)
    }
}

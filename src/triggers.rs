//! Triggers: starting work by hand. Both endpoints share one method and path; the body says
//! which one is meant (assumed, see [`crate::assumed::triggers::TRIGGER_KIND_MEMBER`]).
//!
//! - `POST /be/v1/trigger`: [`ProcessTraces`]
//! - `POST /be/v1/trigger`: [`RetryTask`]
//!
//! Both need the `trigger.create` permission (the roles page counts it as the execute bit of
//! `tasks`). The reference shows no answer, so the answer's members other than `status` are
//! returned as they are.

use http::{Method, Response};
use serde_json::{Map, Value};

use crate::assumed::triggers::{
    TRIGGER_APP_MEMBER, TRIGGER_KIND_MEMBER, TRIGGER_PROCESS_TRACES, TRIGGER_RETRY_TASK,
    TRIGGER_TASK_MEMBER,
};
use crate::decode;
use crate::endpoint::{json_body, Endpoint};
use crate::error::{Error, InputError};
use crate::names::NamePattern;

const TRIGGER: &str = "/be/v1/trigger";

fn trigger_body(kind: &str, member: &str, value: &str) -> Result<Option<Vec<u8>>, InputError> {
    let mut body = Map::new();
    body.insert(TRIGGER_KIND_MEMBER.into(), Value::from(kind));
    body.insert(member.into(), Value::from(value));
    json_body(&body)
}

/// `POST /be/v1/trigger`, Process Traces: starts processing the user traces of one app, which
/// builds a new FastStart image if the traces improve its quality or preloading.
///
/// ```
/// use rockit_edge::triggers::ProcessTraces;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let creds = Credentials::backend_token("t0k").unwrap();
/// let request = ProcessTraces::new("sushi").to_request(&base, &creds).unwrap();
/// let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
/// assert_eq!(body, serde_json::json!({"trigger": "processTraces", "appName": "sushi"}));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcessTraces {
    app_name: String,
}

impl ProcessTraces {
    /// Processes the traces of the app `app_name`.
    pub fn new(app_name: impl Into<String>) -> Self {
        ProcessTraces {
            app_name: app_name.into(),
        }
    }
}

impl Endpoint for ProcessTraces {
    type Output = Map<String, Value>;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(TRIGGER.to_owned())
    }

    fn body(&self) -> Result<Option<Vec<u8>>, InputError> {
        NamePattern::Standard.check("app name", &self.app_name)?;
        trigger_body(TRIGGER_PROCESS_TRACES, TRIGGER_APP_MEMBER, &self.app_name)
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Map<String, Value>, Error> {
        decode::acknowledgement(response)
    }
}

/// `POST /be/v1/trigger`, Retry Task: runs a failed task again once its cause is fixed, such
/// as wrong deployment credentials or an origin that was unreachable.
///
/// An app whose deployment failed stays in an error state until the retried task succeeds.
///
/// ```
/// use rockit_edge::triggers::RetryTask;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let creds = Credentials::backend_token("t0k").unwrap();
/// let retry = RetryTask::new("ExampleOrg-sushi-0003-1739273968-deploy");
/// let request = retry.to_request(&base, &creds).unwrap();
/// assert_eq!(request.uri().path(), "/be/v1/trigger");
/// assert!(RetryTask::new("").to_request(&base, &creds).is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryTask {
    task_name: String,
}

impl RetryTask {
    /// Retries the task named `task_name`.
    pub fn new(task_name: impl Into<String>) -> Self {
        RetryTask {
            task_name: task_name.into(),
        }
    }
}

impl Endpoint for RetryTask {
    type Output = Map<String, Value>;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(TRIGGER.to_owned())
    }

    fn body(&self) -> Result<Option<Vec<u8>>, InputError> {
        if self.task_name.trim().is_empty() {
            return Err(InputError::new("task name", "must not be empty"));
        }
        trigger_body(TRIGGER_RETRY_TASK, TRIGGER_TASK_MEMBER, &self.task_name)
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<Map<String, Value>, Error> {
        decode::acknowledgement(response)
    }
}

//! A whole pipeline through the client against the fake: organisation, deployment, app,
//! build import, its task watched to its end, acknowledged, and everything deleted again.
//! The same walk runs in memory and, with `ureq`, over a socket on 127.0.0.1.

use std::time::Duration;

use rockit_edge::apps::{CreateApp, DeleteApp, GetApp, ListApps, PatchApp};
use rockit_edge::builds::ImportBuild;
use rockit_edge::deployments::{
    CreateDeployment, DeleteDeployment, GetDeployment, ListDeployments, OriginCredentials,
};
use rockit_edge::fake::FakeEdge;
use rockit_edge::orgs::{CreateOrganization, DeleteOrganization};
use rockit_edge::tasks::{AcknowledgeTask, Alert, GetTask, ListTasks, TaskType};
use rockit_edge::watch::{watch, Ending, WatchPolicy, Watcher};
use rockit_edge::{assumed, Client, Error, Transport};

const ORG: &str = "Pipeline_Org";
const DEPLOYMENT: &str = "pipeline_cdn";
const APP: &str = "udon";
const BUILD_URL: &str = "https://downloads.example.com/udon/native-build.tar";

/// The alert the fake gives the imported build's download when it ends.
fn short_download() -> Alert {
    serde_json::from_value(serde_json::json!({"exception": {"httpDownloadFailed": {
        "sizeBytesActual": 1000, "sizeBytesExpected": 4096
    }}}))
    .unwrap()
}

fn walk<T: Transport>(client: &Client<T>, fake: &FakeEdge) {
    // The organisation, with its administrator.
    let org = client
        .send(&CreateOrganization::new(ORG).admin_email("ops@example.com"))
        .unwrap();
    assert!(!format!("{org:?}").contains(&fake_password(&org)));

    // Where its builds are published.
    client
        .send(
            &CreateDeployment::new(DEPLOYMENT, "s3")
                .endpoint("s3.eu-central-1.amazonaws.com")
                .bucket("udon-builds")
                .credentials(OriginCredentials::s3("AKIAEXAMPLE", "example-secret-key"))
                .origin_prefix("games"),
        )
        .unwrap();
    let deployment = client.send(&GetDeployment::new(DEPLOYMENT)).unwrap();
    assert_eq!(deployment.name, DEPLOYMENT);

    // The app, published to that deployment.
    client
        .send(&CreateApp::new(APP, "Udon").max_builds(3))
        .unwrap();
    client
        .send(&PatchApp::new(APP).register(DEPLOYMENT))
        .unwrap();
    let app = client.send(&GetApp::new(APP)).unwrap();
    let registered = app
        .deployments
        .get()
        .expect("the app lists its deployments");
    assert!(registered.contains_key(DEPLOYMENT), "{registered:?}");
    assert_eq!(app.max_builds.get(), Some(&3));

    // A build the Edge downloads, and the task that does it.
    let imported = client
        .send(&ImportBuild::download(APP, BUILD_URL).size(4096))
        .unwrap();
    let task_name = imported
        .task_name
        .get()
        .cloned()
        .expect("the import names its task");
    let listed = client.send(&ListTasks::new().app_name(APP)).unwrap();
    let task = listed.items.iter().find(|t| t.name == task_name).unwrap();
    assert_eq!(task.task_type, TaskType::Dltar);
    let dltar = task.user_data.get().and_then(|u| u.dltar.get()).unwrap();
    assert_eq!(dltar.url.get().map(String::as_str), Some(BUILD_URL));
    assert_eq!(dltar.size_bytes.get(), Some(&4096));

    // Watched until it ends: the fake lets it fail on a short download.
    fake.set_task_progress(1);
    fake.set_task_failure(&task_name, short_download());
    let policy = WatchPolicy {
        first_delay: Duration::from_millis(1),
        growth: 1.0,
        max_delay: Duration::from_millis(1),
    };
    let ended = watch(
        client,
        Watcher::with_policy([task_name.clone()], policy),
        |_| {},
    )
    .unwrap();
    assert_eq!(ended.len(), 1);
    assert_eq!(ended[0].1, Ending::Failed);
    let exception = ended[0].0.alert.get().unwrap().exception.get().unwrap();
    assert_eq!(exception.kinds(), ["httpDownloadFailed"]);

    // The warning acknowledged.
    client.send(&AcknowledgeTask::new(&task_name)).unwrap();
    let task = client.send(&GetTask::new(&task_name)).unwrap();
    let alert = task.alert.get().unwrap();
    assert_eq!(alert.extra[assumed::TASK_ALERT_ACKNOWLEDGED], true);

    // A deployment still registered to an app cannot go.
    let refused = client.send(&DeleteDeployment::new(DEPLOYMENT)).unwrap_err();
    assert_eq!(
        refused.status(),
        Some(http::StatusCode::CONFLICT),
        "{refused}"
    );

    // Everything deleted again.
    client
        .send(&PatchApp::new(APP).deregister(DEPLOYMENT))
        .unwrap();
    let app = client.send(&GetApp::new(APP)).unwrap();
    assert!(app
        .deployments
        .get()
        .is_none_or(|registered| !registered.contains_key(DEPLOYMENT)));
    client.send(&DeleteApp::new(APP)).unwrap();
    client.send(&DeleteDeployment::new(DEPLOYMENT)).unwrap();
    client
        .send(&DeleteOrganization::new(ORG).prune(true))
        .unwrap();

    let apps: Vec<_> = client
        .all(ListApps::new())
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(apps
        .iter()
        .all(|a| a.name.get().map(String::as_str) != Some(APP)));
    let deployments: Vec<_> = client
        .all(ListDeployments::new())
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(deployments.iter().all(|d| d.name != DEPLOYMENT));
    match client.send(&GetApp::new(APP)).unwrap_err() {
        Error::Api(e) => assert_eq!(e.status(), 404),
        other => panic!("expected 404, got {other:?}"),
    }
}

/// The initial password in an organisation answer, if there is one, else a string no
/// `Debug` output contains.
fn fake_password(org: &rockit_edge::orgs::CreatedOrganization) -> String {
    org.initial_password
        .as_ref()
        .map(|p| p.expose().to_owned())
        .unwrap_or_else(|| "\u{0}no password\u{0}".to_owned())
}

#[test]
fn the_pipeline_in_memory() {
    let fake = FakeEdge::seeded();
    let client = fake.client();
    walk(&client, &fake);
}

#[cfg(feature = "ureq")]
#[test]
fn the_pipeline_over_a_socket() {
    use rockit_edge::retry::RetryPolicy;
    use rockit_edge::ureq_transport::UreqTransport;

    let fake = FakeEdge::seeded();
    let server = rockit_edge::fake::serve(fake.clone()).unwrap();
    // Loopback only: no proxy from the environment; and no retries, so each step is one try.
    let transport = UreqTransport::builder()
        .proxy_from_env(false)
        .retry(RetryPolicy::never())
        .build();
    let client = Client::new(transport, server.base_url(), fake.credentials());
    walk(&client, &fake);
}

//! The fake's deployments through the client: filters and order, secrets kept out of
//! answers, partial updates, and deletion only when no app has the deployment registered.

mod common;

use http::Method;
use rockit_edge::apps::PatchApp;
use rockit_edge::assumed::deployments::{
    DEPLOYMENTS_EXISTS_CODE, DEPLOYMENTS_IN_USE_CODE, DEPLOYMENTS_OK_STATUS,
};
use rockit_edge::deployments::{
    CreateDeployment, DeleteDeployment, GetDeployment, ListDeployments, ModifyDeployment,
    OriginCredentials, OriginType,
};
use rockit_edge::fake::FakeEdge;
use rockit_edge::raw::RawRequest;
use rockit_edge::Client;
use serde_json::json;

use common::api_error;

fn names(fake: &FakeEdge, list: ListDeployments) -> Vec<String> {
    let page = fake.client().send(&list).unwrap();
    page.items.into_iter().map(|d| d.name).collect()
}

fn s3(name: &str) -> CreateDeployment {
    CreateDeployment::new(name, OriginType::S3)
        .endpoint("s3.us-east-1.amazonaws.com")
        .bucket("rockit-games")
        .credentials(OriginCredentials::s3("AKIANEW", "n3w-s3cret-value"))
        .origin_prefix("games")
}

#[test]
fn lists_filter_sort_and_page() {
    let fake = FakeEdge::seeded();
    fake.client().send(&s3("akamai_us")).unwrap();
    assert_eq!(
        names(&fake, ListDeployments::new()),
        ["gcore", "cdn_eu", "akamai_us"]
    );
    assert_eq!(
        names(&fake, ListDeployments::new().order_by("name", false)),
        ["akamai_us", "cdn_eu", "gcore"]
    );
    assert_eq!(
        names(&fake, ListDeployments::new().order_by("updated", true)),
        ["akamai_us", "cdn_eu", "gcore"]
    );
    assert_eq!(names(&fake, ListDeployments::new().in_error()), ["cdn_eu"]);
    assert_eq!(
        names(&fake, ListDeployments::new().name("_")),
        ["cdn_eu", "akamai_us"]
    );
    assert_eq!(
        names(
            &fake,
            ListDeployments::new().updated_from("2025-02-01T00:00:00Z")
        ),
        ["cdn_eu", "akamai_us"]
    );
    assert_eq!(
        names(
            &fake,
            ListDeployments::new().created_to("2025-01-31T00:00:00Z")
        ),
        ["gcore", "cdn_eu"]
    );
    let page = fake
        .client()
        .send(&ListDeployments::new().offset(2).limit(5))
        .unwrap();
    assert_eq!(page.total(), Some(3));
    assert_eq!(page.items.len(), 1);
    let all: Vec<_> = fake
        .client()
        .all(ListDeployments::new().limit(1))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(all.len(), 3);

    let bad_order = fake
        .client()
        .send(&ListDeployments::new().order_by("bucket", false));
    assert_eq!(api_error(bad_order), (400, "invalid-param".into()));
}

#[test]
fn answers_never_carry_the_secret_the_fake_keeps() {
    let fake = FakeEdge::seeded();
    let answer = fake.client().send(&s3("akamai_us")).unwrap();
    let text = serde_json::to_string(&answer).unwrap();
    assert!(!text.contains("n3w-s3cret-value"), "{text}");

    let shown = fake
        .client()
        .send(&GetDeployment::new("akamai_us"))
        .unwrap();
    let credentials = shown.credentials.get().unwrap();
    assert_eq!(credentials.access_key_id.get().unwrap(), "AKIANEW");
    assert!(credentials.secret_access_key.is_absent());
    assert_eq!(shown.status.get().unwrap(), DEPLOYMENTS_OK_STATUS);
    assert!(shown.created.is_value());

    let kept = fake
        .deployments()
        .into_iter()
        .find(|d| d.name == "akamai_us")
        .unwrap();
    let secret = kept
        .credentials
        .get()
        .unwrap()
        .secret_access_key
        .get()
        .unwrap();
    assert_eq!(secret.expose(), "n3w-s3cret-value");

    let listed = fake.client().send(&ListDeployments::new()).unwrap();
    let text = serde_json::to_string(&listed.items).unwrap();
    assert!(!text.contains("secret"), "{text}");
}

#[test]
fn creating_checks_names_members_and_the_s3_rules() {
    let fake = FakeEdge::seeded();
    assert_eq!(
        api_error(fake.client().send(&s3("gcore"))),
        (409, DEPLOYMENTS_EXISTS_CODE.into())
    );
    fake.client().send(&s3("gcore[eu]")).unwrap();
    assert_eq!(
        fake.client()
            .send(&GetDeployment::new("gcore[eu]"))
            .unwrap()
            .name,
        "gcore[eu]"
    );
    let create = |body: serde_json::Value| {
        fake.client()
            .send(&RawRequest::new(Method::POST, "/be/v1/deployments").body(body))
    };
    for (body, code) in [
        (json!({"originType": "s3"}), "missing-param"),
        (json!({"name": "akamai"}), "missing-param"),
        (json!({"name": "a/b", "originType": "s3"}), "invalid-param"),
        (
            json!({"name": "akamai", "originType": "s3", "endpoint": "s3.amazonaws.com"}),
            "invalid-param",
        ),
        (
            json!({"name": "akamai", "originType": "s3", "status": "ok"}),
            "invalid-param",
        ),
        (json!({"name": "akamai", "originType": 3}), "invalid-param"),
    ] {
        assert_eq!(
            api_error(create(body.clone())),
            (400, code.into()),
            "{body}"
        );
    }
    let other = create(json!({"name": "akamai", "originType": "netstorage", "cpCode": 1}));
    assert!(other.is_ok());
}

#[test]
fn modifying_sets_removes_and_clears_the_error() {
    let fake = FakeEdge::seeded();
    fake.client()
        .send(&s3("akamai_us").download_auth_group("streaminstaller"))
        .unwrap();
    fake.client()
        .send(&ModifyDeployment::new("akamai_us").remove_download_auth_group())
        .unwrap();
    let changed = fake
        .client()
        .send(&GetDeployment::new("akamai_us"))
        .unwrap();
    assert!(changed.download_auth_group.is_absent());
    assert_eq!(changed.bucket.get().unwrap(), "rockit-games");

    let before = fake.client().send(&GetDeployment::new("cdn_eu")).unwrap();
    assert!(before.has_error() && before.message.is_value());
    let by_key = Client::new(fake.clone(), fake.base_url(), fake.api_key_credentials());
    let answer = by_key
        .send(
            &ModifyDeployment::new("cdn_eu")
                .credentials(OriginCredentials::s3("AKIAROT", "r0tated")),
        )
        .unwrap();
    assert_eq!(answer["deployment"]["status"], DEPLOYMENTS_OK_STATUS);
    let after = fake.client().send(&GetDeployment::new("cdn_eu")).unwrap();
    assert!(!after.has_error() && after.message.is_absent());
    assert_eq!(
        after
            .credentials
            .get()
            .unwrap()
            .access_key_id
            .get()
            .unwrap(),
        "AKIAROT"
    );

    let unknown = fake
        .client()
        .send(&ModifyDeployment::new("udon").bucket("b"));
    assert_eq!(api_error(unknown), (404, "not-found".into()));
    let modify = |body: serde_json::Value| {
        fake.client()
            .send(&RawRequest::new(Method::PATCH, "/be/v1/deployments").body(body))
    };
    for (body, code) in [
        (json!({"bucket": "b"}), "missing-param"),
        (
            json!({"name": "cdn_eu", "message": "fine"}),
            "invalid-param",
        ),
        (
            json!({"name": "cdn_eu", "originType": null}),
            "invalid-param",
        ),
        (
            json!({"name": "cdn_eu", "endpoint": "rockit-origin-eu.s3.eu-central-1.amazonaws.com"}),
            "invalid-param",
        ),
    ] {
        assert_eq!(
            api_error(modify(body.clone())),
            (400, code.into()),
            "{body}"
        );
    }
}

#[test]
fn a_registered_deployment_cannot_be_deleted() {
    let fake = FakeEdge::seeded();
    let in_use = fake.client().send(&DeleteDeployment::new("cdn_eu"));
    assert_eq!(api_error(in_use), (409, DEPLOYMENTS_IN_USE_CODE.into()));

    fake.client()
        .send(&PatchApp::new("ramen").deregister("cdn_eu"))
        .unwrap();
    let answer = fake
        .client()
        .send(&DeleteDeployment::new("cdn_eu"))
        .unwrap();
    assert!(answer.is_empty());
    assert_eq!(names(&fake, ListDeployments::new()), ["gcore"]);
    assert_eq!(
        api_error(fake.client().send(&GetDeployment::new("cdn_eu"))),
        (404, "not-found".into())
    );
    let bad = fake
        .client()
        .send(&RawRequest::new(Method::DELETE, "/be/v1/deployments/g%2Fc"));
    assert_eq!(api_error(bad), (400, "invalid-param".into()));
}

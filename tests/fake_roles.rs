//! The fake's roles through the client: the seeded table, field selection, creation within
//! each resource's maximum, patches and deletion.

mod common;

use http::Method;
use rockit_edge::fake::FakeEdge;
use rockit_edge::raw::RawRequest;
use rockit_edge::roles::{
    CreateRole, DeleteRole, GetRole, ListRoles, PatchRole, Permissions, Resource, Role,
};
use rockit_edge::users::CreateMachineUser;
use serde_json::json;

use common::api_error;

#[test]
fn the_seeded_roles_are_administrators_and_the_reference_table() {
    let fake = FakeEdge::seeded();
    let roles: Vec<Role> = fake
        .client()
        .all(ListRoles::new().limit(4))
        .collect::<Result<_, _>>()
        .unwrap();
    let names: Vec<&str> = roles.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Administrators",
            "Access Control",
            "Account Admins",
            "CI Pipeline Services",
            "System Engineers",
            "Testers"
        ]
    );
    assert_eq!(roles[0], Role::administrators());
    assert_eq!(roles[3].permission(&Resource::Apps), Permissions::CRUD);
    assert_eq!(roles[1].permission(&Resource::Keys), Permissions::CRUD);
    assert_eq!(roles[1].permission(&Resource::Trainings), Permissions::READ);
    assert!(roles.iter().all(|r| r.check().is_ok()));
    assert_eq!(FakeEdge::new().roles(), [Role::administrators()]);
}

#[test]
fn fields_select_members_and_keep_the_name() {
    let fake = FakeEdge::seeded();
    let page = fake
        .client()
        .send(&ListRoles::new().field("created"))
        .unwrap();
    assert!(page.items.iter().all(|r| r.permissions.is_absent()));
    assert_eq!(page.items.len(), 6);
    let role = fake
        .client()
        .send(&GetRole::new("CI Pipeline Services").field("permissions"))
        .unwrap();
    assert_eq!(role.permission(&Resource::Apps), Permissions::CRUD);
    let full = fake.client().send(&GetRole::new("Testers")).unwrap();
    assert_eq!(full.permission(&Resource::Bundles), Permissions::READ);
    assert_eq!(
        api_error(fake.client().send(&GetRole::new("Nobody"))),
        (404, "not-found".into())
    );
}

#[test]
fn roles_are_created_within_each_maximum() {
    let fake = FakeEdge::new();
    let create = CreateRole::new("Trainers")
        .permission(Resource::Trainings, Permissions::READ | Permissions::UPDATE)
        .permission(Resource::Tasks, Permissions::READ | Permissions::EXECUTE);
    fake.client().send(&create).unwrap();
    let role = fake.client().send(&GetRole::new("Trainers")).unwrap();
    assert_eq!(role.permission(&Resource::Tasks).bits(), 18);
    assert_eq!(
        api_error(fake.client().send(&create)),
        (409, "already-exists".into())
    );

    let cases = [
        (
            json!({"name": "X1", "permissions": {"trainings": 1}}),
            "invalid-param",
        ),
        (
            json!({"name": "X2", "permissions": {"consumption": 15}}),
            "invalid-param",
        ),
        (
            json!({"name": "X3", "permissions": {"workbench": 32}}),
            "invalid-param",
        ),
        (
            json!({"name": "X4", "permissions": {"apps": -1}}),
            "invalid-param",
        ),
        (json!({"name": "X5", "permissions": [15]}), "invalid-param"),
        (json!({"permissions": {"apps": 15}}), "missing-param"),
        (json!({"name": " ", "permissions": {}}), "missing-param"),
    ];
    for (body, code) in cases {
        let raw = RawRequest::new(Method::POST, "/be/v1/roles").body(body.clone());
        assert_eq!(
            api_error(fake.client().send(&raw)),
            (400, code.into()),
            "{body}"
        );
    }
    assert_eq!(fake.roles().len(), 2, "nothing refused was created");
    let unknown = RawRequest::new(Method::POST, "/be/v1/roles")
        .body(json!({"name": "Workers", "permissions": {"workbench": 31}}));
    fake.client().send(&unknown).unwrap();
    let workers = fake.client().send(&GetRole::new("Workers")).unwrap();
    assert_eq!(
        workers.permission(&Resource::from("workbench")),
        Permissions::ALL
    );
}

#[test]
fn a_patch_changes_only_the_resources_it_names() {
    let fake = FakeEdge::seeded();
    let patch = PatchRole::new("Access Control")
        .permission(Resource::Keys, Permissions::READ)
        .permission(Resource::Tasks, Permissions::ALL);
    fake.client().send(&patch).unwrap();
    let role = fake.client().send(&GetRole::new("Access Control")).unwrap();
    assert_eq!(role.permission(&Resource::Keys), Permissions::READ);
    assert_eq!(role.permission(&Resource::Tasks), Permissions::ALL);
    assert_eq!(role.permission(&Resource::Bundles), Permissions::READ);

    let ghost = PatchRole::new("Nobody").permission(Resource::Apps, Permissions::READ);
    assert_eq!(
        api_error(fake.client().send(&ghost)),
        (404, "not-found".into())
    );
    let too_much = RawRequest::new(Method::PATCH, "/be/v1/roles")
        .body(json!({"name": "Testers", "permissions": {"trainings": 8}}));
    assert_eq!(
        api_error(fake.client().send(&too_much)),
        (400, "invalid-param".into())
    );
    let empty = RawRequest::new(Method::PATCH, "/be/v1/roles").body(json!({"name": "Testers"}));
    assert_eq!(
        api_error(fake.client().send(&empty)),
        (400, "missing-param".into())
    );
}

#[test]
fn deleting_roles() {
    let fake = FakeEdge::seeded();
    fake.client()
        .send(&DeleteRole::new("System Engineers"))
        .unwrap();
    assert_eq!(
        api_error(fake.client().send(&GetRole::new("System Engineers"))),
        (404, "not-found".into())
    );
    assert_eq!(
        api_error(fake.client().send(&DeleteRole::new("Administrators"))),
        (409, "invalid-state".into())
    );
    // `jdoe` holds Testers.
    assert_eq!(
        api_error(fake.client().send(&DeleteRole::new("Testers"))),
        (409, "invalid-state".into())
    );
    fake.client()
        .send(&CreateMachineUser::new("ci_bot", "CI").role("CI Pipeline Services"))
        .unwrap();
    assert_eq!(
        api_error(fake.client().send(&DeleteRole::new("CI Pipeline Services"))),
        (409, "invalid-state".into())
    );
    assert_eq!(
        api_error(fake.client().send(&DeleteRole::new("Nobody"))),
        (404, "not-found".into())
    );
}

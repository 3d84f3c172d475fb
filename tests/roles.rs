//! Roles: requests, answers, the permission bitmask and its maxima.

mod common;

use std::collections::BTreeMap;

use http::{Method, StatusCode};
use proptest::prelude::*;
use rockit_edge::assumed::roles::ROLES_PERMISSIONS_MEMBER;
use rockit_edge::pager::Pager;
use rockit_edge::roles::{
    CreateRole, DeleteRole, GetRole, ListRoles, PatchRole, Permissions, Resource, Role,
};
use rockit_edge::{Endpoint, Error};
use serde_json::{json, Value};

use common::strategies::{field, scalar_extra as extra};
use common::{
    admin_principal_key as key, answer, assert_no_body, base, body_json, fixture,
    input_error_what as input_error, token,
};

// ---- the permission model ----

#[test]
fn permission_bits_have_the_reference_values() {
    let bits = [
        Permissions::CREATE,
        Permissions::READ,
        Permissions::UPDATE,
        Permissions::DELETE,
        Permissions::EXECUTE,
    ]
    .map(Permissions::bits);
    assert_eq!(bits, [1, 2, 4, 8, 16]);
    let crud = Permissions::CREATE | Permissions::READ | Permissions::UPDATE | Permissions::DELETE;
    assert_eq!(crud, Permissions::CRUD);
    assert_eq!((crud | Permissions::EXECUTE), Permissions::ALL);
    assert_eq!((Permissions::ALL & Permissions::READ), Permissions::READ);
    let mut p = Permissions::NONE;
    assert!(p.is_empty());
    p |= Permissions::DELETE;
    assert_eq!(p.bits(), 8);
}

#[test]
fn permissions_display_and_parse() {
    assert_eq!(Permissions::from_bits(0).to_string(), "-----");
    assert_eq!(Permissions::from_bits(15).to_string(), "crud-");
    assert_eq!(Permissions::from_bits(31).to_string(), "crudx");
    assert_eq!(Permissions::from_bits(16).to_string(), "----x");
    assert_eq!(Permissions::from_bits(2 | 64).to_string(), "-r---+64");
    assert_eq!(
        format!("{:?}", Permissions::from_bits(6)),
        "Permissions(6 -ru--)"
    );
    assert_eq!(
        Permissions::from_bits(29).names(),
        ["create", "update", "delete", "execute"]
    );

    for (text, bits) in [
        ("crud-", 15),
        ("-r---", 2),
        ("RU", 6),
        ("x", 16),
        ("0", 0),
        ("96", 96),
    ] {
        assert_eq!(text.parse::<Permissions>().unwrap().bits(), bits, "{text}");
    }
    for bad in ["", "crudz", "-1", "1.5", "read"] {
        let err = bad.parse::<Permissions>().unwrap_err();
        assert_eq!(err.what(), "permissions", "{bad}");
    }
}

#[test]
fn maxima_are_the_reference_table() {
    let expected = [
        ("apps", 15),
        ("beUsers", 15),
        ("bundles", 15),
        ("consumption", 2),
        ("dependencies", 15),
        ("deployments", 15),
        ("keys", 15),
        ("roles", 15),
        ("sources", 15),
        ("subscriptions", 15),
        ("tasks", 31),
        ("trainings", 6),
    ];
    let known: Vec<(&str, u64)> = Resource::KNOWN
        .iter()
        .map(|r| (r.as_str(), r.maximum().unwrap().bits()))
        .collect();
    assert_eq!(known, expected);
    assert_eq!(Resource::from("beUsers"), Resource::BeUsers);
    assert!(!Resource::from("users").is_known());
}

#[test]
fn values_beyond_a_maximum_are_refused() {
    assert!(Resource::Trainings
        .check(Permissions::READ | Permissions::UPDATE)
        .is_ok());
    // 1 is below 6 numerically, yet create is not among the bits trainings allows.
    assert!(Resource::Trainings.check(Permissions::CREATE).is_err());
    assert!(Resource::Apps.check(Permissions::EXECUTE).is_err());
    assert!(Resource::Tasks.check(Permissions::ALL).is_ok());
    let err = Resource::Tasks
        .check(Permissions::from_bits(32))
        .unwrap_err();
    assert!(
        err.to_string().contains("tasks allows at most crudx (31)"),
        "{err}"
    );
    let unknown = Resource::from("workbench");
    assert!(unknown.check(Permissions::ALL).is_ok());
    assert!(unknown.check(Permissions::from_bits(33)).is_err());
}

#[test]
fn administrators_hold_every_maximum() {
    let admins = Role::administrators();
    assert_eq!(admins.name, "Administrators");
    assert_eq!(
        admins.permissions.get().unwrap().len(),
        Resource::KNOWN.len()
    );
    for resource in Resource::KNOWN {
        assert_eq!(
            Some(admins.permission(resource)),
            resource.maximum(),
            "{resource}"
        );
    }
    assert!(admins.check().is_ok());
}

// ---- requests ----

#[test]
fn list_roles_request() {
    let request = ListRoles::new().to_request(&base(), &key()).unwrap();
    assert_eq!(request.method(), Method::GET);
    assert_eq!(request.uri(), "https://edge.example.com/be/v1/roles");
    assert_eq!(request.headers()["x-rockit-orgname"], "ExampleOrg");
    assert_eq!(request.headers()["x-rockit-username"], "adminPrincipal");
    assert_eq!(request.headers()["x-rockit-api-key"], "k-123");
    assert!(request.headers().get("x-rockit-beauth-token").is_none());
    assert_no_body(&request);

    let list = ListRoles::new()
        .offset(20)
        .limit(5)
        .field("permissions")
        .field("created");
    let request = list.to_request(&base(), &token()).unwrap();
    assert_eq!(
        request.uri().query(),
        Some("offset=20&limit=5&fields%5B%5D=permissions&fields%5B%5D=created&fields%5B%5D=name")
    );
    assert_eq!(request.headers()["x-rockit-beauth-token"], "t0k");

    let with_name = ListRoles::new()
        .field("name")
        .to_request(&base(), &token())
        .unwrap();
    assert_eq!(with_name.uri().query(), Some("fields%5B%5D=name"));

    assert_eq!(
        input_error(ListRoles::new().limit(0).to_request(&base(), &token())),
        "limit"
    );
}

#[test]
fn get_role_request() {
    let request = GetRole::new("Testers")
        .field("name")
        .to_request(&base(), &token())
        .unwrap();
    assert_eq!(request.method(), Method::GET);
    assert_eq!(
        request.uri(),
        "https://edge.example.com/be/v1/roles/Testers?fields%5B%5D=name"
    );
    assert_no_body(&request);

    for (name, path) in [
        (
            "CI Pipeline Services",
            "/be/v1/roles/CI%20Pipeline%20Services",
        ),
        ("a/b", "/be/v1/roles/a%2Fb"),
        ("x?y#z", "/be/v1/roles/x%3Fy%23z"),
        ("..a", "/be/v1/roles/..a"),
    ] {
        let request = GetRole::new(name).to_request(&base(), &token()).unwrap();
        assert_eq!(request.uri().path(), path);
        assert_eq!(request.uri().query(), None);
    }
    for bad in ["", "..", ".", "  ", "tab\there"] {
        let result = GetRole::new(bad).to_request(&base(), &token());
        assert_eq!(input_error(result), "role name", "{bad:?}");
    }
}

#[test]
fn create_role_request() {
    let create = CreateRole::new("Access Control")
        .permission(Resource::Bundles, Permissions::READ)
        .permission(Resource::Keys, Permissions::CRUD)
        .permission("trainings", Permissions::READ);
    let request = create.to_request(&base(), &key()).unwrap();
    assert_eq!(request.method(), Method::POST);
    assert_eq!(request.uri(), "https://edge.example.com/be/v1/roles");
    assert_eq!(
        body_json(&request),
        json!({"name": "Access Control", "permissions": {"bundles": 2, "keys": 15, "trainings": 2}})
    );

    let from_role = CreateRole::from(Role::administrators());
    let body = body_json(&from_role.to_request(&base(), &token()).unwrap());
    assert_eq!(body["permissions"]["tasks"], 31);
    assert_eq!(body["permissions"]["consumption"], 2);
    assert_eq!(body["permissions"].as_object().unwrap().len(), 12);

    let too_much = CreateRole::new("Readers").permission(Resource::Consumption, Permissions::CRUD);
    assert_eq!(
        input_error(too_much.to_request(&base(), &token())),
        "permissions"
    );
    let nameless = CreateRole::new("").permission(Resource::Apps, Permissions::READ);
    assert_eq!(
        input_error(nameless.to_request(&base(), &token())),
        "role name"
    );
}

#[test]
fn patch_role_request() {
    let patch = PatchRole::new("Testers")
        .permission(Resource::Tasks, Permissions::READ | Permissions::EXECUTE)
        .permission(Resource::Bundles, Permissions::NONE);
    let request = patch.to_request(&base(), &token()).unwrap();
    assert_eq!(request.method(), Method::PATCH);
    assert_eq!(request.uri(), "https://edge.example.com/be/v1/roles");
    assert_eq!(
        body_json(&request),
        json!({"name": "Testers", "permissions": {"bundles": 0, "tasks": 18}})
    );
    assert_eq!(
        input_error(PatchRole::new("Testers").to_request(&base(), &token())),
        "role changes"
    );
    let too_much = PatchRole::new("Testers").permission(Resource::Trainings, Permissions::DELETE);
    assert_eq!(
        input_error(too_much.to_request(&base(), &token())),
        "permissions"
    );
}

#[test]
fn delete_role_request() {
    let request = DeleteRole::new("CI Pipeline Services")
        .to_request(&base(), &key())
        .unwrap();
    assert_eq!(request.method(), Method::DELETE);
    assert_eq!(
        request.uri(),
        "https://edge.example.com/be/v1/roles/CI%20Pipeline%20Services"
    );
    assert_no_body(&request);
    assert_eq!(
        input_error(DeleteRole::new("..").to_request(&base(), &key())),
        "role name"
    );
}

// ---- answers ----

#[test]
fn list_roles_answer() {
    let page = ListRoles::new()
        .decode(&answer(200, fixture("roles_list_200.json")))
        .unwrap();
    assert_eq!(page.total(), Some(5));
    let names: Vec<&str> = page.items.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        ["Administrators", "Access Control", "CI Pipeline Services"]
    );
    assert_eq!(page.items[0], {
        let mut admins = Role::administrators();
        admins.extra.clear();
        admins
    });
    let ci = &page.items[2];
    assert_eq!(ci.permission(&Resource::Apps), Permissions::CRUD);
    assert_eq!(ci.permission(&Resource::Tasks), Permissions::NONE);
    assert_eq!(ci.extra["created"], "2025-05-07T10:42:33.000Z");
}

#[test]
fn list_roles_pages_until_the_total() {
    let mut pager = Pager::new(ListRoles::new().limit(3));
    let first = pager
        .feed(&answer(200, fixture("roles_list_200.json")))
        .unwrap();
    assert_eq!(first.len(), 3);
    assert_eq!(
        pager.next_request().unwrap(),
        &ListRoles::new().limit(3).offset(3)
    );
}

#[test]
fn get_role_answer_keeps_unknown_resources() {
    let role = GetRole::new("System Engineers")
        .decode(&answer(200, fixture("roles_get_200.json")))
        .unwrap();
    assert_eq!(role.name, "System Engineers");
    assert_eq!(role.permission(&Resource::Deployments), Permissions::CRUD);
    assert_eq!(role.permission(&Resource::from("workbench")).bits(), 3);
    assert_eq!(role.extra["updated"], "2025-05-07T10:43:38.000Z");

    let original: Value = serde_json::from_slice(&fixture("roles_get_200.json")).unwrap();
    assert_eq!(serde_json::to_value(&role).unwrap(), original["role"]);
}

#[test]
fn role_answers_that_do_not_fit() {
    let only_name = br#"{"status":"success","role":{"name":"Testers"}}"#.to_vec();
    let role = GetRole::new("Testers")
        .decode(&answer(200, only_name))
        .unwrap();
    assert!(role.permissions.is_absent());
    assert_eq!(role.permission(&Resource::Apps), Permissions::NONE);

    let cases: [(&[u8], &str); 4] = [
        (br#"{"status":"success","role":{"permissions":{}}}"#, "role"),
        (
            br#"{"status":"success","role":{"name":"T","permissions":{"apps":-1}}}"#,
            "role.permissions.apps",
        ),
        (
            br#"{"status":"success","role":{"name":"T","permissions":{"apps":1,"apps":2}}}"#,
            "role.permissions",
        ),
        (
            br#"{"status":"success","role":{"name":"T","name":"U"}}"#,
            "role",
        ),
    ];
    for (body, path) in cases {
        match GetRole::new("T").decode(&answer(200, body.to_vec())) {
            Err(Error::Decode(e)) => assert_eq!(e.path(), path),
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    let err = GetRole::new("Nobody")
        .decode(&answer(404, fixture("roles_get_404.json")))
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(err.code().unwrap().as_str(), "not-found");
}

#[test]
fn acknowledgements() {
    let create = CreateRole::new("Testers").permission(Resource::Bundles, Permissions::READ);
    let ack = create
        .decode(&answer(200, fixture("roles_create_200.json")))
        .unwrap();
    assert_eq!(ack["message"], "role Testers created");
    let err = create
        .decode(&answer(400, fixture("roles_create_400.json")))
        .unwrap_err();
    assert_eq!(err.code().unwrap().as_str(), "invalid-param");

    let patch = PatchRole::new("Testers").permission(Resource::Tasks, Permissions::READ);
    assert!(patch
        .decode(&answer(200, fixture("roles_patch_200.json")))
        .unwrap()
        .is_empty());

    let ack = DeleteRole::new("Testers")
        .decode(&answer(200, fixture("roles_delete_200.json")))
        .unwrap();
    assert_eq!(ack["deleted"], "Testers");
}

// ---- round trips ----

fn resource() -> impl Strategy<Value = Resource> {
    prop_oneof![
        proptest::sample::select(Resource::KNOWN.to_vec()),
        "[a-z]{1,8}".prop_map(Resource::from),
    ]
}

fn permission_table() -> impl Strategy<Value = BTreeMap<Resource, Permissions>> {
    proptest::collection::btree_map(
        resource(),
        any::<u64>().prop_map(Permissions::from_bits),
        0..6,
    )
}

const ROLE_MEMBERS: &[&str] = &["name", ROLES_PERMISSIONS_MEMBER];

fn role() -> impl Strategy<Value = Role> {
    let permissions = field(permission_table());
    ("[ -~]{1,30}", permissions, extra(ROLE_MEMBERS)).prop_map(|(name, permissions, extra)| Role {
        name,
        permissions,
        extra,
    })
}

proptest! {
    #[test]
    fn role_round_trips(role in role()) {
        let json = serde_json::to_value(&role).unwrap();
        let back: Role = serde_json::from_value(json).unwrap();
        prop_assert_eq!(back, role);
    }

    #[test]
    fn role_json_with_extra_members_survives(role in role(), more in extra(ROLE_MEMBERS)) {
        let mut json = serde_json::to_value(&role).unwrap();
        json.as_object_mut().unwrap().extend(more);
        let decoded: Role = serde_json::from_value(json.clone()).unwrap();
        prop_assert_eq!(serde_json::to_value(&decoded).unwrap(), json);
    }

    #[test]
    fn permissions_round_trip(bits in any::<u64>()) {
        let p = Permissions::from_bits(bits);
        let json = serde_json::to_string(&p).unwrap();
        prop_assert_eq!(&json, &bits.to_string());
        prop_assert_eq!(serde_json::from_str::<Permissions>(&json).unwrap(), p);
        let letters = p.to_string().get(..5).unwrap().parse::<Permissions>().unwrap();
        prop_assert_eq!(letters, p & Permissions::ALL);
    }

    #[test]
    fn check_agrees_with_the_maximum(r in resource(), bits in 0u64..64) {
        let p = Permissions::from_bits(bits);
        let max = r.maximum().unwrap_or(Permissions::ALL);
        prop_assert_eq!(r.check(p).is_ok(), bits & !max.bits() == 0);
    }
}

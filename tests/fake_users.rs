//! The fake's users through the client: listing, details, people and machine users, password
//! changes, deletion, and the same checks of names as the client makes.

mod common;

use http::Method;
use rockit_edge::fake::{FakeEdge, VALID_LOGIN_PASSWORD, VALID_ORG_NAME};
use rockit_edge::login::Login;
use rockit_edge::raw::RawRequest;
use rockit_edge::users::{
    CreateMachineUser, CreateUser, DeleteUser, GetUser, ListUsers, ModifyUser,
};
use rockit_edge::{Auth, Client, Credentials};
use serde_json::json;

use common::api_error;

fn usernames(fake: &FakeEdge) -> Vec<String> {
    fake.users().into_iter().map(|u| u.username).collect()
}

#[test]
fn every_fake_holds_its_api_key_user_and_its_login_user() {
    let fake = FakeEdge::new();
    assert_eq!(usernames(&fake), ["adminPrincipal", "alice"]);
    let admin = fake.client().send(&GetUser::new("adminPrincipal")).unwrap();
    assert!(admin.is_machine());
    assert_eq!(admin.roles.get().unwrap(), &["Administrators"]);
    assert_eq!(
        usernames(&FakeEdge::seeded()),
        ["adminPrincipal", "alice", "jdoe"]
    );
}

#[test]
fn lists_page_through_every_user() {
    let fake = FakeEdge::seeded();
    let page = fake.client().send(&ListUsers::new().limit(2)).unwrap();
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.total(), Some(3));
    let all: Vec<String> = fake
        .client()
        .all(ListUsers::new().limit(2))
        .map(|u| u.unwrap().username)
        .collect();
    assert_eq!(all, usernames(&fake));
    let rest = fake.client().send(&ListUsers::new().offset(2)).unwrap();
    assert_eq!(rest.items[0].username, "jdoe");
}

#[test]
fn details_and_missing_users() {
    let fake = FakeEdge::seeded();
    let with_key = Client::new(fake.clone(), fake.base_url(), fake.api_key_credentials());
    let jdoe = with_key.send(&GetUser::new("jdoe")).unwrap();
    assert_eq!(jdoe.surname.get().unwrap(), "Doe");
    assert!(!jdoe.is_machine());
    assert_eq!(
        api_error(fake.client().send(&GetUser::new("ghost"))),
        (404, "not-found".into())
    );

    // What the client refuses to send, the fake refuses too.
    let raw = RawRequest::new(Method::GET, "/be/v1/users/j-doe");
    assert_eq!(
        api_error(fake.client().send(&raw)),
        (400, "invalid-param".into())
    );
    let raw = RawRequest::new(Method::GET, "/be/v1/users/jdoe").auth(Auth::None);
    assert_eq!(
        api_error(fake.client().send(&raw)),
        (401, "missing-credentials".into())
    );
}

#[test]
fn a_machine_users_key_works_at_once_and_stops_with_the_user() {
    let fake = FakeEdge::seeded();
    let create = CreateMachineUser::new("ci_bot", "CI pipeline").role("CI Pipeline Services");
    let created = fake.client().send(&create).unwrap();
    assert_eq!(created.username, "ci_bot");

    let as_bot = Client::new(
        fake.clone(),
        fake.base_url(),
        created.credentials(VALID_ORG_NAME).unwrap(),
    );
    let me = as_bot.send(&GetUser::new("ci_bot")).unwrap();
    assert_eq!(me.label.get().unwrap(), "CI pipeline");
    assert_eq!(me.roles.get().unwrap(), &["CI Pipeline Services"]);

    fake.client().send(&DeleteUser::new("ci_bot")).unwrap();
    assert_eq!(
        api_error(as_bot.send(&ListUsers::new())),
        (401, "invalid-token".into())
    );
    assert_eq!(
        api_error(fake.client().send(&DeleteUser::new("ci_bot"))),
        (404, "not-found".into())
    );
}

#[test]
fn people_are_created_with_their_details() {
    let fake = FakeEdge::seeded();
    let create = CreateUser::new("bob", "bob@example.com", "Bob", "Builder")
        .title("Mr")
        .role("Testers");
    fake.client().send(&create).unwrap();
    let bob = fake.client().send(&GetUser::new("bob")).unwrap();
    assert_eq!(bob.email.get().unwrap(), "bob@example.com");
    assert_eq!(bob.title.get().unwrap(), "Mr");
    assert!(bob.label.is_absent());

    assert_eq!(
        api_error(fake.client().send(&create)),
        (409, "already-exists".into())
    );
    let unknown_role = CreateUser::new("carol", "c@example.com", "Carol", "C").role("Nobody");
    assert_eq!(
        api_error(fake.client().send(&unknown_role)),
        (400, "invalid-param".into())
    );
}

#[test]
fn the_fake_checks_bodies_as_the_client_does() {
    let fake = FakeEdge::seeded();
    let cases = [
        (json!({"label": "x", "roles": []}), "missing-param"),
        (
            json!({"username": "c-d", "label": "x", "roles": []}),
            "invalid-param",
        ),
        (json!({"username": "carol", "roles": []}), "missing-param"),
        (
            json!({"username": "carol", "email": "nope", "firstname": "C", "surname": "D",
                   "roles": []}),
            "invalid-param",
        ),
        (json!({"username": "carol", "label": "x"}), "missing-param"),
        (
            json!({"username": "carol", "label": "x", "roles": "Testers"}),
            "invalid-param",
        ),
    ];
    for (body, code) in cases {
        let raw = RawRequest::new(Method::POST, "/be/v1/users").body(body.clone());
        assert_eq!(
            api_error(fake.client().send(&raw)),
            (400, code.into()),
            "{body}"
        );
    }
    let not_json = RawRequest::new(Method::POST, "/be/v1/users").body(json!([1]));
    assert_eq!(
        api_error(fake.client().send(&not_json)),
        (400, "invalid-body".into())
    );
    assert_eq!(usernames(&fake).len(), 3, "nothing refused was created");
}

#[test]
fn details_change_and_a_title_can_be_removed() {
    let fake = FakeEdge::seeded();
    let modify = ModifyUser::new("jdoe").surname("Doe-Smith").clear_title();
    fake.client().send(&modify).unwrap();
    let jdoe = fake.client().send(&GetUser::new("jdoe")).unwrap();
    assert_eq!(jdoe.surname.get().unwrap(), "Doe-Smith");
    assert!(jdoe.title.is_null());
    assert_eq!(jdoe.firstname.get().unwrap(), "Jane");

    let ghost = ModifyUser::new("ghost").surname("Boo");
    assert_eq!(
        api_error(fake.client().send(&ghost)),
        (404, "not-found".into())
    );
    let nothing = RawRequest::new(Method::PATCH, "/be/v1/users").body(json!({"username": "jdoe"}));
    assert_eq!(
        api_error(fake.client().send(&nothing)),
        (400, "missing-param".into())
    );
    let half = RawRequest::new(Method::PATCH, "/be/v1/users")
        .body(json!({"username": "jdoe", "oldPW": "a"}));
    assert_eq!(
        api_error(fake.client().send(&half)),
        (400, "missing-param".into())
    );
}

#[test]
fn passwords_are_changed_with_the_old_one_or_reset() {
    let fake = FakeEdge::new();
    let login = |password: &str| {
        let anonymous = fake.client();
        anonymous.send(&Login::new(VALID_ORG_NAME, "alice", password))
    };
    assert!(login(VALID_LOGIN_PASSWORD).is_ok());

    let wrong = ModifyUser::new("alice").change_password("not-it", "next-1");
    assert_eq!(
        api_error(fake.client().send(&wrong)),
        (403, "wrong-password".into())
    );
    let right = ModifyUser::new("alice").change_password(VALID_LOGIN_PASSWORD, "next-1");
    fake.client().send(&right).unwrap();
    assert!(login(VALID_LOGIN_PASSWORD).is_err());
    assert!(login("next-1").is_ok());

    fake.client()
        .send(&ModifyUser::new("alice").reset_password("reset-2"))
        .unwrap();
    assert!(login("reset-2").is_ok());
    let answer = fake
        .client()
        .send(&RawRequest::new(Method::GET, "/be/v1/users/alice"))
        .unwrap();
    assert!(!answer.body.unwrap().to_string().contains("reset-2"));
}

#[test]
fn an_api_key_user_can_be_deleted_like_any_other() {
    let fake = FakeEdge::new();
    let with_key = Client::new(fake.clone(), fake.base_url(), fake.api_key_credentials());
    with_key.send(&ListUsers::new()).unwrap();
    fake.client()
        .send(&DeleteUser::new("adminPrincipal"))
        .unwrap();
    assert_eq!(
        api_error(with_key.send(&ListUsers::new())),
        (401, "invalid-token".into())
    );
    let key = Credentials::api_key(VALID_ORG_NAME, "adminPrincipal", "fake-edge-api-key").unwrap();
    assert_eq!(key, fake.api_key_credentials());
}

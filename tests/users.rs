//! Users: requests, answers, passwords and the API key of a new machine user.

mod common;

use http::{Method, StatusCode};
use proptest::prelude::*;
use rockit_edge::users::{
    CreateMachineUser, CreateUser, DeleteUser, GetUser, ListUsers, ModifyUser, Password, User,
};
use rockit_edge::{BaseUrl, Endpoint, Error};
use serde_json::{json, Value};

use common::strategies::{field, scalar_extra as extra};
use common::{
    admin_principal_key as key, answer, assert_no_body, body_json, fixture,
    input_error_what as input_error, token,
};

fn base() -> BaseUrl {
    BaseUrl::parse("https://edge.example.com/").unwrap()
}

// ---- requests ----

#[test]
fn get_user_request() {
    let request = GetUser::new("adminPrincipal")
        .to_request(&base(), &key())
        .unwrap();
    assert_eq!(request.method(), Method::GET);
    assert_eq!(
        request.uri(),
        "https://edge.example.com/be/v1/users/adminPrincipal"
    );
    assert_eq!(request.headers()["x-rockit-api-key"], "k-123");
    assert_eq!(request.headers()["accept"], "application/json");
    assert_no_body(&request);

    let request = GetUser::new("jdoe").to_request(&base(), &token()).unwrap();
    assert_eq!(request.headers()["x-rockit-beauth-token"], "t0k");
    assert!(request.headers().get("x-rockit-api-key").is_none());

    for bad in ["", "a", "a/b", "..", "jane doe", "j%2Fd", &"x".repeat(51)] {
        let result = GetUser::new(bad).to_request(&base(), &token());
        assert_eq!(input_error(result), "username", "{bad:?}");
    }
}

#[test]
fn list_users_request() {
    let request = ListUsers::new().to_request(&base(), &token()).unwrap();
    assert_eq!(request.method(), Method::GET);
    assert_eq!(request.uri(), "https://edge.example.com/be/v1/users");
    assert_no_body(&request);

    let list = ListUsers::new()
        .offset(3)
        .limit(2)
        .param("role", "CI Pipeline Services");
    let request = list.to_request(&base(), &key()).unwrap();
    assert_eq!(
        request.uri().query(),
        Some("offset=3&limit=2&role=CI%20Pipeline%20Services")
    );
    assert_eq!(
        input_error(ListUsers::new().limit(0).to_request(&base(), &key())),
        "limit"
    );
}

#[test]
fn modify_user_request() {
    let modify = ModifyUser::new("jdoe")
        .email("jane@example.org")
        .firstname("Jane")
        .surname("Doe")
        .title("Dr");
    let request = modify.to_request(&base(), &token()).unwrap();
    assert_eq!(request.method(), Method::PATCH);
    assert_eq!(request.uri(), "https://edge.example.com/be/v1/users");
    assert_eq!(
        body_json(&request),
        json!({"username": "jdoe", "email": "jane@example.org", "firstname": "Jane",
               "surname": "Doe", "title": "Dr"})
    );

    let own = ModifyUser::new("jdoe").change_password("old-Pw 1", "new-Pw 2 ü");
    assert_eq!(
        body_json(&own.to_request(&base(), &token()).unwrap()),
        json!({"username": "jdoe", "oldPW": "old-Pw 1", "newPW": "new-Pw 2 ü"})
    );
    let reset = ModifyUser::new("ci_bot").reset_password("r3set");
    assert_eq!(
        body_json(&reset.to_request(&base(), &key()).unwrap()),
        json!({"username": "ci_bot", "resetCreds": "r3set"})
    );
    let cleared = ModifyUser::new("jdoe").title("Dr").clear_title();
    assert_eq!(
        body_json(&cleared.to_request(&base(), &key()).unwrap()),
        json!({"username": "jdoe", "title": null})
    );
}

#[test]
fn modify_user_refuses_what_cannot_be_right() {
    let cases = [
        (ModifyUser::new("jdoe"), "user changes"),
        (ModifyUser::new("j-doe").surname("Doe"), "username"),
        (ModifyUser::new("jdoe").email("not an address"), "email"),
        (ModifyUser::new("jdoe").email("@example.com"), "email"),
        (ModifyUser::new("jdoe").firstname(" "), "first name"),
        (
            ModifyUser::new("jdoe").change_password("", "new"),
            "old password",
        ),
        (
            ModifyUser::new("jdoe").change_password("old", ""),
            "new password",
        ),
        (ModifyUser::new("jdoe").reset_password(""), "new password"),
        (
            ModifyUser::new("jdoe")
                .change_password("a", "b")
                .reset_password("c"),
            "password",
        ),
    ];
    for (modify, what) in cases {
        assert_eq!(input_error(modify.to_request(&base(), &token())), what);
    }
}

#[test]
fn passwords_never_show_in_debug_or_errors() {
    let modify = ModifyUser::new("jdoe").change_password("Old-S3cret", "New-S3cret");
    let reset = ModifyUser::new("jdoe").reset_password("Reset-S3cret");
    let text = format!("{modify:?} {reset:?} {:?}", Password::new("P-S3cret"));
    assert!(!text.contains("S3cret"), "{text}");
    let err = ModifyUser::new("jdoe")
        .change_password("Old-S3cret", "New-S3cret")
        .reset_password("Reset-S3cret")
        .to_request(&base(), &token())
        .unwrap_err();
    assert!(!err.to_string().contains("S3cret"));
}

#[test]
fn delete_user_request() {
    let request = DeleteUser::new("ci_bot")
        .to_request(&base(), &key())
        .unwrap();
    assert_eq!(request.method(), Method::DELETE);
    assert_eq!(request.uri(), "https://edge.example.com/be/v1/users/ci_bot");
    assert_no_body(&request);
    assert_eq!(
        input_error(DeleteUser::new("ci bot").to_request(&base(), &key())),
        "username"
    );
}

#[test]
fn create_user_request() {
    let create = CreateUser::new("jdoe", "jane.doe@example.com", "Jane", "Doe")
        .title("Dr")
        .role("Testers")
        .role("CI Pipeline Services");
    let request = create.to_request(&base(), &token()).unwrap();
    assert_eq!(request.method(), Method::POST);
    assert_eq!(request.uri(), "https://edge.example.com/be/v1/users");
    assert_eq!(
        body_json(&request),
        json!({"username": "jdoe", "title": "Dr", "email": "jane.doe@example.com",
               "firstname": "Jane", "surname": "Doe",
               "roles": ["Testers", "CI Pipeline Services"]})
    );
    let plain = CreateUser::new("jdoe", "j@example.com", "Jane", "Doe");
    assert_eq!(
        body_json(&plain.to_request(&base(), &key()).unwrap()),
        json!({"username": "jdoe", "email": "j@example.com", "firstname": "Jane",
               "surname": "Doe", "roles": []})
    );

    let cases = [
        (CreateUser::new("j", "j@example.com", "J", "D"), "username"),
        (CreateUser::new("jdoe", "jane", "J", "D"), "email"),
        (
            CreateUser::new("jdoe", "j@example.com", "", "D"),
            "first name",
        ),
        (CreateUser::new("jdoe", "j@example.com", "J", ""), "surname"),
        (
            CreateUser::new("jdoe", "j@example.com", "J", "D").title(""),
            "title",
        ),
        (
            CreateUser::new("jdoe", "j@example.com", "J", "D").role(""),
            "role name",
        ),
    ];
    for (create, what) in cases {
        assert_eq!(input_error(create.to_request(&base(), &token())), what);
    }
}

#[test]
fn create_machine_user_request() {
    let create = CreateMachineUser::new("ci_bot", "CI pipeline").role("CI Pipeline Services");
    let request = create.to_request(&base(), &token()).unwrap();
    assert_eq!(request.method(), Method::POST);
    assert_eq!(request.uri(), "https://edge.example.com/be/v1/users");
    assert_eq!(
        body_json(&request),
        json!({"username": "ci_bot", "label": "CI pipeline", "roles": ["CI Pipeline Services"]})
    );
    let nameless = CreateMachineUser::new("ci_bot", " ");
    assert_eq!(input_error(nameless.to_request(&base(), &token())), "label");
    let bad = CreateMachineUser::new("ci.bot", "CI");
    assert_eq!(input_error(bad.to_request(&base(), &token())), "username");
}

// ---- answers ----

#[test]
fn get_user_answer() {
    let user = GetUser::new("jdoe")
        .decode(&answer(200, fixture("users_get_200.json")))
        .unwrap();
    assert_eq!(user.username, "jdoe");
    assert_eq!(user.email.get().unwrap(), "jane.doe@example.com");
    assert_eq!(user.firstname.get().unwrap(), "Jane");
    assert!(user.title.is_null());
    assert!(user.label.is_absent());
    assert!(!user.is_machine());
    assert_eq!(user.roles.get().unwrap(), &["Managers", "Testers"]);
    assert_eq!(user.extra["created"], "2025-05-08T12:00:04.000Z");

    let original: Value = serde_json::from_slice(&fixture("users_get_200.json")).unwrap();
    assert_eq!(serde_json::to_value(&user).unwrap(), original["user"]);

    let err = GetUser::new("ghost")
        .decode(&answer(404, fixture("users_get_404.json")))
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(err.code().unwrap().as_str(), "not-found");

    let nameless = br#"{"status":"success","user":{"email":"x@example.com"}}"#.to_vec();
    match GetUser::new("jdoe").decode(&answer(200, nameless)) {
        Err(Error::Decode(e)) => assert_eq!(e.path(), "user"),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[test]
fn list_users_answer() {
    let page = ListUsers::new()
        .decode(&answer(200, fixture("users_list_200.json")))
        .unwrap();
    assert_eq!(page.total(), Some(2));
    let kinds: Vec<(&str, bool)> = page
        .items
        .iter()
        .map(|u| (u.username.as_str(), u.is_machine()))
        .collect();
    assert_eq!(kinds, [("adminPrincipal", true), ("jdoe", false)]);
}

#[test]
fn create_machine_user_answer_gives_credentials() {
    let create = CreateMachineUser::new("ci_bot", "CI pipeline");
    let created = create
        .decode(&answer(200, fixture("users_create-machine_200.json")))
        .unwrap();
    assert_eq!(created.username, "ci_bot");
    assert_eq!(created.api_key.expose(), "rk_live_4f1c0e9b7d2a45c8a1e3");
    assert_eq!(created.extra["username"], "ci_bot");
    assert!(!format!("{created:?}").contains("rk_live"));

    let credentials = created.credentials("ExampleOrg").unwrap();
    let request = GetUser::new("ci_bot")
        .to_request(&base(), &credentials)
        .unwrap();
    assert_eq!(request.headers()["x-rockit-orgname"], "ExampleOrg");
    assert_eq!(request.headers()["x-rockit-username"], "ci_bot");
    assert_eq!(
        request.headers()["x-rockit-api-key"],
        "rk_live_4f1c0e9b7d2a45c8a1e3"
    );
    assert!(request.headers()["x-rockit-api-key"].is_sensitive());
}

#[test]
fn create_machine_user_answer_without_a_usable_key() {
    let create = CreateMachineUser::new("ci_bot", "CI pipeline");
    let cases: [(&[u8], &str); 3] = [
        (br#"{"status":"success"}"#, "."),
        (br#"{"status":"success","apiKey":42}"#, "apiKey"),
        (
            br#"{"status":"success","apiKey":"bad key\n-S3CR"}"#,
            "apiKey",
        ),
    ];
    for (body, path) in cases {
        match create.decode(&answer(200, body.to_vec())) {
            Err(Error::Decode(e)) => {
                assert_eq!(e.path(), path);
                assert!(
                    e.body().is_withheld() && e.body().bytes().is_empty(),
                    "a body with a key is not kept"
                );
                assert!(!e.to_string().contains("S3CR"), "{e}");
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
    }
}

#[test]
fn acknowledgements() {
    let create = CreateUser::new("jdoe", "jane.doe@example.com", "Jane", "Doe");
    let ack = create
        .decode(&answer(200, fixture("users_create_200.json")))
        .unwrap();
    assert_eq!(ack["message"], "invitation sent to jane.doe@example.com");
    let modify = ModifyUser::new("jdoe").surname("Doe");
    assert!(modify
        .decode(&answer(200, fixture("users_modify_200.json")))
        .unwrap()
        .is_empty());
    let delete = DeleteUser::new("jdoe");
    assert!(delete
        .decode(&answer(200, fixture("users_delete_200.json")))
        .unwrap()
        .is_empty());
    let err = delete
        .decode(&answer(404, fixture("users_get_404.json")))
        .unwrap_err();
    assert_eq!(err.code().unwrap().as_str(), "not-found");
}

// ---- round trips ----

fn user() -> impl Strategy<Value = User> {
    (
        "[A-Za-z0-9_]{2,50}",
        field("[ -~]{0,20}"),
        field("[ -~]{0,20}"),
        field("\\PC{0,10}"),
        (field("[ -~]{0,5}"), field("[ -~]{0,20}")),
        field(proptest::collection::vec("[ -~]{1,20}", 0..3)),
        extra(User::MEMBERS),
    )
        .prop_map(
            |(username, email, firstname, surname, (title, label), roles, extra)| User {
                username,
                email,
                firstname,
                surname,
                title,
                label,
                roles,
                extra,
            },
        )
}

proptest! {
    #[test]
    fn user_round_trips(user in user()) {
        let json = serde_json::to_value(&user).unwrap();
        let back: User = serde_json::from_value(json).unwrap();
        prop_assert_eq!(back, user);
    }

    #[test]
    fn user_json_with_extra_members_survives(user in user(), more in extra(User::MEMBERS)) {
        let mut json = serde_json::to_value(&user).unwrap();
        json.as_object_mut().unwrap().extend(more);
        let decoded: User = serde_json::from_value(json.clone()).unwrap();
        prop_assert_eq!(serde_json::to_value(&decoded).unwrap(), json);
    }
}

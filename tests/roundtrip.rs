//! Decoding and encoding again loses nothing: not unknown members, not unknown enumeration
//! values, not the difference between an absent member and a `null` one.

mod common;

use std::fmt::Debug;

use http::Response;
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::sample::select;
use rockit_edge::tasks::{
    Alert, DltarInput, Exception, FileReadFailed, GetTask, HttpDownloadFailed, ListTasks, Steps,
    Task, TaskStatus, TaskType, Timestamp, UserData,
};
use rockit_edge::{Endpoint, Extra, Field};
use serde_json::{json, Map, Value};

use common::strategies::field;

const FIXTURE: &[u8] = include_bytes!("fixtures/tasks_get_200.json");

/// Every wire name of every task model, so that generated keys also try the names that are
/// typed one level up or down.
const ALL_MEMBERS: &[&[&str]] = &[
    Task::MEMBERS,
    Steps::MEMBERS,
    UserData::MEMBERS,
    DltarInput::MEMBERS,
    Alert::MEMBERS,
    Exception::MEMBERS,
    HttpDownloadFailed::MEMBERS,
    FileReadFailed::MEMBERS,
];

fn ok_response(body: &Value) -> Response<Vec<u8>> {
    Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(serde_json::to_vec(body).unwrap())
        .unwrap()
}

fn fixture_task() -> Value {
    let body: Value = serde_json::from_slice(FIXTURE).unwrap();
    body["task"].clone()
}

fn text() -> BoxedStrategy<String> {
    prop_oneof![
        any::<String>(),
        "[a-z0-9-]{0,12}",
        Just(String::new()),
        Just("\u{0}\"\\\u{1F980}\u{FEFF}".to_owned()),
    ]
    .boxed()
}

fn big_u64() -> BoxedStrategy<u64> {
    prop_oneof![Just(0), Just(u64::MAX), Just(u64::MAX - 1), any::<u64>()].boxed()
}

fn json_value() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        big_u64().prop_map(Value::from),
        // Quarters are exact in binary, so their text parses back to the same number.
        (-4_000_000_i64..4_000_000).prop_map(|q| Value::from(q as f64 / 4.0)),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            btree_map(text(), inner, 0..4).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

/// `null` inside a typed `Field<Value>` reads back as `Field::Null`: on the wire the two are
/// the same JSON, so only values other than `null` can make the round trip.
fn non_null_json_value() -> BoxedStrategy<Value> {
    json_value()
        .prop_filter("null is Field::Null on the wire", |v| !v.is_null())
        .boxed()
}

fn member_name(members: &'static [&'static str]) -> BoxedStrategy<String> {
    let typed_elsewhere: Vec<String> = ALL_MEMBERS
        .iter()
        .flat_map(|m| m.iter())
        .map(|m| (*m).to_owned())
        .collect();
    prop_oneof![
        text(),
        select(typed_elsewhere),
        Just("Name".to_owned()),
        Just("status ".to_owned()),
    ]
    .prop_filter("a typed member of this model", move |k| {
        !members.contains(&k.as_str())
    })
    .boxed()
}

fn extra(members: &'static [&'static str]) -> BoxedStrategy<Extra> {
    btree_map(member_name(members), json_value(), 0..3)
        .prop_map(|m| m.into_iter().collect())
        .boxed()
}

fn task_type() -> BoxedStrategy<TaskType> {
    let unknown = prop_oneof![
        text(),
        Just("DLTAR".to_owned()),
        Just(" mkraw".to_owned()),
        Just("deploy\n".to_owned()),
    ]
    .prop_filter("a known value", |s| {
        TaskType::KNOWN.iter().all(|k| k.as_str() != s)
    });
    prop_oneof![
        select(TaskType::KNOWN.to_vec()),
        unknown.prop_map(TaskType::Other),
    ]
    .boxed()
}

fn steps() -> BoxedStrategy<Steps> {
    let stamp = || field(text().prop_map(Timestamp::from));
    (stamp(), stamp(), stamp(), extra(Steps::MEMBERS))
        .prop_map(|(created, started, finished, extra)| Steps {
            created,
            started,
            finished,
            extra,
        })
        .boxed()
}

fn user_data() -> BoxedStrategy<UserData> {
    let dltar = (field(text()), field(big_u64()), extra(DltarInput::MEMBERS)).prop_map(
        |(url, size_bytes, extra)| DltarInput {
            url,
            size_bytes,
            extra,
        },
    );
    (field(dltar), extra(UserData::MEMBERS))
        .prop_map(|(dltar, extra)| UserData { dltar, extra })
        .boxed()
}

fn alert() -> BoxedStrategy<Alert> {
    let download = (
        field(any::<u16>()),
        field(any::<i64>()),
        field(big_u64()),
        field(big_u64()),
        extra(HttpDownloadFailed::MEMBERS),
    )
        .prop_map(
            |(http_status, exit_code, size_bytes_actual, size_bytes_expected, extra)| {
                HttpDownloadFailed {
                    http_status,
                    exit_code,
                    size_bytes_actual,
                    size_bytes_expected,
                    extra,
                }
            },
        );
    let file = (
        field(text()),
        field(text()),
        field(text()),
        extra(FileReadFailed::MEMBERS),
    )
        .prop_map(
            |(filename, type_expected, type_detected, extra)| FileReadFailed {
                filename,
                type_expected,
                type_detected,
                extra,
            },
        );
    let exception = (
        field(download),
        field(file),
        field(non_null_json_value()),
        extra(Exception::MEMBERS),
    )
        .prop_map(|(http_download_failed, file_read_failed, error, extra)| {
            Box::new(Exception {
                http_download_failed,
                file_read_failed,
                error,
                extra,
            })
        });
    (field(exception), extra(Alert::MEMBERS))
        .prop_map(|(exception, extra)| Alert { exception, extra })
        .boxed()
}

fn task() -> BoxedStrategy<Task> {
    (
        text(),
        text(),
        text(),
        task_type(),
        text().prop_map(TaskStatus::from),
        steps(),
        field(user_data()),
        field(alert()),
        extra(Task::MEMBERS),
    )
        .prop_map(
            |(name, app_name, build_name, task_type, status, steps, user_data, alert, extra)| {
                Task {
                    name,
                    app_name,
                    build_name,
                    task_type,
                    status,
                    steps,
                    user_data,
                    alert,
                    extra,
                }
            },
        )
        .boxed()
}

proptest! {
    #[test]
    fn task_to_bytes_and_back_is_identity(task in task()) {
        let bytes = serde_json::to_vec(&task).unwrap();

        let back: Task = serde_json::from_slice(&bytes).unwrap();

        prop_assert_eq!(back, task);
    }

    #[test]
    fn task_to_value_and_back_is_identity(task in task()) {
        let value = serde_json::to_value(&task).unwrap();

        let back: Task = serde_json::from_value(value).unwrap();

        prop_assert_eq!(back, task);
    }

    #[test]
    fn task_through_the_success_envelope_is_identity(task in task()) {
        let body = json!({ "status": "success", "task": task });

        let back = GetTask::new("any").decode(&ok_response(&body)).unwrap();

        prop_assert_eq!(back, task);
    }

    #[test]
    fn absent_members_stay_out_and_null_ones_stay_null(task in task()) {
        let value = serde_json::to_value(&task).unwrap();

        let object = value.as_object().unwrap();
        prop_assert_eq!(object.contains_key("userData"), !task.user_data.is_absent());
        prop_assert_eq!(object.get("userData") == Some(&Value::Null), task.user_data.is_null());
        prop_assert_eq!(object.contains_key("alert"), !task.alert.is_absent());
        prop_assert_eq!(object.get("alert") == Some(&Value::Null), task.alert.is_null());
        for key in task.extra.keys() {
            prop_assert_eq!(&object[key], &task.extra[key]);
        }
    }
}

/// One change to the reference task: an optional member kept, set to `null`, or removed.
#[derive(Clone, Copy, Debug)]
enum Presence {
    Keep,
    Null,
    Remove,
}

fn presence() -> BoxedStrategy<Presence> {
    prop_oneof![
        Just(Presence::Keep),
        Just(Presence::Null),
        Just(Presence::Remove)
    ]
    .boxed()
}

/// The objects of the reference task, by path, with the members their model types.
const LEVELS: [(&[&str], &[&str]); 7] = [
    (&[], Task::MEMBERS),
    (&["steps"], Steps::MEMBERS),
    (&["userData"], UserData::MEMBERS),
    (&["userData", "dltar"], DltarInput::MEMBERS),
    (&["alert"], Alert::MEMBERS),
    (&["alert", "exception"], Exception::MEMBERS),
    (
        &["alert", "exception", "httpDownloadFailed"],
        HttpDownloadFailed::MEMBERS,
    ),
];

/// Optional members of the reference task, deepest first, so that removing a parent after its
/// child is always possible.
const OPTIONAL: [(&[&str], &str); 12] = [
    (
        &["alert", "exception", "httpDownloadFailed"],
        "sizeBytesActual",
    ),
    (
        &["alert", "exception", "httpDownloadFailed"],
        "sizeBytesExpected",
    ),
    (&["alert", "exception"], "httpDownloadFailed"),
    (&["alert"], "exception"),
    (&["userData", "dltar"], "url"),
    (&["userData", "dltar"], "sizeBytes"),
    (&["userData"], "dltar"),
    (&["steps"], "created"),
    (&["steps"], "started"),
    (&["steps"], "finished"),
    (&[], "userData"),
    (&[], "alert"),
];

fn object_at<'a>(root: &'a mut Value, path: &[&str]) -> Option<&'a mut Map<String, Value>> {
    let mut at = root;
    for key in path {
        at = at.as_object_mut()?.get_mut(*key)?;
    }
    at.as_object_mut()
}

#[derive(Debug, Clone)]
struct Variation {
    extras: Vec<Extra>,
    presences: Vec<Presence>,
    task_type: Option<String>,
    status: Option<String>,
    size_bytes: Option<u64>,
    more_exceptions: Option<(Value, Value)>,
    envelope_extra: Map<String, Value>,
}

fn variation() -> BoxedStrategy<Variation> {
    let extras = (
        extra(LEVELS[0].1),
        extra(LEVELS[1].1),
        extra(LEVELS[2].1),
        extra(LEVELS[3].1),
        extra(LEVELS[4].1),
        extra(LEVELS[5].1),
        extra(LEVELS[6].1),
    )
        .prop_map(|(a, b, c, d, e, f, g)| vec![a, b, c, d, e, f, g]);
    let file_read_failed = (text(), text(), text()).prop_map(|(filename, expected, detected)| {
        json!({ "filename": filename, "typeExpected": expected, "typeDetected": detected })
    });
    (
        extras,
        vec(presence(), OPTIONAL.len()),
        proptest::option::of(prop_oneof![
            text(),
            select(vec!["dltar", "mkraw", "deploy"]).prop_map(str::to_owned)
        ]),
        proptest::option::of(text()),
        proptest::option::of(big_u64()),
        proptest::option::of((file_read_failed, json_value())),
        btree_map(
            text().prop_filter("envelope member", |k| k != "status" && k != "task"),
            json_value(),
            0..3,
        )
        .prop_map(|m| m.into_iter().collect()),
    )
        .prop_map(
            |(extras, presences, task_type, status, size_bytes, more, envelope_extra)| Variation {
                extras,
                presences,
                task_type,
                status,
                size_bytes,
                more_exceptions: more,
                envelope_extra,
            },
        )
        .boxed()
}

fn apply(variation: &Variation) -> Value {
    let mut task = fixture_task();
    if let Some(task_type) = &variation.task_type {
        task["taskType"] = Value::from(task_type.as_str());
    }
    if let Some(status) = &variation.status {
        task["status"] = Value::from(status.as_str());
    }
    if let Some(size) = variation.size_bytes {
        task["userData"]["dltar"]["sizeBytes"] = Value::from(size);
    }
    if let Some((file_read_failed, error)) = &variation.more_exceptions {
        let exception = object_at(&mut task, &["alert", "exception"]).unwrap();
        exception.insert("fileReadFailed".into(), file_read_failed.clone());
        exception.insert("error".into(), error.clone());
    }
    for ((path, _), extra) in LEVELS.iter().zip(&variation.extras) {
        let object = object_at(&mut task, path).unwrap();
        for (key, value) in extra {
            assert!(object.insert(key.clone(), value.clone()).is_none());
        }
    }
    for ((path, member), presence) in OPTIONAL.iter().zip(&variation.presences) {
        let Some(object) = object_at(&mut task, path) else {
            continue;
        };
        match presence {
            Presence::Keep => {}
            Presence::Null => {
                object.insert((*member).to_owned(), Value::Null);
            }
            Presence::Remove => {
                object.remove(*member);
            }
        }
    }
    task
}

proptest! {
    #[test]
    fn varied_reference_task_encodes_back_unchanged(variation in variation()) {
        let task_json = apply(&variation);
        let mut body = variation.envelope_extra.clone();
        body.insert("status".into(), Value::from("success"));
        body.insert("task".into(), task_json.clone());

        let task = GetTask::new("any").decode(&ok_response(&Value::Object(body))).unwrap();

        prop_assert_eq!(serde_json::to_value(&task).unwrap(), task_json);
        if let Some(task_type) = &variation.task_type {
            prop_assert_eq!(task.task_type.as_str(), task_type.as_str());
            let known = ["dltar", "mkraw", "deploy"].contains(&task_type.as_str());
            prop_assert_eq!(task.task_type.is_known(), known);
        }
        if let Some(status) = &variation.status {
            prop_assert_eq!(task.status.as_str(), status.as_str());
        }
        prop_assert_eq!(&task.extra, &variation.extras[0]);
    }
}

#[test]
fn unknown_values_and_members_survive_in_place() {
    let mut task_json = fixture_task();
    task_json["taskType"] = json!("mkpatch");
    task_json["status"] = json!("queued");
    task_json["priority"] = json!(7);
    task_json["steps"]["queued"] = json!("2025-02-11T11:39:30Z");
    task_json["alert"]["exception"]["diskFull"] = json!({ "freeBytes": 0 });
    task_json["userData"]["dltar"]["sizeBytes"] = json!(u64::MAX);
    task_json["steps"]["started"] = Value::Null;
    task_json["steps"]
        .as_object_mut()
        .unwrap()
        .remove("finished");

    let body = json!({ "status": "success", "task": task_json });
    let task = GetTask::new("any").decode(&ok_response(&body)).unwrap();

    assert_eq!(task.task_type, TaskType::Other("mkpatch".into()));
    assert_eq!(task.status.as_str(), "queued");
    assert_eq!(task.extra["priority"], json!(7));
    assert_eq!(task.steps.extra["queued"], json!("2025-02-11T11:39:30Z"));
    assert_eq!(task.steps.started, Field::Null);
    assert_eq!(task.steps.finished, Field::Absent);
    let exception = task.alert.get().unwrap().exception.get().unwrap();
    assert_eq!(exception.kinds(), vec!["httpDownloadFailed", "diskFull"]);
    let dltar = task.user_data.get().unwrap().dltar.get().unwrap();
    assert_eq!(dltar.size_bytes, Field::Value(u64::MAX));
    assert_eq!(serde_json::to_value(&task).unwrap(), task_json);
}

#[test]
fn a_typed_member_wins_over_an_extra_entry_of_the_same_name() {
    let mut task: Task = serde_json::from_value(fixture_task()).unwrap();
    task.extra.insert("appName".into(), json!("shadow"));

    let encoded = serde_json::to_value(&task).unwrap();

    assert_eq!(encoded["appName"], json!("sushi"));
    assert_eq!(encoded, fixture_task());
}

#[test]
fn extra_reads_and_compares_as_the_map_it_holds() {
    let mut extra = Extra::new();
    assert!(extra.is_empty());
    assert_eq!(extra, Extra::default());
    assert_eq!(*extra, Map::new());
    assert_eq!(format!("{extra:?}"), format!("{:?}", Map::new()));
    assert_eq!(serde_json::to_value(&extra).unwrap(), json!({}));

    extra.insert("queue".into(), json!("fast"));
    extra.insert("retries".into(), json!(2));
    let mut map = Map::new();
    map.insert("retries".into(), json!(2));
    map.insert("queue".into(), json!("fast"));
    assert_eq!(*extra, map);
    assert_eq!(Extra::from(map.clone()), extra);
    assert_eq!(format!("{extra:?}"), format!("{map:?}"));
    assert_eq!(
        serde_json::to_value(&extra).unwrap(),
        Value::Object(map.clone())
    );
    assert_eq!(
        serde_json::from_value::<Extra>(Value::Object(map.clone())).unwrap(),
        extra
    );
    assert_eq!(extra.iter().count(), 2);
    assert_eq!(
        (&extra)
            .into_iter()
            .map(|(k, _)| k.as_str())
            .collect::<Vec<_>>(),
        ["queue", "retries"]
    );
    assert_eq!(extra.clone().into_map(), map);

    // A map emptied again equals one that never held anything.
    extra.remove("queue");
    extra.remove("retries");
    assert_eq!(extra, Extra::new());
    assert_eq!(Extra::new(), extra);
}

#[test]
fn extra_hashes_counts_and_converts_like_its_map() {
    use std::collections::hash_map::DefaultHasher;
    use std::hash::{Hash, Hasher};

    fn hash(value: &impl Hash) -> u64 {
        let mut hasher = DefaultHasher::new();
        value.hash(&mut hasher);
        hasher.finish()
    }

    let mut emptied = Extra::new();
    emptied.insert("a".into(), json!(1));
    assert_eq!((emptied.len(), emptied.is_empty()), (1, false));
    emptied.remove("a");
    assert_eq!((emptied.len(), emptied.is_empty()), (0, true));
    assert_eq!(hash(&emptied), hash(&Extra::new()));
    assert_eq!(hash(&Extra::new()), hash(&Map::new()));

    let extra: Extra = [("a".to_owned(), json!([1, 2]))].into_iter().collect();
    assert_eq!(Value::from(extra.clone()), json!({"a": [1, 2]}));
    assert_ne!(hash(&extra), hash(&Extra::new()));
    let len: fn(&Extra) -> usize = Extra::len; // named as a path, as serde attributes do
    assert_eq!(len(&extra), 1);
}

/// Neither a `Map` nor an `Extra` needs a type annotation to compare with a value whose type is
/// inferred: this stops compiling if either gains a second `PartialEq`.
#[test]
fn maps_and_extras_compare_with_inferred_values() {
    let map: Map<String, Value> = Map::new();
    assert!(map == Default::default());
    assert_eq!(map, serde_json::from_value(json!({})).unwrap());
    let extra = Extra::new();
    assert!(extra == Default::default());
    assert_eq!(extra, serde_json::from_value(json!({})).unwrap());
}

#[test]
fn extra_is_one_pointer_wide() {
    // The point of `Extra`: a model's unknown members cost a pointer while there are none.
    assert_eq!(std::mem::size_of::<Extra>(), std::mem::size_of::<usize>());
}

#[test]
fn extra_extends_and_collects_like_a_map() {
    let mut extra = Extra::new();
    extra.extend(std::iter::empty());
    assert!(extra.is_empty());
    extra.extend([("a".to_owned(), json!(1))]);
    extra.extend([("b".to_owned(), json!(2)), ("a".to_owned(), json!(3))]);
    let collected: Extra = [("a".to_owned(), json!(3)), ("b".to_owned(), json!(2))]
        .into_iter()
        .collect();
    assert_eq!(extra, collected);
    for (_, value) in &mut extra {
        *value = json!(0);
    }
    assert_eq!(
        extra.into_iter().collect::<Vec<_>>(),
        [("a".to_owned(), json!(0)), ("b".to_owned(), json!(0))]
    );
    assert!(Extra::from(Map::new()).is_empty());
}

fn list_body(tasks: &[Task], total: u64, other: &Value) -> Value {
    json!({ "status": "success", "tasks": tasks, "total": total, "someOther": other })
}

#[test]
fn a_list_keeps_its_other_members_but_not_status() {
    let task: Task = serde_json::from_value(fixture_task()).unwrap();
    let other = json!({ "next": "cursor-2", "pages": [1, 2] });
    let body = list_body(std::slice::from_ref(&task), 41, &other);

    let page = ListTasks::new().decode(&ok_response(&body)).unwrap();

    assert_eq!(page.items, vec![task]);
    assert_eq!(page.total(), Some(41));
    let mut want = Map::new();
    want.insert("total".into(), json!(41));
    want.insert("someOther".into(), other);
    assert_eq!(*page.extra, want);
    assert!(!page.extra.contains_key("status"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_list_decodes_to_its_items_and_other_members(
        tasks in vec(task(), 0..4),
        total in big_u64(),
        other in json_value(),
    ) {
        let body = list_body(&tasks, total, &other);

        let page = ListTasks::new().decode(&ok_response(&body)).unwrap();

        prop_assert_eq!(&page.items, &tasks);
        prop_assert_eq!(page.total(), Some(total));
        prop_assert_eq!(page.extra.len(), 2);
        prop_assert_eq!(&page.extra["someOther"], &other);
        prop_assert!(!page.extra.contains_key("tasks"));
    }
}

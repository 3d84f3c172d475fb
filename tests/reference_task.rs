//! The one complete response the reference shows (Task Details, 200) decoded member by member,
//! and encoded back to the same JSON.

use http::header::CONTENT_TYPE;
use http::Response;
use rockit_edge::tasks::{GetTask, Task, TaskStatus, TaskType, Timestamp};
use rockit_edge::{Endpoint, Field};
use serde_json::Value;

const FIXTURE: &[u8] = include_bytes!("fixtures/tasks_get_200.json");

const TASK_NAME: &str = "ExampleOrg-sushi-0003-1739273968-dltar";

const DOWNLOAD_URL: &str = "https://rockitplay-demo.akamaized.net/engine-fixtures/sushi/native-build.tar?token=exp=2041235666~acl=/engine-fixtures/sushi/*~hmac=df869da8c71a05f6a77ee7ed5a5902abd76e22734953d976973d6748d14beaf4";

fn response(content_type: Option<&str>, body: Vec<u8>) -> Response<Vec<u8>> {
    let mut builder = Response::builder().status(200);
    if let Some(content_type) = content_type {
        builder = builder.header(CONTENT_TYPE, content_type);
    }
    builder.body(body).unwrap()
}

fn decode(content_type: Option<&str>, body: Vec<u8>) -> Task {
    GetTask::new(TASK_NAME)
        .decode(&response(content_type, body))
        .unwrap_or_else(|e| panic!("the reference body must decode: {e}"))
}

fn fixture_task_json() -> Value {
    let body: Value = serde_json::from_slice(FIXTURE).unwrap();
    body["task"].clone()
}

#[test]
fn top_level_members_have_their_exact_values() {
    let task = decode(Some("application/json"), FIXTURE.to_vec());

    assert_eq!(task.name, TASK_NAME);
    assert_eq!(task.app_name, "sushi");
    assert_eq!(task.build_name, "0003");
    assert_eq!(task.task_type, TaskType::Dltar);
    assert!(task.task_type.is_known());
    assert_eq!(task.task_type.as_str(), "dltar");
    assert_eq!(task.status, TaskStatus::from("failed"));
    assert!(task.status.is_failed());
    assert!(task.extra.is_empty(), "{:?}", task.extra);
}

#[test]
fn steps_keep_the_timestamps_as_written() {
    let steps = decode(None, FIXTURE.to_vec()).steps;

    assert_eq!(
        steps.created,
        Field::Value(Timestamp::from("2025-02-11T11:39:31.541Z"))
    );
    assert_eq!(
        steps.started,
        Field::Value(Timestamp::from("2025-02-11T11:40:16.504Z"))
    );
    assert_eq!(
        steps.finished,
        Field::Value(Timestamp::from("2025-02-11T11:40:52.577Z"))
    );
    assert_eq!(
        steps.created.get().map(Timestamp::as_str),
        Some("2025-02-11T11:39:31.541Z")
    );
    assert!(steps.extra.is_empty(), "{:?}", steps.extra);
}

#[test]
fn user_data_has_the_download_url_and_size() {
    let user_data = decode(None, FIXTURE.to_vec()).user_data;

    let user_data = match user_data {
        Field::Value(user_data) => user_data,
        other => panic!("userData should have a value, got {other:?}"),
    };
    assert!(user_data.extra.is_empty(), "{:?}", user_data.extra);
    let dltar = user_data.dltar.into_option().expect("userData.dltar");
    assert_eq!(dltar.url, Field::Value(DOWNLOAD_URL.to_owned()));
    assert_eq!(dltar.size_bytes, Field::Value(1_788_272_645_u64));
    assert!(dltar.extra.is_empty(), "{:?}", dltar.extra);
}

#[test]
fn alert_has_the_failed_download_and_nothing_else() {
    let alert = decode(None, FIXTURE.to_vec()).alert;

    let alert = alert.into_option().expect("alert");
    assert!(alert.extra.is_empty(), "{:?}", alert.extra);
    let exception = alert.exception.into_option().expect("alert.exception");
    assert_eq!(exception.kinds(), vec!["httpDownloadFailed"]);
    assert_eq!(exception.file_read_failed, Field::Absent);
    assert_eq!(exception.error, Field::Absent);
    assert!(exception.extra.is_empty(), "{:?}", exception.extra);

    let failed = exception
        .http_download_failed
        .into_option()
        .expect("alert.exception.httpDownloadFailed");
    assert_eq!(failed.http_status, Field::Absent);
    assert_eq!(failed.exit_code, Field::Absent);
    assert_eq!(failed.size_bytes_actual, Field::Value(178_827_264_u64));
    assert_eq!(failed.size_bytes_expected, Field::Value(1_788_272_645_u64));
    assert!(failed.extra.is_empty(), "{:?}", failed.extra);
}

#[test]
fn encoding_gives_back_the_task_object() {
    let task = decode(None, FIXTURE.to_vec());

    let encoded = serde_json::to_value(&task).unwrap();

    assert_eq!(encoded, fixture_task_json());
}

#[test]
fn encoded_bytes_decode_to_the_same_task() {
    let task = decode(None, FIXTURE.to_vec());

    let again: Task = serde_json::from_slice(&serde_json::to_vec(&task).unwrap()).unwrap();

    assert_eq!(again, task);
}

#[test]
fn content_type_parameters_do_not_matter() {
    let plain = decode(Some("application/json"), FIXTURE.to_vec());

    for content_type in [
        "application/json; charset=utf-8",
        "application/json;charset=UTF-8",
        "APPLICATION/JSON",
    ] {
        assert_eq!(
            decode(Some(content_type), FIXTURE.to_vec()),
            plain,
            "{content_type}"
        );
    }
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let mut body = b"\xEF\xBB\xBF".to_vec();
    body.extend_from_slice(FIXTURE);

    let task = decode(Some("application/json; charset=utf-8"), body);

    assert_eq!(task, decode(None, FIXTURE.to_vec()));
}

#[cfg(feature = "time")]
#[test]
fn steps_convert_to_date_and_time() {
    use time::{Date, Month, UtcOffset};

    let steps = decode(None, FIXTURE.to_vec()).steps;

    let created = steps.created.get().unwrap().to_offset_date_time().unwrap();
    let want = Date::from_calendar_date(2025, Month::February, 11)
        .unwrap()
        .with_hms_milli(11, 39, 31, 541)
        .unwrap()
        .assume_utc();
    assert_eq!(created, want);
    assert_eq!(created.offset(), UtcOffset::UTC);
    assert_eq!(created.unix_timestamp(), 1_739_273_971);
    assert_eq!(created.millisecond(), 541);

    let finished = steps.finished.get().unwrap().to_offset_date_time().unwrap();
    assert_eq!(finished - created, time::Duration::milliseconds(81_036));
}

#[cfg(feature = "time")]
#[test]
fn text_that_is_no_timestamp_does_not_convert() {
    let err = Timestamp::from("11/02/2025")
        .to_offset_date_time()
        .unwrap_err();

    assert_eq!(err.what(), "timestamp");
}

//! Proptest strategies shared by the round-trip tests: text, `Field`s, JSON values and the
//! unknown members a model keeps in its `Extra`.

use std::ops::Range;

use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use rockit_edge::{Extra, Field};
use serde_json::Value;

/// Up to twelve characters, none of Unicode's category Other (control, format, private-use or
/// unassigned characters).
pub fn text() -> impl Strategy<Value = String> {
    "\\PC{0,12}"
}

/// A member that is absent, `null` or holds a value from `value`.
pub fn field<T: std::fmt::Debug + Clone>(
    value: impl Strategy<Value = T>,
) -> impl Strategy<Value = Field<T>> {
    prop_oneof![
        Just(Field::Absent),
        Just(Field::Null),
        value.prop_map(Field::Value),
    ]
}

/// A JSON scalar: `null`, a boolean, an integer or a string from `string`.
pub fn json_leaf_of(string: impl Strategy<Value = String>) -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        string.prop_map(Value::from),
    ]
}

/// A JSON scalar whose strings are up to twelve printable ASCII characters.
pub fn json_leaf() -> impl Strategy<Value = Value> {
    json_leaf_of("[ -~]{0,12}")
}

/// A [`json_leaf`] other than `null`, which inside a `Field<Value>` reads back as
/// `Field::Null`: a boolean, an integer or up to twelve printable ASCII characters.
pub fn non_null_json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "[ -~]{0,12}".prop_map(Value::from),
    ]
}

/// JSON nested up to two levels deep: arrays and objects of up to two entries, whose scalars
/// hold [`text`].
pub fn json_value() -> impl Strategy<Value = Value> {
    json_leaf_of(text()).prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..3).prop_map(Value::from),
            btree_map("[a-z]{1,6}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Members a model does not type: `size` names of `[a-zA-Z]{1,10}` are drawn, those in `typed`
/// are left out, and each holds a value from `value`.
pub fn extra_of(
    typed: &'static [&'static str],
    value: impl Strategy<Value = Value>,
    size: Range<usize>,
) -> impl Strategy<Value = Extra> {
    btree_map("[a-zA-Z]{1,10}", value, size).prop_map(move |m| {
        m.into_iter()
            .filter(|(k, _)| !typed.contains(&k.as_str()))
            .collect()
    })
}

/// Up to two members a model does not type, holding nested [`json_value`]s.
pub fn extra(typed: &'static [&'static str]) -> impl Strategy<Value = Extra> {
    extra_of(typed, json_value(), 0..3)
}

/// Up to three members a model does not type, holding [`json_leaf`] scalars.
pub fn scalar_extra(typed: &'static [&'static str]) -> impl Strategy<Value = Extra> {
    extra_of(typed, json_leaf(), 0..4)
}

/// Up to three members no model types, as their names start with `x_`, holding values from
/// `value`.
pub fn untyped_extra(value: impl Strategy<Value = Value>) -> impl Strategy<Value = Extra> {
    btree_map("x_[a-z]{1,6}", value, 0..4).prop_map(|m| m.into_iter().collect())
}

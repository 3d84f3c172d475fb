//! Building blocks of the typed models: optional fields that tell "absent" from `null`, and
//! the two macros that define every model and every open enumeration of the crate, and
//! [`Extra`], where a model keeps the members it does not type.
//!
//! A model keeps every member it does not know in its `extra` ([`Extra`]), and an open
//! enumeration keeps every value it does not know in its `Other` variant, so that decoding and
//! encoding again gives back the same JSON.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::{Deref, DerefMut};
use std::sync::OnceLock;

use serde::de::{Deserialize, DeserializeOwned, Deserializer};
use serde::ser::{Serialize, Serializer};
use serde_json::{Map, Value};

/// An optional member of a JSON object: absent, `null`, or a value.
///
/// Keeping absent and `null` apart lets a decoded model encode back to the same JSON, and
/// lets a partial update send `null` to remove a setting.
///
/// ```
/// use rockit_edge::Field;
///
/// let size: Field<u64> = Field::from(Some(5));
/// assert_eq!(size.get(), Some(&5));
/// assert!(Field::<u64>::Absent.get().is_none());
/// assert!(Field::<u64>::Null.is_null());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Field<T> {
    /// The member is not in the object.
    #[default]
    Absent,
    /// The member is `null`.
    Null,
    /// The member has a value.
    Value(T),
}

impl<T> Field<T> {
    /// The value, if there is one.
    pub fn get(&self) -> Option<&T> {
        match self {
            Field::Value(v) => Some(v),
            Field::Absent | Field::Null => None,
        }
    }

    /// The value, mutably, if there is one.
    pub fn get_mut(&mut self) -> Option<&mut T> {
        match self {
            Field::Value(v) => Some(v),
            Field::Absent | Field::Null => None,
        }
    }

    /// The value, if there is one.
    pub fn into_option(self) -> Option<T> {
        match self {
            Field::Value(v) => Some(v),
            Field::Absent | Field::Null => None,
        }
    }

    /// Whether the member is missing from the object.
    pub fn is_absent(&self) -> bool {
        matches!(self, Field::Absent)
    }

    /// Whether the member is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Field::Null)
    }

    /// Whether the member has a value.
    pub fn is_value(&self) -> bool {
        matches!(self, Field::Value(_))
    }
}

impl<T> From<T> for Field<T> {
    fn from(value: T) -> Self {
        Field::Value(value)
    }
}

impl<T> From<Option<T>> for Field<T> {
    /// `None` becomes [`Field::Absent`].
    fn from(value: Option<T>) -> Self {
        value.map_or(Field::Absent, Field::Value)
    }
}

impl<T: Serialize> Serialize for Field<T> {
    /// An absent field serializes as `null`; models leave it out of the object instead.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Field::Value(v) => v.serialize(serializer),
            Field::Absent | Field::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Field<T> {
    /// `null` becomes [`Field::Null`]; a model turns a missing member into [`Field::Absent`].
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.map_or(Field::Null, Field::Value))
    }
}

/// The members of a JSON object that a model does not type, kept as they were received.
///
/// It reads and writes as a [`serde_json::Map`], to which it dereferences. Most objects have
/// no such members, so an empty `Extra` holds no map at all: it is one pointer wide, and
/// making or dropping it costs nothing, which makes decoding measurably faster.
///
/// A map is made on the first change through `&mut` (`insert`, but also `get_mut`, `remove`
/// or `iter_mut`) and kept; empty or absent, an `Extra` compares, hashes, prints and
/// serializes as an empty map. [`Extra::into_map`] and `From` convert to and from a `Map`,
/// and `Value::from(extra)` makes a JSON object of it.
///
/// ```
/// use rockit_edge::Extra;
/// use serde_json::{json, Value};
///
/// let mut extra = Extra::new();
/// assert!(extra.is_empty());
/// extra.insert("priority".into(), json!(3));
/// assert_eq!(extra.get("priority"), Some(&json!(3)));
/// assert_eq!(extra, Extra::from_iter([("priority".to_owned(), json!(3))]));
/// assert_eq!(Value::from(extra), json!({"priority": 3}));
/// ```
#[derive(Clone, Default)]
pub struct Extra(Option<Box<Map<String, Value>>>);

impl Extra {
    /// No members.
    pub const fn new() -> Self {
        Extra(None)
    }

    /// The members as a map of their own.
    pub fn into_map(self) -> Map<String, Value> {
        self.0.map(|map| *map).unwrap_or_default()
    }

    /// Whether there are no members.
    pub fn is_empty(&self) -> bool {
        self.0.as_ref().is_none_or(|map| map.is_empty())
    }

    /// How many members there are.
    pub fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |map| map.len())
    }
}

impl Deref for Extra {
    type Target = Map<String, Value>;

    fn deref(&self) -> &Map<String, Value> {
        static EMPTY: OnceLock<Map<String, Value>> = OnceLock::new();
        match &self.0 {
            Some(map) => map,
            None => EMPTY.get_or_init(Map::new),
        }
    }
}

impl DerefMut for Extra {
    fn deref_mut(&mut self) -> &mut Map<String, Value> {
        self.0.get_or_insert_with(Box::default)
    }
}

impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for Extra {}

impl Hash for Extra {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (**self).hash(state);
    }
}

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl From<Map<String, Value>> for Extra {
    fn from(map: Map<String, Value>) -> Self {
        Extra((!map.is_empty()).then(|| Box::new(map)))
    }
}

impl From<Extra> for Map<String, Value> {
    fn from(extra: Extra) -> Self {
        extra.into_map()
    }
}

impl From<Extra> for Value {
    fn from(extra: Extra) -> Self {
        Value::Object(extra.into_map())
    }
}

impl FromIterator<(String, Value)> for Extra {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(members: I) -> Self {
        Extra::from(Map::from_iter(members))
    }
}

impl Extend<(String, Value)> for Extra {
    fn extend<I: IntoIterator<Item = (String, Value)>>(&mut self, members: I) {
        let mut members = members.into_iter().peekable();
        if members.peek().is_some() {
            (**self).extend(members);
        }
    }
}

impl IntoIterator for Extra {
    type Item = (String, Value);
    type IntoIter = serde_json::map::IntoIter;

    fn into_iter(self) -> Self::IntoIter {
        self.into_map().into_iter()
    }
}

impl<'a> IntoIterator for &'a Extra {
    type Item = (&'a String, &'a Value);
    type IntoIter = serde_json::map::Iter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut Extra {
    type Item = (&'a String, &'a mut Value);
    type IntoIter = serde_json::map::IterMut<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

impl Serialize for Extra {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Extra {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Map::deserialize(deserializer).map(Extra::from)
    }
}

/// Shows the names of an [`Extra`]'s members, each with `[redacted]` for its value.
pub(crate) struct ValuesHidden<'a>(pub &'a Extra);

impl fmt::Debug for ValuesHidden<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Redacted;
        impl fmt::Debug for Redacted {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("[redacted]")
            }
        }
        f.debug_map()
            .entries(self.0.keys().map(|name| (name, Redacted)))
            .finish()
    }
}

/// A value that can be decoded straight into a place its caller owns.
///
/// A model is large, and returning it through every layer of a decoder moves it each time;
/// decoding the member of a success envelope into place saves those moves. Models write in
/// place; other types return their value as usual.
pub(crate) trait ReadInto: DeserializeOwned {
    /// Decodes a value into `slot`.
    fn read_into<'de, D: Deserializer<'de>>(
        deserializer: D,
        slot: &mut Option<Self>,
    ) -> Result<(), D::Error> {
        *slot = Some(Self::deserialize(deserializer)?);
        Ok(())
    }
}

impl<T: DeserializeOwned> ReadInto for Vec<T> {}

impl ReadInto for serde_json::Value {}

impl ReadInto for String {}

/// Defines a model: a struct with typed members, each `required` or `optional` (an optional
/// member has type [`Field<T>`]), and an `extra` ([`Extra`]) that keeps every other member.
/// A member's wire name is a literal, or a constant of [`crate::assumed`] when the reference
/// does not show it.
///
/// The generated `Deserialize` matches member names without allocating and refuses duplicate
/// members; `Serialize` writes the typed members in order, then `extra`. A model written
/// `secret pub struct …` is an answer that carries secrets: its `Debug` shows the names of its
/// own `extra` members but not their values, any of which may be a secret the crate does not
/// know (the members of the models inside it print as those models do).
macro_rules! model {
    (
        secret
        $(#[$meta:meta])*
        pub struct $name:ident { $($body:tt)* }
    ) => {
        $crate::model::model!(@define [names] $(#[$meta])* pub struct $name { $($body)* });
    };
    (
        $(#[$meta:meta])*
        pub struct $name:ident { $($body:tt)* }
    ) => {
        $crate::model::model!(@define [values] $(#[$meta])* pub struct $name { $($body)* });
    };
    (
        @define [$extra_debug:ident]
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                $kind:ident $field:ident : $ty:ty = $wire:expr
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq)]
        pub struct $name {
            $(
                $(#[$field_meta])*
                pub $field: $crate::model::model!(@type $kind $ty),
            )*
            /// Members this crate does not type, kept as they were received.
            pub extra: $crate::model::Extra,
        }

        impl $name {
            /// The wire names of the typed members.
            pub const MEMBERS: &'static [&'static str] = &[$($wire),*];
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!($name))
                    $( .field(stringify!($field), &self.$field) )*
                    .field("extra", &$crate::model::model!(@extra_debug $extra_debug self.extra))
                    .finish()
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(None)?;
                $( $crate::model::model!(@ser $kind map, $wire, self.$field); )*
                for (key, value) in &self.extra {
                    // A typed member always wins over an `extra` entry of the same name.
                    if !Self::MEMBERS.contains(&key.as_str()) {
                        map.serialize_entry(key, value)?;
                    }
                }
                map.end()
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            #[inline]
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let mut slot = None;
                <$name as $crate::model::ReadInto>::read_into(deserializer, &mut slot)?;
                slot.ok_or_else(|| <D::Error as ::serde::de::Error>::custom("no value was read"))
            }
        }

        impl $crate::model::ReadInto for $name {
            fn read_into<'de, D: ::serde::Deserializer<'de>>(
                deserializer: D,
                slot: &mut Option<Self>,
            ) -> Result<(), D::Error> {
                #[allow(non_camel_case_types)]
                enum Key {
                    $($field,)*
                    Other(::std::string::String),
                }

                struct KeyVisitor;

                impl KeyVisitor {
                    fn key(name: &str) -> Option<Key> {
                        // An `if` chain rather than a `match`, so that a wire name may be a
                        // constant as well as a literal.
                        $( if name == $wire { return Some(Key::$field); } )*
                        None
                    }
                }

                impl<'de> ::serde::de::Visitor<'de> for KeyVisitor {
                    type Value = Key;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str("a member name")
                    }

                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> Result<Key, E> {
                        Ok(Self::key(v).unwrap_or_else(|| Key::Other(v.to_owned())))
                    }

                    fn visit_string<E: ::serde::de::Error>(
                        self,
                        v: ::std::string::String,
                    ) -> Result<Key, E> {
                        Ok(Self::key(&v).unwrap_or(Key::Other(v)))
                    }
                }

                impl<'de> ::serde::Deserialize<'de> for Key {
                    fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                        d.deserialize_identifier(KeyVisitor)
                    }
                }

                struct ModelVisitor<'s>(&'s mut Option<$name>);

                impl<'de> ::serde::de::Visitor<'de> for ModelVisitor<'_> {
                    type Value = ();

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " object"))
                    }

                    fn visit_map<A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut access: A,
                    ) -> Result<(), A::Error> {
                        use ::serde::de::Error as _;
                        // A required member is read into an `Option`, an optional one straight
                        // into its `Field`, so that it is not moved again at the end.
                        $( let mut $field = $crate::model::model!(@slot $kind $ty); )*
                        let mut extra = $crate::model::Extra::new();
                        while let Some(key) = access.next_key::<Key>()? {
                            match key {
                                $(
                                    Key::$field => {
                                        if $crate::model::model!(@seen $kind $field) {
                                            return Err(A::Error::duplicate_field($wire));
                                        }
                                        $crate::model::model!(@put $kind $field, access.next_value()?);
                                    }
                                )*
                                Key::Other(name) => {
                                    let value: ::serde_json::Value = access.next_value()?;
                                    if extra.contains_key(&name) {
                                        return Err(A::Error::custom(format_args!(
                                            "duplicate field `{name}`"
                                        )));
                                    }
                                    extra.insert(name, value);
                                }
                            }
                        }
                        *self.0 = Some($name {
                            $( $field: $crate::model::model!(@finish $kind $field, $wire, A), )*
                            extra,
                        });
                        Ok(())
                    }
                }

                deserializer.deserialize_map(ModelVisitor(slot))
            }
        }
    };

    (@extra_debug values $extra:expr) => { &$extra };
    (@extra_debug names $extra:expr) => { $crate::model::ValuesHidden(&$extra) };

    (@type required $ty:ty) => { $ty };
    (@type optional $ty:ty) => { $crate::model::Field<$ty> };

    (@ser required $map:ident, $wire:expr, $value:expr) => {
        $map.serialize_entry($wire, &$value)?
    };
    (@ser optional $map:ident, $wire:expr, $value:expr) => {
        if !$value.is_absent() {
            $map.serialize_entry($wire, &$value)?
        }
    };

    (@finish required $field:ident, $wire:expr, $access:ident) => {
        match $field {
            Some(value) => value,
            None => return Err(<$access::Error as ::serde::de::Error>::missing_field($wire)),
        }
    };
    (@finish optional $field:ident, $wire:expr, $access:ident) => {
        $field
    };

    (@slot required $ty:ty) => { ::std::option::Option::<$ty>::None };
    (@slot optional $ty:ty) => { $crate::model::Field::<$ty>::Absent };

    (@seen required $field:ident) => { $field.is_some() };
    (@seen optional $field:ident) => { !$field.is_absent() };

    (@put required $field:ident, $value:expr) => { $field = Some($value) };
    (@put optional $field:ident, $value:expr) => { $field = $value };
}

/// Defines an open enumeration: the values the reference names, and `Other` for any value it
/// does not, kept as text. `Other` never holds a known value when made by `From` or by decoding.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$variant_meta:meta])*
                $variant:ident = $wire:literal
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$variant_meta])* $variant, )*
            /// A value this crate does not know, kept as it was received.
            Other(::std::string::String),
        }

        impl $name {
            /// Every value this crate knows, in the reference's order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),*];

            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )*
                    $name::Other(other) => other,
                }
            }

            /// Whether this is a value the crate knows.
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Other(_))
            }

            fn known(value: &str) -> Option<Self> {
                match value {
                    $( $wire => Some($name::$variant), )*
                    _ => None,
                }
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::known(value).unwrap_or_else(|| $name::Other(value.to_owned()))
            }
        }

        impl From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                Self::known(&value).unwrap_or($name::Other(value))
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visitor;

                impl<'de> ::serde::de::Visitor<'de> for Visitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " string"))
                    }

                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        Ok($name::from(v))
                    }

                    fn visit_string<E: ::serde::de::Error>(
                        self,
                        v: ::std::string::String,
                    ) -> Result<$name, E> {
                        Ok($name::from(v))
                    }
                }

                deserializer.deserialize_str(Visitor)
            }
        }
    };
}

pub(crate) use model;
pub(crate) use open_enum;

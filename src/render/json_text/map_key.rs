//! Map keys in JSON text: JSON keys are strings, so a key is written as
//! serde_json writes it (strings and unit variants as they are, numbers and
//! booleans quoted) or refused as serde_json refuses it.

use std::fmt::{Display, Write as _};

use serde::Serialize;
use serde::ser::{self, Impossible};

use super::{Escaping, JsonText, Unwritable, float_text, key_must_be_a_string};

/// A map key: JSON keys are strings, so numbers and booleans are quoted
/// and anything else is refused, as serde_json does.
pub(super) struct MapKey<'a>(pub(super) &'a mut JsonText);

impl MapKey<'_> {
    fn quoted(self, value: impl Display) -> Result<(), Unwritable> {
        self.0.out.push('"');
        self.0.display(value)?;
        self.0.out.push('"');
        Ok(())
    }
}

impl ser::Serializer for MapKey<'_> {
    type Ok = ();
    type Error = Unwritable;
    type SerializeSeq = Impossible<(), Unwritable>;
    type SerializeTuple = Impossible<(), Unwritable>;
    type SerializeTupleStruct = Impossible<(), Unwritable>;
    type SerializeTupleVariant = Impossible<(), Unwritable>;
    type SerializeMap = Impossible<(), Unwritable>;
    type SerializeStruct = Impossible<(), Unwritable>;
    type SerializeStructVariant = Impossible<(), Unwritable>;

    fn serialize_bool(self, value: bool) -> Result<(), Unwritable> {
        self.quoted(value)
    }

    fn serialize_i8(self, value: i8) -> Result<(), Unwritable> {
        self.quoted(value)
    }

    fn serialize_i16(self, value: i16) -> Result<(), Unwritable> {
        self.quoted(value)
    }

    fn serialize_i32(self, value: i32) -> Result<(), Unwritable> {
        self.quoted(value)
    }

    fn serialize_i64(self, value: i64) -> Result<(), Unwritable> {
        self.quoted(value)
    }

    fn serialize_i128(self, value: i128) -> Result<(), Unwritable> {
        self.quoted(value)
    }

    fn serialize_u8(self, value: u8) -> Result<(), Unwritable> {
        self.quoted(value)
    }

    fn serialize_u16(self, value: u16) -> Result<(), Unwritable> {
        self.quoted(value)
    }

    fn serialize_u32(self, value: u32) -> Result<(), Unwritable> {
        self.quoted(value)
    }

    fn serialize_u64(self, value: u64) -> Result<(), Unwritable> {
        self.quoted(value)
    }

    fn serialize_u128(self, value: u128) -> Result<(), Unwritable> {
        self.quoted(value)
    }

    fn serialize_f32(self, value: f32) -> Result<(), Unwritable> {
        if !value.is_finite() {
            return Err(key_must_be_a_string());
        }
        let text = float_text(value)?;
        self.quoted(text)
    }

    fn serialize_f64(self, value: f64) -> Result<(), Unwritable> {
        if !value.is_finite() {
            return Err(key_must_be_a_string());
        }
        let text = float_text(value)?;
        self.quoted(text)
    }

    fn serialize_char(self, value: char) -> Result<(), Unwritable> {
        self.0.string(value.encode_utf8(&mut [0; 4]));
        Ok(())
    }

    fn serialize_str(self, value: &str) -> Result<(), Unwritable> {
        self.0.string(value);
        Ok(())
    }

    fn serialize_bytes(self, _value: &[u8]) -> Result<(), Unwritable> {
        Err(key_must_be_a_string())
    }

    fn serialize_none(self) -> Result<(), Unwritable> {
        Err(key_must_be_a_string())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<(), Unwritable> {
        Err(key_must_be_a_string())
    }

    fn serialize_unit(self) -> Result<(), Unwritable> {
        Err(key_must_be_a_string())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Unwritable> {
        Err(key_must_be_a_string())
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Unwritable> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Unwritable> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), Unwritable> {
        Err(key_must_be_a_string())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Unwritable> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Unwritable> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Unwritable> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Unwritable> {
        Err(key_must_be_a_string())
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Unwritable> {
        Err(key_must_be_a_string())
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Unwritable> {
        Err(key_must_be_a_string())
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Unwritable> {
        Err(key_must_be_a_string())
    }

    fn collect_str<T: Display + ?Sized>(self, value: &T) -> Result<(), Unwritable> {
        self.0.out.push('"');
        write!(Escaping(&mut self.0.out), "{value}")
            .map_err(|_| Unwritable("a value failed to display".into()))?;
        self.0.out.push('"');
        Ok(())
    }
}

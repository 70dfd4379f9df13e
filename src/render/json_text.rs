//! JSON text written straight into a `String`, byte for byte what
//! `serde_json::to_string` and `to_string_pretty` write for the same value.
//!
//! Reports are the one large thing dossier serialises, and serde_json
//! writes to an `io::Write`: the bytes then had to be checked again as
//! UTF-8 to become the `String` a batch is made of, and its escaping looks
//! at strings a byte at a time. Here every piece written is already a
//! `&str`, so the text is never re-checked, and a string is copied in runs
//! between the bytes JSON escapes, found eight bytes at a time.
//!
//! The rules are serde_json's: `"` and `\` and the control bytes below
//! U+0020 are escaped (`\b \t \n \f \r` short, others `\u00XX` in lower
//! case hex); `/`, DEL and everything non-ASCII (U+2028 and U+2029
//! included) are written as they are. Pretty text indents by two spaces
//! and writes empty objects and arrays as `{}` and `[]`. The tests hold
//! every shape and every byte to serde_json itself.

use std::fmt::{self, Display, Write as _};

use serde::Serialize;
use serde::ser;

use compound::Compound;

/// `value` as compact JSON text (`serde_json::to_string`), in a buffer
/// with room for `capacity` bytes; `None` when its `Serialize` fails.
pub(super) fn compact<T: Serialize + ?Sized>(value: &T, capacity: usize) -> Option<String> {
    write(value, capacity, false)
}

/// `value` as indented JSON text (`serde_json::to_string_pretty`).
pub(super) fn pretty<T: Serialize + ?Sized>(value: &T, capacity: usize) -> Option<String> {
    write(value, capacity, true)
}

fn write<T: Serialize + ?Sized>(value: &T, capacity: usize, pretty: bool) -> Option<String> {
    let mut text = JsonText {
        out: String::with_capacity(capacity),
        pretty,
        depth: 0,
    };
    value.serialize(&mut text).ok()?;
    Some(text.out)
}

/// The text so far, and where the pretty layout is.
struct JsonText {
    out: String,
    pretty: bool,
    /// Objects and arrays open around the next value.
    depth: usize,
}

/// Why a value could not be written: a map key JSON cannot hold, or an
/// error raised by the value's own `Serialize`.
#[derive(Debug)]
pub(super) struct Unwritable(String);

impl Display for Unwritable {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        out.write_str(&self.0)
    }
}

impl std::error::Error for Unwritable {}

impl ser::Error for Unwritable {
    fn custom<T: Display>(message: T) -> Self {
        Unwritable(message.to_string())
    }
}

fn key_must_be_a_string() -> Unwritable {
    Unwritable("key must be a string".to_string())
}

impl JsonText {
    fn newline(&mut self) {
        self.out.push('\n');
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    /// Opens an object or array (`{` or `[`).
    fn open(&mut self, bracket: char) {
        self.depth += 1;
        self.out.push(bracket);
    }

    /// Closes an object or array that held `any` entries.
    fn close(&mut self, bracket: char, any: bool) {
        self.depth -= 1;
        if self.pretty && any {
            self.newline();
        }
        self.out.push(bracket);
    }

    /// Before an entry: its separator, and its line when pretty.
    fn entry(&mut self, first: bool) {
        if !first {
            self.out.push(',');
        }
        if self.pretty {
            self.newline();
        }
    }

    /// Between a key and its value.
    fn colon(&mut self) {
        self.out.push_str(if self.pretty { ": " } else { ":" });
    }

    fn string(&mut self, text: &str) {
        self.out.push('"');
        push_escaped(&mut self.out, text);
        self.out.push('"');
    }

    /// A struct's field name and its colon. (`push_escaped` already copies
    /// a name that needs no escape in one piece.)
    fn field_name(&mut self, name: &'static str) {
        self.string(name);
        self.colon();
    }

    /// `{"variant":` of an externally tagged enum variant, open.
    fn open_variant(&mut self, variant: &str) {
        self.open('{');
        self.entry(true);
        self.string(variant);
        self.colon();
    }

    /// Closes what [`JsonText::open_variant`] opened.
    fn close_variant(&mut self) {
        self.close('}', true);
    }

    fn compound(&mut self, bracket: char) -> Compound<'_> {
        self.open(bracket);
        Compound {
            text: self,
            first: true,
            variant: false,
        }
    }

    fn display(&mut self, value: impl Display) -> Result<(), Unwritable> {
        write!(self.out, "{value}").map_err(|_| Unwritable("a value failed to display".into()))
    }
}

/// `text` with JSON's escapes, appended to `out` in runs that need none.
fn push_escaped(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut start = 0;
    while let Some(at) = next_escaped(bytes, start) {
        // `at` is an ASCII byte, so both slices end on character boundaries.
        out.push_str(&text[start..at]);
        push_escape(out, bytes[at]);
        start = at + 1;
    }
    out.push_str(&text[start..]);
}

/// The first byte from `from` on that JSON escapes: eight bytes are looked
/// at together until some byte among them needs it.
fn next_escaped(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    for chunk in bytes[from..].chunks_exact(8) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        if any_escaped(u64::from_le_bytes(word)) {
            break;
        }
        at += 8;
    }
    bytes[at..]
        .iter()
        .position(|&byte| is_escaped(byte))
        .map(|offset| at + offset)
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether any of the eight bytes of `word` is below `limit` (at most
/// 0x80): exact as a yes or no, though not as to which byte.
fn any_below(word: u64, limit: u8) -> bool {
    word.wrapping_sub(ONES * u64::from(limit)) & !word & HIGHS != 0
}

/// Whether any byte of `word` is one JSON escapes.
fn any_escaped(word: u64) -> bool {
    any_below(word, 0x20)
        || any_below(word ^ (ONES * 0x22), 1)
        || any_below(word ^ (ONES * 0x5C), 1)
}

fn is_escaped(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

fn push_escape(out: &mut String, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let short = match byte {
        b'"' => "\\\"",
        b'\\' => "\\\\",
        0x08 => "\\b",
        0x0C => "\\f",
        b'\n' => "\\n",
        b'\r' => "\\r",
        b'\t' => "\\t",
        _ => {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xF)]));
            return;
        }
    };
    out.push_str(short);
}

/// `value` in decimal, as serde_json (and `Display`) writes it, without
/// the formatting machinery: report counts and lines are many.
fn push_unsigned(out: &mut String, value: u64) {
    let mut digits = [0u8; 20];
    let mut rest = value;
    let mut start = digits.len();
    loop {
        start -= 1;
        // A remainder below ten: the cast keeps it whole.
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for &digit in &digits[start..] {
        out.push(char::from(digit));
    }
}

fn push_signed(out: &mut String, value: i64) {
    if value < 0 {
        out.push('-');
    }
    push_unsigned(out, value.unsigned_abs());
}

/// Displayed text, escaped as it is written (`collect_str`).
struct Escaping<'a>(&'a mut String);

impl fmt::Write for Escaping<'_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        push_escaped(self.0, text);
        Ok(())
    }
}

/// Floats are written by serde_json itself (its shortest round-trip form,
/// `null` when not finite): reports hold none, and a copy of that
/// algorithm is not worth keeping.
fn float_text<T: Serialize>(value: T) -> Result<String, Unwritable> {
    serde_json::to_string(&value).map_err(|error| Unwritable(error.to_string()))
}

impl<'a> ser::Serializer for &'a mut JsonText {
    type Ok = ();
    type Error = Unwritable;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, value: bool) -> Result<(), Unwritable> {
        self.out.push_str(if value { "true" } else { "false" });
        Ok(())
    }

    fn serialize_i8(self, value: i8) -> Result<(), Unwritable> {
        push_signed(&mut self.out, i64::from(value));
        Ok(())
    }

    fn serialize_i16(self, value: i16) -> Result<(), Unwritable> {
        push_signed(&mut self.out, i64::from(value));
        Ok(())
    }

    fn serialize_i32(self, value: i32) -> Result<(), Unwritable> {
        push_signed(&mut self.out, i64::from(value));
        Ok(())
    }

    fn serialize_i64(self, value: i64) -> Result<(), Unwritable> {
        push_signed(&mut self.out, value);
        Ok(())
    }

    fn serialize_i128(self, value: i128) -> Result<(), Unwritable> {
        self.display(value)
    }

    fn serialize_u8(self, value: u8) -> Result<(), Unwritable> {
        push_unsigned(&mut self.out, u64::from(value));
        Ok(())
    }

    fn serialize_u16(self, value: u16) -> Result<(), Unwritable> {
        push_unsigned(&mut self.out, u64::from(value));
        Ok(())
    }

    fn serialize_u32(self, value: u32) -> Result<(), Unwritable> {
        push_unsigned(&mut self.out, u64::from(value));
        Ok(())
    }

    fn serialize_u64(self, value: u64) -> Result<(), Unwritable> {
        push_unsigned(&mut self.out, value);
        Ok(())
    }

    fn serialize_u128(self, value: u128) -> Result<(), Unwritable> {
        self.display(value)
    }

    fn serialize_f32(self, value: f32) -> Result<(), Unwritable> {
        let text = float_text(value)?;
        self.out.push_str(&text);
        Ok(())
    }

    fn serialize_f64(self, value: f64) -> Result<(), Unwritable> {
        let text = float_text(value)?;
        self.out.push_str(&text);
        Ok(())
    }

    fn serialize_char(self, value: char) -> Result<(), Unwritable> {
        self.string(value.encode_utf8(&mut [0; 4]));
        Ok(())
    }

    fn serialize_str(self, value: &str) -> Result<(), Unwritable> {
        self.string(value);
        Ok(())
    }

    fn serialize_bytes(self, value: &[u8]) -> Result<(), Unwritable> {
        let mut bytes = self.compound('[');
        for byte in value {
            ser::SerializeSeq::serialize_element(&mut bytes, byte)?;
        }
        ser::SerializeSeq::end(bytes)
    }

    fn serialize_none(self) -> Result<(), Unwritable> {
        self.serialize_unit()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Unwritable> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Unwritable> {
        self.out.push_str("null");
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Unwritable> {
        self.serialize_unit()
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
        variant: &'static str,
        value: &T,
    ) -> Result<(), Unwritable> {
        self.open_variant(variant);
        value.serialize(&mut *self)?;
        self.close_variant();
        Ok(())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>, Unwritable> {
        Ok(self.compound('['))
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, Unwritable> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, Unwritable> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, Unwritable> {
        self.open_variant(variant);
        let mut compound = self.compound('[');
        compound.variant = true;
        Ok(compound)
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>, Unwritable> {
        Ok(self.compound('{'))
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, Unwritable> {
        Ok(self.compound('{'))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, Unwritable> {
        self.open_variant(variant);
        let mut compound = self.compound('{');
        compound.variant = true;
        Ok(compound)
    }

    fn collect_str<T: Display + ?Sized>(self, value: &T) -> Result<(), Unwritable> {
        self.out.push('"');
        write!(Escaping(&mut self.out), "{value}")
            .map_err(|_| Unwritable("a value failed to display".into()))?;
        self.out.push('"');
        Ok(())
    }
}

mod compound;
mod map_key;
#[cfg(test)]
mod tests;

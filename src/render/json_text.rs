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
/// (Reports are written by `json::direct` through [`JsonText`]; these two
/// are the serde path its tests and this module's are held to.)
#[cfg(test)]
pub(super) fn compact<T: Serialize + ?Sized>(value: &T, capacity: usize) -> Option<String> {
    write(value, capacity, false)
}

/// `value` as indented JSON text (`serde_json::to_string_pretty`).
#[cfg(test)]
pub(super) fn pretty<T: Serialize + ?Sized>(value: &T, capacity: usize) -> Option<String> {
    write(value, capacity, true)
}

#[cfg(test)]
fn write<T: Serialize + ?Sized>(value: &T, capacity: usize, pretty: bool) -> Option<String> {
    let mut text = JsonText::new(capacity, pretty);
    value.serialize(&mut text).ok()?;
    Some(text.out)
}

/// The text so far, and where the pretty layout is. The report writer
/// (`json::direct`) writes through the same layout, so a value it hands to
/// serde sits exactly where serde_json would put it.
pub(super) struct JsonText {
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

    /// Text in a buffer with room for `capacity` bytes, compact or pretty.
    pub(super) fn new(capacity: usize, pretty: bool) -> JsonText {
        JsonText {
            out: String::with_capacity(capacity),
            pretty,
            depth: 0,
        }
    }

    /// The text written.
    pub(super) fn into_text(self) -> String {
        self.out
    }

    /// Opens an object (`{`) or array (`[`) whose entries follow.
    pub(super) fn begin(&mut self, bracket: char) {
        self.open(bracket);
    }

    /// Closes what [`JsonText::begin`] opened, which held `any` entries.
    pub(super) fn end(&mut self, bracket: char, any: bool) {
        self.close(bracket, any);
    }

    /// Before an array's element: its separator and its line.
    pub(super) fn element(&mut self, first: bool) {
        self.entry(first);
    }

    /// An object's key and its colon, `name` being a Rust field name, which
    /// JSON writes as it is (no byte of one needs an escape).
    pub(super) fn key(&mut self, first: bool, name: &'static str) {
        debug_assert!(name.bytes().all(|b| !is_escaped(b)), "{name}");
        self.entry(first);
        self.out.push('"');
        self.out.push_str(name);
        self.out.push_str(if self.pretty { "\": " } else { "\":" });
    }

    /// An object's key that is text of any kind (a map's key), and its colon.
    pub(super) fn text_key(&mut self, first: bool, name: &str) {
        self.entry(first);
        self.string(name);
        self.colon();
    }

    /// A string value.
    pub(super) fn text(&mut self, text: &str) {
        self.string(text);
    }

    /// A string value, or `null`.
    pub(super) fn optional_text(&mut self, text: Option<&str>) {
        match text {
            Some(text) => self.string(text),
            None => self.null(),
        }
    }

    /// A string value whose text is written by `write`, escaped as it comes.
    pub(super) fn text_written(&mut self, write: impl FnOnce(&mut Escaping<'_>) -> fmt::Result) {
        self.out.push('"');
        // Escaping into a String never fails.
        let _ = write(&mut Escaping(&mut self.out));
        self.out.push('"');
    }

    /// A value that is already JSON text and needs no layout of its own
    /// (`null`, `true`, a quoted name).
    /// A name that needs no escaping (a status, a severity), as a string.
    pub(super) fn name(&mut self, name: &'static str) {
        debug_assert!(name.bytes().all(|b| !is_escaped(b)), "{name}");
        self.out.push('"');
        self.out.push_str(name);
        self.out.push('"');
    }

    pub(super) fn literal(&mut self, json: &'static str) {
        self.out.push_str(json);
    }

    pub(super) fn null(&mut self) {
        self.out.push_str("null");
    }

    pub(super) fn unsigned(&mut self, value: u64) {
        push_unsigned(&mut self.out, value);
    }

    /// Any other value, through serde, laid out where it stands.
    pub(super) fn serialized<T: Serialize + ?Sized>(&mut self, value: &T) -> Option<()> {
        value.serialize(self).ok()
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
/// Eight bytes are looked at together, the last few padded with spaces
/// (which need no escape), and the first byte to escape among them is
/// found from the same word: no byte is looked at twice.
fn push_escaped(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut at = 0;
    while at < bytes.len() {
        let hits = escaped_bytes(word_at(bytes, at));
        if hits == 0 {
            at += 8;
            continue;
        }
        // The lowest byte flagged is exact (see `below`), and padding is
        // never flagged, so `hit` is a byte of `text`; an ASCII one, so both
        // slices end on character boundaries.
        let hit = at + (hits.trailing_zeros() / 8) as usize;
        out.push_str(&text[start..hit]);
        push_escape(out, bytes[hit]);
        start = hit + 1;
        at = hit + 1;
    }
    out.push_str(&text[start..]);
}

/// The eight bytes of `bytes` from `at` on as a little-endian word (the
/// first byte lowest), spaces standing in for bytes past the end.
fn word_at(bytes: &[u8], at: usize) -> u64 {
    let mut word = [b' '; 8];
    match bytes.get(at..at + 8) {
        Some(chunk) => word.copy_from_slice(chunk),
        None => {
            let rest = &bytes[at..];
            word[..rest.len()].copy_from_slice(rest);
        }
    }
    u64::from_le_bytes(word)
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` below `limit` (at most 0x80) set.
/// Only the lowest byte flagged is sure to be one: a byte below `limit`
/// borrows from the byte above it, which may then be flagged too. Below
/// the lowest such byte nothing borrows, so nothing is flagged wrongly.
fn below(word: u64, limit: u8) -> u64 {
    word.wrapping_sub(ONES * u64::from(limit)) & !word & HIGHS
}

/// The bytes of `word` that JSON escapes, flagged as [`below`] flags them
/// (the lowest flag exact).
fn escaped_bytes(word: u64) -> u64 {
    below(word, 0x20) | below(word ^ (ONES * 0x22), 1) | below(word ^ (ONES * 0x5C), 1)
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
pub(super) struct Escaping<'a>(&'a mut String);

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

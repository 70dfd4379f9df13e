//! Which bytes the fast reader looks at closely: characters that any YAML
//! reader might treat specially anywhere, and the first bytes of a scalar
//! that YAML gives a meaning.

/// No byte that any YAML reader might treat specially: tabs, carriage
/// returns, other control characters, C1 controls (NEL among them), a byte
/// order mark, line or paragraph separators, non-characters.
///
/// Blocks of 32 bytes are first screened branch-free (which the compiler
/// turns into vector compares) for a control byte or one of the three lead
/// bytes of those characters; only a block with one is looked at closely.
pub(super) fn plain_characters(bytes: &[u8]) -> bool {
    const BLOCK: usize = 32;
    let suspect = |byte: u8| {
        (byte < 0x20 && byte != b'\n')
            | (byte == 0x7f)
            | (byte == 0xc2)
            | (byte == 0xe2)
            | (byte == 0xef)
    };
    let clean = |block: &[u8]| !block.iter().fold(false, |any, &byte| any | suspect(byte));
    let blocks = bytes.chunks_exact(BLOCK);
    let tail = blocks.remainder();
    for (index, block) in blocks.enumerate() {
        if !clean(block) && !plain_from(bytes, index * BLOCK, BLOCK) {
            return false;
        }
    }
    clean(tail) || plain_from(bytes, bytes.len() - tail.len(), tail.len())
}

/// [`plain_characters`] byte by byte, for the `length` bytes from `start`
/// (a character may run past them; its bytes are looked at where it starts).
fn plain_from(bytes: &[u8], start: usize, length: usize) -> bool {
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    (start..start + length).all(|i| match at(i) {
        b'\n' => true,
        0..0x20 | 0x7f => false,
        0xc2 => at(i + 1) >= 0xa0,
        0xe2 => !(at(i + 1) == 0x80 && matches!(at(i + 2), 0xa8 | 0xa9)),
        0xef => {
            !((at(i + 1) == 0xbb && at(i + 2) == 0xbf) || (at(i + 1) == 0xbf && at(i + 2) >= 0xbe))
        }
        _ => true,
    })
}

/// A byte that YAML gives a meaning at the start of a scalar (or that this
/// reader does not take there: `-`, `?` and `:` may start a plain scalar
/// when a non-space follows, but are declined all the same).
pub(super) fn indicator(byte: u8) -> bool {
    matches!(
        byte,
        b'-' | b'?'
            | b':'
            | b','
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'\''
            | b'"'
            | b'%'
            | b'@'
            | b'`'
            | b' '
    )
}

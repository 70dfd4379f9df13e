//! What an attachment's bytes are, whichever source they come from: PDF,
//! JPEG or PNG by content, complete (its end marker), within the size limit,
//! and matching its declared `sha256`.
//!
//! How the bytes are reached safely is the source's concern (a folder's
//! confinement, an archive's entry table); this half only reads what it is
//! handed.

use std::fs::File;
use std::os::unix::fs::FileExt;

use sha2::{Digest, Sha256};

use super::attachment::AttachmentProblem;

/// What an attachment's bytes say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Jpeg,
    Png,
}

impl FileKind {
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Pdf => "PDF",
            FileKind::Jpeg => "JPEG",
            FileKind::Png => "PNG",
        }
    }

    fn sniff(head: &[u8]) -> Option<FileKind> {
        if head.starts_with(b"%PDF-") {
            Some(FileKind::Pdf)
        } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileKind::Jpeg)
        } else if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(FileKind::Png)
        } else {
            None
        }
    }

    /// Whether the file's last bytes hold the format's end marker, so a
    /// truncated upload is caught.
    fn is_complete(self, tail: &[u8]) -> bool {
        match self {
            FileKind::Pdf => tail.windows(5).any(|w| w == b"%%EOF"),
            FileKind::Jpeg => tail.windows(2).any(|w| w == [0xFF, 0xD9]),
            FileKind::Png => tail
                .windows(8)
                .any(|w| w == [b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82]),
        }
    }

    fn from_extension(path: &str) -> Option<FileKind> {
        let extension = path.rsplit_once('.')?.1.to_ascii_lowercase();
        match extension.as_str() {
            "pdf" => Some(FileKind::Pdf),
            "jpg" | "jpeg" => Some(FileKind::Jpeg),
            "png" => Some(FileKind::Png),
            _ => None,
        }
    }
}

/// The outcome of checking one attachment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttachmentCheck {
    Valid {
        kind: FileKind,
        size: u64,
        sha256_verified: bool,
        /// The file name's extension names this format (else a warning).
        extension_agrees: bool,
    },
    Invalid(AttachmentProblem),
}

/// An attachment its source has reached, ready to be judged by its bytes.
#[derive(Debug)]
pub enum Opened<'a> {
    /// A regular file, opened and confirmed by its handle; `size` is the
    /// handle's size when it was confirmed.
    File { file: File, size: u64 },
    /// Bytes already in memory: an upload or an archive entry.
    Bytes(&'a [u8]),
}

/// Bytes read from each end to recognise a format and its end marker.
const SNIFF_BYTES: usize = 16;
const TAIL_BYTES: u64 = 1024;

/// The declared digest in lower case, or why it cannot be one.
pub(crate) fn declared_digest(declared: Option<&str>) -> Result<Option<String>, AttachmentProblem> {
    match declared {
        Some(digest) if digest.len() != 64 || !digest.bytes().all(|b| b.is_ascii_hexdigit()) => {
            Err(AttachmentProblem::BadDigest)
        }
        other => Ok(other.map(str::to_ascii_lowercase)),
    }
}

/// Judges the bytes of the attachment `reference` names. `declared` (from
/// [`declared_digest`]) is verified when given; the bytes are hashed only then.
pub(crate) fn judge_content(
    opened: Opened<'_>,
    reference: &str,
    declared: Option<&str>,
    limit: u64,
) -> Result<AttachmentCheck, AttachmentProblem> {
    let (kind, size, sha256_verified) = match opened {
        Opened::Bytes(bytes) => judge_bytes(bytes, declared, limit)?,
        Opened::File { file, size } => judge_file(&file, size, declared, limit)?,
    };
    Ok(AttachmentCheck::Valid {
        kind,
        size,
        sha256_verified,
        extension_agrees: FileKind::from_extension(reference) == Some(kind),
    })
}

fn judge_bytes(
    bytes: &[u8],
    declared: Option<&str>,
    limit: u64,
) -> Result<(FileKind, u64, bool), AttachmentProblem> {
    let size = bytes.len() as u64;
    if size > limit {
        return Err(AttachmentProblem::TooLarge { size, limit });
    }
    if size == 0 {
        return Err(AttachmentProblem::Empty);
    }
    let kind = FileKind::sniff(&bytes[..bytes.len().min(SNIFF_BYTES)])
        .ok_or(AttachmentProblem::UnknownFormat)?;
    let tail = &bytes[bytes.len().saturating_sub(TAIL_BYTES as usize)..];
    if !kind.is_complete(tail) {
        return Err(AttachmentProblem::Truncated(kind));
    }
    let verified = match declared {
        None => false,
        Some(declared) => {
            let actual = hex(&Sha256::digest(bytes));
            if actual != declared {
                return Err(AttachmentProblem::DigestMismatch { actual });
            }
            true
        }
    };
    Ok((kind, size, verified))
}

fn judge_file(
    file: &File,
    size: u64,
    declared: Option<&str>,
    limit: u64,
) -> Result<(FileKind, u64, bool), AttachmentProblem> {
    if size > limit {
        return Err(AttachmentProblem::TooLarge { size, limit });
    }
    if size == 0 {
        return Err(AttachmentProblem::Empty);
    }
    // A file hashed anyway, or a small one, is read whole in one system
    // call: its head, its tail and its digest all come from that read.
    let whole = match declared {
        Some(_) => size < WHOLE_READ_BYTES,
        None => size <= SMALL_FILE_BYTES,
    };
    if whole {
        return judge_whole_file(file, size, declared);
    }
    // Positioned reads: the head and the tail cost one system call each,
    // with no seek between them.
    let mut head = [0u8; SNIFF_BYTES];
    let read = read_at_most(file, &mut head, 0, size)?;
    let kind = FileKind::sniff(&head[..read]).ok_or(AttachmentProblem::UnknownFormat)?;
    let tail_start = size.saturating_sub(TAIL_BYTES);
    let mut tail = [0u8; TAIL_BYTES as usize];
    // Up to a whole tail's worth, as before: a small file that grew since
    // its size was taken reads past that size and is caught below.
    let tail_read = read_at_most(file, &mut tail, tail_start, size)?;
    if tail_start + tail_read as u64 != size {
        return Err(AttachmentProblem::ChangedWhileRead);
    }
    if !kind.is_complete(&tail[..tail_read]) {
        return Err(AttachmentProblem::Truncated(kind));
    }
    let verified = match declared {
        None => false,
        Some(declared) => {
            let actual = sha256_hex(file, size, limit)?;
            if actual != declared {
                return Err(AttachmentProblem::DigestMismatch { actual });
            }
            true
        }
    };
    Ok((kind, size, verified))
}

/// [`judge_file`] for a file read whole in one call (under
/// [`WHOLE_READ_BYTES`]): the same judgements, in the same order, on the
/// same bytes the head, tail and hash reads would have read. A file hashed
/// is read one byte past its size, so one that grew since its size was
/// taken shows it, as reading to its end did; one that is not hashed is
/// read as far as its tail read went.
fn judge_whole_file(
    file: &File,
    size: u64,
    declared: Option<&str>,
) -> Result<(FileKind, u64, bool), AttachmentProblem> {
    let length = usize::try_from(size).map_err(|_| AttachmentProblem::ChangedWhileRead)?;
    let wanted = match declared {
        Some(_) => length + 1,
        None => length.max(TAIL_BYTES as usize),
    };
    FILE_BUFFER.with(|buffer| {
        let mut buffer = buffer.borrow_mut();
        if buffer.len() < wanted {
            buffer.resize(wanted, 0);
        }
        let read = read_at_most(file, &mut buffer[..wanted], 0, size)?;
        let bytes = &buffer[..read];
        let kind = FileKind::sniff(&bytes[..read.min(SNIFF_BYTES)])
            .ok_or(AttachmentProblem::UnknownFormat)?;
        let tail_start = length.saturating_sub(TAIL_BYTES as usize);
        let tail = bytes
            .get(tail_start..read.min(tail_start + TAIL_BYTES as usize))
            .unwrap_or_default();
        if tail_start + tail.len() != length {
            return Err(AttachmentProblem::ChangedWhileRead);
        }
        if !kind.is_complete(tail) {
            return Err(AttachmentProblem::Truncated(kind));
        }
        let verified = match declared {
            None => false,
            Some(declared) => {
                if read != length {
                    return Err(AttachmentProblem::ChangedWhileRead);
                }
                let actual = hex(&Sha256::digest(bytes));
                if actual != declared {
                    return Err(AttachmentProblem::DigestMismatch { actual });
                }
                true
            }
        };
        Ok((kind, size, verified))
    })
}

fn unreadable(error: std::io::Error) -> AttachmentProblem {
    AttachmentProblem::Unreadable(error.kind().to_string())
}

/// Fills `buffer` from `offset` on, or as much of it as the file holds. A
/// read that comes back short exactly at `size` (the size the handle gave)
/// is the file's end: a regular file reads short only at its end, so no
/// further call is made to hear it say so. Short anywhere else, it is asked
/// again until it gives nothing.
fn read_at_most(
    file: &File,
    buffer: &mut [u8],
    offset: u64,
    size: u64,
) -> Result<usize, AttachmentProblem> {
    let mut filled = 0;
    while filled < buffer.len() {
        match file.read_at(&mut buffer[filled..], offset + filled as u64) {
            Ok(0) => break,
            Ok(n) => {
                filled += n;
                if offset + filled as u64 == size {
                    break;
                }
            }
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(unreadable(error)),
        }
    }
    Ok(filled)
}

/// Bytes read per system call while hashing a file too large to be read
/// whole.
const HASH_CHUNK: usize = 64 * 1024;

/// A hashed file smaller than this is read whole in one call: the attachments
/// of real bundles (scans of a few dozen to a few hundred KiB) mostly are.
const WHOLE_READ_BYTES: u64 = 256 * 1024;

/// A file not hashed and no larger than this is read whole in one call
/// rather than its head and tail in two: copying this much costs less than
/// the second system call.
const SMALL_FILE_BYTES: u64 = 16 * 1024;

thread_local! {
    /// One buffer per thread, zeroed once: a fresh one per file cost more
    /// than hashing a small file. It grows to the largest file read whole
    /// (at most [`WHOLE_READ_BYTES`]) or to [`HASH_CHUNK`].
    static FILE_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The sha256 of the whole file, read from its start whatever was read
/// before; a file that is not `size` bytes long when read has changed.
fn sha256_hex(file: &File, size: u64, limit: u64) -> Result<String, AttachmentProblem> {
    FILE_BUFFER.with(|buffer| {
        let mut buffer = buffer.borrow_mut();
        if buffer.len() < HASH_CHUNK {
            buffer.resize(HASH_CHUNK, 0);
        }
        let mut hasher = Sha256::new();
        let mut total = 0u64;
        loop {
            let read = match file.read_at(&mut buffer[..HASH_CHUNK], total) {
                Ok(0) => break,
                Ok(n) => n,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(unreadable(error)),
            };
            total += read as u64;
            if total > limit {
                return Err(AttachmentProblem::ChangedWhileRead);
            }
            hasher.update(&buffer[..read]);
            // Short at the size the handle gave: the end (see `read_at_most`).
            if total == size && read < HASH_CHUNK {
                break;
            }
        }
        if total != size {
            return Err(AttachmentProblem::ChangedWhileRead);
        }
        Ok(hex(&hasher.finalize()))
    })
}

fn hex(digest: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(digest.len() * 2);
    for byte in digest {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] = b"%PDF-1.4\n1 0 obj\n%%EOF\n";

    #[test]
    fn bytes_are_judged_by_content_end_marker_and_digest() {
        let digest = hex(&Sha256::digest(PDF));
        let check = judge_content(Opened::Bytes(PDF), "a.pdf", Some(&digest), 100).unwrap();
        assert_eq!(
            check,
            AttachmentCheck::Valid {
                kind: FileKind::Pdf,
                size: PDF.len() as u64,
                sha256_verified: true,
                extension_agrees: true,
            }
        );
        let wrong = "0".repeat(64);
        assert!(matches!(
            judge_content(Opened::Bytes(PDF), "a.pdf", Some(&wrong), 100),
            Err(AttachmentProblem::DigestMismatch { .. })
        ));
        assert_eq!(
            judge_content(Opened::Bytes(&PDF[..12]), "a.pdf", None, 100),
            Err(AttachmentProblem::Truncated(FileKind::Pdf))
        );
        assert_eq!(
            judge_content(Opened::Bytes(b"PK\x03\x04zip"), "a.zip", None, 100),
            Err(AttachmentProblem::UnknownFormat)
        );
        assert_eq!(
            judge_content(Opened::Bytes(b""), "a.pdf", None, 100),
            Err(AttachmentProblem::Empty)
        );
        assert_eq!(
            judge_content(Opened::Bytes(PDF), "a.pdf", None, 10),
            Err(AttachmentProblem::TooLarge {
                size: PDF.len() as u64,
                limit: 10
            })
        );
    }

    #[test]
    fn a_file_and_the_same_bytes_get_the_same_verdict() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.png");
        std::fs::write(&path, PDF).unwrap();
        let file = File::open(&path).unwrap();
        let size = PDF.len() as u64;
        let digest = hex(&Sha256::digest(PDF));
        let from_file = judge_content(Opened::File { file, size }, "a.png", Some(&digest), 100);
        let from_bytes = judge_content(Opened::Bytes(PDF), "a.png", Some(&digest), 100);
        assert_eq!(from_file, from_bytes);
        assert!(matches!(
            from_file,
            Ok(AttachmentCheck::Valid {
                extension_agrees: false,
                ..
            })
        ));
    }

    #[test]
    fn declared_digests_must_be_64_hex_digits() {
        assert_eq!(
            declared_digest(Some("abc")),
            Err(AttachmentProblem::BadDigest)
        );
        assert_eq!(
            declared_digest(Some(&"AB".repeat(32))).unwrap(),
            Some("ab".repeat(32))
        );
        assert_eq!(declared_digest(None).unwrap(), None);
    }
}

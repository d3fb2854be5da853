//! Reading a file the user named (a policy, `--config`): never more than the document limit
//! (a file over it is refused before it is read; a stream such as `/dev/zero` is cut off at
//! the limit), and decoded as the file says it is encoded: UTF-8 with or without a byte order
//! mark, UTF-16 with one; anything else that declares itself (UTF-32) is a clear error.

use std::fmt;
use std::io::{self, Read};
use std::path::Path;

use crate::analysis::MAX_DOCUMENT_BYTES;

/// The most bytes read from one file.
pub(super) const LIMIT: u64 = MAX_DOCUMENT_BYTES as u64;

/// Why a file was not read.
#[derive(Debug)]
pub(super) enum ReadError {
    Io(io::Error),
    /// Over [`LIMIT`]: `Some(size)` when the size was known before reading (nothing was read),
    /// `None` for a stream, cut off at the limit.
    TooLarge(Option<u64>),
    /// A byte order mark of an encoding we do not decode.
    Encoding(&'static str),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let limit = format!("{LIMIT} bytes ({} MiB)", LIMIT >> 20);
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::TooLarge(Some(size)) => write!(
                f,
                "the file is {size} bytes, over the limit of {limit}: not read"
            ),
            ReadError::TooLarge(None) => {
                write!(f, "more than {limit} to read: reading stopped at the limit")
            }
            ReadError::Encoding(name) => write!(
                f,
                "the file is {name} (it starts with that byte order mark); save it as UTF-8"
            ),
        }
    }
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        ReadError::Io(e)
    }
}

/// The file's bytes, at most [`LIMIT`] of them.
pub(super) fn read_limited(path: &Path) -> Result<Vec<u8>, ReadError> {
    let file = std::fs::File::open(path)?;
    let metadata = file.metadata()?;
    if metadata.is_dir() {
        return Err(ReadError::Io(io::Error::new(
            io::ErrorKind::IsADirectory,
            "is a folder",
        )));
    }
    // A regular file says its size: refuse before reading. Others (pipes, devices) say 0.
    if metadata.is_file() && metadata.len() > LIMIT {
        return Err(ReadError::TooLarge(Some(metadata.len())));
    }
    let capacity = if metadata.is_file() {
        metadata.len() as usize
    } else {
        0
    };
    let mut bytes = Vec::with_capacity(capacity);
    file.take(LIMIT + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > LIMIT {
        return Err(ReadError::TooLarge(None));
    }
    Ok(bytes)
}

/// How a file was encoded, to write it back the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
}

/// A file's text.
#[derive(Debug)]
pub(super) struct Decoded {
    /// Without the byte order mark; what cannot be decoded replaced by U+FFFD.
    pub(super) text: String,
    pub(super) encoding: Encoding,
    /// The first undecodable sequence: its offset in `text`, and what it was.
    pub(super) invalid: Option<(usize, String)>,
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

pub(super) fn decode(bytes: &[u8]) -> Result<Decoded, ReadError> {
    if bytes.starts_with(b"\x00\x00\xFE\xFF") {
        return Err(ReadError::Encoding("UTF-32 (big-endian)"));
    }
    if bytes.starts_with(b"\xFF\xFE\x00\x00") {
        return Err(ReadError::Encoding("UTF-32 (little-endian)"));
    }
    if let Some(rest) = bytes.strip_prefix(UTF8_BOM) {
        return Ok(utf8(rest, Encoding::Utf8Bom));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return Ok(utf16(rest, Encoding::Utf16Le));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return Ok(utf16(rest, Encoding::Utf16Be));
    }
    Ok(utf8(bytes, Encoding::Utf8))
}

fn utf8(bytes: &[u8], encoding: Encoding) -> Decoded {
    match std::str::from_utf8(bytes) {
        Ok(text) => Decoded {
            text: text.to_string(),
            encoding,
            invalid: None,
        },
        Err(e) => {
            let at = e.valid_up_to();
            let bom = if encoding == Encoding::Utf8Bom { 3 } else { 0 };
            Decoded {
                text: String::from_utf8_lossy(bytes).into_owned(),
                encoding,
                invalid: Some((
                    at,
                    format!(
                        "the file is not valid UTF-8 (first bad byte at offset {}); IAM policies are UTF-8 JSON",
                        at + bom
                    ),
                )),
            }
        }
    }
}

fn utf16(bytes: &[u8], encoding: Encoding) -> Decoded {
    let units = bytes.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if encoding == Encoding::Utf16Le {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    let mut text = String::with_capacity(bytes.len() / 2);
    let mut invalid = None;
    for unit in char::decode_utf16(units) {
        match unit {
            Ok(c) => text.push(c),
            Err(e) => {
                invalid.get_or_insert_with(|| {
                    (
                        text.len(),
                        format!(
                            "the file is not valid UTF-16 (an unpaired surrogate {:#06x})",
                            e.unpaired_surrogate()
                        ),
                    )
                });
                text.push(char::REPLACEMENT_CHARACTER);
            }
        }
    }
    if bytes.len() % 2 == 1 {
        invalid.get_or_insert_with(|| {
            (
                text.len(),
                "the file is not valid UTF-16 (an odd number of bytes)".to_string(),
            )
        });
        text.push(char::REPLACEMENT_CHARACTER);
    }
    Decoded {
        text,
        encoding,
        invalid,
    }
}

/// `text` encoded as `encoding`, byte order mark included: what `--fix` writes back.
pub(super) fn encode(text: &str, encoding: Encoding) -> Vec<u8> {
    match encoding {
        Encoding::Utf8 => text.as_bytes().to_vec(),
        Encoding::Utf8Bom => [UTF8_BOM, text.as_bytes()].concat(),
        Encoding::Utf16Le => std::iter::once(0xFEFF)
            .chain(text.encode_utf16())
            .flat_map(u16::to_le_bytes)
            .collect(),
        Encoding::Utf16Be => std::iter::once(0xFEFF)
            .chain(text.encode_utf16())
            .flat_map(u16::to_be_bytes)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_round_trip() {
        let text = "{\"Sid\": \"é😀\"}";
        for encoding in [
            Encoding::Utf8,
            Encoding::Utf8Bom,
            Encoding::Utf16Le,
            Encoding::Utf16Be,
        ] {
            let bytes = encode(text, encoding);
            let decoded = decode(&bytes).unwrap();
            assert_eq!(decoded.text, text, "{encoding:?}");
            assert_eq!(decoded.encoding, encoding);
            assert!(decoded.invalid.is_none());
        }
        assert_eq!(&encode("{}", Encoding::Utf16Le)[..4], b"\xFF\xFE{\x00");
    }

    #[test]
    fn what_cannot_be_decoded() {
        let decoded = decode(b"{\"a\xff\": 1}").unwrap();
        assert_eq!(decoded.invalid.as_ref().unwrap().0, 3);
        assert!(decoded.text.contains('\u{FFFD}'));
        let decoded = decode(b"\xEF\xBB\xBF{\xff}").unwrap();
        assert!(
            decoded.invalid.unwrap().1.contains("offset 4"),
            "the offset counts the file's bytes"
        );
        // A lone surrogate, then an odd byte.
        let decoded = decode(b"\xFF\xFE{\x00\x00\xD8}\x00\x20").unwrap();
        assert!(decoded.invalid.unwrap().1.contains("surrogate"));
        assert!(matches!(
            decode(b"\xFF\xFE\x00\x00{\x00\x00\x00"),
            Err(ReadError::Encoding(_))
        ));
    }
}

use std::fmt;
use std::ops::Range;

/// A half-open byte range into a document's text.
///
/// `u32` keeps tree nodes small; documents larger than 4 GiB are refused before parsing.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

impl TextRange {
    pub(crate) const fn new(start: u32, end: u32) -> Self {
        Self { start, end }
    }

    pub const fn empty(at: u32) -> Self {
        Self { start: at, end: at }
    }

    pub(crate) fn from_usize(range: Range<usize>) -> Self {
        Self::new(to_u32(range.start), to_u32(range.end))
    }

    pub(crate) const fn len(self) -> u32 {
        self.end - self.start
    }

    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn as_usize(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// True when `offset` lies inside the range or on its end (a cursor touching the token).
    pub(crate) const fn touches(self, offset: u32) -> bool {
        self.start <= offset && offset <= self.end
    }

    pub const fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub(crate) const fn intersects(self, other: TextRange) -> bool {
        self.start <= other.end && other.start <= self.end
    }
}

pub(crate) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl fmt::Debug for TextRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

//! Which entry of a list covers which: the work behind `redundant-action` and
//! `redundant-resource`. Action lists of managed policies hold thousands of entries (the
//! 203 KB AWSSupportServiceRolePolicy has three of ~1,500), so the answer is found without
//! comparing every pair; `witnesses_reference` is the plain definition it is tested against.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// For each entry, the entry that makes it redundant: the first entry equal to it, if one is
/// written before it; otherwise the first entry that covers it and either comes before it or
/// covers strictly more. Entries whose meaning is not known here (`None`, and those with a
/// policy variable or template placeholder, `${`) neither have nor are witnesses. Actions
/// compare ignoring ASCII case, resources with it.
///
/// `actions`, when given, is the catalogue action each entry of an action list resolved to
/// (the actions rule's answer, `None` for an entry that is not one): a list whose every
/// entry is a catalogue action holds no wildcard, and two of its entries are equal ignoring
/// case exactly when they are the same action, so its answer is found from the actions'
/// numbers without reading the strings again (the three lists of ~1,500 actions of
/// AWSSupportServiceRolePolicy).
pub(crate) fn witnesses(
    values: Vec<Option<&str>>,
    case_sensitive: bool,
    actions: Option<&[Option<u32>]>,
) -> Vec<Option<usize>> {
    if let Some(actions) = actions
        && !case_sensitive
        && actions.len() == values.len()
        && values
            .iter()
            .zip(actions)
            .all(|(value, action)| value.is_none() || action.is_some())
    {
        return earlier_same_action(&values, actions);
    }
    witnesses_of_text(values, case_sensitive)
}

/// [`witnesses`] of a list whose entries are all catalogue actions: the first earlier entry
/// of the same action, through an open-addressing table of entry indices.
fn earlier_same_action(values: &[Option<&str>], actions: &[Option<u32>]) -> Vec<Option<usize>> {
    let mut witness = vec![None; values.len()];
    let bits = (values.len() * 2)
        .next_power_of_two()
        .trailing_zeros()
        .max(1);
    let mut slots = vec![u32::MAX; 1 << bits];
    for (i, (value, action)) in values.iter().zip(actions).enumerate() {
        let (Some(_), Some(action)) = (value, *action) else {
            continue;
        };
        // Fibonacci hashing of the action's number.
        let mut at =
            (u64::from(action).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize;
        loop {
            let first = slots[at];
            if first == u32::MAX {
                slots[at] = i as u32;
                break;
            }
            if actions[first as usize] == Some(action) {
                witness[i] = Some(first as usize);
                break;
            }
            at = (at + 1) & (slots.len() - 1);
        }
    }
    witness
}

/// [`witnesses`] from the entries' text.
fn witnesses_of_text(mut values: Vec<Option<&str>>, case_sensitive: bool) -> Vec<Option<usize>> {
    let (mut witness, any_wildcard) = earlier_equal(&mut values, case_sensitive);
    let values = &values[..];
    // Only a wildcard covers an entry other than itself (a literal character of the outer
    // pattern matches only the same character). Most long lists have none.
    if !any_wildcard {
        return witness;
    }
    let wildcards: Vec<Wildcard> = values
        .iter()
        .enumerate()
        .filter_map(|(j, value)| Wildcard::new(j, (*value)?))
        .collect();
    if wildcards.is_empty() {
        return witness;
    }
    let remember = wildcards.len() >= Remembered::MIN_WILDCARDS
        && values.iter().flatten().map(|v| v.len()).sum::<usize>() <= Remembered::MAX_BYTES;
    if remember && let Some(known) = Remembered::recall(values, case_sensitive) {
        return known;
    }
    // The wildcards by their literal prefix: an entry is compared only with the wildcards whose
    // prefix it starts with, looked up at the few prefix lengths there are.
    let mut by_prefix: HashMap<Folded, Vec<&Wildcard>, BuildFold> = HashMap::default();
    let mut lengths: Vec<usize> = Vec::new();
    for wildcard in &wildcards {
        let text = values[wildcard.index].unwrap_or_default();
        by_prefix
            .entry(Folded {
                text: &text[..wildcard.prefix],
                case_sensitive,
            })
            .or_default()
            .push(wildcard);
        lengths.push(wildcard.prefix);
    }
    lengths.sort_unstable();
    lengths.dedup();
    for (i, value) in values.iter().enumerate() {
        let Some(inner) = *value else { continue };
        if witness[i].is_some() {
            continue;
        }
        let mut best: Option<usize> = None;
        for &length in lengths.iter().take_while(|&&l| l <= inner.len()) {
            if !inner.is_char_boundary(length) {
                continue;
            }
            let key = Folded {
                text: &inner[..length],
                case_sensitive,
            };
            let Some(bucket) = by_prefix.get(&key) else {
                continue;
            };
            // Each bucket is in list order: its first match is its best.
            for wildcard in bucket {
                let j = wildcard.index;
                if best.is_some_and(|b| b < j) {
                    break;
                }
                let outer = values[j].unwrap_or_default();
                if j != i
                    && wildcard.may_cover(outer, inner, case_sensitive)
                    && covers(outer, inner, case_sensitive)
                    && (j < i || !covers(inner, outer, case_sensitive))
                {
                    best = Some(j);
                    break;
                }
            }
        }
        witness[i] = best;
    }
    if remember {
        Remembered::keep(values, case_sensitive, &witness);
    }
    witness
}

/// The answers for the last lists with many wildcards. Each entry of such a list is compared
/// with the wildcards that share its literal prefix, and the ARNs of one service all share
/// `arn:aws:service:` (the 50 API Gateway ARNs of AWSSupportServiceRolePolicy cost more than
/// its 4,500 actions); the server analyses the same lists at every keystroke, so their answers
/// are remembered, as the ARN template index remembers which templates each ARN fits.
struct Remembered {
    case_sensitive: bool,
    values: Vec<Option<Box<str>>>,
    witness: Vec<Option<usize>>,
}

static REMEMBERED: std::sync::Mutex<Vec<Remembered>> = std::sync::Mutex::new(Vec::new());

impl Remembered {
    /// Lists with fewer wildcards cost less than comparing them with the remembered ones.
    const MIN_WILDCARDS: usize = 8;
    /// Longer lists are not kept (memory).
    const MAX_BYTES: usize = 64 * 1024;
    /// How many lists are kept, the last used first.
    const LISTS: usize = 32;

    fn recall(values: &[Option<&str>], case_sensitive: bool) -> Option<Vec<Option<usize>>> {
        let mut kept = REMEMBERED.lock().unwrap_or_else(|e| e.into_inner());
        let at = kept.iter().position(|known| {
            known.case_sensitive == case_sensitive
                && known.values.len() == values.len()
                && known
                    .values
                    .iter()
                    .zip(values)
                    .all(|(known, value)| known.as_deref() == *value)
        })?;
        let known = kept.remove(at);
        let witness = known.witness.clone();
        kept.insert(0, known);
        Some(witness)
    }

    fn keep(values: &[Option<&str>], case_sensitive: bool, witness: &[Option<usize>]) {
        let mut kept = REMEMBERED.lock().unwrap_or_else(|e| e.into_inner());
        kept.truncate(Self::LISTS - 1);
        kept.insert(
            0,
            Remembered {
                case_sensitive,
                values: values.iter().map(|v| v.map(Box::from)).collect(),
                witness: witness.to_vec(),
            },
        );
    }
}

/// For each entry, the first entry equal to it if that one is written before it: one pass
/// over an open-addressing table of entry indices (a list of 1,500 actions takes 32 KB).
/// Also says whether any entry holds a wildcard, and forgets those with a variable.
fn earlier_equal(values: &mut [Option<&str>], case_sensitive: bool) -> (Vec<Option<usize>>, bool) {
    let mut witness = vec![None; values.len()];
    let mut any_wildcard = false;
    let bits = (values.len() * 2)
        .next_power_of_two()
        .trailing_zeros()
        .max(1);
    let mut slots = vec![usize::MAX; 1 << bits];
    for i in 0..values.len() {
        let Some(text) = values[i] else { continue };
        let key = Folded {
            text,
            case_sensitive,
        };
        let digest = key.digest();
        if digest.variable {
            values[i] = None;
            continue;
        }
        any_wildcard |= digest.wildcard;
        let hash = digest.hash;
        let mut at = (hash >> (64 - bits)) as usize;
        loop {
            let first = slots[at];
            if first == usize::MAX {
                slots[at] = i;
                break;
            }
            let other = Folded {
                text: values[first].unwrap_or_default(),
                case_sensitive,
            };
            if key == other {
                witness[i] = Some(first);
                break;
            }
            at = (at + 1) & (slots.len() - 1);
        }
    }
    (witness, any_wildcard)
}

/// What [`witnesses`] computes, by its definition: every pair compared.
#[cfg(test)]
pub(crate) fn witnesses_reference(
    values: &[Option<&str>],
    case_sensitive: bool,
) -> Vec<Option<usize>> {
    let same = |a: &str, b: &str| {
        if case_sensitive {
            a == b
        } else {
            a.eq_ignore_ascii_case(b)
        }
    };
    let values: Vec<Option<&str>> = values
        .iter()
        .map(|value| value.filter(|text| !text.contains("${")))
        .collect();
    (0..values.len())
        .map(|i| {
            let inner = values[i]?;
            let earlier_equal = (0..i).find(|&j| values[j].is_some_and(|other| same(other, inner)));
            earlier_equal.or_else(|| {
                (0..values.len()).find(|&j| {
                    values[j].is_some_and(|outer| {
                        j != i
                            && covers(outer, inner, case_sensitive)
                            && (j < i || !covers(inner, outer, case_sensitive))
                    })
                })
            })
        })
        .collect()
}

/// Whether every string the pattern `inner` matches is matched by `outer` (`*`: any run of
/// characters, `?`: one character). Sufficient, not necessary: `outer`'s `*` may stand for any
/// part of `inner`, its `?` for one character or `?` of `inner`, its literals only for the same
/// literal. Actions compare ignoring case, resources with it. Non-ASCII text is never said to
/// be covered (a `?` is one character, not one byte).
pub(crate) fn covers(outer: &str, inner: &str, case_sensitive: bool) -> bool {
    if !outer.is_ascii() || !inner.is_ascii() {
        return outer == inner;
    }
    let (o, n) = (outer.as_bytes(), inner.as_bytes());
    let one = |oc: u8, nc: u8| match oc {
        b'?' => nc != b'*',
        _ if nc == b'*' || nc == b'?' => false,
        _ if case_sensitive => oc == nc,
        _ => oc.eq_ignore_ascii_case(&nc),
    };
    // Greedy matching with a return to the last `*` (the classic glob matcher: `outer` is the
    // pattern, `inner`'s characters the text, of which only `*` can take an inner `*`).
    let (mut oi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if oi < o.len() && o[oi] == b'*' {
            star = Some((oi + 1, ni));
            oi += 1;
        } else if oi < o.len() && one(o[oi], n[ni]) {
            oi += 1;
            ni += 1;
        } else if let Some((after, from)) = star {
            oi = after;
            ni = from + 1;
            star = Some((after, from + 1));
        } else {
            return false;
        }
    }
    o[oi..].iter().all(|&c| c == b'*')
}

/// An entry with a `*` or `?`, and the literal parts of it any entry it covers must contain.
struct Wildcard {
    index: usize,
    /// Length of the text before the first wildcard character.
    prefix: usize,
    /// The literal run right after a `*` at `prefix`: the covered entry holds it after the
    /// prefix.
    after_star: (usize, usize),
    /// Start of the literal run after the last wildcard character: the covered entry ends
    /// with it.
    tail: usize,
}

impl Wildcard {
    fn new(index: usize, text: &str) -> Option<Wildcard> {
        // `*` and `?` are never part of a longer UTF-8 sequence: bytes will do.
        let prefix = text.bytes().position(|b| b == b'*' || b == b'?')?;
        let tail = text.rfind(['*', '?']).map_or(0, |at| at + 1);
        let after_star = if text.as_bytes()[prefix] == b'*' {
            let start = prefix + 1;
            let end = text[start..]
                .find(['*', '?'])
                .map_or(text.len(), |at| start + at);
            (start, end)
        } else {
            (prefix, prefix)
        };
        Some(Wildcard {
            index,
            prefix,
            after_star,
            tail,
        })
    }

    /// A cheap test that `covers(outer, inner)` may hold: each literal character of `outer`
    /// matches only an equal character of `inner`, so its last literal run ends `inner`, and
    /// the run after its first `*` is found in `inner` after the prefix. (`inner` already
    /// starts with the prefix.)
    fn may_cover(&self, outer: &str, inner: &str, case_sensitive: bool) -> bool {
        let eq = |a: &[u8], b: &[u8]| {
            if case_sensitive {
                a == b
            } else {
                a.eq_ignore_ascii_case(b)
            }
        };
        let (o, n) = (outer.as_bytes(), inner.as_bytes());
        let tail = &o[self.tail..];
        if n.len() < self.prefix + tail.len() || !eq(tail, &n[n.len() - tail.len()..]) {
            return false;
        }
        let run = &o[self.after_star.0..self.after_star.1];
        // The first byte first: `eq` on a slice is a call.
        let Some(&first) = run.first() else {
            return true;
        };
        n[self.prefix..]
            .windows(run.len())
            .any(|w| w[0].eq_ignore_ascii_case(&first) && eq(w, run))
    }
}

/// A text as a key compared (and hashed) ignoring ASCII case unless `case_sensitive`.
struct Folded<'a> {
    text: &'a str,
    case_sensitive: bool,
}

impl PartialEq for Folded<'_> {
    fn eq(&self, other: &Self) -> bool {
        if self.case_sensitive {
            self.text == other.text
        } else {
            self.text.eq_ignore_ascii_case(other.text)
        }
    }
}

impl Eq for Folded<'_> {}

impl Folded<'_> {
    /// The hash of the text, eight bytes at a time, and whether it holds a `*` or `?` (found
    /// in the same pass: most lists have no wildcard, and the scan for one cost as much as the
    /// table). With every 0x20 bit set, texts equal but for ASCII case hash alike (so do a few
    /// unequal ones, which `eq` tells apart).
    fn digest(&self) -> Digest {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        // The high bit of each byte of `word` equal to `byte` (exact as to whether there is
        // one), without a branch.
        let find = |word: u64, byte: u8| {
            let x = word ^ (ONES * u64::from(byte));
            x.wrapping_sub(ONES) & !x & HIGH
        };
        let fold = if self.case_sensitive {
            0
        } else {
            0x2020_2020_2020_2020
        };
        let mut hasher = FoldHasher::default();
        let (mut wildcards, mut dollars) = (0, 0);
        let mut eat = |word: u64| {
            wildcards |= find(word, b'*') | find(word, b'?');
            dollars |= find(word, b'$');
            hasher.write_u64(word | fold);
        };
        let bytes = self.text.as_bytes();
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            eat(u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
        }
        // The last bytes: the last eight of the text (overlapping the chunk before), or the
        // short text zero-padded.
        if !chunks.remainder().is_empty() {
            let last = match bytes.last_chunk::<8>() {
                Some(last) => u64::from_le_bytes(*last),
                None => bytes
                    .iter()
                    .rev()
                    .fold(0u64, |word, &byte| word << 8 | u64::from(byte)),
            };
            eat(last);
        }
        hasher.write_usize(bytes.len());
        Digest {
            hash: hasher.finish(),
            wildcard: wildcards != 0,
            variable: dollars != 0 && self.text.contains("${"),
        }
    }
}

/// What one pass over an entry's text finds.
struct Digest {
    hash: u64,
    /// A `*` or `?`.
    wildcard: bool,
    /// A policy variable or template placeholder, `${`.
    variable: bool,
}

impl Hash for Folded<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.digest().hash);
    }
}

/// Words rotated and xored, one multiply at the end: the multiply per word of FxHash made a
/// chain of latencies that was most of the cost of a long list. Weak against chosen keys, but
/// the keys are a policy's own entries (its author only slows their own analysis) and `eq`
/// settles every collision.
#[derive(Default)]
struct FoldHasher(u64);

type BuildFold = BuildHasherDefault<FoldHasher>;

impl Hasher for FoldHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u64(u64::from(byte));
        }
    }

    fn write_u64(&mut self, word: u64) {
        self.0 = self.0.rotate_left(23) ^ word;
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn finish(&self) -> u64 {
        let h = (self.0 ^ (self.0 >> 29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        h ^ (h >> 32)
    }
}

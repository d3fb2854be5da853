//! Whole lists of action strings, remembered across analyses: the server analyses a document
//! again at every keystroke, and the long `Action` lists of managed policies (three of ~1,500
//! actions in AWSSupportServiceRolePolicy) are the same strings each time. Resolving one costs
//! about 430 instructions an action; finding a list among the remembered ones, a comparison of
//! its strings.

use std::sync::Mutex;

use super::{Catalog, Resolution, Resolver};
use crate::catalog::ActionRef;

/// A list whose every entry is an action of the catalogue (the only lists kept: their answer
/// is a number and a case flag per entry).
struct Remembered {
    /// The catalogue's address: numbers are only good for the catalogue that gave them.
    catalog: usize,
    /// The entries, one after the other, and where each ends.
    joined: String,
    ends: Box<[u32]>,
    /// Per entry: the action's number, and whether it is written as AWS writes it.
    actions: Box<[(u32, bool)]>,
}

static REMEMBERED: Mutex<Vec<Remembered>> = Mutex::new(Vec::new());

/// How many lists are kept, the last used first, and how much of their text at most.
const LISTS: usize = 16;
const BYTES: usize = 4 << 20;
/// Shorter lists cost less to resolve than to remember.
const MIN_ENTRIES: usize = 64;

impl Resolver {
    /// What each of `texts` means (`None` for an entry still being typed: not resolved), as
    /// [`Resolver::resolve`] says.
    pub(crate) fn resolve_all<'t>(
        &mut self,
        texts: &[Option<&'t str>],
    ) -> Vec<Option<Resolution<'t>>> {
        let catalog = std::ptr::from_ref::<Catalog>(self.catalog) as usize;
        let long = texts.len() >= MIN_ENTRIES;
        if long && let Some(actions) = recall(catalog, texts) {
            return actions
                .into_iter()
                .map(|(number, exact)| {
                    Some(Resolution::Action {
                        action: ActionRef::new(self.catalog, number as usize),
                        exact,
                    })
                })
                .collect();
        }
        let resolved: Vec<Option<Resolution<'t>>> = texts
            .iter()
            .map(|text| text.map(|text| self.resolve(text)))
            .collect();
        if long {
            let actions: Option<Box<[(u32, bool)]>> = resolved
                .iter()
                .map(|r| match r {
                    Some(Resolution::Action { action, exact }) => Some((action.number(), *exact)),
                    _ => None,
                })
                .collect();
            if let Some(actions) = actions {
                let mut joined = String::new();
                let mut ends = Vec::with_capacity(texts.len());
                for text in texts.iter().flatten() {
                    joined.push_str(text);
                    ends.push(joined.len() as u32);
                }
                if joined.len() <= BYTES {
                    keep(Remembered {
                        catalog,
                        joined,
                        ends: ends.into(),
                        actions,
                    });
                }
            }
        }
        resolved
    }
}

fn recall(catalog: usize, texts: &[Option<&str>]) -> Option<Vec<(u32, bool)>> {
    let mut kept = REMEMBERED.lock().unwrap_or_else(|e| e.into_inner());
    let at = kept.iter().position(|known| {
        known.catalog == catalog
            && known.ends.len() == texts.len()
            && known
                .ends
                .iter()
                .zip(texts)
                .enumerate()
                .all(|(i, (&end, text))| {
                    let start = if i == 0 {
                        0
                    } else {
                        known.ends[i - 1] as usize
                    };
                    *text == Some(&known.joined[start..end as usize])
                })
    })?;
    let known = kept.remove(at);
    let actions = known.actions.to_vec();
    kept.insert(0, known);
    Some(actions)
}

fn keep(list: Remembered) {
    let mut kept = REMEMBERED.lock().unwrap_or_else(|e| e.into_inner());
    kept.insert(0, list);
    let mut bytes = 0;
    let mut count = 0;
    for known in kept.iter() {
        bytes += known.joined.len();
        if count == LISTS || bytes > BYTES {
            break;
        }
        count += 1;
    }
    kept.truncate(count.max(1));
}

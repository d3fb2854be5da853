//! Keystroke replay: realistic edits typed into policies one character per change, through the
//! real server over stdio, and what the server says at each keystroke.
//!
//! An edit is the text a user would type at one spot (a new action, a new statement, a
//! condition block) or a statement deleted with backspace. It is typed as an editor does:
//! one `didChange` per keystroke, Enter inserting the line break with the new line's
//! indentation, and, in the auto-closing mode, `{`, `[` and `"` inserting their closing
//! character (VS Code's rules for JSON: not inside a string, only before whitespace, a
//! closing bracket, `,`, `:` or the end of the text) which a later keystroke of the same
//! character steps over. Without auto-closing (Vim, or typing before existing text), every
//! opened bracket and quote stays open until the user types its end.
//!
//! At every state the replay records: the `json-syntax` diagnostics; the other findings that
//! were not there before the edit started (their ranges mapped through the edit) and lie away
//! from the lines being typed; inside an action string being typed, whether completion offers
//! that action; and the time from the `didChange` to its diagnostics.

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Value as Json, json};

use super::Client;

mod scripts;

pub use scripts::{EditKind, Script, scripts, steps};

/// What the server said at one keystroke state.
#[derive(Clone, Debug)]
pub struct Record {
    pub kind: EditKind,
    pub auto_close: bool,
    pub syntax: usize,
    /// New findings away from the lines being typed: `code line:column`.
    pub far: Vec<String>,
    /// Inside an action string being typed: whether completion offered it.
    pub completion: Option<bool>,
    pub latency: Duration,
    /// The document and the server's diagnostics, kept for states that miss a goal.
    pub evidence: Option<String>,
}

/// A finding as `(code, start, end)` in byte offsets.
type Finding = (String, usize, usize);

/// Replays `script` on `text` (under `uri`, which must not be open) and records each state.
pub fn replay(client: &mut Client, uri: &str, text: &str, script: &Script) -> Vec<Record> {
    client.open(uri, 1, text);
    let before: Vec<Finding> = findings(text, &client.diagnostics(uri, 1))
        .into_iter()
        .filter(|f| f.0 != "json-syntax")
        .collect();
    let mut current = text.to_string();
    let mut records = Vec::new();
    let mut version = 1;
    let edit_start = script.at - script.deleted;
    for step in steps(text, script) {
        version += 1;
        let (line, character) = position(&current, step.range.0);
        let (end_line, end_character) = position(&current, step.range.1);
        let started = Instant::now();
        client.change(
            uri,
            version,
            json!([{"range": {"start": {"line": line, "character": character},
                              "end": {"line": end_line, "character": end_character}},
                    "text": step.insert}]),
        );
        let diagnostics = client.diagnostics(uri, version);
        let latency = started.elapsed();
        current.replace_range(step.range.0..step.range.1, &step.insert);

        let now = findings(&current, &diagnostics);
        let syntax = now.iter().filter(|f| f.0 == "json-syntax").count();
        // The lines the edit occupies so far.
        let (typed_from, typed_to) = if script.deleted > 0 {
            (step.cursor, step.cursor)
        } else {
            (edit_start, edit_start + current.len() - text.len())
        };
        let typed_lines = (line_of(&current, typed_from), line_of(&current, typed_to));
        let delta = current.len() as isize - text.len() as isize;
        let far: Vec<String> = now
            .iter()
            .filter(|f| f.0 != "json-syntax")
            .filter(|f| {
                let lines = (line_of(&current, f.1), line_of(&current, f.2));
                lines.1 < typed_lines.0 || lines.0 > typed_lines.1
            })
            .filter(|f| {
                !before.iter().any(|b| {
                    b.0 == f.0
                        && map(b.1, script, edit_start, delta, step.cursor) == Some(f.1)
                        && map(b.2, script, edit_start, delta, step.cursor) == Some(f.2)
                })
            })
            .map(|f| {
                let (line, column) = position(&current, f.1);
                format!("{} {}:{}", f.0, line + 1, column + 1)
            })
            .collect();
        let completion = step
            .in_action
            .map(|action| offers(client, uri, &current, step.cursor, action));
        let missed = syntax > 2 || !far.is_empty() || completion == Some(false);
        let evidence = missed.then(|| {
            let mut out = String::new();
            let _ = writeln!(
                out,
                "--- {} ({}), cursor {}:{}{}",
                script.kind.label(),
                if script.auto_close {
                    "auto-closed pairs"
                } else {
                    "no auto-closing"
                },
                position(&current, step.cursor).0 + 1,
                position(&current, step.cursor).1 + 1,
                match (completion, step.in_action) {
                    (Some(false), Some(action)) => format!(", completion did not offer {action}"),
                    _ => String::new(),
                }
            );
            let (first, last) = (typed_lines.0.saturating_sub(3), typed_lines.1 + 3);
            for (n, l) in current
                .lines()
                .enumerate()
                .skip(first)
                .take(last - first + 1)
            {
                let _ = writeln!(out, "{:>4} | {l}", n + 1);
            }
            for f in &now {
                let (line, column) = position(&current, f.1);
                let _ = writeln!(out, "  {} {}:{}", f.0, line + 1, column + 1);
            }
            for f in &far {
                let _ = writeln!(out, "  far: {f}");
            }
            out
        });
        records.push(Record {
            kind: script.kind,
            auto_close: script.auto_close,
            syntax,
            far,
            completion,
            latency,
            evidence,
        });
    }
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    client.cleared(uri);
    records
}

/// Where an offset of the original text is now (None when it was deleted).
fn map(
    offset: usize,
    script: &Script,
    edit_start: usize,
    delta: isize,
    cursor: usize,
) -> Option<usize> {
    if script.deleted > 0 {
        let deleted_end = script.at;
        if offset < cursor {
            Some(offset)
        } else if offset >= deleted_end {
            Some((offset as isize + delta) as usize)
        } else {
            None
        }
    } else if offset < edit_start {
        Some(offset)
    } else {
        Some((offset as isize + delta) as usize)
    }
}

/// Whether completion at `cursor` offers `action` (or a prefix of it that completes to it,
/// such as its service's `support:`).
fn offers(client: &mut Client, uri: &str, text: &str, cursor: usize, action: &str) -> bool {
    let (line, character) = position(text, cursor);
    let result = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
    );
    let items = match &result {
        Json::Array(items) => items.clone(),
        Json::Object(list) => list
            .get("items")
            .and_then(Json::as_array)
            .cloned()
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let action = action.to_ascii_lowercase();
    items.iter().any(|item| {
        let new_text = item["textEdit"]["newText"]
            .as_str()
            .or_else(|| item["insertText"].as_str())
            .or_else(|| item["label"].as_str())
            .unwrap_or("");
        let inserted = new_text.replace("$0", "").replace('"', "");
        !inserted.is_empty() && action.starts_with(&inserted.to_ascii_lowercase())
    })
}

/// The diagnostics as `(code, start, end)` byte offsets (positions are UTF-8 columns).
fn findings(text: &str, diagnostics: &[Json]) -> Vec<Finding> {
    let starts = line_starts(text);
    let offset = |p: &Json| {
        let line = p["line"].as_u64().unwrap() as usize;
        let column = p["character"].as_u64().unwrap() as usize;
        starts
            .get(line)
            .map_or(text.len(), |s| (s + column).min(text.len()))
    };
    diagnostics
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                offset(&d["range"]["start"]),
                offset(&d["range"]["end"]),
            )
        })
        .collect()
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
}

/// `(line, UTF-8 column)` of a byte offset.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line_of(text, offset), offset - line_start)
}

/// The figures over many records.
#[derive(Debug, Default)]
pub struct Summary {
    pub states: usize,
    pub at_most_one_syntax: usize,
    pub at_most_two_syntax: usize,
    pub without_far_findings: usize,
    pub completion_states: usize,
    pub completion_offered: usize,
}

impl Summary {
    pub fn of<'r>(records: impl IntoIterator<Item = &'r Record>) -> Self {
        let mut summary = Summary::default();
        for r in records {
            summary.states += 1;
            summary.at_most_one_syntax += usize::from(r.syntax <= 1);
            summary.at_most_two_syntax += usize::from(r.syntax <= 2);
            summary.without_far_findings += usize::from(r.far.is_empty());
            if let Some(offered) = r.completion {
                summary.completion_states += 1;
                summary.completion_offered += usize::from(offered);
            }
        }
        summary
    }

    pub fn percent(part: usize, whole: usize) -> f64 {
        if whole == 0 {
            100.0
        } else {
            100.0 * part as f64 / whole as f64
        }
    }

    pub fn one_syntax_percent(&self) -> f64 {
        Self::percent(self.at_most_one_syntax, self.states)
    }

    pub fn syntax_percent(&self) -> f64 {
        Self::percent(self.at_most_two_syntax, self.states)
    }

    pub fn far_percent(&self) -> f64 {
        Self::percent(self.without_far_findings, self.states)
    }

    pub fn completion_percent(&self) -> f64 {
        Self::percent(self.completion_offered, self.completion_states)
    }

    /// One Markdown table row.
    pub fn row(&self, label: &str) -> String {
        format!(
            "| {label} | {} | {:.1} % | {:.1} % | {:.1} % | {}/{} |",
            self.states,
            self.one_syntax_percent(),
            self.syntax_percent(),
            self.far_percent(),
            self.completion_offered,
            self.completion_states,
        )
    }
}

/// A Markdown table of the figures, overall and per kind of edit and mode.
pub fn table(records: &[Record]) -> String {
    let mut out = String::from(
        "| edit | states | ≤ 1 syntax diagnostic | ≤ 2 syntax diagnostics | no new finding elsewhere | completion offers the action |\n|---|---:|---:|---:|---:|---:|\n",
    );
    for kind in EditKind::ALL {
        for auto_close in [false, true] {
            let of_kind: Vec<&Record> = records
                .iter()
                .filter(|r| r.kind == kind && r.auto_close == auto_close)
                .collect();
            if of_kind.is_empty() {
                continue;
            }
            let mode = if kind == EditKind::DeleteStatement {
                ""
            } else if auto_close {
                ", auto-closed pairs"
            } else {
                ", no auto-closing"
            };
            let _ = writeln!(
                out,
                "{}",
                Summary::of(of_kind).row(&format!("{}{mode}", kind.label()))
            );
        }
    }
    let _ = writeln!(out, "{}", Summary::of(records).row("**all**"));
    out
}

/// The `(p50, p95, p99)` of the time from a keystroke's `didChange` to its diagnostics.
pub fn latency_percentiles(records: &[Record]) -> (Duration, Duration, Duration) {
    let mut latencies: Vec<Duration> = records.iter().map(|r| r.latency).collect();
    if latencies.is_empty() {
        return Default::default();
    }
    latencies.sort_unstable();
    let at = |p: usize| latencies[(latencies.len() * p / 100).min(latencies.len() - 1)];
    (at(50), at(95), at(99))
}

/// The typing fixtures (`tests/fixtures/typing/*.json`), as `(name, text)` sorted by name.
pub fn fixtures() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/typing");
    read_documents(&dir)
}

/// The policies of the corpus at `dir` that are valid JSON (an edit starts from a document
/// the user had right), as `(name, text)` sorted by name.
pub fn corpus_documents(dir: &Path) -> Vec<(String, String)> {
    read_documents(dir)
        .into_iter()
        .filter(|(_, text)| serde_json::from_str::<Json>(text).is_ok())
        .collect()
}

fn read_documents(dir: &Path) -> Vec<(String, String)> {
    let mut documents: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            Some((p.file_name()?.to_string_lossy().into_owned(), text))
        })
        .collect();
    documents.sort();
    documents
}

/// Replays one in `every` of the scripts of the documents (the share rotating with the
/// document, so that every kind of edit is covered), each on a document of its own.
pub fn replay_all(
    client: &mut Client,
    documents: &[(String, String)],
    every: usize,
) -> Vec<Record> {
    let mut records = Vec::new();
    for (n, (name, text)) in documents.iter().enumerate() {
        for (i, script) in scripts(text).iter().enumerate() {
            if (i + n) % every != 0 {
                continue;
            }
            let uri = format!("file:///typing/{n}-{i}-{name}");
            records.extend(replay(client, &uri, text, script));
        }
    }
    records
}

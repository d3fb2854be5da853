//! Host formats: the files policies live in besides `.json` — CloudFormation and SAM
//! templates in YAML, Terraform configurations. A host adapter reads its file with a parser
//! that tolerates half-typed input and gives back the same tree of JSON values that `syntax`
//! gives for `.json` (each node with its byte range in the host file), so that `policy`,
//! `analysis` and `ide` never learn which format a policy came from. Values the checker cannot
//! know (CloudFormation intrinsics, Terraform interpolations) come back as one-member
//! intrinsic objects (`{"Fn::Sub": …}`), which the rules already treat as neither right nor
//! wrong. The adapter also says which edits a fix may make in its syntax (`edits`).

mod edits;
mod incremental;
mod scalars;
mod terraform;
mod yaml;

use crate::policy::TypeHint;
use crate::syntax::{Parse, TextRange, Value};

pub(crate) use edits::{HostSyntax, translate_fixes};
pub(crate) use incremental::{ReadEntry, Span, TextEdit, YamlTree, diff, reread};

/// The format of a document.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Host {
    /// A policy, or JSON that embeds policies (CloudFormation JSON, API answers).
    #[default]
    Json,
    /// CloudFormation or SAM YAML.
    Yaml,
    /// A Terraform configuration (`.tf`).
    Terraform,
}

impl Host {
    /// The format of the file at `path`, from its extension (`None`: not a format we read).
    pub fn from_path(path: &str) -> Option<Host> {
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
        let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match extension.as_str() {
            "json" => Some(Host::Json),
            "yaml" | "yml" | "template" => Some(Host::Yaml),
            "tf" => Some(Host::Terraform),
            _ => None,
        }
    }

    /// The format of an editor's document, from its language id (for documents whose name
    /// says nothing, such as untitled ones).
    pub fn from_language_id(language_id: &str) -> Option<Host> {
        match language_id {
            "json" | "jsonc" => Some(Host::Json),
            "yaml" | "cloudformation" => Some(Host::Yaml),
            "terraform" | "hcl" => Some(Host::Terraform),
            _ => None,
        }
    }

    /// The format, knowing the text: a `.template` (or any YAML file) whose first character
    /// is `{` is a JSON template, read as JSON (JSON is YAML, but its edits are JSON's).
    pub(crate) fn for_text(self, text: &str) -> Host {
        match self {
            Host::Yaml if text.trim_start().starts_with('{') => Host::Json,
            host => host,
        }
    }
}

/// A host document, read: the tree (policies and whatever surrounds them, as JSON values with
/// host ranges), the syntax errors of JSON embedded in it (a JSON policy in a YAML block
/// scalar), and how each string scalar is written (for edits).
#[derive(Debug)]
pub(crate) struct HostParse {
    pub(crate) parse: Parse,
    pub(crate) scalars: Vec<Scalar>,
    /// Ranges of JSON text embedded verbatim (block scalars, heredocs): edits there are JSON
    /// edits.
    pub(crate) json_regions: Vec<TextRange>,
    /// The policies and the type each gets from where it sits, when the host finds them
    /// itself (Terraform); `None`: `policy::find_policies` finds them in the tree.
    pub(crate) policies: Option<Vec<(TextRange, Option<TypeHint>)>>,
}

/// How a string scalar of the host is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ScalarStyle {
    /// YAML plain scalar: `s3:GetObject`.
    Plain,
    /// YAML `'…'`.
    SingleQuoted,
    /// YAML `"…"`.
    DoubleQuoted,
    /// A YAML block scalar or anything else edits must not touch.
    Frozen,
    /// HCL `"…"` (escapes as JSON's, and `${`/`%{` start interpolations).
    HclQuoted,
    /// An HCL identifier used as an object key (`Effect = …`).
    Identifier,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Scalar {
    pub(crate) range: TextRange,
    pub(crate) style: ScalarStyle,
}

/// Reads a document of a host format (not JSON).
pub(crate) fn parse(host: Host, text: &str) -> HostParse {
    match host {
        Host::Json => HostParse {
            parse: crate::syntax::parse(text),
            scalars: Vec::new(),
            json_regions: Vec::new(),
            policies: None,
        },
        Host::Yaml => yaml::parse(text),
        Host::Terraform => terraform::parse(text),
    }
}

/// The value in `root`'s tree whose range is `range` (an object: containers are searched by
/// containment), if any.
pub(crate) fn value_at(root: &Value, range: TextRange) -> Option<&Value> {
    use crate::syntax::ValueKind;
    let mut current = root;
    loop {
        if current.range == range && current.as_object().is_some() {
            return Some(current);
        }
        let next = match &current.kind {
            ValueKind::Object(object) => object
                .members
                .iter()
                .filter_map(|m| m.value.as_ref())
                .find(|v| v.range.contains_range(range)),
            ValueKind::Array(array) => array
                .elements
                .iter()
                .find(|v| v.range.contains_range(range)),
            _ => None,
        }?;
        current = next;
    }
}

#[cfg(test)]
mod tests;

//! A typed view of a policy over the syntax tree. It borrows the tree, keeps every range,
//! and accepts partial documents: each element is optional and read as far as it is typed.

use super::kind::{DeclaredType, PolicyKind};
use super::locate::Located;
use crate::syntax::{Member, Object, Str, TextRange, Value, ValueKind};

/// One policy document: an object with `Version`, `Statement`, ….
#[derive(Debug)]
pub(crate) struct Policy<'a> {
    pub(crate) value: &'a Value,
    pub(crate) object: &'a Object,
    pub(crate) version: Option<&'a Member>,
    pub(crate) id: Option<&'a Member>,
    pub(crate) statement: Option<&'a Member>,
    pub(crate) statements: Vec<Statement<'a>>,
    /// A lone statement rather than a whole policy (a snippet, a statement file).
    pub(crate) fragment: bool,
    /// Which types it may be, and why: what the type-dependent rules ask.
    pub(crate) kind: PolicyKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Effect {
    Allow,
    Deny,
}

#[derive(Debug)]
pub(crate) struct Statement<'a> {
    pub(crate) value: &'a Value,
    pub(crate) object: &'a Object,
    pub(crate) sid: Option<&'a Member>,
    pub(crate) effect: Option<&'a Member>,
    pub(crate) principal: Option<&'a Member>,
    pub(crate) not_principal: Option<&'a Member>,
    pub(crate) action: Option<&'a Member>,
    pub(crate) not_action: Option<&'a Member>,
    pub(crate) resource: Option<&'a Member>,
    pub(crate) not_resource: Option<&'a Member>,
    pub(crate) condition: Option<&'a Member>,
}

/// The strings of an element that takes a string or an array of strings. Entries that are not
/// strings are skipped here (the grammar rules report them).
#[derive(Debug)]
pub(crate) struct StringList<'a> {
    pub(crate) member: &'a Member,
    /// True for `NotAction` / `NotResource` / `NotPrincipal`.
    pub(crate) negated: bool,
    pub(crate) items: Vec<&'a Str>,
}

#[derive(Debug)]
pub(crate) struct ConditionBlock<'a> {
    pub(crate) operator: &'a Str,
    pub(crate) entries: Vec<ConditionEntry<'a>>,
}

#[derive(Debug)]
pub(crate) struct ConditionEntry<'a> {
    /// The key and its values, as written (for edits).
    pub(crate) member: &'a Member,
    pub(crate) key: &'a Str,
    /// The values: a single value or an array's elements (strings, numbers, booleans).
    pub(crate) values: Vec<&'a Value>,
}

/// A CloudFormation intrinsic function (`{"Ref": …}`, `{"Fn::Sub": …}`, `{"Fn::If": …}`) standing
/// for a value that only exists once the template is deployed: neither right nor wrong here.
pub(crate) fn is_intrinsic(value: &Value) -> bool {
    match &value.kind {
        ValueKind::Object(object) => {
            object.members.len() == 1 && {
                let key = &*object.members[0].key.value;
                key == "Ref" || key == "Condition" || key.starts_with("Fn::")
            }
        }
        _ => false,
    }
}

/// The two values of a CloudFormation `{"Fn::If": [condition, then, else]}`: either may be
/// deployed, so each is checked as if it stood there.
pub(crate) fn if_branches(value: &Value) -> Option<&[Value]> {
    let object = value.as_object()?;
    let [member] = object.members.as_slice() else {
        return None;
    };
    if &*member.key.value != "Fn::If" {
        return None;
    }
    match member.value.as_ref()?.as_array()?.elements.as_slice() {
        [_, branches @ ..] => Some(branches),
        [] => None,
    }
}

/// The statements a `Statement` element holds: its objects, and the branches of `Fn::If`s.
fn statement_values<'a>(value: &'a Value, out: &mut Vec<&'a Value>) {
    match &value.kind {
        ValueKind::Array(array) => {
            for element in &array.elements {
                match if_branches(element) {
                    Some(branches) => branches.iter().for_each(|b| statement_values(b, out)),
                    None if !is_intrinsic(element) => out.push(element),
                    None => {}
                }
            }
        }
        _ => match if_branches(value) {
            Some(branches) => branches.iter().for_each(|b| statement_values(b, out)),
            None if !is_intrinsic(value) => out.push(value),
            None => {}
        },
    }
}

/// The strings of a string-or-list element, through `Fn::If` branches.
fn push_strings<'a>(value: &'a Value, items: &mut Vec<&'a Str>) {
    match &value.kind {
        ValueKind::String(s) => items.push(s),
        ValueKind::Array(array) => {
            for element in &array.elements {
                match &element.kind {
                    ValueKind::String(s) => items.push(s),
                    _ => {
                        if let Some(branches) = if_branches(element) {
                            branches.iter().for_each(|b| push_strings(b, items));
                        }
                    }
                }
            }
        }
        _ => {
            if let Some(branches) = if_branches(value) {
                branches.iter().for_each(|b| push_strings(b, items));
            }
        }
    }
}

/// `"*"` or `{"AWS": "*"}`.
pub(crate) fn is_everyone(value: &Value) -> bool {
    match &value.kind {
        ValueKind::String(s) => &*s.value == "*",
        ValueKind::Object(object) => {
            object.members.len() == 1
                && &*object.members[0].key.value == "AWS"
                && object.members[0]
                    .value
                    .as_ref()
                    .is_some_and(|v| match &v.kind {
                        ValueKind::String(s) => &*s.value == "*",
                        ValueKind::Array(a) => {
                            a.elements.len() == 1
                                && a.elements[0].as_str().is_some_and(|s| &*s.value == "*")
                        }
                        _ => false,
                    })
        }
        _ => false,
    }
}

impl<'a> Policy<'a> {
    /// The policy found at `located`, of the type `declared` by the user if any, else of the
    /// type its place or its content says.
    pub(crate) fn located(located: &Located<'a>, declared: Option<&DeclaredType>) -> Option<Self> {
        let mut policy = Self::read(located.value)?;
        policy.kind = PolicyKind::infer(&policy, located.hint.as_ref(), declared);
        Some(policy)
    }

    /// The policy `value`, of the type its content says.
    #[cfg(test)]
    pub(crate) fn new(value: &'a Value) -> Option<Self> {
        let mut policy = Self::read(value)?;
        policy.kind = PolicyKind::infer(&policy, None, None);
        Some(policy)
    }

    /// The policy `value`, of a kind already inferred.
    pub(crate) fn with_kind(value: &'a Value, kind: PolicyKind) -> Option<Self> {
        let mut policy = Self::read(value)?;
        policy.kind = kind;
        Some(policy)
    }

    /// The policy `value`, its kind not yet inferred.
    fn read(value: &'a Value) -> Option<Self> {
        let object = value.as_object()?;
        if super::looks_like_statement(object) && !object.has_key("Version") {
            let policy = Self {
                value,
                object,
                version: None,
                id: None,
                statement: None,
                statements: Statement::new(value).into_iter().collect(),
                fragment: true,
                kind: PolicyKind::unknown(),
            };
            return Some(policy);
        }
        let statement = object.get("Statement");
        let mut values = Vec::new();
        if let Some(value) = statement.and_then(|m| m.value.as_ref()) {
            statement_values(value, &mut values);
        }
        let statements = values.into_iter().filter_map(Statement::new).collect();
        let policy = Self {
            value,
            object,
            version: object.get("Version"),
            id: object.get("Id"),
            statement,
            statements,
            fragment: false,
            kind: PolicyKind::unknown(),
        };
        Some(policy)
    }

    /// The range diagnostics about the whole policy point at: the `Statement` key, else the
    /// opening brace.
    pub(crate) fn anchor(&self) -> TextRange {
        match self.statement {
            Some(m) => m.key.range,
            None => TextRange::new(self.value.range.start, self.value.range.start + 1),
        }
    }
}

impl<'a> Statement<'a> {
    pub(crate) fn new(value: &'a Value) -> Option<Self> {
        let object = value.as_object()?;
        Some(Self {
            value,
            object,
            sid: object.get("Sid"),
            effect: object.get("Effect"),
            principal: object.get("Principal"),
            not_principal: object.get("NotPrincipal"),
            action: object.get("Action"),
            not_action: object.get("NotAction"),
            resource: object.get("Resource"),
            not_resource: object.get("NotResource"),
            condition: object.get("Condition"),
        })
    }

    pub(crate) fn effect(&self) -> Option<Effect> {
        match self.effect?.value.as_ref()?.as_str()?.as_str() {
            "Allow" => Some(Effect::Allow),
            "Deny" => Some(Effect::Deny),
            _ => None,
        }
    }

    pub(crate) fn sid(&self) -> Option<&'a str> {
        Some(self.sid?.value.as_ref()?.as_str()?.as_str())
    }

    /// `Action` or, failing that, `NotAction`.
    pub(crate) fn actions(&self) -> Option<StringList<'a>> {
        match (self.action, self.not_action) {
            (Some(m), _) => Some(StringList::new(m, false)),
            (None, Some(m)) => Some(StringList::new(m, true)),
            (None, None) => None,
        }
    }

    /// `Resource` or, failing that, `NotResource`.
    pub(crate) fn resources(&self) -> Option<StringList<'a>> {
        match (self.resource, self.not_resource) {
            (Some(m), _) => Some(StringList::new(m, false)),
            (None, Some(m)) => Some(StringList::new(m, true)),
            (None, None) => None,
        }
    }

    pub(crate) fn conditions(&self) -> Vec<ConditionBlock<'a>> {
        let Some(object) = self
            .condition
            .and_then(|m| m.value.as_ref())
            .filter(|v| !is_intrinsic(v))
            .and_then(Value::as_object)
        else {
            return Vec::new();
        };
        object
            .members
            .iter()
            .map(|operator| ConditionBlock {
                operator: &operator.key,
                entries: operator
                    .value
                    .as_ref()
                    .filter(|v| !is_intrinsic(v))
                    .and_then(Value::as_object)
                    .map(|keys| keys.members.iter().map(ConditionEntry::new).collect())
                    .unwrap_or_default(),
            })
            .collect()
    }

    /// A label for messages: `statement "Sid"` or `statement 2`.
    pub(crate) fn label(&self, index: usize) -> String {
        match self.sid() {
            Some(sid) if !sid.is_empty() => format!("statement \"{sid}\""),
            _ => format!("statement {}", index + 1),
        }
    }
}

impl<'a> StringList<'a> {
    pub(crate) fn new(member: &'a Member, negated: bool) -> Self {
        // Sized for all the elements (they are strings but for mistakes): a list of thousands
        // of actions grew a dozen times, for each rule that reads it.
        let capacity = member
            .value
            .as_ref()
            .and_then(Value::as_array)
            .map_or(1, |a| a.elements.len());
        let mut items = Vec::with_capacity(capacity);
        if let Some(value) = &member.value {
            push_strings(value, &mut items);
        }
        Self {
            member,
            negated,
            items,
        }
    }
}

impl<'a> ConditionEntry<'a> {
    fn new(member: &'a Member) -> Self {
        let values = match member.value.as_ref() {
            Some(Value {
                kind: ValueKind::Array(array),
                ..
            }) => array.elements.iter().collect(),
            Some(value) => vec![value],
            None => Vec::new(),
        };
        Self {
            member,
            key: &member.key,
            values,
        }
    }
}

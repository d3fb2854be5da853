//! The syntax of an ARN as a policy writes it: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`,
//! split on the first five colons (the resource part may hold more), each field possibly with
//! the wildcards `*` and `?` and policy variables (`${aws:username}`).
//!
//! Host placeholders (`${AWS::Region}`, `${BucketName}` of a CloudFormation `Fn::Sub`,
//! Terraform's `${var.name}`) are not policy variables: a value holding one is filled in before
//! IAM sees it, so nothing is said about it.

mod pattern;
pub(crate) mod templates;

pub(crate) use pattern::Pattern;

/// The partitions AWS has (`aws-eusc`: the European Sovereign Cloud).
pub(crate) const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// What a `Resource` string is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ArnText<'a> {
    /// `arn:` and six fields.
    Arn(Arn<'a>),
    /// `arn:` but fewer than six fields (how many).
    TooFewFields(usize),
    /// Not an ARN at all (no `arn:` prefix).
    NotArn,
    /// Holds a host placeholder: nothing can be said.
    Template,
}

/// An ARN's fields, each with its byte offset in the string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Arn<'a> {
    pub(crate) fields: [Field<'a>; 6],
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Field<'a> {
    pub(crate) text: &'a str,
    pub(crate) offset: usize,
}

impl Field<'_> {
    /// Holds a wildcard or a policy variable: it stands for many values.
    pub(crate) fn is_pattern(&self) -> bool {
        self.text.contains(['*', '?']) || self.text.contains("${")
    }

    /// Can be empty: empty, or only `*`s.
    pub(crate) fn may_be_empty(&self) -> bool {
        self.text.bytes().all(|b| b == b'*')
    }
}

impl<'a> Arn<'a> {
    pub(crate) fn partition(&self) -> Field<'a> {
        self.fields[1]
    }
    pub(crate) fn service(&self) -> Field<'a> {
        self.fields[2]
    }
    pub(crate) fn region(&self) -> Field<'a> {
        self.fields[3]
    }
    pub(crate) fn account(&self) -> Field<'a> {
        self.fields[4]
    }
    pub(crate) fn resource(&self) -> Field<'a> {
        self.fields[5]
    }
}

/// Reads a `Resource` string (decoded from JSON).
pub(crate) fn parse_arn(text: &str) -> ArnText<'_> {
    if has_host_placeholder(text) || has_fill_in_placeholder(text) {
        return ArnText::Template;
    }
    split(text)
}

/// Splits an ARN into its fields (of a policy, or of a catalogue template).
fn split(text: &str) -> ArnText<'_> {
    if !text.starts_with("arn:") {
        return ArnText::NotArn;
    }
    let mut fields = [Field {
        text: "",
        offset: 0,
    }; 6];
    let mut start = 0;
    for (index, field) in fields.iter_mut().enumerate() {
        let end = if index == 5 {
            text.len()
        } else {
            match next_colon(text, start) {
                Some(at) => at,
                None => return ArnText::TooFewFields(index + 1),
            }
        };
        *field = Field {
            text: &text[start..end],
            offset: start,
        };
        start = end + 1;
    }
    ArnText::Arn(Arn { fields })
}

/// The first `:` at or after `from` that is not inside a `${…}` (`${aws:PrincipalAccount}` is
/// one field).
fn next_colon(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b':' => return Some(i),
            b'$' if bytes.get(i + 1) == Some(&b'{') => match text[i..].find('}') {
                Some(close) => i += close,
                None => return text[i..].find(':').map(|at| i + at),
            },
            _ => {}
        }
        i += 1;
    }
    None
}

/// Whether `text` holds a `${…}` that is not a policy variable: policy variables are `${*}`,
/// `${?}`, `${$}` or a condition key (`prefix:name`, one colon), with an optional default
/// (`${aws:PrincipalTag/team, 'none'}`).
pub(crate) fn has_host_placeholder(text: &str) -> bool {
    let mut rest = text;
    while let Some(open) = rest.find("${") {
        let body = &rest[open + 2..];
        let Some(close) = body.find('}') else {
            return false;
        };
        let name = body[..close]
            .split(',')
            .next()
            .unwrap_or_default()
            .trim_end();
        let variable = matches!(name, "*" | "?" | "$")
            || (name.matches(':').count() == 1
                && !name.starts_with(':')
                && !name.ends_with(':')
                && !name.contains(char::is_whitespace));
        if !variable {
            return true;
        }
        rest = &body[close + 1..];
    }
    false
}

/// Whether `text` holds a `<…>` for its reader to fill in, as templates and AWS's examples write
/// them (`<third-party-resource>`, `arn:aws:s3:::<bucket>`): ARNs never have `<`.
fn has_fill_in_placeholder(text: &str) -> bool {
    text.find('<')
        .is_some_and(|open| text[open + 1..].contains('>'))
}

/// A region name: `us-east-1`, `us-gov-west-1`, `cn-north-1`, `eu-isoe-west-1`,
/// `eusc-de-east-1` (letters, dash-separated words, a number).
pub(crate) fn is_region(text: &str) -> bool {
    let mut parts = text.split('-');
    let Some(first) = parts.next() else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((number, words)) = parts.split_last() else {
        return false;
    };
    (2..=4).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && !words.is_empty()
        && words
            .iter()
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        && (1..=2).contains(&number.len())
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// An account ID: twelve digits.
pub(crate) fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_arns() {
        let ArnText::Arn(arn) = parse_arn("arn:aws:lambda:us-east-1:123456789012:function:f:PROD")
        else {
            panic!()
        };
        let texts: Vec<&str> = arn.fields.iter().map(|f| f.text).collect();
        assert_eq!(
            texts,
            [
                "arn",
                "aws",
                "lambda",
                "us-east-1",
                "123456789012",
                "function:f:PROD"
            ]
        );
        assert_eq!(arn.resource().offset, 38);
        assert_eq!(parse_arn("arn:aws:s3:b"), ArnText::TooFewFields(4));
        let ArnText::Arn(arn) = parse_arn("arn:aws:kms:*:${aws:PrincipalAccount}:key/*") else {
            panic!()
        };
        assert_eq!(arn.account().text, "${aws:PrincipalAccount}");
        assert_eq!(arn.resource().text, "key/*");
        assert_eq!(parse_arn("s3:::b"), ArnText::NotArn);
        assert_eq!(parse_arn("arn:${AWS::Partition}:s3:::b"), ArnText::Template);
        assert_eq!(parse_arn("<third-party-resource>"), ArnText::Template);
        assert!(matches!(
            parse_arn("arn:aws:s3:::b/${aws:username}/*"),
            ArnText::Arn(_)
        ));
    }

    #[test]
    fn host_placeholders_are_not_policy_variables() {
        for (text, host) in [
            ("arn:aws:s3:::b/${aws:username}", false),
            ("${aws:PrincipalTag/team, 'company wide'}", false),
            ("${*}${?}${$}", false),
            ("${www.amazon.com:user_id}", false),
            ("arn:${AWS::Partition}:s3:::b", true),
            ("arn:aws:s3:::${BucketName}", true),
            ("arn:aws:s3:::${var.bucket}/*", true),
            ("arn:aws:s3:::${aws_s3_bucket.b.id}", true),
            ("${ aws:username}", true),
            ("no placeholder", false),
            ("${unclosed", false),
        ] {
            assert_eq!(has_host_placeholder(text), host, "{text}");
        }
    }

    #[test]
    fn regions_and_accounts() {
        for region in [
            "us-east-1",
            "us-gov-west-1",
            "cn-north-1",
            "eu-isoe-west-1",
            "us-isob-east-1",
            "eusc-de-east-1",
            "mx-central-1",
            "ap-southeast-7",
        ] {
            assert!(is_region(region), "{region}");
        }
        for not_region in [
            "us-east",
            "useast-1",
            "US-EAST-1",
            "us-east-100",
            "global",
            "1",
        ] {
            assert!(!is_region(not_region), "{not_region}");
        }
        assert!(is_account_id("123456789012"));
        assert!(!is_account_id("12345678901"));
        assert!(!is_account_id("12345678901a"));
    }
}

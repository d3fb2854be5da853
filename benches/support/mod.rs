//! What the benches share: the policy documents they measure, read in place from the shared
//! corpus (`IAM_POLICY_CORPUS`, default `../shared/corpus/policies` next to the repository;
//! never copied into the repository), and policies of the same sizes generated here, so the
//! benches also run where that folder is absent.

#![allow(dead_code)]

pub mod template;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The largest real policies, and everyday ones.
pub const LARGEST: &str = "iam-dataset__AWSSupportServiceRolePolicy.json";
pub const READ_ONLY: &str = "iam-dataset__ReadOnlyAccess.json";
pub const READ_ONLY_MAMIP: &str = "mamip__ReadOnlyAccess.json";
pub const EVERYDAY_SCP: &str =
    "aws-scp-examples__Region-controls__Deny-access-to-AWS-based-on-the-requested-AWS-region.json";
pub const EVERYDAY_ROLE: &str =
    "aws-support-docs__support-app-permissions__support-app-policy.json";

/// Where the corpus is, if it is there. With `IAM_POLICY_CORPUS_REQUIRED=1` (as in CI) its
/// absence is a failure rather than a bench measuring something else.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("IAM_POLICY_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/policies"));
    let required = std::env::var_os("IAM_POLICY_CORPUS_REQUIRED").is_some_and(|v| v == "1");
    assert!(
        dir.is_dir() || !required,
        "IAM_POLICY_CORPUS_REQUIRED=1 but the policy corpus is not at {}",
        dir.display()
    );
    dir.is_dir().then_some(dir)
}

/// One corpus file, read in place.
pub fn corpus_file(name: &str) -> Option<String> {
    std::fs::read_to_string(corpus_dir()?.join(name)).ok()
}

/// Every `*.json` file of the corpus, sorted by name.
pub fn corpus_files() -> Vec<(String, String)> {
    let Some(dir) = corpus_dir() else {
        return Vec::new();
    };
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .filter_map(|e| {
            let text = std::fs::read_to_string(e.path()).ok()?;
            Some((e.file_name().to_string_lossy().into_owned(), text))
        })
        .collect();
    files.sort();
    files
}

/// A document to measure: where it comes from, and its text.
pub struct Doc {
    /// Short, path-safe: `corpus-AWSSupportServiceRolePolicy`, `generated-203KB`, …
    pub label: String,
    pub text: String,
}

/// The documents the benches measure: the corpus files named above (when the corpus is
/// there), then generated policies of the same sizes (always).
pub fn documents() -> Vec<Doc> {
    let mut docs = Vec::new();
    for (name, label) in [
        (LARGEST, "corpus-AWSSupportServiceRolePolicy"),
        (READ_ONLY, "corpus-ReadOnlyAccess"),
        (READ_ONLY_MAMIP, "corpus-ReadOnlyAccess-mamip"),
        (EVERYDAY_SCP, "corpus-everyday-region-scp"),
        (EVERYDAY_ROLE, "corpus-everyday-support-app"),
    ] {
        if let Some(text) = corpus_file(name) {
            docs.push(Doc {
                label: label.into(),
                text,
            });
        }
    }
    for (size, label) in [
        (203_134, "generated-203KB"),
        (137_070, "generated-137KB"),
        (1_994, "generated-2KB"),
    ] {
        docs.push(Doc {
            label: label.into(),
            text: generate_policy(size, size as u64),
        });
    }
    docs
}

/// Real action names (so that rules checking actions see what real policies hold); none of
/// the Support family, whose actions take no resource ARNs (the statements here have many).
const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:ListBucket",
    "s3:GetBucketPolicy",
    "s3:GetBucketLocation",
    "s3:ListAllMyBuckets",
    "ec2:DescribeInstances",
    "ec2:DescribeRegions",
    "ec2:DescribeVpcs",
    "ec2:DescribeSubnets",
    "ec2:DescribeSecurityGroups",
    "ec2:StartInstances",
    "ec2:StopInstances",
    "iam:GetRole",
    "iam:ListRoles",
    "iam:GetPolicy",
    "iam:GetPolicyVersion",
    "iam:ListAttachedRolePolicies",
    "iam:PassRole",
    "iam:CreateServiceLinkedRole",
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:ListAliases",
    "logs:CreateLogGroup",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "logs:DescribeLogGroups",
    "cloudwatch:GetMetricData",
    "cloudwatch:ListMetrics",
    "cloudwatch:DescribeAlarms",
    "cloudtrail:DescribeTrails",
    "cloudtrail:LookupEvents",
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:DescribeTable",
    "dynamodb:ListTables",
    "lambda:GetFunction",
    "lambda:ListFunctions",
    "lambda:InvokeFunction",
    "sns:Publish",
    "sns:ListTopics",
    "sqs:SendMessage",
    "sqs:ReceiveMessage",
    "sqs:GetQueueAttributes",
    "sts:AssumeRole",
    "sts:GetCallerIdentity",
    "organizations:DescribeOrganization",
    "organizations:ListAccounts",
    "config:DescribeConfigRules",
    "config:GetResourceConfigHistory",
    "rds:DescribeDBInstances",
    "rds:DescribeDBClusters",
    "elasticloadbalancing:DescribeLoadBalancers",
    "autoscaling:DescribeAutoScalingGroups",
    "route53:ListHostedZones",
    "apigateway:GET",
];

const SERVICES: &[&str] = &[
    "s3", "ec2", "iam", "kms", "logs", "lambda", "dynamodb", "sns", "sqs", "rds",
];

/// A pretty-printed policy (2-space indent, like the managed policies of the corpus) of at
/// least `target_bytes` bytes: statements with real actions, many resource ARNs (which is
/// what makes the largest managed policies large) and, every few statements, a condition.
/// Deterministic for a given `seed`; its only finding is the size warning that large
/// policies get (as the real ones do).
pub fn generate_policy(target_bytes: usize, seed: u64) -> String {
    let mut rng = XorShift(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut out = String::with_capacity(target_bytes + 1024);
    out.push_str("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [");
    let mut statement = 0usize;
    // Room for the closing brackets.
    while out.len() + 16 < target_bytes || statement == 0 {
        if statement > 0 {
            out.push(',');
        }
        out.push_str("\n    {\n");
        let _ = writeln!(out, "      \"Sid\": \"Generated{statement}\",");
        out.push_str(if rng.next().is_multiple_of(4) {
            "      \"Effect\": \"Deny\",\n"
        } else {
            "      \"Effect\": \"Allow\",\n"
        });
        // A run of distinct actions.
        let first = rng.next() as usize % ACTIONS.len();
        let count = 1 + rng.next() as usize % 12;
        out.push_str("      \"Action\": [");
        for i in 0..count.min(ACTIONS.len()) {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(
                out,
                "\n        \"{}\"",
                ACTIONS[(first + i) % ACTIONS.len()]
            );
        }
        out.push_str("\n      ],\n      \"Resource\": [");
        // Resources, until the statement is a few KB (or the document is full).
        let budget = 500 + rng.next() as usize % 6000;
        let start = out.len();
        let mut i = 0usize;
        while out.len() - start < budget && out.len() + 64 < target_bytes {
            if i > 0 {
                out.push(',');
            }
            let service = SERVICES[rng.next() as usize % SERVICES.len()];
            let _ = write!(
                out,
                "\n        \"arn:aws:{service}:*:*:generated/{statement}/resource-{i}/*\""
            );
            i += 1;
        }
        if i == 0 {
            out.push_str("\n        \"*\"");
        }
        out.push_str("\n      ]");
        if statement % 3 == 1 {
            out.push_str(
                ",\n      \"Condition\": {\n        \"StringEquals\": {\n          \"aws:RequestedRegion\": [\n            \"eu-west-1\",\n            \"eu-central-1\"\n          ]\n        },\n        \"Bool\": {\n          \"aws:SecureTransport\": \"true\"\n        }\n      }",
            );
        }
        out.push_str("\n    }");
        statement += 1;
    }
    out.push_str("\n  ]\n}\n");
    out
}

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}

/// Byte offsets of representative cursor positions in a policy: inside an action name
/// (after `service:`), inside an `Effect` value, and inside a statement key (`"Eff|ect"`).
pub struct Positions {
    pub action_value: usize,
    pub effect_value: usize,
    pub key_slot: usize,
}

pub fn positions(text: &str) -> Option<Positions> {
    let action_list = text.find("\"Action\"")?;
    let first_action = action_list + 8 + text[action_list + 8..].find('"')?;
    let colon = first_action + text[first_action..].find(':')?;
    let effect = text.find("\"Effect\"")?;
    let effect_value = effect + 8 + text[effect + 8..].find('"')? + 2;
    Some(Positions {
        action_value: colon + 1,
        effect_value,
        key_slot: effect + 4,
    })
}

//! Policies inside Terraform: each snippet marks with `⟦…⟧` the tokens the findings must point
//! at (ranges in the `.tf` file), with their codes; its nearest valid form gets no finding.

use iam_policy_lsp::host::Host;

mod iac_support;

fn findings(text: &str) -> Vec<(String, usize, usize)> {
    iac_support::findings(Host::Terraform, text)
}

/// `marked` gives exactly `codes` at its marks; the text with `fixed` for each mark gives none.
fn case(marked: &str, codes: &[&str], fixed: &[&str]) {
    let (text, ranges) = iac_support::unmark(marked);
    assert_eq!(codes.len(), ranges.len(), "one mark per code in {marked}");
    let expected: Vec<(String, usize, usize)> = codes
        .iter()
        .zip(&ranges)
        .map(|(code, (s, e))| (code.to_string(), *s, *e))
        .collect();
    assert_eq!(findings(&text), expected, "in:\n{text}");
    let mut valid = String::new();
    let mut rest = marked;
    for replacement in fixed {
        let (before, after) = rest.split_once('⟦').unwrap();
        let (_, after) = after.split_once('⟧').unwrap();
        valid.push_str(before);
        valid.push_str(replacement);
        rest = after;
    }
    valid.push_str(rest);
    assert_eq!(findings(&valid), vec![], "valid:\n{valid}");
}

#[test]
fn jsonencode_with_hcl_object_syntax() {
    case(
        r#"resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = ⟦"Alow"⟧
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}
resource "aws_iam_policy" "p" {
  policy = jsonencode({
    "Version" : "2012-10-17",
    "Statement" : [
      {
        Effect   = "Allow"
        Action   = [⟦"s3:GetObjekt"⟧, "s3:${var.op}", local.action, ⟦"$${aws:username}:x"⟧]
        Resource = ["arn:aws:s3:::${var.bucket}/*", aws_s3_bucket.b.arn]
        Condition = { StringEquals = { "aws:PrincipalTag/team" = var.team } }
      },
      var.enabled ? { Effect = "Deny", Action = ⟦"s3:DeleteObjekt"⟧, Resource = "*" } : null,
    ]
  })
}
"#,
        // `$${…}` is Terraform's escape: IAM gets the policy variable `${aws:username}`, which
        // it does not substitute in an action (`variable-not-allowed`).
        &[
            "invalid-effect",
            "unknown-action",
            "variable-not-allowed",
            "unknown-action",
        ],
        &[
            "\"Allow\"",
            "\"s3:GetObject\"",
            "\"s3:PutObject\"",
            "\"s3:DeleteObject\"",
        ],
    );
}

#[test]
fn heredoc_json_and_policy_strings() {
    case(
        r#"resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Effect": "Deny",
        "Principal": "*",
        "Action": ⟦"s3:*Objekt"⟧,
        "Resource": ["${aws_s3_bucket.b.arn}/*", ${jsonencode(var.extra)}],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}
      }]
    }
  EOT
}
resource "aws_sqs_queue_policy" "q" {
  queue_url = aws_sqs_queue.q.id
  policy = <<POLICY
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": ⟦"sqs:SendMesage"⟧, "Resource": "${aws_sqs_queue.q.arn}", "Condition": {"ArnEquals": {"aws:SourceArn": "${aws_sns_topic.t.arn}"}}}]}
POLICY
}
resource "aws_iam_role_policy" "s" {
  role   = aws_iam_role.r.id
  policy = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": ⟦\"ec2:DescribeInstancez\"⟧, \"Resource\": \"*\"}]}"
}
"#,
        &[
            "wildcard-matches-nothing",
            "unknown-action",
            "unknown-action",
        ],
        &[
            "\"s3:*Object\"",
            "\"sqs:SendMessage\"",
            "\\\"ec2:DescribeInstances\\\"",
        ],
    );
}

#[test]
fn policy_document_data_source() {
    case(
        r#"data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}
data "aws_iam_policy_document" "this" {
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject", ⟦"s3:ListBuckett"⟧]
    resources = ["arn:aws:s3:::b", "arn:aws:s3:::b/$${aws:username}/*"]
    condition {
      test     = ⟦"StringEqual"⟧
      variable = "aws:PrincipalTag/team"
      values   = [var.team]
    }
  }
  statement {
    effect      = "Allow"
    not_actions = [⟦"iam:CreateUserr"⟧]
    resources   = ["arn:aws:s3:::b"]
  }
  dynamic "statement" {
    for_each = var.extra
    content {
      actions   = statement.value.actions
      resources = statement.value.resources
    }
  }
}
resource "aws_iam_role" "r" {
  assume_role_policy = data.aws_iam_policy_document.assume.json
}
"#,
        &[
            "unknown-action",
            "invalid-condition-operator",
            "unknown-action",
        ],
        &[
            "\"s3:ListBucket\"",
            "\"StringEquals\"",
            "\"iam:CreateUser\"",
        ],
    );
}

#[test]
fn the_type_comes_from_the_resource() {
    // A trust policy needs a Principal; an identity policy must not have one.
    let trust = r#"resource "aws_iam_role" "r" {
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole" }] })
}
"#;
    assert!(
        findings(trust)
            .iter()
            .any(|(code, ..)| code == "missing-principal"),
        "{:?}",
        findings(trust)
    );
    let scp = r#"resource "aws_organizations_policy" "p" {
  content = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Deny", Action = "s3:*", Resource = "*", Principal = "*" }] })
}
"#;
    assert!(
        findings(scp)
            .iter()
            .any(|(code, ..)| code == "principal-not-allowed"),
        "{:?}",
        findings(scp)
    );
    let tag_policy = r#"resource "aws_organizations_policy" "p" {
  type    = "TAG_POLICY"
  content = jsonencode({ Statement = "x" })
}
"#;
    assert_eq!(findings(tag_policy), vec![]);
}

#[test]
fn silent_outside_policies_and_on_broken_hcl() {
    let quiet = [
        "variable \"x\" {\n  type = string\n}\n",
        "resource \"aws_ecr_lifecycle_policy\" \"l\" {\n  policy = jsonencode({ rules = [{ rulePriority = 1 }] })\n}\n",
        "resource \"aws_cloudwatch_event_rule\" \"e\" {\n  event_pattern = <<EOF\n{\"source\": [\"aws.ec2\"]}\nEOF\n}\n",
        "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{ Effect = \"Allow\", Action = [\"s3:Get\n",
        "resource \"aws_iam_policy\" \"p\" {\n  policy = <<EOT\n{\"Statement\": [ %{ for a in var.x } \"${a}\", %{ endfor } ]}\nEOT\n}\n",
        "}}}{{{ \" <<EOF \n",
        "",
    ];
    for text in quiet {
        let found = findings(text);
        assert!(
            found
                .iter()
                .all(|(code, ..)| code != "json-syntax" && code != "unknown-action"),
            "{found:?} in\n{text}"
        );
    }
}

/// A data source that is all the file holds (no line break after it) is read as the policy it
/// renders, not as the synthetic root that shares its range; half-typed values and keys in
/// it or in `jsonencode` draw no finding.
#[test]
fn half_typed_terraform_is_quiet() {
    let quiet = [
        "data \"aws_iam_policy_document\" \"d\" {\n  statement {\n    actions   = [\"s3:GetObject\"]\n    resources = [\"*\"]\n  }\n}",
        "data \"aws_iam_policy_document\" \"d\" {\n  statement {\n    actions   = [\"s3:GetObject\"]\n    resources = [\"*\"]\n  }\n  s\n}\n",
        "data \"aws_iam_policy_document\" \"d\" {\n  statement {\n    actions   = [\"s3:GetObject\", \"s3:Put\n    resources = [\"*\"]\n  }\n}\n",
        // A name being typed in a statement: without the repair, tree-sitter loses the file.
        "data \"aws_iam_policy_document\" \"d\" {\n  statement {\n    actions   = [\"s3:GetObject\"]\n    reso\n  }\n}\nresource \"aws_iam_policy\" \"p\" {\n  policy = data.aws_iam_policy_document.d.json\n}\n",
        "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{\n      Effect = \"Allow\"\n      Action = \"s3:Put\n      Resource = \"*\"\n    }]\n  })\n}\n",
        "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{\n      Effect = \"Allow\"\n      Action = \"s3:PutObject\"\n      Res\n    }]\n  })\n}\n",
    ];
    for text in quiet {
        assert_eq!(findings(text), vec![], "in:\n{text}");
    }
    // The rest of that file is still read: a misspelling after the name being typed is seen.
    let text = "data \"aws_iam_policy_document\" \"d\" {\n  statement {\n    reso\n    actions   = [\"s3:GetObjekt\"]\n    resources = [\"*\"]\n  }\n}\n";
    let start = text.find("\"s3:GetObjekt").unwrap();
    assert_eq!(
        findings(text),
        vec![("unknown-action".to_string(), start, start + 14)]
    );
}

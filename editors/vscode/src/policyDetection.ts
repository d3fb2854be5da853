import * as vscode from "vscode";

/** How much of a document is looked at to decide whether it is a policy. */
export const SNIFF_CHARS = 4096;

/** File-name patterns that mark policy documents and CloudFormation templates.
 *  Keep in sync with the `workspaceContains:` activation events in package.json. */
export const POLICY_GLOBS = [
  "**/*.policy.json",
  "**/*-policy.json",
  "**/policies/**/*.json",
  "**/*.template.json",
  "**/*.cfn.json",
  "**/cloudformation/**/*.json",
];

const CONTENT_MARKERS = [
  /"Statement"\s*:/, // IAM policy (identity, resource, SCP, trust policy)
  /"AWSTemplateFormatVersion"\s*:/, // CloudFormation template
  /"PolicyDocument"\s*:/, // CloudFormation / CLI policy wrapper
];

/** CloudFormation and SAM templates in YAML: a template marker or a policy key. */
const YAML_MARKERS = [
  /^\s*AWSTemplateFormatVersion\s*:/m,
  /^\s*Transform\s*:\s*['"]?AWS::Serverless/m,
  /^\s*Type\s*:\s*['"]?AWS::/m,
  /^\s*(-\s+)?Statement\s*:/m,
];

/** Terraform configurations that hold policies. */
const TERRAFORM_MARKERS = [
  /aws_iam_policy_document/,
  /\b(policy|assume_role_policy|access_policies|content)\s*=\s*(jsonencode|<<|")/,
  /"?Statement"?\s*[:=]/,
];

const JSON_LANGUAGES = new Set(["json", "jsonc"]);
/** The YAML and Terraform language ids the server reads (VS Code's own, and those of the Red Hat
 *  YAML, HashiCorp Terraform and AWS Toolkit extensions): it coexists with their servers. */
const YAML_LANGUAGES = new Set(["yaml", "cloudformation"]);
const TERRAFORM_LANGUAGES = new Set(["terraform", "hcl"]);

/** Every language id the client is started for (the document selector). */
export const LANGUAGES = [...JSON_LANGUAGES, ...YAML_LANGUAGES, ...TERRAFORM_LANGUAGES];
const SCHEMES = new Set(["file", "untitled"]);

/** True when the text's first SNIFF_CHARS characters look like an IAM policy or a CloudFormation template. */
export function looksLikePolicyText(text: string): boolean {
  const head = text.length > SNIFF_CHARS ? text.slice(0, SNIFF_CHARS) : text;
  return CONTENT_MARKERS.some((re) => re.test(head));
}

/** True when a YAML text looks like a CloudFormation/SAM template or holds a policy. */
export function looksLikeTemplateYaml(text: string): boolean {
  const head = text.length > SNIFF_CHARS ? text.slice(0, SNIFF_CHARS) : text;
  return YAML_MARKERS.some((re) => re.test(head));
}

/** True when a Terraform text holds a policy (the whole file is looked at: policies sit anywhere). */
export function looksLikeTerraformPolicy(text: string): boolean {
  return TERRAFORM_MARKERS.some((re) => re.test(text));
}

/** True for documents on disk or untitled that match a policy file pattern or look like a policy:
 *  JSON policies and templates, CloudFormation/SAM YAML, Terraform with policies. */
export function isPolicyDocument(doc: vscode.TextDocument): boolean {
  if (!SCHEMES.has(doc.uri.scheme)) {
    return false;
  }
  if (YAML_LANGUAGES.has(doc.languageId)) {
    const end = doc.positionAt(SNIFF_CHARS);
    return looksLikeTemplateYaml(doc.getText(new vscode.Range(new vscode.Position(0, 0), end)));
  }
  if (TERRAFORM_LANGUAGES.has(doc.languageId)) {
    return looksLikeTerraformPolicy(doc.getText());
  }
  if (!JSON_LANGUAGES.has(doc.languageId)) {
    return false;
  }
  if (POLICY_GLOBS.some((pattern) => vscode.languages.match({ pattern }, doc) > 0)) {
    return true;
  }
  const end = doc.positionAt(SNIFF_CHARS);
  return looksLikePolicyText(doc.getText(new vscode.Range(new vscode.Position(0, 0), end)));
}

/** True when some file of the workspace matches one of POLICY_GLOBS. */
export async function workspaceHasPolicyFiles(): Promise<boolean> {
  if (!vscode.workspace.workspaceFolders?.length) {
    return false;
  }
  for (const glob of POLICY_GLOBS) {
    const found = await vscode.workspace.findFiles(glob, "**/node_modules/**", 1);
    if (found.length > 0) {
      return true;
    }
  }
  return false;
}

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

const JSON_LANGUAGES = new Set(["json", "jsonc"]);
const SCHEMES = new Set(["file", "untitled"]);

/** True when the text's first SNIFF_CHARS characters look like an IAM policy or a CloudFormation template. */
export function looksLikePolicyText(text: string): boolean {
  const head = text.length > SNIFF_CHARS ? text.slice(0, SNIFF_CHARS) : text;
  return CONTENT_MARKERS.some((re) => re.test(head));
}

/** True for JSON documents on disk or untitled that match a policy file pattern or look like a policy. */
export function isPolicyDocument(doc: vscode.TextDocument): boolean {
  if (!JSON_LANGUAGES.has(doc.languageId) || !SCHEMES.has(doc.uri.scheme)) {
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

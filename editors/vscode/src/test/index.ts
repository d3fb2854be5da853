// Extension-host test module: loaded by VS Code (code-server) through `extensionTestsPath`.
// It drives the real editor through the public API and reports through console lines starting with
// "IAMTEST " (forwarded to the browser console, read by test/devtest.js) and a result file in
// $IAMTEST_SIGNAL_DIR. Every wait polls with a deadline.

import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as vscode from "vscode";
import type { IamPolicyLspApi } from "../extension";

const EXT_ID = "iam-policy-lsp.iam-policy-lsp";
const SOURCE = "iam-policy-lsp";
const signalDir = process.env.IAMTEST_SIGNAL_DIR;

type Status = "pass" | "fail" | "skip";
interface Outcome {
  name: string;
  status: Status;
  detail: string;
}
const outcomes: Outcome[] = [];

function emit(line: string): void {
  console.log(`IAMTEST ${line}`);
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

class Skip extends Error {}
/** Thrown by a waitFor probe to stop waiting at once. */
class GiveUp extends Error {}

function assert(cond: unknown, message: string): asserts cond {
  if (!cond) {
    throw new Error(message);
  }
}

/** Polls `probe` every `intervalMs` until it returns something other than undefined/false, or fails after `timeoutMs`. */
async function waitFor<T>(what: string, timeoutMs: number, probe: () => T | undefined | false | Promise<T | undefined | false>, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) {
        return v;
      }
    } catch (e) {
      if (e instanceof GiveUp) {
        throw e;
      }
      lastError = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${errText(lastError)})` : ""}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

async function check(name: string, body: () => Promise<string>): Promise<boolean> {
  const started = Date.now();
  let outcome: Outcome;
  try {
    outcome = { name, status: "pass", detail: await body() };
  } catch (e) {
    outcome = { name, status: e instanceof Skip ? "skip" : "fail", detail: errText(e) };
  }
  outcomes.push(outcome);
  emit(`CHECK ${outcome.status.toUpperCase()} ${name} (${Date.now() - started} ms): ${outcome.detail}`);
  return outcome.status === "pass";
}

function diagCode(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) {
    return undefined;
  }
  return typeof c === "object" ? String(c.value) : String(c);
}

function fmtRange(r: vscode.Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

/** Range of the first occurrence of `needle` in the document. */
function rangeOf(doc: vscode.TextDocument, needle: string, from = 0): vscode.Range {
  const i = doc.getText().indexOf(needle, from);
  assert(i >= 0, `fixture ${doc.uri.fsPath} lacks ${needle}`);
  return new vscode.Range(doc.positionAt(i), doc.positionAt(i + needle.length));
}

function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === "string" ? item.label : item.label.label;
}

async function complete(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>("vscode.executeCompletionItemProvider", doc.uri, pos);
  return list?.items ?? [];
}

/** Applies a completion item the way the editor does (its range, or the word at the cursor) and returns the new text. */
async function applyCompletion(doc: vscode.TextDocument, pos: vscode.Position, item: vscode.CompletionItem): Promise<string> {
  let range: vscode.Range | undefined;
  if (item.range instanceof vscode.Range) {
    range = item.range;
  } else if (item.range) {
    range = item.range.replacing;
  } else {
    range = doc.getWordRangeAtPosition(pos) ?? new vscode.Range(pos, pos);
  }
  let text = item.insertText ?? labelOf(item);
  if (text instanceof vscode.SnippetString) {
    // Enough for completion snippets: drop tab stops, keep placeholder defaults.
    text = text.value.replace(/\$\{\d+:([^}]*)\}/g, "$1").replace(/\$\{\d+\}|\$\d+/g, "");
  }
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, range, text);
  assert(await vscode.workspace.applyEdit(edit), "workspace.applyEdit refused the completion edit");
  return doc.getText();
}

async function restore(doc: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
  assert(await vscode.workspace.applyEdit(edit), "could not restore the fixture text");
}

function runVersion(command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, ["--version"], { timeout: 10_000 }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`${command} --version failed: ${stderr || err.message}`));
      } else {
        resolve(stdout.trim());
      }
    });
  });
}

/** True when `--version` names a catalogue/data version, e.g. "iam-policy-lsp 0.1.0 (catalog 2026-10-01)". */
function mentionsCatalogue(version: string): boolean {
  return /\b(catalog(ue)?|data)\b[^\n]*\d/i.test(version) && !/not (yet )?embedded/i.test(version);
}

async function openInEditor(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc, { preview: false });
}

function invalidEffectDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => diagCode(d) === "invalid-effect");
}

async function suite(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert(folder, "no workspace folder is open (the URL's ?folder= was not honoured)");
  const notesUri = vscode.Uri.joinPath(folder.uri, "notes.json");
  const policyUri = vscode.Uri.joinPath(folder.uri, "roles", "inline-role.json");
  const completionUri = vscode.Uri.joinPath(folder.uri, "roles", "completion.json");
  const ext = vscode.extensions.getExtension<IamPolicyLspApi>(EXT_ID);
  let api: IamPolicyLspApi | undefined;

  await check("activation-gate", async () => {
    assert(ext, `extension ${EXT_ID} is not loaded (extensionDevelopmentPath wrong?)`);
    await openInEditor(notesUri);
    await waitFor("activation by onLanguage:json", 20_000, () => ext.isActive);
    api = ext.exports;
    assert(api.state() === "stopped" && api.startCount() === 0, `a non-policy JSON file started the server (state ${api.state()}, starts ${api.startCount()})`);
    await openInEditor(policyUri);
    await waitFor("the language client to be running after opening a policy", 30_000, () => {
      const failure = api!.lastError();
      if (failure && api!.state() === "stopped") {
        throw new GiveUp(`the language client failed to start ${api!.server()?.command}: ${failure}`);
      }
      return api!.state() === "running";
    });
    const server = api.server();
    assert(server?.source === "env" && server.command === process.env.IAM_POLICY_LSP_PATH, `server resolved as ${JSON.stringify(server)}, expected IAM_POLICY_LSP_PATH=${process.env.IAM_POLICY_LSP_PATH}`);
    return `notes.json did not start the server; inline-role.json did (server ${server.command}, via ${server.source})`;
  });
  if (api?.state() !== "running") {
    emit("ABORT the language client is not running; the remaining checks cannot run");
    return;
  }

  const policyDoc = await vscode.workspace.openTextDocument(policyUri);
  // IAMTEST_BREAK_EXPECTATION=1 expects the diagnostic on the wrong token: the run must then
  // fail, which proves the harness can fail (.ci/run checks it).
  const expectedToken = process.env.IAMTEST_BREAK_EXPECTATION === "1" ? '"Effect"' : '"Alow"';
  const alowRange = rangeOf(policyDoc, expectedToken);
  let invalidEffect: vscode.Diagnostic | undefined;

  await check("diagnostics", async () => {
    const diags = await waitFor("a diagnostic with code invalid-effect", 20_000, () => {
      const found = invalidEffectDiagnostics(policyUri);
      return found.length > 0 ? found : undefined;
    }).catch((e) => {
      const all = vscode.languages.getDiagnostics(policyUri).map((d) => `${diagCode(d)}@${fmtRange(d.range)} ${d.source}: ${d.message}`);
      throw new Error(`${errText(e)}; diagnostics present: ${JSON.stringify(all)}`);
    });
    assert(diags.length === 1, `expected one invalid-effect diagnostic, got ${diags.length}`);
    const d = diags[0];
    assert(d.source === SOURCE, `source is ${JSON.stringify(d.source)}, expected "${SOURCE}"`);
    assert(d.range.isEqual(alowRange), `range ${fmtRange(d.range)} does not cover the token ${expectedToken} with its quotes (${fmtRange(alowRange)})`);
    invalidEffect = d;
    return `invalid-effect at ${fmtRange(d.range)} (severity ${vscode.DiagnosticSeverity[d.severity]}): ${d.message}`;
  });

  await check("hover", async () => {
    const effectKey = rangeOf(policyDoc, '"Effect"');
    const pos = effectKey.start.translate(0, 3);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>("vscode.executeHoverProvider", policyUri, pos);
    const texts = (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === "string" ? c : c.value)));
    const markdown = texts.map((t) => t.trim()).filter((t) => t.length > 0);
    assert(markdown.length > 0, `no hover text at ${pos.line}:${pos.character} ("Effect" key); got ${JSON.stringify(texts)}`);
    return `hover on "Effect": ${JSON.stringify(markdown.join(" | ").slice(0, 160))}`;
  });

  if (signalDir) {
    await check("screenshot", async () => {
      await vscode.commands.executeCommand("workbench.actions.view.problems"); // the diagnostic's message, in the picture too
      const editor = await openInEditor(policyUri);
      const inside = alowRange.start.translate(0, 1); // just after the opening quote of "Alow"
      editor.selection = new vscode.Selection(inside, inside);
      editor.revealRange(alowRange, vscode.TextEditorRevealType.InCenter);
      await vscode.commands.executeCommand("editor.action.triggerSuggest");
      const done = path.join(signalDir, "screenshot.done");
      emit("SCREENSHOT-READY");
      const result = await waitFor("the driver to take the screenshot", 60_000, () => (fs.existsSync(done) ? fs.readFileSync(done, "utf8").trim() : undefined), 100);
      await vscode.commands.executeCommand("hideSuggestWidget");
      assert(result.startsWith("ok"), `driver: ${result}`);
      return result;
    });
  } else {
    outcomes.push({ name: "screenshot", status: "skip", detail: "IAMTEST_SIGNAL_DIR is not set" });
  }

  const completionDoc = await vscode.workspace.openTextDocument(completionUri);
  const original = completionDoc.getText();

  await check("completion-effect", async () => {
    await openInEditor(completionUri);
    const pos = rangeOf(completionDoc, '"Effect": ""').end.translate(0, -1); // between the quotes
    const items = await complete(completionDoc, pos);
    const labels = items.map(labelOf);
    const unquoted = labels.map((l) => l.replace(/^"|"$/g, ""));
    for (const want of ["Allow", "Deny"]) {
      assert(unquoted.includes(want), `completion inside "Effect": "" lacks ${want}; labels: ${JSON.stringify(labels.slice(0, 30))}`);
    }
    const allow = items[unquoted.indexOf("Allow")];
    const after = await applyCompletion(completionDoc, pos, allow);
    await restore(completionDoc, original);
    assert(after.includes('"Effect": "Allow",'), `accepting "Allow" gave ${JSON.stringify(after.split("\n")[4])}, expected "Effect": "Allow",`);
    return `offered ${JSON.stringify(labels.slice(0, 10))}; accepting Allow gives "Effect": "Allow"`;
  });

  await check("completion-support-action", async () => {
    const command = api!.server()!.command;
    const version = await runVersion(command);
    if (!mentionsCatalogue(version)) {
      throw new Skip(`\`iam-policy-lsp --version\` printed ${JSON.stringify(version)}, which names no catalogue/data version: the action catalogue has not landed`);
    }
    const pos = rangeOf(completionDoc, '"support:"').end.translate(0, -1); // after "support:
    const items = await complete(completionDoc, pos);
    const labels = items.map(labelOf);
    const item = items.find((it) => labelOf(it).includes("DescribeSupportLevel"));
    assert(item, `completion after "support: lacks support:DescribeSupportLevel; ${labels.length} labels, first: ${JSON.stringify(labels.slice(0, 15))}`);
    const after = await applyCompletion(completionDoc, pos, item);
    await restore(completionDoc, original);
    assert(after.includes('["support:DescribeSupportLevel"]'), `accepting ${labelOf(item)} gave ${JSON.stringify(after.split("\n")[5])}, expected ["support:DescribeSupportLevel"]`);
    return `${version}: offered ${labelOf(item)} among ${labels.length} items; accepting it gives "support:DescribeSupportLevel"`;
  });

  await check("rules-setting", async () => {
    // iamPolicyLsp.rules reaches the server through workspace/didChangeConfiguration.
    const config = () => vscode.workspace.getConfiguration("iamPolicyLsp");
    const setRules = (rules: Record<string, string> | undefined) => config().update("rules", rules, vscode.ConfigurationTarget.Global);
    try {
      await setRules({ "invalid-effect": "off" });
      await waitFor('the invalid-effect diagnostic to disappear after "invalid-effect": "off"', 20_000, () => invalidEffectDiagnostics(policyUri).length === 0);
      await setRules({ "invalid-effect": "hint" });
      await waitFor('the invalid-effect diagnostic to come back as a hint after "invalid-effect": "hint"', 20_000, () =>
        invalidEffectDiagnostics(policyUri).some((d) => d.severity === vscode.DiagnosticSeverity.Hint),
      );
    } finally {
      await setRules(undefined);
    }
    const back = await waitFor("the invalid-effect diagnostic back at its default severity after the setting is removed", 20_000, () =>
      invalidEffectDiagnostics(policyUri).find((d) => !invalidEffect || d.severity === invalidEffect.severity),
    );
    invalidEffect = back;
    return 'off removed the diagnostic, "hint" brought it back as a hint, removing the setting restored it';
  });

  await check("quickfix", async () => {
    assert(invalidEffect, "no invalid-effect diagnostic to fix (see the diagnostics check)");
    await openInEditor(policyUri);
    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      "vscode.executeCodeActionProvider",
      policyUri,
      invalidEffect.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const titles = (actions ?? []).map((a) => a.title);
    const fix = (actions ?? []).find(
      (a): a is vscode.CodeAction => "kind" in a && !!a.kind && vscode.CodeActionKind.QuickFix.contains(a.kind) && /Change to "Allow"/.test(a.title),
    );
    assert(fix, `no quickfix titled like 'Change to "Allow"'; code actions: ${JSON.stringify(titles)}`);
    assert(fix.edit || fix.command, `the quick fix "${fix.title}" has neither an edit nor a command`);
    if (fix.edit) {
      assert(await vscode.workspace.applyEdit(fix.edit), "workspace.applyEdit refused the quick fix");
    }
    if (fix.command) {
      await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
    }
    assert(policyDoc.getText().includes('"Effect": "Allow",'), `after the fix line 5 is ${JSON.stringify(policyDoc.lineAt(4).text)}`);
    await waitFor("the invalid-effect diagnostic to disappear", 20_000, () => invalidEffectDiagnostics(policyUri).length === 0);
    return `applied "${fix.title}"; the invalid-effect diagnostic is gone`;
  });

  await commandChecks(api, policyUri);
}

async function commandChecks(api: IamPolicyLspApi, policyUri: vscode.Uri): Promise<void> {
  await check("command-show-version", async () => {
    const shown = await vscode.commands.executeCommand<string | undefined>("iamPolicyLsp.showCatalogVersion");
    const expected = await runVersion(api.server()!.command);
    assert(shown === expected, `the command returned ${JSON.stringify(shown)}, \`--version\` prints ${JSON.stringify(expected)}`);
    return `shows ${JSON.stringify(shown)}`;
  });

  await check("command-restart", async () => {
    const before = api.startCount();
    await vscode.commands.executeCommand("iamPolicyLsp.restartServer");
    await waitFor("the client to run again after restartServer", 30_000, () => api.state() === "running" && api.startCount() === before + 1);
    const doc = await vscode.workspace.openTextDocument(policyUri);
    const pos = rangeOf(doc, '"Effect"').start.translate(0, 3);
    await waitFor("a hover from the restarted server", 20_000, async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>("vscode.executeHoverProvider", policyUri, pos);
      return (hovers ?? []).some((h) => h.contents.length > 0);
    });
    return `restarted (start #${api.startCount()}); the new server answers hover`;
  });

  // A CloudFormation template and a Terraform file (issue 17): diagnostics at the YAML/HCL
  // token, a quick fix written in YAML, key completion in the host's syntax.
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  assert(root, "no workspace folder");
  const templateUri = vscode.Uri.joinPath(root, "iac", "template.yaml");
  const terraformUri = vscode.Uri.joinPath(root, "iac", "main.tf");

  await check("yaml-template", async () => {
    await openInEditor(templateUri);
    const doc = await vscode.workspace.openTextDocument(templateUri);
    assert(doc.languageId === "yaml", `template.yaml opened as ${doc.languageId}, expected yaml`);
    const token = rangeOf(doc, "s3:GetObjekt");
    const unknown = () => vscode.languages.getDiagnostics(templateUri).filter((d) => diagCode(d) === "unknown-action");
    const found = await waitFor("unknown-action in the YAML template", 20_000, () => (unknown().length > 0 ? unknown() : undefined));
    assert(found.length === 1 && found[0].range.isEqual(token), `unknown-action at ${found.map((d) => fmtRange(d.range))}, expected ${fmtRange(token)} (the plain scalar)`);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>("vscode.executeCodeActionProvider", templateUri, token);
    const fix = (actions ?? []).find((a) => a.title.includes("s3:GetObject") && a.edit);
    assert(fix?.edit, `no "s3:GetObject" quick fix; actions: ${JSON.stringify((actions ?? []).map((a) => a.title))}`);
    const original = doc.getText();
    assert(await vscode.workspace.applyEdit(fix.edit), "workspace.applyEdit refused the quick fix");
    assert(doc.getText().includes("                  - s3:GetObject\n"), `the fix gave ${JSON.stringify(doc.getText().split("\n")[19])}`);
    await waitFor("the unknown-action diagnostic to go", 20_000, () => unknown().length === 0);
    // A key typed on its own line, before its colon: completed as a YAML key.
    const resource = rangeOf(doc, "Resource: '*'");
    const edit = new vscode.WorkspaceEdit();
    edit.insert(templateUri, resource.end, "\n                Condi");
    assert(await vscode.workspace.applyEdit(edit), "could not type the key");
    const pos = resource.end.translate(1, 0).with({ character: 21 });
    const items = await waitFor("key completion in YAML", 20_000, async () => {
      const got = await complete(doc, pos);
      return got.some((i) => labelOf(i) === "Condition") ? got : undefined;
    });
    const after = await applyCompletion(doc, pos, items.find((i) => labelOf(i) === "Condition")!);
    await restore(doc, original);
    assert(after.includes("\n                Condition: "), `accepting Condition gave ${JSON.stringify(after.split("\n")[21])}`);
    return `unknown-action at ${fmtRange(token)}, fixed in YAML; key completion gives "Condition: "`;
  });

  await check("terraform-file", async () => {
    await openInEditor(terraformUri);
    let doc = await vscode.workspace.openTextDocument(terraformUri);
    // Without HashiCorp's extension, .tf is a language the extension itself registers.
    assert(doc.languageId === "terraform", `main.tf opened as ${doc.languageId}, expected terraform`);
    const token = rangeOf(doc, '"s3:GetObjekt"');
    const unknown = () => vscode.languages.getDiagnostics(terraformUri).filter((d) => diagCode(d) === "unknown-action");
    const found = await waitFor("unknown-action in the Terraform file", 20_000, () => (unknown().length > 0 ? unknown() : undefined));
    assert(found.length === 1 && found[0].range.isEqual(token), `unknown-action at ${found.map((d) => fmtRange(d.range))}, expected ${fmtRange(token)}`);
    // The data source's own names complete, even typed alone on a line.
    const original = doc.getText();
    const resources = rangeOf(doc, 'resources = ["*"]');
    const edit = new vscode.WorkspaceEdit();
    edit.insert(terraformUri, resources.end, "\n    cond");
    assert(await vscode.workspace.applyEdit(edit), "could not type the name");
    doc = await vscode.workspace.openTextDocument(terraformUri);
    const pos = new vscode.Position(resources.end.line + 1, 8);
    const items = await waitFor("completion of the data source's names", 20_000, async () => {
      const got = await complete(doc, pos);
      return got.some((i) => labelOf(i) === "condition") ? got : undefined;
    });
    const after = await applyCompletion(doc, pos, items.find((i) => labelOf(i) === "condition")!);
    await restore(doc, original);
    assert(after.includes("\n    condition {}\n"), `accepting condition gave ${JSON.stringify(after.split("\n")[4])}`);
    return `unknown-action at ${fmtRange(token)}; "cond" completes to "condition {}"`;
  });

  // Last: it replaces the catalogue with the repository's three-service test mirror (in the
  // run's own XDG_CACHE_HOME), which the checks above do not expect.
  await check("command-update-catalog", async () => {
    const mirror = path.resolve(__dirname, "../../../../tests/catalog_update/mirror");
    assert(fs.existsSync(path.join(mirror, "v1", "service-list.json")), `no test mirror at ${mirror}`);
    await vscode.workspace.getConfiguration("iamPolicyLsp").update("catalog.source", mirror, vscode.ConfigurationTarget.Global);
    const answer = await vscode.commands.executeCommand<{ changed?: boolean; counts?: { services?: number; actions?: number }; dataVersion?: string }>(
      "iamPolicyLsp.updateCatalog",
    );
    assert(answer?.changed === true, `the command answered ${JSON.stringify(answer)}`);
    assert(answer.counts?.services === 3 && answer.counts?.actions === 9, `counts ${JSON.stringify(answer.counts)}, expected the mirror's 3 services and 9 actions`);
    assert(answer.dataVersion?.includes(mirror), `dataVersion ${JSON.stringify(answer.dataVersion)} does not name the mirror`);
    // The same server, without a restart, now answers from the new catalogue.
    const doc = await vscode.workspace.openTextDocument(policyUri);
    const pos = rangeOf(doc, '"s3:GetObject"').start.translate(0, 5);
    await waitFor("a hover that names the updated catalogue", 20_000, async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>("vscode.executeHoverProvider", policyUri, pos);
      return (hovers ?? []).some((h) => h.contents.some((c) => (typeof c === "string" ? c : c.value).includes("AWS service reference fetched")));
    });
    return `updated from the test mirror without a restart (start #${api.startCount()}): ${answer.dataVersion}`;
  });
}

export async function run(): Promise<void> {
  emit(`START VS Code ${vscode.version}, server ${process.env.IAM_POLICY_LSP_PATH ?? "(IAM_POLICY_LSP_PATH unset)"}`);
  try {
    await suite();
  } catch (e) {
    outcomes.push({ name: "suite", status: "fail", detail: errText(e) });
    emit(`CHECK FAIL suite: ${errText(e)}`);
  }
  const count = (s: Status) => outcomes.filter((o) => o.status === s).length;
  const failed = count("fail") > 0 || count("pass") === 0;
  const summary = `${count("pass")} passed, ${count("fail")} failed, ${count("skip")} skipped`;
  const result = { ok: !failed, summary, outcomes };
  if (signalDir) {
    fs.writeFileSync(path.join(signalDir, "result.json.tmp"), JSON.stringify(result, null, 2));
    fs.renameSync(path.join(signalDir, "result.json.tmp"), path.join(signalDir, "result.json"));
  }
  emit(`RESULT ${JSON.stringify(result)}`);
  emit(`${failed ? "FAIL" : "PASS"} ${summary}`);
  if (failed) {
    throw new Error(`IAM policy extension tests failed: ${summary}`);
  }
}

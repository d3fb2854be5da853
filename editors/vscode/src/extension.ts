import { execFile } from "child_process";
import { promisify } from "util";
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
} from "vscode-languageclient/node";
import { isPolicyDocument, LANGUAGES, workspaceHasPolicyFiles } from "./policyDetection";
import { INSTALL_COMMAND, INSTALL_HINT, ResolvedServer, ServerNotFoundError, resolveServer } from "./serverPath";

const execFileAsync = promisify(execFile);
const CLIENT_ID = "iamPolicyLsp";
const CLIENT_NAME = "IAM Policy LSP";
const RULE_SEVERITIES = new Set(["off", "error", "warning", "information", "hint"]);
const LOG_LEVELS = new Set(["error", "warn", "info", "debug", "trace"]);

export type ClientState = "stopped" | "starting" | "running";

/** What activate() returns: used by the extension's own tests, and usable by other extensions. */
export interface IamPolicyLspApi {
  /** State of the language client. "stopped" also before it was ever started. */
  state(): ClientState;
  /** How many times a server was started since activation. */
  startCount(): number;
  /** The binary in use, once started. */
  server(): ResolvedServer | undefined;
  /** The running client, if any. */
  client(): LanguageClient | undefined;
  /** Why the last start failed, if it did. */
  lastError(): string | undefined;
}

let context: vscode.ExtensionContext;
let output: vscode.OutputChannel;
let traceOutput: vscode.OutputChannel;
let client: LanguageClient | undefined;
let server: ResolvedServer | undefined;
let starting: Promise<void> | undefined;
let startCount = 0;
let lastError: string | undefined;
let gateListeners: vscode.Disposable[] = [];

function log(msg: string): void {
  output.appendLine(`[client] ${msg}`);
}

/** The `rules` setting, reduced to entries with a known severity. */
function ruleSettings(): Record<string, string> {
  const raw = vscode.workspace.getConfiguration("iamPolicyLsp").get<Record<string, unknown>>("rules") ?? {};
  const rules: Record<string, string> = {};
  for (const [code, severity] of Object.entries(raw)) {
    if (typeof severity === "string" && RULE_SEVERITIES.has(severity)) {
      rules[code] = severity;
    } else {
      log(`Ignoring iamPolicyLsp.rules["${code}"] = ${JSON.stringify(severity)}: expected one of ${[...RULE_SEVERITIES].join(", ")}.`);
    }
  }
  return rules;
}

function serverSettings(): { rules: Record<string, string> } {
  return { rules: ruleSettings() };
}

async function reportMissingServer(message: string): Promise<void> {
  log(message);
  const openSettings = "Open Settings";
  // Only a command that works: the crate is not on crates.io; this one is run in a clone.
  const copy = "Copy Install Command (run it in a clone)";
  const choice = await vscode.window.showErrorMessage(`IAM Policy LSP: ${message}`, openSettings, copy);
  if (choice === openSettings) {
    await vscode.commands.executeCommand("workbench.action.openSettings", "iamPolicyLsp.server.path");
  } else if (choice === copy) {
    await vscode.env.clipboard.writeText(INSTALL_COMMAND);
  }
}

/** Resolves the binary, reporting failures to the user. */
function findServer(): ResolvedServer | undefined {
  try {
    const found = resolveServer(context, log);
    if (!found) {
      void reportMissingServer(`the language server binary iam-policy-lsp was not found. ${INSTALL_HINT}`);
    }
    return found;
  } catch (e) {
    if (e instanceof ServerNotFoundError) {
      void reportMissingServer(`${e.message} ${INSTALL_HINT}`);
      return undefined;
    }
    throw e;
  }
}

async function startClient(): Promise<void> {
  if (client || starting) {
    return starting;
  }
  const found = findServer();
  if (!found) {
    return;
  }
  starting = (async () => {
    const logLevel = vscode.workspace.getConfiguration("iamPolicyLsp").get<string>("logLevel", "warn");
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (LOG_LEVELS.has(logLevel)) {
      env.RUST_LOG = logLevel;
    }
    const serverOptions: ServerOptions = { command: found.command, args: [], options: { env } };
    const clientOptions: LanguageClientOptions = {
      // JSON, CloudFormation/SAM YAML and Terraform: the server itself stays silent on files
      // that hold no policy, next to the YAML and Terraform extensions' own servers.
      documentSelector: LANGUAGES.flatMap((language) => [
        { language, scheme: "file" },
        { language, scheme: "untitled" },
      ]),
      initializationOptions: serverSettings(),
      outputChannel: output,
      traceOutputChannel: traceOutput,
    };
    const c = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
    log(`Starting ${found.command} (found via ${found.source}), RUST_LOG=${env.RUST_LOG ?? "(unset)"}`);
    startCount++;
    client = c;
    server = found;
    lastError = undefined;
    try {
      await c.start();
    } catch (e) {
      client = undefined;
      lastError = e instanceof Error ? e.message : String(e);
      log(`The server failed to start: ${lastError}`);
      void vscode.window.showErrorMessage(`IAM Policy LSP: the server ${found.command} failed to start. See the output channel "${CLIENT_NAME}".`);
    }
  })();
  try {
    await starting;
  } finally {
    starting = undefined;
  }
}

async function stopClient(): Promise<void> {
  await starting;
  const c = client;
  client = undefined;
  if (c && c.state !== State.Stopped) {
    await c.stop();
  }
}

function stopWatchingForPolicies(): void {
  for (const d of gateListeners) {
    d.dispose();
  }
  gateListeners = [];
}

/** Starts the server now if the workspace has policies, or else as soon as a policy is opened. */
async function startWhenPoliciesAppear(): Promise<void> {
  const onCandidate = (doc: vscode.TextDocument) => {
    if (!client && !starting && isPolicyDocument(doc)) {
      stopWatchingForPolicies();
      log(`Policy detected in ${doc.uri.toString()}`);
      void startClient();
    }
  };
  gateListeners.push(
    vscode.workspace.onDidOpenTextDocument(onCandidate),
    vscode.workspace.onDidChangeTextDocument((e) => onCandidate(e.document)),
  );
  const openPolicy = vscode.workspace.textDocuments.find(isPolicyDocument);
  if (openPolicy) {
    onCandidate(openPolicy);
    return;
  }
  if (await workspaceHasPolicyFiles()) {
    stopWatchingForPolicies();
    log("The workspace contains policy files.");
    await startClient();
  } else {
    log("No policy document seen yet; the server starts when one is opened.");
  }
}

function onConfigurationChanged(e: vscode.ConfigurationChangeEvent): void {
  if (e.affectsConfiguration("iamPolicyLsp.server.path") || e.affectsConfiguration("iamPolicyLsp.logLevel")) {
    if (client) {
      void vscode.window
        .showInformationMessage("IAM Policy LSP: restart the server to apply the new setting?", "Restart")
        .then((choice) => choice && vscode.commands.executeCommand("iamPolicyLsp.restartServer"));
    }
  }
  if (e.affectsConfiguration("iamPolicyLsp.rules") && client?.state === State.Running) {
    void client.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { iamPolicyLsp: serverSettings() },
    });
  }
}

async function restartServer(): Promise<void> {
  stopWatchingForPolicies();
  await stopClient();
  await startClient();
}

/** Shows what `iam-policy-lsp --version` prints (server and catalogue version) and returns it. */
async function showCatalogVersion(): Promise<string | undefined> {
  const found = server ?? findServer();
  if (!found) {
    return undefined;
  }
  try {
    const { stdout } = await execFileAsync(found.command, ["--version"], { timeout: 10_000 });
    const version = stdout.trim();
    void vscode.window.showInformationMessage(`IAM Policy LSP: ${version} (${found.command})`);
    return version;
  } catch (e) {
    const detail = (e as { stderr?: string }).stderr || (e instanceof Error ? e.message : String(e));
    void vscode.window.showErrorMessage(`IAM Policy LSP: \`${found.command} --version\` failed: ${detail}`);
    return undefined;
  }
}

/**
 * Asks the server to fetch AWS's Service Authorization Reference (or the mirror of the setting
 * `iamPolicyLsp.catalog.source`), cache it and use it at once: every open policy is checked
 * again, no restart. The server reports success or failure itself (window/showMessage); the
 * answer (`{changed, dataVersion, date, counts}`) is returned for the extension's tests.
 */
async function updateCatalog(): Promise<unknown> {
  if (!client) {
    await startClient();
  }
  const c = client;
  if (!c || c.state !== State.Running) {
    void vscode.window.showErrorMessage("IAM Policy LSP: the server is not running, so the catalogue cannot be updated.");
    return undefined;
  }
  const source = vscode.workspace.getConfiguration("iamPolicyLsp").get<string>("catalog.source", "").trim();
  log(`Updating the catalogue from ${source || "AWS"}`);
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `IAM Policy: updating the AWS catalogue from ${source || "AWS"}…` },
    async () => {
      try {
        const answer = await c.sendRequest(ExecuteCommandRequest.type, {
          command: "iam-policy-lsp.updateCatalog",
          arguments: source ? [{ source }] : [],
        });
        log(`Catalogue updated: ${JSON.stringify(answer)}`);
        return answer;
      } catch (e) {
        // The server has already shown the reason; keep it in the log too.
        log(`The catalogue update failed: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      }
    },
  );
}

export async function activate(ctx: vscode.ExtensionContext): Promise<IamPolicyLspApi> {
  context = ctx;
  output = vscode.window.createOutputChannel(CLIENT_NAME);
  traceOutput = vscode.window.createOutputChannel(`${CLIENT_NAME} Trace`);
  ctx.subscriptions.push(
    output,
    traceOutput,
    vscode.commands.registerCommand("iamPolicyLsp.restartServer", restartServer),
    vscode.commands.registerCommand("iamPolicyLsp.showCatalogVersion", showCatalogVersion),
    vscode.commands.registerCommand("iamPolicyLsp.updateCatalog", updateCatalog),
    vscode.workspace.onDidChangeConfiguration(onConfigurationChanged),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      if (vscode.workspace.getConfiguration("iamPolicyLsp").get<string>("server.path") && client) {
        void restartServer();
      }
    }),
    { dispose: stopWatchingForPolicies },
  );
  await startWhenPoliciesAppear();
  return {
    state: () => {
      if (starting || client?.state === State.Starting) {
        return "starting";
      }
      return client?.state === State.Running ? "running" : "stopped";
    },
    startCount: () => startCount,
    server: () => server,
    client: () => client,
    lastError: () => lastError,
  };
}

export async function deactivate(): Promise<void> {
  stopWatchingForPolicies();
  await stopClient();
}

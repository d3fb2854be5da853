import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as vscode from "vscode";

export const ENV_VAR = "IAM_POLICY_LSP_PATH";
export const BINARY_NAME = process.platform === "win32" ? "iam-policy-lsp.exe" : "iam-policy-lsp";
/** The command the install prompt copies: it works in a clone of the repository (the crate is
 * not published on crates.io, so `cargo install iam-policy-lsp` would fail). */
export const INSTALL_COMMAND = "cargo install --path .";
export const INSTALL_HINT =
  `Install it with \`${INSTALL_COMMAND}\` in a clone of the iam-policy-lsp repository ` +
  "(or `cargo install --git <the repository's URL> iam-policy-lsp`), " +
  "or set `iamPolicyLsp.server.path`, or the environment variable IAM_POLICY_LSP_PATH.";

export type ServerSource = "setting" | "env" | "bundled" | "path";

export interface ResolvedServer {
  command: string;
  source: ServerSource;
}

/** A configured location that does not hold an executable: reported, never silently skipped. */
export class ServerNotFoundError extends Error {}

function isExecutableFile(p: string): boolean {
  try {
    if (!fs.statSync(p).isFile()) {
      return false;
    }
    if (process.platform !== "win32") {
      fs.accessSync(p, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

function expandHome(p: string): string {
  return p === "~" || p.startsWith("~/") ? path.join(os.homedir(), p.slice(1)) : p;
}

function searchPath(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir && isExecutableFile(path.join(dir, BINARY_NAME))) {
      return path.join(dir, BINARY_NAME);
    }
  }
  return undefined;
}

/**
 * Finds the server binary, in this order:
 * 1. the setting `iamPolicyLsp.server.path` (machine scope; ignored when the workspace is not trusted),
 * 2. the environment variable IAM_POLICY_LSP_PATH,
 * 3. the binary bundled in the extension at `server/iam-policy-lsp`,
 * 4. `iam-policy-lsp` on PATH.
 * Returns undefined when none is found; throws ServerNotFoundError when the setting or the
 * environment variable names a file that is not an executable.
 */
export function resolveServer(context: vscode.ExtensionContext, log: (msg: string) => void): ResolvedServer | undefined {
  const configured = vscode.workspace.getConfiguration("iamPolicyLsp").get<string>("server.path", "").trim();
  if (configured) {
    if (!vscode.workspace.isTrusted) {
      log(`Ignoring iamPolicyLsp.server.path (${configured}): the workspace is not trusted.`);
    } else {
      const p = expandHome(configured);
      if (!isExecutableFile(p)) {
        throw new ServerNotFoundError(`iamPolicyLsp.server.path is set to "${configured}", which is not an executable file.`);
      }
      return { command: p, source: "setting" };
    }
  }
  const fromEnv = process.env[ENV_VAR]?.trim();
  if (fromEnv) {
    const p = expandHome(fromEnv);
    if (!isExecutableFile(p)) {
      throw new ServerNotFoundError(`${ENV_VAR} is set to "${fromEnv}", which is not an executable file.`);
    }
    return { command: p, source: "env" };
  }
  const bundled = context.asAbsolutePath(path.join("server", BINARY_NAME));
  if (isExecutableFile(bundled)) {
    return { command: bundled, source: "bundled" };
  }
  const onPath = searchPath();
  if (onPath) {
    return { command: onPath, source: "path" };
  }
  return undefined;
}

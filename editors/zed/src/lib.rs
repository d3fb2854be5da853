//! Zed extension for iam-policy-lsp: starts the `iam-policy-lsp` binary (found on the worktree's
//! PATH, or at `lsp.iam-policy-lsp.binary.path` in Zed's settings) for JSON files, and passes
//! `lsp.iam-policy-lsp.initialization_options` / `.settings` through to it.
use zed_extension_api::{self as zed, settings::LspSettings, LanguageServerId, Result};

struct IamPolicyLspExtension;

impl zed::Extension for IamPolicyLspExtension {
    fn new() -> Self {
        IamPolicyLspExtension
    }

    fn language_server_command(
        &mut self,
        language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let binary = LspSettings::for_worktree(language_server_id.as_ref(), worktree)
            .ok()
            .and_then(|settings| settings.binary);
        let command = binary
            .as_ref()
            .and_then(|binary| binary.path.clone())
            .or_else(|| worktree.which("iam-policy-lsp"))
            .ok_or_else(|| {
                "iam-policy-lsp was not found on PATH: install it (cargo install --path . in the \
                 iam-policy-lsp repository) or set lsp.iam-policy-lsp.binary.path"
                    .to_string()
            })?;
        let args = binary
            .and_then(|binary| binary.arguments)
            .unwrap_or_else(|| vec!["--stdio".to_string()]);
        Ok(zed::Command {
            command,
            args,
            env: worktree.shell_env(),
        })
    }

    fn language_server_initialization_options(
        &mut self,
        language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        Ok(LspSettings::for_worktree(language_server_id.as_ref(), worktree)
            .ok()
            .and_then(|settings| settings.initialization_options))
    }

    fn language_server_workspace_configuration(
        &mut self,
        language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        Ok(LspSettings::for_worktree(language_server_id.as_ref(), worktree)
            .ok()
            .and_then(|settings| settings.settings))
    }
}

zed::register_extension!(IamPolicyLspExtension);

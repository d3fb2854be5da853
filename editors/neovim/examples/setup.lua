-- init.lua (Neovim 0.7+), with this folder (editors/neovim) installed as a plugin,
-- e.g. symlinked to ~/.local/share/nvim/site/pack/iam/start/iam-policy-lsp
require("iam_policy_lsp").setup({
  cmd = { "iam-policy-lsp", "--stdio" },   -- or an absolute path to the binary
  filetypes = { "json", "jsonc", "yaml", "terraform" },
  root_markers = { ".git" },
  -- Optional rule levels: "off", "error", "warning", "information", "hint". As `settings` they
  -- are sent with workspace/didChangeConfiguration; `init_options = { rules = {...} }` works too.
  settings = { iamPolicyLsp = { rules = { ["missing-version"] = "error" } } },
})

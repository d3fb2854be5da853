-- init.lua (Neovim 0.11+), with this folder (editors/neovim) on the runtimepath:
-- its lsp/iam_policy_lsp.lua provides the defaults; override any of them here.
vim.lsp.config("iam_policy_lsp", {
  cmd = { "iam-policy-lsp", "--stdio" },
})
vim.lsp.enable("iam_policy_lsp")

-- init.lua (Neovim 0.11+), with this folder (editors/neovim) on the runtimepath:
-- its lsp/iam_policy_lsp.lua provides cmd, filetypes, root_markers; override any of them here.
vim.lsp.config("iam_policy_lsp", {
  -- Optional rule levels: "off", "error", "warning", "information", "hint".
  init_options = { rules = { ["missing-version"] = "error" } },
})
vim.lsp.enable("iam_policy_lsp")

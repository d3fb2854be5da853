-- Neovim 0.11+: configuration for vim.lsp.config()/vim.lsp.enable().
--
--   vim.lsp.config("iam_policy_lsp", { init_options = { rules = { ... } } })  -- optional overrides
--   vim.lsp.enable("iam_policy_lsp")
--
-- The server is started only for policy buffers: JSON buffers whose first 4 KB contain a
-- `"Statement"` key, CloudFormation templates, and files named `*.policy.json`, `*-policy.json`
-- or `policies/**/*.json`, CloudFormation/SAM YAML templates and Terraform files with policies
-- (see lua/iam_policy_lsp/init.lua).

local policy = require("iam_policy_lsp")

return {
  cmd = { "iam-policy-lsp", "--stdio" },
  filetypes = { "json", "jsonc", "yaml", "terraform" },
  root_markers = { ".git" },
  -- A root_dir function decides per buffer; not calling on_dir leaves the buffer alone.
  root_dir = function(bufnr, on_dir)
    if not policy.is_policy_buffer(bufnr) then
      return
    end
    local markers = { ".git" }
    local ok, resolved = pcall(function()
      return vim.lsp.config[policy.name]
    end)
    if ok and resolved and resolved.root_markers then
      markers = resolved.root_markers
    end
    on_dir(policy.find_root(bufnr, markers))
  end,
}

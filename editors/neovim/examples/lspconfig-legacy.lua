-- nvim-lspconfig before v2 (Neovim 0.7-0.10), registering iam-policy-lsp as a custom server.
-- NOT run by the tests: nvim-lspconfig cannot be installed on the test machine.
local configs = require("lspconfig.configs")
local policy = require("iam_policy_lsp")
if not configs.iam_policy_lsp then
  configs.iam_policy_lsp = {
    default_config = {
      cmd = { "iam-policy-lsp", "--stdio" },
      filetypes = { "json", "jsonc", "yaml", "terraform" },
      -- No root for a JSON file that is not a policy: lspconfig then leaves it alone.
      root_dir = function(_, bufnr)
        if policy.is_policy_buffer(bufnr) then
          return policy.find_root(bufnr, { ".git" })
        end
      end,
      single_file_support = false,
    },
  }
end
require("lspconfig").iam_policy_lsp.setup({})

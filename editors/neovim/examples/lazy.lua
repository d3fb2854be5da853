-- lazy.nvim plugin spec, e.g. ~/.config/nvim/lua/plugins/iam-policy-lsp.lua
-- (`dir` = your clone of the iam-policy-lsp repository + /editors/neovim)
return {
  dir = "~/src/iam-policy-lsp/editors/neovim",
  name = "iam-policy-lsp",
  ft = { "json", "jsonc", "yaml", "terraform" },
  opts = {
    cmd = { "iam-policy-lsp", "--stdio" },
    -- Optional rule levels: "off", "error", "warning", "information", "hint".
    init_options = { rules = { ["missing-version"] = "error" } },
  },
  config = function(_, opts)
    require("iam_policy_lsp").setup(opts)
  end,
}

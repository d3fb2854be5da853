-- iam-policy-lsp for Neovim: starts the `iam-policy-lsp` language server for JSON buffers that
-- are AWS IAM policies (or CloudFormation templates that embed them), CloudFormation/SAM YAML
-- templates and Terraform files that hold policies — alongside yaml-language-server and
-- terraform-ls, which keep YAML and HCL syntax.
--
--   require("iam_policy_lsp").setup({
--     cmd = { "iam-policy-lsp", "--stdio" },
--     filetypes = { "json", "jsonc", "yaml", "terraform" },
--     root_markers = { ".git" },
--     init_options = { rules = { ["invalid-effect"] = "error" } },
--     settings = { ... },            -- sent with workspace/didChangeConfiguration
--   })
--
-- Works on Neovim 0.7 (vim.lsp.start_client + vim.lsp.buf_attach_client) and on newer versions
-- (vim.lsp.start). On Neovim 0.11+ the file lsp/iam_policy_lsp.lua next to this plugin also lets
-- you use vim.lsp.config()/vim.lsp.enable() instead of setup().

local M = {}

M.name = "iam_policy_lsp"

-- How many bytes of a buffer are searched for a `"Statement"` key (or a CloudFormation marker).
M.scan_bytes = 4096

local defaults = {
  cmd = { "iam-policy-lsp", "--stdio" },
  filetypes = { "json", "jsonc", "yaml", "terraform" },
  root_markers = { ".git" },
  init_options = nil,
  settings = nil,
  -- Extra predicate `function(bufnr) -> boolean`; when it returns true the buffer is a policy even
  -- if the built-in detection says otherwise.
  is_policy = nil,
  on_attach = nil,
  capabilities = nil,
}

M.config = nil

local uv = vim.uv or vim.loop

local function buf_name(bufnr)
  return vim.api.nvim_buf_get_name(bufnr)
end

--- True when the file name alone marks a policy: `*.policy.json`, `*-policy.json`,
--- `policies/**/*.json` (any `policies` folder above the file).
function M.is_policy_name(name)
  if name == nil or name == "" then
    return false
  end
  name = name:gsub("\\", "/")
  local base = name:match("[^/]*$") or name
  if base:match("%.policy%.jsonc?$") or base:match("%-policy%.jsonc?$") then
    return true
  end
  if name:match("%.jsonc?$") and (name:match("/policies/") or name:match("^policies/")) then
    return true
  end
  return false
end

--- The first `limit` (default `M.scan_bytes`) bytes of a buffer, as one string.
local function buffer_head(bufnr, limit)
  limit = limit or M.scan_bytes
  local parts, size = {}, 0
  local count = vim.api.nvim_buf_line_count(bufnr)
  local i = 0
  while i < count and size < limit do
    -- Fetch in chunks of 64 lines to avoid copying a huge buffer.
    local lines = vim.api.nvim_buf_get_lines(bufnr, i, math.min(i + 64, count), false)
    for _, line in ipairs(lines) do
      parts[#parts + 1] = line
      size = size + #line + 1
      if size >= limit then
        break
      end
    end
    i = i + 64
  end
  return table.concat(parts, "\n"):sub(1, limit)
end

--- True when the text looks like an IAM policy (a `"Statement"` key) or a CloudFormation template.
function M.is_policy_text(text)
  if text:find('"Statement"%s*:') then
    return true
  end
  if text:find('"AWSTemplateFormatVersion"%s*:') then
    return true
  end
  -- A template without AWSTemplateFormatVersion: Resources with AWS:: resource types.
  if text:find('"Resources"%s*:') and text:find('"Type"%s*:%s*"AWS::') then
    return true
  end
  return false
end

--- True when a YAML text is a CloudFormation/SAM template or holds a policy.
function M.is_template_yaml(text)
  for _, pattern in ipairs({
    "^%s*AWSTemplateFormatVersion%s*:",
    "\n%s*AWSTemplateFormatVersion%s*:",
    "\n%s*Transform%s*:%s*['\"]?AWS::Serverless",
    "\n%s*Type%s*:%s*['\"]?AWS::",
    "\n%s*%-?%s*Statement%s*:",
    "^%s*%-?%s*Statement%s*:",
  }) do
    if text:find(pattern) then
      return true
    end
  end
  return false
end

--- True when a Terraform text holds a policy.
function M.is_terraform_policy(text)
  return text:find("aws_iam_policy_document", 1, true) ~= nil
    or text:find("%f[%w_]policy%s*=%s*[j<\"]") ~= nil
    or text:find("assume_role_policy%s*=") ~= nil
    or text:find('"?Statement"?%s*[:=]') ~= nil
end

--- True when the buffer is one the server should be started for.
function M.is_policy_buffer(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local cfg = M.config or defaults
  if cfg.is_policy and cfg.is_policy(bufnr) then
    return true
  end
  local filetype = vim.bo[bufnr].filetype
  if filetype == "yaml" then
    return M.is_template_yaml(buffer_head(bufnr))
  end
  if filetype == "terraform" or filetype == "hcl" then
    -- Policies sit anywhere in a configuration: look further.
    return M.is_terraform_policy(buffer_head(bufnr, 1024 * 1024))
  end
  if M.is_policy_name(buf_name(bufnr)) then
    return true
  end
  return M.is_policy_text(buffer_head(bufnr))
end

--- The project root of a buffer: the nearest folder above the file that holds one of `markers`,
--- else the file's own folder (so a lone policy file still gets a server).
function M.find_root(bufnr, markers)
  local name = buf_name(bufnr)
  local dir
  if name == "" then
    dir = vim.fn.getcwd()
  else
    dir = vim.fn.fnamemodify(name, ":p:h")
  end
  local cur = dir
  while cur and cur ~= "" do
    for _, marker in ipairs(markers or {}) do
      -- Neovim 0.11.1+ allows nested lists of equal-priority markers.
      for _, m in ipairs(type(marker) == "table" and marker or { marker }) do
        if uv.fs_stat(cur .. "/" .. m) then
          return cur
        end
      end
    end
    local parent = vim.fn.fnamemodify(cur, ":h")
    if parent == cur then
      break
    end
    cur = parent
  end
  return dir
end

local function client_config(cfg, root_dir)
  -- Neovim 0.8+ sends `settings` with workspace/didChangeConfiguration after initialize;
  -- start_legacy() does it on 0.7.
  return {
    name = M.name,
    cmd = cfg.cmd,
    root_dir = root_dir,
    init_options = cfg.init_options,
    settings = cfg.settings,
    on_attach = cfg.on_attach,
    capabilities = cfg.capabilities,
  }
end

-- Neovim 0.7: one client per root folder, started with vim.lsp.start_client.
local legacy_clients = {}

local function start_legacy(bufnr, conf)
  local id = legacy_clients[conf.root_dir]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client.is_stopped() then
    if conf.settings ~= nil and next(conf.settings) ~= nil then
      -- Neovim 0.7 does not send `settings` by itself (newer versions do).
      conf.on_init = function(c)
        c.notify("workspace/didChangeConfiguration", { settings = conf.settings })
      end
    end
    id = vim.lsp.start_client(conf)
    if not id then
      vim.notify("iam-policy-lsp: could not start " .. table.concat(conf.cmd, " "), vim.log.levels.ERROR)
      return nil
    end
    legacy_clients[conf.root_dir] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

--- Starts (or reuses) the server for `bufnr` if it is a policy buffer. Returns the client id.
function M.attach(bufnr, force)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local cfg = M.config or defaults
  if vim.bo[bufnr].buftype ~= "" then
    return nil
  end
  if not force and not M.is_policy_buffer(bufnr) then
    return nil
  end
  local conf = client_config(cfg, M.find_root(bufnr, cfg.root_markers))
  if vim.fn.executable(conf.cmd[1]) ~= 1 then
    vim.notify(
      "iam-policy-lsp: `" .. conf.cmd[1] .. "` not found. Install it with `cargo install --path .` "
        .. "in the iam-policy-lsp repository, or pass cmd = { '/path/to/iam-policy-lsp' } to setup().",
      vim.log.levels.ERROR
    )
    return nil
  end
  if vim.lsp.start then
    local id
    vim.api.nvim_buf_call(bufnr, function()
      id = vim.lsp.start(conf, { bufnr = bufnr })
    end)
    return id
  end
  return start_legacy(bufnr, conf)
end

--- Registers the autocommands that start the server for policy buffers.
function M.setup(opts)
  M.config = vim.tbl_deep_extend("force", {}, defaults, opts or {})
  local group = vim.api.nvim_create_augroup("iam_policy_lsp", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = M.config.filetypes,
    callback = function(args)
      M.attach(args.buf)
    end,
  })
  -- A JSON file that becomes a policy while being edited: check again when it is written.
  vim.api.nvim_create_autocmd("BufWritePost", {
    group = group,
    callback = function(args)
      if vim.tbl_contains(M.config.filetypes, vim.bo[args.buf].filetype) and not M.attached(args.buf) then
        M.attach(args.buf)
      end
    end,
  })
  vim.api.nvim_create_user_command("IamPolicyLspStart", function()
    M.attach(0, true)
  end, { desc = "Start iam-policy-lsp for the current buffer" })
  -- Buffers that were opened before setup() ran.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(M.config.filetypes, vim.bo[bufnr].filetype) then
      M.attach(bufnr)
    end
  end
end

--- True when an iam-policy-lsp client is attached to `bufnr`.
function M.attached(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local clients = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr })
    or vim.lsp.buf_get_clients(bufnr)
  for _, client in pairs(clients) do
    if client.name == M.name then
      return true
    end
  end
  return false
end

return M

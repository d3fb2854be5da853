-- Headless end-to-end test of iam-policy-lsp in a real Neovim (0.7 and 0.11+/0.12-dev).
--
-- Run by editors/neovim/test/run.sh after the user's init.lua (one of editors/neovim/examples/*)
-- has loaded the plugin. Checks, on the real server binary:
--   * the plugin leaves a non-policy JSON file alone, starts for policies by content and by name;
--   * the client negotiated the expected position encoding (0.7: utf-16, 0.12: utf-8);
--   * `invalid-effect` sits exactly on the "Alow" token (raw LSP range in that encoding, and the
--     byte columns Neovim derived from it), also after an emoji and CJK text on the same line;
--   * hover on the "Effect" key returns non-empty markdown;
--   * the quickfix `Change to "Allow"` picked from vim.lsp.buf.code_action() removes the diagnostic;
--   * completion inside `"Effect": ""` offers Allow and Deny;
--   * (when the server has its action catalogue) completion after `"support:` offers
--     support:DescribeSupportLevel — otherwise the check is reported as skipped, never passed.
-- Writes a JSON report to $IAM_TEST_OUT and exits 0 (pass) or 1 (fail).

local function env(name)
  local v = os.getenv(name)
  if v == nil or v == "" then
    error(name .. " is not set")
  end
  return v
end

local WS = env("IAM_TEST_WS")
local OUT = env("IAM_TEST_OUT")
local ENCODING = env("IAM_TEST_ENCODING") -- what the client must end up with
local SERVER_VERSION = os.getenv("IAM_TEST_SERVER_VERSION") or ""
local TIMEOUT = tonumber(os.getenv("IAM_TEST_WAIT_MS") or "") or 10000
local NAME = "iam_policy_lsp"

local expected = vim.fn.json_decode(table.concat(vim.fn.readfile(env("IAM_TEST_EXPECTED")), "\n"))
local CODE = expected.code

local report = { nvim = tostring(vim.version and vim.version() and
  (vim.version().major .. "." .. vim.version().minor .. "." .. vim.version().patch)),
  checks = {}, skipped = {}, messages = {} }
local t0 = vim.loop.hrtime()
local function ms()
  return math.floor((vim.loop.hrtime() - t0) / 1e6)
end

local function pass(what, detail)
  table.insert(report.checks, { ok = true, what = what, detail = detail, ms = ms() })
end

local function check(cond, what, detail)
  if not cond then
    table.insert(report.checks, { ok = false, what = what, detail = detail, ms = ms() })
    error("FAILED: " .. what .. (detail and (": " .. vim.inspect(detail)) or ""), 0)
  end
  pass(what, detail)
end

local function wait(timeout, cond, what)
  if not vim.wait(timeout, cond, 20) then
    error("timed out after " .. timeout .. " ms waiting for " .. what, 0)
  end
end

-- Keep what Neovim would show the user (errors from the plugin, "No code actions available", …).
local orig_notify = vim.notify
vim.notify = function(msg, level, opts)
  table.insert(report.messages, tostring(msg))
  return orig_notify(msg, level, opts)
end

-- Record the raw publishDiagnostics params, to check the ranges in the negotiated encoding.
local raw = {}
local orig_publish = vim.lsp.handlers["textDocument/publishDiagnostics"]
vim.lsp.handlers["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
  if result and result.uri then
    raw[result.uri] = result
  end
  return orig_publish(err, result, ctx, config)
end

local function our_client(bufnr)
  local clients
  if vim.lsp.get_clients then
    clients = vim.lsp.get_clients({ bufnr = bufnr, name = NAME })
  else
    clients = vim.lsp.buf_get_clients(bufnr)
  end
  for _, c in pairs(clients) do
    if c.name == NAME then
      return c
    end
  end
  return nil
end

local function open(name)
  vim.cmd("edit " .. vim.fn.fnameescape(WS .. "/" .. name))
  return vim.api.nvim_get_current_buf()
end

local function line_of(bufnr, lnum)
  return vim.api.nvim_buf_get_lines(bufnr, lnum, lnum + 1, true)[1]
end

local function effect_diags(bufnr)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    if code == CODE then
      table.insert(found, d)
    end
  end
  return found
end

local function raw_effect_diags(bufnr)
  local found = {}
  local params = raw[vim.uri_from_bufnr(bufnr)]
  for _, d in ipairs(params and params.diagnostics or {}) do
    if d.code == CODE then
      table.insert(found, d)
    end
  end
  return found
end

local function request(bufnr, client, method, params)
  local res, err = vim.lsp.buf_request_sync(bufnr, method, params, TIMEOUT)
  check(res ~= nil, method .. " answered", err)
  local r = res[client.id]
  check(r ~= nil and r.err == nil and r.error == nil, method .. " without error", r)
  return r.result
end

local function position_params(client, lnum, col)
  vim.api.nvim_win_set_cursor(0, { lnum + 1, col })
  return vim.lsp.util.make_position_params(0, client.offset_encoding)
end

local function completion_labels(result)
  local labels = {}
  for _, item in ipairs(result and (result.items or result) or {}) do
    labels[item.label] = true
  end
  return labels
end

local function sorted_keys(t, limit)
  local keys = {}
  for k in pairs(t) do
    table.insert(keys, k)
  end
  table.sort(keys)
  if limit and #keys > limit then
    keys = vim.list_slice(keys, 1, limit)
  end
  return keys
end

--- Diagnostic on "Alow" in `name`: count, raw range (negotiated encoding), byte columns, text.
local function check_effect_diagnostic(name, bufnr)
  local exp = expected.files[name]
  wait(TIMEOUT, function()
    return #effect_diags(bufnr) > 0
  end, "a " .. CODE .. " diagnostic in " .. name)
  local diags, raws = effect_diags(bufnr), raw_effect_diags(bufnr)
  check(#diags == 1 and #raws == 1, name .. ": exactly one " .. CODE .. " diagnostic", raws)
  local r = raws[1]
  check(r.source == expected.source, name .. ": source is " .. expected.source, r.source)
  local want = exp[ENCODING]
  check(
    r.range.start.line == exp.line and r.range["end"].line == exp.line
      and r.range.start.character == want[1] and r.range["end"].character == want[2],
    name .. ": LSP range is line " .. exp.line .. ", " .. ENCODING .. " columns " .. want[1] .. "-" .. want[2],
    r.range
  )
  local d = diags[1]
  local bytes = exp["utf-8"]
  check(d.lnum == exp.line and d.end_lnum == exp.line and d.col == bytes[1] and d.end_col == bytes[2],
    name .. ": Neovim places it on bytes " .. bytes[1] .. "-" .. bytes[2] .. " of line " .. (exp.line + 1),
    { lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col })
  local text = line_of(bufnr, exp.line):sub(d.col + 1, d.end_col)
  check(text == '"Alow"', name .. ': the range covers "Alow" with its quotes', text)
  return d
end

--- The catalogue/data version in `iam-policy-lsp --version`, or nil while there is none
--- (e.g. "0.1.0 (catalogue: not yet embedded)").
local function catalogue_version(version)
  local v = version:lower()
  local s = v:find("catalog") or v:find("data")
  if not s then
    return nil
  end
  local rest = v:sub(s)
  if rest:find("not yet") or rest:find("none") or not rest:find("%d") then
    return nil
  end
  return rest
end

local ok, err = pcall(function()
  -- 1. A JSON file that is not a policy: no server.
  local pkg = open("package.json")
  check(vim.bo[pkg].filetype == "json", "package.json has filetype json", vim.bo[pkg].filetype)
  check(our_client(pkg) == nil, "no iam-policy-lsp client attached to package.json on open")

  -- 2. policy.json (detected by its "Statement" key): the issue's example document.
  local buf = open("policy.json")
  wait(TIMEOUT, function()
    return our_client(buf) ~= nil
  end, "the client to attach to policy.json")
  local client = our_client(buf)
  check_effect_diagnostic("policy.json", buf)
  report.first_diagnostics_ms = ms()
  report.offset_encoding = client.offset_encoding
  check(client.offset_encoding == ENCODING, "client offset_encoding is " .. ENCODING, client.offset_encoding)
  local pe = client.server_capabilities.positionEncoding
  if ENCODING == "utf-16" then
    check(pe == nil or pe == "utf-16", "server advertises utf-16 (or nothing) to a client offering none", pe)
  else
    check(pe == ENCODING, "server advertises positionEncoding " .. ENCODING, pe)
  end
  check(our_client(pkg) == nil, "still no client for package.json once the server is up")

  -- The snippet's rule settings (settings or init_options) reached the server: missing-version,
  -- a Warning by default, is an Error.
  local rs = expected.rule_setting
  local nv = open(rs.file)
  local function severities()
    local found = {}
    for _, d in ipairs(vim.diagnostic.get(nv)) do
      if d.code == rs.code then
        table.insert(found, d.severity)
      end
    end
    return found
  end
  if not vim.wait(TIMEOUT, function()
    local found = severities()
    return #found == 1 and found[1] == rs.severity
  end, 20) then
    check(false, "the snippet's rule settings apply: " .. rs.code .. " has severity " .. rs.severity
      .. " in " .. rs.file, severities())
  end
  pass("the snippet's rule settings apply: " .. rs.code .. " has severity " .. rs.severity .. " in " .. rs.file)

  -- 3. A policy recognised by its name only (empty new file).
  local named = open("new-policy.json")
  wait(TIMEOUT, function()
    return our_client(named) ~= nil
  end, "the client to attach to new-policy.json")
  pass("new-policy.json (by name) gets the client")

  -- 4. unicode.json: emoji + CJK before the faulty token on the same line.
  buf = open("unicode.json")
  wait(TIMEOUT, function()
    return our_client(buf) ~= nil
  end, "the client to attach to unicode.json")
  client = our_client(buf)
  local exp = expected.files["unicode.json"]
  local d = check_effect_diagnostic("unicode.json", buf)

  -- Hover on the "Effect" key.
  local hover = request(buf, client, "textDocument/hover", position_params(client, exp.line, exp.effect_key_byte + 2))
  local contents = hover and hover.contents
  check(type(contents) == "table" and contents.kind == "markdown" and type(contents.value) == "string"
    and contents.value:match("%S") ~= nil, 'hover on "Effect" returns non-empty markdown', contents)

  -- Quick fix, picked from the menu the way a user does.
  vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col + 1 })
  local menu, chosen
  vim.ui.select = function(items, opts, on_choice)
    menu = {}
    for i, item in ipairs(items) do
      local action = item.action or item[2]
      table.insert(menu, { title = action.title, kind = action.kind })
      if not chosen and action.kind == "quickfix" and action.title:find('Change to "Allow"', 1, true) then
        chosen = i
      end
    end
    on_choice(chosen and items[chosen] or nil, chosen)
  end
  if vim.fn.has("nvim-0.8") == 1 then
    vim.lsp.buf.code_action({ context = { only = { "quickfix" } } })
  else
    vim.lsp.buf.code_action({ only = { "quickfix" } })
  end
  wait(TIMEOUT, function()
    return menu ~= nil
  end, "the code action menu (messages: " .. table.concat(report.messages, " | ") .. ")")
  check(chosen ~= nil, 'a quickfix titled like Change to "Allow" is offered', menu)
  wait(TIMEOUT, function()
    return #effect_diags(buf) == 0
  end, "the " .. CODE .. " diagnostic to disappear after the quick fix; line is now: " .. line_of(buf, exp.line))
  local fixed = line_of(buf, exp.line)
  check(fixed:find('"Effect": "Allow"', 1, true) ~= nil, "the quick fix wrote Allow", fixed)

  -- Completion inside an empty Effect value.
  local s, e = fixed:find('"Allow"', 1, true)
  vim.api.nvim_buf_set_text(buf, exp.line, s - 1, exp.line, e, { '""' })
  local labels = completion_labels(request(buf, client, "textDocument/completion", position_params(client, exp.line, s)))
  check(labels.Allow and labels.Deny, 'completion in "Effect": "" offers Allow and Deny', sorted_keys(labels, 20))

  -- Completion after "support: in an Action array: needs the action catalogue.
  if catalogue_version(SERVER_VERSION) then
    local line = line_of(buf, exp.line)
    local as, ae = line:find('"s3:GetObject"', 1, true)
    vim.api.nvim_buf_set_text(buf, exp.line, as - 1, exp.line, ae, { '["support:"]' })
    local col = as - 1 + #'["support:'
    labels = completion_labels(request(buf, client, "textDocument/completion", position_params(client, exp.line, col)))
    check(labels["support:DescribeSupportLevel"], 'completion after "support: offers support:DescribeSupportLevel',
      sorted_keys(labels, 20))
  else
    table.insert(report.skipped, 'completion after "support: -- server --version shows no catalogue/data version: "'
      .. vim.trim(SERVER_VERSION) .. '"')
  end

  -- A CloudFormation YAML template and a Terraform file: the server attaches next to their own
  -- servers and reports the misspelt action at its place in the host file.
  for _, host in ipairs({
    { file = "template.yaml", filetype = "yaml", line = 18, col = 20, end_col = 32 },
    { file = "main.tf", filetype = "terraform", line = 2, col = 17, end_col = 31 },
  }) do
    local hbuf = open(host.file)
    check(vim.bo[hbuf].filetype == host.filetype, host.file .. " has filetype " .. host.filetype, vim.bo[hbuf].filetype)
    wait(TIMEOUT, function()
      return our_client(hbuf) ~= nil
    end, "iam-policy-lsp attached to " .. host.file)
    local found
    wait(TIMEOUT, function()
      for _, d in ipairs(vim.diagnostic.get(hbuf)) do
        if d.code == "unknown-action" then
          found = d
          return true
        end
      end
      return false
    end, "an unknown-action diagnostic in " .. host.file)
    check(found.lnum == host.line and found.col == host.col and found.end_col == host.end_col,
      host.file .. ": unknown-action on the misspelt action", found)
  end

  -- Shut down cleanly.
  local id = client.id
  vim.lsp.stop_client(id)
  wait(TIMEOUT, function()
    return vim.lsp.get_client_by_id(id) == nil
  end, "the client to stop")
  pass("client stopped")
end)

report.ok = ok
if not ok then
  report.error = tostring(err)
end
report.total_ms = ms()
vim.fn.writefile({ vim.fn.json_encode(report) }, OUT)
vim.cmd(ok and "qall!" or "cquit!")

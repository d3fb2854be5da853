-- Test-only init.lua: applies the lazy.nvim spec in examples/lazy.lua the way lazy.nvim does for a
-- local plugin (`dir` added to the runtimepath, then `config(plugin, opts)`). lazy.nvim itself is
-- not installable on the test machine (it is fetched from GitHub), so this loads the spec file
-- unchanged and runs its own config function; the rest of the test is the real plugin and server.
local spec = dofile(os.getenv("IAM_TEST_SNIPPET"))
assert(type(spec) == "table" and spec.dir and type(spec.config) == "function", "not a lazy.nvim spec")
local dir = vim.fn.expand(spec.dir)
assert(vim.fn.isdirectory(dir) == 1, "spec.dir does not exist: " .. dir)
vim.opt.runtimepath:prepend(dir)
-- lazy.nvim loads `ft`-triggered plugins on the FileType event; here it is loaded at once, which
-- is what lazy does for the first FileType json buffer anyway.
spec.config({ dir = dir, name = spec.name }, spec.opts or {})

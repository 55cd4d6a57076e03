-- Headless Neovim (0.7+) as a language client of the bundled vnet server.
-- Driven by test/e2e/nvim.test.ts through environment variables; writes what it saw as JSON to
-- $VNET_OUT and quits. vim.lsp.start_client is used because vim.lsp.start needs Neovim 0.8.
local node = os.getenv('VNET_NODE')
local server = os.getenv('VNET_SERVER')
local file = os.getenv('VNET_FILE')
local out = os.getenv('VNET_OUT')
local expect_text = os.getenv('VNET_EXPECT')

local result = { steps = {} }

local function finish()
  local f = io.open(out, 'w')
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qa!')
end

local ok, err = pcall(function()
  local dir = vim.fn.fnamemodify(file, ':h')
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()

  local client_id = vim.lsp.start_client({
    name = 'vnet',
    cmd = { node, server, '--stdio' },
    root_dir = dir,
    workspace_folders = { { uri = vim.uri_from_fname(dir), name = 'vnet' } },
    handlers = {
      ['vnet/analysisUpdated'] = function(_, params)
        result.analysisVersion = params.analysisVersion
      end,
    },
  })
  result.client_id = client_id
  vim.lsp.buf_attach_client(bufnr, client_id)
  table.insert(result.steps, 'attached')

  vim.wait(30000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50)
  result.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(result.diagnostics, {
      line = d.lnum, severity = d.severity, message = d.message, code = d.code or lsp.code,
    })
  end
  table.insert(result.steps, 'diagnostics')

  -- The position of the expectation, found by its text.
  local line, character
  for i, text in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local s = string.find(text, expect_text, 1, true)
    if s then line = i - 1; character = s - 1 + 7; break end
  end
  result.position = { line = line, character = character }
  local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = line, character = character } }

  local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', params, 30000) or {}
  for _, response in pairs(hover) do
    if response.result and response.result.contents then
      local c = response.result.contents
      result.hover = type(c) == 'table' and (c.value or vim.fn.json_encode(c)) or c
    end
    if response.err then result.hover_error = vim.fn.json_encode(response.err) end
  end
  table.insert(result.steps, 'hover')

  local path = vim.lsp.buf_request_sync(bufnr, 'vnet/packetPath', params, 30000) or {}
  for _, response in pairs(path) do
    if response.result then result.packetPath = response.result end
    if response.err then result.packetPath_error = vim.fn.json_encode(response.err) end
  end
  table.insert(result.steps, 'packetPath')

  vim.lsp.stop_client(client_id)
end)

if not ok then result.error = tostring(err) end
finish()

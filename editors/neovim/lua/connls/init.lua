-- connls for Neovim: starts `connls serve` for connector-scimrest
-- workspaces and adds commands for the server's own code actions. It adds
-- nothing the server cannot do itself.
--
-- Works with vim.lsp.config/vim.lsp.enable on 0.11+, vim.lsp.start on
-- 0.8+, and vim.lsp.start_client on 0.7.

local M = {}

M.defaults = {
  -- The server command. `connls` must be on the PATH, or give its path.
  cmd = { 'connls', 'serve' },
  log_level = 'info',
  -- The server's own log. Neovim records a server's stderr as errors in
  -- lsp.log, so connls logs to a file of its own (:ConnlsLog opens it).
  log_file = nil, -- default: stdpath('cache') .. '/connls.log'
  -- Optional LLM backend for "Generate with AI": 'gemini' or 'openai'.
  -- The key is read by the server from GEMINI_API_KEY / OPENAI_API_KEY.
  llm = { backend = nil, model = nil, base_url = nil },
  root_markers = { 'connector.manifest.json', 'connector.manifest.yaml', 'connector.manifest.yml', '.git' },
  -- Called as on_attach(client, bufnr) when the server attaches to a
  -- buffer, after connls has set omnifunc and tagfunc.
  on_attach = nil,
  -- Client capabilities to announce (e.g. from cmp_nvim_lsp), merged
  -- over Neovim's own.
  capabilities = nil,
  -- Buffer-local keymaps when true: K hover, gd definition, gr
  -- references, <leader>ca code actions. Off by default: your own
  -- mappings stay yours.
  keymaps = false,
}

M.config = vim.deepcopy(M.defaults)

-- Files the server reads besides the DSL scripts (filetype scimrest).
M.patterns = {
  '*.schema.yaml', '*.schema.yml', '*.op.yaml', '*.op.yml',
  'connector.manifest.json', 'connector.manifest.yaml', 'connector.manifest.yml',
  'sailpoint.connector.json',
}

local uv = vim.loop

-- is_connector_file tells whether connls serves a file with this name.
function M.is_connector_file(name)
  local base = name:match('[^/\\]+$') or name
  for _, suffix in ipairs({ '.schema.groovy', '.op.groovy', '.search.groovy', '.get.groovy', '.list.groovy',
    '.schema.yaml', '.schema.yml', '.op.yaml', '.op.yml' }) do
    if base:sub(-#suffix) == suffix then
      return true
    end
  end
  return base:match('^connector%.manifest%.ya?ml$') ~= nil or base == 'connector.manifest.json'
    or base == 'sailpoint.connector.json'
end

-- root finds the workspace root of a file: the nearest directory with a
-- connector manifest, else the nearest with .git, else the file's own.
function M.root(path)
  local dir = vim.fn.fnamemodify(path, ':p:h')
  for _, group in ipairs({ vim.tbl_filter(function(m) return m ~= '.git' end, M.config.root_markers), { '.git' } }) do
    local d = dir
    while d do
      for _, marker in ipairs(group) do
        if uv.fs_stat(d .. '/' .. marker) then
          return d
        end
      end
      local parent = vim.fn.fnamemodify(d, ':h')
      if parent == d then
        break
      end
      d = parent
    end
  end
  return dir
end

function M.log_file()
  return M.config.log_file or (vim.fn.stdpath('cache') .. '/connls.log')
end

-- command builds the server's command line. The API key never appears
-- in it: the server reads keys from its environment.
function M.command()
  local cmd = vim.deepcopy(M.config.cmd)
  vim.list_extend(cmd, { '--log-level', M.config.log_level, '--log-file', M.log_file() })
  local llm = M.config.llm or {}
  if llm.backend then
    vim.list_extend(cmd, { '--llm', llm.backend })
    if llm.model then
      vim.list_extend(cmd, { '--llm-model', llm.model })
    end
    if llm.base_url then
      vim.list_extend(cmd, { '--llm-base-url', llm.base_url })
    end
  end
  return cmd
end

-- capabilities are Neovim's, with the user's merged over them.
function M.capabilities()
  return vim.tbl_deep_extend('force', vim.lsp.protocol.make_client_capabilities(), M.config.capabilities or {})
end

-- on_attach sets what Neovim before 0.10 leaves unset (omnifunc for
-- <C-x><C-o>, tagfunc for <C-]> and :tag), the opt-in keymaps, then calls
-- the user's on_attach.
function M.on_attach(client, bufnr)
  if vim.bo[bufnr].omnifunc == '' then
    vim.bo[bufnr].omnifunc = 'v:lua.vim.lsp.omnifunc'
  end
  if vim.bo[bufnr].tagfunc == '' and vim.lsp.tagfunc then
    vim.bo[bufnr].tagfunc = 'v:lua.vim.lsp.tagfunc'
  end
  if M.config.keymaps then
    local function map(lhs, rhs, desc)
      vim.keymap.set('n', lhs, rhs, { buffer = bufnr, desc = 'connls: ' .. desc })
    end
    map('K', vim.lsp.buf.hover, 'hover')
    map('gd', vim.lsp.buf.definition, 'go to definition')
    map('gr', vim.lsp.buf.references, 'references')
    map('<leader>ca', vim.lsp.buf.code_action, 'code actions')
  end
  if M.config.on_attach then
    M.config.on_attach(client, bufnr)
  end
end

local function client_config(root)
  return {
    name = 'connls',
    cmd = M.command(),
    root_dir = root,
    capabilities = M.capabilities(),
    on_attach = M.on_attach,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = vim.fn.fnamemodify(root, ':t') } },
  }
end

-- Clients by root, for Neovim 0.7 (0.8+ reuses clients itself).
local clients = {}

-- attach starts (or reuses) the server for the buffer's workspace.
function M.attach(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' then
    return nil
  end
  local root = M.root(name)
  if vim.lsp.start then
    return vim.lsp.start(client_config(root), { bufnr = bufnr })
  end
  local id = clients[root]
  if not id or not vim.lsp.get_client_by_id(id) then
    id = vim.lsp.start_client(client_config(root))
    clients[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

-- clients lists the connls clients (of one buffer), across the API's
-- renames: get_clients since 0.10, buf_get_clients/get_active_clients before.
local function connls_clients(bufnr)
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ name = 'connls', bufnr = bufnr })
  end
  local all = bufnr and vim.lsp.buf_get_clients(bufnr) or vim.lsp.get_active_clients()
  return vim.tbl_filter(function(c) return c.name == 'connls' end, vim.tbl_values(all))
end

-- Client methods are called with ':' since 0.11 (the '.' form warns).
local method_calls = vim.fn.has('nvim-0.11') == 1

local function request(c, method, params, handler, bufnr)
  if method_calls then
    return c:request(method, params, handler, bufnr)
  end
  return c.request(method, params, handler, bufnr)
end

local function stop(c)
  if method_calls then
    return c:stop()
  end
  return c.stop()
end

-- client returns the connls client attached to a buffer.
function M.client(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  if bufnr == 0 then
    bufnr = vim.api.nvim_get_current_buf()
  end
  return connls_clients(bufnr)[1]
end

local function notify(msg, level)
  vim.notify('connls: ' .. msg, level or vim.log.levels.INFO)
end

-- execute runs a server command; the server reports progress and applies
-- its edits through workspace/applyEdit.
function M.execute(command, arguments, on_done)
  local bufnr = vim.api.nvim_get_current_buf()
  local c = M.client(bufnr)
  if not c then
    notify('no connls server for this buffer', vim.log.levels.WARN)
    return
  end
  request(c, 'workspace/executeCommand', { command = command, arguments = arguments }, function(err, result)
    if err then
      notify(command .. ': ' .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
    elseif on_done then
      on_done(result)
    end
  end, bufnr)
end

-- generate asks for the connid or update code of the class under the
-- cursor. The server reports failures and "nothing to change" itself
-- (window/showMessage); what is said here is what changed, once, and a
-- new file is opened, so that saving (:wa) or dropping it goes with the
-- manifest entry that lists it.
function M.generate(kind, fresh)
  local bufnr = vim.api.nvim_get_current_buf()
  local cursor = vim.api.nvim_win_get_cursor(0)
  local line = vim.api.nvim_buf_get_lines(bufnr, cursor[1] - 1, cursor[1], false)[1] or ''
  local character = vim.str_utfindex(line, math.min(cursor[2], #line))
  M.execute('connls.generate', {
    { uri = vim.uri_from_bufnr(bufnr), position = { line = cursor[1] - 1, character = character }, kind = kind, fresh = fresh or false },
  }, function(result)
    if not (result and result.applied) then
      return
    end
    local names = {}
    for _, u in ipairs(result.created or {}) do
      table.insert(names, vim.fn.fnamemodify(vim.uri_to_fname(u), ':.') .. ' (new)')
    end
    local unsaved = {}
    for _, u in ipairs(result.changed or {}) do
      local name = vim.fn.fnamemodify(vim.uri_to_fname(u), ':.')
      table.insert(names, name)
      local b = vim.fn.bufnr(vim.uri_to_fname(u))
      if b ~= -1 and vim.bo[b].modified then
        table.insert(unsaved, name)
      end
    end
    local msg = (result.title ~= '' and result.title or (kind .. ' ' .. result.status)) .. ': ' .. table.concat(names, ', ')
    if #unsaved > 0 then
      msg = msg .. ' (unsaved: ' .. table.concat(unsaved, ', ') .. '; :wa saves)'
    end
    notify(msg)
    local created = result.created and result.created[1]
    if created then
      vim.cmd('split ' .. vim.fn.fnameescape(vim.uri_to_fname(created)))
    end
  end)
end

-- check asks the server for the workspace's findings, fills the
-- quickfix list with them (from the diagnostics the server published)
-- and opens it when there are errors.
function M.check()
  M.execute('connls.checkWorkspace', {}, function(counts)
    local parts = {}
    for _, k in ipairs({ 'error', 'warning', 'info' }) do
      if counts and (counts[k] or 0) > 0 then
        table.insert(parts, counts[k] .. ' ' .. k .. (counts[k] == 1 and '' or 's'))
      end
    end
    local diags = {}
    for _, c in ipairs(connls_clients(nil)) do
      local ns = vim.lsp.diagnostic.get_namespace(c.id)
      vim.list_extend(diags, vim.diagnostic.get(nil, { namespace = ns }))
    end
    local items = vim.diagnostic.toqflist(diags)
    for _, it in ipairs(items) do
      it.text = '[connls] ' .. it.text
    end
    vim.fn.setqflist({}, ' ', { title = 'connls check', items = items })
    notify(#parts > 0 and (table.concat(parts, ', ') .. ' in the workspace (quickfix list)') or 'no findings in the workspace')
    if counts and (counts.error or 0) > 0 then
      vim.cmd('copen')
    end
  end)
end

-- scaffold starts a connector from the API description in the current
-- buffer (OpenAPI, Swagger or SCIM), in a folder that holds no connector
-- yet: the server creates every script and the manifest. connls does not
-- attach to JSON and YAML files of its own accord, so it attaches here.
function M.scaffold()
  local bufnr = vim.api.nvim_get_current_buf()
  if not M.client(bufnr) then
    M.attach(bufnr)
    vim.wait(10000, function()
      local c = M.client(bufnr)
      return c ~= nil and c.initialized ~= false
    end, 50)
  end
  M.execute('connls.scaffold', { { uri = vim.uri_from_bufnr(bufnr) } }, function(result)
    if not (result and result.applied) then
      return
    end
    notify(string.format('%s: %d files created', result.title, #(result.created or {})))
    vim.cmd('checktime')
  end)
end

function M.restart()
  local bufs = {}
  for _, c in ipairs(connls_clients(nil)) do
    for b in pairs(c.attached_buffers or {}) do
      bufs[b] = true
    end
    stop(c)
  end
  clients = {}
  vim.defer_fn(function()
    for b in pairs(bufs) do
      if vim.api.nvim_buf_is_valid(b) then
        M.attach(b)
      end
    end
  end, 500)
end

-- lsp_config is the configuration for vim.lsp.config on Neovim 0.11+:
-- the built-in client attaches by filetype, and root_dir keeps the JSON
-- and YAML buffers to those the server reads.
function M.lsp_config()
  return {
    cmd = M.command(),
    capabilities = M.capabilities(),
    on_attach = M.on_attach,
    filetypes = { 'scimrest', 'json', 'yaml' },
    root_dir = function(bufnr, on_dir)
      local name = vim.api.nvim_buf_get_name(bufnr)
      if M.is_connector_file(name) then
        on_dir(M.root(name))
      end
    end,
  }
end

local commands = {
  ConnlsGenerateConnid = { function() M.generate('connid', false) end, 'Generate the connid mapping for the class under the cursor' },
  ConnlsRegenerateConnid = { function() M.generate('connid', true) end, 'Regenerate the connid mapping from scratch' },
  ConnlsGenerateUpdate = { function() M.generate('update', false) end, 'Generate the update operation for the class under the cursor' },
  ConnlsRegenerateUpdate = { function() M.generate('update', true) end, 'Regenerate the update operation from scratch' },
  ConnlsCheck = { M.check, 'Check the workspace' },
  ConnlsScaffold = { M.scaffold, 'Scaffold the connector from the API description in this buffer' },
  ConnlsRestart = { M.restart, 'Restart the language server' },
  ConnlsLog = { function() vim.cmd('edit ' .. vim.fn.fnameescape(M.log_file())) end, 'Open the server log' },
}

function M.setup(opts)
  M.config = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), opts or {})
  for name, c in pairs(commands) do
    vim.api.nvim_create_user_command(name, c[1], { desc = c[2] })
  end
  local group = vim.api.nvim_create_augroup('connls', { clear = true })
  if vim.fn.has('nvim-0.11') == 1 and vim.lsp.config and vim.lsp.enable then
    -- 0.11+: the built-in client does the attaching; root_dir gates the
    -- JSON and YAML files to those the server reads.
    vim.lsp.config('connls', M.lsp_config())
    vim.lsp.enable('connls')
    return
  end
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = 'scimrest',
    callback = function(args) M.attach(args.buf) end,
  })
  vim.api.nvim_create_autocmd({ 'BufReadPost', 'BufNewFile' }, {
    group = group,
    pattern = M.patterns,
    callback = function(args) M.attach(args.buf) end,
  })
  -- Buffers opened before setup.
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(b) and M.is_connector_file(vim.api.nvim_buf_get_name(b)) then
      M.attach(b)
    end
  end
end

return M

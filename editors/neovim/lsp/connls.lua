-- Neovim 0.11+: `vim.lsp.enable('connls')` finds this file on the
-- runtimepath. require('connls').setup{} does the same with options.
local connls = require('connls')
return {
  cmd = connls.command(),
  filetypes = { 'scimrest', 'json', 'yaml' },
  root_dir = function(bufnr, on_dir)
    local name = vim.api.nvim_buf_get_name(bufnr)
    if connls.is_connector_file(name) then
      on_dir(connls.root(name))
    end
  end,
}

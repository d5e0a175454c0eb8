-- Neovim 0.11+: `vim.lsp.enable('connls')` finds this file on the
-- runtimepath. require('connls').setup{} does the same with options.
return require('connls').lsp_config()

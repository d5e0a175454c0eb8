" Groovy's settings for the DSL scripts.
runtime! ftplugin/groovy.vim
setlocal commentstring=//\ %s

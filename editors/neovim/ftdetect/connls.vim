" connector-scimrest DSL scripts: Groovy, with the framework's vocabulary.
" 'set filetype' rather than 'setfiletype': *.groovy is already groovy.
autocmd BufRead,BufNewFile *.schema.groovy,*.op.groovy,*.search.groovy,*.get.groovy,*.list.groovy set filetype=scimrest

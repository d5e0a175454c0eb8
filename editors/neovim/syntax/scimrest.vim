" Groovy highlighting plus the connector-scimrest DSL's block names.
if exists('b:current_syntax')
  finish
endif
runtime! syntax/groovy.vim
unlet! b:current_syntax
syntax keyword scimrestBlock objectClass relationship attribute connIdAttribute search endpoint
syntax keyword scimrestBlock create update delete request response supportedAttribute scim test
syntax keyword scimrestBlock authentication json valueMapping participant
syntax keyword scimrestConstant GET POST PUT PATCH DELETE UID NAME
highlight default link scimrestBlock Statement
highlight default link scimrestConstant Constant
let b:current_syntax = 'scimrest'

" iam-policy-lsp in Vim with ALE: diagnostics, completion (omnifunc), hover (:ALEHover).
" Tested headless with Vim 9.0 + ALE 3.3.0 (Debian 12: vim-nox, vim-ale). In your vimrc:
"
"   source /path/to/iam-policy-lsp/editors/vim/iam_policy_lsp.vim
"
" ALE must be installed: Debian's vim-ale is an optional package, added below with packadd;
" with a plugin manager, load ALE before sourcing this file (and set g:ale_linters, if you
" do, before it too). The server starts only for IAM policy buffers (a "Statement"
" key in the first 4 KB, a CloudFormation template, or a name like *.policy.json,
" *-policy.json, policies/**/*.json; CloudFormation/SAM YAML templates; Terraform files with
" policies); other files are left to your other linters.

filetype plugin on
silent! packadd! ale

" The server command (on PATH, or an absolute path) and its initializationOptions.
let g:iam_policy_lsp_executable = get(g:, 'iam_policy_lsp_executable', 'iam-policy-lsp')
let g:iam_policy_lsp_init_options = get(g:, 'iam_policy_lsp_init_options', {})

function! IamPolicyLspIsPolicy(buffer) abort
    let l:name = substitute(fnamemodify(bufname(a:buffer), ':p'), '\\', '/', 'g')
    if l:name =~# '[.-]policy\.jsonc\?$' || l:name =~# '/policies/.*\.jsonc\?$'
        return 1
    endif
    let l:filetype = getbufvar(a:buffer, '&filetype')
    if l:filetype ==# 'yaml'
        let l:head = strpart(join(getbufline(a:buffer, 1, 200), "\n"), 0, 4096)
        return l:head =~# '\v(^|\n)\s*(AWSTemplateFormatVersion|(-\s+)?Statement)\s*:'
        \   || l:head =~# '\v(^|\n)\s*Type\s*:\s*[''"]?AWS::'
    endif
    if l:filetype ==# 'terraform'
        let l:text = join(getbufline(a:buffer, 1, '$'), "\n")
        return l:text =~# 'aws_iam_policy_document\|assume_role_policy\s*=\|"\=Statement"\=\s*[:=]'
    endif
    let l:head = strpart(join(getbufline(a:buffer, 1, 200), "\n"), 0, 4096)
    return l:head =~# '"Statement"\_s*:' || l:head =~# '"AWSTemplateFormatVersion"\_s*:'
endfunction

" ALE starts a language server only for a non-empty project root: '' keeps other JSON files out.
function! IamPolicyLspProjectRoot(buffer) abort
    if !IamPolicyLspIsPolicy(a:buffer)
        return ''
    endif
    let l:git = ale#path#FindNearestDirectory(a:buffer, '.git')
    return !empty(l:git) ? fnamemodify(l:git, ':h:h') : fnamemodify(bufname(a:buffer), ':p:h')
endfunction

" JSON, and CloudFormation/SAM YAML and Terraform next to their own linters and servers.
for s:filetype in ['json', 'yaml', 'terraform']
    call ale#linter#Define(s:filetype, {
    \   'name': 'iam_policy_lsp',
    \   'lsp': 'stdio',
    \   'executable': {buffer -> g:iam_policy_lsp_executable},
    \   'command': '%e --stdio',
    \   'project_root': function('IamPolicyLspProjectRoot'),
    \   'initialization_options': {buffer -> g:iam_policy_lsp_init_options},
    \})
endfor

" ALE runs only the linters g:ale_linters names for json (ALE 3.3's default for json is
" ['jsonlint', 'spectral', 'vscodejson']): add iam_policy_lsp to your list, or to that default.
let g:ale_linters = get(g:, 'ale_linters', {})
if index(get(g:ale_linters, 'json', []), 'iam_policy_lsp') < 0
    let g:ale_linters.json = get(g:ale_linters, 'json', ['jsonlint', 'spectral', 'vscodejson'])
    \   + ['iam_policy_lsp']
endif
" For yaml and terraform ALE runs every linter unless g:ale_linters lists some: then add ours.
for s:filetype in ['yaml', 'terraform']
    if has_key(g:ale_linters, s:filetype) && index(g:ale_linters[s:filetype], 'iam_policy_lsp') < 0
        let g:ale_linters[s:filetype] += ['iam_policy_lsp']
    endif
endfor

augroup iam_policy_lsp
    autocmd!
    " <C-x><C-o> asks the server (ALE's automatic completion: let g:ale_completion_enabled = 1
    " before ALE is loaded).
    autocmd FileType json,yaml,terraform setlocal omnifunc=ale#completion#OmniFunc
augroup END

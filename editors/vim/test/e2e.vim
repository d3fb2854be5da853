" Headless Vim + ALE test of iam-policy-lsp. Run by editors/vim/test/run.sh as
"   vim -N -u <vimrc that sources editors/vim/iam_policy_lsp.vim> -i NONE -n -es -S e2e.vim
" i.e. after the very snippet file the README shows. Checks against the real server:
"   * a non-policy JSON file gets no language server, a policy gets ALE's iam_policy_lsp;
"   * invalid-effect exactly on "Alow": ALE's loclist columns are the LSP character offsets + 1,
"     and ALE offers no positionEncodings, so on unicode.json they must be the UTF-16 columns;
"   * completion through ALE's omnifunc (<C-x><C-o> in insert mode) in "Effect": "" offers
"     Allow and Deny.
" Writes a JSON report to $IAM_TEST_OUT; exits 0 (pass) or 1 (fail).

let s:expected = json_decode(join(readfile($IAM_TEST_EXPECTED), "\n"))
let s:code = s:expected.code
let s:timeout = empty($IAM_TEST_WAIT_MS) ? 10000 : str2nr($IAM_TEST_WAIT_MS)
let s:t0 = reltime()
let s:report = {'vim': (v:version / 100) . '.' . (v:version % 100) . '.' . (v:versionlong % 10000), 'checks': [], 'skipped': [], 'messages': []}

function! s:Ms() abort
    return float2nr(reltimefloat(reltime(s:t0)) * 1000)
endfunction

function! s:Check(ok, what, ...) abort
    let l:detail = a:0 ? a:1 : v:null
    call add(s:report.checks, {'ok': a:ok ? v:true : v:false, 'what': a:what, 'detail': l:detail, 'ms': s:Ms()})
    if !a:ok
        throw 'FAILED: ' . a:what . ': ' . string(l:detail)
    endif
endfunction

" Polls Cond() (processing channel messages while sleeping) until true or the deadline.
function! s:Wait(what, Cond) abort
    let l:start = reltime()
    while !a:Cond()
        if reltimefloat(reltime(l:start)) * 1000 > s:timeout
            throw 'timed out after ' . s:timeout . ' ms waiting for ' . a:what
        endif
        sleep 20m
    endwhile
endfunction

function! s:Open(name) abort
    execute 'hide edit ' . fnameescape($IAM_TEST_WS . '/' . a:name)
    return bufnr('')
endfunction

function! s:EffectItems(buffer) abort
    return filter(copy(ale#engine#GetLoclist(a:buffer)),
    \   {_, item -> get(item, 'code', '') is# s:code && get(item, 'linter_name', '') is# 'iam_policy_lsp'})
endfunction

function! s:DocumentOpenIn(buffer) abort
    for l:conn in values(ale#lsp#GetConnections())
        if has_key(get(l:conn, 'open_documents', {}), a:buffer)
            return 1
        endif
    endfor
    return 0
endfunction

function! s:CheckEffect(name, buffer) abort
    let l:exp = s:expected.files[a:name]
    call s:Wait('a ' . s:code . ' diagnostic in ' . a:name, {-> !empty(s:EffectItems(a:buffer))})
    let l:items = s:EffectItems(a:buffer)
    call s:Check(len(l:items) == 1, a:name . ': exactly one ' . s:code . ' diagnostic', l:items)
    let l:item = l:items[0]
    let l:cols = l:exp['utf-16']
    " ALE: col = start.character + 1, end_col = end.character (an inclusive 1-based column).
    call s:Check(l:item.lnum == l:exp.line + 1 && l:item.end_lnum == l:exp.line + 1
    \   && l:item.col == l:cols[0] + 1 && l:item.end_col == l:cols[1],
    \   a:name . ': LSP range is line ' . l:exp.line . ', utf-16 columns ' . l:cols[0] . '-' . l:cols[1],
    \   {'lnum': l:item.lnum, 'col': l:item.col, 'end_lnum': l:item.end_lnum, 'end_col': l:item.end_col})
    return l:item
endfunction

let s:ok = 0
try
    " 1. Not a policy.
    let s:pkg = s:Open('package.json')
    call s:Check(&filetype is# 'json', 'package.json has filetype json', &filetype)

    " 2. policy.json, recognised by its content.
    let s:buf = s:Open('policy.json')
    let s:item = s:CheckEffect('policy.json', s:buf)
    let s:report.first_diagnostics_ms = s:Ms()
    let s:line = getline(s:item.lnum)
    call s:Check(strpart(s:line, s:item.col - 1, s:item.end_col - s:item.col + 1) is# '"Alow"',
    \   'policy.json: the range covers "Alow" with its quotes', s:line)
    call s:Check(!s:DocumentOpenIn(s:pkg), 'package.json was not sent to any language server')
    call s:Check(s:DocumentOpenIn(s:buf), 'policy.json is open in the iam_policy_lsp server')

    " 3. Completion in "Effect": "" via ALE's omnifunc, as <C-x><C-o> in insert mode.
    call s:Check(&l:omnifunc is# 'ale#completion#OmniFunc', 'omnifunc is ALE''s', &l:omnifunc)
    call setline(s:item.lnum, strpart(s:line, 0, s:item.col - 1) . '""' . strpart(s:line, s:item.end_col))
    call cursor(s:item.lnum, s:item.col)       " on the opening quote; 'a' inserts after it
    unlet! b:ale_completion_result
    execute "normal! a\<C-x>\<C-o>"
    let s:words = map(copy(get(b:, 'ale_completion_result', [])), {_, c -> substitute(c.word, '"', '', 'g')})
    call s:Check(index(s:words, 'Allow') >= 0 && index(s:words, 'Deny') >= 0,
    \   'completion in "Effect": "" offers Allow and Deny', s:words)

    " 4. unicode.json: emoji + CJK before the token; the server must answer ALE in UTF-16.
    let s:ubuf = s:Open('unicode.json')
    call s:CheckEffect('unicode.json', s:ubuf)

    let s:ok = 1
catch
    let s:report.error = v:exception . ' (' . v:throwpoint . ')'
endtry

let s:report.ok = s:ok ? v:true : v:false
let s:report.ale_messages = map(copy(get(g:, 'ale_lsp_error_messages', {})), 'v:val')
let s:report.total_ms = s:Ms()
silent! ALEStopAllLSPs
call writefile([json_encode(s:report)], $IAM_TEST_OUT)
if s:ok
    qall!
else
    cquit!
endif

use std::process::ExitCode;

// The analysis allocates a tree node per JSON value on every keystroke; glibc's allocator
// spent a fifth of the analysis of large policies in malloc/free, mimalloc a third of that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    iam_policy_lsp::cli::main()
}

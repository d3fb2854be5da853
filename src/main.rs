fn main() {
    println!("iam-policy-lsp {}", env!("CARGO_PKG_VERSION"));
}

//! The language server: the only module that knows the protocol.

mod document;
mod position;
mod publisher;
mod server;
mod to_proto;

pub use document::Document;
pub use position::{Encoding, offset_to_position, position_to_offset};
pub use server::Backend;

use tower_lsp_server::{LspService, Server};

/// Serves LSP over stdin/stdout until the client sends `exit` (or closes stdin).
pub async fn serve_stdio() {
    let (service, socket) = LspService::new(Backend::new);
    Server::new(tokio::io::stdin(), tokio::io::stdout(), socket)
        .serve(service)
        .await;
}

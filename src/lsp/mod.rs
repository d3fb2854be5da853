//! The language server: the only module that knows the protocol.

mod catalog_command;
mod document;
mod position;
mod publisher;
mod server;
mod snapshot;
mod to_proto;
mod transport;

pub use document::Document;
pub use position::{Encoding, offset_to_position, position_to_offset};
pub(crate) use server::Backend;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tower_lsp_server::{LspService, Server};

/// Serves LSP over stdin/stdout until the client sends `exit` (or closes stdin); true when
/// the client asked for `shutdown` first (the exit status is then 0, else 1).
///
/// The input is read through [`transport::Sanitized`], so that no malformed frame ends the
/// session; it turns bodies that are no message into requests for the two methods below,
/// which answer with the JSON-RPC errors the specification asks for.
pub async fn serve_stdio() -> bool {
    let shut_down = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&shut_down);
    let (service, socket) = LspService::build(move |client| Backend::new(client, flag))
        .custom_method(transport::PARSE_ERROR, Backend::parse_error)
        .custom_method(transport::INVALID_REQUEST, Backend::invalid_request)
        .finish();
    Server::new(
        transport::Sanitized::new(tokio::io::stdin()),
        tokio::io::stdout(),
        socket,
    )
    .serve(service)
    .await;
    shut_down.load(Ordering::SeqCst)
}

//! The language server: the only module that knows the protocol.

mod catalog_command;
mod connection;
mod document;
mod jsonrpc;
mod position;
mod publisher;
mod server;
mod snapshot;
mod to_proto;
mod transport;

pub use connection::serve;
pub use document::Document;
pub use position::{Encoding, offset_to_position, position_to_offset};
#[doc(hidden)]
pub use transport::frames_of;

/// Serves LSP over stdin/stdout until the client sends `exit` (or closes stdin); true when
/// the client asked for `shutdown` first (the exit status is then 0, else 1).
pub async fn serve_stdio() -> bool {
    serve(tokio::io::stdin(), tokio::io::stdout()).await
}

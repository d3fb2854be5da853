//! The connection to the client: frames read from the input (`transport`), each read as a
//! message (`jsonrpc`) and handed to tower-lsp-server's service, and everything the server
//! sends written to the output one message at a time.
//!
//! tower-lsp-server's own loop (`Server::serve`) was replaced by this one because it reads
//! through a codec that ends the session at its first malformed frame, answers malformed
//! messages with the wrong errors (or none: requests with `$/` methods, ids it cannot
//! represent), and copies every message several times (a 10 MB `didOpen` cost five copies
//! of its text before the document was built). This loop keeps tower-lsp-server's
//! semantics: up to four requests are handled at once, in the order they came (each
//! handler runs its synchronous part on first poll), `exit` ends the reading, and the
//! output is flushed before the loop returns.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures::channel::mpsc as futures_mpsc;
use futures::future::BoxFuture;
use futures::{SinkExt, StreamExt};
use serde::Serialize;
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::{mpsc, oneshot};
use tower_lsp_server::jsonrpc::{Request, Response};
use tower_lsp_server::ls_types::{MessageType, ShowMessageParams};
use tower_lsp_server::{ClientSocket, ExitedError, Loopback, LspService};
use tower_service::Service;
use tracing::{error, warn};

use super::jsonrpc::{self, Incoming, error_response};
use super::server::Backend;
use super::transport::{Frame, Framer, INVALID_REQUEST, Input};

/// How long the input may pause before a frame waiting for the rest of a `Content-Length`
/// that is too large is taken as it is.
const STALL: Duration = Duration::from_millis(100);
/// Requests handled at once (tower-lsp-server's default).
const CONCURRENCY: usize = 4;
/// Requests read ahead of those being handled.
const QUEUED: usize = 100;
/// Messages waiting to be written: the server waits when the client does not read.
const OUTBOX: usize = 64;
/// How many refusals of messages over the size limit are shown to the user (all are
/// answered and logged): a client that sends nothing else gets no flood of messages.
const TOLD_TOO_LARGE: usize = 3;

/// A message for the client.
pub(crate) enum Outgoing {
    Response(Response),
    Request(Request),
    /// A message already serialized: the transport's error answers (with ids tower-lsp-server
    /// cannot represent), and the diagnostics, serialized straight from their types rather
    /// than through a `serde_json::Value` tree several times their size.
    Json(Vec<u8>),
}

/// Where the server's messages go out, in the order they are sent.
#[derive(Clone)]
pub(crate) struct Outbox {
    sender: mpsc::Sender<Outgoing>,
}

impl Outbox {
    /// Sends a notification, serialized at once.
    pub(crate) async fn notify(&self, method: &str, params: &impl Serialize) {
        #[derive(Serialize)]
        struct Notification<'a, P> {
            jsonrpc: &'static str,
            method: &'a str,
            params: P,
        }
        let notification = Notification {
            jsonrpc: "2.0",
            method,
            params,
        };
        match serde_json::to_vec(&notification) {
            Ok(json) => self.send(Outgoing::Json(json)).await,
            Err(e) => error!(method, "cannot serialize a notification: {e}"),
        }
    }

    async fn send(&self, message: Outgoing) {
        // Closed only once the connection is over: nothing is waiting for it then.
        let _ = self.sender.send(message).await;
    }
}

/// What the server reads and shares with the framer: the largest message accepted, which
/// the settings may change.
#[derive(Clone)]
pub(crate) struct MessageLimit(Arc<AtomicUsize>);

impl MessageLimit {
    fn new() -> Self {
        Self(Arc::new(AtomicUsize::new(
            crate::analysis::Config::default().limits.max_message_bytes,
        )))
    }

    pub(crate) fn set(&self, bytes: usize) {
        self.0.store(bytes, Ordering::Relaxed);
    }

    fn get(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }
}

type Handling = BoxFuture<'static, Result<Option<Response>, ExitedError>>;

/// Serves the protocol over `input` and `output` until the client sends `exit` or the input
/// ends; true when the client asked for `shutdown` first.
pub async fn serve<I, O>(input: I, output: O) -> bool
where
    I: AsyncRead + Unpin,
    O: AsyncWrite + Unpin,
{
    let shut_down = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (sender, receiver) = mpsc::channel(OUTBOX);
    let outbox = Outbox { sender };
    let limit = MessageLimit::new();
    let (service, socket) = {
        let (outbox, limit, flag) = (outbox.clone(), limit.clone(), Arc::clone(&shut_down));
        LspService::build(move |client| Backend::new(client, outbox, limit, flag)).finish()
    };
    let (done, finished) = oneshot::channel();
    let (tasks, queue) = futures_mpsc::channel::<Handling>(QUEUED);
    let handle = {
        let outbox = outbox.clone();
        queue
            .buffer_unordered(CONCURRENCY)
            .for_each(move |handled| {
                let outbox = outbox.clone();
                async move {
                    match handled {
                        Ok(Some(response)) => outbox.send(Outgoing::Response(response)).await,
                        Ok(None) => {}
                        Err(_exited) => {}
                    }
                }
            })
    };
    let (client_requests, client_responses) = socket.split();
    let (client_requests, stop_requests) = futures::stream::abortable(client_requests);
    let forward_requests = {
        let outbox = outbox.clone();
        client_requests.for_each(move |request| {
            let outbox = outbox.clone();
            async move { outbox.send(Outgoing::Request(request)).await }
        })
    };
    let read = read(input, service, tasks, client_responses, outbox, limit);
    let handled = async move {
        tokio::join!(read, handle);
        // What the server's tasks still send once the requests are answered is dropped,
        // as tower-lsp-server does.
        stop_requests.abort();
        let _ = done.send(());
    };
    tokio::join!(handled, write(output, receiver, finished), forward_requests);
    shut_down.load(Ordering::SeqCst)
}

/// Reads frames until `exit` or the end of the input, and hands each message on.
async fn read<I: AsyncRead + Unpin>(
    mut input: I,
    mut service: LspService<Backend>,
    mut tasks: futures_mpsc::Sender<Handling>,
    mut client_responses: <ClientSocket as Loopback>::ResponseSink,
    outbox: Outbox,
    limit: MessageLimit,
) {
    let mut framer = Framer::new();
    let mut chunk = vec![0u8; 64 * 1024];
    let mut state = Input::Flowing;
    let mut told = 0;
    loop {
        while let Some(frame) = framer.next(limit.get(), state) {
            let incoming = match frame {
                Frame::Body(body) => jsonrpc::read(body),
                Frame::Refused { code, message } => {
                    // A message over the size limit is most likely a document the user
                    // opened: the error response goes to a log, so say it where they look.
                    if code == INVALID_REQUEST && told < TOLD_TOO_LARGE {
                        told += 1;
                        let shown = ShowMessageParams {
                            typ: MessageType::WARNING,
                            message: format!("iam-policy-lsp: {message}"),
                        };
                        outbox.notify("window/showMessage", &shown).await;
                    }
                    Incoming::Reply(error_response(&Value::Null, code, &message))
                }
            };
            match incoming {
                Incoming::Request(request) => {
                    let exit = request.method() == "exit";
                    if futures::future::poll_fn(|cx| service.poll_ready(cx))
                        .await
                        .is_err()
                    {
                        return;
                    }
                    let handling: Handling = Box::pin(service.call(request));
                    if tasks.send(handling).await.is_err() {
                        return;
                    }
                    // The specification: the server exits at once; some clients keep the
                    // input open.
                    if exit {
                        return;
                    }
                }
                Incoming::Response(response) => {
                    if let Err(e) = client_responses.send(response).await {
                        error!("cannot hand on the client's response: {e}");
                    }
                }
                Incoming::Reply(json) => outbox.send(Outgoing::Json(json)).await,
                Incoming::Dropped => {}
            }
        }
        if state == Input::Ended {
            return;
        }
        framer.release();
        let read = if framer.waiting() && state == Input::Flowing {
            match tokio::time::timeout(STALL, input.read(&mut chunk)).await {
                Ok(read) => read,
                Err(_) => {
                    state = Input::Stalled;
                    continue;
                }
            }
        } else {
            input.read(&mut chunk).await
        };
        match read {
            Ok(0) => state = Input::Ended,
            Ok(n) => {
                framer.push(&chunk[..n]);
                state = Input::Flowing;
            }
            Err(e) => {
                warn!("cannot read the input: {e}");
                state = Input::Ended;
            }
        }
    }
}

/// Writes messages as they come, until `finished` and nothing is left.
async fn write<O: AsyncWrite + Unpin>(
    mut output: O,
    mut messages: mpsc::Receiver<Outgoing>,
    mut finished: oneshot::Receiver<()>,
) {
    let mut broken = false;
    let mut frame = Vec::new();
    let mut ending = false;
    loop {
        let message = if ending {
            messages.try_recv().ok()
        } else {
            tokio::select! {
                biased;
                message = messages.recv() => message,
                _ = &mut finished => {
                    ending = true;
                    messages.try_recv().ok()
                }
            }
        };
        let Some(message) = message else { break };
        if broken {
            continue;
        }
        let json = match message {
            Outgoing::Response(response) => serde_json::to_vec(&response),
            Outgoing::Request(request) => serde_json::to_vec(&request),
            Outgoing::Json(json) => Ok(json),
        };
        let json = match json {
            Ok(json) => json,
            Err(e) => {
                error!("cannot serialize a message: {e}");
                continue;
            }
        };
        frame.clear();
        frame.extend_from_slice(format!("Content-Length: {}\r\n\r\n", json.len()).as_bytes());
        frame.extend_from_slice(&json);
        drop(json);
        let mut written = output.write_all(&frame).await;
        if written.is_ok() && messages.is_empty() {
            written = output.flush().await;
        }
        if let Err(e) = written {
            warn!("cannot write to the client: {e}; what the server sends is dropped");
            broken = true;
        }
        if frame.capacity() > 1024 * 1024 {
            frame = Vec::new();
        }
    }
    let _ = output.flush().await;
}

//! Test sources of AWS's service reference: a small hand-written mirror in AWS's layout
//! (tests/catalog_update/mirror), and a tiny HTTP server on 127.0.0.1 that serves a folder,
//! or fails on purpose.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A service and an action the embedded catalogue lacks, one it has that the fixture drops,
/// and a typo of one the fixture lists: what a later reference would change.
pub const NEW_SERVICE_ACTION: &str = "quantumledger:LaunchWidget";
pub const NEW_ACTION: &str = "s3:RenameObjectVersion";
pub const REMOVED_ACTION: &str = "s3:GetObjectTorrent";
pub const TYPO: &str = "s3:GetObjct";

/// The fixture's services and actions (tests/catalog_update/mirror/v1).
pub const SERVICES: u64 = 3;
pub const ACTIONS: u64 = 9;

/// Copies the fixture mirror (AWS's address layout: `v1/service-list.json`,
/// `v1/<service>/<service>.json`; small hand-written files) into `dest`, for a test to
/// serve or to break.
pub fn copy_fixture(dest: &Path) {
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/catalog_update/mirror"),
        dest,
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// How the server answers one path, instead of serving the file.
#[derive(Clone, Copy, Debug)]
pub enum Fault {
    /// This status and a short body.
    Status(u16),
    /// Announces the whole file, sends a third of it, closes the connection.
    DropMidBody,
    /// Serves the first half of the file as if it were whole.
    Truncated,
}

/// An HTTP/1.1 server on 127.0.0.1 serving `root`, one thread per connection, each closed
/// after one answer. Stops when dropped.
pub struct MirrorServer {
    address: SocketAddr,
    faults: Arc<Mutex<HashMap<String, Fault>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl MirrorServer {
    pub fn start(root: PathBuf) -> MirrorServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let address = listener.local_addr().unwrap();
        let faults: Arc<Mutex<HashMap<String, Fault>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (faults, stop) = (Arc::clone(&faults), Arc::clone(&stop));
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (root, faults) = (root.clone(), Arc::clone(&faults));
                    std::thread::spawn(move || answer(stream, &root, &faults));
                }
            })
        };
        MirrorServer {
            address,
            faults,
            stop,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:<port>/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.address)
    }

    /// From now on, `path` (e.g. `/v1/s3/s3.json`) fails as `fault` says.
    pub fn fail(&self, path: &str, fault: Fault) {
        self.faults.lock().unwrap().insert(path.to_string(), fault);
    }

    pub fn heal(&self) {
        self.faults.lock().unwrap().clear();
    }
}

impl Drop for MirrorServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accepting thread.
        let _ = TcpStream::connect_timeout(&self.address, Duration::from_secs(1));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn answer(stream: TcpStream, root: &Path, faults: &Mutex<HashMap<String, Fault>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(&stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => break,
            Ok(_) if header == "\r\n" || header == "\n" => break,
            Ok(_) => {}
        }
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_string();
    let fault = faults.lock().unwrap().get(&path).copied();
    let file = (!path.contains(".."))
        .then(|| std::fs::read(root.join(path.trim_start_matches('/'))).ok())
        .flatten();
    let mut out = &stream;
    let respond = |out: &mut &TcpStream, status: &str, announced: usize, body: &[u8]| {
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {announced}\r\nConnection: close\r\n\r\n"
        );
        let _ = out.write_all(head.as_bytes());
        let _ = out.write_all(body);
        let _ = out.flush();
    };
    match (fault, file) {
        (Some(Fault::Status(code)), _) => {
            respond(&mut out, &format!("{code} Failing"), 7, b"failing");
        }
        (Some(Fault::DropMidBody), Some(body)) => {
            respond(&mut out, "200 OK", body.len(), &body[..body.len() / 3]);
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
        (Some(Fault::Truncated), Some(body)) => {
            let half = &body[..body.len() / 2];
            respond(&mut out, "200 OK", half.len(), half);
        }
        (_, Some(body)) => respond(&mut out, "200 OK", body.len(), &body),
        (_, None) => respond(&mut out, "404 Not Found", 9, b"not found"),
    }
}

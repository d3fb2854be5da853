//! Test sources of AWS's service reference: a mirror folder written in AWS's layout from the
//! catalogue's own data (so a test knows exactly what it holds), and a tiny HTTP server on
//! 127.0.0.1 that serves a folder, or fails on purpose.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use catalog_format::{Action, Model, Service};
use serde_json::{Value, json};

/// The committed data (`data/*.tsv`), as the embedded catalogue has it.
pub fn committed_model() -> Model {
    Model::read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data")).expect("data/*.tsv")
}

/// A new service and a new action of an existing one, none of which the embedded catalogue
/// has, and one action removed: what a later reference would say.
pub const NEW_SERVICE_ACTION: &str = "quantumledger:LaunchWidget";
pub const NEW_ACTION: &str = "s3:RenameObjectVersion";
pub const REMOVED_ACTION: &str = "s3:GetObjectTorrent";

/// The committed data as a later reference would have it.
pub fn later_model() -> Model {
    let mut m = committed_model();
    m.services.push(Service {
        prefix: "quantumledger".into(),
        name: String::new(),
    });
    for full in [NEW_SERVICE_ACTION, NEW_ACTION] {
        let (prefix, name) = full.split_once(':').unwrap();
        m.actions.push(Action {
            prefix: prefix.into(),
            name: name.into(),
            level: "Write".into(),
            resource_types: Vec::new(),
            condition_keys: Vec::new(),
            dependent_actions: Vec::new(),
        });
    }
    let (prefix, name) = REMOVED_ACTION.split_once(':').unwrap();
    m.actions
        .retain(|a| !(a.prefix == prefix && a.name == name));
    m
}

/// Writes `model`'s service tables as `dir/service-list.json` and `dir/<s>/<s>.json`.
pub fn write_mirror(dir: &Path, model: &Model) {
    std::fs::create_dir_all(dir).unwrap();
    let mut list = Vec::new();
    for service in &model.services {
        let prefix = service.prefix.as_str();
        let actions: Vec<Value> = model
            .actions
            .iter()
            .filter(|a| a.prefix == prefix)
            .map(|a| {
                json!({
                    "Name": a.name,
                    "ActionConditionKeys": a.condition_keys,
                    "Annotations": {"Properties": {
                        "IsList": a.level == "List",
                        "IsWrite": matches!(a.level.as_str(), "Write" | "Tagging" | "Permissions management"),
                        "IsPermissionManagement": a.level == "Permissions management",
                        "IsTaggingOnly": a.level == "Tagging",
                    }},
                    "Resources": a.resource_types.iter().map(|(name, _)| json!({"Name": name})).collect::<Vec<_>>(),
                    "SupportedBy": {"IAM Action Last Accessed": false},
                })
            })
            .collect();
        let resources: Vec<Value> = model
            .resource_types
            .iter()
            .filter(|r| r.prefix == prefix)
            .map(|r| json!({"Name": r.name, "ARNFormats": [r.arn], "ConditionKeys": r.condition_keys}))
            .collect();
        let keys: Vec<Value> = model
            .condition_keys
            .iter()
            .filter(|k| k.prefix == prefix)
            .map(|k| json!({"Name": k.key, "Types": [k.ty]}))
            .collect();
        let file = json!({"Name": prefix, "Actions": actions, "Resources": resources, "ConditionKeys": keys, "Version": "v1.4"});
        std::fs::create_dir_all(dir.join(prefix)).unwrap();
        std::fs::write(
            dir.join(prefix).join(format!("{prefix}.json")),
            serde_json::to_vec(&file).unwrap(),
        )
        .unwrap();
        list.push(json!({"service": prefix, "url": format!("https://servicereference.us-east-1.amazonaws.com/v1/{prefix}/{prefix}.json")}));
    }
    std::fs::write(
        dir.join("service-list.json"),
        serde_json::to_vec(&list).unwrap(),
    )
    .unwrap();
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

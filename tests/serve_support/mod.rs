//! Running the real `dossier serve` on an ephemeral loopback port for the
//! `serve_*` tests: start it, find its address in its first log line, send
//! it signals, read its logs, and never leave it running.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Longest any test waits for the service to do something.
pub const PATIENCE: Duration = Duration::from_secs(20);

pub struct Server {
    child: Child,
    pub address: String,
    logs: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// `dossier serve --listen 127.0.0.1:0 ARGS…`, once it listens.
    pub fn start(args: &[&str]) -> Server {
        Server::start_in(args, None, &[])
    }

    /// As [`Server::start`], in `cwd` and with extra environment variables.
    pub fn start_in(args: &[&str], cwd: Option<&Path>, env: &[(&str, &str)]) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_dossier"));
        command
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if let Some(cwd) = cwd {
            command.current_dir(cwd);
        }
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("dossier serve starts");
        let stderr = child.stderr.take().expect("stderr is piped");
        let logs = Arc::new(Mutex::new(Vec::new()));
        let (sender, receiver) = std::sync::mpsc::channel();
        let sink = logs.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Ok(value) = serde_json::from_str::<serde_json::Value>(&line)
                    && value["message"] == "listening"
                {
                    let _ = sender.send(value["address"].as_str().unwrap_or("").to_string());
                }
                sink.lock().unwrap().push(line);
            }
        });
        let address = match receiver.recv_timeout(PATIENCE) {
            Ok(address) => address,
            Err(_) => {
                let _ = child.kill();
                panic!("the service did not listen: {:?}", logs.lock().unwrap());
            }
        };
        Server {
            child,
            address,
            logs,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    pub fn signal(&self, signal: i32) {
        // SAFETY: kill(2) on our own child's pid; no memory is involved.
        let sent = unsafe { libc::kill(self.pid(), signal) };
        assert_eq!(sent, 0, "signal sent");
    }

    /// Waits for the process to end, at most `PATIENCE`.
    pub fn wait(&mut self) -> ExitStatus {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().expect("status readable") {
                return status;
            }
            assert!(Instant::now() < deadline, "the service did not stop");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Log lines so far, parsed.
    pub fn logs(&self) -> Vec<serde_json::Value> {
        self.logs
            .lock()
            .unwrap()
            .iter()
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect()
    }

    /// Waits until a log line has `message`, at most `PATIENCE`.
    pub fn wait_for_log(&self, message: &str) -> serde_json::Value {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(line) = self.logs().into_iter().find(|l| l["message"] == message) {
                return line;
            }
            assert!(
                Instant::now() < deadline,
                "no log line `{message}` in {:?}",
                self.raw_logs()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Raw stderr lines so far.
    pub fn raw_logs(&self) -> Vec<String> {
        self.logs.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A blocking client with a bound on every request.
pub fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .timeout(PATIENCE)
        .build()
        .expect("client builds")
}

/// `dossier ARGS…` as a command, for comparing with the CLI.
pub fn cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .env("LANG", "C")
        .output()
        .expect("dossier runs")
}

/// A raw connection, for what a well-behaved client would never do
/// (send half a body, trickle headers, vanish).
pub struct Raw {
    pub stream: std::net::TcpStream,
}

impl Raw {
    pub fn connect(server: &Server) -> Raw {
        let stream = std::net::TcpStream::connect(&server.address).expect("connects");
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        Raw { stream }
    }

    pub fn send(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        use std::io::Write;
        self.stream.write_all(bytes)
    }

    /// Everything the server sends until it closes or `PATIENCE` passes.
    pub fn response(&mut self) -> String {
        use std::io::Read;
        let mut bytes = Vec::new();
        let _ = self.stream.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// The head of an upload of `length` bytes of `content_type`.
    pub fn upload_head(path: &str, content_type: &str, length: usize) -> Vec<u8> {
        format!(
            "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: {content_type}\r\n\
             Content-Length: {length}\r\nConnection: close\r\n\r\n"
        )
        .into_bytes()
    }
}

/// The value of one series in the service's metrics, if present.
pub fn metric(server: &Server, series: &str) -> Option<f64> {
    let text = client()
        .get(server.url("/metrics"))
        .send()
        .ok()?
        .text()
        .ok()?;
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|v| v.parse().ok())
}

/// Waits until `series` has `value` (the scrape itself counts as one
/// request in flight), at most `PATIENCE`.
pub fn wait_for_metric(server: &Server, series: &str, value: f64) {
    let deadline = Instant::now() + PATIENCE;
    while metric(server, series) != Some(value) {
        assert!(
            Instant::now() < deadline,
            "{series} never reached {value} (last {:?})",
            metric(server, series)
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

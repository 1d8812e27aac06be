//! The release binary: imports, users, and a server to send requests to.

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU16, Ordering};
use std::time::{Duration, Instant};

use super::http;

pub fn sdreview(library: &Path, db: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sdreview"));
    command
        .args(["--library", library.to_str().unwrap()])
        .args(["--db", db.to_str().unwrap()])
        .args(args);
    command
}

fn succeeded(output: Output) -> Output {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

pub fn fresh_db(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
}

pub fn import_json(library: &Path, db: &Path, extra: &[&str]) -> serde_json::Value {
    let args = [&["import", "--json", "--no-backup"][..], extra].concat();
    let output = sdreview(library, db, &args).output().unwrap();
    // A report whose validation failed exits 1 but is still the report.
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("no report: {}", String::from_utf8_lossy(&output.stderr)))
}

pub fn spawn_import(library: &Path, db: &Path, delay_ms: u64) -> Child {
    sdreview(
        library,
        db,
        &[
            "import",
            "--json",
            "--no-backup",
            "--read-delay-ms",
            &delay_ms.to_string(),
        ],
    )
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .spawn()
    .unwrap()
}

/// A new user; returns their access token.
pub fn add_user(library: &Path, db: &Path, name: &str, role: &str) -> String {
    let output = succeeded(
        sdreview(library, db, &["user", "add", name, "--role", role])
            .output()
            .unwrap(),
    );
    let text = String::from_utf8_lossy(&output.stdout);
    text.split_whitespace()
        .find(|word| word.starts_with("sdr_"))
        .expect("a token in the output")
        .to_owned()
}

pub struct Server {
    child: Child,
    port: u16,
}

pub struct Latencies {
    pub ms: Vec<f64>,
    pub worst_status: u16,
    /// How long the import ran while the raters rated.
    pub import_seconds: f64,
}

impl Server {
    /// A server without the hashing pass (measured on its own by the similar benchmark).
    pub fn start(library: &Path, db: &Path, log: &Path) -> Server {
        Server::start_with(library, db, log, &["--no-hash", "--no-predict"])
    }

    pub fn start_with(library: &Path, db: &Path, log: &Path, extra: &[&str]) -> Server {
        let port = crate::process::free_port();
        let log = std::fs::File::create(log).unwrap();
        let bind = format!("127.0.0.1:{port}");
        let args = [
            &["serve", "--no-import", "--bind", bind.as_str()][..],
            extra,
        ]
        .concat();
        let child = sdreview(library, db, &args)
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .stdin(Stdio::null())
            .spawn()
            .unwrap();
        let server = Server { child, port };
        let started = Instant::now();
        while http::get(port, "/login", "").map_or(true, |r| r.status != 200) {
            assert!(started.elapsed() < Duration::from_secs(60), "no answer");
            std::thread::sleep(Duration::from_millis(100));
        }
        server
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn get(&self, path: &str, token: &str) -> http::Reply {
        let bearer = format!("Bearer {token}");
        http::request(self.port, "GET", path, &[("Authorization", &bearer)], "").unwrap()
    }

    pub fn rate(&self, image: i64, token: &str) -> u16 {
        let bearer = format!("Bearer {token}");
        let headers = [
            ("Authorization", bearer.as_str()),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ];
        let path = format!("/images/{image}/rating");
        http::request(self.port, "POST", &path, &headers, "action=like")
            .map_or(0, |reply| reply.status)
    }

    /// Eight clients rate images 1..=400 in turn until `import` exits.
    pub fn rate_until_done(&self, token: &str, mut import: Child) -> Latencies {
        let done = AtomicBool::new(false);
        let worst = AtomicU16::new(200);
        let mut import_seconds = 0.0;
        let ms = std::thread::scope(|scope| {
            let clients: Vec<_> = (0..8)
                .map(|client| {
                    let (done, worst) = (&done, &worst);
                    scope.spawn(move || {
                        let mut ms = Vec::new();
                        let mut image = 1 + client * 50;
                        while !done.load(Ordering::Relaxed) {
                            let started = Instant::now();
                            let status = self.rate(image, token);
                            ms.push(started.elapsed().as_secs_f64() * 1000.0);
                            if status != 200 {
                                worst.fetch_max(status.max(1), Ordering::Relaxed);
                            }
                            image = image % 400 + 1;
                        }
                        ms
                    })
                })
                .collect();
            let started = Instant::now();
            import.wait().unwrap();
            import_seconds = started.elapsed().as_secs_f64();
            done.store(true, Ordering::Relaxed);
            clients
                .into_iter()
                .flat_map(|c| c.join().unwrap())
                .collect()
        });
        Latencies {
            ms,
            worst_status: worst.load(Ordering::Relaxed),
            import_seconds,
        }
    }

    /// Asks for `path` and reads the answer at `bytes_per_second` until `stop`; returns the
    /// status line's code (a refused export answers at once and is read whole).
    pub fn slow_download(
        &self,
        path: &str,
        token: &str,
        bytes_per_second: usize,
        stop: &AtomicBool,
    ) -> u16 {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\
             Connection: close\r\n\r\n"
        )
        .unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        // Small reads ten times a second: the kernel's buffers fill and the server waits.
        let slice = (bytes_per_second / 10).max(1);
        let mut buffer = vec![0; slice];
        let mut head = Vec::new();
        while !stop.load(Ordering::Relaxed) {
            match stream.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) if head.len() < 64 => head.extend_from_slice(&buffer[..n]),
                _ => {}
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let head = String::from_utf8_lossy(&head);
        head.split_whitespace()
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or(0)
    }

    /// One request's status and time in milliseconds.
    pub fn timed(&self, method: &str, path: &str, token: &str, body: &str) -> (u16, f64) {
        let bearer = format!("Bearer {token}");
        let headers = [
            ("Authorization", bearer.as_str()),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ];
        let started = Instant::now();
        let status = http::request(self.port, method, path, &headers, body).map_or(0, |r| r.status);
        (status, started.elapsed().as_secs_f64() * 1000.0)
    }

    /// The server's peak resident memory so far (Linux's VmHWM).
    pub fn peak_memory_mb(&self) -> f64 {
        self.status_mb("VmHWM:")
    }

    /// The server's resident memory now (Linux's VmRSS).
    pub fn memory_mb(&self) -> f64 {
        self.status_mb("VmRSS:")
    }

    fn status_mb(&self, field: &str) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|line| line.strip_prefix(field))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

//! Rebuilds the crate when a migration or a static asset is added: both are embedded at build
//! time, and cargo cannot see a new file in a folder by itself.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=static");
}

//! With `NEWSCLEAN_NO_PIE=1`, links the `newsclean` binary as a
//! position-dependent executable (`-no-pie`): its 27,000 relocations (two
//! thirds html5ever's entity table) are then resolved at link time instead
//! of being written by the loader into ~140 fresh pages on every start
//! (about 1.5 ms of a 12 ms run on one small file). Off by default: the
//! binary reads untrusted pages, and a PIE keeps its own code and data
//! address-randomised, as distributions build it. Only the binary is
//! affected (`rustc-link-arg-bins`): the library, its tests and the Python
//! extension link as before.

fn main() {
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    let gnu = std::env::var("CARGO_CFG_TARGET_ENV").is_ok_and(|env| env == "gnu");
    if linux && gnu && std::env::var_os("NEWSCLEAN_NO_PIE").is_some_and(|v| v == "1") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-env-changed=NEWSCLEAN_NO_PIE");
}

// The release binary embeds `web/dist`; rebuild it whenever the built SPA changes (cargo
// scans a directory given here for any modified file).
fn main() {
    println!("cargo:rerun-if-changed=../web/dist");
}

//! Tells whoever runs the tests, at build time, whether the PostgreSQL half of the storage contract
//! suite will run: without `FC_TEST_POSTGRES_URL` it is skipped, and that should never be silent.
fn main() {
    println!("cargo:rerun-if-env-changed=FC_TEST_POSTGRES_URL");
    if std::env::var_os("FC_TEST_POSTGRES_URL").is_none() && std::env::var_os("CI").is_none() {
        println!(
            "cargo:warning=FC_TEST_POSTGRES_URL is not set: the PostgreSQL half of the storage contract tests \
             will be skipped (SQLite still runs). See README.md, 'Running the tests'."
        );
    }
}

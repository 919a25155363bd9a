# Sourced by the benchmark scripts: sets `bin` (BIN=path/to/logredact,
# else the release build of this tree, built first) and `work` (a temp
# dir removed on exit).
if [ -n "${BIN:-}" ]; then
    bin=$BIN
else
    cargo build --release --quiet
    bin=target/release/logredact
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

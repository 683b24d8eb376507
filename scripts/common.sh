# Shared by scripts/test.sh and scripts/run-example.sh: configure and build.
# Usage: sparsity_configure <build-dir> [extra cmake args...]

SPARSITY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SPARSITY_JOBS="${SPARSITY_JOBS:-3}"

sparsity_configure() {
  local dir="$1"
  shift
  cmake -G Ninja -S "$SPARSITY_ROOT" -B "$dir" \
    -DCMAKE_C_COMPILER=/usr/lib/llvm-22/bin/clang \
    -DCMAKE_CXX_COMPILER=/usr/lib/llvm-22/bin/clang++ \
    -DLLVM_USE_LINKER=lld \
    "$@" > "$dir.configure.log" 2>&1 || {
    cat "$dir.configure.log"
    echo "configure failed ($dir)" >&2
    return 1
  }
}

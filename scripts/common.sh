# Shared by scripts/test.sh and scripts/run-example.sh: configure and build.
# Usage: sparsity_configure <build-dir> [extra cmake args...]
# Builds with clang-22 and lld unless SPARSITY_COMPILER=gcc (gcc-12, ld).

SPARSITY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SPARSITY_JOBS="${SPARSITY_JOBS:-3}"

sparsity_configure() {
  local dir="$1"
  shift
  local compilers=(-DCMAKE_C_COMPILER=/usr/lib/llvm-22/bin/clang
                   -DCMAKE_CXX_COMPILER=/usr/lib/llvm-22/bin/clang++
                   -DLLVM_USE_LINKER=lld)
  if [[ "${SPARSITY_COMPILER:-clang}" == gcc ]]; then
    compilers=(-DCMAKE_C_COMPILER=gcc -DCMAKE_CXX_COMPILER=g++)
  fi
  mkdir -p "$dir"
  cmake -G Ninja -S "$SPARSITY_ROOT" -B "$dir" "${compilers[@]}" "$@" > "$dir/configure.log" 2>&1 || {
    cat "$dir/configure.log"
    echo "configure failed ($dir)" >&2
    return 1
  }
}

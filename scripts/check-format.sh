#!/usr/bin/env bash
# Checks that every C/C++ source of the tree (tracked, or new and not
# ignored) is formatted as .clang-format says (BasedOnStyle: LLVM), with
# Debian's clang-format-22. Prints each offending file with the first lines
# clang-format would change, and exits 1 if there is any.
#
#   scripts/check-format.sh          check the whole tree
#   scripts/check-format.sh FILE...  check these files only
#   scripts/check-format.sh --fix    reformat the whole tree in place
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
clang_format="${CLANG_FORMAT:-clang-format-22}"
command -v "$clang_format" > /dev/null || {
  echo "check-format: $clang_format not found (Debian package clang-format-22)" >&2
  exit 2
}

fix=0
files=()
if [[ ${1:-} == --fix ]]; then
  fix=1
  shift
fi
if [[ $# -gt 0 ]]; then
  files=("$@")
else
  mapfile -t files < <(git ls-files --cached --others --exclude-standard \
    -- '*.cpp' '*.h' '*.c' | while read -r f; do [[ -f $f ]] && echo "$f"; done)
fi

if [[ $fix == 1 ]]; then
  "$clang_format" --style="file:$root/.clang-format" -i "${files[@]}"
  echo "check-format: formatted ${#files[@]} files"
  exit 0
fi

bad=0
for f in "${files[@]}"; do
  if ! diff -u "$f" <("$clang_format" --style="file:$root/.clang-format" "$f") > /tmp/check-format.$$ 2>&1; then
    echo "check-format: $f is not clang-format clean:"
    sed -n '3,12p' /tmp/check-format.$$ | sed 's/^/    /'
    bad=$((bad + 1))
  fi
done
rm -f /tmp/check-format.$$
if [[ $bad -gt 0 ]]; then
  echo "check-format: $bad of ${#files[@]} files need formatting" \
       "(scripts/check-format.sh --fix)"
  exit 1
fi
echo "check-format: ${#files[@]} files clean"

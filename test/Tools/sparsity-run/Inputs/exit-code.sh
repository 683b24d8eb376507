#!/bin/sh
# Runs a command, merging its stderr into stdout, then prints its exit status
# so that a test can check the exact code (`not` accepts any failure).
"$@" 2>&1
echo "exit code: $?"

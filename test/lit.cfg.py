# -*- Python -*-
# lit configuration of sparsity-mlir.

import os
import shutil
import subprocess

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "SPARSITY"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.sparsity_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%shlibext", config.llvm_shlib_ext))
config.substitutions.append(("%sparsity_src_root", config.sparsity_src_root))
config.substitutions.append(("%sparsity_obj_root", config.sparsity_obj_root))
config.substitutions.append(("%sparsity_libs", config.sparsity_lib_dir))
config.substitutions.append(
    ("%models", os.path.join(config.sparsity_src_root, "models", "tiny")))
# Longer names first: lit substitutes in order, and %cmake is a prefix of
# %cmake_generator.
config.substitutions.append(("%cmake_generator", config.cmake_generator))
config.substitutions.append(("%cmake", config.cmake_command))
config.substitutions.append(("%cxx", config.cxx_compiler))
config.substitutions.append(("%c_compiler", config.c_compiler))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

# The upstream mlir-opt the plugin is loaded into: Debian's, by full path.
upstream_mlir_opt = os.path.join(config.llvm_tools_dir, "mlir-opt")
config.substitutions.append(("%upstream_mlir_opt", upstream_mlir_opt))

if config.sparsity_sanitized:
    # An ASan-instrumented plugin cannot be dlopen'ed into the uninstrumented
    # upstream mlir-opt (the ASan runtime must come first), and the install
    # test builds a separate consumer project: both run in the plain suite.
    config.available_features.add("sanitized")
    # Our instrumented code inlines LLVM's BumpPtrAllocator, which poisons
    # fresh slabs for ASan; the uninstrumented libMLIR.so then allocates from
    # the same slabs (MLIRContext uniquers) without unpoisoning, and ASan
    # reports use-after-poison inside libMLIR (seen with sparsity-annotate
    # followed by sparsity-cpu-pipeline). allow_user_poisoning=0 ignores those
    # manual annotations; real heap errors are still detected.
    config.environment["ASAN_OPTIONS"] = (
        "detect_leaks=1:detect_container_overflow=0:allow_user_poisoning=0")
    config.environment["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"
else:
    config.available_features.add("plain-build")
if os.path.exists(upstream_mlir_opt):
    config.available_features.add("upstream-mlir-opt")
# ONNX Runtime (npm onnxruntime-node in scripts/ort, installed by
# scripts/test.sh) as an independent oracle; without it those tests are
# reported unsupported, never passed.
if shutil.which("node") and os.path.isdir(os.path.join(
        config.sparsity_src_root, "scripts", "ort", "node_modules",
        "onnxruntime-node")):
    config.available_features.add("onnxruntime")
# Debian's python3-onnx and python3-numpy (for /usr/bin/python3): the
# independent operation-sparsity count (test/Analysis/independent-count.py).
if subprocess.run(["/usr/bin/python3", "-c", "import onnx, numpy"],
                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0:
    config.available_features.add("python-onnx")
# ... and python3-torch: torch.nn.utils.prune as the reference of
# --sparsity-prune (scripts/check-prune-torch.py, test/Dialect/Sparsity/Transforms/prune-torch).
if subprocess.run(["/usr/bin/python3", "-c", "import torch, onnx, numpy"],
                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0:
    config.available_features.add("python-torch")

# AVX-512 (avx512f): the x86-avx512 kernels execute only on such a CPU;
# elsewhere their execution tests are reported unsupported.
try:
    with open("/proc/cpuinfo") as cpuinfo:
        if any(line.startswith("flags") and " avx512f" in line
               for line in cpuinfo):
            config.available_features.add("avx512")
except OSError:
    pass
# Debian's clang-format-22: scripts/check-format.sh (test/Tools/check-format).
if shutil.which("clang-format-22"):
    config.available_features.add("clang-format")
# The OpenMP runtime that sparsity-run --num-threads N > 1 loads.
if os.path.exists(config.sparsity_openmp_runtime):
    config.available_features.add("openmp")

llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.sparsity_tools_dir, append_path=True)

tool_dirs = [config.sparsity_tools_dir, config.llvm_tools_dir]
tools = ["sparsity-opt", "sparsity-run", "sparsity-sim", "sparsity-calibrate", "sparsity-import-onnx"]
llvm_config.add_tool_substitutions(tools, tool_dirs)

//===- x86-baseline.cpp - the competition on this CPU ---------------------===//
//
// Part of sparsity-mlir (bench/, not the test suite). The baselines that
// issue 8's generated code is measured against, on the layer shapes it
// names: OpenBLAS sgemm (dense), and straightforward hand-written row-CSR
// SpMM at 50/70/90/95% random unstructured sparsity, one and two threads.
//
// The layer is Y[N][M] = W[N][K] * X[K][M] (W the weight, M the activation
// rows: tokens, or output pixels of a convolution as im2col). CSR walks the
// non-zeros of each weight row and adds v * X[k][:] into Y[n][:], the loop
// over M vectorised by the compiler (-O3 -march=native).
//
// Build and run: bench/x86-baseline.sh (prints a Markdown table).
//
// One GEMM alone (bench/x86-layers.py uses this):
//   x86-baseline --gemm M N K [--threads T] [--iters N] [--warmup W]
// times cblas_sgemm for C[M][N] = A[M][K] * B[K][N] (row-major, random
// operands) with openblas_set_num_threads(T) and prints one JSON line:
//   {"m":M,"n":N,"k":K,"threads":T,"iters":N,"median_ms":..,"min_ms":..,
//    "gflops":..}   (gflops from the median, 2*M*N*K flops)
// and, for M = 1, "sgemv_median_ms" and "sgemv_min_ms" of the same product
// as cblas_sgemv (OpenBLAS 0.3.21 does not forward M = 1 sgemm to sgemv).
// The caller sets OPENBLAS_CORETYPE (bench/x86-baseline.sh explains why).
//
//===----------------------------------------------------------------------===//

#include <cblas.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Shape {
  const char *name;
  int m, k, n;
};

// BERT-base FC at 128 tokens; ResNet-50 conv2_x 3x3 (56x56, 64->64),
// conv3_x 3x3 (28x28, 128->128), conv5_x 1x1 (7x7, 2048->512); batch-1 FC.
const Shape kShapes[] = {
    {"BERT FC 768x768", 128, 768, 768},
    {"BERT FC 3072x768 (in 768)", 128, 768, 3072},
    {"BERT FC 768x3072 (in 3072)", 128, 3072, 768},
    {"ResNet-50 conv2_x 3x3", 3136, 576, 64},
    {"ResNet-50 conv3_x 3x3", 784, 1152, 128},
    {"ResNet-50 conv5_x 1x1", 49, 2048, 512},
    {"FC 4096x4096, batch 1", 1, 4096, 4096},
};

struct Csr {
  std::vector<int> rowStart, col;
  std::vector<float> val;
};

Csr toCsr(const std::vector<float> &w, int n, int k) {
  Csr c;
  c.rowStart.push_back(0);
  for (int r = 0; r < n; ++r) {
    for (int j = 0; j < k; ++j)
      if (w[size_t(r) * k + j] != 0.0f) {
        c.col.push_back(j);
        c.val.push_back(w[size_t(r) * k + j]);
      }
    c.rowStart.push_back(static_cast<int>(c.col.size()));
  }
  return c;
}

/// Rows [r0, r1) of Y = W * X with W in CSR.
void csrRows(const Csr &w, const float *x, float *y, int m, int r0, int r1) {
  for (int r = r0; r < r1; ++r) {
    float *out = y + size_t(r) * m;
    std::fill(out, out + m, 0.0f);
    for (int e = w.rowStart[r]; e < w.rowStart[r + 1]; ++e) {
      const float v = w.val[e];
      const float *in = x + size_t(w.col[e]) * m;
      for (int i = 0; i < m; ++i)
        out[i] += v * in[i];
    }
  }
}

void csr(const Csr &w, const float *x, float *y, int m, int n, int threads) {
  if (threads == 1)
    return csrRows(w, x, y, m, 0, n);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back(csrRows, std::cref(w), x, y, m, n * t / threads,
                      n * (t + 1) / threads);
  for (std::thread &t : pool)
    t.join();
}

/// Median seconds of `fn` over enough calls to fill about 0.3 s (at least 5).
template <typename Fn> double medianSeconds(Fn fn) {
  fn(); // warm-up
  std::vector<double> times;
  double total = 0;
  while (times.size() < 5 || (total < 0.3 && times.size() < 1000)) {
    auto t0 = std::chrono::steady_clock::now();
    fn();
    double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
            .count();
    times.push_back(s);
    total += s;
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

int gemmMode(int argc, char **argv) {
  auto usage = [] {
    std::fprintf(stderr, "usage: x86-baseline --gemm M N K [--threads T] "
                         "[--iters N] [--warmup W]\n");
    return 2;
  };
  auto number = [](const char *text, long &out) {
    char *end = nullptr;
    out = std::strtol(text, &end, 10);
    return end != text && *end == '\0' && out >= 0;
  };
  long m = 0, n = 0, k = 0, threads = 1, iters = 20, warmup = 2;
  int i = 1;
  if (argc < 5 || std::string(argv[1]) != "--gemm" || !number(argv[2], m) ||
      !number(argv[3], n) || !number(argv[4], k) || m < 1 || n < 1 || k < 1)
    return usage();
  for (i = 5; i < argc; i += 2) {
    std::string opt = argv[i];
    long *dst = opt == "--threads"  ? &threads
                : opt == "--iters"  ? &iters
                : opt == "--warmup" ? &warmup
                                    : nullptr;
    if (!dst || i + 1 >= argc || !number(argv[i + 1], *dst))
      return usage();
  }
  if (threads < 1 || iters < 1)
    return usage();
  std::mt19937 rng(0);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<float> a(size_t(m) * k), b(size_t(k) * n), c(size_t(m) * n);
  for (float &v : a)
    v = u(rng);
  for (float &v : b)
    v = u(rng);
  openblas_set_num_threads(static_cast<int>(threads));
  auto gemm = [&] {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f,
                a.data(), k, b.data(), n, 0.0f, c.data(), n);
  };
  for (long w = 0; w < warmup; ++w)
    gemm();
  std::vector<double> times;
  for (long it = 0; it < iters; ++it) {
    auto t0 = std::chrono::steady_clock::now();
    gemm();
    times.push_back(std::chrono::duration<double, std::milli>(
                        std::chrono::steady_clock::now() - t0)
                        .count());
  }
  auto median = [](std::vector<double> &t) {
    std::sort(t.begin(), t.end());
    size_t half = t.size() / 2;
    return t.size() % 2 ? t[half] : (t[half - 1] + t[half]) / 2;
  };
  double med = median(times);
  std::printf("{\"m\":%ld,\"n\":%ld,\"k\":%ld,\"threads\":%ld,"
              "\"iters\":%ld,\"median_ms\":%.4f,\"min_ms\":%.4f,"
              "\"gflops\":%.1f",
              m, n, k, threads, iters, med, times.front(),
              2.0 * m * n * k / (med * 1e-3) / 1e9);
  // M = 1: OpenBLAS 0.3.21 does not forward sgemm to sgemv, so also time
  // the GEMV (y[N] = x[K] B[K][N]) that a BLAS user would call.
  if (m == 1) {
    auto gemv = [&] {
      cblas_sgemv(CblasRowMajor, CblasTrans, k, n, 1.0f, b.data(), n, a.data(),
                  1, 0.0f, c.data(), 1);
    };
    for (long w = 0; w < warmup; ++w)
      gemv();
    std::vector<double> gt;
    for (long it = 0; it < iters; ++it) {
      auto t0 = std::chrono::steady_clock::now();
      gemv();
      gt.push_back(std::chrono::duration<double, std::milli>(
                       std::chrono::steady_clock::now() - t0)
                       .count());
    }
    double gmed = median(gt);
    std::printf(",\"sgemv_median_ms\":%.4f,\"sgemv_min_ms\":%.4f", gmed,
                gt.front());
  }
  std::printf("}\n");
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  if (argc > 1)
    return gemmMode(argc, argv);
  std::mt19937 rng(0);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  const double sparsities[] = {0.5, 0.7, 0.9, 0.95};
  std::printf("| layer (M x K -> N) | threads | OpenBLAS sgemm | GFLOP/s |");
  for (double s : sparsities)
    std::printf(" CSR %.0f%% |", 100 * s);
  std::printf("\n|---|---:|---:|---:|");
  for (size_t i = 0; i < std::size(sparsities); ++i)
    std::printf("---:|");
  std::printf("\n");
  for (const Shape &sh : kShapes) {
    std::vector<float> w(size_t(sh.n) * sh.k), x(size_t(sh.k) * sh.m),
        y(size_t(sh.n) * sh.m), yRef(size_t(sh.n) * sh.m);
    for (float &v : w)
      v = u(rng);
    for (float &v : x)
      v = u(rng);
    // Pruned copies: the same random order of weights for every level.
    std::vector<float> score(w.size());
    for (float &v : score)
      v = std::fabs(u(rng));
    std::vector<Csr> pruned;
    std::vector<std::vector<float>> prunedDense;
    for (double s : sparsities) {
      std::vector<float> p(w);
      for (size_t i = 0; i < p.size(); ++i)
        if (score[i] < s)
          p[i] = 0.0f;
      pruned.push_back(toCsr(p, sh.n, sh.k));
      prunedDense.push_back(std::move(p));
    }
    for (int threads : {1, 2}) {
      openblas_set_num_threads(threads);
      auto gemm = [&](const float *weights, float *out) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, sh.n, sh.m, sh.k,
                    1.0f, weights, sh.k, x.data(), sh.m, 0.0f, out, sh.m);
      };
      double dense = medianSeconds([&] { gemm(w.data(), y.data()); });
      double gflops = 2.0 * sh.m * sh.k * sh.n / dense / 1e9;
      std::printf("| %s (%d x %d -> %d) | %d | %.3f ms | %.0f |", sh.name, sh.m,
                  sh.k, sh.n, threads, 1e3 * dense, gflops);
      for (size_t i = 0; i < pruned.size(); ++i) {
        double t = medianSeconds(
            [&] { csr(pruned[i], x.data(), y.data(), sh.m, sh.n, threads); });
        // Check CSR against sgemm on the same pruned weights.
        gemm(prunedDense[i].data(), yRef.data());
        double err = 0, ref = 0;
        for (size_t j = 0; j < y.size(); ++j) {
          err = std::max(err, double(std::fabs(y[j] - yRef[j])));
          ref = std::max(ref, double(std::fabs(yRef[j])));
        }
        if (err > 1e-4 * std::max(ref, 1.0)) {
          std::fprintf(stderr, "CSR result differs from sgemm: %g\n", err);
          return 1;
        }
        std::printf(" %.2fx |", dense / t);
      }
      std::printf("\n");
      std::fflush(stdout);
    }
  }
  return 0;
}

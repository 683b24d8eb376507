// bench-ort.mjs - time an ONNX model with ONNX Runtime (CPU), the baseline of
// bench/x86-layers.py and bench/x86-models.py.
//
//   node scripts/ort/bench-ort.mjs model.onnx --threads T --iters N
//        [--warmup W] [--dim NAME=VALUE ...] [--seed S]
//
// The session runs with intraOpNumThreads=T, interOpNumThreads=1, sequential
// execution and graphOptimizationLevel 'all'. Every input gets random values
// of its static shape (floats uniform in [-1, 1), integers in [0, 4)); a
// symbolic or unknown dimension needs --dim NAME=VALUE (an unnamed one:
// --dim ?=VALUE). W untimed session.run calls (default 3) come first, then N
// timed ones; the time of each is the wall time of `await session.run(feeds)`
// (onnxruntime-node runs the session synchronously on the main thread inside a
// setImmediate; the time includes that hand-off and the wrapping of the
// outputs as JS tensors, microseconds). Prints one JSON line:
//   {"median_ms": .., "min_ms": .., "max_ms": .., "threads": T, "iters": N,
//    "warmup": W, "ort": "1.30.0"}
// Exits 2 with a message on any error.
//
// It lives here, not in bench/, because Node resolves 'onnxruntime-node'
// from the script's own directory (scripts/ort/node_modules).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';

function fail(message) {
  console.error(`bench-ort: error: ${message}`);
  process.exit(2);
}

const USAGE = 'usage: bench-ort.mjs model.onnx --threads T --iters N ' +
              '[--warmup W] [--dim NAME=VALUE ...] [--seed S]';
const args = process.argv.slice(2);
let model, threads = 1, iters = 20, warmup = 3, seed = 0;
const dims = {};
function intArg(name, text, min) {
  const v = Number(text);
  if (!Number.isInteger(v) || v < min) fail(`${name} needs an integer >= ${min}, got '${text}'`);
  return v;
}
for (let i = 0; i < args.length; ++i) {
  const a = args[i];
  if (a === '--help' || a === '-h') { console.log(USAGE); process.exit(0); }
  else if (a === '--threads') threads = intArg(a, args[++i], 1);
  else if (a === '--iters') iters = intArg(a, args[++i], 1);
  else if (a === '--warmup') warmup = intArg(a, args[++i], 0);
  else if (a === '--seed') seed = intArg(a, args[++i], 0);
  else if (a === '--dim') {
    const m = /^(.+)=(\d+)$/.exec(args[++i] ?? '');
    if (!m) fail(`--dim needs NAME=VALUE, got '${args[i]}'`);
    dims[m[1]] = Number(m[2]);
  } else if (a.startsWith('--')) fail(`unknown option '${a}'\n${USAGE}`);
  else if (!model) model = a;
  else fail(`unexpected argument '${a}'\n${USAGE}`);
}
if (!model) fail(USAGE);

// xorshift32: the same inputs for the same seed, cheap for large tensors.
let state = (seed * 2654435761 + 0x9e3779b9) >>> 0 || 1;
function next() {
  state ^= state << 13; state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5; state >>>= 0;
  return state / 4294967296;
}

const FLOATS = { float32: Float32Array, float64: Float64Array };
const INTS = { int8: Int8Array, uint8: Uint8Array, int16: Int16Array,
               uint16: Uint16Array, int32: Int32Array, uint32: Uint32Array };
function randomTensor(meta) {
  if (!meta.isTensor) fail(`input '${meta.name}' is not a tensor`);
  const shape = meta.shape.map((d) => {
    if (typeof d === 'number' && d >= 0) return d;
    const key = typeof d === 'string' && d ? d : '?';
    if (dims[key] === undefined)
      fail(`input '${meta.name}' has dimension '${key}'; give --dim ${key}=VALUE`);
    return dims[key];
  });
  const count = shape.reduce((a, b) => a * b, 1);
  if (FLOATS[meta.type]) {
    const data = new FLOATS[meta.type](count);
    for (let i = 0; i < count; ++i) data[i] = 2 * next() - 1;
    return new ort.Tensor(meta.type, data, shape);
  }
  if (INTS[meta.type]) {
    const data = new INTS[meta.type](count);
    for (let i = 0; i < count; ++i) data[i] = Math.floor(4 * next());
    return new ort.Tensor(meta.type, data, shape);
  }
  if (meta.type === 'int64') {
    const data = new BigInt64Array(count);
    for (let i = 0; i < count; ++i) data[i] = BigInt(Math.floor(4 * next()));
    return new ort.Tensor(meta.type, data, shape);
  }
  if (meta.type === 'bool') {
    const data = new Uint8Array(count);
    for (let i = 0; i < count; ++i) data[i] = next() < 0.5 ? 1 : 0;
    return new ort.Tensor(meta.type, data, shape);
  }
  fail(`input '${meta.name}' has type ${meta.type}, which is not supported`);
}

let session;
try {
  session = await ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
} catch (e) {
  fail(`${model}: ${e.message}`);
}
const feeds = {};
for (const meta of session.inputMetadata) feeds[meta.name] = randomTensor(meta);

let version = null;
try {
  const here = path.dirname(fileURLToPath(import.meta.url));
  version = JSON.parse(fs.readFileSync(path.join(
      here, 'node_modules', 'onnxruntime-node', 'package.json'), 'utf8')).version;
} catch { /* unknown */ }

const times = [];
try {
  for (let i = 0; i < warmup; ++i) await session.run(feeds);
  for (let i = 0; i < iters; ++i) {
    const t0 = process.hrtime.bigint();
    await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
} catch (e) {
  fail(`${model}: ${e.message}`);
}
times.sort((a, b) => a - b);
const n = times.length;
const median = n % 2 ? times[(n - 1) / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
const round = (x) => Math.round(x * 1e4) / 1e4;
console.log(JSON.stringify({ median_ms: round(median), min_ms: round(times[0]),
                             max_ms: round(times[n - 1]), threads, iters, warmup,
                             ort: version }));
await session.release();

// run-ort.mjs - run an ONNX model with ONNX Runtime on .npy inputs and write
// its outputs as .npy, as an independent oracle for sparsity-run.
//
//   node scripts/ort/run-ort.mjs model.onnx --input a.npy [--input b.npy ...]
//        --output-dir DIR
//
// Inputs are bound to the model's inputs in order; outputs are written as
// DIR/out0.npy, DIR/out1.npy, ... in the model's output order. Exits 2 with a
// message on any error.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';

const DTYPES = {
  '<f4': ['float32', Float32Array], '<f8': ['float64', Float64Array],
  '|i1': ['int8', Int8Array], '<i4': ['int32', Int32Array],
  '<i8': ['int64', BigInt64Array], '|u1': ['uint8', Uint8Array],
};

function fail(message) {
  console.error(`run-ort: error: ${message}`);
  process.exit(2);
}

function readNpy(file) {
  const bytes = fs.readFileSync(file);
  if (bytes.length < 10 || bytes.toString('latin1', 0, 6) !== '\x93NUMPY')
    fail(`${file}: not an .npy file`);
  const major = bytes[6];
  const headerLen = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = bytes.toString('latin1', start, start + headerLen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined)
    fail(`${file}: malformed .npy header`);
  if (fortran === 'True') fail(`${file}: Fortran order is not supported`);
  if (!DTYPES[descr]) fail(`${file}: dtype ${descr} is not supported`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s)
    .map(Number);
  const [type, Ctor] = DTYPES[descr];
  const offset = start + headerLen;
  const count = shape.reduce((a, b) => a * b, 1);
  if (bytes.length - offset < count * Ctor.BYTES_PER_ELEMENT)
    fail(`${file}: truncated data`);
  const data = new Ctor(bytes.buffer.slice(bytes.byteOffset + offset,
      bytes.byteOffset + offset + count * Ctor.BYTES_PER_ELEMENT));
  return new ort.Tensor(type, data, shape);
}

function writeNpy(file, tensor) {
  const entry = Object.entries(DTYPES).find(([, [t]]) => t === tensor.type);
  if (!entry) fail(`output dtype ${tensor.type} is not supported`);
  const dims = tensor.dims.length === 1 ? `${tensor.dims[0]},`
                                        : tensor.dims.join(', ');
  let header = `{'descr': '${entry[0]}', 'fortran_order': False, ` +
               `'shape': (${dims}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix[6] = 1; prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  const data = Buffer.from(tensor.data.buffer, tensor.data.byteOffset,
                           tensor.data.byteLength);
  fs.writeFileSync(file, Buffer.concat([prefix, Buffer.from(header, 'latin1'),
                                        data]));
}

const args = process.argv.slice(2);
const inputs = [];
let model, outDir;
for (let i = 0; i < args.length; ++i) {
  if (args[i] === '--input') inputs.push(args[++i]);
  else if (args[i] === '--output-dir') outDir = args[++i];
  else if (!model) model = args[i];
  else fail(`unexpected argument '${args[i]}'`);
}
if (!model || !outDir)
  fail('usage: run-ort.mjs model.onnx --input x.npy ... --output-dir DIR');
let session;
try {
  session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: 1, graphOptimizationLevel: 'all' });
} catch (e) {
  fail(`${model}: ${e.message}`);
}
if (inputs.length !== session.inputNames.length)
  fail(`${model} has ${session.inputNames.length} inputs, got ${inputs.length}`);
const feeds = {};
session.inputNames.forEach((name, i) => { feeds[name] = readNpy(inputs[i]); });
let results;
try {
  results = await session.run(feeds);
} catch (e) {
  fail(`${model}: ${e.message}`);
}
fs.mkdirSync(outDir, { recursive: true });
session.outputNames.forEach((name, i) => {
  writeNpy(path.join(outDir, `out${i}.npy`), results[name]);
});
console.log(`run-ort: ${session.outputNames.length} output(s) written to ${outDir}`);

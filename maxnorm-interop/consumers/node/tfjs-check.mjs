// Loads every TensorFlow.js layers model listed in DIR/manifest.json with @tensorflow/tfjs
// (CPU backend, pure JavaScript), feeds the inputs Keras recorded and compares the predictions
// with the ones Keras recorded. Prints one JSON document (the frozen fixture) to stdout.
// Usage: node tfjs-check.mjs DIR
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
await tf.setBackend('cpu');

// |tfjs - keras| <= REL * |keras| + ABS for every value
const REL = 1e-5;
const ABS = 1e-6;

function handler(modelDir) {
  return {
    load: async () => {
      const json = JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8'));
      const specs = [];
      const buffers = [];
      for (const group of json.weightsManifest) {
        specs.push(...group.weights);
        for (const p of group.paths) {
          const b = readFileSync(join(modelDir, p));
          buffers.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
        }
      }
      const total = buffers.reduce((n, b) => n + b.byteLength, 0);
      const data = new Uint8Array(total);
      let at = 0;
      for (const b of buffers) {
        data.set(new Uint8Array(b), at);
        at += b.byteLength;
      }
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        weightSpecs: specs,
        weightData: data.buffer,
      };
    },
  };
}

const results = [];
for (const m of manifest.tfjs) {
  const r = { name: m.name };
  try {
    const model = await tf.loadLayersModel(handler(join(dir, m.dir)), { strict: true });
    const inputs = m.inputs.map((t) => tf.tensor(t.values, t.shape, 'float32'));
    let out = model.predict(inputs.length === 1 ? inputs[0] : inputs);
    out = Array.isArray(out) ? out : [out];
    r.predictions = [];
    let maxAbs = 0;
    let maxRel = 0;
    let ok = out.length === m.predictions.length;
    for (let i = 0; i < out.length; i++) {
      const got = Array.from(out[i].dataSync());
      const want = m.predictions[i].values;
      r.predictions.push({ shape: out[i].shape, values: got });
      if (got.length !== want.length || out[i].shape.join() !== m.predictions[i].shape.join()) {
        ok = false;
        r.reason = `output shape [${out[i].shape}], Keras recorded [${m.predictions[i].shape}]`;
        const s = m.predictions[i].shape;
        if (s.length === 3 && got.length === want.length) {
          // does TF.js return the same values with the last two axes swapped?
          let same = true;
          for (let b = 0; b < s[0]; b++) {
            for (let x = 0; x < s[1]; x++) {
              for (let y = 0; y < s[2]; y++) {
                const k = want[(b * s[1] + x) * s[2] + y];
                const t = got[(b * s[2] + y) * s[1] + x];
                if (!(Math.abs(t - k) <= REL * Math.abs(k) + ABS)) same = false;
              }
            }
          }
          r.values_match_with_last_two_axes_swapped = same;
        }
        continue;
      }
      for (let j = 0; j < got.length; j++) {
        const d = Math.abs(got[j] - want[j]);
        maxAbs = Math.max(maxAbs, d);
        maxRel = Math.max(maxRel, d / Math.max(Math.abs(want[j]), 1e-30));
        if (!(d <= REL * Math.abs(want[j]) + ABS)) ok = false;
      }
    }
    r.max_abs_error = maxAbs;
    r.max_rel_error = maxRel;
    r.match = ok;
  } catch (e) {
    r.error = String(e && e.message ? e.message : e).split('\n')[0];
    r.match = false;
  }
  results.push(r);
}

// A model saved by TensorFlow.js itself, for maxnorm's reader: weights set to 0, 1, 2, ... so that
// the values read can be checked one by one. Written beside the fixtures (argv[3]) when given.
const savedDir = process.argv[3];
let saved = null;
if (savedDir) {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: 4, inputShape: [3], activation: 'relu', name: 'first' }));
  m.add(tf.layers.batchNormalization({ name: 'norm' }));
  m.add(tf.layers.dense({ units: 2, activation: 'softmax', name: 'last' }));
  m.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  // one training step, so that the optimizer has state to save beside the weights
  await m.trainOnBatch(tf.zeros([1, 3]), tf.tensor([[1, 0]]));
  let next = 0;
  m.setWeights(m.getWeights().map((w) => {
    const n = w.size;
    const values = Array.from({ length: n }, (_, i) => next + i);
    next += n;
    return tf.tensor(values, w.shape);
  }));
  await m.save(tf.io.withSaveHandler(async (artifacts) => {
    mkdirSync(savedDir, { recursive: true });
    const json = {
      modelTopology: artifacts.modelTopology,
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy,
      weightsManifest: [{ paths: ['./model.weights.bin'], weights: artifacts.weightSpecs }],
    };
    if (artifacts.trainingConfig) json.trainingConfig = artifacts.trainingConfig;
    writeFileSync(join(savedDir, 'model.json'), JSON.stringify(json));
    writeFileSync(join(savedDir, 'model.weights.bin'), Buffer.from(artifacts.weightData));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }), { includeOptimizer: true });
  saved = { dir: 'tfjs-saved', weights: m.getWeights().map((w) => ({ name: w.name, shape: w.shape })) };
}

const out = {
  checker: 'maxnorm-interop/consumers/node/tfjs-check.mjs',
  tfjs_version: tf.version.tfjs,
  backend: tf.getBackend(),
  tolerance: { rel: REL, abs: ABS },
  sha256: manifest.sha256,
  refused_by_writer: manifest.tfjs_refused,
  saved_by_tfjs: saved,
  results,
};
process.stdout.write(JSON.stringify(out, null, 1) + '\n');

#!/usr/bin/env bash
# Real consumers of the files maxnorm-interop writes (not part of ./mvnw verify):
#   - h5py (Debian's python3-h5py) opens the written .h5 and Keras 3 weights files and compares
#     them with the Keras-written originals and with Keras's own loading logic (h5check.py);
#   - TensorFlow.js 4.22 (@tensorflow/tfjs from npm, CPU backend, in Node) loads the TF.js models
#     written from recorded Keras models and its predictions are compared with Keras's recorded
#     ones within 1e-5 relative (node/tfjs-check.mjs); the same for TF.js models exported from
#     maxnorm models (recorded Keras models imported into maxnorm, and models built in maxnorm),
#     compared with maxnorm's own predictions;
#   - numpy (Debian's python3-numpy, which python3-h5py brings) reads the .npy input and
#     predictions of ../shared/keras/recorded/cnn_batch_norm into cnn-batch-norm-npy.json, so that
#     the default suite checks that recorded model without a .npy parser of its own.
# Installs: apt-get install python3-h5py nodejs npm (only what is missing; needs root), and
# npm install in consumers/node (@tensorflow/tfjs 4.22.0, pinned by package-lock.json).
# Writes the frozen fixtures maxnorm-interop/src/test/resources/consumers/{h5py,tfjs}-check.json,
# cnn-batch-norm-npy.json
# and tfjs-saved/ (a model saved by TensorFlow.js itself, with weights 0, 1, 2, ...),
# which MaxNorm's default suite compares against (ConsumerFixturesTest): commit them.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
fixtures="$repo/maxnorm-interop/src/test/resources/consumers"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

need=()
/usr/bin/python3 -c 'import h5py' 2>/dev/null || need+=(python3-h5py)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing with apt: ${need[*]}"
  apt-get update -qq && apt-get install -y -qq "${need[@]}"
fi
echo "npm install in consumers/node (@tensorflow/tfjs 4.22.0)"
(cd "$here/node" && npm ci --no-audit --no-fund --loglevel=error)

echo "writing the files to check with maxnorm-interop's writers"
(cd "$repo" && ./mvnw -B -q -pl maxnorm-core,maxnorm-interop test -Dtest=WriteConsumerInputs \
  -Dsurefire.failIfNoSpecifiedTests=false -Dmaxnorm.consumers.out="$work")

mkdir -p "$fixtures"
/usr/bin/python3 "$here/h5check.py" "$work" "$repo/maxnorm-interop/src/test/resources/keras" \
  > "$fixtures/h5py-check.json"
(cd "$here/node" && node tfjs-check.mjs "$work" "$fixtures/tfjs-saved" 2>/dev/null) \
  > "$fixtures/tfjs-check.json"
/usr/bin/python3 - "$repo/../shared/keras/recorded/cnn_batch_norm" \
  > "$fixtures/cnn-batch-norm-npy.json" <<'PY'
import hashlib, json, sys
import numpy as np
d = sys.argv[1]
out = {"reader": "numpy " + np.__version__, "files": {}}
for name in ("input.npy", "predictions.npy"):
    raw = open(f"{d}/{name}", "rb").read()
    a = np.load(f"{d}/{name}")
    out["files"][name] = {"sha256": hashlib.sha256(raw).hexdigest(), "dtype": str(a.dtype),
                          "shape": list(a.shape), "values": [float(v) for v in a.ravel()]}
print(json.dumps(out))
PY

/usr/bin/python3 - "$fixtures" <<'PY'
import json, sys
d = sys.argv[1]
h = json.load(open(d + "/h5py-check.json"))
print(f"h5py {h['h5py_version']} (HDF5 {h['hdf5_version']}):")
for r in h["results"]:
    print(f"  {r['name']}: {'layout as Keras' if r['match'] else 'DIFFERS'}; {len(r['known_differences'])} known differences; {r['differences']}")
t = json.load(open(d + "/tfjs-check.json"))
print(f"TensorFlow.js {t['tfjs_version']} ({t['backend']} backend):")
for r in t["refused_by_writer"]:
    print(f"  {r['name']}: not written: {r['message']}")
for r in t["results"]:
    if r["name"].startswith("maxnorm/"):
        r["name"] += " (against maxnorm)"
    why = r.get("error") or r.get("reason") or ""
    print(f"  {r['name']}: {'match' if r['match'] else 'NO MATCH'} max abs {r.get('max_abs_error')} max rel {r.get('max_rel_error')} {why}")
PY
echo "fixtures written to $fixtures"

"""Opens the HDF5 files maxnorm-interop wrote with h5py and checks them against Keras's layouts.

For each model in DIR/manifest.json ("h5" entries):
  * the full-model .h5 is compared with the real Keras file it was made from: the same groups,
    the same datasets with the same dtype and shape, the same attribute names holding the same
    kind of value (string or number); then it is read the way Keras 2's
    load_weights_from_hdf5_group and Keras 3's legacy h5 loader read it (model_config decoded and
    parsed, layer_names and each layer's weight_names through load_attributes_from_hdf5_group,
    every listed weight found);
  * the Keras 3 weights file is checked against the layout keras/src/saving/saving_lib.py writes:
    layers/<to_snake_case(class)>[_n]/vars/<i>, with model.layers order (Sequential without its
    leading InputLayer), vars carrying the layer's name, float32 arrays whose shapes equal the real
    file's weights in weight_names order.
Prints one JSON document (the frozen fixture). Usage: python3 h5check.py DIR RESOURCES
"""
import json
import re
import sys

import h5py
import numpy as np

out_dir, resources = sys.argv[1], sys.argv[2]
manifest = json.load(open(out_dir + "/manifest.json"))


def kind(value):
    if isinstance(value, (str, bytes, np.bytes_)):
        return "string"
    arr = np.asarray(value)
    if arr.dtype.kind in "SUO":
        return "string[]"
    if arr.size == 0:
        return "empty[]"
    return "number" if arr.ndim == 0 else "number[]"


def layout(path):
    groups, datasets = {}, {}

    def attrs(obj):
        return {k: kind(v) for k, v in obj.attrs.items()}

    with h5py.File(path, "r") as f:
        groups["/"] = attrs(f)

        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                datasets[name] = {"dtype": str(obj.dtype), "shape": list(obj.shape)}
            else:
                groups[name] = attrs(obj)

        f.visititems(visit)
    return groups, datasets


def load_attributes(group, name):
    # keras' load_attributes_from_hdf5_group
    if name in group.attrs:
        return [n.decode("utf8") if hasattr(n, "decode") else n for n in group.attrs[name]]
    data, chunk = [], 0
    while f"{name}{chunk}" in group.attrs:
        data.extend(n.decode("utf8") if hasattr(n, "decode") else n
                    for n in group.attrs[f"{name}{chunk}"])
        chunk += 1
    return data


def keras_weights(path):
    """Weights per layer as Keras 2 / Keras 3's legacy loader reads them."""
    with h5py.File(path, "r") as f:
        config = f.attrs.get("model_config")
        if hasattr(config, "decode"):
            config = config.decode("utf-8")
        config = json.loads(config)
        g = f["model_weights"]
        version = g.attrs["keras_version"]
        version = version.decode("utf8") if hasattr(version, "decode") else version
        out = []
        for name in load_attributes(g, "layer_names"):
            lg = g[name]
            out.append((name, [np.asarray(lg[w]) for w in load_attributes(lg, "weight_names")]))
        return config, version, out


def to_snake_case(name):
    # keras.src.utils.naming.to_snake_case
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()
    return name


def store_keys(config):
    layers = config["config"]["layers"]
    sequential = config["class_name"] == "Sequential"
    used, keys = {}, []
    for i, layer in enumerate(layers):
        if sequential and i == 0 and layer["class_name"] == "InputLayer":
            continue
        base = to_snake_case(layer["class_name"])
        if base in used:
            used[base] += 1
            key = f"{base}_{used[base]}"
        else:
            used[base] = 0
            key = base
        keys.append((layer["config"]["name"], key))
    return keys


results = []
for m in manifest["h5"]:
    r = {"name": m["name"], "differences": [], "checks": []}
    real = resources + "/" + m["keras_file"][len("keras/"):]
    ours = out_dir + "/" + m["written_h5"]
    g_real, d_real = layout(real)
    g_ours, d_ours = layout(ours)
    allowed = []
    for name in sorted(set(g_real) | set(g_ours)):
        if name not in g_ours:
            r["differences"].append(f"group {name} missing")
            continue
        if name not in g_real:
            r["differences"].append(f"extra group {name}")
            continue
        for a in sorted(set(g_real[name]) | set(g_ours[name])):
            kr, ko = g_real[name].get(a), g_ours[name].get(a)
            if kr == ko:
                continue
            if a == "weight_names" and kr == "empty[]" and ko is None:
                allowed.append(f"{name}: no weight_names attribute (Keras: an empty float64 array)")
                continue
            r["differences"].append(f"{name}@{a}: Keras {kr}, ours {ko}")
    for name in sorted(set(d_real) | set(d_ours)):
        if d_real.get(name) != d_ours.get(name):
            r["differences"].append(f"dataset {name}: Keras {d_real.get(name)}, ours {d_ours.get(name)}")
    r["known_differences"] = allowed
    r["checks"].append(f"{len(g_ours)} groups, {len(d_ours)} float32 datasets, attributes compared with {m['keras_file']}")

    config, version, ours_w = keras_weights(ours)
    _, _, real_w = keras_weights(real)
    if [n for n, _ in ours_w] != [n for n, _ in real_w]:
        r["differences"].append("layer_names differ")
    for (n, wo), (_, wr) in zip(ours_w, real_w):
        if [w.shape for w in wo] != [w.shape for w in wr] or any(w.dtype != np.float32 for w in wo):
            r["differences"].append(f"weights of {n} differ in shape or dtype")
    r["checks"].append(f"read as Keras's loader reads it: keras_version {version}, "
                       f"{sum(len(w) for _, w in ours_w)} weights in {len(ours_w)} layers")

    store = out_dir + "/" + m["written_weights_h5"]
    real_by_layer = dict(real_w)
    with h5py.File(store, "r") as f:
        if "vars" not in f or "layers" not in f:
            r["differences"].append("store lacks vars or layers")
        found = set(f["layers"].keys()) if "layers" in f else set()
        keys = store_keys(m["model_config"])
        for layer, key in keys:
            if key not in found:
                r["differences"].append(f"store lacks layers/{key} for {layer}")
                continue
            v = f["layers"][key]["vars"]
            stored = v.attrs.get("name")
            stored = stored.decode() if hasattr(stored, "decode") else stored
            if stored != layer:
                r["differences"].append(f"layers/{key}/vars name {stored!r}, expected {layer!r}")
            arrays = [v[str(i)] for i in range(len(v.keys()))]
            want = real_by_layer.get(layer, [])
            if [a.shape for a in arrays] != [w.shape for w in want] or any(a.dtype != np.float32 for a in arrays):
                r["differences"].append(f"layers/{key}/vars arrays differ from {layer}'s weights")
        extra = found - {k for _, k in keys}
        if extra:
            r["differences"].append(f"store has unexpected keys {sorted(extra)}")
        r["checks"].append(f"Keras 3 store: {len(keys)} layer keys {[k for _, k in keys]}")
    r["match"] = not r["differences"]
    results.append(r)

print(json.dumps({
    "checker": "maxnorm-interop/consumers/h5check.py",
    "h5py_version": h5py.version.version,
    "hdf5_version": h5py.version.hdf5_version,
    "sha256": manifest["sha256"],
    "results": results,
}, indent=1))

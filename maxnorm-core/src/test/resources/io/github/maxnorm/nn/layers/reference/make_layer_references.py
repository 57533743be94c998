#!/usr/bin/python3
"""Writes layer_references.json: forward values of maxnorm's layers computed by PyTorch.

Run from the repository root with Debian's PyTorch (apt-get install python3-torch):

    /usr/bin/python3 maxnorm-core/src/test/resources/io/github/maxnorm/nn/layers/reference/make_layer_references.py

Each case holds a layer's Keras-form config, its weights in Keras's layout and order, and a
sequence of calls (inputs, training or inference mode, the output PyTorch computed); some also
hold the weights after the calls (BatchNormalization's moving statistics). LayerReferenceTest
builds the layer from the config, loads the weights, replays the calls and compares.

Where Keras and PyTorch differ, the reference follows Keras and says how:
  * layouts: Keras keeps channels last and kernels as (kh, kw, in, out); PyTorch wants NCHW and
    (out, in, kh, kw), so inputs, kernels and outputs are permuted around every torch call;
  * 'same' padding: TensorFlow pads (total // 2) before and the rest after, which may be
    asymmetric; torch's symmetric padding argument cannot say that, so inputs are padded with
    F.pad first and the convolution or pooling runs with padding 0;
  * Conv2DTranspose 'same': the full transposed convolution is cropped by TensorFlow's padding;
  * average pooling with 'same' padding averages only cells inside the input (TensorFlow), which
    torch's count_include_pad=False does only for symmetric padding: the sum of zero-padded input
    is divided by the count of covered cells instead;
  * BatchNormalization: Keras's momentum m is torch's 1 - m, and Keras moves the moving variance
    towards the biased batch variance where torch uses the unbiased one, so the moving statistics
    are updated here by Keras's rule from torch's batch mean and biased variance;
  * hard_sigmoid is Keras 3's relu6(x + 3) / 6, which is torch's hardsigmoid;
  * LeakyReLU, ELU, ReLU's max_value/negative_slope/threshold and ThresholdedReLU follow Keras's
    formulas written with torch operations.
"""
import json
import math
import os

import torch
import torch.nn.functional as F

torch.manual_seed(20261203)
torch.set_default_dtype(torch.float64)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "layer_references.json")


def rand(*shape, lo=-1.0, hi=1.0):
    return torch.rand(*shape) * (hi - lo) + lo


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def nhwc_to_nchw(x):
    return x.permute(0, 3, 1, 2)


def nchw_to_nhwc(x):
    return x.permute(0, 2, 3, 1)


def same_pads(size, k, s, d=1):
    """TensorFlow's 'same' padding along one axis: (before, after)."""
    span = (k - 1) * d + 1
    out = -(-size // s)
    total = max((out - 1) * s + span - size, 0)
    return total // 2, total - total // 2


def conv2d_keras(x, k, bias, strides, padding, dilation=(1, 1), groups=1):
    """x NHWC, k (kh, kw, in/groups, out)."""
    xt = nhwc_to_nchw(x)
    if padding == "same":
        ph = same_pads(x.shape[1], k.shape[0], strides[0], dilation[0])
        pw = same_pads(x.shape[2], k.shape[1], strides[1], dilation[1])
        xt = F.pad(xt, (pw[0], pw[1], ph[0], ph[1]))
    w = k.permute(3, 2, 0, 1)
    y = F.conv2d(xt, w, bias, stride=strides, dilation=dilation, groups=groups)
    return nchw_to_nhwc(y)


cases = []


def case(name, config, weights, calls, tolerance=1e-5, final_weights=None):
    c = {
        "name": name,
        "config": config,
        "weights": [{"name": n, "shape": list(v.shape), "values": flat(v)} for n, v in weights],
        "calls": calls,
        "tolerance": tolerance,
    }
    if final_weights:
        c["final_weights"] = [{"name": n, "values": flat(v)} for n, v in final_weights]
    cases.append(c)


def call(inputs, output, training=False):
    return {
        "training": training,
        "inputs": [{"shape": list(x.shape), "values": flat(x)} for x in inputs],
        "output": {"shape": list(output.shape), "values": flat(output)},
    }


def layer(cls, **cfg):
    cfg.setdefault("name", cls.lower())
    return {"class_name": cls, "config": cfg}


# ---------------------------------------------------------------------------- convolutions

x = rand(2, 9, 8, 4)
k = rand(3, 3, 2, 6)
b = rand(6)
case("conv2d_dilated_grouped_same",
     layer("Conv2D", filters=6, kernel_size=[3, 3], padding="same", dilation_rate=[2, 2],
           groups=2, activation="linear"),
     [("kernel", k), ("bias", b)],
     [call([x], conv2d_keras(x, k, b, (1, 1), "same", (2, 2), 2))])

x = rand(2, 11, 9, 3)
k = rand(3, 2, 3, 5)
b = rand(5)
case("conv2d_strided_same_relu",
     layer("Conv2D", filters=5, kernel_size=[3, 2], strides=[2, 3], padding="same",
           activation="relu"),
     [("kernel", k), ("bias", b)],
     [call([x], torch.relu(conv2d_keras(x, k, b, (2, 3), "same")))])

x = rand(2, 10, 3)
k = rand(3, 3, 4)
b = rand(4)
xt = F.pad(x.permute(0, 2, 1), (4, 0))  # causal: (k - 1) * dilation zeros before
y = F.conv1d(xt, k.permute(2, 1, 0), b, dilation=2).permute(0, 2, 1)
case("conv1d_causal_dilated",
     layer("Conv1D", filters=4, kernel_size=[3], padding="causal", dilation_rate=[2]),
     [("kernel", k), ("bias", b)], [call([x], y)])

x = rand(2, 12, 3)
k = rand(4, 3, 2)
b = rand(2)
y = F.conv1d(x.permute(0, 2, 1), k.permute(2, 1, 0), b, stride=2).permute(0, 2, 1)
case("conv1d_valid_strided", layer("Conv1D", filters=2, kernel_size=[4], strides=[2]),
     [("kernel", k), ("bias", b)], [call([x], y)])

x = rand(2, 7, 6, 3)
dk = rand(3, 3, 3, 2)  # (kh, kw, C, M)
b = rand(6)
w = dk.permute(2, 3, 0, 1).reshape(6, 1, 3, 3)  # output c*M + m from input channel c
ph = same_pads(7, 3, 1)
pw = same_pads(6, 3, 1)
y = nchw_to_nhwc(F.conv2d(F.pad(nhwc_to_nchw(x), (pw[0], pw[1], ph[0], ph[1])), w, b, groups=3))
case("depthwise_conv2d_same",
     layer("DepthwiseConv2D", kernel_size=[3, 3], padding="same", depth_multiplier=2),
     [("depthwise_kernel", dk), ("bias", b)], [call([x], y)])

x = rand(2, 8, 8, 3)
dk = rand(3, 3, 3, 2)
pk = rand(1, 1, 6, 4)
b = rand(4)
w = dk.permute(2, 3, 0, 1).reshape(6, 1, 3, 3)
d = F.conv2d(nhwc_to_nchw(x), w, None, stride=2, groups=3)
y = nchw_to_nhwc(F.conv2d(d, pk.permute(3, 2, 0, 1), b))
case("separable_conv2d_valid_strided",
     layer("SeparableConv2D", filters=4, kernel_size=[3, 3], strides=[2, 2], depth_multiplier=2,
           activation="tanh"),
     [("depthwise_kernel", dk), ("pointwise_kernel", pk), ("bias", b)],
     [call([x], torch.tanh(y))])

for padding, stride in (("same", 2), ("valid", 2), ("valid", 1)):
    x = rand(2, 4, 5, 3)
    k = rand(3, 3, 4, 3)  # (kh, kw, filters, in)
    b = rand(4)
    full = F.conv_transpose2d(nhwc_to_nchw(x), k.permute(3, 2, 0, 1), b, stride=stride)
    if padding == "same":
        oh, ow = 4 * stride, 5 * stride
        th = max((4 - 1) * stride + 3 - oh, 0) // 2
        tw = max((5 - 1) * stride + 3 - ow, 0) // 2
        full = full[:, :, th:th + oh, tw:tw + ow]
    case("conv2d_transpose_%s_s%d" % (padding, stride),
         layer("Conv2DTranspose", filters=4, kernel_size=[3, 3], strides=[stride, stride],
               padding=padding),
         [("kernel", k), ("bias", b)], [call([x], nchw_to_nhwc(full))])

# ---------------------------------------------------------------------------- pooling

x = rand(2, 7, 6, 3)
ph = same_pads(7, 3, 2)
pw = same_pads(6, 3, 2)
xp = F.pad(nhwc_to_nchw(x), (pw[0], pw[1], ph[0], ph[1]))
ones = F.pad(torch.ones(1, 1, 7, 6), (pw[0], pw[1], ph[0], ph[1]))
avg = F.avg_pool2d(xp, 3, 2, divisor_override=1) / F.avg_pool2d(ones, 3, 2, divisor_override=1)
case("average_pooling2d_same",
     layer("AveragePooling2D", pool_size=[3, 3], strides=[2, 2], padding="same"),
     [], [call([x], nchw_to_nhwc(avg))])

mx = F.max_pool2d(F.pad(nhwc_to_nchw(x), (pw[0], pw[1], ph[0], ph[1]), value=-math.inf), 3, 2)
case("max_pooling2d_same", layer("MaxPooling2D", pool_size=[3, 3], strides=[2, 2],
                                 padding="same"), [], [call([x], nchw_to_nhwc(mx))])

x = rand(2, 9, 4)
case("max_pooling1d", layer("MaxPooling1D", pool_size=[3], strides=[2]), [],
     [call([x], F.max_pool1d(x.permute(0, 2, 1), 3, 2).permute(0, 2, 1))])
case("average_pooling1d", layer("AveragePooling1D", pool_size=[2]), [],
     [call([x], F.avg_pool1d(x.permute(0, 2, 1), 2).permute(0, 2, 1))])
x = rand(3, 5, 4, 6)
case("global_average_pooling2d", layer("GlobalAveragePooling2D"), [],
     [call([x], x.mean(dim=(1, 2)))])
case("global_max_pooling2d", layer("GlobalMaxPooling2D"), [],
     [call([x], x.amax(dim=(1, 2)))])

# ---------------------------------------------------------------------------- normalization

x_batches = [rand(4, 3, 3, 5, lo=-2, hi=3) for _ in range(3)]
gamma = rand(5, lo=0.5, hi=1.5)
beta = rand(5)
mm0 = rand(5, lo=-0.1, hi=0.1)
mv0 = rand(5, lo=0.8, hi=1.2)
momentum, eps = 0.9, 1e-3
mm, mv = mm0.clone(), mv0.clone()
calls = []
for xb in x_batches:
    mean = xb.mean(dim=(0, 1, 2))
    var = xb.var(dim=(0, 1, 2), unbiased=False)
    # torch's own batch norm normalizes with the biased variance too
    y = F.batch_norm(xb.permute(0, 3, 1, 2), None, None, gamma, beta, training=True, eps=eps)
    calls.append(call([xb], y.permute(0, 2, 3, 1), training=True))
    # Keras's rule: moving = moving * momentum + batch * (1 - momentum), biased variance
    mm = mm * momentum + mean * (1 - momentum)
    mv = mv * momentum + var * (1 - momentum)
xi = rand(2, 3, 3, 5)
y = F.batch_norm(xi.permute(0, 3, 1, 2), mm, mv, gamma, beta, training=False, eps=eps)
calls.append(call([xi], y.permute(0, 2, 3, 1)))
case("batch_normalization_three_steps_then_inference",
     layer("BatchNormalization", axis=-1, momentum=momentum, epsilon=eps),
     [("gamma", gamma), ("beta", beta), ("moving_mean", mm0), ("moving_variance", mv0)], calls,
     tolerance=1e-4, final_weights=[("moving_mean", mm), ("moving_variance", mv)])

x = rand(2, 3, 4, 4)  # channels first: BatchNormalization(axis=1)
g1, b1, m1, v1 = rand(3, lo=0.5, hi=1.5), rand(3), rand(3), rand(3, lo=0.5, hi=1.5)
y = F.batch_norm(x, m1, v1, g1, b1, training=False, eps=1e-3)
case("batch_normalization_axis1_inference", layer("BatchNormalization", axis=1),
     [("gamma", g1), ("beta", b1), ("moving_mean", m1), ("moving_variance", v1)],
     [call([x], y)])

x = rand(3, 4, 6, lo=-2, hi=2)
g, bb = rand(6, lo=0.5, hi=1.5), rand(6)
case("layer_normalization", layer("LayerNormalization", axis=-1, epsilon=1e-3),
     [("gamma", g), ("beta", bb)],
     [call([x], F.layer_norm(x, (6,), g, bb, eps=1e-3), training=True)])
g2, b2 = rand(4, 6, lo=0.5, hi=1.5), rand(4, 6)
case("layer_normalization_two_axes", layer("LayerNormalization", axis=[1, 2], epsilon=1e-5),
     [("gamma", g2), ("beta", b2)], [call([x], F.layer_norm(x, (4, 6), g2, b2, eps=1e-5))])

x = rand(4, 3, lo=-3, hi=5)
mean, var = rand(3), rand(3, lo=0.2, hi=2)
case("normalization", layer("Normalization", axis=-1),
     [("mean", mean), ("variance", var), ("count", torch.tensor(100.0))],
     [call([x], (x - mean) / torch.clamp(torch.sqrt(var), min=1e-7))])

# ---------------------------------------------------------------------------- reshaping

x = rand(2, 3, 4, 2)
case("upsampling2d_bilinear", layer("UpSampling2D", size=[2, 3], interpolation="bilinear"), [],
     [call([x], nchw_to_nhwc(F.interpolate(nhwc_to_nchw(x), scale_factor=(2, 3),
                                            mode="bilinear", align_corners=False)))])
case("upsampling2d_nearest", layer("UpSampling2D", size=[2, 2]), [],
     [call([x], nchw_to_nhwc(F.interpolate(nhwc_to_nchw(x), scale_factor=2, mode="nearest")))])
case("zero_padding2d", layer("ZeroPadding2D", padding=[[1, 2], [0, 3]]), [],
     [call([x], nchw_to_nhwc(F.pad(nhwc_to_nchw(x), (0, 3, 1, 2))))])
case("cropping2d", layer("Cropping2D", cropping=[[1, 0], [1, 2]]), [],
     [call([x], x[:, 1:, 1:2, :])])

# ---------------------------------------------------------------------------- activations

x = rand(3, 8, lo=-4, hi=4)
acts = {
    "gelu": F.gelu(x),
    "gelu_approximate": F.gelu(x, approximate="tanh"),
    "selu": F.selu(x),
    "elu": F.elu(x),
    "softplus": F.softplus(x),
    "softsign": F.softsign(x),
    "swish": F.silu(x),
    "mish": F.mish(x),
    "hard_sigmoid": F.hardsigmoid(x),
    "relu6": F.relu6(x),
    "leaky_relu": F.leaky_relu(x, 0.2),
    "log_softmax": F.log_softmax(x, dim=-1),
    "exponential": torch.exp(x),
}
for name, y in acts.items():
    case("activation_" + name, layer("Activation", activation=name), [], [call([x], y)])
case("relu_layer_general", layer("ReLU", max_value=2.5, negative_slope=0.1, threshold=0.5), [],
     [call([x], torch.clamp(torch.where(x > 0.5, x, torch.zeros_like(x)), 0, 2.5)
           - 0.1 * torch.relu(0.5 - x))])
case("leaky_relu_layer", layer("LeakyReLU", alpha=0.3), [], [call([x], F.leaky_relu(x, 0.3))])
case("elu_layer", layer("ELU", alpha=0.7), [], [call([x], F.elu(x, 0.7))])
case("thresholded_relu_layer", layer("ThresholdedReLU", theta=1.0), [],
     [call([x], torch.where(x > 1.0, x, torch.zeros_like(x)))])
case("softmax_layer", layer("Softmax", axis=-1), [], [call([x], F.softmax(x, dim=-1))])
xi = rand(2, 3, 3, 4)
alpha = rand(1, 1, 4, lo=0, hi=0.5)
case("prelu_shared_axes", layer("PReLU", shared_axes=[1, 2]), [("alpha", alpha)],
     [call([xi], nchw_to_nhwc(F.prelu(nhwc_to_nchw(xi), alpha.reshape(4))))])

# ---------------------------------------------------------------------------- merging

a, b, c = rand(2, 3, 4), rand(2, 3, 4), rand(2, 3, 4)
for cls, y in (("Add", a + b + c), ("Multiply", a * b * c), ("Average", (a + b + c) / 3),
               ("Maximum", torch.maximum(torch.maximum(a, b), c)),
               ("Minimum", torch.minimum(torch.minimum(a, b), c))):
    case("merge_" + cls.lower(), layer(cls), [], [call([a, b, c], y)])
case("merge_subtract", layer("Subtract"), [], [call([a, b], a - b)])
d = rand(2, 2, 4)
case("concatenate_axis1", layer("Concatenate", axis=1), [],
     [call([a, d], torch.cat([a, d], dim=1))])

with open(OUT, "w") as f:
    json.dump({"written_by": "make_layer_references.py with PyTorch " + torch.__version__,
               "cases": cases}, f, indent=None, separators=(",", ":"))
print("wrote %d cases to %s" % (len(cases), OUT))

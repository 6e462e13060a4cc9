#!/usr/bin/env python3
"""Writes the NIR test fixtures in test/nir/fixtures/ the way NIR's own writer (nir.write, h5py)
lays files out: /version and every `type` as variable-length strings, numpy arrays gzip-compressed,
Python scalars as plain datasets, `edges` as an N×2 array of strings. Needs only h5py and numpy
(Debian: apt-get install python3-h5py); the tests read the committed files and never run this.

    /usr/bin/python3 scripts/nir/make-fixtures.py
"""

import pathlib

import h5py
import numpy as np

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
    for p in sorted(OUT.iterdir()):
        print(f"{p.name}: {p.stat().st_size} bytes")

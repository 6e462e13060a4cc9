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
    nodes, edges = small(
        lif1=lambda n: {"type": "CubaLIF", "tau_mem": full(5, 0.01), "tau_syn": full(5, 0.005), "r": full(5, 1.0), "v_leak": full(5, 0), "v_threshold": full(5, 1), "w_in": full(5, 1.0)}
    )
    write("cuba.nir", nodes, edges)
    nodes, edges = small(w_rec=lambda _: {"type": "Linear", "weight": f32((5, 5), 0, 0.2)}, edges=lambda e: e + [("lif1", "w_rec"), ("w_rec", "lif1")])
    write("recurrent.nir", nodes, edges)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    lif2_snntorch()
    scale_norse()
    conv_lif()
    malformed()
    for p in sorted(OUT.iterdir()):
        print(f"{p.name}: {p.stat().st_size} bytes")

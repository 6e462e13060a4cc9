#!/usr/bin/env python3
"""Reads NIR files the way NIR's own reader does (nir/serialization.py: h5py, `type` compared as
bytes, `edges` decoded pair by pair, parameters as `[()]`) and prints each node, so a file snnc
exported can be checked without the nir package. Exit 1 on the first thing that reader would trip on.

    /usr/bin/python3 scripts/nir/check-with-h5py.py fmnist.nir
"""

import sys

import h5py
import numpy as np

FIELDS = {
    b"Input": ["shape"],
    b"Output": ["shape"],
    b"Linear": ["weight"],
    b"Affine": ["weight", "bias"],
    b"Conv2d": ["weight", "stride", "padding", "dilation", "groups", "bias"],
    b"Flatten": ["start_dim", "end_dim"],
    b"LIF": ["tau", "r", "v_leak", "v_threshold"],
    b"LI": ["tau", "r", "v_leak"],
    b"IF": ["r", "v_threshold"],
    b"CubaLIF": ["tau_syn", "tau_mem", "r", "v_leak", "v_threshold", "w_in"],
    b"CubaLI": ["tau_syn", "tau_mem", "r", "v_leak", "w_in"],
    b"SumPool2d": ["kernel_size", "stride", "padding"],
}


def check(path):
    with h5py.File(path, "r") as f:
        assert isinstance(f["version"][()], bytes), "version is not a string"
        g = f["node"]
        assert g["type"][()] == b"NIRGraph", "node/type is not NIRGraph"
        edges = [(a.decode("utf8"), b.decode("utf8")) for a, b in g["edges"][()]]
        nodes = g["nodes"]
        for a, b in edges:
            assert a in nodes and b in nodes, f"edge {a} -> {b} names a missing node"
        for name, n in nodes.items():
            t = n["type"][()]
            assert t in FIELDS, f"{name}: unexpected type {t}"
            for k in FIELDS[t]:
                v = n[k][()]
                assert isinstance(v, (np.ndarray, np.integer, np.floating)), f"{name}.{k} is {type(v)}"
            if t in (b"Conv2d", b"Flatten"):
                for k in ("groups", "start_dim", "end_dim"):
                    if k in n:
                        assert np.issubdtype(n[k].dtype, np.integer), f"{name}.{k} is not an integer"
            print(f"{name}: {t.decode()} " + ", ".join(f"{k}{list(np.shape(n[k][()]))}" for k in n if k != "type"))
        print(f"edges: {edges}")
        if "metadata" in g:
            print("metadata:", {k: (v[()][:40] if isinstance(v[()], bytes) else v[()]) for k, v in g["metadata"].items()})


if __name__ == "__main__":
    for p in sys.argv[1:]:
        try:
            check(p)
        except (AssertionError, KeyError) as e:
            print(f"{p}: {e}")
            sys.exit(1)

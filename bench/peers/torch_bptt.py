#!/usr/bin/env python3
"""Plain PyTorch BPTT of an snnc network, the peer `snnc bench` times in the same run.

Same network and step as the snnc kernels (docs/design.md §2): the same layer sizes, T, batch and input
spikes (read from the files `snnc bench` writes), LIF with subtractive reset (not differentiated),
the full surrogate 1/(β|V−V_th|+1)², logits max_t or Σ_t of the readout's V over t = 0…T−1 with
V[0] = 0, cross-entropy plus both activity penalties, and one Adam step. A fair peer, as a PyTorch
user would write it: each layer's feed-forward current for all steps is one matmul, only the
per-neuron scan over time is a Python loop (no loop over samples), and torch.compile wraps the
scan step when this torch has it and it works.

Usage: torch_bptt.py CONFIG.json   (prints one JSON object on stdout)
"""
import json
import os
import statistics
import sys
import time

import torch


def load(cfg):
    def read(path, dtype):
        with open(path, "rb") as f:
            return torch.frombuffer(bytearray(f.read()), dtype=dtype)

    offsets = read(cfg["offsets"], torch.int32).long()
    indices = read(cfg["indices"], torch.int32).long()
    labels = read(cfg["labels"], torch.int32).long()
    B, T, N = cfg["batch"], cfg["steps"], cfg["inputs"]
    counts = offsets[1:] - offsets[:-1]  # events per (b, t)
    rows = torch.repeat_interleave(torch.arange(B * T), counts)
    x = torch.zeros(B * T, N)
    x[rows, indices] = 1.0
    return x.view(B, T, N), labels


class Spike(torch.autograd.Function):
    @staticmethod
    def forward(ctx, v, v_th, beta):
        ctx.save_for_backward(v)
        ctx.v_th, ctx.beta = v_th, beta
        return (v > v_th).to(v.dtype)

    @staticmethod
    def backward(ctx, grad):
        (v,) = ctx.saved_tensors
        return grad / (ctx.beta * (v - ctx.v_th).abs() + 1.0) ** 2, None, None


def lif_step(v, s, i_t, alpha, v_rest, reset, v_th, beta):
    v = alpha * (v - v_rest) + v_rest + i_t - reset * s.detach()
    return v, Spike.apply(v, v_th, beta)


def blas_library():
    """The BLAS library this process has mapped (after the timed steps), or None: on Debian
    python3-torch runs its matrix products on whichever libblas.so.3 the system's alternatives
    point to, the netlib reference implementation unless an optimised one (OpenBLAS) is installed."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "/" in line}
    except OSError:
        return None
    for p in sorted(paths):
        name = os.path.basename(p)
        if "blas" in name.lower() and ".so" in name:
            return os.path.realpath(p)
    return None


def run(cfg):
    torch.manual_seed(cfg.get("seed", 1))
    threads = cfg.get("threads") or os.cpu_count()
    torch.set_num_threads(threads)
    device = torch.device(cfg.get("device") or ("cuda" if torch.cuda.is_available() else "cpu"))
    x, labels = load(cfg)
    x, labels = x.to(device), labels.to(device)
    B, T = cfg["batch"], cfg["steps"]
    weights = []
    n_in = cfg["inputs"]
    for layer in cfg["layers"]:
        with open(layer["weights"], "rb") as f:  # the same (calibrated) weights snnc timed, [n_in, n_out]
            w = torch.frombuffer(bytearray(f.read()), dtype=torch.float32).view(n_in, layer["size"]).clone()
        weights.append(w.to(device).requires_grad_())
        n_in = layer["size"]
    opt = torch.optim.Adam(weights, lr=cfg["lr"], betas=tuple(cfg["betas"]), eps=cfg["eps"])
    step_fn = lif_step
    compiled = "torch.compile not available (torch %s)" % torch.__version__
    if hasattr(torch, "compile") and not cfg.get("no_compile"):
        try:
            cand = torch.compile(lif_step)
            cand(torch.zeros(2, 3), torch.zeros(2, 3), torch.zeros(2, 3), 0.9, 0.0, 1.0, 1.0, 100.0)
            step_fn, compiled = cand, "torch.compile"
        except Exception as e:  # noqa: BLE001 - any failure means eager mode
            compiled = "torch.compile failed, eager: %s" % str(e).splitlines()[0][:120]

    def forward():
        inp = x
        penalty = 0.0
        for li, layer in enumerate(cfg["layers"]):
            # [B, T, N]: every step's feed-forward current at once; unbind (not cur[:, t], whose
            # backward writes a whole B×T×N zero tensor per step) keeps the backward linear in T.
            curs = (inp @ weights[li]).unbind(1)
            n = layer["size"]
            v = torch.zeros(B, n, device=device)
            s = torch.zeros(B, n, device=device)
            vs, ss = [v], [s]
            for t in range(T - 1):
                if layer["kind"] == "readout":
                    v = layer["alpha"] * (v - layer["v_rest"]) + layer["v_rest"] + layer["input_scale"] * curs[t]
                    vs.append(v)
                else:
                    v, s = step_fn(v, s, curs[t], layer["alpha"], layer["v_rest"], layer["reset"], layer["v_th"], layer["beta"])
                    ss.append(s)
            if layer["kind"] == "readout":
                vt = torch.stack(vs, 1)
                logits = vt.max(1).values if layer["logits"] == "max" else vt.sum(1)
            else:
                spikes = torch.stack(ss, 1)
                zeta = spikes.sum(1)  # [B, N] spike counts
                low, up = cfg["loss"]["low"], cfg["loss"]["up"]
                penalty = penalty + (low["lambda"] / n * torch.relu(low["nu"] - zeta).pow(2).sum(1)).mean()
                penalty = penalty + (up["lambda"] * torch.relu(zeta.mean(1) - up["nu"])).mean()
                inp = spikes
        return torch.nn.functional.cross_entropy(logits, labels) + penalty

    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)
    fwd, bwd, step = [], [], []
    for rep in range(cfg["warmup"] + cfg["reps"]):
        sync()
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = forward()
        sync()
        t1 = time.perf_counter()
        loss.backward()
        sync()
        t2 = time.perf_counter()
        opt.step()
        sync()
        t3 = time.perf_counter()
        if rep >= cfg["warmup"]:
            fwd.append(1e3 * (t1 - t0))
            bwd.append(1e3 * (t2 - t1))
            step.append(1e3 * (t3 - t0))
    return {
        "peer": "torch_bptt",
        "torch": torch.__version__,
        "device": torch.cuda.get_device_name(0) if device.type == "cuda" else "cpu",
        "threads": threads,
        "blas": blas_library(),
        "mode": compiled,
        "reps": cfg["reps"],
        "forwardMs": statistics.median(fwd),
        "backwardMs": statistics.median(bwd),
        "stepMs": statistics.median(step),
        "loss": float(loss),
    }


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        print(json.dumps(run(json.load(f))))

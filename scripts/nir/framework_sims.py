"""Small float64 simulations of what each framework's own simulator does with the networks the
framework fixtures hold (make-fixtures.py writes them), written from each framework's published
update equations, the source file named in each function. PyPI is not reachable from here, so the
frameworks themselves cannot run; these are their loops with the tensors made numpy arrays.

Every function takes the input spikes x [T, n_in] (0/1) and the fixture's tensors, and returns
per spiking node its spikes [T, n] (and, where the framework records it, the membrane) in the
framework's own step numbering. (Python wants this module's name with underscores: it is imported.)
"""

import numpy as np


def _one_spike(n, where):
    """Frameworks that emit several spikes per step (floor(v/θ)) must not, for snnc to compare."""
    assert np.all(n <= 1), f"{where}: more than one spike in a step; snnc's spikes are binary"
    return n


def snntorch_rsynaptic(x, w1, b1, w_rec, b_rec, alpha1, beta1, th1, w2, alpha2, beta2, th2, reset_delay):
    """snnTorch: fc1 → RSynaptic(all_to_all, linear recurrent with a bias) → fc2 → Synaptic.
    snntorch/_neurons/rsynaptic.py (_base_state_function, _base_sub): syn = α·syn + x + rec(spk),
    mem = β·mem + syn − reset·θ with reset = H(mem − θ) of the previous step; spk = H(mem − θ);
    with reset_delay=False the subtraction happens in the step of the spike, as
    snntorch/_neurons/leaky.py's forward does it: mem −= (spk − reset)·θ. (rsynaptic.py's own
    reset_delay branch assigns to its arguments instead of self.mem, so this is the behaviour the
    option documents and Leaky/Synaptic have.)"""
    T = x.shape[0]
    layers = [
        dict(n=w1.shape[0], alpha=alpha1, beta=beta1, th=th1, rec=True),
        dict(n=w2.shape[0], alpha=alpha2, beta=beta2, th=th2, rec=False),
    ]
    for L in layers:
        L.update(syn=np.zeros(L["n"]), mem=np.zeros(L["n"]), spk=np.zeros(L["n"]), out=np.zeros((T, L["n"]), np.uint8))
    min_gap = np.inf
    for t in range(T):
        cur = w1 @ x[t] + b1
        for k, L in enumerate(layers):
            if k == 1:
                cur = w2 @ layers[0]["spk"]
            reset = (L["mem"] - L["th"] > 0).astype(float)
            if not reset_delay:
                # The same-step subtraction leaves mem ≤ θ; above it snnTorch would subtract again
                # at the next step and add back (do_reset = spk − reset), which no snnc reset does.
                assert not reset.any(), "reset_delay=False with a membrane still above threshold after its reset"
            rec = (w_rec @ L["spk"] + b_rec) if L["rec"] else 0.0
            L["syn"] = L["alpha"] * L["syn"] + cur + rec
            L["mem"] = L["beta"] * L["mem"] + L["syn"] - reset * L["th"]
            min_gap = min(min_gap, np.min(np.abs(L["mem"] - L["th"])))
            spk = (L["mem"] - L["th"] > 0).astype(float)
            if not reset_delay:
                L["mem"] = L["mem"] - (spk - reset) * L["th"]
            L["spk"] = spk
            L["out"][t] = spk
    return [L["out"] for L in layers], min_gap


def rockpool_lif_cuba(x, w1, tau1, th1, w2, tau_syn2, tau_mem2, th2, dt):
    """Rockpool: LinearTorch → LIFNeuronTorch → LinearTorch → LIFTorch (one synapse per neuron).
    rockpool/nn/modules/torch/lif_neuron_torch.py: vmem *= exp(−dt/τ); vmem += x; spikes =
    (vmem ≥ θ)·floor(vmem/θ); vmem −= spikes·θ. rockpool/nn/modules/torch/lif_torch.py: isyn += x;
    vmem *= exp(−dt/τ_mem); isyn *= exp(−dt/τ_syn); vmem += isyn; the same spikes and subtraction."""
    T = x.shape[0]
    a1 = np.exp(-dt / tau1)
    a2, b2 = np.exp(-dt / tau_mem2), np.exp(-dt / tau_syn2)
    v1, v2, isyn = np.zeros(w1.shape[0]), np.zeros(w2.shape[0]), np.zeros(w2.shape[0])
    s1, s2 = np.zeros((T, v1.size), np.uint8), np.zeros((T, v2.size), np.uint8)
    min_gap = np.inf
    for t in range(T):
        v1 = a1 * v1 + w1 @ x[t]
        min_gap = min(min_gap, np.min(np.abs(v1 - th1)))
        n1 = _one_spike((v1 >= th1) * np.floor(v1 / th1), "rockpool lif1")
        v1 = v1 - n1 * th1
        isyn = isyn + w2 @ n1
        v2 = a2 * v2
        isyn = b2 * isyn
        v2 = v2 + isyn
        min_gap = min(min_gap, np.min(np.abs(v2 - th2)))
        n2 = _one_spike((v2 >= th2) * np.floor(v2 / th2), "rockpool lif2")
        v2 = v2 - n2 * th2
        s1[t], s2[t] = n1, n2
    return [s1, s2], min_gap


def norse_lif_box_li(x, w1, tau1, v_leak1, v_th1, v_reset1, w2, tau2, v_leak2, dt):
    """Norse: Linear → LIFBoxCell → Linear → LIBoxCell, their recorded membranes.
    norse/torch/functional/lif_box.py (lif_box_feed_forward_step): v_decayed = v + dt/τ·(I + v_leak
    − v); z = H(v_decayed − v_th); v = v_reset where z (reset_value, reset.py) else v_decayed.
    norse/torch/functional/leaky_integrator_box.py: v = v + dt/τ·((v_leak − v) + I)."""
    T = x.shape[0]
    v1, v2 = np.zeros(w1.shape[0]), np.zeros(w2.shape[0])
    s1 = np.zeros((T, v1.size), np.uint8)
    m1, m2 = np.zeros((T, v1.size)), np.zeros((T, v2.size))
    min_gap = np.inf
    for t in range(T):
        vd = v1 + dt / tau1 * ((w1 @ x[t]) + v_leak1 - v1)
        min_gap = min(min_gap, np.min(np.abs(vd - v_th1)))
        z = (vd - v_th1 > 0).astype(float)
        v1 = (1 - z) * vd + z * v_reset1
        v2 = v2 + dt / tau2 * ((v_leak2 - v2) + w2 @ z)
        s1[t], m1[t], m2[t] = z, v1, v2
    return [s1], {"lif1": m1, "li": m2}, min_gap


def sinabs_lif_iaf(x, w1, tau1, th1, w2, th2):
    """Sinabs: Linear → LIF (norm_input, its default) → Linear → IAF, τ in time steps.
    sinabs/layers/functional/lif.py (lif_forward_single): i = (1 − α)·x (norm_input), v = α·v + i
    with α = exp(−1/τ) (layers/lif.py, alpha_mem_calculated); MultiSpike (activation/
    spike_generation.py) emits floor(v/θ) spikes and MembraneSubtract (activation/
    reset_mechanism.py) takes θ per spike off v in the same step. IAF: α = 1, no norm_input."""
    T = x.shape[0]
    a1 = np.exp(-1.0 / tau1)
    v1, v2 = np.zeros(w1.shape[0]), np.zeros(w2.shape[0])
    s1, s2 = np.zeros((T, v1.size), np.uint8), np.zeros((T, v2.size), np.uint8)
    min_gap = np.inf
    for t in range(T):
        v1 = a1 * v1 + (1 - a1) * (w1 @ x[t])
        min_gap = min(min_gap, np.min(np.abs(v1 - th1)))
        n1 = _one_spike(np.maximum(np.floor(v1 / th1), 0), "sinabs lif1")
        v1 = v1 - n1 * th1
        v2 = v2 + w2 @ n1
        min_gap = min(min_gap, np.min(np.abs(v2 - th2)))
        n2 = _one_spike(np.maximum(np.floor(v2 / th2), 0), "sinabs if2")
        v2 = v2 - n2 * th2
        s1[t], s2[t] = n1, n2
    return [s1, s2], min_gap


def spyx_lif(x, w1, beta1, th1, w2, beta2, th2):
    """Spyx: Linear → LIF → Linear → LIF. spyx/nn.py (LIF.__call__): spikes = H(V − θ) of the V
    before the update, then V = β·V + x − spikes·θ; the spikes go on to the next layer in the same
    call (spyx/nn.py, Sequential)."""
    T = x.shape[0]
    v1, v2 = np.zeros(w1.shape[0]), np.zeros(w2.shape[0])
    s1, s2 = np.zeros((T, v1.size), np.uint8), np.zeros((T, v2.size), np.uint8)
    min_gap = np.inf
    for t in range(T):
        min_gap = min(min_gap, np.min(np.abs(v1 - th1)), np.min(np.abs(v2 - th2)))
        z1 = (v1 - th1 > 0).astype(float)
        v1 = beta1 * v1 + w1 @ x[t] - z1 * th1
        z2 = (v2 - th2 > 0).astype(float)
        v2 = beta2 * v2 + w2 @ z1 - z2 * th2
        s1[t], s2[t] = z1, z2
    return [s1, s2], min_gap


def lava_cuba(x, w1, du1, dv1, th1, w2, du2, dv2, th2):
    """Lava processes: RingBuffer → Dense → LIF → Dense → LIF, floating point.
    lava/proc/dense/models.py (PyDenseModelFloat.run_spk): a_out sends the accumulation of the
    previous step, a_buff = W·s_in. lava/proc/lif/models.py (AbstractPyLifModelFloat):
    u = u·(1 − du) + a_in; v = v·(1 − dv) + u + bias; s = v > vth; v = 0 where s."""
    T = x.shape[0]
    L = [dict(w=w1, du=du1, dv=dv1, th=th1), dict(w=w2, du=du2, dv=dv2, th=th2)]
    for l in L:
        n = l["w"].shape[0]
        l.update(u=np.zeros(n), v=np.zeros(n), buff=np.zeros(n), out=np.zeros((T, n), np.uint8))
    min_gap = np.inf
    for t in range(T):
        s_in = x[t].astype(float)
        for l in L:
            a_in, l["buff"] = l["buff"], l["w"] @ s_in
            l["u"] = l["u"] * (1 - l["du"]) + a_in
            l["v"] = l["v"] * (1 - l["dv"]) + l["u"]
            min_gap = min(min_gap, np.min(np.abs(l["v"] - l["th"])))
            s = l["v"] > l["th"]
            l["v"][s] = 0.0
            l["out"][t] = s
            s_in = s.astype(float)
    return [l["out"] for l in L], min_gap

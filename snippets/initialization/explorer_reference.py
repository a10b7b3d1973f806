"""The gradient-flow explorer's math in numpy: the same seeded numbers, layers and statistics as the
page's JavaScript, so its per-layer figures can be checked here. CPU, ~2 s.

A plain net of `depth` fully connected layers, each `width` units wide, no biases, sees a fixed
batch X of BATCH inputs drawn from N(0, 1).  Layer l computes z_l = a_{l-1} W_l (optionally batch
normalized: u_l = (z_l - mean) / sqrt(var + EPS) over the batch, per unit, gamma = 1, beta = 0),
then a_l = f(u_l).  The loss is L = sum(G * a_L) for a fixed upstream gradient G ~ N(0, 1) of the
same shape as a_L, so dL/da_L = G; it is back-propagated to every layer.  Per layer it reports:

  grad_norm      ||dL/dW_l||_F, the Frobenius norm of the weight gradient
  forward_gain   std(a_l) / std(a_{l-1})             (a_0 = X)
  backward_gain  ||dL/da_{l-1}|| / ||dL/da_l||
  saturated      share of (example, unit) pairs with f'(z) < 1% of the largest slope of f
  dead           share of units saturated for every example of the batch (they pass no gradient)
  act_cos        mean cosine similarity of a_l between two different examples of the batch
                 (numpy only: the widget does not draw it)
  act_mean, act_std, hist   the distribution of a_l (HIST_BINS bins)

Random numbers: mulberry32 (a 32-bit counter hash), uniform u = (x + 0.5) / 2^32, and Box-Muller
pairs; the normal stream is X, then G, then W_1, W_2, ..., so a deeper net keeps the first
layers' weights.
"""
import numpy as np

SEED = 2024                 # of the one random stream
BATCH = 128                 # inputs in the fixed batch
EPS = 1e-5                  # batch normalization's epsilon
HIST_BINS = 30
SAT_FRACTION = 0.01         # saturated: f'(z) < 1% of max f'
LEAKY_SLOPE = 0.01
SELU_LAMBDA, SELU_ALPHA = 1.0507009873554805, 1.6732632423543772
DEFAULTS = dict(depth=30, width=100, act="sigmoid", init="glorot", scale=1.0, bn=False)


def uniforms(start, count, seed=SEED):
    # mulberry32: state_k = seed + (k + 1) * 0x6D2B79F5 (mod 2^32), then a 32-bit hash of it
    k = np.arange(start, start + count, dtype=np.uint64) + np.uint64(1)
    t = ((np.uint64(seed) + k * np.uint64(0x6D2B79F5)) & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    t = (t ^ (t >> np.uint32(15))) * (t | np.uint32(1))          # Math.imul wraps mod 2^32
    t ^= t + (t ^ (t >> np.uint32(7))) * (t | np.uint32(61))
    x = t ^ (t >> np.uint32(14))
    return (x.astype(np.float64) + 0.5) / 2.0 ** 32              # in (0, 1), never 0


def normals(start, count, seed=SEED):
    # Box-Muller on the pair (u_2m, u_2m+1): r cos(2 pi u2), r sin(2 pi u2), r = sqrt(-2 ln u1)
    first, last = start // 2, (start + count + 1) // 2
    u = uniforms(2 * first, 2 * (last - first), seed).reshape(-1, 2)
    r, theta = np.sqrt(-2.0 * np.log(u[:, 0])), 2.0 * np.pi * u[:, 1]
    pairs = np.stack([r * np.cos(theta), r * np.sin(theta)], axis=1).ravel()
    return pairs[start - 2 * first: start - 2 * first + count]


def weight_std(init, width, scale=1.0):
    n_in = n_out = width                                          # square layers
    return {"normal1": 1.0, "small": 0.01,
            "glorot": np.sqrt(2.0 / (n_in + n_out)),              # Xavier: Var = 2/(n_in + n_out)
            "he": np.sqrt(2.0 / n_in),                            # He: Var = 2/n_in
            "lecun": np.sqrt(1.0 / n_in),                         # LeCun: Var = 1/n_in
            "scale": scale / np.sqrt(n_in)}[init]                 # free: Var = scale^2/n_in


def activation(name, z):
    """a = f(z), f'(z) and the largest slope of f."""
    with np.errstate(over="ignore"):
        if name == "sigmoid":
            a = 1.0 / (1.0 + np.exp(-z))
            return a, a * (1.0 - a), 0.25                         # sigma' = a(1 - a) <= 1/4
        if name == "tanh":
            a = np.tanh(z)
            return a, 1.0 - a * a, 1.0                            # tanh' = 1 - a^2
        pos = z > 0
        if name == "relu":
            return np.where(pos, z, 0.0), np.where(pos, 1.0, 0.0), 1.0
        if name == "leaky_relu":
            return np.where(pos, z, LEAKY_SLOPE * z), np.where(pos, 1.0, LEAKY_SLOPE), 1.0
        e = np.exp(np.minimum(z, 0.0))
        if name == "elu":                                         # z > 0: z;  else e^z - 1
            return np.where(pos, z, e - 1.0), np.where(pos, 1.0, e), 1.0
        if name == "selu":                                        # lambda * (z or alpha (e^z - 1))
            a = SELU_LAMBDA * np.where(pos, z, SELU_ALPHA * (e - 1.0))
            slope = np.where(pos, SELU_LAMBDA, SELU_LAMBDA * SELU_ALPHA * e)
            return a, slope, SELU_LAMBDA * SELU_ALPHA
    raise ValueError(name)


def hist_range(name, a):
    if name == "sigmoid":
        return 0.0, 1.0
    if name == "tanh":
        return -1.0, 1.0
    lo, hi = float(a.min()), float(a.max())
    return (lo, hi) if hi > lo else (lo - 0.5, hi + 0.5)


def mean_cosine(a):
    # cos(a_i, a_j) = a_i . a_j / (|a_i| |a_j|), averaged over the pairs i != j (an all-zero row counts 0)
    norms = np.linalg.norm(a, axis=1)
    unit = a / np.where(norms > 0, norms, 1.0)[:, None]
    gram = unit @ unit.T
    n = len(a)
    return float((gram.sum() - np.trace(gram)) / (n * (n - 1)))


def explore(depth=30, width=100, act="sigmoid", init="glorot", scale=1.0, bn=False,
            batch=BATCH, seed=SEED):
    """Per-layer statistics (arrays over layers 1..depth) of one forward and backward pass."""
    size = batch * width
    x = normals(0, size, seed).reshape(batch, width)              # the inputs, N(0, 1)
    g_top = normals(size, size, seed).reshape(batch, width)       # dL/da_L = G
    std = weight_std(init, width, scale)
    Ws = [std * normals(2 * size + l * width * width, width * width, seed).reshape(width, width)
          for l in range(depth)]

    a, cache, out = x, [], {k: [] for k in ("act_mean", "act_std", "saturated", "dead", "act_cos",
                                             "forward_gain", "hist", "hist_range")}
    for W in Ws:                                                  # forward
        z = a @ W                                                 # z_l = a_{l-1} W_l
        u, inv = z, None
        if bn:                                                    # u = (z - mu) / sqrt(var + eps)
            mu = z.mean(axis=0)
            inv = 1.0 / np.sqrt(((z - mu) ** 2).mean(axis=0) + EPS)
            u = (z - mu) * inv
        a_new, slope, max_slope = activation(act, u)
        flat = slope < SAT_FRACTION * max_slope
        lo, hi = hist_range(act, a_new)
        out["act_mean"].append(a_new.mean())
        out["act_std"].append(a_new.std())
        out["saturated"].append(flat.mean())
        out["dead"].append(flat.all(axis=0).mean())
        out["act_cos"].append(mean_cosine(a_new))
        out["forward_gain"].append(a_new.std() / a.std())
        out["hist"].append(np.histogram(a_new, bins=HIST_BINS, range=(lo, hi))[0])
        out["hist_range"].append((lo, hi))
        cache.append((a, u, inv, slope))
        a = a_new

    g = g_top                                                     # backward: g = dL/da_l
    grad_norm, backward_gain = [0.0] * depth, [0.0] * depth
    for l in range(depth - 1, -1, -1):
        a_prev, u, inv, slope = cache[l]
        du = g * slope                                            # dL/du = dL/da * f'(u)
        dz = du
        if bn:                                                    # dz = inv (du - mean(du) - u mean(du u))
            dz = inv * (du - du.mean(axis=0) - u * (du * u).mean(axis=0))
        grad_norm[l] = np.linalg.norm(a_prev.T @ dz)              # dL/dW_l = a_{l-1}^T dz
        g_prev = dz @ Ws[l].T                                     # dL/da_{l-1} = dz W_l^T
        backward_gain[l] = np.linalg.norm(g_prev) / np.linalg.norm(g)
        g = g_prev

    stats = {k: np.array(v, dtype=np.float64) for k, v in out.items()}
    stats["grad_norm"] = np.array(grad_norm)
    stats["backward_gain"] = np.array(backward_gain)
    return stats


def first_over_last(stats, key="grad_norm"):
    return float(stats[key][0] / stats[key][-1])


def typical_gain(stats, key="backward_gain"):
    # geometric mean over the layers: the per-layer factor of the whole product
    return float(np.exp(np.log(stats[key]).mean()))


# What the page suggests trying (depth 30, width 100); tests/test_explorer.py asserts each claim.
sig_n1 = explore(act="sigmoid", init="normal1")
sig_glorot = explore(act="sigmoid", init="glorot")
sig_n1_bn = explore(act="sigmoid", init="normal1", bn=True)
sig_glorot_bn = explore(act="sigmoid", init="glorot", bn=True)
relu_he = explore(act="relu", init="he")
relu_glorot = explore(act="relu", init="glorot")
tanh_small = explore(act="tanh", init="small")

sigmoid_n1_saturated = float(sig_n1["saturated"].mean())          # mean share over the layers
sigmoid_n1_grad_ratio = first_over_last(sig_n1)
sigmoid_glorot_grad_ratio = first_over_last(sig_glorot)
sigmoid_bn_saturated = float(sig_n1_bn["saturated"].mean())
sigmoid_bn_grad_ratio = first_over_last(sig_n1_bn)
sigmoid_glorot_bn_grad_ratio = first_over_last(sig_glorot_bn)
# with batch normalization z's scale cancels in the forward pass but dL/dW_l ~ 1/sigma_w: Xavier's
# sigma_w = 0.1 gives every layer 10 times the weight gradient of N(0, 1)'s sigma_w = 1
bn_glorot_over_n1 = sig_glorot_bn["grad_norm"] / sig_n1_bn["grad_norm"]
sigmoid_bn_glorot_over_n1_min = float(bn_glorot_over_n1.min())
sigmoid_bn_glorot_over_n1_max = float(bn_glorot_over_n1.max())
sigmoid_bn_glorot_over_n1 = float(np.exp(np.log(bn_glorot_over_n1).mean()))   # geometric mean
sigmoid_bn_n1_grad_first = float(sig_n1_bn["grad_norm"][0])
sigmoid_bn_glorot_grad_first = float(sig_glorot_bn["grad_norm"][0])
relu_he_grad_ratio = first_over_last(relu_he)
relu_he_act_ratio = float(relu_he["act_std"][-1] / relu_he["act_std"][0])
relu_glorot_act_ratio = float(relu_glorot["act_std"][-1] / relu_glorot["act_std"][0])
relu_glorot_grad_ratio = first_over_last(relu_glorot)
relu_glorot_over_he = float(relu_glorot["grad_norm"][0] / relu_he["grad_norm"][0])   # every layer alike
relu_he_dead_max = float(relu_he["dead"].max())
relu_he_dead_last = float(relu_he["dead"][-1])
relu_he_cos_first = float(relu_he["act_cos"][0])        # representations grow alike with depth
relu_he_cos_last = float(relu_he["act_cos"][-1])
sigmoid_n1_dead_max = float(sig_n1["dead"].max())
sigmoid_n1_dead_last = float(sig_n1["dead"][-1])
relu_he_bwd_gain = typical_gain(relu_he)
relu_glorot_bwd_gain = typical_gain(relu_glorot)
sigmoid_glorot_bwd_gain = typical_gain(sig_glorot)
tanh_small_act_last = float(tanh_small["act_std"][-1])

if __name__ == "__main__":
    d = DEFAULTS
    s = explore(**d)
    print(f"{d['act']}, {d['init']} init, depth {d['depth']}, width {d['width']}, batch {BATCH}, "
          f"batch norm {'on' if d['bn'] else 'off'}")
    print("layer   act std  |dL/dW|  fwd gain  bwd gain  saturated  dead")
    for l in range(d["depth"]):
        print(f"{l + 1:5d}  {s['act_std'][l]:8.3g}  {s['grad_norm'][l]:7.2e}  {s['forward_gain'][l]:8.3f}"
              f"  {s['backward_gain'][l]:8.3f}  {s['saturated'][l]:9.1%}  {s['dead'][l]:5.1%}")
    print()
    print(f"||dL/dW||, layer 1 / layer {DEFAULTS['depth']}, depth {DEFAULTS['depth']}, width {DEFAULTS['width']}:")
    for name, st in [("sigmoid N(0,1)", sig_n1), ("sigmoid Xavier", sig_glorot),
                     ("sigmoid N(0,1) + BN", sig_n1_bn), ("sigmoid Xavier + BN", sig_glorot_bn), ("ReLU He", relu_he),
                     ("ReLU Xavier", relu_glorot), ("tanh N(0,0.01^2)", tanh_small)]:
        print(f"  {name:20s} {first_over_last(st):9.2e}   mean saturated {st['saturated'].mean():6.1%}")

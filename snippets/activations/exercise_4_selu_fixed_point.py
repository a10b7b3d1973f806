"""Exercise answer: SELU's map (mu, nu) -> (mean, variance of SELU(z)) for z ~ N(mu, nu),
iterated from (0.5, 2) with Gauss-Hermite quadrature. CPU, <1 s."""
import numpy as np

SELU_LAMBDA = 1.0507009873554805                          # Klambauer et al. (2017)
SELU_ALPHA = 1.6732632423543772


def selu(z):
    return SELU_LAMBDA * np.where(z > 0, z, SELU_ALPHA * np.expm1(np.minimum(z, 0)))


# E[g(z)] for z ~ N(mu, nu): probabilists' Gauss-Hermite nodes t, weights / sqrt(2 pi),
# z = mu + sqrt(nu) t.  SELU has a kink at 0, so use many nodes.
nodes, weights = np.polynomial.hermite_e.hermegauss(200)
weights = weights / np.sqrt(2 * np.pi)


def moments(mu, nu):
    a = selu(mu + np.sqrt(nu) * nodes)
    mean = np.sum(weights * a)
    return mean, np.sum(weights * a ** 2) - mean ** 2


# The activations of one layer have mean mu and variance nu; the next unit's input is
# z = sum_i w_i x_i, so z ~ N(omega mu, tau nu) with omega = sum_i w_i, tau = sum_i w_i^2
# (Klambauer et al.).  Feeding SELU's output straight back as its input is omega = tau = 1.
def iterate(omega, tau, mu=0.5, nu=2.0, steps=100):
    path = [(mu, nu)]
    for _ in range(steps):
        mu, nu = moments(omega * mu, tau * nu)
        path.append((float(mu), float(nu)))
        if abs(mu) > 1e6 or nu > 1e6:
            break
    return path


print("omega  tau   (mu, nu) after 1, 2, 5, 20 and 100 steps")
ends, paths = {}, {}
for omega, tau in ((1.0, 1.0), (0.0, 1.0), (0.1, 1.1)):
    path = paths[(omega, tau)] = iterate(omega, tau)
    shown = [path[k] for k in (1, 2, 5, 20, len(path) - 1) if k < len(path)]
    ends[(omega, tau)] = path[-1]
    print(f"{omega:5.1f}  {tau:3.1f}   " + "  ".join(f"({m:+.3f}, {v:.3f})" for m, v in shown))
mu_raw, nu_raw = ends[(1.0, 1.0)]                      # output fed straight back: drifts away
mu_final, nu_final = ends[(0.0, 1.0)]                  # normalized weights: the fixed point
mu_edge, nu_edge = ends[(0.1, 1.1)]                    # edge of the paper's domain: a nearby point
raw_diverges = bool(mu_raw > 10 and nu_raw > 10)
# Fed straight back, the mean grows at every step; the variance first dips, then grows.
raw_mu, raw_nu = np.array(paths[(1.0, 1.0)]).T
raw_mean_always_grows = bool(np.all(np.diff(raw_mu) > 0))
raw_nu_dip_step = int(np.argmin(raw_nu))                 # the step where the variance is lowest
nu_raw_min = float(raw_nu.min())
raw_nu_grows_after_dip = bool(np.all(np.diff(raw_nu[raw_nu_dip_step:]) > 0))
# (0, 1) is a fixed point of the omega = 0, tau = 1 map: SELU of N(0, 1) has mean 0, variance 1
m01, v01 = moments(0.0, 1.0)
fixed_point_error = float(max(abs(m01), abs(v01 - 1)))
print(f"SELU(z), z ~ N(0, 1): mean {m01:+.1e}, variance {v01:.6f}")

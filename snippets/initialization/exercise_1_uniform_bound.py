"""Exercise answer: Var[U(-r, r)] = r^2 / 3, checked by quadrature and sampling, and the bound
r = sqrt(6 / n_in) of He initialization's uniform form. CPU, <1 s."""
import numpy as np

# Var[U(-r, r)] = E[w^2] = integral_{-r}^{r} w^2 / (2r) dw = (2 r^3 / 3) / (2r) = r^2 / 3
r = 0.7
w = np.linspace(-r, r, 200_001)
var_quadrature = float(np.trapezoid(w ** 2 / (2 * r), w))
rng = np.random.default_rng(0)
var_sampled = float(rng.uniform(-r, r, 1_000_000).var())
print(f"r = {r}: r^2/3 = {r ** 2 / 3:.6f}, quadrature {var_quadrature:.6f}, 1e6 samples {var_sampled:.6f}")

# He: Var[w] = 2 / n_in, so r^2 / 3 = 2 / n_in  ->  r = sqrt(6 / n_in)
n_in = 100
r_he = float(np.sqrt(6 / n_in))
he_var_sampled = float(rng.uniform(-r_he, r_he, (n_in, 10_000)).var())
print(f"He uniform, n_in = {n_in}: r = sqrt(6/{n_in}) = {r_he:.4f}; sampled variance "
      f"{he_var_sampled:.5f} vs 2/n_in = {2 / n_in:.5f}")

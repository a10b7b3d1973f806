"""Products of per-layer factors: below 1 they vanish, above 1 they explode. CPU, ~1 s."""
import math
from fractions import Fraction

import numpy as np
import matplotlib.pyplot as plt

# exact arithmetic: a quarter of a third, then a quarter of that
quarter, third = Fraction(1, 4), Fraction(1, 3)
two_factors = quarter * third                   # 1/4 * 1/3
three_factors = quarter * two_factors           # 1/4 * 1/12
product_two = str(two_factors)
product_three = str(three_factors)
print(f"1/4 * 1/3 = {product_two}")
print(f"1/4 * {product_two} = {product_three}")

# the best a sigmoid layer can do is 1/4 per layer: (1/4)^L
for L in (5, 10, 20):
    print(f"(1/4)^{L:<2d} = {float(quarter ** L):.3e}")
quarter_pow_10 = float(quarter ** 10)

# with w ~ N(0, 1), P(|w| < 1) = erf(1 / sqrt 2): most weights shrink the signal as well
p_abs_w_below_1 = math.erf(1 / math.sqrt(2))
print(f"P(|w| < 1) for w ~ N(0, 1) = {p_abs_w_below_1:.4f}")

# a factor of the same size in every layer: |product| = f^L
depth = np.arange(0, 31)
factors = [0.25, 0.9, 1.0, 1.1, 1.5]
print("layers " + "".join(f"{f:>12}" for f in factors))
for L in (1, 10, 20, 30):
    print(f"{L:6d} " + "".join(f"{f ** L:12.3e}" for f in factors))
growth_15_at_30 = float(1.5 ** 30)
shrink_09_at_30 = float(0.9 ** 30)

fig, ax = plt.subplots(figsize=(6.5, 4))
for f in factors:
    ax.semilogy(depth, float(f) ** depth, marker="o", ms=3, label=f"factor {f}")
ax.set_xlabel("number of layers L")
ax.set_ylabel(r"$|\mathrm{product}| = f^{\,L}$")
ax.set_title("the same factor in every layer")
ax.grid(alpha=0.3, which="both")
ax.legend()
plt.show()

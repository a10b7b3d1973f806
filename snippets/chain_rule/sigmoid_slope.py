"""The sigmoid and its derivative; the largest slope found on a fine grid. CPU, ~1 s."""
import numpy as np
import matplotlib.pyplot as plt


def sigma(z):
    return 1.0 / (1.0 + np.exp(-z))             # sigma(z) = 1 / (1 + e^-z)


def sigma_prime(z):
    return sigma(z) * (1.0 - sigma(z))          # sigma'(z) = sigma(z) (1 - sigma(z))


z = np.linspace(-8.0, 8.0, 16_001)              # step 0.001, contains z = 0 exactly
dsig = sigma_prime(z)
i = int(np.argmax(dsig))
max_slope = float(dsig[i])
z_at_max = float(z[i])
print(f"max sigma'(z) on the grid = {max_slope:.6f} at z = {z_at_max:+.3f}")

# how fast the slope dies away from zero (saturation)
for z0 in (1.0, 2.0, 3.0, 5.0):
    print(f"sigma'({z0:.0f}) = {sigma_prime(z0):.6f}   = {sigma_prime(z0) / max_slope:.1%} of the maximum")
slope_at_2 = float(sigma_prime(2.0))
slope_at_5 = float(sigma_prime(5.0))

fig, ax = plt.subplots(figsize=(6.5, 3.8))
ax.plot(z, sigma(z), label=r"$\sigma(z)$")
ax.plot(z, dsig, label=r"$\sigma'(z) = \sigma(z)\,(1-\sigma(z))$")
ax.axhline(0.25, color="gray", ls=":", lw=1)
ax.annotate(r"$\max \sigma' = 1/4$ at $z = 0$", xy=(0, 0.25), xytext=(1.2, 0.42),
            arrowprops=dict(arrowstyle="->", color="gray"))
ax.set_xlabel("z")
ax.set_ylim(-0.02, 1.05)
ax.legend(loc="upper left")
ax.grid(alpha=0.3)
plt.show()

"""Nielsen's speeds of learning at initialisation: ||dC/db_l|| of every hidden layer l of
the three sigmoid nets, mean ± std over the seeds, beside the values in Nielsen's ch. 5 (one
random initialisation each); and the numbers the page quotes.  Reads the committed record;
CPU, ~1 s.
"""
import json
from pathlib import Path

import numpy as np

# The committed record: beside this file, or results/ in the book's repository.
name = "layer_speed.json"
path = Path(__file__).resolve().parent / name
if not path.exists():
    path = Path(__file__).resolve().parents[2] / "results" / name
record = json.loads(path.read_text())

res = record["results"]
nielsen = record["settings"]["literature"]["init_norm_b"]

lines = []
for net, c in res.items():
    sizes = ",".join(str(v) for v in c["settings"]["sizes"])
    s = c["init_norm_b"]
    for l, (m, sd) in enumerate(zip(s["mean"], s["std"])):
        lines.append(f"| [{sizes}] | {l + 1} | {m:.4f} ± {sd:.4f} | {nielsen[net][l]:.3f} |")
rows = "\n".join(lines)

# Numbers the page quotes.
n_seeds = len(record["provenance"]["seeds"])
epochs = record["settings"]["epochs"]
h4_init_ratio = res["h4"]["init_ratio_last_to_first"]["mean"]      # ||dC/db_4|| / ||dC/db_1||
h4_final_ratio = res["h4"]["final_ratio_last_to_first"]["mean"]
h4_final_ratio_min = min(res["h4"]["final_ratio_last_to_first"]["values"])
# per-layer factor at init: each layer learns this much more slowly than the next (geometric mean)
h4_step_factor = h4_init_ratio ** (1 / 3)
# validation accuracy after the last epoch, per net; chance level is about 10 %
final_val = {net: np.array(c["final_val_acc"]["values"]) for net, c in res.items()}
h2_final_val = float(final_val["h2"].mean())
at_chance = {net: int((v < 0.2).sum()) for net, v in final_val.items()}
h3_at_chance, h4_at_chance = at_chance["h3"], at_chance["h4"]
deep_final_val_max = float(max(final_val["h3"].max(), final_val["h4"].max()))
# last / first hidden layer at initialisation and after the last epoch, in the two- and
# three-layer nets (the four-layer net: h4_init_ratio, h4_final_ratio)
h2_init_ratio = res["h2"]["init_ratio_last_to_first"]["mean"]
h2_final_ratio = res["h2"]["final_ratio_last_to_first"]["mean"]
h3_init_ratio = res["h3"]["init_ratio_last_to_first"]["mean"]
h3_final_ratio = res["h3"]["final_ratio_last_to_first"]["mean"]
# the mean speeds of every layer of every net: how far they fall in the first 50 epochs, and
# by how much at most they change after that in the three- and four-layer nets
curves = {net: np.array(c["curves"]["norm_b"]["mean"]) for net, c in res.items()}   # [E + 1, layers]
drop50 = np.concatenate([nb[0] / nb[50] for nb in curves.values()])
drop50_min, drop50_max = float(drop50.min()), float(drop50.max())
late = np.concatenate([curves[net][-1] / curves[net][50] for net in ("h3", "h4")])
deep_late_change_max = float(np.max(np.maximum(late, 1 / late)))

print(f"||dC/db_l|| at initialisation, mean ± std over {n_seeds} seeds; Nielsen: one run")
print("| net | hidden layer | ours | Nielsen |")
print("|---|---|---|---|")
print(rows)
print(f"4 hidden layers: last/first {h4_init_ratio:.0f} at init, {h4_final_ratio:.0f} after {epochs} epochs")
for net, v in final_val.items():
    print(f"{net}: validation accuracy after {epochs} epochs: " + ", ".join(f"{a:.4f}" for a in v))

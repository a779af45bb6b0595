#!/usr/bin/env python3
"""Reads a sparkcae run's Parquet outputs outside the JVM: patches, latents and anomaly scores as numpy arrays.

    python3 docs/examples/read_outputs.py runs/quickstart          # prints a JSON summary of the run

Needs Python 3 and numpy (Debian: apt-get install python3-numpy python3-snappy). With pyarrow installed it
reads the Parquet files through pyarrow; without it, through parquet_lite.py beside this file.
See docs/reading-outputs.md.
"""

import json
import pathlib
import sys

try:
    import numpy as np
except ImportError:
    sys.exit("read_outputs.py needs numpy: apt-get install python3-numpy (or pip install numpy)")

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))


def committed(run_dir, stage):
    """The committed attempt directory of a stage: the one the highest-numbered marker in _commits names."""
    stage_dir = pathlib.Path(run_dir) / stage
    markers = sorted((m for m in (stage_dir / "_commits").glob("*") if m.name.isdigit()), key=lambda m: int(m.name))
    marker = markers[-1] if markers else stage_dir / "_SUCCESS"
    if not marker.exists():
        raise FileNotFoundError("%s: no committed output; run 'sparkcae %s' first" % (stage_dir, stage))
    fields = dict(line.split("=", 1) for line in marker.read_text().splitlines() if "=" in line)
    return stage_dir / fields["attempt"] if fields.get("attempt") else stage_dir  # older runs: output in place


def read_table(directory, columns):
    """{column: list of values} of a Spark Parquet output directory."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        from parquet_lite import read_dir
        return read_dir(directory, columns)
    return pq.read_table(str(directory), columns=columns).to_pydict()


def reader():
    try:
        import pyarrow  # noqa: F401
        return "pyarrow"
    except ImportError:
        return "parquet_lite"


def floats(blob, shape):
    """A `data` or `residual` cell: little-endian float32 bytes in C order, shaped (C, [D,] H, W)."""
    return np.frombuffer(blob, dtype="<f4").reshape(shape)


def patch_shape(run_dir):
    """The dataset's patch shape (C, [D,] H, W), from prep's manifest."""
    manifest = json.loads((committed(run_dir, "prep") / "patches" / "_manifest.json").read_text())
    return tuple(manifest["patchShape"])


def patches(run_dir):
    """ids, splits, labels and the patches as one float32 array (N, C, [D,] H, W)."""
    t = read_table(committed(run_dir, "prep") / "patches", ["id", "split", "label", "shape", "data"])
    x = np.stack([floats(b, s) for b, s in zip(t["data"], t["shape"])]) if t["data"] else np.zeros((0,))
    return t["id"], np.array(t["split"]), np.array(t["label"], dtype=object), x


def latents(run_dir):
    """ids, splits, labels, latent vectors (N, latent size) and reconstruction MSE (N,) from encode."""
    t = read_table(committed(run_dir, "encode") / "latents", ["id", "split", "label", "z", "recon_mse"])
    return (t["id"], np.array(t["split"]), np.array(t["label"], dtype=object), np.array(t["z"], dtype=np.float32),
            np.array(t["recon_mse"]))


def scores(run_dir):
    """ids, splits, per-patch MSE, anomaly flags and residuals (reconstruction - input, N x patch shape) from score."""
    shape = patch_shape(run_dir)
    t = read_table(committed(run_dir, "score") / "scores", ["id", "split", "mse", "flagged", "residual"])
    r = np.stack([floats(b, shape) for b in t["residual"]]) if t["residual"] else np.zeros((0,) + shape)
    return t["id"], np.array(t["split"]), np.array(t["mse"]), np.array(t["flagged"], dtype=bool), r


def summary(run_dir):
    ids, split, label, x = patches(run_dir)
    first = ids.index(min(ids))  # a patch the caller can find again by id
    out = {"reader": reader(),
           "patches": {"count": len(ids), "shape": list(x.shape[1:]),
                       "splits": {s: int((split == s).sum()) for s in sorted(set(split.tolist()))},
                       "train_mean": float(x[split == "train"].mean()),
                       "min": float(x.min()), "max": float(x.max()),
                       "first_id": ids[first], "first_sum": float(x[first].astype(np.float64).sum())}}
    zid, zsplit, _, z, recon = latents(run_dir)
    out["latents"] = {"count": len(zid), "dim": int(z.shape[1]), "test_recon_mse": float(recon[zsplit == "test"].mean())}
    if (pathlib.Path(run_dir) / "score").exists():
        sid, ssplit, mse, flagged, residual = scores(run_dir)
        from_residual = (residual.astype(np.float64) ** 2).reshape(len(sid), -1).mean(axis=1)
        out["scores"] = {"count": len(sid), "test_mse": float(mse[ssplit == "test"].mean()),
                         "test_flagged": int(flagged[ssplit == "test"].sum()),
                         "max_mse_vs_residual": float(np.abs(from_residual - mse).max())}
    return out


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: read_outputs.py RUN_DIR")
    print(json.dumps(summary(sys.argv[1]), indent=2))

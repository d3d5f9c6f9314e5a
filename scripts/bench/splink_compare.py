"""Deduplicate a `firstcontact generate people` CSV with Splink (the reference public
Fellegi-Sunter tool) and score it against the ground truth exactly as
`firstcontact linkage eval` does: pairwise (the links made) and by cluster (every pair the
resulting persons imply). Used for docs/benchmarks.md; not part of the test suite.

    python3 -m venv .venv && .venv/bin/pip install splink
    .venv/bin/python scripts/bench/splink_compare.py people.csv

The model is a careful one in Splink's own recommended style: cleaned names with term-frequency
adjustment, date of birth, postcode, phone, email and address comparisons, several blocking rules,
u by random sampling, m by EM (no labels used), clustering at a match probability threshold.
"""

import re
import resource
import sys
import time

import pandas as pd
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on


def clean(df: pd.DataFrame) -> pd.DataFrame:
    def letters(s):
        return s.fillna("").str.lower().str.replace(r"[^a-z]", "", regex=True).replace("", None)

    out = pd.DataFrame({"unique_id": df["record_id"].astype(int), "person_id": df["person_id"]})
    out["first_name"] = letters(df["given_name"])
    out["surname"] = letters(df["surname"])
    iso = pd.to_datetime(df["dob"], format="%Y-%m-%d", errors="coerce")
    uk = pd.to_datetime(df["dob"], format="%d/%m/%Y", errors="coerce")
    out["dob"] = iso.fillna(uk).dt.strftime("%Y-%m-%d")
    pc = df["postcode"].fillna("").str.upper().str.replace(r"\s", "", regex=True)
    out["postcode"] = pc.where(pc.str.len() >= 5).map(
        lambda p: f"{p[:-3]} {p[-3:]}" if isinstance(p, str) else None
    )
    digits = df["phone"].fillna("").map(lambda p: re.sub(r"\D", "", p))
    digits = digits.map(lambda d: "0" + d[2:] if d.startswith("44") else d)
    out["phone"] = digits.where(digits.str.len() >= 10)
    out["email"] = df["email"].fillna("").str.strip().str.lower().replace("", None)
    out["address"] = df["address"].fillna("").str.lower().str.replace(r"[^a-z0-9 ]", "", regex=True)
    out["address"] = out["address"].replace("", None)
    return out


def truth_pairs(labels: pd.Series) -> int:
    sizes = labels.value_counts()
    return int((sizes * (sizes - 1) // 2).sum())


def score(pred_pairs: set, person_of: dict, actual: int) -> tuple:
    tp = sum(1 for a, b in pred_pairs if person_of[a] == person_of[b])
    p = tp / len(pred_pairs) if pred_pairs else 0.0
    r = tp / actual if actual else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f1, tp, len(pred_pairs)


def main(path: str, threshold: float = 0.9) -> None:
    t0 = time.perf_counter()
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    df = clean(raw)
    person_of = dict(zip(df["unique_id"], df["person_id"]))
    actual = truth_pairs(df["person_id"])
    t_load = time.perf_counter() - t0

    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "surname"),
            block_on("surname", "dob"),
            block_on("first_name", "dob"),
            block_on("postcode", "first_name"),
            block_on("postcode", "surname"),
            block_on("phone"),
            block_on("email"),
        ],
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.PostcodeComparison("postcode"),
            cl.ExactMatch("phone"),
            cl.EmailComparison("email"),
            cl.JaroWinklerAtThresholds("address", [0.95, 0.88]),
        ],
        retain_intermediate_calculation_columns=False,
    )
    db_api = DuckDBAPI()
    sdf = db_api.register(df.drop(columns=["person_id"]))
    linker = Linker(sdf, settings, log_level=None)

    t1 = time.perf_counter()
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=42)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_name", "surname"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    t_train = time.perf_counter() - t1

    t2 = time.perf_counter()
    pred = linker.inference.predict(threshold_match_probability=threshold)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        pred, threshold_match_probability=threshold
    )
    pred_df = pred.as_pandas_dataframe()
    clusters_df = clusters.as_pandas_dataframe()
    t_dedupe = time.perf_counter() - t2

    pairs = {(min(a, b), max(a, b)) for a, b in zip(pred_df["unique_id_l"], pred_df["unique_id_r"])}
    pw = score(pairs, person_of, actual)
    cluster_pairs = set()
    for _, members in clusters_df.groupby("cluster_id")["unique_id"]:
        ids = sorted(members)
        cluster_pairs.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1 :])
    cp = score(cluster_pairs, person_of, actual)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"records            {len(df)}")
    print(f"pairwise  precision {pw[0]:.4f} recall {pw[1]:.4f} F1 {pw[2]:.4f}  (tp {pw[3]} predicted {pw[4]} actual {actual})")
    print(f"cluster   precision {cp[0]:.4f} recall {cp[1]:.4f} F1 {cp[2]:.4f}  (tp {cp[3]} predicted {cp[4]} actual {actual})")
    print(f"time: load+clean {t_load:.2f}s, train {t_train:.2f}s, predict+cluster {t_dedupe:.2f}s")
    print(f"peak memory (maxrss) {peak_mb:.0f} MB")


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 0.9)

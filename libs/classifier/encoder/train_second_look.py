"""
Fits the second look's per-topic logistic regressions (libs/classifier/src/second-look.ts) for
`npm run train:second-look`, which embeds the dev part and runs this with the embedder's python.
Why scikit-learn, not a hand-written fit: the settings were measured with it (L-BFGS, L2, C=100,
balanced class weights), and it gives the same weights on every run.

stdin: one JSON object per line, {"labels": [topic ids], "vector": "<base64 float32 LE>"}.
argv: the topic ids in the taxonomy's order (comma-separated), C, addAt, dropBelow, findAt ("none":
never), embedder model id, then the neighbours' weight ("none": no neighbours), k and sharpness.
stdout: the model, as second-look.ts reads it; the neighbours as neighbour-vote.ts reads them
(each article's unit vector as int8 over a float32 scale, its topics as a bitmask).
"""
import base64
import json
import sys

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression


def main() -> None:
    topics = sys.argv[1].split(",")
    c = float(sys.argv[2])
    add_at = float(sys.argv[3])
    drop_below = float(sys.argv[4])
    find_at = None if sys.argv[5] == "none" else float(sys.argv[5])
    embedder = sys.argv[6]
    neighbour_weight = None if len(sys.argv) <= 7 or sys.argv[7] == "none" else float(sys.argv[7])
    rows = [json.loads(line) for line in sys.stdin if line.strip()]
    if not rows:
        sys.exit("train_second_look: no examples on stdin")
    x = np.vstack([np.frombuffer(base64.b64decode(r["vector"]), dtype="<f4") for r in rows]).astype(np.float64)
    model = {
        "format": 1,
        "embedder": embedder,
        "dimensions": int(x.shape[1]),
        "addAt": add_at,
        "dropBelow": drop_below,
        **({} if find_at is None else {"findAt": find_at}),
        "training": {"part": "dev", "articles": len(rows), "inverseRegularisation": c, "classWeight": "balanced", "library": f"scikit-learn {sklearn.__version__}"},
        "topics": {},
    }
    for topic in topics:
        y = np.array([topic in r["labels"] for r in rows], dtype=int)
        if y.sum() < 3:  # too few to learn from: the rules decide this topic alone
            continue
        fit = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(x, y)
        model["topics"][topic] = {"bias": float(fit.intercept_[0]), "weights": [float(w) for w in fit.coef_[0]], "positives": int(y.sum())}
    if neighbour_weight is not None:
        model["neighbours"] = neighbours(x, [r["labels"] for r in rows], topics, neighbour_weight, int(sys.argv[8]), float(sys.argv[9]))
    json.dump(model, sys.stdout)
    sys.stdout.write("\n")


def neighbours(x: np.ndarray, labels: list, topics: list, weight: float, k: int, sharpness: float) -> dict:
    unit = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    scales = np.maximum(np.abs(unit).max(axis=1), 1e-12) / 127
    quantised = np.clip(np.round(unit / scales[:, None]), -127, 127).astype(np.int8)
    bits = {topic: 1 << i for i, topic in enumerate(topics)}
    return {
        "weight": weight,
        "k": min(k, len(labels)),  # fewer articles than k: every one votes
        "sharpness": sharpness,
        "topics": topics,
        "labels": [sum(bits[t] for t in set(ls) if t in bits) for ls in labels],
        "vectors": base64.b64encode(quantised.tobytes()).decode("ascii"),
        "scales": base64.b64encode(scales.astype("<f4").tobytes()).decode("ascii"),
    }


if __name__ == "__main__":
    main()

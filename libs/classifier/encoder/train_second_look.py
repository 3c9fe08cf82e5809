"""
Fits the second look's per-topic logistic regressions (libs/classifier/src/second-look.ts) for
`npm run train:second-look`, which embeds the dev part and runs this with the embedder's python.
Why scikit-learn, not a hand-written fit: the settings were measured with it (L-BFGS, L2, C=100,
balanced class weights), and it gives the same weights on every run.

stdin: one JSON object per line, {"labels": [topic ids], "vector": "<base64 float32 LE>"}.
argv: the topic ids in the taxonomy's order (comma-separated), C, addAt, dropBelow, findAt ("none":
never), embedder model id.
stdout: the model, as second-look.ts reads it.
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
    json.dump(model, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

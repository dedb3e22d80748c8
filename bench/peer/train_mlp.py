"""The mnist-mlp training loop in PyTorch, for bench/train.sh: 784-500-500-10, ReLU, dropout 0.2
before the second and the output layer (where DL4J's dropOut applies it), Adam 1e-3 with L2 1e-5,
batch 128, 55,000 MNIST training images scaled to [0, 1], one epoch after 50 warm-up iterations.
Usage: python3 bench/peer/train_mlp.py DATA_DIR [threads, default 1] [epochs, default 2]
(Debian's python3-torch with libopenblas0-pthread; see bench/peer/server.py)
"""
import sys
import time

import numpy as np
import torch

from mnist_idx import idx


def main():
    data, threads = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1
    epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    torch.set_num_threads(threads)
    torch.manual_seed(42)
    n = 55_000
    x = torch.from_numpy(idx(f"{data}/mnist/train-images-idx3-ubyte.gz")[:n].reshape(n, 784).astype(np.float32) / 255)
    y = torch.from_numpy(idx(f"{data}/mnist/train-labels-idx1-ubyte.gz")[:n].astype(np.int64))
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 500), torch.nn.ReLU(), torch.nn.Dropout(0.2),
        torch.nn.Linear(500, 500), torch.nn.ReLU(), torch.nn.Dropout(0.2),
        torch.nn.Linear(500, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
    loss_fn = torch.nn.CrossEntropyLoss()
    model.train()

    def step(batch):
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[batch]), y[batch])
        loss.backward()
        optimizer.step()
        return loss.item()

    order = torch.randperm(n)
    for i in range(50):
        step(order[i * 128:(i + 1) * 128])
    for epoch in range(1, epochs + 1):
        order = torch.randperm(n)
        start = time.perf_counter()
        total, batches = 0.0, 0
        for i in range(0, n, 128):
            total += step(order[i:i + 128])
            batches += 1
        seconds = time.perf_counter() - start
        print(f"torch threads={threads} epoch {epoch}: {seconds:.2f} s, {n / seconds:.0f} images/s, "
              f"mean loss {total / batches:.4f}")


if __name__ == "__main__":
    main()

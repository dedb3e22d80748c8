"""The mnist-dcgan training iteration in PyTorch, beside DcganIterationBenchmark (bench/dcgan.sh):
the generator and discriminator of DcganNetworks (TensorFlow's DCGAN tutorial), Adam 1e-4 for both,
binary cross-entropy on the discriminator's logit, batch 64; one iteration is a discriminator step on
64 real and 64 generated images, then a generator step through the discriminator on 64 new latents.
Usage: python3 bench/peer/train_dcgan.py DATA_DIR [threads, default 1] [iterations, default 20] [batch, default 64]
(Debian's python3-torch with libopenblas0-pthread)
"""
import sys
import time

import numpy as np
import torch
from torch import nn

from mnist_idx import idx


def lrelu():
    return nn.LeakyReLU(0.2)


def generator():
    return nn.Sequential(
        nn.Linear(100, 7 * 7 * 256, bias=False), nn.BatchNorm1d(7 * 7 * 256), lrelu(),
        nn.Unflatten(1, (256, 7, 7)),
        nn.ConvTranspose2d(256, 128, 5, stride=1, padding=2, bias=False), nn.BatchNorm2d(128), lrelu(),
        nn.ConvTranspose2d(128, 64, 5, stride=2, padding=2, output_padding=1, bias=False), nn.BatchNorm2d(64), lrelu(),
        nn.ConvTranspose2d(64, 1, 5, stride=2, padding=2, output_padding=1), nn.Tanh())


def discriminator():
    # DL4J's dropOut applies to a layer's input: after the first and the second convolution here.
    return nn.Sequential(
        nn.Conv2d(1, 64, 5, stride=2, padding=2), lrelu(), nn.Dropout(0.3),
        nn.Conv2d(64, 128, 5, stride=2, padding=2), lrelu(), nn.Dropout(0.3),
        nn.Flatten(), nn.Linear(128 * 7 * 7, 1))


def main():
    data = sys.argv[1]
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    iterations = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    batch = int(sys.argv[4]) if len(sys.argv) > 4 else 64
    torch.set_num_threads(threads)
    torch.manual_seed(42)
    x = idx(f"{data}/mnist/train-images-idx3-ubyte.gz").astype(np.float32) / 127.5 - 1
    x = torch.from_numpy(x).unsqueeze(1)
    g, d = generator(), discriminator()
    for m in list(g.modules()) + list(d.modules()):
        if isinstance(m, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.normal_(m.weight, 0, 0.02)
    g_opt = torch.optim.Adam(g.parameters(), 1e-4)
    d_opt = torch.optim.Adam(d.parameters(), 1e-4)
    bce = nn.BCEWithLogitsLoss()
    ones, zeros = torch.ones(batch, 1), torch.zeros(batch, 1)
    parts = {"generate": 0.0, "discriminator fit": 0.0, "generator fit": 0.0}
    warmup = 5
    order = torch.randperm(x.shape[0])
    for it in range(warmup + iterations):
        t0 = time.perf_counter()
        real = x[order[(it * batch) % (x.shape[0] - batch):][:batch]]
        fake = g(torch.randn(batch, 100))
        t1 = time.perf_counter()
        d_opt.zero_grad()
        loss_d = bce(d(torch.cat([real, fake.detach()])), torch.cat([ones, zeros]))
        loss_d.backward()
        d_opt.step()
        t2 = time.perf_counter()
        g_opt.zero_grad()
        loss_g = bce(d(g(torch.randn(batch, 100))), ones)
        loss_g.backward()
        g_opt.step()
        t3 = time.perf_counter()
        if it >= warmup:
            parts["generate"] += t1 - t0
            parts["discriminator fit"] += t2 - t1
            parts["generator fit"] += t3 - t2
    total = sum(parts.values())
    print(f"torch threads={threads} batch={batch}: {total / iterations * 1000:.1f} ms per iteration "
          f"({iterations} timed), {batch * iterations / total:.1f} images/s")
    for name, seconds in parts.items():
        print(f"  {name:34s} {seconds / iterations * 1000:8.1f} ms  {100 * seconds / total:5.1f}%")


if __name__ == "__main__":
    main()

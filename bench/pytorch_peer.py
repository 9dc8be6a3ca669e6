#!/usr/bin/python3
"""PyTorch peer of `gan-workbench bench`: ms per GAN training step for the same two shapes.

One step is one D update then one G update with the non-saturating loss and Adam, as in the
workbench's GanStep. Random data of the right shape replaces the dataset, as in the
workbench's benchmark, because a step's cost does not depend on the values.

Shapes:
  dcgan-small  G: dense 64->7*7*64 + BN + LeakyReLU, convT 64->32 (4x4, s2) + BN + LeakyReLU,
               convT 32->1 + tanh; D: conv 1->32, conv 32->64 (4x4, s2, LeakyReLU 0.2),
               dense -> 1; batch 64, 28x28x1.
  mlp-2d       G (latent 16) and D: two hidden layers of 128 units, batch 256, 2-D data.

Usage: /usr/bin/python3 bench/pytorch_peer.py [--steps 20] [--warmup 3] [--threads N] [--json]
Needs Debian's python3-torch and libopenblas0-pthread, so run it with Debian's /usr/bin/python3 (without the latter, torch falls back to
the reference BLAS and runs several times slower).
"""

import argparse
import json
import time

import torch
from torch import nn
import torch.nn.functional as F


def dcgan_small():
    generator = nn.Sequential(
        nn.Linear(64, 7 * 7 * 64), nn.Unflatten(1, (64, 7, 7)), nn.BatchNorm2d(64), nn.LeakyReLU(0.2),
        nn.ConvTranspose2d(64, 32, 4, stride=2, padding=1), nn.BatchNorm2d(32), nn.LeakyReLU(0.2),
        nn.ConvTranspose2d(32, 1, 4, stride=2, padding=1), nn.Tanh(),
    )
    discriminator = nn.Sequential(
        nn.Conv2d(1, 32, 4, stride=2, padding=1), nn.LeakyReLU(0.2),
        nn.Conv2d(32, 64, 4, stride=2, padding=1), nn.LeakyReLU(0.2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 1),
    )
    return generator, discriminator, 64, (1, 28, 28), 64


def mlp_2d():
    generator = nn.Sequential(nn.Linear(16, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 2))
    discriminator = nn.Sequential(
        nn.Linear(2, 128), nn.LeakyReLU(0.2), nn.Linear(128, 128), nn.LeakyReLU(0.2), nn.Linear(128, 1),
    )
    return generator, discriminator, 16, (2,), 256


def train_step(generator, discriminator, opt_g, opt_d, latent, data_shape, batch):
    real = torch.rand((batch, *data_shape)) * 2 - 1

    fake = generator(torch.randn(batch, latent)).detach()
    loss_d = F.softplus(-discriminator(real)).mean() + F.softplus(discriminator(fake)).mean()
    opt_d.zero_grad(set_to_none=True)
    loss_d.backward()
    opt_d.step()

    loss_g = F.softplus(-discriminator(generator(torch.randn(batch, latent)))).mean()
    opt_g.zero_grad(set_to_none=True)
    loss_g.backward()
    opt_g.step()
    return loss_d, loss_g


def measure(build, steps, warmup):
    generator, discriminator, latent, data_shape, batch = build()
    opt_g = torch.optim.Adam(generator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    for _ in range(warmup):
        train_step(generator, discriminator, opt_g, opt_d, latent, data_shape, batch)

    started = time.perf_counter()
    for _ in range(steps):
        train_step(generator, discriminator, opt_g, opt_d, latent, data_shape, batch)
    return (time.perf_counter() - started) * 1000 / steps


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--steps', type=int, default=20, help='timed steps per shape')
    parser.add_argument('--warmup', type=int, default=3, help='untimed steps before timing')
    parser.add_argument('--threads', type=int, default=None, help='torch intra-op threads (default: torch chooses)')
    parser.add_argument('--json', action='store_true', help='print one JSON object')
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)

    results = [
        {'shape': 'dcgan-small', 'msPerStep': measure(dcgan_small, args.steps, args.warmup), 'steps': args.steps},
        {'shape': 'mlp-2d', 'msPerStep': measure(mlp_2d, args.steps, args.warmup), 'steps': args.steps},
    ]
    report = {'framework': 'pytorch', 'torch': torch.__version__, 'threads': torch.get_num_threads(), 'results': results}
    if args.json:
        print(json.dumps(report))
        return
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    for result in results:
        print(f"{result['shape']:<12} {result['msPerStep']:9.1f} ms/step  ({result['steps']} steps after warm-up)")


if __name__ == '__main__':
    main()

"""What every peer script shares: its options, the timing protocol, and the one JSON line it prints.

Options: --threads N (torch.set_num_threads, the thread count jnas runs with), --warmup W and --runs R (untimed
then timed repetitions of the workload), --seed S, --device cpu|cuda (where tensors and modules are made: cuda
compares with jnas's cuda backend on the same GPU). The result line is {"seconds": [each timed run], ...checks}.
"""
import argparse
import json
import time

import torch


def options(description, extra=None):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    if extra:
        extra(parser)
    args = parser.parse_args()
    if args.threads < 1 or args.runs < 1 or args.warmup < 0:
        parser.error(f"--threads and --runs must be at least 1 and --warmup at least 0, got {args.threads}, "
                     f"{args.runs}, {args.warmup}")
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    if args.device == "cuda":
        if not torch.cuda.is_available():
            parser.error("--device cuda: this PyTorch sees no CUDA GPU")
        torch.set_default_device("cuda")  # every factory call and module below makes its tensors there
    return args


def timed(args, workload):
    """Runs workload() args.warmup times untimed, then args.runs times timed; returns (seconds, last result)."""
    for _ in range(args.warmup):
        workload()
    seconds = []
    result = None
    for _ in range(args.runs):
        start = time.perf_counter()
        result = workload()
        if args.device == "cuda":
            torch.cuda.synchronize()  # the workloads return host numbers, but make sure nothing is left queued
        seconds.append(time.perf_counter() - start)
    return seconds, result


def report(seconds, **checks):
    print(json.dumps({"seconds": seconds, **checks}), flush=True)

"""Command line of the simulator; flag names match how the Java replica (and `vllm serve`) launch it."""

import argparse
import asyncio
import logging
import sys

from .app import SimApp
from .faults import FaultError, Faults
from .lifecycle import install_stop_signals, watch_parent
from .profiles import PROFILES, EngineProfile
from .server import SimServer

log = logging.getLogger("llmsim")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="llmserve_sim", description="vLLM-compatible engine simulator",
                                     allow_abbrev=False)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True, help="0 picks a free port (printed on startup)")
    parser.add_argument("--model", default=None, help="served model name")
    parser.add_argument("--served-model-name", nargs="+", default=None, help="served name(s); --model is then the root")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="tinyllama-a10g")
    _add_engine_flags(parser.add_argument_group("engine overrides"))
    _add_fault_flags(parser.add_argument_group("faults"))
    parser.add_argument("--parent-pid", type=int, default=None, help="exit when this process is gone")
    return parser


def _add_engine_flags(group) -> None:
    group.add_argument("--max-num-seqs", type=int)
    group.add_argument("--max-num-batched-tokens", type=int)
    group.add_argument("--num-gpu-blocks", "--num-gpu-blocks-override", dest="num_gpu_blocks", type=int)
    group.add_argument("--block-size", type=int)
    group.add_argument("--max-model-len", type=int)
    group.add_argument("--enable-prefix-caching", action=argparse.BooleanOptionalAction, default=None)
    group.add_argument("--fixed-ttft-ms", type=float, help="benchmark mode: constant time to first token")
    group.add_argument("--fixed-itl-ms", type=float, help="benchmark mode: constant inter-token latency")
    group.add_argument("--seed", type=int, default=0)


def _add_fault_flags(group) -> None:
    group.add_argument("--fault-exit-after-requests", type=int)
    group.add_argument("--fault-exit-after-seconds", type=float)
    group.add_argument("--fault-hang", action="store_true")
    group.add_argument("--fault-slow-factor", type=float)
    group.add_argument("--fault-error-rate", type=float)
    group.add_argument("--fault-unhealthy-seconds", type=float)
    group.add_argument("--fault-seed", type=int)


def engine_profile(args) -> EngineProfile:
    base = PROFILES[args.profile]
    return base.with_overrides(
        max_num_seqs=args.max_num_seqs, max_num_batched_tokens=args.max_num_batched_tokens,
        num_gpu_blocks=args.num_gpu_blocks, block_size=args.block_size, max_model_len=args.max_model_len,
        enable_prefix_caching=args.enable_prefix_caching,
        fixed_ttft_s=_seconds(args.fixed_ttft_ms), fixed_itl_s=_seconds(args.fixed_itl_ms))


def initial_faults(args) -> Faults:
    faults = Faults(seed=args.fault_seed)
    changes = {"hang": args.fault_hang or None, "slow_factor": args.fault_slow_factor,
               "error_rate": args.fault_error_rate, "exit_after_requests": args.fault_exit_after_requests,
               "exit_after_seconds": args.fault_exit_after_seconds,
               "unhealthy_seconds": args.fault_unhealthy_seconds}
    faults.update({name: value for name, value in changes.items() if value is not None})
    return faults


def served_names_and_root(args, profile: EngineProfile) -> tuple[list[str], str]:
    if args.served_model_name:
        return list(args.served_model_name), args.model or profile.model_root
    return [args.model or profile.model_root], profile.model_root


async def serve(args) -> int:
    profile = engine_profile(args)
    names, root = served_names_and_root(args, profile)
    app = SimApp(profile, names, root, initial_faults(args), seed=args.seed)
    _log_engine(profile, names)
    server = SimServer(app, args.host, args.port)
    port = await server.start()
    log.info("Starting vLLM server on http://%s:%d", args.host, port)
    log.info("Application startup complete.")
    stop = asyncio.Event()
    install_stop_signals(asyncio.get_running_loop(), stop)
    if args.parent_pid is not None:
        asyncio.get_running_loop().create_task(watch_parent(args.parent_pid, stop.set))
    await stop.wait()
    log.info("Shutting down")
    await server.stop()
    return 0


def _log_engine(profile: EngineProfile, names: list[str]) -> None:
    tokens = (profile.num_gpu_blocks - 1) * profile.block_size
    log.info("Simulating %s (profile %s) as %s", profile.model_root, profile.name, ", ".join(names))
    log.info("GPU KV cache size: %s tokens", f"{tokens:,}")
    log.info("Maximum concurrency for %s tokens per request: %.2fx", f"{profile.max_model_len:,}",
             tokens / profile.max_model_len)


def _seconds(milliseconds: float | None) -> float | None:
    return None if milliseconds is None else milliseconds / 1000.0


def _check_unknown(parser: argparse.ArgumentParser, unknown: list[str]) -> None:
    """Deployments pass vLLM engine args (--gpu-memory-utilization, --enforce-eager, …); the
    simulator has no use for them, so it says so and goes on. A mistyped fault flag is an error."""
    mistyped = [arg for arg in unknown if arg.startswith("--fault")]
    if mistyped:
        parser.error(f"unrecognized arguments: {' '.join(mistyped)}")
    if unknown:
        log.warning("Ignoring arguments the simulator does not model: %s", " ".join(unknown))


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(levelname)s: %(message)s")
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    _check_unknown(parser, unknown)
    try:
        return asyncio.run(serve(args))
    except FaultError as error:
        parser.error(str(error))
    except OSError as error:
        log.error("Cannot start: %s", error)
        return 1
    finally:
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())

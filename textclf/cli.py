"""`triage-models`: what is exported under models/, and whether it loads."""

import argparse
import json
import sys

from textclf.store import ModelLoadError, list_versions, load, models_dir

MODEL_NAMES = ("ticket-department", "chat-intent")


def _describe(name: str) -> list[str]:
    lines = []
    for number in list_versions(name):
        try:
            model = load(name, number)
        except ModelLoadError as exc:
            lines.append(f"  {number}: BROKEN - {exc}")
            continue
        tags = ", ".join(k for k, v in _aliases(name).items() if v == number)
        metrics = model.manifest.get("metrics", {})
        shown = " ".join(f"{k}={metrics[k]:.3f}" for k in ("accuracy", "macro_f1") if k in metrics)
        lines.append(
            f"  {number}: sha256 {model.sha256[:12]}  {shown}" + (f"  [{tags}]" if tags else "")
        )
    return lines or ["  (no version exported)"]


def _aliases(name: str) -> dict:
    try:
        return json.loads((models_dir() / name / "aliases.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="triage-models", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="every exported version, with its alias and metrics")
    check = sub.add_parser("check", help="exit 0 when every model's champion loads")
    check.add_argument("--quiet", action="store_true", help="print nothing when all is well")
    args = parser.parse_args(argv)

    if args.command == "list":
        for name in MODEL_NAMES:
            print(f"{name} ({models_dir() / name})")
            print("\n".join(_describe(name)))
        return 0
    failed = False
    for name in MODEL_NAMES:
        try:
            model = load(name, "champion")
        except ModelLoadError as exc:
            print(f"triage-models: {exc}", file=sys.stderr)
            failed = True
        else:
            if not args.quiet:
                print(f"{name}: champion is version {model.version} (sha256 {model.sha256[:12]}…)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""The `vnexplore` console script: engine commands, or the app when no command is given."""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    try:
        from search.cli.main import build_parser, run

        argv = sys.argv[1:] if argv is None else argv
        code = run(argv)
        if code != -1:
            return code
        args = build_parser().parse_args(argv)
        from tui.app import run_app          # imported only now: commands stay fast and headless
        return run_app(args)
    except KeyboardInterrupt:                # Ctrl+C before or after a command ran: no traceback
        return 130


if __name__ == "__main__":
    sys.exit(main())

"""`behave-tdd trace analyze`: what ran beside what, from the state tracer's files."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def run_trace_analyze(
    directory: Path, run: str | None, output_format: str, html: str | None
) -> int:
    from . import trace_analysis

    if html == "-":
        # Standard output carries the analysis; a file named "-" is never what is meant.
        print(
            "behave-tdd trace analyze: --html -: standard output carries the analysis; "
            "give the timeline a file name (--html timeline.html)",
            file=sys.stderr,
        )
        return 2
    html_file: Path | None = None
    try:
        if html is not None:  # before the work, not after it
            html_file = trace_analysis.output_path(html, "timeline.html")
            trace_analysis.check_writable(html_file)
        run_dir = trace_analysis.run_directory(directory, run)
        if html_file is not None:
            trace_analysis.check_not_a_trace_file(html_file, run_dir)
        analysis = trace_analysis.analyze(run_dir)
    except trace_analysis.TraceError as exc:
        print(f"behave-tdd trace analyze: {exc}", file=sys.stderr)
        return 2
    if output_format == "json":
        print(json.dumps(trace_analysis.as_json(analysis), indent=2))
    else:
        print(trace_analysis.as_text(analysis), end="")
    if html_file is not None:
        from .trace_timeline import render  # loaded only for --html

        try:
            trace_analysis.write_output(html_file, render(analysis))
        except trace_analysis.TraceError as exc:
            print(f"behave-tdd trace analyze: {exc}", file=sys.stderr)
            return 2
        print(f"behave-tdd trace analyze: timeline written to {html_file}", file=sys.stderr)
    return 0

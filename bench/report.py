"""bench/results/<date>.json and the Markdown table bench/results/latest.md."""
import json
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def write(result: dict) -> tuple[Path, Path]:
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M")
    json_path = RESULTS / f"{stamp}.json"
    json_path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    md_path = RESULTS / "latest.md"
    md_path.write_text(markdown(result, json_path.name))
    return json_path, md_path


def markdown(result: dict, json_name: str) -> str:
    meta = result["meta"]
    lines = [
        "# `make bench`: latest result",
        "",
        f"Run {meta['date']} on {meta['cores']} cores, {meta['learners']} learners "
        f"({meta['counts_note']}), gunicorn -w {meta['workers']} with gunicorn.conf.py, "
        f"{meta['connections']} connections, {meta['rounds']} interleaved rounds of {meta['seconds']} s per page, "
        f"GET pages loaded by {meta['get_tool']}, writes by the Python client. Commit `{meta['commit']}`. "
        f"Raw numbers: [{json_name}]({json_name}).",
        "",
        *([meta["note"], ""] if meta.get("note") else []),
        "Timings are never pass/fail; the query budgets are tests. Share of ceiling: learner pages against the "
        "template-only page, trainer and organisation pages against the 50-row join, same server settings, same run.",
        "",
    ]
    for backend, data in result["backends"].items():
        lines += [f"## {backend}", "",
                  "| page | req/s | p50 | p95 | p99 | errors | bytes (with headers) | queries | share of ceiling |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for name, row in data["pages"].items():
            share = "—" if row.get("share") is None else f"{row['share']:.3f}"
            queries = "—" if row.get("queries") is None else row["queries"]
            if row.get("status") not in (None, 200):
                name = f"{name} (status {row['status']} in-process!)"
            lines.append(f"| {name} | {row['req_s']:,} | {_ms(row['p50_ms'])} | {_ms(row['p95_ms'])} | "
                         f"{_ms(row['p99_ms'])} | {row['errors']} of {row['requests']} | "
                         f"{row['bytes_per_response']:,} | {queries} | {share} |")
        lines += ["", _cold_start_line(data["cold_start_s"]), _memory_line(data)]
        scaled = {name: row for name, row in data["pages"].items() if row.get("single_req_s")}
        if scaled:
            lines += ["", f"One client against {meta['connections']} connections (the first round):", "",
                      f"| page | 1 client: req/s | 1 client: p50 | {meta['connections']} connections: req/s | ratio |",
                      "|---|---:|---:|---:|---:|"]
            lines += [f"| {name} | {row['single_req_s']:,} | {_ms(row['single_p50_ms'])} | {row['req_s']:,} | "
                      f"{row['scaling']} |" for name, row in scaled.items()]
            lines.append("")
        if data.get("gc_freeze"):
            lines.append("- `gc.freeze()` (p95 with / without, same run): " + "; ".join(
                f"{name} {_ms(row['with_ms'])} / {_ms(row['without_ms'])} (ratio {row['ratio'] or 'n/a'})"
                for name, row in data["gc_freeze"].items()) + ".")
        two = data.get("two_instances") or {}
        if two.get("pages"):
            lines += ["", f"Two instances behind nginx (-w {two['workers_each']} each, the same workers in all) "
                          "against one instance, same run:", "",
                      "| page | one: req/s | two: req/s | two / one | one: p95 | two: p95 | errors (two) |",
                      "|---|---:|---:|---:|---:|---:|---:|"]
            for name, row in two["pages"].items():
                lines.append(f"| {name} | {row['one_req_s']:,} | {row['two_req_s']:,} | {row['ratio']} | "
                             f"{_ms(row['one_p95_ms'])} | {_ms(row['two_p95_ms'])} | {row['errors']} |")
        lines.append("")
    return "\n".join(lines)


def _cold_start_line(cold: dict) -> str:
    empty = cold.get("app_empty_template_cache")
    without = f" ({empty} s with an empty template cache)" if empty is not None else ""
    return (f"- Cold start (start → first 200, every template already compiled before it): app "
            f"{cold['app']} s{without}, ceiling {cold['ceiling']} s.")


def _memory_line(data: dict) -> str:
    rss, pss = data["rss_mb"], data.get("pss_mb")
    if not pss:
        return f"- RSS per worker after the run: app {rss['app']} MB, ceiling {rss['ceiling']} MB."
    return (f"- Memory per worker after the run, RSS (PSS: shared pages counted once across the processes): "
            f"app {rss['app']} MB ({pss['app']} MB), ceiling {rss['ceiling']} MB ({pss['ceiling']} MB).")


def _ms(value) -> str:
    """A latency, or "—" when no request finished within the round."""
    return "—" if value is None else f"{value} ms"

"""Running ctxtrail from the Python corpus tests (goker_corpus_test.py, hung_corpus_test.py)."""
import json
import subprocess


def analyze(ctxtrail, *inputs):
    """The findings of `ctxtrail analyze --format json INPUTS...`; any exit but 0 or 1 raises."""
    r = subprocess.run([ctxtrail, "analyze", "--format", "json", *inputs], capture_output=True, text=True)
    if r.returncode not in (0, 1):
        raise RuntimeError(f"exit {r.returncode}: {r.stderr.strip()}")
    return json.loads(r.stdout)["findings"]

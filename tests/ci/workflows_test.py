#!/usr/bin/env python3
"""The CI recipes of docs/ci.md, checked the two ways this machine can: each file against its
CI's own schema (check-jsonschema's bundled GitHub workflow and GitLab CI schemas, offline),
and the commands of each recipe run here on testdata/scenarios, with ctxtrail and the go test
wrapper on PATH, writing the files that the upload steps name. Also checks that the schema check
can fail, on a copy with a broken step, and that docs/ci.md quotes the files as they are.
Usage: workflows_test.py CTXTRAIL_BINARY SOURCE_DIR (run by build/venv's python, which has
check-jsonschema and ruamel.yaml: scripts/setup installs them)."""
import os
import shutil
import subprocess
import sys
import tempfile

from ruamel.yaml import YAML

ctxtrail, src = sys.argv[1], sys.argv[2]
recipes = os.path.join(src, "docs", "ci")
github, gitlab = os.path.join(recipes, "github-workflow.yml"), os.path.join(recipes, "gitlab-ci.yml")
checker = os.path.join(os.path.dirname(sys.executable), "check-jsonschema")
problems = []


def check_schema(path, schema):
    """True when check-jsonschema accepts PATH, without the network when unshare can cut it."""
    cmd = [checker, "--builtin-schema", schema, path]
    if shutil.which("unshare") and subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0:
        cmd = ["unshare", "-n"] + cmd
    out = subprocess.run(cmd, capture_output=True, text=True)
    return out.returncode == 0, out.stdout + out.stderr


def run_script(what, script, workdir, env):
    """Runs a recipe's shell lines as the CI would (bash -e), here; returns the exit code."""
    out = subprocess.run(["bash", "-e", "-c", script], cwd=workdir, env=env, capture_output=True, text=True)
    with open(os.path.join(workdir, what + ".log"), "w") as f:
        f.write(out.stdout + out.stderr)
    return out.returncode, out.stdout + out.stderr


def want_exit(text):
    """1 for gotest_leak's findings; 5 when a timing check of the scenarios (a 20 ms poller that
    must tick within 30 ms) failed on a loaded machine too, which the wrapper must then say."""
    return 5 if "never polled" in text else 1


for path, schema in ((github, "vendor.github-workflows"), (gitlab, "vendor.gitlab-ci")):
    ok, text = check_schema(path, schema)
    print(("ok" if ok else "FAIL") + f": {os.path.basename(path)} against {schema}")
    if not ok:
        problems.append(text)

# docs/ci.md quotes each file from its job on: the quote must not drift from the file.
doc = open(os.path.join(src, "docs", "ci.md")).read()
for path, start in ((github, "jobs:"), (gitlab, "ctxtrail:")):
    text = open(path).read()
    quoted = text[text.index("\n" + start) + 1:]
    print(("ok" if quoted in doc else "FAIL") + f": docs/ci.md quotes {os.path.basename(path)}")
    if quoted not in doc:
        problems.append(f"docs/ci.md does not quote {path} from '{start}' on as it is")

yaml = YAML(typ="safe")
workflow = yaml.load(open(github))
job = workflow["jobs"]["goroutine-leaks"]

# The checker catches a broken workflow: a step with both uses and run.
with tempfile.TemporaryDirectory() as tmp:
    broken = os.path.join(tmp, "broken.yml")
    job_copy = dict(job, steps=job["steps"] + [{"uses": "actions/checkout@v5", "run": "true"}])
    YAML().dump(dict(workflow, jobs={"goroutine-leaks": job_copy}), open(broken, "w"))
    ok, _ = check_schema(broken, "vendor.github-workflows")
    print(("FAIL" if ok else "ok") + ": a step with both uses and run is rejected")
    if ok:
        problems.append("the schema check accepted a broken workflow")

# Run the recipes' commands here: ctxtrail and the wrapper on PATH, as the package installs them.
with tempfile.TemporaryDirectory() as tmp:
    bindir = os.path.join(tmp, "bin")
    os.mkdir(bindir)
    os.symlink(os.path.abspath(ctxtrail), os.path.join(bindir, "ctxtrail"))
    os.symlink(os.path.join(src, "contrib", "ctxtrail-go-test"), os.path.join(bindir, "ctxtrail-go-test"))
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ["PATH"])
    # Only the go test scenarios: the rest of testdata/scenarios are programs without tests.
    module = os.path.join(tmp, "module")
    shutil.copytree(os.path.join(src, "testdata", "scenarios"), module,
                    ignore=lambda d, names: [n for n in names if d.endswith("scenarios") and n not in
                                             ("go.mod", "go.sum", "gotest_leak", "gotest_leak_clean")])

    steps = {s.get("name"): s for s in job["steps"]}
    env["GITHUB_OUTPUT"] = os.path.join(tmp, "github_output")
    # The step as written but for -race: compiling the runtime and the scenarios for the race
    # detector on a fresh machine takes minutes of CI and tests nothing of the recipe.
    script = steps["Test with traces"]["run"]
    assert " -race " in script
    rc, text = run_script("github", script.replace(" -race ", " "), module, env)
    sarif = os.path.join(module, steps["Upload to code scanning"]["with"]["sarif_file"])
    output = open(env["GITHUB_OUTPUT"]).read().split()
    if rc != 0 or output[-1] != f"exit={want_exit(text)}" or not os.path.getsize(sarif):
        problems.append(f"GitHub step: exit {rc}, {output}, {sarif}:\n{text}")
    else:
        print(f"ok: GitHub step wrote {output[-1]} and the SARIF file it uploads")

    gl = yaml.load(open(gitlab))["ctxtrail"]
    for name in os.listdir(module):
        if name.endswith(".sarif"):
            os.remove(os.path.join(module, name))
    rc, text = run_script("gitlab", "\n".join(gl["script"]), module, env)
    report = os.path.join(module, gl["artifacts"]["reports"]["codequality"])
    if rc != want_exit(text) or not os.path.exists(report) or '"check_name": "leaked-goroutine"' not in open(report).read():
        problems.append(f"GitLab script: exit {rc}, {report}:\n{text}")
    else:
        print(f"ok: GitLab script exited {rc} with the code-quality report it declares")

for p in problems:
    print("FAIL:", p)
sys.exit(1 if problems else 0)

"""Make the Terraform plan JSON fixtures: a real offline `terraform plan` of each check's
`tests/fixtures/<ID>/{bad,good}.tf`, written to `tests/fixtures_plan/<ID>/<kind>.plan.json`.

    python tests/tools/make_plans.py            # only fixtures whose .tf changed or that have no plan
    python tests/tools/make_plans.py --force    # all of them
    python tests/tools/make_plans.py AZ001 NET006

How (one terraform run for every fixture, so it takes about a minute, not one per file):
* each fixture is copied into its own module directory of one root configuration, called as
  `module "<ID>_<kind>"`; a variable without a default gets a value Terraform only knows
  after apply (from a `terraform_data` resource), as an HCL scan sees it: Unknown;
* the root holds an `aws` provider with mock keys, no credential or account lookups, region
  us-east-1, and its EC2 endpoint pointed at a stand-in served by this script that answers
  `DescribeAvailabilityZones` with us-east-1a/b/c (what archreview's HCL loader assumes for
  `data "aws_availability_zones"`); the provider comes from the filesystem mirror
  (`TF_CLI_CONFIG_FILE`), nothing is downloaded;
* `terraform init`, `plan -refresh=false`, `show -json`; a fixture whose module terraform
  rejects (an argument the provider does not know, a data source that needs AWS) is taken
  out and recorded with terraform's reason, and the plan is made again without it;
* the plan is split per module: each fixture's part becomes a plan of its own, re-rooted
  (addresses lose the `module.<ID>_<kind>.` prefix; the module's configuration becomes the
  root module), so each fixture is its own stack, as when its .tf is scanned alone.

`tests/fixtures_plan/MANIFEST.json` records, per fixture, the sha256 of the .tf the plan was
made from (or why there is no plan). `tests/test_format_parity.py` fails on a stale entry.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
OUT = REPO / "tests" / "fixtures_plan"
MANIFEST = OUT / "MANIFEST.json"
MIRROR = Path(os.environ.get("ARCHREVIEW_TF_MIRROR", "/opt/tf-plugins"))
REGION = "us-east-1"
ZONES = [f"{REGION}{c}" for c in "abc"]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def wanted(only: list[str]) -> list[tuple[str, str, Path]]:
    """(check id, kind, .tf) for every check that serves Terraform plans."""
    sys.path.insert(0, str(REPO))
    from archreview import registry

    out = []
    for check in registry.discover().values():
        if "tfplan" not in check.formats or (only and check.id not in only):
            continue
        for kind in ("bad", "good"):
            tf = FIXTURES / check.id / f"{kind}.tf"
            if tf.is_file():
                out.append((check.id, kind, tf))
    return out


# ---- a stand-in EC2 endpoint: DescribeAvailabilityZones only --------------------------------

class _Ec2(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (http.server's spelling)
        from urllib.parse import parse_qs

        body = parse_qs(self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode())
        action = body.get("Action", [""])[0]
        if action == "DescribeAvailabilityZones":
            items = "".join(
                f"<item><zoneName>{z}</zoneName><zoneState>available</zoneState><regionName>{REGION}</regionName>"
                f"<zoneId>use1-az{i + 1}</zoneId><zoneType>availability-zone</zoneType><groupName>{REGION}</groupName>"
                f"<networkBorderGroup>{REGION}</networkBorderGroup><optInStatus>opt-in-not-required</optInStatus></item>"
                for i, z in enumerate(ZONES))
            self._answer(action, f"<availabilityZoneInfo>{items}</availabilityZoneInfo>")
        elif action == "DescribeSecurityGroups":
            # `data "aws_security_group"` looked up by name: an existing group of that name
            # (with no rules) in an existing VPC, as in the account the fixture imagines
            names = [v[0] for k, v in body.items() if k.startswith("Filter.") and k.endswith(".Value.1")]
            name = html.escape(names[0] if names else "existing")
            gid = "sg-" + hashlib.sha256(name.encode()).hexdigest()[:17]
            self._answer(action, "<securityGroupInfo><item><ownerId>123456789012</ownerId>"
                                 f"<groupId>{gid}</groupId><groupName>{name}</groupName>"
                                 "<groupDescription>existing</groupDescription><vpcId>vpc-0a1b2c3d4e5f60718</vpcId>"
                                 "<ipPermissions/><ipPermissionsEgress/><tagSet/></item></securityGroupInfo>")
        else:
            self.send_response(400)
            self.end_headers()
            self.wfile.write(b"<Response><Errors><Error><Code>Unsupported</Code><Message>only "
                             b"DescribeAvailabilityZones and DescribeSecurityGroups are stood in for"
                             b"</Message></Error></Errors></Response>")

    def _answer(self, action: str, inner: str) -> None:
        xml = (f'<?xml version="1.0" encoding="UTF-8"?><{action}Response '
               'xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>stand-in</requestId>'
               f"{inner}</{action}Response>")
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.end_headers()
        self.wfile.write(xml.encode())

    def log_message(self, *args: Any) -> None:
        pass


# ---- the root configuration --------------------------------------------------------------

def _required_variables(tf: Path) -> dict[str, str]:
    """name -> type text of every variable without a default (fixtures are small and plain:
    a brace count finds each `variable` block; python-hcl2 cannot read every heredoc here)."""
    text = tf.read_text()
    out = {}
    for m in re.finditer(r'^variable\s+"([^"]+)"\s*\{', text, re.M):
        depth, i = 1, m.end()
        while depth and i < len(text):
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        body = text[m.end():i - 1]
        if not re.search(r"^\s*default\s*=", body, re.M):
            t = re.search(r"^\s*type\s*=\s*(\S+)", body, re.M)
            out[m.group(1)] = t.group(1) if t else "string"
    return out


def _unknown_of(type_text: str) -> str:
    t = type_text.replace("${", "").replace("}", "")
    if t.startswith("number"):
        return "length(terraform_data.unknown.id)"
    if t.startswith("bool"):
        return 'terraform_data.unknown.id == "x"'
    if t.startswith(("list", "set", "tuple")):
        return "[terraform_data.unknown.id]"
    if t.startswith(("map", "object")):
        return "{ unknown = terraform_data.unknown.id }"
    return "terraform_data.unknown.id"


_MOCK_SETTINGS = """
  access_key                  = "mock_access_key"
  secret_key                  = "mock_secret_key"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  endpoints {{
    ec2 = "http://127.0.0.1:{port}"
  }}"""


def _offline_providers(text: str, port: int) -> str:
    """A fixture's own `provider "aws"` block given the root's mock credentials and stand-in
    endpoint (its region and other settings kept): the plan needs no account. Resource
    addresses and values are unchanged; the plan records no source lines."""
    return re.sub(r'^(provider\s+"aws"\s*\{)[ \t]*$', lambda m: m.group(1) + _MOCK_SETTINGS.format(port=port),
                  text, flags=re.M)


def _root(work: Path, items: list[tuple[str, str, Path]], port: int) -> dict[str, str]:
    calls = []
    names = {}
    for check_id, kind, tf in items:
        name = f"{check_id}_{kind}"
        names[name] = f"{check_id}/{kind}"
        (work / name).mkdir()
        (work / name / "main.tf").write_text(_offline_providers(tf.read_text(), port))
        args = "".join(f"\n  {v} = {_unknown_of(t)}" for v, t in _required_variables(tf).items())
        calls.append(f'module "{name}" {{\n  source = "./{name}"{args}\n}}\n')
    (work / "root.tf").write_text(f'''provider "aws" {{
  region                      = "{REGION}"{_MOCK_SETTINGS.format(port=port)}
}}

resource "terraform_data" "unknown" {{
  input = "known only after apply"
}}

''' + "\n".join(calls))
    return names


def _terraform(work: Path, env: dict[str, str], *args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run(["terraform", *args], cwd=work, env=env, capture_output=True, text=True, timeout=timeout)


def _drop(work: Path, name: str) -> None:
    root = work / "root.tf"
    text = root.read_text()
    root.write_text(re.sub(rf'module "{re.escape(name)}" \{{.*?\n\}}\n', "", text, flags=re.S))


def _failing_modules(stderr: str, names: dict[str, str]) -> dict[str, str]:
    """module name -> first line of terraform's reason, from a failed init/plan."""
    out: dict[str, str] = {}
    for chunk in re.split(r"\n(?=Error: )", stderr):
        if not chunk.startswith("Error: "):
            continue
        summary = chunk.splitlines()[0][len("Error: "):].strip()
        for m in re.finditer(r"module\.(\w+)|\./(\w+)/main\.tf|on (\w+)/main\.tf", chunk):
            name = next(g for g in m.groups() if g)
            if name in names:
                out.setdefault(name, summary)
    return out


# ---- splitting the plan per module ------------------------------------------------------

def _strip(address: str, prefix: str) -> str:
    return address[len(prefix):] if address.startswith(prefix) else address


def _reroot_planned(module: dict[str, Any], prefix: str) -> dict[str, Any]:
    out = dict(module)
    out.pop("address", None)
    out["resources"] = [{**r, "address": _strip(r["address"], prefix)} for r in module.get("resources", [])]
    children = []
    for child in module.get("child_modules", []):
        c = _reroot_child(child, prefix)
        children.append(c)
    if children:
        out["child_modules"] = children
    return out


def _reroot_child(module: dict[str, Any], prefix: str) -> dict[str, Any]:
    out = dict(module)
    out["address"] = _strip(module["address"], prefix)
    out["resources"] = [{**r, "address": _strip(r["address"], prefix)} for r in module.get("resources", [])]
    if module.get("child_modules"):
        out["child_modules"] = [_reroot_child(c, prefix) for c in module["child_modules"]]
    return out


def split(plan: dict[str, Any], name: str) -> dict[str, Any]:
    """The part of `plan` that module `name` plans, as a plan of its own."""
    prefix = f"module.{name}."
    planned = next((m for m in plan["planned_values"]["root_module"].get("child_modules", [])
                    if m.get("address") == f"module.{name}"), {"resources": []})
    changes = []
    for rc in plan.get("resource_changes", []):
        if not rc["address"].startswith(prefix):
            continue
        rc = {**rc, "address": _strip(rc["address"], prefix)}
        module_address = _strip(rc.get("module_address", "") + ".", prefix).rstrip(".")
        if module_address and module_address != f"module.{name}":
            rc["module_address"] = module_address
        else:
            rc.pop("module_address", None)
        changes.append(rc)
    call = plan["configuration"]["root_module"]["module_calls"][name]
    providers = {}
    for key, cfg in plan["configuration"].get("provider_config", {}).items():
        if cfg.get("module_address") == f"module.{name}":
            cfg = {k: v for k, v in cfg.items() if k != "module_address"}
            providers[key.split(":", 1)[-1]] = cfg
    out = {
        "format_version": plan.get("format_version"),
        "terraform_version": plan.get("terraform_version"),
        "planned_values": {"root_module": _reroot_planned(planned, prefix)},
        "resource_changes": changes,
        "configuration": {"root_module": call["module"], **({"provider_config": providers} if providers else {})},
    }
    return out


# ---- main ---------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checks", nargs="*", help="only these check ids")
    parser.add_argument("--force", action="store_true", help="remake plans that are up to date too")
    args = parser.parse_args(argv)
    if shutil.which("terraform") is None or not MIRROR.is_dir():
        print(f"make_plans: needs terraform on PATH and the provider mirror at {MIRROR}", file=sys.stderr)
        return 2
    manifest: dict[str, Any] = json.loads(MANIFEST.read_text()) if MANIFEST.is_file() else {}
    entries: dict[str, Any] = manifest.get("fixtures", {})
    items = [(c, k, tf) for c, k, tf in wanted(args.checks)
             if args.force or entries.get(f"{c}/{k}", {}).get("sha256") != sha256(tf)]
    if not items:
        print("make_plans: every plan is up to date")
        return 0

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Ec2)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory(prefix="archreview-plans-") as tmp:
        work = Path(tmp) / "root"
        work.mkdir()
        cli = Path(tmp) / "cli.tfrc"
        cache = Path(tmp) / "plugin-cache"
        cache.mkdir()
        cli.write_text(f'provider_installation {{\n  filesystem_mirror {{\n    path = "{MIRROR}"\n  }}\n}}\n'
                       f'plugin_cache_dir = "{cache}"\n')
        env = {**os.environ, "TF_CLI_CONFIG_FILE": str(cli), "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1",
               "TF_INPUT": "0"}
        names = _root(work, items, server.server_address[1])
        failed: dict[str, str] = {}
        for _attempt in range(1 + len(names)):
            done = _terraform(work, env, "init", "-input=false", "-no-color")
            if done.returncode == 0:
                done = _terraform(work, env, "plan", "-refresh=false", "-input=false", "-no-color", "-out=p.tfplan")
            if done.returncode == 0:
                break
            bad = {n: why for n, why in _failing_modules(done.stderr, names).items() if n not in failed}
            for provider in re.findall(r"provider registry\.terraform\.io/\w+/(\w+) was not\s+found", done.stderr):
                for name in names:
                    text = (work / name / "main.tf").read_text() if name not in failed else ""
                    if re.search(rf'(resource|data)\s+"{provider}_|provider\s+"{provider}"', text):
                        bad.setdefault(name, f"provider {provider} is not in the offline mirror")
            if not bad:
                print(done.stderr, file=sys.stderr)
                return 1
            for name, why in bad.items():
                print(f"make_plans: {names[name]}: terraform rejects it: {why}", file=sys.stderr)
                failed[name] = why
                _drop(work, name)
                shutil.rmtree(work / name)
        shown = _terraform(work, env, "show", "-json", "p.tfplan")
        if shown.returncode:
            print(shown.stderr, file=sys.stderr)
            return 1
        plan = json.loads(shown.stdout)
    server.shutdown()

    version = plan.get("terraform_version")
    for check_id, kind, tf in items:
        name = f"{check_id}_{kind}"
        target = OUT / check_id / f"{kind}.plan.json"
        entry: dict[str, Any] = {"source": tf.relative_to(REPO).as_posix(), "sha256": sha256(tf)}
        if name in failed:
            entry["no_plan"] = f"terraform rejects it: {failed[name]}"
            target.unlink(missing_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(split(plan, name), indent=1, sort_keys=True) + "\n")
            entry["plan"] = target.relative_to(OUT).as_posix()
        entries[f"{check_id}/{kind}"] = entry
    manifest = {"terraform_version": version, "provider": "registry.terraform.io/hashicorp/aws (filesystem mirror)",
                "made_by": "tests/tools/make_plans.py", "fixtures": dict(sorted(entries.items()))}
    MANIFEST.write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"make_plans: {len(items) - len(failed)} plans written, {len(failed)} fixtures terraform rejects")
    return 0


if __name__ == "__main__":
    sys.exit(main())

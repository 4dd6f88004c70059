"""What a name or a tag says about a resource: which environment it belongs to (production,
or dev/test/staging) and which role it plays (a bastion or jump host).

The one place checks read names for meaning: DR011 (production load balancers), NET011 and
AZ013 (access hosts), grading's lone-instance evidence, and the cost-efficiency checks (non-production stacks, upload
buckets, queue workers) all ask here, so a word pattern is written once.
"""

from __future__ import annotations

import re

from archreview.model import Resource
from archreview.views import facet


def words(label: str) -> str:
    """`CustomerUploadsBucket` as `Customer-Uploads-Bucket`, so names and CloudFormation or CDK
    logical ids match the same word patterns."""
    return re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", label)


# an environment value (a tag, an input's default, a folder) naming production...
PRODUCTION = re.compile(r"^(?:prod|production|prd|live)$", re.I)
# ...a name with a production part (`orders-prod-alb`, `prod/api`)
PRODUCTION_PART = re.compile(r"(?:^|[-_./])(?:prod|production|prd)(?:$|[-_./])", re.I)
# any mention of production (an input's AllowedValues that include it)
PROD = re.compile(r"prod", re.I)
# an environment value naming something else
NONPROD = re.compile(r"^(dev|develop|development|test|testing|qa|sandbox|sbx|nonprod|non-prod|staging|stage|stg|demo"
                     r"|preview|playground|experiment)$", re.I)
# inputs (parameters, variables) and tags that name the environment
ENV_NAME = re.compile(r"^(env|environment|stage|stage_?name|env_?name|environment_?name|deployment_?stage)$", re.I)
ENV_TAGS = ("environment", "env", "stage", "tier")
# a host people log in through on purpose
ACCESS_HOST = re.compile(r"bastion|jump[-_ ]?(?:box|host|server)?\b|jumpbox", re.I)


def production_evidence(res: Resource) -> str | None:
    """Why a resource is taken for production: an environment tag, its name, or a folder
    of its file named for production (None when nothing says so)."""
    tags = facet(res, "tags")
    for key, value in (tags.items() if isinstance(tags, dict) else ()):
        if isinstance(key, str) and key.lower() in ENV_TAGS and isinstance(value, str) and PRODUCTION.match(value):
            return f"tag {key} = {value}"
    name = facet(res, "name")
    if isinstance(name, str) and PRODUCTION_PART.search(name):
        return f"name {name}"
    folders = res.location.file.replace("\\", "/").split("/")[:-1]
    if any(PRODUCTION.match(f) for f in folders):
        return f"file {res.location.file}"
    return None


def is_access_host(res: Resource) -> bool:
    """A bastion or jump host by its address or `Name` tag: reachable on purpose."""
    return bool(ACCESS_HOST.search(f"{res.address} {facet(res, 'name_tag') or ''}"))

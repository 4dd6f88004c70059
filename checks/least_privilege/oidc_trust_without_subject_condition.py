from __future__ import annotations

import re
from typing import Any, Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Resource, Severity
from archreview.views import facet

from ._policies import Doc, trust_statements

GITHUB = "token.actions.githubusercontent.com"
# Issuers shared by every customer of the service: without a `sub` condition, anybody's
# pipeline can present a valid token. (Per-organisation issuers such as CircleCI's
# `oidc.circleci.com/org/<id>` already scope the trust to one organisation.)
GLOBAL_ISSUERS = {GITHUB: "any GitHub repository's workflows", "gitlab.com": "any GitLab.com project's pipelines",
                  "app.terraform.io": "any Terraform Cloud workspace"}
_EKS = re.compile(r"^oidc\.eks\.[a-z0-9-]+\.amazonaws\.com/id/")
_PLACEHOLDER = re.compile(r"^\$\{([^}]+)\}$")


def _provider_host(ctx: Context, role: Resource, value: str) -> str | None:
    """The OIDC issuer host a Federated principal names: from an ARN
    (`...:oidc-provider/token.actions.githubusercontent.com`) or a reference to an OIDC
    provider resource in the stack. None for SAML, Cognito or anything unknown."""
    if ":oidc-provider/" in value and "${" not in value.split(":oidc-provider/", 1)[1]:
        return value.split(":oidc-provider/", 1)[1].strip("/")
    m = _PLACEHOLDER.match(value)
    if m:
        inner = m.group(1)
        while inner:                    # `${Provider.Arn}`, `${aws_iam_openid_connect_provider.gh.arn}`
            target = ctx.graph.resolve(role, _ref(inner), ("iam_oidc_provider",))
            if target is not None:
                url = facet(target, "url")
                if isinstance(url, str) and url:
                    return re.sub(r"^https://", "", url).strip("/")
                return None
            inner = inner.rsplit(".", 1)[0] if "." in inner else ""
    if value == GITHUB:
        return GITHUB
    return None


def _ref(address: str) -> Any:
    from archreview.model import Ref
    return Ref(address)


def _subject_values(st: Any, host: str) -> list[str] | None:
    """The values the `<host>:sub` condition allows; None when there is no such condition."""
    found: list[str] | None = None
    for _op, body in (st.conditions or {}).items():
        if not isinstance(body, dict):
            return []                               # unresolved: assume it restricts
        for key, values in body.items():
            if str(key).lower() == f"{host}:sub".lower():
                found = (found or []) + [str(v) for v in (values if isinstance(values, list) else [values])]
    return found


def _too_wide(subjects: list[str]) -> bool:
    """`*`, `repo:*` or `repo:*/*`: every repository on GitHub."""
    return any(re.fullmatch(r"\*|repo:\*(?:/\*)?(?::\*)?", s.strip()) for s in subjects)


class OidcTrustWithoutSubjectCondition(Check):
    """Flags a role trusted by a web-identity (OIDC) provider, such as GitHub Actions or an
    EKS cluster, whose trust policy does not pin the token's subject (`<issuer>:sub`).

    With GitHub's issuer (`token.actions.githubusercontent.com`) and no `sub` condition,
    or one matching `repo:*`, any workflow in any GitHub repository in the world can
    assume the role; the same holds for GitLab.com and Terraform Cloud. For an EKS
    cluster's issuer, any service account in the cluster can. An audience (`aud`)
    condition alone does not help: it is the same for everybody. Per-organisation issuers
    (CircleCI's `oidc.circleci.com/org/<id>`), SAML and Cognito federation are not judged.

    ## Why is this bad?
    OIDC federation removes long-lived keys, but the trust policy is then the only thing
    deciding which workloads may act as the role. Without a subject condition it decides
    nothing.

    ## Example
        Principal: {Federated: !Ref GithubOidcProvider}
        Action: sts:AssumeRoleWithWebIdentity
        Condition:
          StringEquals: {token.actions.githubusercontent.com:aud: sts.amazonaws.com}

    ## Use instead
        Principal: {Federated: !Ref GithubOidcProvider}
        Action: sts:AssumeRoleWithWebIdentity
        Condition:
          StringEquals: {token.actions.githubusercontent.com:aud: sts.amazonaws.com}
          StringLike: {token.actions.githubusercontent.com:sub: "repo:my-org/my-repo:ref:refs/heads/main"}
    """

    id = "IAM010"
    name = "oidc-trust-without-subject-condition"
    severity = Severity.HIGH
    title = "OIDC-federated role does not restrict the token subject"
    kinds = ("iam_role",)
    fix = "Add a StringEquals/StringLike condition on `<issuer>:sub` naming the repository/branch or service account."
    references = ("https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for doc in trust_statements(ctx):
            st = doc.statement
            if not st.allows:
                continue
            for value in st.principals.get("Federated", ()):
                host = _provider_host(ctx, doc.source, value)
                if host is None:
                    continue
                if host not in GLOBAL_ISSUERS and not _EKS.match(host):
                    continue
                subjects = _subject_values(st, host)
                shared = host in GLOBAL_ISSUERS
                if subjects is None or (shared and _too_wide(subjects)):
                    yield self._finding(doc, host, subjects, shared)
                    break

    def _finding(self, doc: Doc, host: str, subjects: list[str] | None, shared: bool) -> Finding:
        who = GLOBAL_ISSUERS[host] if shared else "any service account in the cluster"
        return self.finding(
            doc.source, f"Role {doc.source.name} trusts {host} without a subject condition: {who} can assume it",
            at=doc.at("Condition") if doc.statement.conditions else doc.at("Principal"),
            severity=Severity.CRITICAL if shared else Severity.HIGH,
            evidence={"issuer": host, "subject_condition": subjects, "statement": doc.statement.sid or doc.statement.index})

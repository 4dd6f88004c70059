"""IAM012: a role that trusts a whole other AWS account with no ExternalId, MFA or principal condition."""
from __future__ import annotations

import re
from typing import Any, Iterator

from archreview.check import Check, Context
from archreview.checks.least_privilege._policies import literal, restricting_condition_keys, trust_statements
from archreview.model import Finding, Severity
from archreview.policy import Statement

_ACCOUNT_ROOT = re.compile(r"^(?:\d{12}|arn:aws[a-z-]*:iam::(\d{12}):root)$")


def _account(principal: str) -> str | None:
    m = _ACCOUNT_ROOT.match(principal.strip())
    if not m:
        return None
    return m.group(1) or principal.strip()


def _values(body: Any, key: str) -> list[Any]:
    out: list[Any] = []
    for _op, conds in (body or {}).items():
        if isinstance(conds, dict):
            for k, v in conds.items():
                if str(k).lower() == key:
                    out += v if isinstance(v, list) else [v]
    return out


def _weak_conditions(st: Statement) -> list[str]:
    """The condition keys that narrow the trust, minus the ones written so they do not:
    an empty sts:ExternalId, aws:MultiFactorAuthPresent false."""
    keys = [k.lower() for k in restricting_condition_keys(st)]
    out = []
    for key in dict.fromkeys(keys):
        values = _values(st.conditions, key)
        if key == "sts:externalid" and values and all(str(v).strip() == "" for v in values):
            continue
        if key == "aws:multifactorauthpresent" and values and all(str(v).lower() == "false" for v in values):
            continue
        out.append(key)
    return out


class CrossAccountTrustWithoutCondition(Check):
    """Flags a role trust policy that lets a whole other AWS account assume the role
    (`Principal: {AWS: "123456789012"}` or `arn:aws:iam::123456789012:root`) with no
    condition that narrows who in that account may do so: a non-empty `sts:ExternalId`
    (third parties), `aws:MultiFactorAuthPresent: true` or `aws:MultiFactorAuthAge`
    (people), `aws:PrincipalArn`, `aws:PrincipalOrgID`... An `sts:ExternalId` that is
    empty and `aws:MultiFactorAuthPresent: false` do not count.

    Trusting one named role or user of another account (`arn:aws:iam::123456789012:role/ci`)
    is not flagged: that is the recommended shape. Account ids written as references or
    `${AWS::AccountId}` (the stack's own account) are not literal and not judged.

    ## Why is this bad?
    Trusting an account root delegates the decision to every administrator of that
    account: any of their users or roles with `sts:AssumeRole` on `*` gets in. For a
    vendor account the missing external id opens the confused-deputy hole (another customer
    of the vendor can point it at your role); for people, the missing MFA condition makes
    a leaked access key enough.

    ## Example
        AssumeRolePolicyDocument:
          Statement:
            - Effect: Allow
              Principal: {AWS: "arn:aws:iam::210987654321:root"}
              Action: sts:AssumeRole

    ## Use instead
        AssumeRolePolicyDocument:
          Statement:
            - Effect: Allow
              Principal: {AWS: "arn:aws:iam::210987654321:root"}
              Action: sts:AssumeRole
              Condition:
                StringEquals: {sts:ExternalId: "vendor-issued-external-id"}
    """

    id = "IAM012"
    name = "cross-account-trust-without-condition"
    severity = Severity.MEDIUM
    title = "Role trusts a whole other AWS account with no ExternalId, MFA or principal condition"
    kinds = ("iam_role",)
    fix = ("Trust a named role of the other account, or add a condition: sts:ExternalId for a third party, "
           "aws:MultiFactorAuthPresent: true for people, aws:PrincipalArn / aws:PrincipalOrgID otherwise.")
    references = ("https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html",
                  "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html")

    def run(self, ctx: Context) -> Iterator[Finding]:
        for doc in trust_statements(ctx):
            st = doc.statement
            if not st.allows or not any(a.lower() in ("sts:assumerole", "sts:*", "*") for a in literal(st.actions)):
                continue
            accounts = [a for a in (_account(p) for p in literal(st.principals.get("AWS", ()))) if a]
            if not accounts or _weak_conditions(st):
                continue
            yield self.finding(
                doc.source, f"Role {doc.source.name} can be assumed by any principal of account"
                            f"{'s' if len(accounts) > 1 else ''} {', '.join(accounts)} with no ExternalId, MFA "
                            f"or principal condition",
                at=doc.at("Principal"),
                evidence={"accounts": accounts, "statement": st.sid or st.index,
                          "condition_keys": [str(k) for k in (st.conditions or {})]})

from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity

from ._policies import is_public_principal, restricting_condition_keys, trust_statements


class PublicPrincipalInTrustPolicy(Check):
    """Flags a role whose trust policy lets any principal (`Principal: "*"` or
    `{AWS: "*"}`) assume it, with no condition naming who. An Allow with `NotPrincipal`
    (everyone except the listed principals) is the same thing written backwards.

    A condition on `aws:PrincipalOrgID`, `aws:PrincipalArn`, `aws:SourceAccount`,
    `sts:ExternalId` or similar narrows the principal and is accepted; conditions on
    transport, region or time are not a restriction. AWS service principals and named
    accounts are fine.

    ## Why is this bad?
    `Principal: "*"` in a trust policy means any AWS account in the world can call
    `sts:AssumeRole` on this role and act with its permissions.

    ## Example
        AssumeRolePolicyDocument:
          Statement:
            - Effect: Allow
              Principal: {AWS: "*"}
              Action: sts:AssumeRole

    ## Use instead
        AssumeRolePolicyDocument:
          Statement:
            - Effect: Allow
              Principal: {AWS: arn:aws:iam::111122223333:role/deployer}
              Action: sts:AssumeRole
    """

    id = "IAM006"
    name = "public-principal-in-trust-policy"
    severity = Severity.CRITICAL
    title = "Role can be assumed by any AWS principal"
    kinds = ("iam_role",)
    fix = "Name the accounts or roles allowed to assume the role, or add an aws:PrincipalOrgID / sts:ExternalId condition."
    references = ("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for doc in trust_statements(ctx):
            st = doc.statement
            if st.allows and st.not_principals and not restricting_condition_keys(st):
                yield self.finding(
                    doc.source, f"Role {doc.source.name} can be assumed by every principal except the ones its "
                                f"NotPrincipal lists, with no condition",
                    at=doc.at("NotPrincipal"),
                    evidence={"statement": st.sid or st.index, "not_principal": {k: list(v) for k, v in
                                                                                 st.not_principals.items()},
                              "actions": list(st.actions)})
                continue
            if st.allows and is_public_principal(st) and not restricting_condition_keys(st):
                yield self.finding(
                    doc.source, f"Role {doc.source.name} can be assumed by any AWS principal ('*') with no condition",
                    at=doc.at("Principal"),
                    evidence={"statement": st.sid or st.index, "principal": "*", "actions": list(st.actions),
                              "condition_keys": list(st.conditions) if st.conditions else []})

"""IAM015: Allow statements written with NotResource."""
from __future__ import annotations

from itertools import chain
from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity

from ._policies import identity_statements, literal, resource_statements


class AllowWithNotResource(Check):
    """Flags an Allow statement written with `NotResource`: it grants its actions on every
    resource of every account the principal can reach except the few it lists, including
    every resource created later. `Deny` + `NotResource` (deny everywhere but a named
    resource) is fine and not flagged; so is a `NotResource` list that cannot be resolved.

    ## Why is this bad?
    An allow-list of resources is readable and stays small; a deny-list grows stale the
    moment a new bucket, table or key appears, which the statement then silently covers.
    Reviewers routinely misread NotResource as "only these".

    ## Example
        Statement:
          - Effect: Allow
            Action: s3:GetObject
            NotResource: arn:aws:s3:::payroll/*

    ## Use instead
        Statement:
          - Effect: Allow
            Action: s3:GetObject
            Resource: arn:aws:s3:::reports/*
    """

    id = "IAM015"
    name = "allow-with-not-resource"
    severity = Severity.MEDIUM
    title = "Allow statement uses NotResource"
    kinds = ("iam_role", "iam_user", "iam_group", "iam_policy")
    fix = "Name the resources the statement allows (Resource) instead of the ones it excludes (NotResource)."
    references = ("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for doc in chain(identity_statements(ctx), resource_statements(ctx)):
            st = doc.statement
            excluded = literal(st.not_resources)
            if not st.allows or not st.not_resources or len(excluded) != len(st.not_resources):
                continue
            yield self.finding(
                doc.source,
                f"{doc.label[:1].upper() + doc.label[1:]} allows its actions on every resource except "
                f"{', '.join(excluded[:3])}{'…' if len(excluded) > 3 else ''}",
                at=doc.at("NotResource"),
                evidence={"policy": doc.policy_name, "statement": st.sid or st.index, "not_resource": excluded,
                          "actions": list(st.actions)})

"""Settings that are not resources: CFN parameters, Terraform variables and provider blocks.

Loaders put these in `Stack.settings` with kind `parameter`, `output` (CloudFormation Outputs and
the Terraform root module's outputs), `variable` or `provider`.
"""

from __future__ import annotations

from archreview.views import B, Kind, L, S

KINDS = [
    Kind("parameter", cfn=("cfn_parameter",), role="other", facets={
        "default": S(("Default",), None),
        "no_echo": B(("NoEcho",), None, default=False),
        "type": S(("Type",), None),
    }),
    Kind("output", cfn=("cfn_output",), tf=("tf_output",), role="other", facets={
        "value": S(("Value",), ("value",)),
        # CloudFormation outputs cannot be hidden; Terraform's `sensitive = true` hides one
        "sensitive": B(None, ("sensitive",), default=False),
        # what a Terraform output's expression reads and calls, as written
        "references": L(None, ("references",)),
        "calls": L(None, ("calls",)),
    }),
    Kind("variable", tf=("tf_variable",), role="other", facets={
        "default": S(None, ("default",)),
        # what the scan evaluated it to: --var, tfvars, a module input, else the default
        "value": S(None, ("value",)),
        "sensitive": B(None, ("sensitive",), default=False),
    }),
    Kind("provider", tf=("tf_provider",), role="other", facets={
        "region": S(None, ("region",)),
        "access_key": S(None, ("access_key",)),
        "secret_key": S(None, ("secret_key",)),
        "token": S(None, ("token",)),
    }),
]

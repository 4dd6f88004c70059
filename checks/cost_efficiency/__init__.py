"""Checks for the cost-efficiency criterion: what a senior reviewer says about the bill beyond
data egress. Every finding carries a monthly estimate from `archreview/data/prices.json`
(through `archreview.cost`) and a severity that scales with the money at stake."""

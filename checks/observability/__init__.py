"""Checks for the observability criterion: failure handling of asynchronous consumers (DLQs,
on-failure destinations), alarms on them, logs (flow, access, API, database), tracing and
the audit trail.

Scope rules: whole-account concerns (CloudTrail) only fire when the scan is a complete
environment (a VPC with an internet gateway and workloads), never on a three-resource stack;
consumers are judged only when the stack shows who consumes what (a Lambda permission for
an asynchronous service, an event-source mapping).
"""

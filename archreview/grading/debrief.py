"""Debrief questions: what to ask the candidate in the follow-up interview.

Three to six questions tailored to the submission, in this order:

* if it cannot deploy, how they tested it;
* one per serious gap: the worst findings of distinct checks (critical and high; mediums
  when there is nothing worse), each naming the resource and asking what happens and what
  they would change;
* one per criterion the submission gave no chance to show (at most two), asking how they
  would approach it;
* one on the best thing they did, asking why they chose it.

Questions cite the file and line they are about, so the interviewer can open the code.
Criteria without a template of their own (a criterion added later, such as
`cost-efficiency`) get a generic question: every criterion in `model.CRITERIA` works.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from archreview.model import CRITERIA, Finding, Severity

if TYPE_CHECKING:                      # pragma: no cover
    from archreview.grading.score import Grade

MIN_QUESTIONS, MAX_QUESTIONS = 3, 6
MAX_GAPS, MAX_NOT_SHOWN = 3, 2


@dataclass(frozen=True, slots=True)
class Question:
    about: str                  # "deploy" | "gap" | "not-shown" | "strength" | "follow-up"
    criterion: str
    text: str
    file: str = ""
    line: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"about": self.about, "criterion": self.criterion, "question": self.text,
                "file": self.file, "line": self.line}


# criterion -> the follow-up that makes a gap a conversation (after "`res`: message.")
GAP = {
    "multi-az": "What happens to the requests it serves when that Availability Zone fails, and what would you change?",
    "private-data-stores": "Who can reach it today, from where, and how would you close that without breaking the "
                           "people or services that need it?",
    "least-privilege": "Which actions does this workload actually call, how would you find out, and what would the "
                       "policy look like then?",
    "secrets": "Where should this credential live instead, how does the application get it at run time, and how "
               "would you rotate it?",
    "egress-cost": "Roughly what does this cost a month at a terabyte of traffic, and what would you change?",
    "encryption": "What data crosses or rests here unencrypted, who could read it, and what would you change?",
    "observability": "If this failed at 3 a.m., how would anyone find out, and what would they look at first?",
    "backup-dr": "Someone deletes or corrupts this data at 4 p.m.: what can you restore, to which point in time, and "
                 "how long does it take?",
    "cost-efficiency": "What does this cost a month at the load you designed for, and what would you size or buy "
                       "differently?",
}
GAP_DEFAULT = "Why did you choose this, and what would you change before it goes to production?"

NOT_SHOWN = {
    "multi-az": "Nothing in the design runs in a VPC or holds state in one AZ. If this grew a relational database "
                "and a container service, how would you make it survive the loss of an Availability Zone?",
    "private-data-stores": "There is no data store to keep private here. If you added one, where would it sit in "
                           "the network and who would be allowed to reach it?",
    "least-privilege": "The submission defines no IAM role or policy. What identity does each part run as, and how "
                       "would you scope it?",
    "secrets": "Nothing here needs a credential yet. When it calls a third-party API or a database, where will that "
               "secret live and how will it be rotated?",
    "egress-cost": "There is no NAT, endpoint or public content to pay for yet. Where would data-transfer costs "
                   "appear as this grows, and how would you keep them down?",
    "encryption": "Nothing stores or carries data we could check for encryption. What would you encrypt, with "
                  "which keys, and who could decrypt it?",
    "observability": "There is no workload to monitor yet. What would you alarm on first, and who gets paged?",
    "backup-dr": "There is no data to back up yet. What recovery point and recovery time would the business "
                 "accept, and how would you meet them?",
    "cost-efficiency": "Nothing here decides a bill yet. As it grows, where would the money go first, and how would "
                       "you keep an eye on it?",
}
NOT_SHOWN_DEFAULT = "The submission gave no chance to show {criterion}. How would you approach it for this system?"


def questions(grade: "Grade") -> list[Question]:
    """3-6 questions for the follow-up interview (none for a submission that could not be graded)."""
    if grade.failed or grade.level is None:
        return []
    out: list[Question] = []
    if grade.deploy_problems:
        p = grade.deploy_problems[0]
        out.append(Question("deploy", "", f"The submission cannot deploy: `{p.resource}` {p.message} "
                                          f"({p.file}:{p.line}). How did you test it before sending it, and what "
                                          "would `terraform plan` or a stack deploy have told you?", p.file, p.line))
    for f in _serious(grade.findings)[:MAX_GAPS]:
        follow = GAP.get(f.criterion, GAP_DEFAULT)
        out.append(Question("gap", f.criterion, f"`{f.resource}` ({f.location.file}:{f.location.line}): "
                                                f"{_sentence(f.message)} {follow}", f.location.file, f.location.line))
    hidden = [c for c in CRITERIA if c in grade.criteria and grade.criteria[c].status == "not-shown"]
    for c in hidden[:MAX_NOT_SHOWN]:
        out.append(Question("not-shown", c, NOT_SHOWN.get(c, NOT_SHOWN_DEFAULT.format(criterion=c))))
    best = _best(grade)
    if best is not None:
        out.append(Question("strength", best.criterion, f"{_sentence(_capital(best.message))} Why did you choose "
                                                        "that, and what did it cost you in effort or money?",
                            best.file, best.line))
    if len(out) < MIN_QUESTIONS:
        out += _follow_ups(grade, MIN_QUESTIONS - len(out), {q.criterion for q in out})
    strength = [q for q in out if q.about == "strength"]
    rest = [q for q in out if q.about != "strength"][:MAX_QUESTIONS - len(strength)]
    return rest + strength


def _serious(findings: list[Finding]) -> list[Finding]:
    """The worst finding of each distinct check, one per criterion first (the interview should cover
    several topics): high and critical, or medium if nothing is worse."""
    ordered = sorted(findings, key=lambda f: (-f.severity, CRITERIA.index(f.criterion) if f.criterion in CRITERIA
                                              else len(CRITERIA), f.location.file, f.location.line))
    worst = max((f.severity for f in ordered), default=Severity.INFO)
    floor = Severity.HIGH if worst >= Severity.HIGH else Severity.MEDIUM
    candidates = [f for f in ordered if f.severity >= floor]
    out: list[Finding] = []
    for spread in (True, False):            # one per criterion first, then other checks
        for f in candidates:
            if f in out or any(o.rule_id == f.rule_id for o in out):
                continue
            if spread and any(o.criterion == f.criterion for o in out):
                continue
            out.append(f)
    return out


def _best(grade: "Grade") -> Any:
    """The strength of the best-scoring criterion (the one the rubric credits most, then criteria order)."""
    options = [(g.score or 0.0, -CRITERIA.index(c), s) for c, g in grade.criteria.items()
               if g.status == "scored" and c in CRITERIA for s in g.strengths]
    if not options:
        return None
    return max(options, key=lambda t: (t[0], t[1]))[2]


def _follow_ups(grade: "Grade", n: int, asked: set[str]) -> list[Question]:
    weakest = sorted((g.score, c) for c, g in grade.criteria.items()
                     if g.status == "scored" and g.score is not None and c not in asked)
    out = []
    for _score, c in weakest[:n]:
        crit = grade.criteria[c]
        gap = next(iter(crit.gaps), None)
        worst = sorted(crit.findings, key=lambda f: (-f.severity, f.location.file, f.location.line))
        if worst:
            f = worst[0]
            out.append(Question("follow-up", c, f"`{f.resource}` ({f.location.file}:{f.location.line}): "
                                                f"{_sentence(f.message)} {GAP.get(c, GAP_DEFAULT)}",
                                f.location.file, f.location.line))
        elif gap is not None:
            out.append(Question("follow-up", c, f"{_sentence(_capital(gap.message))} What would it take?",
                                gap.file, gap.line))
        elif not crit.strengths:
            out.append(Question("follow-up", c, f"Nothing in {c} was wrong, but nothing proved good practice "
                                                "either. What would you add with another day?"))
    while len(out) < n:
        out.append(Question("follow-up", "", "If this went to production next week, what would you change first, "
                                             "and why that?"))
    return out


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]

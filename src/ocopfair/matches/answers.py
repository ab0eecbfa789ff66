"""Each worker's recent answers to match reads, served again while nothing they were computed from has changed.

A match read ranks the whole catalogue for one demand and explains its best matches: a dozen queries and most of the
request's CPU, for an answer that changes only when the catalogue, the demand, its buyer, its fair (the weights) or
the fair's booth assignments change, or the day turns (certificates expire). One query reads the versions of all of
them (``answer_versions.py``); an answer computed under the same versions is the same answer. A worker asks for those
versions on a read, or, on PostgreSQL, relies on its change feed once it has heard every change committed before the
read began (``quick_reads.py``): either way a change is seen at once by every worker, as with the catalogue itself.
"""

from __future__ import annotations

from collections import OrderedDict
from uuid import UUID

from ocopfair.matches.schemas import MatchesRead

AnswerKey = tuple[UUID, int]
AnswerVersion = tuple[object, ...]
KEPT_ANSWERS = 4096


class MatchAnswers:
    """The last ``size`` answers by (demand, limit), each with the version it was computed under."""

    def __init__(self, size: int = KEPT_ANSWERS) -> None:
        self.size = size
        self._answers: OrderedDict[AnswerKey, tuple[AnswerVersion, MatchesRead]] = OrderedDict()

    def get(self, key: AnswerKey, version: AnswerVersion) -> MatchesRead | None:
        kept = self._answers.get(key)
        if kept is None or kept[0] != version:
            return None
        self._answers.move_to_end(key)
        return kept[1]

    def put(self, key: AnswerKey, version: AnswerVersion, answer: MatchesRead) -> None:
        self._answers[key] = (version, answer)
        self._answers.move_to_end(key)
        while len(self._answers) > self.size:
            self._answers.popitem(last=False)

"""The engine on the labelled corpus of session notes (``corpus/``, written for this project):
the issue's targets, as a reader of a redacted note would judge them. ``bench/redaction.py``
prints the same numbers by kind, against scrubadub."""

from __future__ import annotations

import pytest

from panel.redaction import redact
from tests.support.corpus import NAMES, SHAPED, read_corpus, score


@pytest.fixture(scope="module")
def result():
    notes = read_corpus()
    assert len(notes) >= 80
    return score(
        notes, lambda note: [(f.start, f.end) for f in redact(note.text, note.known).found]
    )


def test_every_shaped_identifier_in_the_corpus_is_replaced(result):
    missed = [miss for miss in result.misses if miss[1] in SHAPED]
    assert missed == []
    assert sum(result.caught[kind] for kind in SHAPED) >= 200


def test_at_least_97_percent_of_peoples_names_are_replaced(result):
    assert sum(result.caught[kind] + result.missed[kind] for kind in NAMES) >= 400
    assert result.recall(NAMES) >= 0.97, result.misses


def test_at_least_95_percent_of_the_phrases_to_keep_are_kept(result):
    assert result.kept + result.lost >= 350
    assert result.kept_share >= 0.95, result.losses

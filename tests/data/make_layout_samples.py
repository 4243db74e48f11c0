"""Writes tests/data/layout_*: a few rows of each public vote layout, from its documented columns.

Run from the repository root: .venv/bin/python tests/data/make_layout_samples.py
"""

import json
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

DATA = Path("tests/data")
BATTLES = [  # (model_a, model_b, verdict word FastChat, prompt, answer a, answer b)
    ("gpt-4", "claude-2", "model_a", "What is 2+2?", "4", "Four, I think."),
    ("claude-2", "llama-2-70b", "model_b", "Name a prime.", "Nine.", "Seven."),
    ("llama-2-70b", "gpt-4", "tie", "Say hi.", "Hi!", "Hello!"),
    ("gpt-4", "llama-2-70b", "tie (bothbad)", "Spell arena.", "arnea", "aerna"),
]


def messages(prompt, answer):
    return [{"role": "user", "content": prompt}, {"role": "assistant", "content": answer}]


# FastChat clean_battle (JSON array and Parquet)
fastchat = [
    {
        "question_id": f"q{k}",
        "model_a": a,
        "model_b": b,
        "winner": w,
        "judge": f"arena_user_{k}",
        "conversation_a": messages(p, ra),
        "conversation_b": messages(p, rb),
        "turn": 1,
        "anony": True,
        "language": "English",
        "tstamp": 1_700_000_000.5 + k,
        "is_code": False,
    }
    for k, (a, b, w, p, ra, rb) in enumerate(BATTLES)
]
(DATA / "layout_fastchat_clean_battle.json").write_text(json.dumps(fastchat, indent=2) + "\n")
pq.write_table(pa.Table.from_pylist(fastchat), DATA / "layout_fastchat_clean_battle.parquet")

# arena-human-preference-55k: prompt/response as JSON lists of strings, winner as three 0/1 columns
k55 = [
    {
        "id": 30192 + k,
        "model_a": a,
        "model_b": b,
        "prompt": json.dumps([p]),
        "response_a": json.dumps([ra]),
        "response_b": json.dumps([rb]),
        "winner_model_a": int(w == "model_a"),
        "winner_model_b": int(w == "model_b"),
        "winner_tie": int(w.startswith("tie")),
    }
    for k, (a, b, w, p, ra, rb) in enumerate(BATTLES)
]
table = pa.Table.from_pylist(k55)
pq.write_table(table, DATA / "layout_lmarena_55k.parquet")
pcsv.write_csv(table, DATA / "layout_lmarena_55k.csv")

# arena-human-preference-100k: FastChat columns, conversations as JSON strings
k100 = [
    {
        "question_id": f"{k:032x}",
        "model_a": a,
        "model_b": b,
        "winner": w,
        "judge": f"arena_user_{k}",
        "conversation_a": json.dumps(messages(p, ra)),
        "conversation_b": json.dumps(messages(p, rb)),
        "turn": 1,
        "anony": True,
        "language": "English",
        "tstamp": 1_710_000_000.25 + k,
        "is_code": False,
        "is_refusal": False,
        "dedup_tag": json.dumps({"high_freq": False, "sampled": True}),
    }
    for k, (a, b, w, p, ra, rb) in enumerate(BATTLES)
]
pq.write_table(pa.Table.from_pylist(k100), DATA / "layout_lmarena_100k.parquet")
(DATA / "layout_lmarena_100k.jsonl").write_text("".join(json.dumps(r) + "\n" for r in k100))


# arena-human-preference-140k: message content as a list of typed parts, both_bad, timestamp
def parts(prompt, answer):
    return [
        {
            "role": "user",
            "content": [{"type": "text", "text": prompt, "image": None, "mimeType": None}],
            "num_tokens": 5,
        },
        {
            "role": "assistant",
            "content": [{"type": "text", "text": answer, "image": None, "mimeType": None}],
            "num_tokens": 3,
        },
    ]


WORDS_140K = {"model_a": "model_a", "model_b": "model_b", "tie": "tie", "tie (bothbad)": "both_bad"}
k140 = [
    {
        "id": f"0195{k:04x}-aaaa",
        "model_a": a,
        "model_b": b,
        "winner": WORDS_140K[w],
        "evaluation_session_id": f"s{k}",
        "evaluation_order": 1,
        "conversation_a": parts(p, ra),
        "conversation_b": parts(p, rb),
        "language": "en",
        "is_code": False,
        "timestamp": datetime(2025, 4, 1 + k, 12, 0, tzinfo=UTC),
    }
    for k, (a, b, w, p, ra, rb) in enumerate(BATTLES)
]
pq.write_table(pa.Table.from_pylist(k140), DATA / "layout_lmarena_140k.parquet")

# arena-rank PairDataset.from_pandas columns: model_a, model_b, winner (both_bad for both bad)
pairs = [{"model_a": a, "model_b": b, "winner": WORDS_140K[w]} for a, b, w, *_ in BATTLES]
pq.write_table(pa.Table.from_pylist(pairs), DATA / "layout_arena_rank_pairs.parquet")
pcsv.write_csv(pa.Table.from_pylist(pairs), DATA / "layout_arena_rank_pairs.csv")

"""The train/test split: each row's side is fixed by its own text."""

import pandas as pd

from pipeline.prepare import draw, split


def frame(n: int, label: str = "a") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "text": [f"row number {i} of {label}" for i in range(n)],
            "intent": label,
            "language": "en",
        }
    )


def test_about_the_test_size_is_held_out_in_file_order() -> None:
    rows = frame(5000)
    train, test = split(rows, 0.2, 42)
    assert len(train) + len(test) == len(rows)
    assert abs(len(test) / len(rows) - 0.2) < 0.02
    assert test["text"].tolist() == [t for t in rows["text"] if t in set(test["text"])]
    assert not set(train["text"]) & set(test["text"])


def test_adding_rows_or_relabelling_one_moves_no_other_row() -> None:
    rows = frame(2000)
    _, before = split(rows, 0.2, 42)
    grown = pd.concat([rows, frame(500, "b")], ignore_index=True)
    grown.loc[3, "intent"] = "b"
    _, after = split(grown, 0.2, 42)
    assert set(before["text"]) <= set(after["text"])
    assert set(after["text"]) - set(before["text"]) <= set(frame(500, "b")["text"])


def test_the_seed_draws_another_split() -> None:
    rows = frame(1000)
    assert set(split(rows, 0.2, 1)[1]["text"]) != set(split(rows, 0.2, 2)[1]["text"])
    assert 0 <= draw("x", 1) < 1 and draw("x", 1) == draw("x", 1) != draw("x", 2)

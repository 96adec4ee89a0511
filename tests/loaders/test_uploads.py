"""The one upload path (loaders.uploads): hostile file names never leave the folder, an upload over
the size limit is refused before anything is written."""

from __future__ import annotations

import pytest

from graphcap.config.limits import Limits
from graphcap.errors import LoaderError
from loaders.uploads import safe_upload_name, save_upload


@pytest.mark.parametrize(
    ("given", "saved"),
    [
        ("nodes.csv", "nodes.csv"),
        ("Kunden – Müller & Söhne.xlsx", "Kunden – Müller & Söhne.xlsx"),
        ("../../../etc/cron.d/x.csv", "x.csv"),
        ("..\\..\\windows\\evil.zip", "evil.zip"),
        ("..", "upload"),
        ("", "upload"),
        (".env", "upload"),
        ("-rf.csv", "upload.csv"),
        ("a\nb.csv", "upload.csv"),
        ('x"|<>.csv', "upload.csv"),
        ("n" * 300 + ".csv", "upload.csv"),
    ],
)
def test_hostile_names_stay_inside_the_folder(tmp_path, given, saved):
    assert safe_upload_name(given) == saved
    path = save_upload(b"id,name,type\n", given, tmp_path)
    assert path.parent == tmp_path and path.name == saved and path.read_bytes() == b"id,name,type\n"


def test_an_upload_over_the_limit_is_refused_and_nothing_is_written(tmp_path):
    with pytest.raises(LoaderError, match=r"more than the limit .*max_file_bytes"):
        save_upload(b"x" * 2048, "big.csv", tmp_path, limits=Limits(max_file_bytes=1024))
    assert list(tmp_path.iterdir()) == []

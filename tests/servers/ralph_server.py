"""Start Ralph, the xAPI learning record store, for the tests: its real API and statement validation.

Run with the Python of Ralph's own virtual environment (.ci/lrs installs it):
    python ralph_server.py PORT STORE_FILE

None of Ralph's production databases installs from the package registries here, so its `mongo`
backend runs on `mongomock`, an in-memory MongoDB. Two adjustments make that work: mongomock's
client refuses the `tz_aware=None` keyword Ralph passes, and, so that a test can stop the LRS and
start it again without losing what it stored, the statements are written to STORE_FILE when the
server stops (SIGTERM) and read back when it starts.
"""

from __future__ import annotations

import os
import signal
import sys

import mongomock
import pymongo
from bson import json_util


class _Client(mongomock.MongoClient):
    def __init__(self, *args, **kwargs):
        kwargs = {key: value for key, value in kwargs.items() if value is not None}
        super().__init__(*args, **kwargs)


_SERVER_STORE = _Client()


def _shared_client(*args, **kwargs):
    """Every backend instance Ralph makes sees the same in-memory databases."""
    return _SERVER_STORE


def main() -> None:
    port, store_file = int(sys.argv[1]), sys.argv[2]
    pymongo.MongoClient = _shared_client  # type: ignore[misc,assignment]
    import ralph.backends.data.mongo as data_mongo

    data_mongo.MongoClient = _shared_client  # type: ignore[assignment]
    database = os.environ.get("RALPH_BACKENDS__LRS__MONGO__DEFAULT_DATABASE", "statements")
    collection = os.environ.get("RALPH_BACKENDS__LRS__MONGO__DEFAULT_COLLECTION", "marsha")
    target = _SERVER_STORE[database][collection]
    if os.path.exists(store_file):
        with open(store_file, encoding="utf-8") as handle:
            documents = json_util.loads(handle.read())
        if documents:
            target.insert_many(documents)

    def save() -> None:
        documents = list(target.find({}))
        tmp = store_file + ".tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(json_util.dumps(documents))
        os.replace(tmp, store_file)

    def save_and_exit(signum: int, frame: object) -> None:
        save()
        sys.exit(0)

    # uvicorn stops gracefully on SIGTERM, then raises the signal again for the handler that was
    # there before it started: this one, which writes the store out.
    signal.signal(signal.SIGTERM, save_and_exit)
    signal.signal(signal.SIGINT, save_and_exit)
    import uvicorn

    uvicorn.run("ralph.api:app", host="127.0.0.1", port=port, workers=1, log_level="warning")
    save()

if __name__ == "__main__":
    main()

"""Calls of the official Python client (meilisearch on PyPI) for the API-parity routes of issue 14.

Run against one endpoint: `python3 python_calls.py URL MASTER_KEY PREFIX`. Prints one JSON
report on stdout; test/e2e/clients/python-client.spec.ts runs it against Miroir and against one
Meilisearch node and compares the reports. Values that legitimately differ between two servers
(uids, dates, durations, key values) are left out of the report; everything a user would rely on
(statuses, counts, hits, error codes) is kept.
"""

import datetime
import json
import sys
import time

import meilisearch
from meilisearch.errors import MeilisearchApiError

URL, MASTER_KEY, PREFIX = sys.argv[1], sys.argv[2], sys.argv[3]
client = meilisearch.Client(URL, MASTER_KEY, timeout=60)
report = {}
WAIT_MS = 120_000


def wait(task_info):
    task = client.wait_for_task(task_info.task_uid, timeout_in_ms=WAIT_MS, interval_in_ms=50)
    return task


def error_of(fn):
    try:
        fn()
    except MeilisearchApiError as err:
        return {"code": err.code, "status": err.status_code}
    return None


def hits_ids(answer):
    # Sorted: the order of hits with equal scores is not part of the contract (docs/api-compatibility.md).
    return sorted(h["id"] for h in answer["hits"])


def step(name):
    def register(fn):
        try:
            report[name] = fn()
        except Exception as err:  # a failing call is part of the report, not a crash of the script
            report[name] = {"exception": type(err).__name__, "message": str(err)[:300]}
        return fn

    return register


movies = f"{PREFIX}-movies"
docs = [{"id": i, "title": f"title {i}", "genre": ["drama", "comedy", "horror"][i % 3], "year": 1990 + i % 7} for i in range(60)]


@step("documents")
def _():
    task = wait(client.index(movies).add_documents(docs, primary_key="id", metadata="load-1"))
    wait(client.index(movies).update_filterable_attributes(["genre", "year", "id"]))
    skipped = wait(client.index(movies).update_documents([{"id": 1, "seen": True}, {"id": 1000, "seen": True}], skip_creation=True))
    return {
        "status": task.status,
        "customMetadata": task.custom_metadata,
        "skipCreation": skipped.status,
        "total": client.index(movies).get_documents({"limit": 1}).total,
        "doc1000": error_of(lambda: client.index(movies).get_document(1000)),
    }


@step("search")
def _():
    answer = client.index(movies).search("title", {"filter": "genre = drama", "limit": 100, "showPerformanceDetails": True})
    return {"hits": hits_ids(answer), "total": answer["estimatedTotalHits"], "performanceDetails": isinstance(answer.get("performanceDetails"), dict)}


@step("facet_search")
def _():
    answer = client.index(movies).facet_search("genre", "dra")
    return {"facetHits": answer["facetHits"]}


@step("federated")
def _():
    answer = client.multi_search(
        [{"indexUid": movies, "q": "title", "filter": "year = 1990"}, {"indexUid": movies, "q": "title", "filter": "year = 1991"}],
        {"limit": 100, "distinct": "genre"},
    )
    return {"genres": sorted(h["genre"] for h in answer["hits"])}


@step("keys")
def _():
    key = client.create_key({"description": "python", "actions": ["search"], "indexes": [f"{PREFIX}-*"], "expiresAt": None})
    got = client.get_key(key.uid)
    updated = client.update_key(key.uid, {"name": "renamed"})
    listed = [k.uid for k in client.get_keys({"limit": 1000}).results]
    scoped = meilisearch.Client(URL, key.key, timeout=60)
    allowed = len(scoped.index(movies).search("title")["hits"])
    refused = error_of(lambda: scoped.index("elsewhere").search("title"))
    client.delete_key(key.uid)
    gone = error_of(lambda: client.get_key(key.uid))
    defaults = sorted(k.name for k in client.get_keys({"limit": 1000}).results if k.name)
    return {
        "same": got.key == key.key,
        "name": updated.name,
        "listed": key.uid in listed,
        "allowed": allowed,
        "refused": refused,
        "gone": gone,
        "defaults": defaults,
        "bad": error_of(lambda: client.create_key({"actions": ["nope"], "indexes": ["*"], "expiresAt": None})),
    }


@step("tenant_token")
def _():
    key = client.create_key({"actions": ["search"], "indexes": ["*"], "expiresAt": None})
    token = client.generate_tenant_token(
        key.uid,
        {movies: {"filter": "genre = comedy"}},
        api_key=key.key,
        expires_at=datetime.datetime.now(tz=datetime.timezone.utc) + datetime.timedelta(hours=1),
    )
    tenant = meilisearch.Client(URL, token, timeout=60)
    answer = tenant.index(movies).search("title", {"limit": 100})
    expired = client.generate_tenant_token(
        key.uid, ["*"], api_key=key.key, expires_at=datetime.datetime.now(tz=datetime.timezone.utc) + datetime.timedelta(seconds=1)
    )
    time.sleep(2)
    result = {
        "genres": sorted(set(h["genre"] for h in answer["hits"])),
        "count": len(answer["hits"]),
        "expired": error_of(lambda: meilisearch.Client(URL, expired, timeout=60).index(movies).search("title")),
    }
    client.delete_key(key.uid)
    return result


@step("task_order")
def _():
    order = f"{PREFIX}-order"
    wait(client.index(order).add_documents([{"id": 0}], primary_key="id"))
    client.index(order).update_filterable_attributes(["id"])
    client.index(order).add_documents([{"id": i} for i in range(1, 6)])
    last = wait(client.index(order).delete_documents(filter="id IN [1, 2]"))
    return {"delete": last.status, "left": sorted(d.id for d in client.index(order).get_documents({"limit": 10}).results)}


@step("tasks")
def _():
    tasks = client.get_tasks({"indexUids": [movies], "types": ["documentAdditionOrUpdate"]})
    batches = client.get_batches({"limit": 5})
    one = client.get_batch(batches.results[0].uid) if batches.results else None
    cancel = wait(client.cancel_tasks({"statuses": ["enqueued"], "indexUids": [movies]}))
    delete = wait(client.delete_tasks({"statuses": ["succeeded"], "types": ["documentAdditionOrUpdate"], "indexUids": [movies]}))
    left = client.get_tasks({"indexUids": [movies], "types": ["documentAdditionOrUpdate"]})
    return {
        "additions": len(tasks.results),
        "batches": len(batches.results) > 0,
        "batch": one is not None and one.uid == batches.results[0].uid,
        "cancel": [cancel.status, cancel.type],
        "delete": [delete.status, delete.type, delete.details.get("deletedTasks")],
        "additionsLeft": len(left.results),
        "missingFilter": error_of(lambda: client.cancel_tasks({})),
    }


@step("experimental")
def _():
    before = client.get_experimental_features()
    after = client.update_experimental_features({"editDocumentsByFunction": True})
    return {"keys": sorted(before.keys()) == sorted(after.keys()), "edit": after.get("editDocumentsByFunction")}


@step("edit")
def _():
    if "--no-edit" in sys.argv:
        return "skipped"
    info = client.update_documents_by_function(movies, {"function": "doc.title = `edited ${doc.id}`", "filter": "id < 3"})
    task = client.wait_for_task(info["taskUid"], timeout_in_ms=WAIT_MS, interval_in_ms=50)
    return {"status": task.status, "edited": task.details.get("editedDocuments"), "title": client.index(movies).get_document(2).title}


print(json.dumps(report, sort_keys=True))

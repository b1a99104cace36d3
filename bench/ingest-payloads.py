#!/usr/bin/env python3
"""Writes the bodies bench/ingest sends, and the payload file for Kafka's ProducerPerformance.

  ingest-payloads.py DIR
    DIR/batch.ndjson    500 user events, one per line (what a game client batches)
    DIR/single.json     one user event
    DIR/records.txt     2,000 envelopes as the ingest API writes them to Kafka (400-700 bytes each)
"""
import json
import random
import sys
import time
import uuid

out = sys.argv[1]
rnd = random.Random(7)
now = int(time.time() * 1000)
TYPES = ["level_up", "quest_done", "item_found", "login", "match_end", "chat_sent"]
ZONES = ["north_forest", "ice_caves", "desert_of_glass", "capital_city", "sunken_temple"]
CLASSES = ["mage", "knight", "rogue", "ranger", "cleric"]
UAS = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
]
FAMILIES = [("Mobile Safari", "iOS", "iPhone"), ("Chrome", "Windows", "Other"), ("Chrome Mobile", "Android", "Pixel 8")]


def user_event(i):
    return {
        "event_type": rnd.choice(TYPES),
        "user_id": "player-%05d" % rnd.randrange(20000),
        "event_id": str(uuid.UUID(int=rnd.getrandbits(128), version=4)),
        "device_sent_timestamp": now - rnd.randrange(600_000),
        "level": rnd.randrange(1, 80),
        "class": rnd.choice(CLASSES),
        "zone": rnd.choice(ZONES),
        "score": rnd.randrange(100000),
        "session_id": "s-%08x" % rnd.getrandbits(32),
    }


with open(out + "/batch.ndjson", "w") as f:
    for i in range(500):
        f.write(json.dumps(user_event(i), separators=(",", ":")) + "\n")
with open(out + "/single.json", "w") as f:
    f.write(json.dumps(user_event(0), separators=(",", ":")))

# the envelope as ingest-api writes it to Kafka (ingest-api/README.md)
sizes = []
with open(out + "/records.txt", "w") as f:
    for i in range(2000):
        e = user_event(i)
        k = rnd.randrange(len(UAS))
        attrs = {key: str(e[key]) for key in ("level", "class", "zone", "score", "session_id")}
        for extra in range(rnd.randrange(0, 2)):
            attrs["item_%d" % extra] = rnd.choice(["sword", "shield", "potion", "scroll"]) + "-" + str(rnd.randrange(999))
        env = {
            "event_id": e["event_id"], "event_type": e["event_type"], "user_id": e["user_id"],
            "event_ts": e["device_sent_timestamp"], "received_ts": now, "host": "127.0.0.1:31000",
            "user_agent": UAS[k], "accept": "*/*",
            "headers": {"connection": "keep-alive", "content-length": "104857", "content-type": "application/x-ndjson"},
            "browser_family": FAMILIES[k][0], "os_family": FAMILIES[k][1], "device_family": FAMILIES[k][2],
            "attributes": attrs, "schema_version": 1,
        }
        if i % 3 == 0:  # a game-endpoint event, as ab sends them
            env.update({"event_type": "purchase_sword", "user_id": "user1.comcast.com", "event_ts": now,
                        "host": "user1.comcast.com", "user_agent": "ApacheBench/2.3", "headers": {"connection": "Keep-Alive"},
                        "browser_family": "Other", "os_family": "Other", "device_family": "Other",
                        "attributes": {"sword_type": rnd.choice(["katana", "long_sword", "rapier"])}})
        line = json.dumps(env, separators=(",", ":"))
        sizes.append(len(line))
        f.write(line + "\n")
with open(out + "/batch.ndjson", "rb") as f:
    batch_bytes = len(f.read())
print("payloads: 500-event batch of %d bytes; Kafka records of %d-%d bytes (mean %d)" % (
    batch_bytes, min(sizes), max(sizes), sum(sizes) // len(sizes)))

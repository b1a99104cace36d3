#!/usr/bin/env python3
"""The peer of bench/ingest: the seed's ingest API, as the seed built it.

A Flask app with kafka-python that merges the request headers into the event and sends it to
`events` (fire and forget: kafka-python's default acks=1, the answer does not wait for Kafka),
served by Flask's own development server through app.run(), as the seed ran it. POST /events is the
same idea applied to a batch (one object, an array, or NDJSON), so both APIs are measured on the same
endpoints. Needs Debian's python3-flask and python3-kafka.

  KAFKA=127.0.0.1:9092 PORT=5000 python3 bench/peers/flask_ingest.py
"""
import json
import os

from flask import Flask, request
from kafka import KafkaProducer

app = Flask(__name__)
producer = KafkaProducer(bootstrap_servers=os.environ.get("KAFKA", "127.0.0.1:9092"))


def log_to_kafka(topic, event):
    event.update(request.headers)
    producer.send(topic, json.dumps(event).encode())


@app.route("/", methods=["GET", "POST"])
def default_response():
    log_to_kafka("events", {"event_type": "default"})
    return "This is the default response!\n"


@app.route("/purchase_a_sword", methods=["GET", "POST"])
def purchase_a_sword():
    event = {"event_type": "purchase_sword"}
    event.update(request.args.to_dict())
    log_to_kafka("events", event)
    return "Sword Purchased!\n"


@app.route("/join_a_guild", methods=["GET", "POST"])
def join_a_guild():
    event = {"event_type": "join_guild"}
    event.update(request.args.to_dict())
    log_to_kafka("events", event)
    return "Joined a Guild!\n"


@app.route("/events", methods=["POST"])
def events():
    body = request.get_data(as_text=True)
    if request.mimetype == "application/x-ndjson":
        batch = [json.loads(line) for line in body.splitlines() if line.strip()]
    else:
        parsed = json.loads(body)
        batch = parsed if isinstance(parsed, list) else [parsed]
    for event in batch:
        log_to_kafka("events", event)
    return json.dumps({"accepted": len(batch)}), 200, {"Content-Type": "application/json"}


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))

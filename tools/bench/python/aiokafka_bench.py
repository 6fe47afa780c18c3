"""One aiokafka client process of kafkite's produce and consume suites.

Usage: aiokafka_bench.py '<job JSON>' (the same job the Node workers get, see src/clients/jobs.ts).
Prints one line: BENCH-RESULT {"records", "bytes", "elapsedMs", "maxRssKiB"}.

Producing: await send() per record (it returns once the record is in a batch), flush() at the end,
max_batch_size=16384 and linger_ms=5. Consuming: manual assignment of every partition, getmany(). The
clock starts after assign(), as in kafkite's worker.
"""

import asyncio
import json
import random
import resource
import sys
import time

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

RESULT_PREFIX = "BENCH-RESULT "
BATCH_SIZE = 16384
LINGER_MS = 5
FETCH_MIN_BYTES = 1
FETCH_MAX_WAIT_MS = 500
MAX_PARTITION_FETCH_BYTES = 1048576
FETCH_MAX_BYTES = 52428800


def payload_pool(record_size):
    """Random upper-case letters, as ProducerPerformance's --record-size (and the Node workers)."""
    count = max(64, -(-65536 // record_size))
    letters = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return [bytes(random.choices(letters, k=record_size)) for _ in range(count)]


async def produce(job):
    producer = AIOKafkaProducer(
        bootstrap_servers=job["bootstrap"],
        acks="all" if job["acks"] == -1 else 1,
        compression_type=None if job["compression"] == "none" else job["compression"],
        max_batch_size=BATCH_SIZE,
        linger_ms=LINGER_MS,
    )
    await producer.start()
    try:
        await producer.partitions_for(job["topic"])
        pool = payload_pool(job["recordSize"])
        size = len(pool)
        topic = job["topic"]
        records = job["records"]
        started = time.perf_counter()
        for index in range(records):
            await producer.send(topic, pool[index % size])
        await producer.flush()
        elapsed = time.perf_counter() - started
    finally:
        await producer.stop()
    return records, records * job["recordSize"], elapsed


async def consume(job):
    consumer = AIOKafkaConsumer(
        bootstrap_servers=job["bootstrap"],
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        fetch_min_bytes=FETCH_MIN_BYTES,
        fetch_max_wait_ms=FETCH_MAX_WAIT_MS,
        max_partition_fetch_bytes=MAX_PARTITION_FETCH_BYTES,
        fetch_max_bytes=FETCH_MAX_BYTES,
    )
    await consumer.start()
    try:
        consumer.assign([TopicPartition(job["topic"], p) for p in range(job["partitions"])])
        expected = job["records"]
        count = 0
        total_bytes = 0
        started = time.perf_counter()
        while count < expected:
            batches = await consumer.getmany(timeout_ms=1000)
            for records in batches.values():
                count += len(records)
                for record in records:
                    total_bytes += len(record.value)
        elapsed = time.perf_counter() - started
    finally:
        await consumer.stop()
    return count, total_bytes, elapsed


def main():
    job = json.loads(sys.argv[1])
    runner = produce if job["mode"] == "produce" else consume
    records, total_bytes, elapsed = asyncio.run(runner(job))
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    result = {
        "records": records,
        "bytes": total_bytes,
        "elapsedMs": elapsed * 1000,
        "maxRssKiB": max_rss,
    }
    print(RESULT_PREFIX + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()

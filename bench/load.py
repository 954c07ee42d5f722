"""A small HTTP/1.1 load driver, run as its own process by bench/checkin.py.

    python bench/load.py HOST PORT SECONDS CONNECTIONS < requests.jsonl

Each input line is one request ({"method", "path", "headers", "body"}); the connections take
them in turn (cycling) over keep-alive sockets for SECONDS and print one JSON line: requests,
errors, statuses and latency percentiles in milliseconds. Plain asyncio streams: no package
the app does not already need."""

import asyncio
import json
import sys
import time


async def _one(reader, writer, raw: bytes) -> int:
    writer.write(raw)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return status


async def _connection(host, port, requests, start_index, step, deadline, latencies, statuses):
    reader, writer = await asyncio.open_connection(host, port)
    index = start_index
    errors = 0
    while time.perf_counter() < deadline:
        raw = requests[index % len(requests)]
        index += step
        began = time.perf_counter()
        try:
            status = await _one(reader, writer, raw)
        except (OSError, asyncio.IncompleteReadError):
            errors += 1
            writer.close()
            reader, writer = await asyncio.open_connection(host, port)
            continue
        latencies.append(time.perf_counter() - began)
        statuses[status] = statuses.get(status, 0) + 1
    writer.close()
    return errors


def _raw(host: str, request: dict) -> bytes:
    body = request.get("body", "").encode()
    headers = {"Host": host, "Connection": "keep-alive", **request.get("headers", {})}
    if body:
        headers["Content-Length"] = str(len(body))
    head = f"{request.get('method', 'GET')} {request['path']} HTTP/1.1\r\n" + "".join(
        f"{name}: {value}\r\n" for name, value in headers.items()) + "\r\n"
    return head.encode() + body


async def main(host: str, port: int, seconds: float, connections: int) -> dict:
    requests = [_raw(host, json.loads(line)) for line in sys.stdin if line.strip()]
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    began = time.perf_counter()
    deadline = began + seconds
    errors = await asyncio.gather(*(
        _connection(host, port, requests, n, connections, deadline, latencies, statuses)
        for n in range(connections)))
    elapsed = time.perf_counter() - began
    latencies.sort()

    def percentile(p: float) -> float:
        return 1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))] \
            if latencies else float("nan")

    return {"requests": len(latencies), "errors": sum(errors), "seconds": elapsed,
            "per_second": len(latencies) / elapsed, "p50_ms": percentile(0.50),
            "p99_ms": percentile(0.99), "statuses": statuses}


if __name__ == "__main__":
    host, port, seconds, connections = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), \
        int(sys.argv[4])
    print(json.dumps(asyncio.run(main(host, port, seconds, connections))))

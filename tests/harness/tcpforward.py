#!/usr/bin/env python3
"""Forwards TCP connections from 127.0.0.1:<listen> to 127.0.0.1:<target>, both ways, until killed.

A test puts it in front of a service and kills it to make that service unreachable (connections
refused) while the service itself keeps running, then starts it again: "the network is back".
Prints "tcpforward ready <listen> -> <target>" once it listens.
"""
import asyncio
import sys


async def pipe(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def main(listen, target):
    async def handle(client_reader, client_writer):
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", target)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(pipe(client_reader, upstream_writer),
                             pipe(upstream_reader, client_writer))

    server = await asyncio.start_server(handle, "127.0.0.1", listen, reuse_address=True)
    print(f"tcpforward ready {listen} -> {target}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: tcpforward.py <listen port> <target port>")
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))

/** What the fake cloud endpoints share: a loopback listener, a request body read whole, a plain answer. */
import * as http from "http";
import * as https from "https";
import type { AddressInfo } from "net";

export function readBody(stream: NodeJS.ReadableStream): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        stream.on("error", reject);
    });
}

export function send(response: http.ServerResponse, status: number, contentType: string, body: string): void {
    response.writeHead(status, { "Content-Type": contentType });
    response.end(body);
}

export async function listen(server: http.Server | https.Server): Promise<number> {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return (server.address() as AddressInfo).port;
}

export function close(server: http.Server | https.Server): Promise<void> {
    return new Promise((resolve) => server.close(() => resolve()));
}

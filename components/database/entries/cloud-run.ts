/**
 * The in-network function's entry point on GCP: a Cloud Run function runs
 * the bundle of this file with the Functions Framework, whose HTTP target is
 * `applyAccess` (CLOUD_RUN_FUNCTION_TARGET in bundle.ts). The contract is
 * entries/lambda.ts's, over HTTP: it holds no secret, the admin URL arrives in each
 * request body over TLS from the provider that holds it as a secret input;
 * it logs nothing of the request; a thrown error's message, already scrubbed
 * by session.ts, comes back as `errorMessage`.
 */
import { AccessRequest, handleAccessRequest } from "../request";

/** What the function reads of the Functions Framework's Express request: the body is already parsed when it is JSON. */
export interface HttpRequest {
    method: string;
    body: unknown;
}

/** What the function uses of the Express response. */
export interface HttpResponse {
    status(code: number): HttpResponse;
    set(field: string, value: string): HttpResponse;
    json(body: unknown): void;
    send(body?: string): void;
}

/** POST {operation, request} as JSON: 200 with the outcome, 500 with {errorMessage}; 400 for any other body, 405 for any other method. */
export async function applyAccess(req: HttpRequest, res: HttpResponse): Promise<void> {
    if (req.method !== "POST") {
        res.status(405).set("Allow", "POST").send();
        return;
    }
    if (!isAccessRequest(req.body)) {
        res.status(400).json({ errorMessage: 'expected a JSON body {"operation": "converge" or "observe", "request": {...}}' });
        return;
    }
    try {
        res.status(200).json(await handleAccessRequest(req.body));
    } catch (error) {
        res.status(500).json({ errorMessage: (error as Error)?.message ?? String(error) });
    }
}

function isAccessRequest(body: unknown): body is AccessRequest {
    if (typeof body !== "object" || body === null || Buffer.isBuffer(body)) return false;
    const { operation, request } = body as { operation?: unknown; request?: unknown };
    return (operation === "converge" || operation === "observe") && typeof request === "object" && request !== null;
}

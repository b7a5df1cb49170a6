/**
 * A local endpoint that speaks AWS Lambda's Invoke API (RequestResponse) the
 * way the service answers a Node.js function: the handler's result as the
 * payload, or, when it throws, status 200 with X-Amz-Function-Error: Unhandled
 * and {errorType, errorMessage, trace}
 * (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html).
 * Point the SDK at it with AWS_ENDPOINT_URL_LAMBDA.
 */
import * as http from "http";
import { builtinModules } from "module";
import { close, listen, readBody } from "./http";

export interface InvokeRecord {
    /** The function name or ARN from the path, decoded. */
    functionName: string;
    /** Whether the request was signed (SigV4), as every SDK call is. */
    signed: boolean;
    payload: unknown;
}

export interface FakeLambda {
    url: string;
    invocations: InvokeRecord[];
    close(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** Serves `functions` by name or ARN; any other name gets the service's 404 ResourceNotFoundException. */
export async function startFakeLambda(functions: Record<string, (event: any) => unknown>): Promise<FakeLambda> {
    const invocations: InvokeRecord[] = [];
    const server = http.createServer(async (request, response) => {
        const body = await readBody(request);
        const match = INVOKE_PATH.exec(request.url ?? "");
        const functionName = match ? decodeURIComponent(match[1]) : "";
        const handler = functions[functionName];
        if (request.method !== "POST" || !handler) {
            response.writeHead(404, { "Content-Type": "application/json", "x-amzn-ErrorType": "ResourceNotFoundException" });
            response.end(JSON.stringify({ Type: "User", message: `Function not found: ${functionName}` }));
            return;
        }
        const payload = JSON.parse(body || "null");
        invocations.push({ functionName, signed: /^AWS4-HMAC-SHA256 /.test(request.headers.authorization ?? ""), payload });
        try {
            const result = await handler(payload);
            response.writeHead(200, { "Content-Type": "application/json", "X-Amz-Executed-Version": "$LATEST" });
            response.end(JSON.stringify(result ?? null));
        } catch (error) {
            const e = error as Error;
            response.writeHead(200, {
                "Content-Type": "application/json",
                "X-Amz-Executed-Version": "$LATEST",
                "X-Amz-Function-Error": "Unhandled",
            });
            response.end(JSON.stringify({ errorType: e.name ?? "Error", errorMessage: e.message, trace: (e.stack ?? "").split("\n") }));
        }
    });
    const port = await listen(server);
    return { url: `http://127.0.0.1:${port}`, invocations, close: () => close(server) };
}

/** A bundle's `handler`, loaded as the Lambda runtime loads it where no node_modules exist: only Node's own modules resolve. */
export function loadLambdaHandler(source: string): (event: unknown) => Promise<unknown> {
    const module = { exports: {} as { handler?: (event: unknown) => Promise<unknown> } };
    const requireBuiltin = (name: string) => {
        if (!builtinModules.includes(name.replace(/^node:/, "")))
            throw new Error(`the function's bundle requires ${name}, which the Lambda runtime does not have`);
        return require(name);
    };
    new Function("module", "exports", "require", source)(module, module.exports, requireBuiltin);
    return module.exports.handler!;
}

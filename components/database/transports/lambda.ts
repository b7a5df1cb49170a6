/**
 * The in-network transport, provider side: the same converge and observe
 * requests, sent with the AWS SDK v3 (Lambda Invoke, synchronous) to the
 * function that runs entries/lambda.ts inside the database's VPC. A function error
 * comes back as the function's own message (FunctionError and the payload's
 * errorMessage), so the user reads the same text as on the direct path.
 */
import { AccessRequest, Applier, ConvergeOutcome, ObserveOutcome } from "../request";
import { scrub, secretForms } from "../scrub";

/** The region of a Lambda function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME). */
export function regionOfFunction(functionArn: string): string {
    const region = functionArn.split(":")[3];
    if (!functionArn.startsWith("arn:") || !region)
        throw new Error(`the in-network function ${JSON.stringify(functionArn)} is not a Lambda function ARN`);
    return region;
}

/**
 * Invokes `functionArn` with the credentials of whoever runs `pulumi up` (the SDK's default chain: AWS_PROFILE,
 * environment, SSO, a CI role). AWS_ENDPOINT_URL_LAMBDA replaces AWS's endpoint (tests, a proxy), as in every SDK.
 */
export function lambdaApplier(functionArn: string): Applier {
    const call = async <T>(event: AccessRequest, secrets: string[]): Promise<T> => {
        // Required here, not at the top: the engine runs this code from a serialized closure.
        const { InvokeCommand, LambdaClient } = require("@aws-sdk/client-lambda") as typeof import("@aws-sdk/client-lambda");
        const client = new LambdaClient({ region: regionOfFunction(functionArn) });
        let response: import("@aws-sdk/client-lambda").InvokeCommandOutput;
        try {
            response = await client.send(new InvokeCommand({ FunctionName: functionArn, Payload: Buffer.from(JSON.stringify(event)) }));
        } catch (error) {
            throw new Error(scrub(`cannot invoke the in-network function ${functionArn}: ${(error as Error).message ?? String(error)}`, secrets));
        } finally {
            client.destroy();
        }
        const text = Buffer.from(response.Payload ?? new Uint8Array()).toString("utf8");
        if (response.FunctionError) throw new Error(scrub(functionErrorMessage(text, response.FunctionError), secrets));
        return JSON.parse(text) as T;
    };
    return {
        converge: (request) =>
            call<ConvergeOutcome>({ operation: "converge", request }, secretForms(request.adminUrl, Object.values(request.passwords ?? {}))),
        observe: (request) => call<ObserveOutcome>({ operation: "observe", request }, secretForms(request.adminUrl, [])),
    };
}

/** The runtime's error payload is {errorType, errorMessage, trace}; a timeout or crash may be other text. */
function functionErrorMessage(payload: string, kind: string): string {
    try {
        const parsed = JSON.parse(payload) as { errorMessage?: unknown };
        if (typeof parsed.errorMessage === "string") return parsed.errorMessage;
    } catch {
        // Not JSON: shown as it is below.
    }
    return `the in-network function failed (${kind}): ${payload || "no message"}`;
}

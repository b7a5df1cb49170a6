/**
 * The in-network transport on GCP, provider side: the same converge and
 * observe requests as transports/lambda.ts, POSTed as JSON over HTTPS to the Cloud Run
 * function that runs entries/cloud-run.ts inside the database's network. The
 * function is not public: each request carries a Google-signed ID token whose
 * audience is the function's URL, minted from the Application Default
 * Credentials of whoever runs `pulumi up`, and Cloud Run admits it only if
 * that identity holds roles/run.invoker
 * (https://cloud.google.com/run/docs/authenticating/service-to-service).
 * A function error comes back as its own message, so the user reads the same
 * text as on the direct path.
 */
import * as https from "https";
import { AccessRequest, Applier, ConvergeOutcome, ObserveOutcome } from "../request";
import { scrub, secretForms } from "../scrub";

type GoogleAuthLibrary = typeof import("google-auth-library");

/** Which Application Default Credentials can mint an ID token, for the error that says none of them was found. */
const CREDENTIALS_THAT_WORK =
    "a service account key (GOOGLE_APPLICATION_CREDENTIALS), `gcloud auth application-default login --impersonate-service-account=SERVICE_ACCOUNT`, " +
    "the metadata server of a Google Cloud runner, or workload identity federation through a service account (google-github-actions/auth with service_account)";

/** POSTs to `url` (the function's https:// URL, also the token's audience) with the deployer's Google identity. */
export function cloudRunApplier(url: string): Applier {
    const call = async <T>(event: AccessRequest, secrets: string[]): Promise<T> => {
        // The request carries the deployer's ID token and the admin URL: never in clear text.
        if (!url.startsWith("https://"))
            throw new Error(
                `the in-network function's URL ${JSON.stringify(url)} is not https://: the request would carry the admin URL and an ID token in clear text`,
            );
        let token: string;
        try {
            token = await idTokenFor(url);
        } catch (error) {
            throw new Error(scrub(`cannot get a Google ID token for the in-network function ${url}: ${messageOf(error)}`, secrets));
        }
        let response: { status: number; text: string };
        try {
            response = await post(url, token, JSON.stringify(event));
        } catch (error) {
            throw new Error(scrub(`cannot invoke the in-network function ${url}: ${messageOf(error)}`, secrets));
        }
        if (response.status === 200) return JSON.parse(response.text) as T;
        throw new Error(scrub(failureMessage(url, token, response), secrets));
    };
    return {
        converge: (request) =>
            call<ConvergeOutcome>({ operation: "converge", request }, secretForms(request.adminUrl, Object.values(request.passwords ?? {}))),
        observe: (request) => call<ObserveOutcome>({ operation: "observe", request }, secretForms(request.adminUrl, [])),
    };
}

/**
 * An ID token for `audience` from the Application Default Credentials. Service account keys, the metadata server,
 * impersonated credentials and gcloud user credentials mint one themselves (fetchIdToken). Workload identity
 * federation (external_account, as google-github-actions/auth writes it) cannot: its federated token is exchanged
 * for the service account's ID token through the IAM Credentials API, as that action does for `token_format: id_token`
 * (https://cloud.google.com/iam/docs/reference/credentials/rest/v1/projects.serviceAccounts/generateIdToken).
 */
async function idTokenFor(audience: string): Promise<string> {
    // Required here, not at the top: the engine runs this code from a serialized closure.
    const { BaseExternalAccountClient, ExternalAccountClient, GoogleAuth, Impersonated } = require("google-auth-library") as GoogleAuthLibrary;
    const auth = new GoogleAuth();
    const client = await auth.getClient().catch((error: Error) => {
        // None found at all (GoogleAuthExceptionMessages.NO_ADC_FOUND): say which would do.
        throw /^Could not load the default credentials/.test(error.message) ? new Error(`${error.message} Use ${CREDENTIALS_THAT_WORK}.`) : error;
    });
    if ("fetchIdToken" in client && typeof client.fetchIdToken === "function") return client.fetchIdToken(audience);
    if (client instanceof BaseExternalAccountClient) {
        const serviceAccount = client.getServiceAccountEmail();
        const options = auth.jsonContent as import("google-auth-library").ExternalAccountClientOptions | null;
        if (!serviceAccount || !options?.service_account_impersonation_url)
            throw new Error(
                "the workload identity federation credentials name no service account (service_account_impersonation_url), " +
                    "and a federated identity alone cannot mint an ID token: give google-github-actions/auth a service_account",
            );
        // The federated identity itself asks for the token: roles/iam.workloadIdentityUser on the service account allows it.
        const federated = ExternalAccountClient.fromJSON({ ...options, service_account_impersonation_url: undefined })!;
        const impersonated = new Impersonated({
            sourceClient: federated,
            targetPrincipal: serviceAccount,
            endpoint: new URL(options.service_account_impersonation_url).origin,
        });
        return impersonated.fetchIdToken(audience, { includeEmail: true });
    }
    throw new Error(`these Application Default Credentials (${client.constructor.name}) cannot mint an ID token; use ${CREDENTIALS_THAT_WORK}`);
}

function post(url: string, token: string, body: string): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
        const request = https.request(
            url,
            {
                method: "POST",
                headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) },
            },
            (response) => {
                const chunks: Buffer[] = [];
                response.on("data", (chunk: Buffer) => chunks.push(chunk));
                response.on("end", () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
                response.on("error", reject);
            },
        );
        request.on("error", reject);
        request.end(body);
    });
}

/** The function's own errorMessage (500), Cloud Run's refusal explained (401, 403), or the status and body. */
function failureMessage(url: string, token: string, response: { status: number; text: string }): string {
    const role = "the deployer needs roles/run.invoker on the function (on the Cloud Run service of the same name)";
    const who = identityIn(token);
    if (response.status === 403) return `the in-network function ${url} refused the deployer's identity${who ? ` ${who}` : ""} (HTTP 403): ${role}`;
    if (response.status === 401)
        return `the in-network function ${url} did not accept the deployer's ID token${who ? ` for ${who}` : ""} (HTTP 401): its audience must be this URL, and ${role}`;
    try {
        const parsed = JSON.parse(response.text) as { errorMessage?: unknown };
        if (typeof parsed.errorMessage === "string") return parsed.errorMessage;
    } catch {
        // Not JSON (a crash, a timeout page): shown as it is below.
    }
    return `the in-network function ${url} failed (HTTP ${response.status}): ${response.text.slice(0, 500) || "no message"}`;
}

/** The email in the ID token's claims, to say whom to grant; the token is not verified here, only read. */
function identityIn(token: string): string | undefined {
    try {
        const claims = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8")) as { email?: unknown };
        return typeof claims.email === "string" ? claims.email : undefined;
    } catch {
        return undefined;
    }
}

function messageOf(error: unknown): string {
    const e = error as Error & { cause?: Error };
    const message = e?.message || String(error);
    return e?.cause?.message ? `${message}: ${e.cause.message}` : message;
}

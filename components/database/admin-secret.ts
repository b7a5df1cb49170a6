/**
 * Reading database.adminSecret when an operation needs the admin connection (create, update, read, delete), with
 * the identity that runs `pulumi up`: the SDKs' default credentials. The value is used for that operation and never
 * recorded: the state keeps the reference. A preview needs no access (diff is pure).
 *
 * AWS: Secrets Manager GetSecretValue (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html),
 * in the ARN's region; AWS_ENDPOINT_URL_SECRETS_MANAGER replaces AWS's endpoint (tests, a VPC endpoint), as in every SDK.
 * GCP: Secret Manager's versions:access (https://cloud.google.com/secret-manager/docs/reference/rest/v1/projects.secrets.versions/access),
 * "latest" unless the reference pins a version; CLOUDSDK_API_ENDPOINT_OVERRIDES_SECRETMANAGER replaces the endpoint, as
 * it does for gcloud.
 */
import { AdminSecretReference, adminUrlFromSecret, secretStoreOf } from "../model/admin-secret";

const SECRET_MANAGER = "https://secretmanager.googleapis.com/";

/** The admin URL the reference's secret holds now, for the reference's database. Errors never show the value. */
export async function readAdminUrl(reference: AdminSecretReference): Promise<string> {
    let text: string;
    try {
        text = secretStoreOf(reference.secret) === "aws" ? await readAwsSecret(reference.secret) : await readGcpSecret(reference.secret);
    } catch (error) {
        throw new Error(`cannot read the admin secret ${reference.secret} with the deployer's credentials: ${messageOf(error)}`);
    }
    try {
        return adminUrlFromSecret(text, reference);
    } catch (error) {
        throw new Error(`the admin secret ${reference.secret}: ${messageOf(error)}`);
    }
}

async function readAwsSecret(arn: string): Promise<string> {
    // Required here, not at the top: the SDK is loaded only by stacks that name an AWS secret.
    const { GetSecretValueCommand, SecretsManagerClient } =
        require("@aws-sdk/client-secrets-manager") as typeof import("@aws-sdk/client-secrets-manager");
    const client = new SecretsManagerClient({ region: arn.split(":")[3] });
    try {
        const value = await client.send(new GetSecretValueCommand({ SecretId: arn }));
        if (value.SecretString !== undefined) return value.SecretString;
        if (value.SecretBinary !== undefined) return Buffer.from(value.SecretBinary).toString("utf8");
        throw new Error("the secret's current version holds no value");
    } finally {
        client.destroy();
    }
}

async function readGcpSecret(name: string): Promise<string> {
    const { GoogleAuth } = require("google-auth-library") as typeof import("google-auth-library");
    const version = name.includes("/versions/") ? name : `${name}/versions/latest`;
    const base = process.env.CLOUDSDK_API_ENDPOINT_OVERRIDES_SECRETMANAGER || SECRET_MANAGER;
    const auth = new GoogleAuth({ scopes: ["https://www.googleapis.com/auth/cloud-platform"] });
    const client = await auth.getClient();
    const response = await client.request<{ payload?: { data?: string } }>({ url: new URL(`v1/${version}:access`, base).toString() });
    const data = response.data.payload?.data;
    if (typeof data !== "string") throw new Error("the secret version holds no payload");
    return Buffer.from(data, "base64").toString("utf8");
}

function messageOf(error: unknown): string {
    const e = error as { message?: string; name?: string };
    return e?.message || e?.name || String(error);
}

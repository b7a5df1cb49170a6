/**
 * Builds PostgrestOnAws alone under pulumi.runtime.setMocks, from a stack
 * config parsed by the real config module, with the database side's outputs
 * (authenticator role and password) given as the component receives them.
 * tests/program.test.ts covers the same component inside the whole program.
 */
import * as pulumi from "@pulumi/pulumi";
import { ParsedConfig, StackConfig } from "../components/config";
import { PostgrestOnAws } from "../components/aws";
import { ProgramRun, parseStackConfig, runUnderMocks } from "./harness";

/** Values that must never appear outside Secrets Manager; the '@' and '/' check the URI encoding. */
export const AUTHENTICATOR_PASSWORD = "auth-pw/7@Zq";
export const JWT_SECRET = "jwt-secret-3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c1e";

export interface AwsRun extends Omit<ProgramRun, "outputs"> {
    config: ParsedConfig & { cloud: "aws" };
    outputs: { url: string; serviceName: string; secretIds: string[]; details: Record<string, string> };
}

/** Parses `config` as the program does (objects as JSON text, secrets flagged) and fails on any problem. */
export function parseAwsConfig(config: Record<string, unknown>): ParsedConfig & { cloud: "aws" } {
    const parsed = parseStackConfig(config, ["databaseAdminUrl", "jwtSecret", "databaseClientKey"]);
    if (parsed.cloud !== "aws") throw new Error("not an aws config");
    return parsed;
}

export async function runAws(config: Record<string, unknown>): Promise<AwsRun> {
    const parsed = parseAwsConfig(config);
    const run = await runUnderMocks(() => {
        const stackConfig = {
            ...parsed,
            databaseAdminUrl: pulumi.secret(parsed.databaseAdminUrl),
            databaseClientKey: parsed.databaseClientKey === undefined ? undefined : pulumi.secret(parsed.databaseClientKey),
            jwtSecret: undefined,
        } as StackConfig & { cloud: "aws" };
        const target = new PostgrestOnAws("postgrest", {
            config: stackConfig,
            foundation: {},
            jwtSecret: pulumi.secret(JWT_SECRET),
            authenticatorRole: pulumi.output(parsed.api.authenticatorRole),
            authenticatorPassword: pulumi.secret(AUTHENTICATOR_PASSWORD),
            // As configured: the program's tests prove the resolution to a digest.
            image: pulumi.output(parsed.service.image),
            dependsOn: [],
        });
        return { url: target.url, serviceName: target.serviceName, secretIds: target.secretIds, details: target.details };
    });
    return { ...run, config: parsed, outputs: run.outputs as AwsRun["outputs"] };
}

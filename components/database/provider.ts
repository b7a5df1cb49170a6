/**
 * The dynamic ResourceProvider. Pulumi serializes this object and the engine
 * runs it in another process, so it holds no state and requires pg only
 * inside the methods (see session.ts).
 *
 * Secret inputs (adminUrl, authenticatorPassword, standbyPassword) reach it in plain text; they
 * come back only in same-named outputs, which stay secret, and never in `state`. With database.adminSecret
 * there is no adminUrl: each operation reads it from the secret store (admin-secret.ts), and nothing records it.
 *
 * It converges and observes through an Applier (request.ts): here in this
 * process, or in the in-network function `adminTransport` names: a Lambda
 * function (transports/lambda.ts) or a Cloud Run function (transports/cloud-run.ts).
 */
import type * as pulumi from "@pulumi/pulumi";
import { AdminTransport, DIRECT } from "../model/admin-transport";
import { Applier, ConvergeOutcome, localApplier } from "./request";
import { lambdaApplier } from "./transports/lambda";
import { cloudRunApplier } from "./transports/cloud-run";
import { declaredItems } from "./declarations";
import { diffAccess } from "./diff";
import { Migration } from "./migrations";
import { AccessInputs, AccessOutputs, RecordedOutputs, currentOutputs, loginPasswords, targetUrl } from "./properties";
import { readAdminUrl } from "./admin-secret";
import { describeTarget } from "./scrub";

export const accessProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: AccessInputs): Promise<pulumi.dynamic.CreateResult<AccessOutputs>> {
        const result = await applierFor(inputs.adminTransport).converge({
            adminUrl: await adminUrlOf(inputs),
            adminTls: inputs.adminTls,
            desired: inputs.__api,
            createdRoles: [],
            createdSchemas: [],
            // Also for an authenticator that already existed: PostgREST logs in with this password.
            passwords: loginPasswords(inputs),
            migrations: inputs.__migrations,
            roleMarker: inputs.roleMarker,
        });
        checkMigrationsApplied(result, inputs.__migrations);
        return {
            id: `${inputs.authenticatorRole}@${describeTarget(targetUrl(inputs)) ?? "database"}`,
            outs: { ...inputs, state: declaredItems(inputs.__api), createdRoles: result.createdRoles, createdSchemas: result.createdSchemas },
        };
    },

    async diff(_id: string, olds: RecordedOutputs, news: AccessInputs): Promise<pulumi.dynamic.DiffResult> {
        return diffAccess(currentOutputs(olds), news);
    },

    async update(_id: string, recorded: RecordedOutputs, news: AccessInputs): Promise<pulumi.dynamic.UpdateResult<AccessOutputs>> {
        const olds = currentOutputs(recorded);
        // Only a password that changed is set: on a rotation, the role that was active keeps its own, and the connections made with it.
        const before = loginPasswords(olds);
        const passwords = Object.fromEntries(Object.entries(loginPasswords(news)).filter(([role, password]) => before[role] !== password));
        const result = await applierFor(news.adminTransport).converge({
            adminUrl: await adminUrlOf(news),
            adminTls: news.adminTls,
            desired: news.__api,
            previous: olds.__api,
            createdRoles: olds.createdRoles,
            createdSchemas: olds.createdSchemas,
            passwords,
            migrations: news.__migrations,
            roleMarker: news.roleMarker,
        });
        checkMigrationsApplied(result, news.__migrations);
        return { outs: { ...news, state: declaredItems(news.__api), createdRoles: result.createdRoles, createdSchemas: result.createdSchemas } };
    },

    async read(id: string, recorded: RecordedOutputs): Promise<pulumi.dynamic.ReadResult> {
        const props = currentOutputs(recorded);
        const withMigrations = props.migrations !== undefined;
        const observation = await applierFor(props.adminTransport).observe({
            adminUrl: await adminUrlOf(props),
            api: props.__api,
            adminTls: props.adminTls,
            ...(withMigrations ? { migrations: true } : {}),
        });
        const state = observation.observed;
        // What the database recorded: a record deleted by hand shows as a pending file at the next preview.
        const migrations = withMigrations ? { migrations: observation.migrations ?? {} } : {};
        // Returned as inputs too, so that the next preview shows the drift item by item.
        const { createdRoles: _roles, createdSchemas: _schemas, ...inputs } = props;
        return { id, props: { ...props, state, ...migrations }, inputs: { ...inputs, state, ...migrations } };
    },

    async delete(_id: string, recorded: RecordedOutputs): Promise<void> {
        const props = currentOutputs(recorded);
        await applierFor(props.adminTransport).converge({
            adminUrl: await adminUrlOf(props),
            adminTls: props.adminTls,
            previous: props.__api,
            createdRoles: props.createdRoles,
            createdSchemas: props.createdSchemas,
        });
    },
};

/** An in-network function built before migrations existed ignores them: it must not be taken for having applied them. */
function checkMigrationsApplied(outcome: ConvergeOutcome, migrations: Migration[] | undefined): void {
    if (migrations?.length && !Array.isArray(outcome.migrationsApplied))
        throw new Error("the in-network function does not apply database.migrations: it runs older code; run `pulumi up` again after it is updated");
}

/** The admin URL: the recorded one, or (database.adminSecret) the one the secret holds now, read with the deployer's identity. */
async function adminUrlOf(props: AccessInputs): Promise<string> {
    if (props.adminSecret) return readAdminUrl(props.adminSecret);
    if (props.adminUrl === undefined) throw new Error("neither databaseAdminUrl nor database.adminSecret reached the provider: set one of them");
    return props.adminUrl;
}

function applierFor(transport: AdminTransport = DIRECT): Applier {
    switch (transport.kind) {
        case "direct":
            return localApplier;
        case "lambda":
            return lambdaApplier(transport.functionArn);
        case "cloud-run":
            return cloudRunApplier(transport.url);
    }
}

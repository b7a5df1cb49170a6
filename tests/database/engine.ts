/**
 * The dynamic provider the way the engine runs it: serialized into the
 * `__provider` input and loaded in another process with require-from-string
 * (node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js).
 */
import { execFile } from "child_process";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { bundledAccessProvider } from "../../components/database/bundle";

const projectRoot = path.resolve(__dirname, "../..");

/** The same call pulumi.dynamic.Resource makes (node_modules/@pulumi/pulumi/dynamic/index.js), on the provider RolesAndGrants registers. */
export async function serializedProvider(): Promise<string> {
    const provider = bundledAccessProvider();
    const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    if (serialized.containsSecrets) throw new Error("the serialized provider captured a secret");
    return serialized.text;
}

// Plain node, no ts-node: the way the engine's dynamic provider host loads `__provider`.
const ENGINE_LIKE_HOST = `
const requireFromString = require("require-from-string");
const request = JSON.parse(require("fs").readFileSync(0, "utf8"));
const provider = requireFromString(request.provider).handler();
(async () => {
  const created = await provider.create(request.inputs);
  const read = await provider.read(created.id, created.outs);
  await provider.delete(created.id, created.outs);
  process.stdout.write(JSON.stringify({ created, read }));
})().catch((error) => { process.stderr.write(String(error && error.message)); process.exit(1); });
`;

export function runInEngineLikeHost(request: object): Promise<any> {
    return new Promise((resolve, reject) => {
        const child = execFile(process.execPath, ["-e", ENGINE_LIKE_HOST], { cwd: projectRoot }, (error, stdout, stderr) => {
            if (error) reject(new Error(`provider host failed: ${stderr || error.message}`));
            else resolve(JSON.parse(stdout));
        });
        child.stdin!.end(JSON.stringify(request));
    });
}


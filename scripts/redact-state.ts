/**
 * The redacted copy of a production stack that pull request previews run against (docs/team-workflow.md, "Previews
 * that cannot leak production"). The deploy job, which may decrypt, exports the stack's state and config with
 * `--show-secrets`; this replaces every secret by a pseudonym, and the job imports the result into a preview stack
 * encrypted by a key the preview identity may use. A preview of the copy then decrypts only pseudonyms.
 *
 * Pseudonyms are consistent, so a preview shows no change where nothing changed: the same secret gets the same pseudonym
 * wherever it appears, in the state and in the config; a secret inside another value (the authenticator's password
 * inside a connection string, an admin URL's password) is replaced inside it, so a value the program derives from a
 * pseudonym equals the copy's; a URL keeps its host, port and database, so the roles and grants still target the same
 * database. They are HMAC-SHA256 under a key drawn for each copy and never stored, so they reveal nothing of the secret
 * and cannot be matched across copies.
 *
 *     npx ts-node --transpile-only scripts/redact-state.ts state.json config.json out/   # writes out/state.json, out/secrets.json
 */
import { createHmac, randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";

/** How the engine marks a secret in an exported deployment (sdk/go/common/resource/sig in pulumi/pulumi). */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Secrets shorter than this are replaced only where they are a whole value: a short one could match ordinary text. */
const MIN_EMBEDDED_LENGTH = 8;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface RedactedCopy {
    /** The deployment to `pulumi stack import`, without the production stack's secrets provider. */
    state: Json;
    /** Each secret config key (`postgrest:databaseAdminUrl`) with its pseudonym, for `pulumi config set --secret`. */
    secrets: Record<string, string>;
}

/** `pulumi config --show-secrets --json`: each key with its value and whether it is secret. */
export type ConfigExport = Record<string, { value?: string; objectValue?: Json; secret: boolean }>;

/** `exported`: the parsed output of `pulumi stack export --show-secrets`. */
export function redactStack(exportedJson: unknown, config: ConfigExport, key: Buffer = randomBytes(32)): RedactedCopy {
    const exported = exportedJson as Json;
    const secretValues: string[] = [];
    walkSecrets(exported, (value) => collectStrings(value, secretValues));
    for (const entry of Object.values(config)) if (entry.secret && entry.value !== undefined) secretValues.push(entry.value);

    const atoms = new Set<string>();
    for (const value of secretValues) {
        const password = urlPassword(value);
        if (password !== undefined) atoms.add(password);
        else atoms.add(value);
    }
    const pseudonym = (atom: string) => `redacted${createHmac("sha256", key).update(atom).digest("hex").slice(0, 32)}`;
    const replacements = [...atoms]
        .filter((atom) => atom.length > 0)
        .sort((a, b) => b.length - a.length)
        .flatMap((atom) => {
            const forms = new Set([atom, encodeURIComponent(atom)]);
            return [...forms].map((form) => [form, pseudonym(atom)] as const);
        });
    const redactString = (text: string): string => {
        const whole = replacements.find(([form]) => form === text);
        if (whole) return whole[1];
        let out = text;
        const password = urlPassword(text);
        if (password !== undefined && atoms.has(password)) {
            const url = new URL(text);
            url.password = pseudonym(password);
            out = url.toString();
        }
        for (const [form, replacement] of replacements) if (form.length >= MIN_EMBEDDED_LENGTH) out = out.split(form).join(replacement);
        return out;
    };

    const state = mapStrings(stripSecretsProvider(exported), redactString);
    const secrets: Record<string, string> = {};
    for (const [name, entry] of Object.entries(config)) if (entry.secret && entry.value !== undefined) secrets[name] = redactString(entry.value);
    return { state, secrets };
}

/** Calls `visit` with the decoded value of every secret in `value`. */
function walkSecrets(value: Json, visit: (secret: Json) => void): void {
    if (Array.isArray(value)) value.forEach((item) => walkSecrets(item, visit));
    else if (isObject(value)) {
        if (value[SECRET_SIG_KEY] === SECRET_SIG) {
            if (typeof value.plaintext === "string") visit(JSON.parse(value.plaintext) as Json);
            else if (value.ciphertext !== undefined)
                throw new Error("the state holds encrypted secrets: export it with `pulumi stack export --show-secrets`");
            else walkSecrets(value.value ?? null, visit);
        } else Object.values(value).forEach((item) => walkSecrets(item, visit));
    }
}

function collectStrings(value: Json, into: string[]): void {
    if (typeof value === "string") into.push(value);
    else if (Array.isArray(value)) value.forEach((item) => collectStrings(item, into));
    else if (isObject(value)) Object.values(value).forEach((item) => collectStrings(item, into));
}

/** Every string of `value`, secrets' plaintext included (re-encoded as the engine stores it), through `redact`. */
function mapStrings(value: Json, redact: (text: string) => string): Json {
    if (typeof value === "string") return redact(value);
    if (Array.isArray(value)) return value.map((item) => mapStrings(item, redact));
    if (!isObject(value)) return value;
    if (value[SECRET_SIG_KEY] === SECRET_SIG && typeof value.plaintext === "string")
        return { ...value, plaintext: JSON.stringify(mapStrings(JSON.parse(value.plaintext) as Json, redact)) };
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === SECRET_SIG_KEY ? v : mapStrings(v, redact)]));
}

/** The import takes the preview stack's secrets provider; the production one must not travel with the copy. */
function stripSecretsProvider(exported: Json): Json {
    if (!isObject(exported) || !isObject(exported.deployment)) throw new Error("not a `pulumi stack export` file: no deployment");
    const { secrets_providers: _provider, ...deployment } = exported.deployment;
    return { ...exported, deployment };
}

function urlPassword(value: string): string | undefined {
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return undefined;
    try {
        const password = new URL(value).password;
        return password ? decodeURIComponent(password) : undefined;
    } catch {
        return undefined;
    }
}

const isObject = (value: Json): value is { [key: string]: Json } => typeof value === "object" && value !== null && !Array.isArray(value);

if (require.main === module) {
    const [stateFile, configFile, outDir] = process.argv.slice(2);
    if (!stateFile || !configFile || !outDir) {
        process.stderr.write("usage: redact-state.ts <state.json> <config.json> <out dir>\n");
        process.exit(2);
    }
    const copy = redactStack(JSON.parse(fs.readFileSync(stateFile, "utf8")), JSON.parse(fs.readFileSync(configFile, "utf8")));
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(outDir, "state.json"), JSON.stringify(copy.state));
    fs.writeFileSync(path.join(outDir, "secrets.json"), JSON.stringify(copy.secrets));
}

/**
 * The database's CA, client certificate and key as files PostgREST's libpq
 * accepts, with the official image (FROM scratch: no shell to fix anything
 * at start). A small container with a shell runs first and writes the files
 * into a volume it shares with PostgREST, owned by PostgREST's user, mode 0600:
 * libpq refuses a key file that is not "u=rw (0600) or less if owned by the
 * current user, or u=rw,g=r (0640) or less if owned by root"
 * (https://www.postgresql.org/docs/current/libpq-ssl.html#LIBPQ-SSL-CLIENTCERT).
 *
 * Neither cloud can give the key that way by itself:
 * - ECS has no secrets as files, only as environment variables
 *   (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html);
 * - Cloud Run's secret volume files are owned by root, mode 0444 by default
 *   with a umask of 0222 (https://cloud.google.com/run/docs/reference/rest/v2/Volume#secretvolumesource);
 *   a root-owned 0400 key is unreadable to uid 1000, and a 0444 one fails libpq's check.
 */
import { DatabaseConfig } from "../config/database";

/** Where PostgREST finds the files: a volume shared with the step that writes them. */
export const TLS_DIRECTORY = "/run/postgrest-tls";

/** The official image's user (User in PostgREST's nix/tools/docker/default.nix), who must own the key. */
export const POSTGREST_UID = 1000;

/** A public image with a POSIX shell, pinned: it only writes three files. */
export const TLS_FILES_IMAGE = "busybox:1.37.0";

export type TlsFile = "root.crt" | "client.crt" | "client.key";

/** The libpq connection parameter that names each file. */
export const TLS_FILE_PARAMETERS: Record<TlsFile, string> = { "root.crt": "sslrootcert", "client.crt": "sslcert", "client.key": "sslkey" };

/** The environment variable that brings each file's content (ECS) or names its secret's directory (Cloud Run). */
export const TLS_FILE_VARIABLES: Record<TlsFile, string> = {
    "root.crt": "PGRST_TLS_ROOT_CERT",
    "client.crt": "PGRST_TLS_CLIENT_CERT",
    "client.key": "PGRST_TLS_CLIENT_KEY",
};

/** The files a database config needs: the CA for verify-ca/verify-full (or require with a CA), the client pair when given. */
export function tlsFiles(database: DatabaseConfig): TlsFile[] {
    if (database.sslMode === "disable") return [];
    return [...(database.sslRootCert ? (["root.crt"] as const) : []), ...(database.sslCert ? (["client.crt", "client.key"] as const) : [])];
}

/** The PGRST_DB_URI parameters naming the files in `directory`. */
export function tlsFileParameters(files: TlsFile[], directory: string = TLS_DIRECTORY): Record<string, string> {
    return Object.fromEntries(files.map((file) => [TLS_FILE_PARAMETERS[file], `${directory}/${file}`]));
}

/**
 * ECS: the step's environment holds each file's content (ECS `secrets`, from Secrets Manager).
 * Writes what is set into $PGRST_TLS_DIRECTORY, owned by PostgREST's user, mode 0600.
 */
export const TLS_FILES_FROM_ENVIRONMENT_SCRIPT = `set -eu
umask 077
write() { if [ -n "$2" ]; then printf '%s\\n' "$2" > "$PGRST_TLS_DIRECTORY/$1"; fi; }
write root.crt "\${PGRST_TLS_ROOT_CERT:-}"
write client.crt "\${PGRST_TLS_CLIENT_CERT:-}"
write client.key "\${PGRST_TLS_CLIENT_KEY:-}"
chown -R ${POSTGREST_UID}:${POSTGREST_UID} "$PGRST_TLS_DIRECTORY"
chmod 600 "$PGRST_TLS_DIRECTORY"/*
`;

/** Cloud Run: where each file's secret volume is mounted in the step's container (one volume per secret). */
export const TLS_SECRET_VOLUMES_DIRECTORY = "/run/postgrest-tls-secrets";
/** The file name inside each secret volume. */
export const TLS_SECRET_FILE_NAME = "value";

/**
 * Cloud Run: copies each secret volume's root-owned file from $PGRST_TLS_SECRETS/<name>/value
 * into $PGRST_TLS_DIRECTORY, owned by PostgREST's user, mode 0600.
 */
export const TLS_FILES_FROM_VOLUMES_SCRIPT = `set -eu
umask 077
for name in root.crt client.crt client.key; do
  if [ -f "$PGRST_TLS_SECRETS/$name/${TLS_SECRET_FILE_NAME}" ]; then cp "$PGRST_TLS_SECRETS/$name/${TLS_SECRET_FILE_NAME}" "$PGRST_TLS_DIRECTORY/$name"; fi
done
chown -R ${POSTGREST_UID}:${POSTGREST_UID} "$PGRST_TLS_DIRECTORY"
chmod 600 "$PGRST_TLS_DIRECTORY"/*
`;

/** Each needed file's content: the PEMs of database.sslRootCert and database.sslCert, and the secret key. */
export function tlsFileContents<Secret>(database: DatabaseConfig, clientKey: Secret | undefined): Partial<Record<TlsFile, string | Secret>> {
    const content = (file: TlsFile) => (file === "root.crt" ? database.sslRootCert : file === "client.crt" ? database.sslCert : clientKey);
    return Object.fromEntries(tlsFiles(database).map((file) => [file, content(file)]));
}

/**
 * database.migrations on the wire: the files as the provider receives them, their checksum, and the schema the
 * applied ones are recorded in.
 */
import { createHash } from "crypto";

/** One SQL file of the migrations folder: its file name and its text. */
export interface Migration {
    name: string;
    sql: string;
}

/**
 * The recording schema: PostgREST serves only the schemas in api.schemas, so one of its own, which no declared
 * schema may be, keeps the record out of the API.
 */
export const MIGRATIONS_SCHEMA = "postgrest_migrations";

/** sha256 of a file's text, line endings normalized: a checkout with CRLF (git autocrlf) is the same migration. */
export function migrationChecksum(sql: string): string {
    return `sha256:${createHash("sha256").update(sql.replace(/\r\n/g, "\n"), "utf8").digest("hex")}`;
}

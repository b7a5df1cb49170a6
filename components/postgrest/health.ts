/**
 * What PostgREST's admin server tells about an instance (docs/references/admin_server.rst): /live answers 200 while
 * the process serves its port; /ready answers 200 only while its connection pool and schema cache are good, and 503
 * while it reconnects to the database, which it retries on its own (docs/references/connection_pool.rst, Automatic
 * Recovery). Both clouds build their checks from these facts.
 */
import { ADMIN_SERVER_PORT } from "./ports";

export { healthCheckProblem } from "../model/postgrest-settings";

export const LIVE_PATH = "/live";
export const READY_PATH = "/ready";

/** Where a health check reaches the admin server: its port, on every cloud. */
export const HEALTH_PORT = ADMIN_SERVER_PORT;

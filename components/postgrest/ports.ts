/**
 * Ports, the same on every cloud: where PostgREST listens inside the
 * container, and where a load balancer takes clients in.
 */

/** PostgREST's API (server-port, PostgREST's default 3000; docs/references/configuration.rst). */
export const SERVER_PORT = 3000;
/** PostgREST's admin server, beside the API: /live and /ready (docs/references/admin_server.rst). */
export const ADMIN_SERVER_PORT = 3001;

/** Where clients reach the load balancer. */
export const HTTP_PORT = 80;
/** HTTPS: the load balancer's TLS listener, and the AWS APIs and image registry the tasks call. */
export const HTTPS_PORT = 443;
